"""Meeting reminders, with a frozen clock: each is sent once, however often the job runs."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from goals.meetings import reminders
from goals.meetings.services import meeting_log, meeting_update
from matching.models import Mentorship
from notifications.models import Notification
from tests.goals.conftest import _at, _run_twice, _sent, a_meeting


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
