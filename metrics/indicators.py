"""Indicators computed from the data, one function per code of programs/indicators.py.

`compute_all(program)` gives every code's value (None where there is no data yet, never a
division by zero). The values come from a `Facts` object that reads a set of programs in a
fixed number of queries whatever their size: counts and sums run in the database, grouped
by program or by pair, each query counting one related table only, so two multi-valued
relations never multiply each other's rows.

Definitions (HR reads them on the dashboard; the tests compute them by hand):
- a pair *counts* once it has started: active, completed or ended early;
- its start is `starts_on` (else the day it was activated); its end is the day it ended,
  else today; a month is 30 days and a started pair counts at least one month;
- meetings and hours are the meetings marked as held (their logged length, else the planned);
- rates are percentages; goals dropped by the pair are left out of goal attainment;
- days to match: from the mentee's approval to their first pair starting, the median;
- agreement and goals within 14 days: both signatures and one agreed goal by the 14th day
  after the start, among pairs whose 14 days are over (or that already made it);
- the survey measures come from `metrics.surveys.selectors`, computed over the answers the
  anonymity rule releases (metrics/anonymity.py), imported here by name: every indicator,
  the survey ones too, is registered in this module. Snapshots, dashboards, exports and
  `program_report` all read them through `survey_measure`, so none sees an unreleased answer;
- pairs at risk read behaviour only (meetings, overdue steps, signatures), never answers.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import cached_property

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from goals.models import ActionStep, Goal, Meeting
from matching.models import Mentorship
from programs.indicators import INDICATORS
from programs.models import Application, Program, Role
from training.models import Completion, Requirement

from .surveys import selectors as survey_results

STARTED = (
    Mentorship.Status.ACTIVE,
    Mentorship.Status.COMPLETED,
    Mentorship.Status.ENDED_EARLY,
)
DAYS_PER_MONTH = 30
AGREEMENT_WINDOW_DAYS = 14
# A pair is at risk after 1.5 times its agreed meeting cadence without a meeting held.
GAP_FACTOR = 1.5

# Lower values are better for these codes (the objective's status reads them the other way).
LOWER_IS_BETTER = frozenset({"median_days_to_match"})
# These add up over time: before the target date, an objective expects its share of the target.
CUMULATIVE = frozenset(
    {"mentoring_hours", "action_steps_completed", "training_modules_completed", "pairs_formed"}
)

SURVEY_MEASURES = {
    "survey_response_rate": "survey_response_rate",
    "average_satisfaction": "average_satisfaction",
    "recommendation_score": "recommendation_score",
    "skill_growth": "skill_growth",
    "development_impact": "development_impact",
}

Compute = Callable[["Facts", Program], "float | None"]
_registry: dict[str, Compute] = {}


def indicator(code: str) -> Callable[[Compute], Compute]:
    """Register the function that computes `code` (one of programs/indicators.py)."""
    if code not in INDICATORS:
        raise KeyError(f"Unknown indicator {code!r}: add it to programs/indicators.py first.")

    def decorator(func: Compute) -> Compute:
        _registry[code] = func
        return func

    return decorator


def registered() -> dict[str, Compute]:
    return dict(_registry)


def kind_of(code: str) -> str:
    return INDICATORS[code].kind


def percent(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def survey_measure(name: str, program: Program):
    """One of the survey measures of `metrics.surveys.selectors` (None without data)."""
    func = getattr(survey_results, name, None)
    return func(program) if func is not None else None


def _day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def count_per_row(queryset, field: str):
    """A correlated COUNT(...) for annotating rows (few of them: a person's pairs)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(field).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _prefixed(prefix: str, lookups: dict) -> dict:
    return {f"{prefix}__{key}": value for key, value in lookups.items()}


def _by_pair(rows) -> dict[int, dict]:
    """{mentorship id: row} of a query grouped by "mentorship"."""
    return {row["mentorship"]: row for row in rows.order_by()}


class Facts:
    """What the indicators and the pairs at risk read, for one or more programs.

    Each property runs one query for all the programs (grouped by program in the
    database) the first time it is read; `now` fixes the clock for every measure.
    """

    def __init__(self, programs: Iterable[Program], *, now: datetime | None = None):
        self.programs = {program.pk: program for program in programs}
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self._surveys: dict[tuple[str, int], object] = {}

    @cached_property
    def pairs(self) -> dict[int, list[Mentorship]]:
        """Every started pair, with what it contributes.

        One query for the pairs (their agreement is one-to-one, so joining it adds no rows),
        then one grouped query per related table: each counts one table only, so no count
        is multiplied by another relation's rows.
        """
        rows = list(
            Mentorship.objects.filter(program__in=self.programs, status__in=STARTED)
            .select_related("mentor", "mentee")
            .annotate(
                signed_at=F("agreement__first_signed_at"),
                cadence=F("agreement__cadence_days"),
                mentor_signed=F("agreement__mentor_signed_at"),
                mentee_signed=F("agreement__mentee_signed_at"),
            )
            .order_by("pk")
        )
        in_pairs = {"program__in": self.programs, "status__in": STARTED}
        meetings = _by_pair(
            Meeting.objects.filter(status=Meeting.Status.HELD, **_prefixed("mentorship", in_pairs))
            .values("mentorship")
            .annotate(
                held=Count("pk"),
                minutes=Sum(Coalesce("held_minutes", "duration_minutes")),
                last_held=Max("starts_at"),
            )
        )
        first_agreed = _by_pair(
            Goal.objects.open()
            .filter(agreed_at__isnull=False, **_prefixed("mentorship", in_pairs))
            .values("mentorship")
            .annotate(first_agreed_goal=Min("agreed_at"))
        )
        overdue = _by_pair(
            ActionStep.objects.pending()
            .filter(due_on__lt=self.today, **_prefixed("goal__mentorship", in_pairs))
            .exclude(goal__status__in=[Goal.Status.DROPPED, Goal.Status.ACHIEVED])
            .values(mentorship=F("goal__mentorship"))
            .annotate(overdue_steps=Count("pk"))
        )
        approved = {
            (program_id, person_id): moment
            for program_id, person_id, moment in Application.objects.enrolled()
            .filter(program__in=self.programs, role=Role.MENTEE)
            .values_list("program", "person", Coalesce("reviewed_at", "created_at"))
        }
        grouped: dict[int, list[Mentorship]] = {pk: [] for pk in self.programs}
        for pair in rows:
            pair.program = self.programs[pair.program_id]
            pair.start = pair.starts_on or _day(pair.activated_at) or _day(pair.created_at)
            found = meetings.get(pair.pk, {})
            pair.held = found.get("held", 0)
            pair.minutes = found.get("minutes") or 0
            pair.last_held = found.get("last_held")
            pair.first_agreed_goal = first_agreed.get(pair.pk, {}).get("first_agreed_goal")
            pair.overdue_steps = overdue.get(pair.pk, {}).get("overdue_steps", 0)
            pair.fully_signed = pair.mentor_signed is not None and pair.mentee_signed is not None
            pair.approved_at = approved.get((pair.program_id, pair.mentee_id))
            grouped[pair.program_id].append(pair)
        return grouped

    @cached_property
    def applications(self) -> dict[int, Counter]:
        """{program id: Counter({(role, status): n})}."""
        counts: dict[int, Counter] = {pk: Counter() for pk in self.programs}
        rows = (
            Application.objects.filter(program__in=self.programs)
            .values("program", "role", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row["program"]][(row["role"], row["status"])] = row["n"]
        return counts

    def enrolled(self, program: Program, role: str) -> int:
        return self.applications[program.pk][(role, Application.Status.APPROVED)]

    @cached_property
    def requirements(self) -> dict[int, Counter]:
        """{program id: Counter({role: modules required})}."""
        counts: dict[int, Counter] = {pk: Counter() for pk in self.programs}
        rows = (
            Requirement.objects.filter(program__in=self.programs)
            .values("program", "role")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row["program"]][row["role"]] = row["n"]
        return counts

    @cached_property
    def completions(self) -> dict[int, int]:
        """Required modules completed by the people enrolled, per program."""
        required = Requirement.objects.filter(
            program=OuterRef("enrolled_in"),
            role=OuterRef("enrolled_as"),
            module__family=OuterRef("family"),
        )
        # One approved application per person and program, so the join adds no rows.
        rows = (
            Completion.objects.filter(
                person__applications__program__in=self.programs,
                person__applications__status=Application.Status.APPROVED,
            )
            .annotate(
                enrolled_in=F("person__applications__program"),
                enrolled_as=F("person__applications__role"),
            )
            .filter(Exists(required))
            .values("enrolled_in")
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts = dict.fromkeys(self.programs, 0)
        for row in rows:
            counts[row["enrolled_in"]] = row["n"]
        return counts

    @cached_property
    def goals(self) -> dict[int, dict[str, int]]:
        counts = {pk: {"total": 0, "achieved": 0} for pk in self.programs}
        rows = (
            Goal.objects.open()
            .filter(mentorship__program__in=self.programs, mentorship__status__in=STARTED)
            .values("mentorship__program")
            .annotate(
                total=Count("pk"), achieved=Count("pk", filter=Q(status=Goal.Status.ACHIEVED))
            )
            .order_by()
        )
        for row in rows:
            counts[row["mentorship__program"]] = {
                "total": row["total"],
                "achieved": row["achieved"],
            }
        return counts

    @cached_property
    def steps_done(self) -> dict[int, int]:
        counts = dict.fromkeys(self.programs, 0)
        rows = (
            ActionStep.objects.filter(
                status=ActionStep.Status.DONE,
                goal__mentorship__program__in=self.programs,
                goal__mentorship__status__in=STARTED,
            )
            .values("goal__mentorship__program")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row["goal__mentorship__program"]] = row["n"]
        return counts

    def survey(self, name: str, program: Program):
        key = (name, program.pk)
        if key not in self._surveys:
            self._surveys[key] = survey_measure(name, program)
        return self._surveys[key]

    # --- per pair ---------------------------------------------------------------------

    def months(self, pair: Mentorship) -> float:
        """How long the pair has been running, in months (at least one once started)."""
        if pair.start > self.today:
            return 0.0
        end = _day(pair.ended_at) if pair.ended_at else self.today
        return max(DAYS_PER_MONTH, (min(end, self.today) - pair.start).days) / DAYS_PER_MONTH

    def cadence(self, pair: Mentorship) -> int:
        return pair.cadence or pair.program.meeting_every_days

    def days_without_meeting(self, pair: Mentorship) -> int:
        since = _day(pair.last_held) if pair.last_held else pair.start
        return max(0, (self.today - since).days)

    def agreement_and_goals_in_time(self, pair: Mentorship) -> bool:
        window_end = pair.start + timedelta(days=AGREEMENT_WINDOW_DAYS)
        signed = pair.signed_at is not None and _day(pair.signed_at) <= window_end
        goals = pair.first_agreed_goal is not None and _day(pair.first_agreed_goal) <= window_end
        return signed and goals

    def risks(self, pair: Mentorship) -> list[dict]:
        """Why an active pair needs attention: [{"code", "count"?, "days"?, ...}].

        Only what the pair does (meetings held against its cadence, overdue action steps, the
        agreement's signatures), never survey answers: one pair's answers come from one or
        two people, so a flag built on them would show HR what they answered
        (metrics/anonymity.py)."""
        if pair.status != Mentorship.Status.ACTIVE or pair.start > self.today:
            return []
        reasons = []
        days, cadence = self.days_without_meeting(pair), self.cadence(pair)
        if days >= GAP_FACTOR * cadence:
            reasons.append({"code": "no_meeting", "days": days, "cadence": cadence})
        if pair.overdue_steps:
            reasons.append({"code": "overdue_steps", "count": pair.overdue_steps})
        started_days = (self.today - pair.start).days
        if not pair.fully_signed and started_days > AGREEMENT_WINDOW_DAYS:
            reasons.append({"code": "unsigned", "days": started_days})
        return reasons


# --- the indicators -------------------------------------------------------------------


def _started(facts: Facts, program: Program) -> list[Mentorship]:
    return facts.pairs[program.pk]


@indicator("meetings_per_pair_month")
def meetings_per_pair_month(facts: Facts, program: Program) -> float | None:
    pairs = [p for p in _started(facts, program) if p.start <= facts.today]
    months = sum(facts.months(p) for p in pairs)
    if not months:
        return None
    return round(sum(p.held for p in pairs) / months, 2)


@indicator("mentoring_hours")
def mentoring_hours(facts: Facts, program: Program) -> float | None:
    return round(sum(p.minutes for p in _started(facts, program)) / 60, 2)


@indicator("action_steps_completed")
def action_steps_completed(facts: Facts, program: Program) -> float | None:
    return facts.steps_done[program.pk]


@indicator("training_modules_completed")
def training_modules_completed(facts: Facts, program: Program) -> float | None:
    return facts.completions[program.pk]


@indicator("application_approval_rate")
def application_approval_rate(facts: Facts, program: Program) -> float | None:
    counts = facts.applications[program.pk]
    approved = sum(n for (_role, status), n in counts.items() if status == "approved")
    return percent(approved, sum(counts.values()))


@indicator("mentees_matched_share")
def mentees_matched_share(facts: Facts, program: Program) -> float | None:
    matched = {p.mentee_id for p in _started(facts, program) if p.approved_at is not None}
    return percent(len(matched), facts.enrolled(program, Role.MENTEE))


@indicator("median_days_to_match")
def median_days_to_match(facts: Facts, program: Program) -> float | None:
    first_start: dict[int, tuple[datetime, datetime]] = {}
    for pair in _started(facts, program):
        if pair.approved_at is None:
            continue
        matched_at = pair.activated_at or pair.created_at
        known = first_start.get(pair.mentee_id)
        if known is None or matched_at < known[0]:
            first_start[pair.mentee_id] = (matched_at, pair.approved_at)
    days = [max(0, (_day(m) - _day(a)).days) for m, a in first_start.values()]
    return round(float(statistics.median(days)), 1) if days else None


@indicator("pairs_with_agreement_and_goals")
def pairs_with_agreement_and_goals(facts: Facts, program: Program) -> float | None:
    done = due = 0
    for pair in _started(facts, program):
        in_time = facts.agreement_and_goals_in_time(pair)
        window_over = (facts.today - pair.start).days >= AGREEMENT_WINDOW_DAYS
        if in_time or window_over:
            due += 1
            done += in_time
    return percent(done, due)


@indicator("training_completion_rate")
def training_completion_rate(facts: Facts, program: Program) -> float | None:
    required = facts.requirements[program.pk]
    total = sum(facts.enrolled(program, role) * required[role] for role in Role.values)
    return percent(facts.completions[program.pk], total)


@indicator("survey_response_rate")
def survey_response_rate(facts: Facts, program: Program) -> float | None:
    return _number(facts.survey("survey_response_rate", program))


@indicator("pairs_formed")
def pairs_formed(facts: Facts, program: Program) -> float | None:
    return len(_started(facts, program))


@indicator("goal_attainment_rate")
def goal_attainment_rate(facts: Facts, program: Program) -> float | None:
    goals = facts.goals[program.pk]
    return percent(goals["achieved"], goals["total"])


@indicator("average_satisfaction")
def average_satisfaction(facts: Facts, program: Program) -> float | None:
    return _number(facts.survey("average_satisfaction", program))


@indicator("recommendation_score")
def recommendation_score(facts: Facts, program: Program) -> float | None:
    return _number(facts.survey("recommendation_score", program))


@indicator("skill_growth")
def skill_growth(facts: Facts, program: Program) -> float | None:
    return _number(facts.survey("skill_growth", program))


@indicator("development_impact")
def development_impact(facts: Facts, program: Program) -> float | None:
    return _number(facts.survey("development_impact", program))


def _number(value) -> float | None:
    if value is None:
        return None
    return round(float(value), 2)


# --- reading them ---------------------------------------------------------------------


def compute(facts: Facts, program: Program, code: str) -> float | None:
    return _registry[code](facts, program)


def compute_all(program: Program, *, now: datetime | None = None, facts: Facts | None = None):
    """{code: value or None} for every indicator of the catalogue."""
    facts = facts or Facts([program], now=now)
    return {code: compute(facts, program, code) for code in INDICATORS}


def compute_many(programs: Iterable[Program], *, now: datetime | None = None, codes=None):
    """{program id: {code: value}}; the non-survey codes in a fixed number of queries."""
    programs = list(programs)
    facts = Facts(programs, now=now)
    codes = list(codes or INDICATORS)
    return {p.pk: {code: compute(facts, p, code) for code in codes} for p in programs}
