"""Stage 2 information sessions: scheduling, registration with a waiting list, attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.services import notify

from .calendar import ics_build
from .models import InfoSession, Program, Registration

# What changes the calendar entry: editing one of these sends registered people an update.
SCHEDULE_FIELDS = ("starts_at", "duration_minutes", "place", "video_url")
# Programs whose sessions take registrations (drafts are hidden, closed ones are over).
OPEN_STATUSES = (Program.Status.RECRUITING, Program.Status.MATCHING, Program.Status.RUNNING)

Status = Registration.Status


# --- calendar and emails -----------------------------------------------------------


def session_ics_uid(session: InfoSession) -> str:
    """Stable for the life of the session, so every update replaces the same calendar entry."""
    host = urlsplit(settings.SITE_URL).hostname or "mentoring"
    return f"infosession-{session.code}@{host}"


def session_ics(session: InfoSession, *, attendee=None, method: str = "REQUEST") -> str:
    """The session's calendar entry; REQUEST/CANCEL for one attendee, PUBLISH to download."""
    program_url = settings.SITE_URL + session.program.get_absolute_url()
    return ics_build(
        uid=session_ics_uid(session),
        sequence=session.ics_sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=f"{session.title} · {session.program.name}",
        description="\n\n".join(
            part for part in (session.description.strip(), session.video_url, program_url) if part
        ),
        location=session.place or session.video_url,
        url=session.video_url or program_url,
        organizer_email=settings.DEFAULT_FROM_EMAIL,
        attendee_email=attendee.email if attendee is not None else "",
        method=method,
        cancelled=session.cancelled_at is not None,
    )


def _session_url(session: InfoSession) -> str:
    return f"{session.program.get_absolute_url()}#sessions"


def _notify(
    kind: str,
    registration: Registration,
    *,
    occasion: str,
    invite: str = "",
    **context,
) -> None:
    session = registration.session
    attachments = None
    if invite:
        ics = session_ics(session, attendee=registration.person, method=invite)
        attachments = [("invite.ics", ics, "text/calendar")]
    notify(
        kind=f"programs.{kind}",
        recipient=registration.person,
        target=session,
        occasion=occasion,
        context={
            "session": session,
            "program": session.program,
            "registration": registration,
            "time_zone": settings.TIME_ZONE,
            **context,
        },
        url=_session_url(session),
        attachments=attachments,
    )


def _stamp(registration: Registration) -> str:
    # A person may register, leave and register again: each time deserves its own email.
    return f"{registration.status}-{registration.updated_at:%Y%m%d%H%M%S%f}"


def _lock(session: InfoSession) -> InfoSession:
    # Everyone changing registrations of one session queues on its row, so counting
    # the places taken and giving the last one away happen as one step.
    locked = InfoSession.objects.select_for_update().get(pk=session.pk)
    locked.program = session.program
    return locked


def _waitlist(session: InfoSession) -> QuerySet[Registration]:
    # Rows are reused on re-registration, so updated_at (not created_at) is when a
    # person joined the waiting list; nothing else updates a waitlisted row.
    return session.registrations.filter(status=Status.WAITLISTED).order_by("updated_at", "pk")


def _registered_count(session: InfoSession) -> int:
    return session.registrations.filter(status=Status.REGISTERED).count()


def _promote_waitlisted(session: InfoSession) -> list[Registration]:
    """Give free places to the waiting list, first come first served; each one gets the invite."""
    free = session.capacity - _registered_count(session)
    if free <= 0:
        return []
    promoted = list(_waitlist(session).select_related("person")[:free])
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.attended = None
        registration.save(update_fields=["status", "attended", "updated_at"])
        registration.session = session
        _notify("session_promoted", registration, occasion=_stamp(registration), invite="REQUEST")
    return promoted


def _check_open(session: InfoSession, now: datetime) -> None:
    if session.cancelled_at:
        raise ValidationError(_("This information session was cancelled."))
    if session.starts_at <= now:
        raise ValidationError(_("This information session has already started."))


# --- HR ----------------------------------------------------------------------------


@transaction.atomic
def session_save(*, session: InfoSession, by) -> InfoSession:
    """Create or edit a session from HR's form.

    Moving it (time, length, place or link) bumps the calendar sequence and sends the
    registered people an updated invite. Lowering the capacity moves nobody out;
    raising it gives the new places to the waiting list.
    """
    program = session.program
    now = timezone.now()
    before = None
    if session.pk is not None:
        before = InfoSession.objects.select_for_update().get(pk=session.pk)
        if before.cancelled_at:
            raise ValidationError(_("A cancelled information session cannot be edited."))
        session.cancelled_at = before.cancelled_at
        session.ics_sequence = before.ics_sequence
    if program.status == Program.Status.CLOSED:
        raise ValidationError(
            _(
                "This program is closed, so its information sessions can no longer be added "
                "or changed."
            )
        )
    if not session.place.strip() and not session.video_url:
        raise ValidationError({"place": _("Give a place, a video link or both.")})

    moved = before is not None and any(
        getattr(before, field) != getattr(session, field) for field in SCHEDULE_FIELDS
    )
    errors: dict[str, str] = {}
    if (before is None or before.starts_at != session.starts_at) and session.starts_at <= now:
        errors["starts_at"] = _("Choose a date and time in the future.")
    elif timezone.localtime(session.ends_at).date() > program.ends_on:
        errors["starts_at"] = _("The session must end before the program ends (%(date)s).") % {
            "date": date_format(program.ends_on, "DATE_FORMAT")
        }
    if errors:
        raise ValidationError(errors)

    if moved:
        session.ics_sequence += 1
    session.save()

    if moved and session.starts_at > now:
        registered = session.registrations.filter(status=Status.REGISTERED).select_related("person")
        for registration in registered:
            registration.session = session
            _notify(
                "session_updated",
                registration,
                occasion=f"sequence-{session.ics_sequence}",
                invite="REQUEST",
                previous=before,
            )
    if before is not None and session.capacity > before.capacity and session.starts_at > now:
        _promote_waitlisted(session)
    return session


@transaction.atomic
def session_cancel(*, session: InfoSession, by) -> int:
    """Cancel a session and tell everyone registered or waiting; returns how many were told."""
    session = _lock(session)
    if session.cancelled_at:
        raise ValidationError(_("This information session is already cancelled."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("A session that has already started cannot be cancelled."))
    session.cancelled_at = timezone.now()
    session.ics_sequence += 1
    session.save(update_fields=["cancelled_at", "ics_sequence", "updated_at"])
    told = session.registrations.filter(
        status__in=[Status.REGISTERED, Status.WAITLISTED]
    ).select_related("person")
    count = 0
    for registration in told:
        registration.session = session
        _notify("session_cancelled", registration, occasion="cancelled", invite="CANCEL")
        count += 1
    return count


@transaction.atomic
def attendance_save(*, session: InfoSession, attended_ids, by) -> int:
    """Mark who came (ids of people); every other registered person is marked absent."""
    if session.cancelled_at:
        raise ValidationError(_("This information session was cancelled."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("You can mark attendance once the session has started."))
    now = timezone.now()
    ids = {int(pk) for pk in attended_ids}
    registered = session.registrations.filter(status=Status.REGISTERED)
    came = registered.filter(person_id__in=ids).update(attended=True, updated_at=now)
    registered.exclude(person_id__in=ids).update(attended=False, updated_at=now)
    return came


def sessions_with_counts(sessions: QuerySet[InfoSession]) -> QuerySet[InfoSession]:
    """Sessions with how many are registered, waiting and marked present, in one query."""
    return sessions.annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=Status.REGISTERED)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
        attended_count=Count(
            "registrations",
            filter=Q(registrations__status=Status.REGISTERED, registrations__attended=True),
        ),
    )


# --- employees ---------------------------------------------------------------------


@transaction.atomic
def session_register(*, session: InfoSession, person) -> Registration:
    """Take a place, or a spot on the waiting list when the session is full."""
    program = session.program
    if program.status not in OPEN_STATUSES:
        raise ValidationError(_("Registration is closed for this program."))
    session = _lock(session)
    _check_open(session, timezone.now())
    registration = Registration.objects.filter(session=session, person=person).first()
    if registration is not None and registration.status != Status.CANCELLED:
        return registration
    status = (
        Status.REGISTERED if _registered_count(session) < session.capacity else Status.WAITLISTED
    )
    if registration is None:
        registration = Registration.objects.create(session=session, person=person, status=status)
    else:
        registration.status = status
        registration.attended = None
        registration.save(update_fields=["status", "attended", "updated_at"])
    registration.session = session
    if status == Status.REGISTERED:
        _notify("session_registered", registration, occasion=_stamp(registration), invite="REQUEST")
    else:
        position = _waitlist(session).filter(updated_at__lte=registration.updated_at).count()
        _notify(
            "session_waitlisted", registration, occasion=_stamp(registration), position=position
        )
    return registration


@transaction.atomic
def session_unregister(*, session: InfoSession, person) -> Registration:
    """Give up a place (the first person waiting gets it) or leave the waiting list."""
    session = _lock(session)
    _check_open(session, timezone.now())
    registration = (
        Registration.objects.filter(session=session, person=person)
        .exclude(status=Status.CANCELLED)
        .first()
    )
    if registration is None:
        raise ValidationError(_("You are not registered for this information session."))
    freed = registration.status == Status.REGISTERED
    registration.status = Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if freed:
        _promote_waitlisted(session)
    return registration


@dataclass(frozen=True)
class UpcomingSession:
    session: InfoSession
    places_left: int
    my_status: str | None

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def my_status_label(self) -> str:
        return Status(self.my_status).label if self.my_status else ""


def upcoming_sessions_for(program: Program, person) -> list[UpcomingSession]:
    """Sessions still ahead, with places left and `person`'s status, in one query."""
    if program.status not in OPEN_STATUSES:
        return []
    sessions = program.sessions.filter(
        cancelled_at__isnull=True, starts_at__gt=timezone.now()
    ).annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=Status.REGISTERED))
    )
    if person is not None and person.is_authenticated:
        mine = Registration.objects.filter(session=OuterRef("pk"), person=person).exclude(
            status=Status.CANCELLED
        )
        sessions = sessions.annotate(my_status=Subquery(mine.values("status")[:1]))
    items = []
    for session in sessions.order_by("starts_at"):
        session.program = program
        items.append(
            UpcomingSession(
                session=session,
                places_left=max(session.capacity - session.registered_count, 0),
                my_status=getattr(session, "my_status", None),
            )
        )
    return items
