"""Stage 5 under real concurrency (PostgreSQL): overlapping reminder runs and plan edits."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from goals.models import ActionStep
from goals.plans import services as plans
from notifications.models import Notification
from notifications.services import dispatch_due
from tests.goals.conftest import a_goal, a_meeting, a_step


def _together(*targets) -> list[BaseException]:
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def run(target):
        try:
            barrier.wait()
            target()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reminder_runs_send_each_reminder_once(pair, mentor, mentee):
    _needs_postgres()
    a_meeting(pair, starts_at=timezone.now() + timedelta(hours=5))
    mail.outbox.clear()
    assert _together(dispatch_due, dispatch_due, dispatch_due, dispatch_due) == []
    reminders = Notification.objects.filter(kind="goals.meeting_reminder")
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted(
        [mentor.pk, mentee.pk]
    )
    subjects = set(reminders.values_list("subject", flat=True))
    assert len([m for m in mail.outbox if m.subject in subjects]) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_step_at_once_one_wins_the_other_is_told(pair, mentor, mentee):
    _needs_postgres()
    step = a_step(a_goal(pair), due_on=timezone.localdate() + timedelta(days=3))
    errors = _together(
        lambda: plans.step_update(
            step=ActionStep.objects.get(pk=step.pk), by=mentor, version=1, title="Mentor's"
        ),
        lambda: plans.step_update(
            step=ActionStep.objects.get(pk=step.pk), by=mentee, version=1, title="Mentee's"
        ),
    )
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError) and errors[0].code == "conflict"
    step.refresh_from_db()
    assert step.version == 2 and step.title in ("Mentor's", "Mentee's")
