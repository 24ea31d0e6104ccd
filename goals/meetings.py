"""Meetings of a pair: scheduling with calendar invites, changes, cancellation, and the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from matching.models import Mentorship
from notifications.services import notify
from programs.events.calendar import ics_build

from .common import (
    conflict_error,
    pair_url,
    partnership_deadline,
    require_active,
    require_member,
)
from .models import Goal, Meeting, PrivateNote
from .plans import step_create

SCHEDULE_FIELDS = ("starts_at", "duration_minutes", "mode", "place", "video_url")
EDIT_FIELDS = (*SCHEDULE_FIELDS, "agenda")


# --- calendar ------------------------------------------------------------------------


def meeting_ics_uid(meeting: Meeting) -> str:
    """Stable for the life of the meeting, so updates and cancellations replace the same entry."""
    host = urlsplit(settings.SITE_URL).hostname or "mentoring"
    return f"meeting-{meeting.code}@{host}"


def meeting_summary(meeting: Meeting) -> str:
    mentorship = meeting.mentorship
    return _("Mentoring: %(mentor)s and %(mentee)s") % {
        "mentor": mentorship.mentor.get_full_name(),
        "mentee": mentorship.mentee.get_full_name(),
    }


def meeting_url(meeting: Meeting) -> str:
    return reverse("goals:meeting", args=[meeting.code])


def meeting_ics(meeting: Meeting, *, attendee=None, method: str = "REQUEST") -> str:
    """The calendar entry in the attendee's language (icalendar escapes the agenda text)."""
    language = attendee.language if attendee is not None else translation.get_language()
    with translation.override(language):
        page = settings.SITE_URL + meeting_url(meeting)
        return ics_build(
            uid=meeting_ics_uid(meeting),
            sequence=meeting.ics_sequence,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            summary=meeting_summary(meeting),
            description="\n\n".join(
                part for part in (meeting.agenda.strip(), meeting.video_url, page) if part
            ),
            location=meeting.place if meeting.mode == Meeting.Mode.IN_PERSON else meeting.video_url,
            url=page,
            organizer_email=settings.DEFAULT_FROM_EMAIL,
            attendee_email=attendee.email if attendee is not None else "",
            method=method,
            cancelled=meeting.status == Meeting.Status.CANCELLED,
        )


def _tell_both(meeting: Meeting, kind: str, *, method: str, by, **context) -> None:
    mentorship = meeting.mentorship
    for person in (mentorship.mentor, mentorship.mentee):
        notify(
            kind=f"goals.{kind}",
            recipient=person,
            target=meeting,
            occasion=f"sequence-{meeting.ics_sequence}",
            context={
                "meeting": meeting,
                "mentorship": mentorship,
                "by": by,
                "time_zone": settings.TIME_ZONE,
                **context,
            },
            url=meeting_url(meeting) if method != "CANCEL" else pair_url(mentorship),
            attachments=[
                (
                    "invite.ics",
                    meeting_ics(meeting, attendee=person, method=method),
                    "text/calendar",
                )
            ],
        )


# --- scheduling ----------------------------------------------------------------------


def _clean_schedule(mentorship: Mentorship, data: dict, *, check_time: bool) -> dict:
    data = dict(data)
    data["place"] = " ".join(str(data.get("place", "")).split())
    data["video_url"] = str(data.get("video_url", "")).strip()
    data["agenda"] = str(data.get("agenda", "")).strip()
    errors: dict[str, str] = {}
    if data.get("mode") not in Meeting.Mode.values:
        errors["mode"] = _("Choose in person or video call.")
    elif data["mode"] == Meeting.Mode.IN_PERSON and not data["place"]:
        errors["place"] = _("Say where you meet.")
    elif data["mode"] == Meeting.Mode.VIDEO and not data["video_url"]:
        errors["video_url"] = _("Give the link to the video call.")
    if data["video_url"]:
        # Shown as a link on pages and in emails: only web addresses, never javascript: & co.
        try:
            URLValidator(schemes=["http", "https"])(data["video_url"])
        except ValidationError:
            errors["video_url"] = _("Give the link to the video call.")
    duration = data.get("duration_minutes") or 0
    if not 10 <= duration <= 480:
        errors["duration_minutes"] = _("A meeting lasts between 10 minutes and 8 hours.")
    starts_at: datetime = data["starts_at"]
    if check_time:
        deadline = partnership_deadline(mentorship)
        if starts_at <= timezone.now():
            errors["starts_at"] = _("Choose a date and time in the future.")
        elif timezone.localtime(starts_at).date() > deadline:
            errors["starts_at"] = _("Choose a date before the deadline (%(date)s).") % {
                "date": date_format(deadline, "DATE_FORMAT")
            }
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def meeting_schedule(
    *,
    mentorship: Mentorship,
    by,
    starts_at: datetime,
    duration_minutes: int = 60,
    mode: str = Meeting.Mode.VIDEO,
    place: str = "",
    video_url: str = "",
    agenda: str = "",
) -> Meeting:
    """A member schedules a meeting; both get an email with the calendar invite."""
    require_member(mentorship, by)
    require_active(mentorship)
    data = _clean_schedule(
        mentorship,
        {
            "starts_at": starts_at,
            "duration_minutes": duration_minutes,
            "mode": mode,
            "place": place,
            "video_url": video_url,
            "agenda": agenda,
        },
        check_time=True,
    )
    meeting = Meeting.objects.create(mentorship=mentorship, scheduled_by=by, **data)
    _tell_both(meeting, "meeting_scheduled", method="REQUEST", by=by)
    return meeting


def _require_scheduled(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(
            _("This meeting is %(status)s, so it can no longer be changed.")
            % {"status": meeting.get_status_display()}
        )


@transaction.atomic
def meeting_update(*, meeting: Meeting, by, version: int, **changes) -> Meeting:
    """A member moves a meeting or edits its agenda; a move sends both an updated invite."""
    mentorship = meeting.mentorship
    require_member(mentorship, by)
    require_active(mentorship)
    _require_scheduled(meeting)
    data = _clean_schedule(
        mentorship,
        {**{f: getattr(meeting, f) for f in EDIT_FIELDS}, **changes},
        check_time=changes.get("starts_at", meeting.starts_at) != meeting.starts_at,
    )
    changed = {f: data[f] for f in EDIT_FIELDS if getattr(meeting, f) != data[f]}
    if not changed:
        if version != meeting.version:
            raise conflict_error()
        return meeting
    moved = any(f in changed for f in SCHEDULE_FIELDS)
    if moved and meeting.starts_at <= timezone.now() and "starts_at" not in changed:
        raise ValidationError(_("This meeting has started: log it instead of changing it."))
    extra = {"ics_sequence": F("ics_sequence") + 1} if moved else {}
    # Race guard: both members editing the meeting at once; the second is told.
    updated = Meeting.objects.filter(
        pk=meeting.pk, version=version, status=Meeting.Status.SCHEDULED
    ).update(**changed, **extra, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise conflict_error()
    meeting.refresh_from_db()
    if moved:
        _tell_both(meeting, "meeting_updated", method="REQUEST", by=by)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, version: int | None = None) -> Meeting:
    """A member (or the end of the partnership) cancels; calendars get a cancellation."""
    mentorship = meeting.mentorship
    if by is not None:
        require_member(mentorship, by)
    _require_scheduled(meeting)
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has started: log it as missed instead."))
    rows = Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.SCHEDULED)
    if version is not None:
        rows = rows.filter(version=version)
    now = timezone.now()
    updated = rows.update(
        status=Meeting.Status.CANCELLED,
        cancelled_at=now,
        ics_sequence=F("ics_sequence") + 1,
        version=F("version") + 1,
        updated_at=now,
    )
    if not updated:
        raise conflict_error()
    meeting.refresh_from_db()
    _tell_both(meeting, "meeting_cancelled", method="CANCEL", by=by)
    return meeting


# --- after the meeting ---------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    goal: Goal
    title: str
    owner: str
    due_on: date


@transaction.atomic
def meeting_log(
    *,
    meeting: Meeting,
    by,
    version: int,
    held: bool,
    held_minutes: int | None = None,
    shared_notes: str = "",
    private_note: str | None = None,
    next_steps: list[NextStep] = (),
) -> Meeting:
    """After the meeting: held or missed, how long, notes, and next steps for the plan."""
    mentorship = meeting.mentorship
    require_member(mentorship, by)
    require_active(mentorship)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _("This meeting has not started yet: log it once it has taken place.")
        )
    shared_notes = shared_notes.strip()
    if held:
        held_minutes = held_minutes or meeting.duration_minutes
        if not 1 <= held_minutes <= 600:
            raise ValidationError({"held_minutes": _("Give the length in minutes (up to 600).")})
    else:
        held_minutes = None
    now = timezone.now()
    # Race guard: both members logging the same meeting at once; the second is told.
    updated = Meeting.objects.filter(pk=meeting.pk, version=version).update(
        status=Meeting.Status.HELD if held else Meeting.Status.MISSED,
        held_minutes=held_minutes,
        shared_notes=shared_notes,
        logged_by=by,
        logged_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    if not updated:
        raise conflict_error()
    meeting.refresh_from_db()
    if private_note is not None:
        private_note_save(meeting=meeting, by=by, text=private_note)
    for step in next_steps:
        if step.goal.mentorship_id != mentorship.pk:
            raise ValidationError(_("Next steps must belong to this pair's goals."))
        step_create(
            goal=step.goal,
            by=by,
            title=step.title,
            owner=step.owner,
            due_on=step.due_on,
            from_meeting=meeting,
        )
    return meeting


@transaction.atomic
def private_note_save(*, meeting: Meeting, by, text: str) -> PrivateNote | None:
    """A member's own notes on a meeting; nobody else, not even the other member, reads them."""
    require_member(meeting.mentorship, by)
    text = text.strip()
    if len(text) > PrivateNote._meta.get_field("text").max_length:
        raise ValidationError({"private_note": _("Your private notes are too long.")})
    if not text:
        PrivateNote.objects.filter(meeting=meeting, author=by).delete()
        return None
    note, _created = PrivateNote.objects.update_or_create(
        meeting=meeting, author=by, defaults={"text": text}
    )
    return note


def private_note_for(meeting: Meeting, user) -> PrivateNote | None:
    return PrivateNote.objects.filter(meeting=meeting, author=user).first()


def cancel_future_meetings(mentorship: Mentorship) -> int:
    """The partnership ended: scheduled meetings still ahead are cancelled in both calendars."""
    cancelled = 0
    for meeting in mentorship.meetings.upcoming().select_related(
        "mentorship__mentor", "mentorship__mentee"
    ):
        try:
            meeting_cancel(meeting=meeting, by=None)
        except ValidationError:
            continue
        cancelled += 1
    return cancelled
