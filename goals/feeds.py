"""Each person's private calendar feed: a secret address Outlook or Google Calendar subscribe to."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event

from matching.models import Mentorship
from programs.events.calendar import PRODID

from .meetings import meeting_ics_uid, meeting_summary, meeting_url
from .models import CalendarFeed, Meeting, new_feed_token

# Recent meetings stay in the feed for a while, so a subscribed calendar keeps its history.
KEEP_PAST = timedelta(days=30)


def feed_for(person) -> CalendarFeed:
    found = CalendarFeed.objects.filter(person=person).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(person=person)
    except IntegrityError:
        return CalendarFeed.objects.get(person=person)


@transaction.atomic
def feed_reset(*, person) -> CalendarFeed:
    """A new secret address; the old one stops working at once (404)."""
    feed = feed_for(person)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "updated_at"])
    return feed


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
