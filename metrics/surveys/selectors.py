"""Reads of surveys: their text in the reader's language, HR's lists and counts, a person's
requests behind their personal link, and what HR learns from the answers.

Text: the model's own fields (`title`, `intro`, `text`, `choices`) hold the text in the
language it was written in and are the fallback; `translations` holds it per language code.
Answers to choice questions store the base choice, so results add up whatever language was
read.

Results: what may be shown of the answers is decided by one rule, `metrics/anonymity.py`
(answers released in batches of five people, breakdowns with complementary suppression);
every function of the results section below goes through it. Nobody else sees answers:
there is no page with one person's answers.

The program-level functions at the end feed the dashboards and the indicators; each runs
a fixed number of queries and returns None when there is no data.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from statistics import mean

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from matching.models import Mentorship
from people.models import Department, Skill
from people.personal_data import ERASED_TEXT
from programs.models import Program

from .. import anonymity
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
# Every figure below is computed over `anonymity.released(...)` answers only: the rule of
# what may be shown lives in metrics/anonymity.py (read its docstring first).

MIN_GROUP = anonymity.MIN_GROUP
PROMOTERS_FROM, DETRACTORS_UP_TO = 9, 6
K = SurveyQuestion.Kind
M = SurveyQuestion.Measures
BREAKDOWNS = ("department", "role", "pair")
GROUP_FIELD = {
    "department": "request__person__department_id",
    "role": "request__role",
    "pair": "request__mentorship_id",
}
ANSWER_FIELDS = (
    "question_id",
    "request__answered_at",
    "created_at",
    "request_id",
    "request__person_id",
    "value",
)


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


def _answered(*conditions, **filters) -> QuerySet[SurveyAnswer]:
    return SurveyAnswer.objects.filter(
        *conditions, request__status=SurveyRequest.Status.ANSWERED, **filters
    )


def _answers(survey: Survey) -> QuerySet[SurveyAnswer]:
    return _answered(question__survey=survey)


def _released_by_question(queryset, *extra: str) -> dict[int, list]:
    """{question id: released answers} of the answers in `queryset`, in one query.

    With `extra` fields, each answer's value is (value, *extra values)."""
    rows = queryset.order_by().values_list(*ANSWER_FIELDS, *extra)
    return anonymity.released_per_set(
        (
            question,
            anonymity.Answer(
                arrived=answered_at or created_at,
                request=request,
                person=person,
                value=(value, *more) if extra else value,
            ),
        )
        for question, answered_at, created_at, request, person, value, *more in rows
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
        ]
        if values
        else [],
        "nps": net_promoter_score(counts) if question.kind == K.RECOMMEND else None,
    }


def _choices(question: SurveyQuestion, values: list) -> dict:
    if not values:
        return {"choices": []}
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


def _growth_items(answers: list) -> list[tuple[anonymity.Answer, dict]]:
    return [
        (answer, item)
        for answer in answers
        for item in (answer.value if isinstance(answer.value, list) else [])
        if isinstance(item, dict) and "after" in item and "before" in item
    ]


def _skills(answers: list, names: dict[int, str]) -> dict:
    """Growth over the released answers; a skill's own row releases its ratings again."""
    items = _growth_items(answers)
    per_skill = anonymity.released_per_set(
        (item.get("skill"), answer._replace(value=item)) for answer, item in items
    )
    skills = [
        {
            "name": names.get(skill, _("The skills worked on")),
            "count": len(rated),
            "before": _round(mean(a.value["before"] for a in rated)),
            "after": _round(mean(a.value["after"] for a in rated)),
        }
        for skill, rated in per_skill.items()
        if rated
    ]
    growth = [item["after"] - item["before"] for _answer, item in items]
    return {
        "growth": _round(mean(growth)) if growth else None,
        "skills": sorted(skills, key=lambda row: row["name"]),
        "hidden_skills": sum(1 for rated in per_skill.values() if not rated),
    }


def survey_results(survey: Survey) -> dict:
    """Counts, and for each question what HR may see of it (in the reader's language)."""
    counts = request_counts(survey)
    questions = list(survey_questions(survey))
    shown = _released_by_question(_answers(survey))
    skill_ids = {
        item.get("skill")
        for question in questions
        if question.kind == K.SKILL_GROWTH
        for _answer, item in _growth_items(shown.get(question.pk, []))
    } - {None}
    names = (
        dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name")) if skill_ids else {}
    )
    results = []
    included: set[int] = set()
    for question in questions:
        answers = shown.get(question.pk, [])
        included.update(a.request for a in answers)
        values = [a.value for a in answers]
        result = {
            "question": question,
            "text": question_text(question),
            "respondents": anonymity.respondents(answers),
        }
        if question.kind in (K.SCALE, K.RECOMMEND):
            result.update(_scale(question, values))
        elif question.kind in (K.SINGLE, K.MULTIPLE):
            result.update(_choices(question, values))
        elif question.kind == K.SKILL_GROWTH:
            result.update(_skills(answers, names))
        else:
            texts = anonymity.released_texts(answers) if answers else None
            # Texts replaced by an erasure or the program's retention rule keep their place
            # in the batches (so nothing shifts) but are not shown.
            result["texts"] = [t for t in texts if t != ERASED_TEXT] if texts else texts
            result["texts_deleted"] = bool(texts) and len(result["texts"]) < len(texts)
        results.append(result)
    return {
        "sent": counts["sent"],
        "answered": counts["answered"],
        "open": counts["open"],
        "included": len(included),
        "waiting": max(0, counts["answered"] - len(included)),
        "response_rate": _percent(counts["answered"], counts["sent"]) if counts["sent"] else None,
        "questions": results,
        "min_group": MIN_GROUP,
    }


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


NO_DEPARTMENT = "-"


def survey_breakdown(survey: Survey, by: str) -> dict:
    """Average of each numeric question per group, as `anonymity.released_breakdown` allows."""
    questions = list(
        survey.questions.filter(kind__in=[K.SCALE, K.RECOMMEND]).order_by("order", "pk")
    )
    answers: dict[int, list] = {q.pk: [] for q in questions}
    rows = (
        _answers(survey)
        .filter(question__in=questions)
        .order_by()
        .values_list(*ANSWER_FIELDS, GROUP_FIELD[by])
    )
    for question, answered_at, created_at, request, person, value, key in rows:
        if key is None and by != "pair":
            # Without a department. (A request without a pair was sent once per person on a
            # fixed date, not about one pair: it stays out of every pair's group.)
            key = NO_DEPARTMENT
        answers[question].append(
            anonymity.Answer(answered_at or created_at, request, person, (value, key))
        )
    groups, hidden = anonymity.released_breakdown(answers, lambda a: a.value[1])
    labels = _group_labels(by, [k for k in groups if k != NO_DEPARTMENT])
    labels[NO_DEPARTMENT] = _("No department")

    def average(items) -> float | None:
        numbers = [a.value[0] for a in items if isinstance(a.value[0], int)]
        return _round(mean(numbers)) if numbers else None

    out = [
        {
            "label": labels.get(key, "—"),
            "respondents": anonymity.respondents(a for items in found.values() for a in items),
            "averages": [average(found.get(q.pk, [])) for q in questions],
        }
        for key, found in groups.items()
    ]
    return {
        "by": by,
        "columns": [question_text(q) for q in questions],
        "rows": sorted(out, key=lambda row: str(row["label"])),
        "hidden": hidden,
        "min_group": MIN_GROUP,
    }


# --- program-level values for the dashboards and the indicators ------------------------
# Each combines the released answers of every question of the program that measures it
# (the answers the surveys' results pages show), in one query.


def _program_values(program, measure: str, kind: str) -> list:
    released = _released_by_question(
        _answered(
            question__survey__program=program, question__measures=measure, question__kind=kind
        )
    )
    return [answer for answers in released.values() for answer in answers]


def distributions(program) -> dict:
    """Released satisfaction (1–5) and recommendation (0–10) answers per score; one query."""
    result = {
        "satisfaction": dict.fromkeys(range(1, 6), 0),
        "recommendation": dict.fromkeys(range(0, 11), 0),
    }
    queryset = _answered(
        Q(question__measures=M.SATISFACTION, question__kind=K.SCALE)
        | Q(question__measures=M.RECOMMENDATION, question__kind=K.RECOMMEND),
        question__survey__program=program,
    )
    people = set()
    for answers in _released_by_question(queryset, "question__measures").values():
        for answer in answers:
            value, measure = answer.value
            people.add(answer.person)
            if value in result[measure]:
                result[measure][value] += 1
    result["respondents"] = len(people)
    return result


def _average(program, measure: str) -> float | None:
    values = [
        a.value for a in _program_values(program, measure, K.SCALE) if isinstance(a.value, int)
    ]
    return _round(mean(values)) if values else None


def average_satisfaction(program) -> float | None:
    """Average of the released satisfaction answers (1–5)."""
    return _average(program, M.SATISFACTION)


def development_impact(program) -> float | None:
    """Average of the released answers on impact on professional development (1–5)."""
    return _average(program, M.IMPACT)


def recommendation_score(program) -> float | None:
    """Net promoter score of the released recommendation answers (−100 to 100)."""
    counts: dict[int, int] = defaultdict(int)
    for answer in _program_values(program, M.RECOMMENDATION, K.RECOMMEND):
        if isinstance(answer.value, int):
            counts[answer.value] += 1
    return net_promoter_score(counts)


def skill_growth(program) -> float | None:
    """Average of (after − before) over every released skill rating, in points of 1–5."""
    growth = [
        item["after"] - item["before"]
        for _answer, item in _growth_items(_program_values(program, M.SKILL_GROWTH, K.SKILL_GROWTH))
    ]
    return _round(mean(growth)) if growth else None


def survey_response_rate(program) -> float | None:
    """% of the survey requests sent in the program that were answered (participation,
    not content: not held back by the anonymity rule)."""
    counts = SurveyRequest.objects.filter(survey__program=program).aggregate(
        total=Count("pk"), answered=Count("pk", filter=Q(status=SurveyRequest.Status.ANSWERED))
    )
    if not counts["total"]:
        return None
    return _round(100 * counts["answered"] / counts["total"])
