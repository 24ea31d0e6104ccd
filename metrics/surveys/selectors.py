"""Reads of surveys: HR's lists and counts, and a person's requests behind their personal link."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from people.models import Skill
from programs.models import Program

from ..models import Survey, SurveyAnswer, SurveyQuestion, SurveyRequest, SurveySchedule

MAX_SKILLS = 8


def get_survey_for_hr(code) -> Survey:
    """Any survey, for HR views (the view itself is wrapped in `hr_required`)."""
    return get_object_or_404(Survey.objects.select_related("program", "created_by"), code=code)


def _count(model, field: str, **filters) -> Subquery:
    """A count per survey as a subquery: two joined counts in one query would inflate."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def surveys_for_program(program: Program) -> QuerySet[Survey]:
    return program.surveys.annotate(
        question_count=_count(SurveyQuestion, "survey"),
        schedule_count=_count(SurveySchedule, "survey"),
        sent_count=_count(SurveyRequest, "survey"),
        answered_count=_count(SurveyRequest, "survey", status=SurveyRequest.Status.ANSWERED),
    ).order_by("-created_at")


def survey_questions(survey: Survey) -> QuerySet[SurveyQuestion]:
    """A survey's questions in the order they are asked."""
    return survey.questions.order_by("order", "pk")


def survey_has_answers(survey: Survey) -> bool:
    return SurveyAnswer.objects.filter(question__survey=survey).exists()


def request_counts(survey: Survey) -> dict[str, int]:
    return SurveyRequest.objects.filter(survey=survey).aggregate(
        sent=Count("pk"),
        answered=Count("pk", filter=Q(status=SurveyRequest.Status.ANSWERED)),
        open=Count("pk", filter=Q(status=SurveyRequest.Status.OPEN)),
    )


# --- a person's requests --------------------------------------------------------------------


def answer_url(request: SurveyRequest) -> str:
    return reverse("metrics:answer", args=[request.token])


def get_request_for_person(user, token: str) -> SurveyRequest:
    """The request behind a personal link, for the person it was sent to; 404 for anyone else
    (a forged link and someone else's link look the same)."""
    request = (
        SurveyRequest.objects.filter(token=token, person_id=user.pk)
        .select_related("survey__program", "mentorship__mentor", "mentorship__mentee", "person")
        .first()
    )
    if request is None:
        raise Http404
    return request


def request_state(request: SurveyRequest, now=None) -> str:
    """ "open", "answered" or "closed" (past its deadline even if not yet marked so)."""
    if request.status == SurveyRequest.Status.ANSWERED:
        return "answered"
    if request.status == SurveyRequest.Status.CLOSED or request.closes_at <= (
        now or timezone.now()
    ):
        return "closed"
    return "open"


def last_open_day(request: SurveyRequest):
    """The last day a request can be answered (it closes at `closes_at`, often midnight)."""
    return timezone.localtime(request.closes_at - timedelta(microseconds=1)).date()


def skills_worked_on(request: SurveyRequest) -> list[Skill]:
    """The skills of the pair's goals: what a before / after rating is about."""
    if request.mentorship_id is None:
        return []
    return list(
        Skill.objects.filter(goals__mentorship_id=request.mentorship_id)
        .distinct()
        .order_by("name")[:MAX_SKILLS]
    )


def requests_for_person(user):
    """The surveys a person was asked to answer, the open ones first."""
    return (
        SurveyRequest.objects.filter(person_id=user.pk)
        .select_related("survey__program")
        .annotate(
            waiting=Case(When(status=SurveyRequest.Status.OPEN, then=Value(0)), default=Value(1))
        )
        .order_by("waiting", "-created_at", "-pk")
    )
