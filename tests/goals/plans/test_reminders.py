"""Reminders of the action plan, with a frozen clock: each is sent once, however often it runs."""

from __future__ import annotations

from datetime import timedelta

from goals.agreements.services import program_settings_for
from goals.plans import services as plans
from notifications.models import Notification
from tests.goals.conftest import _at, _run_twice, _sent, a_goal, a_step


def test_the_mentor_is_reminded_of_missing_goals_and_hr_is_copied_after_twice_as_long(pair, mentor):
    hr = pair.program.created_by
    settings = program_settings_for(pair.program)
    settings.goals_due_days = 10
    settings.save()
    _run_twice(_at(pair, 9))
    assert _sent("goals.goals_missing") == []
    _run_twice(_at(pair, 10))
    assert _sent("goals.goals_missing") == [(mentor.pk, "after-10-days")]
    assert _sent("goals.goals_missing_hr") == []
    _run_twice(_at(pair, 20))
    assert _sent("goals.goals_missing") == [
        (mentor.pk, "after-10-days"),
        (mentor.pk, "after-20-days"),
    ]
    assert _sent("goals.goals_missing_hr") == [(hr.pk, "after-20-days")]
    notification = Notification.objects.get(kind="goals.goals_missing_hr")
    assert notification.url == f"/matching/pairs/{pair.code}/"


def test_no_goal_reminder_once_goals_are_written(pair):
    a_goal(pair)
    _run_twice(_at(pair, 40))
    assert _sent("goals.goals_missing") == []


def test_step_owners_are_reminded_two_days_before_and_once_overdue(pair, mentee, mentor):
    goal = a_goal(pair)
    step = a_step(goal, owner="mentee", due_on=pair.starts_on + timedelta(days=5))
    done = a_step(goal, owner="mentor", due_on=pair.starts_on + timedelta(days=5))
    plans.step_set_status(step=done, by=mentor, version=done.version, status="done")
    _run_twice(_at(pair, 2))
    assert _sent("goals.step_due") == []
    _run_twice(_at(pair, 3))
    assert _sent("goals.step_due") == [(mentee.pk, f"due-{step.due_on.isoformat()}")]
    _run_twice(_at(pair, 5))
    assert _sent("goals.step_overdue") == []
    _run_twice(_at(pair, 6))
    _run_twice(_at(pair, 9))
    assert _sent("goals.step_overdue") == [(mentee.pk, f"overdue-{step.due_on.isoformat()}")]
    assert len(_sent("goals.step_due")) == 1
