"""Reads of meetings: their calendar entries, private notes, and each person's calendar feed.

The feed is a secret address Outlook or Google Calendar subscribe to; the invites in emails
and the feed share their UIDs and sequences, so a calendar keeps one entry per meeting.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core.calendar import PRODID, ics_build
from matching.models import Mentorship

from ..models import CalendarFeed, Meeting, PrivateNote

# Recent meetings stay in the feed for a while, so a subscribed calendar keeps its history.
KEEP_PAST = timedelta(days=30)


# --- calendar entries ----------------------------------------------------------------


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


def private_note_for(meeting: Meeting, user) -> PrivateNote | None:
    return PrivateNote.objects.filter(meeting=meeting, author=user).first()


# --- the private calendar feed -----------------------------------------------------


def feed_url(feed: CalendarFeed) -> str:
    return settings.SITE_URL + reverse("goals:calendar_feed", args=[feed.token])


def feed_meetings(person, now=None):
    """The person's meetings in active pairs, from a month ago on (cancelled ones included)."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            Q(mentorship__mentor=person) | Q(mentorship__mentee=person),
            mentorship__status=Mentorship.Status.ACTIVE,
            starts_at__gte=now - KEEP_PAST,
        )
        .select_related("mentorship__mentor", "mentorship__mentee")
        .order_by("starts_at", "pk")
    )


def feed_calendar(person) -> bytes:
    """A VCALENDAR of the person's meetings, with the same UIDs and sequences as the invites.

    The feed leaves out agendas and notes: an address in a shared calendar tool is easier
    to leak than a mailbox, so it says only when, where and with whom.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    with translation.override(person.language):
        calendar.add("x-wr-calname", translation.gettext("Mentoring meetings"))
        calendar.add("x-published-ttl", "PT1H")
        stamp = timezone.now().astimezone(UTC)
        for meeting in feed_meetings(person):
            event = Event()
            event.add("uid", meeting_ics_uid(meeting))
            event.add("sequence", meeting.ics_sequence)
            event.add("dtstamp", stamp)
            event.add("dtstart", meeting.starts_at.astimezone(UTC))
            event.add("dtend", meeting.ends_at.astimezone(UTC))
            event.add("summary", meeting_summary(meeting))
            location = (
                meeting.place if meeting.mode == Meeting.Mode.IN_PERSON else meeting.video_url
            )
            if location:
                event.add("location", location)
            event.add("url", settings.SITE_URL + meeting_url(meeting))
            event.add(
                "status",
                "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED",
            )
            calendar.add_component(event)
    return calendar.to_ical()
