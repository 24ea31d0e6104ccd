"""Shared fixtures and helpers of the survey tests: a running program, a pair, a survey from
a template, a request, and answers to the final survey."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from metrics.models import Survey, SurveyRequest
from metrics.surveys import services as survey_services
from metrics.surveys.services import survey_answer
from tests.goals.conftest import active_pair, running_program


@pytest.fixture
def program(db):
    return running_program()


@pytest.fixture
def pair(program, mentor, mentee):
    return active_pair(program, mentor, mentee)


def a_survey(program, kind="final", *, active=True, **schedule) -> Survey:
    survey = survey_services.survey_from_template(program=program, kind=kind, by=program.created_by)
    if schedule:
        survey.schedules.update(**schedule)
    if active:
        survey_services.survey_set_status(survey=survey, to="active", by=program.created_by)
    survey.refresh_from_db()
    return survey


def asked(survey, person, pair=None, *, role="mentee", occurrence=None) -> SurveyRequest:
    return SurveyRequest.objects.create(
        survey=survey,
        person=person,
        mentorship=pair,
        role=role,
        occurrence=occurrence or f"test:{person.pk}",
        closes_at=timezone.now() + timedelta(days=10),
    )


def answers_for(survey, *, satisfaction=4, recommend=9, impact=4, text="", skills=None):
    """Answers to the final template's questions, by question id."""
    by_kind = {}
    for question in survey.questions.all():
        if question.measures == "satisfaction":
            by_kind[question.pk] = satisfaction
        elif question.measures == "recommendation":
            by_kind[question.pk] = recommend
        elif question.measures == "impact":
            by_kind[question.pk] = impact
        elif question.kind == "skill_growth":
            by_kind[question.pk] = skills or [{"skill": None, "before": 2, "after": 4}]
        elif question.kind == "text" and question.measures == "":
            by_kind[question.pk] = text
    return by_kind


def respond(survey, person, pair=None, **values) -> SurveyRequest:
    request = asked(survey, person, pair)
    return survey_answer(request=request, by=person, answers=answers_for(survey, **values))
