"""Reminders: registered people hear of a workshop the day before, once."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from notifications.models import Notification
from tests.factories import UserFactory
from training.models import Workshop, WorkshopRegistration
from training.workshops.reminders import WORKSHOP_KIND, workshop_reminders


def test_registered_people_are_reminded_of_a_workshop_the_day_before_once(program):
    starts = timezone.now() + timedelta(days=3)
    workshop = Workshop.objects.create(
        program=program, title="Taller", starts_at=starts, place="Sala 1", capacity=5
    )
    person = UserFactory(language="en")
    WorkshopRegistration.objects.create(workshop=workshop, person=person, status="registered")
    WorkshopRegistration.objects.create(
        workshop=workshop, person=UserFactory(), status="waitlisted"
    )
    assert workshop_reminders(timezone.now()) == 0
    with time_machine.travel(starts - timedelta(hours=20), tick=False):
        assert workshop_reminders(timezone.now()) == 1
        assert workshop_reminders(timezone.now()) == 0
    (note,) = Notification.objects.filter(kind=WORKSHOP_KIND)
    assert note.recipient == person and note.subject == "Reminder: Taller"
    assert "Sala 1" in note.text_body
