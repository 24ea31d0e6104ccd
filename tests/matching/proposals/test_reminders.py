"""Pairings left waiting: whoever still owes an answer is reminded once, after three days."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from matching.models import Mentorship
from matching.pairs.services import mentorship_create
from matching.proposals import reminders
from notifications.models import Notification
from tests.factories import ApplicationFactory, ProgramFactory


def _awaiting(mentor, mentee, **decisions) -> Mentorship:
    program = ProgramFactory(status="matching", matching_mode="managed")
    ApplicationFactory(program=program, person=mentor, role="mentor", status="approved")
    ApplicationFactory(program=program, person=mentee, role="mentee", status="approved")
    pair = mentorship_create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        origin=Mentorship.Origin.HR_PROPOSAL,
        status=Mentorship.Status.AWAITING_APPROVAL,
    )
    Mentorship.objects.filter(pk=pair.pk).update(sent_for_approval_at=timezone.now(), **decisions)
    return pair


def _reminded():
    return Notification.objects.filter(kind="matching.approval_reminder")


def test_the_manager_and_mentor_are_reminded_once_after_three_days(mentor, mentee, manager):
    _awaiting(
        mentor,
        mentee,
        manager_decision=Mentorship.Decision.PENDING,
        mentor_decision=Mentorship.Decision.PENDING,
    )
    now = timezone.now()
    assert reminders.approval_reminders(now + timedelta(days=2)) == 0

    with time_machine.travel(now + timedelta(days=3, hours=1)):
        assert reminders.approval_reminders(timezone.now()) == 2
        assert reminders.approval_reminders(timezone.now()) == 0

    assert set(_reminded().values_list("recipient__email", flat=True)) == {
        manager.email,
        mentor.email,
    }


def test_only_whoever_has_not_answered_is_reminded(mentor, mentee, manager):
    _awaiting(
        mentor,
        mentee,
        manager_decision=Mentorship.Decision.APPROVED,
        mentor_decision=Mentorship.Decision.PENDING,
    )

    reminders.approval_reminders(timezone.now() + timedelta(days=4))

    assert list(_reminded().values_list("recipient__email", flat=True)) == [mentor.email]


def test_answered_pairings_are_not_reminded(mentor, mentee):
    pair = _awaiting(mentor, mentee, mentor_decision=Mentorship.Decision.PENDING)
    Mentorship.objects.filter(pk=pair.pk).update(status=Mentorship.Status.DECLINED)

    assert reminders.approval_reminders(timezone.now() + timedelta(days=4)) == 0
