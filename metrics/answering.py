"""A person answers a survey they were asked, through their personal link, once."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from people.models import Skill

from .models import SurveyAnswer, SurveyQuestion, SurveyRequest

K = SurveyQuestion.Kind
TEXT_MAX = 3000
MAX_SKILLS = 8
SCALES = {K.SCALE: (1, 5), K.RECOMMEND: (0, 10)}


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


def _number(value, low: int, high: int):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or not low <= number <= high:
        raise ValidationError(
            _("Choose a value from %(low)d to %(high)d.") % {"low": low, "high": high}
        )
    return number


def clean_answer(question: SurveyQuestion, value, skill_ids: list[int | None]):
    """The stored form of one answer, or None when left empty; ValidationError if invalid."""
    empty = value in (None, "", [], {})
    if empty:
        if question.required:
            raise ValidationError(_("This question needs an answer."))
        return None
    if question.kind in SCALES:
        return _number(value, *SCALES[question.kind])
    if question.kind == K.SINGLE:
        if value not in question.choices:
            raise ValidationError(_("Choose one of the options."))
        return value
    if question.kind == K.MULTIPLE:
        if not isinstance(value, list) or any(v not in question.choices for v in value):
            raise ValidationError(_("Choose among the options shown."))
        return [c for c in question.choices if c in value]
    if question.kind == K.TEXT:
        text = str(value).strip()
        if len(text) > TEXT_MAX:
            raise ValidationError(
                _("Keep your answer under %(limit)d characters.") % {"limit": TEXT_MAX}
            )
        if not text and question.required:
            raise ValidationError(_("This question needs an answer."))
        return text or None
    # Skill growth: one before / after pair for each skill worked on.
    rows = {row.get("skill"): row for row in value if isinstance(row, dict)}
    if set(rows) != set(skill_ids):
        raise ValidationError(_("Rate every skill, before and now."))
    return [
        {
            "skill": skill,
            "before": _number(rows[skill].get("before"), 1, 5),
            "after": _number(rows[skill].get("after"), 1, 5),
        }
        for skill in skill_ids
    ]


def _closed_error(request: SurveyRequest) -> ValidationError:
    if request.status == SurveyRequest.Status.ANSWERED:
        return ValidationError(_("You have already answered this survey. Thank you!"))
    return ValidationError(
        _("This survey closed on %(date)s, so it can no longer be answered.")
        % {"date": date_format(timezone.localtime(request.closes_at), "DATE_FORMAT")}
    )


@transaction.atomic
def survey_answer(*, request: SurveyRequest, by, answers: dict[int, object]) -> SurveyRequest:
    """Record the answers (question id → value) of `by` to their request, once."""
    if by.pk != request.person_id:
        raise ValidationError(_("Only the person this survey was sent to can answer it."))
    questions = list(request.survey.questions.order_by("order", "pk"))
    skill_ids = [skill.pk for skill in skills_worked_on(request)] or [None]
    cleaned, problems = {}, {}
    for question in questions:
        try:
            value = clean_answer(question, answers.get(question.pk), skill_ids)
        except ValidationError as exc:
            problems[f"q_{question.pk}"] = exc.messages
            continue
        if value is not None:
            cleaned[question.pk] = value
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    # The conditional UPDATE is the send-once of answers: of two tabs (or a reused link)
    # submitting at once, only the one that moves the request out of "open" records them.
    claimed = SurveyRequest.objects.filter(
        pk=request.pk, status=SurveyRequest.Status.OPEN, closes_at__gt=now
    ).update(status=SurveyRequest.Status.ANSWERED, answered_at=now, updated_at=now)
    if not claimed:
        request.refresh_from_db()
        raise _closed_error(request)
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(request=request, question_id=pk, value=value) for pk, value in cleaned.items()
    )
    request.status, request.answered_at = SurveyRequest.Status.ANSWERED, now
    return request


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
