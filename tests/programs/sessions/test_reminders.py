"""The day-before reminder of information sessions."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from notifications.models import Notification
from notifications.services import dispatch_due
from programs.sessions import services
from programs.sessions.reminders import session_reminders
from tests.factories import InfoSessionFactory, UserFactory


def _people(n):
    return UserFactory.create_batch(n, language="en")


def _notes(kind, **filters):
    return Notification.objects.filter(kind=f"programs.{kind}", **filters)


# --- the day-before reminder -------------------------------------------------------


def test_the_reminder_goes_once_to_registered_people_in_the_last_24_hours(db):
    session = InfoSessionFactory(capacity=2, starts_at=timezone.now() + timedelta(days=3))
    ana, bea, carla, dani = _people(4)
    for person in (ana, bea, carla, dani):
        services.session_register(session=session, person=person)
    services.session_unregister(session=session, person=bea)  # carla gets the place
    cancelled = InfoSessionFactory(starts_at=session.starts_at, program=session.program)
    services.session_register(session=cancelled, person=ana)
    services.session_cancel(session=cancelled, by=session.program.created_by)
    reminders = _notes("session_reminder")

    with time_machine.travel(session.starts_at - timedelta(hours=30), tick=False):
        dispatch_due()
    assert not reminders.exists()

    with time_machine.travel(session.starts_at - timedelta(hours=20), tick=False):
        dispatch_due()
        assert session_reminders(timezone.now()) == 0

    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted([ana.pk, carla.pk])
    subjects = [m.subject for m in mail.outbox if m.subject.startswith("Reminder")]
    assert len(subjects) == 2

    with time_machine.travel(session.starts_at - timedelta(hours=2), tick=False):
        dispatch_due()
    assert reminders.count() == 2
