"""Stage 5 reminders, with a frozen clock: each is sent once, however often the job runs."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from goals import reminders
from goals.agreements.services import program_settings_for
from goals.meetings.services import meeting_log, meeting_update
from goals.plans import services as plans
from matching.models import Mentorship
from notifications.models import Notification
from notifications.services import dispatch_due
from tests.goals.conftest import a_goal, a_meeting, a_step


def _sent(kind: str) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "occasion"))


def _at(pair, days: int, hour: int = 9):
    """A moment `days` after the partnership started, at `hour` local time."""
    start = timezone.make_aware(
        timezone.datetime.combine(pair.starts_on, timezone.datetime.min.time())
    )
    return start + timedelta(days=days, hours=hour)


def _run_twice(moment) -> None:
    with time_machine.travel(moment, tick=False):
        dispatch_due()
        dispatch_due()


def test_both_are_reminded_once_of_a_meeting_in_the_next_24_hours(pair, mentor, mentee):
    meeting = a_meeting(pair, starts_at=timezone.now() + timedelta(hours=30))
    _run_twice(timezone.now())
    assert _sent("goals.meeting_reminder") == []
    _run_twice(timezone.now() + timedelta(hours=7))
    occasion = f"day-before-{meeting.starts_at.isoformat()}"
    assert _sent("goals.meeting_reminder") == sorted([(mentor.pk, occasion), (mentee.pk, occasion)])
    reminder = Notification.objects.filter(kind="goals.meeting_reminder").first()
    assert reminder.url == f"/goals/meetings/{meeting.code}/"
    # Moved to another day: a new reminder for the new time, once.
    later = meeting.starts_at + timedelta(days=2)
    meeting_update(meeting=meeting, by=mentor, version=meeting.version, starts_at=later)
    _run_twice(later - timedelta(hours=5))
    assert len(_sent("goals.meeting_reminder")) == 4


def test_a_cancelled_meeting_or_an_ended_pair_gets_no_reminder(pair):
    a_meeting(pair, starts_at=timezone.now() + timedelta(hours=20))
    Mentorship.objects.filter(pk=pair.pk).update(status=Mentorship.Status.ENDED_EARLY)
    _run_twice(timezone.now())
    assert not Notification.objects.filter(kind__startswith="goals.").exclude(
        kind="goals.meeting_scheduled"
    )


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


def test_both_are_told_when_no_meeting_was_held_for_one_and_a_half_cadences(
    pair, mentor, mentee, agreement
):
    assert agreement.cadence_days == 14
    _run_twice(_at(pair, 20))
    assert _sent("goals.meeting_gap") == []
    _run_twice(_at(pair, 21))
    since = f"since-{pair.starts_on.isoformat()}"
    assert _sent("goals.meeting_gap") == sorted([(mentor.pk, since), (mentee.pk, since)])
    # They meet on day 22; the next reminder counts from that meeting.
    with time_machine.travel(_at(pair, 21, hour=12), tick=False):
        meeting = a_meeting(pair, starts_at=_at(pair, 22, hour=10))
    with time_machine.travel(_at(pair, 22, hour=12), tick=False):
        meeting_log(meeting=meeting, by=mentor, version=meeting.version, held=True)
    _run_twice(_at(pair, 42))
    assert len(_sent("goals.meeting_gap")) == 2
    _run_twice(_at(pair, 43))
    assert len(_sent("goals.meeting_gap")) == 4


def test_a_scheduled_meeting_ahead_silences_the_gap_reminder(pair):
    with time_machine.travel(_at(pair, 20), tick=False):
        a_meeting(pair, starts_at=_at(pair, 25))
    _run_twice(_at(pair, 22))
    assert _sent("goals.meeting_gap") == []


def test_the_deadline_is_announced_14_days_ahead_and_the_closing_opens_at_it(pair, mentor, mentee):
    deadline = pair.deadline
    days = (deadline - pair.starts_on).days
    _run_twice(_at(pair, days - 15))
    assert _sent("goals.deadline_soon") == []
    _run_twice(_at(pair, days - 14))
    soon = f"soon-{deadline.isoformat()}"
    assert _sent("goals.deadline_soon") == sorted([(mentor.pk, soon), (mentee.pk, soon)])
    _run_twice(_at(pair, days - 3))
    assert len(_sent("goals.deadline_soon")) == 2
    _run_twice(_at(pair, days))
    closing = f"closing-{deadline.isoformat()}"
    assert _sent("goals.closing_due") == sorted([(mentor.pk, closing), (mentee.pk, closing)])
    notification = Notification.objects.filter(kind="goals.closing_due").first()
    assert notification.url == f"/goals/pairs/{pair.code}/closing/"


def test_the_command_sends_due_reminders_by_email_once(pair, mentor, mentee, capsys):
    a_meeting(pair, starts_at=timezone.now() + timedelta(hours=10))
    mail.outbox.clear()
    call_command("dispatch_notifications")
    call_command("dispatch_notifications")
    sent = Notification.objects.filter(kind="goals.meeting_reminder")
    assert {n.email_status for n in sent} == {"sent"}
    subjects = {n.subject for n in sent}
    reminded = [m for m in mail.outbox if m.subject in subjects]
    assert sorted(m.to[0] for m in reminded) == sorted([mentor.email, mentee.email])


def test_producers_are_registered_with_the_notification_mechanism():
    from notifications.hooks import producers

    registered = producers()
    for name in (
        "goals.meeting_reminders",
        "goals.goals_missing",
        "goals.step_reminders",
        "goals.meeting_gap",
        "goals.deadline_reminders",
    ):
        assert name in registered
    assert registered["goals.meeting_reminders"] is reminders.meeting_reminders
