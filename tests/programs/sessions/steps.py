"""Builders and readers shared by the information-session tests."""

from __future__ import annotations

from icalendar import Calendar

from notifications.models import Notification
from programs.models import Registration
from tests.factories import UserFactory

REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


def _people(n):
    return UserFactory.create_batch(n, language="en")


def _statuses(session):
    return {
        r.person_id: r.status for r in Registration.objects.filter(session=session).order_by("pk")
    }


def _notes(kind, **filters):
    return Notification.objects.filter(kind=f"programs.{kind}", **filters)


def _invite(notification):
    ((attachment),) = notification.attachments
    assert attachment["filename"] == "invite.ics"
    assert attachment["mimetype"] == "text/calendar"
    calendar = Calendar.from_ical(attachment["content"])
    (event,) = calendar.walk("VEVENT")
    return calendar, event
