"""Reminders: incomplete required training a week and a day before it is due, once per window."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.utils import timezone

from notifications.models import Notification
from notifications.services import dispatch_due
from tests.factories import ApplicationFactory, UserFactory
from training.modules.services import module_complete
from training.requirements import services
from training.requirements.reminders import DUE_KIND, due_reminders

from ..conftest import enrol, make_module

ZONE = ZoneInfo("Europe/Madrid")


def _at(day, hour=9):
    return datetime.combine(day, time(hour), tzinfo=ZONE)


def test_people_are_reminded_once_a_week_before_and_once_the_day_before(hr_admin, program):
    late = UserFactory(language="en", first_name="Ana")
    done = UserFactory(language="en")
    for person in (late, done):
        enrol(program, person, "mentee")
    first = make_module(title="Escucha activa")
    make_module(title="Active listening", language="en", family=first.family)
    second = make_module(title="Retroalimentación")
    services.requirement_add(program=program, role="mentee", module=first, due_days=0, by=hr_admin)
    services.requirement_add(program=program, role="mentee", module=second, due_days=2, by=hr_admin)
    for module in (first, second):
        module_complete(module=module, person=done)
    start = program.starts_on
    sent = []
    for day in (-10, -7, -7, -5, -1, -1, 0):
        with time_machine.travel(_at(start + timedelta(days=day)), tick=False):
            sent.append(due_reminders(timezone.now()))
    assert sent == [0, 1, 0, 0, 1, 0, 0]
    notes = Notification.objects.filter(kind=DUE_KIND).order_by("pk")
    assert [n.recipient for n in notes] == [late, late]
    assert [n.occasion for n in notes] == [
        f"week-before-{start.isoformat()}",
        f"day-before-{start.isoformat()}",
    ]
    # One email for both modules, in the reader's language (the English title).
    assert "Active listening" in notes[0].text_body and "Retroalimentación" in notes[0].text_body
    assert notes[0].subject == f"Training due soon: {program.name}"
    # Once the first deadline has passed, the next one gets its own reminder.
    with time_machine.travel(_at(start + timedelta(days=1)), tick=False):
        assert due_reminders(timezone.now()) == 1
        assert due_reminders(timezone.now()) == 0
    last = Notification.objects.filter(kind=DUE_KIND).latest("pk")
    assert last.occasion == f"day-before-{(start + timedelta(days=2)).isoformat()}"
    assert "Active listening" not in last.text_body


def test_the_reminder_email_goes_out_once_through_the_notification_mechanism(
    hr_admin, program, django_capture_on_commit_callbacks
):
    person = UserFactory(language="en")
    enrol(program, person, "mentor")
    module = make_module(audience="mentor")
    services.requirement_add(
        program=program, role="mentor", module=module, due_days=-3, by=hr_admin
    )
    with time_machine.travel(_at(program.starts_on - timedelta(days=6)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due()
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due()
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "/training/" in mail.outbox[0].body


def test_people_not_approved_or_inactive_get_no_reminder(hr_admin, program):
    ApplicationFactory(program=program, person=UserFactory(), role="mentee", status="submitted")
    module = make_module()
    services.requirement_add(program=program, role="mentee", module=module, due_days=0, by=hr_admin)
    with time_machine.travel(_at(program.starts_on - timedelta(days=3)), tick=False):
        assert due_reminders(timezone.now()) == 0
        enrol(program, UserFactory(is_active=False), "mentee")
        assert due_reminders(timezone.now()) == 0
