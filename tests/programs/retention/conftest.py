"""A closed program where people wrote something everywhere: every text meant to go says
SECRET, every text meant to stay says KEPT."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import serializers
from django.utils import timezone

from goals.agreements.services import agreement_for
from goals.models import ClosingReview, Extension, GoalChange, Meeting, PrivateNote
from matching.models import MatchRequest
from metrics.models import (
    Feedback,
    SuccessStory,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyRequest,
)
from programs.definition.services import program_transition
from programs.models import Appeal, Application, Question, Recommendation
from tests.factories import UserFactory
from tests.goals.conftest import a_goal, a_meeting, a_step, active_pair, running_program

STAGE_APPS = ("programs", "matching", "training", "goals", "metrics")


def stored_text() -> str:
    """Every row of every stage app, serialised: where a SECRET would still show."""
    from django.apps import apps

    chunks = []
    for label in STAGE_APPS:
        for model in apps.get_app_config(label).get_models():
            chunks.append(serializers.serialize("json", model.objects.all()))
    return "".join(chunks)


def _survey(program, pair, people) -> Survey:
    survey = Survey.objects.create(
        program=program,
        kind="program",
        title="Closing",
        status="active",
        created_by=program.created_by,
    )
    text = SurveyQuestion.objects.create(survey=survey, kind="text", text="What changed?", order=1)
    scale = SurveyQuestion.objects.create(
        survey=survey, kind="scale", text="How useful?", order=2, measures="satisfaction"
    )
    for n, person in enumerate(people):
        request = SurveyRequest.objects.create(
            survey=survey,
            person=person,
            mentorship=pair if n < 2 else None,
            role="mentee" if person.pk == pair.mentee_id else "mentor",
            occurrence=f"closing-{n}",
            status="answered",
            closes_at=timezone.now() + timedelta(days=7),
            answered_at=timezone.now(),
        )
        SurveyAnswer.objects.create(request=request, question=text, value=f"SECRET-SURVEY-{n}")
        SurveyAnswer.objects.create(request=request, question=scale, value=4)
    return survey


@pytest.fixture
def world(hr_admin, mentor, mentee):
    return closed_world(hr_admin, mentor, mentee)


def closed_world(hr_admin, mentor, mentee) -> dict:
    program = running_program(name="Mentoring 2026")
    pair = active_pair(program, mentor, mentee)
    text_question = Question.objects.filter(program=program, role="mentee", kind="text").first()
    if text_question is None:
        text_question = Question.objects.create(
            program=program, role="mentee", text="Anything else?", kind="text", required=False
        )
    choice = Question.objects.filter(program=program, role="mentee", kind="single").first()
    answers = {str(text_question.code): "SECRET-ANSWER"}
    if choice is not None:
        answers[str(choice.code)] = choice.choices[0]
    Application.objects.filter(person=mentee).update(
        answers=answers,
        motivation="SECRET-MOTIVATION",
        decision_reason="SECRET-DECISION",
        manager_comment="SECRET-MANAGER",
    )
    Appeal.objects.create(
        program=program, person=mentor, by=hr_admin, role="mentor", message="SECRET-APPEAL"
    )
    Recommendation.objects.create(
        program=program,
        person=mentee,
        by=mentee.manager,
        role="mentee",
        message="SECRET-RECOMMENDATION",
    )
    MatchRequest.objects.create(
        program=program,
        mentee=mentee,
        mentor=mentor,
        rank=1,
        message="SECRET-REQUEST",
        reply_reason="SECRET-REPLY",
        status="accepted",
        mentorship=pair,
    )
    type(pair).objects.filter(pk=pair.pk).update(
        mentor_comment="SECRET-MENTOR-COMMENT", override_reason="SECRET-OVERRIDE"
    )
    agreement = agreement_for(pair)
    type(agreement).objects.filter(pk=agreement.pk).update(
        ground_rules="SECRET-RULES", confidentiality="SECRET-CONFIDENTIALITY"
    )
    goal = a_goal(
        pair, title="SECRET-GOAL", description="SECRET-GOAL-DETAILS", measure="SECRET-MEASURE"
    )
    a_step(goal, title="SECRET-STEP")
    GoalChange.objects.create(
        goal=goal,
        by=mentor,
        action="edited",
        details=[
            {"field": "title", "before": "SECRET-OLD-GOAL", "after": "SECRET-GOAL"},
            {"field": "status", "before": "not_started", "after": "in_progress"},
        ],
    )
    meeting = a_meeting(pair, agenda="SECRET-AGENDA")
    Meeting.objects.filter(pk=meeting.pk).update(shared_notes="SECRET-SHARED-NOTES")
    PrivateNote.objects.create(meeting=meeting, author=mentee, text="SECRET-PRIVATE")
    ClosingReview.objects.create(
        mentorship=pair, author=mentee, role="mentee", reflection="SECRET-REFLECTION"
    )
    Extension.objects.create(
        mentorship=pair,
        requested_by=mentee,
        reason="SECRET-EXTENSION",
        new_deadline=pair.deadline + timedelta(days=10),
        status="declined",
        decided_by=hr_admin,
        decision_comment="SECRET-EXTENSION-NO",
    )
    Feedback.objects.create(
        program=program,
        author=mentee,
        text="SECRET-FEEDBACK",
        status="done",
        improvement="KEPT-IMPROVEMENT",
    )
    SuccessStory.objects.create(
        program=program,
        mentorship=pair,
        author=mentee,
        title="SECRET-DRAFT-STORY",
        worked_on="SECRET-DRAFT-WORKED",
        what_changed="SECRET-DRAFT-CHANGED",
        quote="SECRET-QUOTE",
    )
    now = timezone.now()
    SuccessStory.objects.create(
        program=program,
        mentorship=pair,
        author=mentor,
        title="KEPT-STORY",
        worked_on="KEPT-WORKED",
        what_changed="KEPT-CHANGED",
        status="published",
        mentor_consent_at=now,
        mentee_consent_at=now,
        published_at=now,
        published_by=hr_admin,
    )
    others = [UserFactory() for _ in range(3)]
    survey = _survey(program, pair, [mentee, mentor, *others])
    program_transition(program=program, to="closed", by=hr_admin, confirmed=True)
    program.refresh_from_db()
    pair.refresh_from_db()
    return {
        "answers": answers,
        "program": program,
        "pair": pair,
        "goal": goal,
        "meeting": meeting,
        "survey": survey,
    }
