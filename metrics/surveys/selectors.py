"""Reads of surveys: their text in the reader's language, HR's lists and counts, a person's
requests behind their personal link, and what HR learns from the answers.

Text: the model's own fields (`title`, `intro`, `text`, `choices`) hold the text in the
language it was written in and are the fallback; `translations` holds it per language code.
Answers to choice questions store the base choice, so results add up whatever language was
read.

Results (confidentiality rules):
- HR sees aggregates (counts, averages, distributions) of a survey or a program;
- free-text answers appear only when at least MIN_GROUP people answered that question,
  in an order unrelated to who wrote them, never with a name;
- a breakdown (by department, role or pair) shows only groups of MIN_GROUP respondents or
  more, and hides one more group when the hidden rest would be a small group itself
  (otherwise it could be worked out from the total);
- nobody else sees answers: there is no page with one person's answers.

The program-level functions at the end feed the dashboards and the indicators; each runs
a fixed number of queries and returns None when there is no data.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from statistics import mean

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from matching.models import Mentorship
from people.models import Department, Skill
from programs.models import Program

from ..models import Survey, SurveyAnswer, SurveyQuestion, SurveyRequest, SurveySchedule

# --- text in the reader's language ----------------------------------------


def languages() -> list[str]:
    """The interface languages, the default one first."""
    codes = [code for code, _name in settings.LANGUAGES]
    default = settings.LANGUAGE_CODE
    return [default, *[c for c in codes if c != default]] if default in codes else codes


def current_language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _part(obj, language: str | None) -> dict:
    return (obj.translations or {}).get(language or current_language()) or {}


def survey_title(survey: Survey, language: str | None = None) -> str:
    return _part(survey, language).get("title") or survey.title


def survey_intro(survey: Survey, language: str | None = None) -> str:
    return _part(survey, language).get("intro") or survey.intro


def question_text(question: SurveyQuestion, language: str | None = None) -> str:
    return _part(question, language).get("text") or question.text


def question_choices(question: SurveyQuestion, language: str | None = None) -> list[tuple]:
    """(stored value, label in the reader's language) for each choice."""
    labels = _part(question, language).get("choices") or []
    if len(labels) != len(question.choices):
        labels = question.choices
    return list(zip(question.choices, labels, strict=True))


def choice_label(question: SurveyQuestion, value: str, language: str | None = None) -> str:
    return dict(question_choices(question, language)).get(value, value)


def schedule_when(schedule: SurveySchedule) -> str:
    """When a schedule sends its survey, in words."""
    days = abs(schedule.offset_days)
    if schedule.anchor == SurveySchedule.Anchor.FIXED:
        return gettext("On %(date)s") % {"date": date_format(schedule.send_on, "DATE_FORMAT")}
    if schedule.anchor == SurveySchedule.Anchor.PAIR_START:
        if schedule.offset_days < 0:
            return ngettext(
                "%(days)d day before each pair starts",
                "%(days)d days before each pair starts",
                days,
            ) % {"days": days}
        if days == 0:
            return gettext("When each pair starts")
        return ngettext(
            "%(days)d day after each pair starts", "%(days)d days after each pair starts", days
        ) % {"days": days}
    if schedule.offset_days < 0:
        return ngettext(
            "%(days)d day before each pair's deadline",
            "%(days)d days before each pair's deadline",
            days,
        ) % {"days": days}
    if days == 0:
        return gettext("On each pair's deadline")
    return ngettext(
        "%(days)d day after each pair's deadline", "%(days)d days after each pair's deadline", days
    ) % {"days": days}


def schedule_audience(schedule: SurveySchedule) -> str:
    parts = [
        label
        for wanted, label in (
            (schedule.to_mentors, gettext("mentors")),
            (schedule.to_mentees, gettext("mentees")),
            (schedule.to_managers, gettext("the mentees' managers")),
        )
        if wanted
    ]
    return ", ".join(parts)


# --- lists, counts and personal links -------------------------------------

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


# --- results: what HR learns from the answers -----------------------------

MIN_GROUP = 5
PROMOTERS_FROM, DETRACTORS_UP_TO = 9, 6
K = SurveyQuestion.Kind
M = SurveyQuestion.Measures
BREAKDOWNS = ("department", "role", "pair")
GROUP_FIELD = {
    "department": "request__person__department_id",
    "role": "request__role",
    "pair": "request__mentorship_id",
}


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def net_promoter_score(scores: dict[int, int]) -> float | None:
    """% of 9–10 minus % of 0–6, from −100 to 100."""
    total = sum(scores.values())
    if not total:
        return None
    promoters = sum(n for score, n in scores.items() if score >= PROMOTERS_FROM)
    detractors = sum(n for score, n in scores.items() if score <= DETRACTORS_UP_TO)
    return _round(100 * (promoters - detractors) / total)


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _answers(survey: Survey) -> QuerySet[SurveyAnswer]:
    return SurveyAnswer.objects.filter(
        question__survey=survey, request__status=SurveyRequest.Status.ANSWERED
    )


def _scale(question: SurveyQuestion, values: list[int]) -> dict:
    low, high = (0, 10) if question.kind == K.RECOMMEND else (1, 5)
    counts = dict.fromkeys(range(low, high + 1), 0)
    for value in values:
        if value in counts:
            counts[value] += 1
    return {
        "average": _round(mean(values)) if values else None,
        "distribution": [
            {"value": score, "count": n, "percent": _percent(n, len(values))}
            for score, n in counts.items()
        ],
        "nps": net_promoter_score(counts) if question.kind == K.RECOMMEND else None,
    }


def _choices(question: SurveyQuestion, values: list) -> dict:
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        for choice in value if isinstance(value, list) else [value]:
            counts[choice] += 1
    return {
        "choices": [
            {
                "label": label,
                "count": counts[stored],
                "percent": _percent(counts[stored], len(values)),
            }
            for stored, label in question_choices(question)
        ]
    }


def _skills(values: list[list[dict]], names: dict[int, str]) -> dict:
    rows: dict[int | None, list[dict]] = defaultdict(list)
    for items in values:
        for item in items:
            rows[item.get("skill")].append(item)
    growth = [item["after"] - item["before"] for items in rows.values() for item in items]
    skills = [
        {
            "name": names.get(skill, _("The skills worked on")),
            "count": len(items),
            "before": _round(mean(i["before"] for i in items)),
            "after": _round(mean(i["after"] for i in items)),
        }
        for skill, items in rows.items()
        if len(items) >= MIN_GROUP
    ]
    return {
        "growth": _round(mean(growth)) if growth else None,
        "skills": sorted(skills, key=lambda row: row["name"]),
        "hidden_skills": sum(1 for items in rows.values() if len(items) < MIN_GROUP),
    }


def survey_results(survey: Survey) -> dict:
    """Counts, and for each question what HR may see of it (in the reader's language)."""
    counts = request_counts(survey)
    questions = list(survey_questions(survey))
    by_question: dict[int, list] = defaultdict(list)
    people: dict[int, set[int]] = defaultdict(set)
    for question_id, value, person_id in _answers(survey).values_list(
        "question_id", "value", "request__person_id"
    ):
        by_question[question_id].append(value)
        people[question_id].add(person_id)
    skill_ids = {
        item.get("skill")
        for question in questions
        if question.kind == K.SKILL_GROWTH
        for items in by_question[question.pk]
        for item in items
    } - {None}
    names = (
        dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name")) if skill_ids else {}
    )
    results = []
    for question in questions:
        values = by_question[question.pk]
        result = {
            "question": question,
            "text": question_text(question),
            "respondents": len(people[question.pk]),
        }
        if question.kind in (K.SCALE, K.RECOMMEND):
            result.update(_scale(question, values))
        elif question.kind in (K.SINGLE, K.MULTIPLE):
            result.update(_choices(question, values))
        elif question.kind == K.SKILL_GROWTH:
            result.update(_skills(values, names))
        else:
            shown = len(people[question.pk]) >= MIN_GROUP
            # Sorted, not in the order given: the order could tell who wrote what.
            result["texts"] = sorted(values, key=str.casefold) if shown else None
        results.append(result)
    return {
        "sent": counts["sent"],
        "answered": counts["answered"],
        "open": counts["open"],
        "response_rate": _percent(counts["answered"], counts["sent"]) if counts["sent"] else None,
        "questions": results,
        "min_group": MIN_GROUP,
    }


def _suppress(groups: dict) -> tuple[list, int]:
    """The groups that may be shown, and how many respondents stay hidden."""
    shown = sorted((k for k, people in groups.items() if len(people) >= MIN_GROUP), key=str)
    total = set().union(*groups.values()) if groups else set()

    def hidden() -> int:
        return len(total - set().union(*(groups[k] for k in shown))) if shown else len(total)

    # A hidden rest of 1 to 4 people equals the total minus the shown groups: hide more.
    while shown and 0 < hidden() < MIN_GROUP:
        shown.remove(min(shown, key=lambda k: len(groups[k])))
    return shown, hidden()


def _group_labels(by: str, keys: list) -> dict:
    if by == "department":
        names = dict(Department.objects.filter(pk__in=keys).values_list("pk", "name"))
        return {k: names.get(k, _("No department")) for k in keys}
    if by == "role":
        return {k: SurveyRequest.Role(k).label for k in keys}
    pairs = Mentorship.objects.filter(pk__in=keys).select_related("mentor", "mentee")
    return {
        pair.pk: f"{pair.mentor.get_full_name()} ↔ {pair.mentee.get_full_name()}" for pair in pairs
    }


def survey_breakdown(survey: Survey, by: str) -> dict:
    """Average of each numeric question per group, for groups of MIN_GROUP or more."""
    questions = list(
        survey.questions.filter(kind__in=[K.SCALE, K.RECOMMEND]).order_by("order", "pk")
    )
    groups: dict = defaultdict(set)
    values: dict = defaultdict(list)
    for key, person_id, question_id, value in _answers(survey).values_list(
        GROUP_FIELD[by], "request__person_id", "question_id", "value"
    ):
        if key is None and by == "pair":
            continue  # asked once per person (a fixed date), not about one pair
        groups[key].add(person_id)
        if isinstance(value, int):
            values[(key, question_id)].append(value)
    shown, hidden = _suppress(groups)
    labels = _group_labels(by, shown)
    rows = [
        {
            "label": labels.get(key, "—"),
            "respondents": len(groups[key]),
            "averages": [
                _round(mean(values[(key, q.pk)])) if values[(key, q.pk)] else None
                for q in questions
            ],
        }
        for key in shown
    ]
    return {
        "by": by,
        "columns": [question_text(q) for q in questions],
        "rows": sorted(rows, key=lambda row: str(row["label"])),
        "hidden": hidden,
        "min_group": MIN_GROUP,
    }


# --- program-level values for the dashboards and the indicators ------------------------


def _program_answers(program, measure: str, kind: str) -> QuerySet[SurveyAnswer]:
    return SurveyAnswer.objects.filter(
        question__survey__program=program,
        question__measures=measure,
        question__kind=kind,
        request__status=SurveyRequest.Status.ANSWERED,
    )


def distributions(program) -> dict:
    """Satisfaction (1–5) and recommendation (0–10) answers per score; two queries."""
    satisfaction = _program_answers(program, M.SATISFACTION, K.SCALE)
    recommendation = _program_answers(program, M.RECOMMENDATION, K.RECOMMEND)
    result = {
        "satisfaction": dict.fromkeys(range(1, 6), 0),
        "recommendation": dict.fromkeys(range(0, 11), 0),
    }
    rows = (
        (satisfaction | recommendation)
        .annotate(score=Cast("value", IntegerField()))
        .values("question__measures", "score")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        bucket = result[row["question__measures"]]
        if row["score"] in bucket:
            bucket[row["score"]] += row["n"]
    result["respondents"] = (satisfaction | recommendation).aggregate(
        n=Count("request__person", distinct=True)
    )["n"]
    return result


def _average(program, measure: str) -> float | None:
    return _round(
        _program_answers(program, measure, K.SCALE).aggregate(
            average=Avg(Cast("value", FloatField()))
        )["average"]
    )


def average_satisfaction(program) -> float | None:
    """Average of the satisfaction answers (1–5)."""
    return _average(program, M.SATISFACTION)


def development_impact(program) -> float | None:
    """Average of the answers on impact on professional development (1–5)."""
    return _average(program, M.IMPACT)


def recommendation_score(program) -> float | None:
    """Net promoter score of the recommendation answers (−100 to 100)."""
    counts = (
        _program_answers(program, M.RECOMMENDATION, K.RECOMMEND)
        .annotate(score=Cast("value", IntegerField()))
        .aggregate(
            total=Count("pk"),
            promoters=Count("pk", filter=Q(score__gte=PROMOTERS_FROM)),
            detractors=Count("pk", filter=Q(score__lte=DETRACTORS_UP_TO)),
        )
    )
    if not counts["total"]:
        return None
    return _round(100 * (counts["promoters"] - counts["detractors"]) / counts["total"])


def skill_growth(program) -> float | None:
    """Average of (after − before) over every skill rated, in points of the 1–5 scale."""
    growth = [
        item["after"] - item["before"]
        for items in _program_answers(program, M.SKILL_GROWTH, K.SKILL_GROWTH).values_list(
            "value", flat=True
        )
        for item in items
        if isinstance(item, dict) and "after" in item and "before" in item
    ]
    return _round(mean(growth)) if growth else None


def survey_response_rate(program) -> float | None:
    """% of the survey requests sent in the program that were answered."""
    counts = SurveyRequest.objects.filter(survey__program=program).aggregate(
        total=Count("pk"), answered=Count("pk", filter=Q(status=SurveyRequest.Status.ANSWERED))
    )
    if not counts["total"]:
        return None
    return _round(100 * counts["answered"] / counts["total"])
