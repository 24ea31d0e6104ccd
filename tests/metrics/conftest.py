"""Shared data of the indicator and dashboard tests: one program with known data, whose
indicators are worked out by hand in `known`, and a clock frozen on its TODAY."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from goals.models import ActionStep, Agreement, Goal, Meeting
from matching.models import Mentorship
from metrics.models import Survey, SurveyAnswer, SurveyQuestion, SurveyRequest
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory
from training.models import Completion, Module, Requirement

TODAY = date(2026, 3, 2)

SURVEY_VALUES = {
    "survey_response_rate": 62.5,
    "average_satisfaction": 4.25,
    "recommendation_score": 40,
    "skill_growth": 1.2,
    "development_impact": 3.8,
}


def at(days: int, hour: int = 12) -> datetime:
    """A moment `days` from TODAY (negative: before), at `hour` local time."""
    return timezone.make_aware(datetime.combine(TODAY + timedelta(days=days), time(hour)))


@pytest.fixture
def frozen():
    with time_machine.travel(at(0, 10), tick=False):
        yield


def running_program(**kwargs):
    defaults = {
        "status": "running",
        "recruitment_opens": TODAY - timedelta(days=120),
        "recruitment_closes": TODAY - timedelta(days=100),
        "matching_deadline": TODAY - timedelta(days=95),
        "starts_on": TODAY - timedelta(days=90),
        "ends_on": TODAY + timedelta(days=90),
        "meeting_every_days": 14,
        "objective": False,
    }
    return ProgramFactory(**{**defaults, **kwargs})


def enrol(program, person, role="mentee", status="approved", reviewed_days=-100):
    return ApplicationFactory(
        program=program, person=person, role=role, status=status, reviewed_at=at(reviewed_days)
    )


def a_pair(program, mentor, mentee, *, start: int, status="active", ended: int | None = None):
    return Mentorship.objects.create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        status=status,
        origin=Mentorship.Origin.HR_PROPOSAL,
        starts_on=TODAY + timedelta(days=start),
        deadline=TODAY + timedelta(days=start + 180),
        activated_at=at(start, 9),
        ended_at=None if ended is None else at(ended),
    )


def an_agreement(pair, *, signed: int | None, cadence=14):
    moment = None if signed is None else at(signed)
    return Agreement.objects.create(
        mentorship=pair,
        ground_rules="We meet.",
        confidentiality="Ours.",
        deadline=pair.deadline,
        cadence_days=cadence,
        mentor_signed_at=moment,
        mentee_signed_at=moment,
        first_signed_at=moment,
    )


def a_goal(pair, *, status="in_progress", agreed: int | None = None):
    return Goal.objects.create(
        mentorship=pair,
        title="Goal",
        measure="Measured",
        target_date=TODAY + timedelta(days=30),
        status=status,
        agreed_at=None if agreed is None else at(agreed),
        created_by=pair.mentor,
    )


def a_step(goal, *, status="todo", due: int = 10):
    return ActionStep.objects.create(
        goal=goal, title="Step", owner="mentee", due_on=TODAY + timedelta(days=due), status=status
    )


def a_meeting(pair, *, day: int, status="held", minutes=60, held_minutes=None):
    return Meeting.objects.create(
        mentorship=pair,
        starts_at=at(day, 16),
        duration_minutes=minutes,
        held_minutes=held_minutes,
        status=status,
        scheduled_by=pair.mentor,
    )


def a_module(title: str) -> Module:
    return Module.objects.create(language="es", title=title, status="published")


def a_pulse(pair, person, value, *, day: int = -3):
    survey = Survey.objects.filter(program=pair.program, kind="pulse").first()
    if survey is None:
        survey = Survey.objects.create(
            program=pair.program,
            kind="pulse",
            title="Pulse",
            status="active",
            created_by=pair.program.created_by,
        )
        SurveyQuestion.objects.create(survey=survey, kind="scale", text="How is it going?")
    question = survey.questions.get()
    request = SurveyRequest.objects.create(
        survey=survey,
        person=person,
        mentorship=pair,
        role="mentee" if person.pk == pair.mentee_id else "mentor",
        occurrence=f"pair:{pair.pk}:{day}",
        status="answered",
        closes_at=at(day + 14),
        answered_at=at(day),
    )
    answer = SurveyAnswer.objects.create(request=request, question=question, value=value)
    SurveyAnswer.objects.filter(pk=answer.pk).update(created_at=at(day))
    return answer


def known():
    """One program with data whose indicators are computed by hand in the comments.

    Applications: 4 mentees and 2 mentors approved, 1 declined, 1 waiting: 6 of 8 approved.
    Pairs: A (active, started 60 days ago), B (completed, started 90 and ended 30 days ago),
    C (active, started 5 days ago), plus a draft proposal that does not count.
    """
    program = running_program()
    mentors = [UserFactory(first_name=f"Mentor{i}") for i in range(2)]
    mentees = [UserFactory(first_name=f"Mentee{i}") for i in range(4)]
    for person in mentors:
        enrol(program, person, "mentor")
    # Approved 70, 94, 25 and 10 days ago: matched after 10, 4 and 20 days (median 10).
    for person, reviewed in zip(mentees, (-70, -94, -25, -10), strict=True):
        enrol(program, person, reviewed_days=reviewed)
    enrol(program, UserFactory(), status="declined")
    enrol(program, UserFactory(), status="submitted")
    a = a_pair(program, mentors[0], mentees[0], start=-60)
    b = a_pair(program, mentors[1], mentees[1], start=-90, status="completed", ended=-30)
    c = a_pair(program, mentors[0], mentees[2], start=-5)
    Mentorship.objects.create(
        program=program, mentor=mentors[1], mentee=mentees[3], status="proposed",
        origin=Mentorship.Origin.HR_PROPOSAL,
    )  # fmt: skip
    # Agreement and goals within 14 days: A yes (signed day 10, goal agreed day 12); B signed
    # on day 20, too late; C is 5 days in and not signed yet, so not counted: 1 of 2 = 50 %.
    an_agreement(a, signed=-50)
    an_agreement(b, signed=-70)
    achieved = a_goal(a, status="achieved", agreed=-48)
    doing = a_goal(a, agreed=-48)
    dropped = a_goal(a, status="dropped", agreed=-48)
    late = a_goal(b, status="achieved", agreed=-60)
    # Goals achieved: 2 of the 3 not dropped = 66.7 %.
    # Steps done: 4 (even under a dropped goal; not the pending or dropped steps); 1 overdue in A.
    a_step(achieved, status="done")
    a_step(doing, status="done")
    a_step(doing, status="todo", due=-1)
    a_step(doing, status="dropped", due=-3)
    a_step(dropped, status="done")  # its goal was dropped: still a completed step
    a_step(late, status="done")
    # Meetings held: A 4 (60 + 60 + 60 + 90 minutes, the last 25 days ago), B 2 (30 each).
    # Hours: 330 / 60 = 5.5. Months: A 2, B 2 (60 days), C at least 1: 6 meetings / 5 = 1.2.
    for day in (-53, -46, -32):
        a_meeting(a, day=day)
    a_meeting(a, day=-25, held_minutes=90)
    a_meeting(a, day=-10, status="cancelled")
    a_meeting(a, day=3, status="scheduled")
    a_meeting(b, day=-80, minutes=30)
    a_meeting(b, day=-60, minutes=30)
    # Training: mentees must do 2 modules, mentors 1: 4 x 2 + 2 x 1 = 10 required;
    # done: mentee 0 both, mentee 1 the first, mentor 0 theirs = 4 (40 %). Not counted: a
    # module not required of the role, a declined applicant's, an outsider's.
    first, second, for_mentors = a_module("One"), a_module("Two"), a_module("Three")
    for module, role in ((first, "mentee"), (second, "mentee"), (for_mentors, "mentor")):
        Requirement.objects.create(program=program, role=role, module=module)
    done = [
        (mentees[0], first),
        (mentees[0], second),
        (mentees[1], first),
        (mentors[0], for_mentors),
        (mentees[0], for_mentors),
        (program.applications.get(status="declined").person, first),
        (UserFactory(), first),
    ]
    for person, module in done:
        Completion.objects.create(
            person=person, module=module, family=module.family, completed_at=at(-40)
        )
    # A low pulse: the mentee of A answered 2 of 5 lately (an old 1 is outside the window).
    a_pulse(a, mentees[0], 2)
    a_pulse(a, mentees[0], 1, day=-80)
    a_pulse(b, mentees[1], 5, day=-40)
    return program, {"a": a, "b": b, "c": c, "mentees": mentees, "mentors": mentors}
