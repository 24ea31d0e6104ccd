"""Fixtures of stage 5: a running program and an active pair of the mentor and mentee personas."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from goals.agreements.services import agreement_for, agreement_open
from goals.meetings.services import meeting_schedule
from goals.plans import services as plans
from matching.models import Mentorship
from matching.pairs.services import mentorship_create
from notifications.models import Notification
from notifications.services import dispatch_due
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory


def running_program(**kwargs):
    today = timezone.localdate()
    defaults = {
        "status": "running",
        "recruitment_opens": today - timedelta(days=60),
        "recruitment_closes": today - timedelta(days=40),
        "matching_deadline": today - timedelta(days=30),
        "starts_on": today - timedelta(days=20),
        "ends_on": today + timedelta(days=160),
        "meeting_every_days": 14,
    }
    return ProgramFactory(**{**defaults, **kwargs})


def active_pair(program, mentor, mentee) -> Mentorship:
    for person, role in ((mentor, "mentor"), (mentee, "mentee")):
        if not program.applications.filter(person=person).exists():
            ApplicationFactory(program=program, person=person, role=role, status="approved")
    pair = mentorship_create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        origin=Mentorship.Origin.HR_PROPOSAL,
        status=Mentorship.Status.ACTIVE,
    )
    # What the `mentorship_started` hook does on commit, which a test's transaction never reaches.
    agreement_open(mentorship=pair)
    return pair


def a_goal(pair, **kwargs):
    defaults = {
        "title": "Lead the weekly planning meeting",
        "measure": "Runs three meetings alone with good feedback",
        "target_date": timezone.localdate() + timedelta(days=60),
    }
    return plans.goal_create(mentorship=pair, by=pair.mentor, **{**defaults, **kwargs})


def a_step(goal, **kwargs):
    defaults = {
        "title": "Read the facilitation guide",
        "owner": "mentee",
        "due_on": timezone.localdate() + timedelta(days=7),
    }
    return plans.step_create(goal=goal, by=goal.mentorship.mentor, **{**defaults, **kwargs})


def a_meeting(pair, *, starts_at: datetime | None = None, **kwargs):
    defaults = {
        "starts_at": starts_at or timezone.now() + timedelta(days=3),
        "duration_minutes": 60,
        "mode": "video",
        "video_url": "https://meet.example.com/pair",
        "agenda": "Talk about the plan",
    }
    return meeting_schedule(mentorship=pair, by=pair.mentor, **{**defaults, **kwargs})


# --- reminders: what was sent, and a moment of the partnership ------------------------


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


@pytest.fixture
def program(db):
    return running_program()


@pytest.fixture
def pair(program, mentor, mentee):
    return active_pair(program, mentor, mentee)


@pytest.fixture
def agreement(pair):
    agreement = agreement_for(pair)
    agreement.mentorship = pair  # the test's changes to the pair are seen by the services
    return agreement


@pytest.fixture
def english(db):
    """A second pair whose members read English, for assertions on text."""

    def make(program):
        mentor = UserFactory(first_name="Ann", last_name="Mentor", language="en")
        mentee = UserFactory(first_name="Ben", last_name="Mentee", language="en")
        return active_pair(program, mentor, mentee)

    return make
