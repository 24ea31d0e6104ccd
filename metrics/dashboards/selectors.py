"""What the dashboards show: objectives with their status and trend, activity over time,
pairs at risk, the cross-program overview, a manager's team and a participant's progress.

Every function runs a fixed number of queries whatever the size of the program.

An objective's status compares its indicator with what is expected by today:
- indicators that add up over time (hours, steps, modules, pairs) expect the share of the
  target matching the time elapsed between the program's start and the target date;
  rates and scores expect the target itself;
- on track: at least what is expected (at most, for "lower is better" such as the median
  days to match); at risk: within 20 % of it; off track: further away;
- once the target date has passed, the target is met (on track) or missed (off track);
- without a value yet: no data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from goals.models import Agreement, Meeting
from goals.plans.selectors import plan_summaries
from matching.models import Mentorship
from programs.funnel.selectors import recruitment_funnel
from programs.indicators import INDICATORS, Indicator
from programs.models import Application, Objective, Program

from .. import indicators
from ..indicators import CUMULATIVE, LOWER_IS_BETTER, STARTED, Facts, compute_all, compute_many
from ..models import IndicatorSnapshot, SurveyRequest
from ..surveys.selectors import answer_url, survey_title

ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "on_track", "at_risk", "off_track", "no_data"
STATUS_LABELS = {
    ON_TRACK: gettext_lazy("on track"),
    AT_RISK: gettext_lazy("at risk"),
    OFF_TRACK: gettext_lazy("off track"),
    NO_DATA: gettext_lazy("no data yet"),
}
STATUS_COLORS = {ON_TRACK: "success", AT_RISK: "warning", OFF_TRACK: "danger", NO_DATA: "secondary"}
AT_RISK_SHARE = 0.8  # within 20 % of what is expected
TREND_DAYS = 28  # the trend compares today's value with the one four weeks ago
HISTORY_DAYS = 91
WEEKS_SHOWN = 26
RISKS_SHOWN = 50
KINDS = (
    ("activity", gettext_lazy("Activity measures")),
    ("process", gettext_lazy("Process measures")),
    ("outcome", gettext_lazy("Outcome measures")),
)


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    decimals = 0 if float(value).is_integer() else (1 if unit in ("%", "d", "h") else 2)
    number = number_format(value, decimals)
    if unit == "%":
        return f"{number} %"
    if unit == "h":
        return _("%(value)s h") % {"value": number}
    if unit == "d":
        return _("%(value)s days") % {"value": number}
    return number


# --- objectives ------------------------------------------------------------------------


def elapsed_share(program: Program, target_date: date, today: date) -> float:
    """How much of the time from the program's start to the target date has passed (0–1)."""
    if today >= target_date:
        return 1.0
    if today <= program.starts_on:
        return 0.0
    total = (target_date - program.starts_on).days
    return min(1.0, (today - program.starts_on).days / total) if total > 0 else 1.0


def objective_status(
    *, code: str, value: float | None, target, target_date: date, program: Program, today: date
) -> tuple[str, float | None]:
    """(status, value expected by today) of an objective measured by `code`."""
    if value is None:
        return NO_DATA, None
    target = float(target)
    expected = target
    if code in CUMULATIVE:
        expected = round(target * elapsed_share(program, target_date, today), 2)
    lower = code in LOWER_IS_BETTER
    met = value <= expected if lower else value >= expected
    if met:
        return ON_TRACK, expected
    if today >= target_date:
        return OFF_TRACK, expected
    ratio = (expected / value if value else 0.0) if lower else value / expected
    return (AT_RISK if ratio >= AT_RISK_SHARE else OFF_TRACK), expected


def trend(
    history: list[tuple[date, float | None]], current: float | None, code: str, target, today
) -> dict | None:
    """How the value moved since about four weeks ago: improving, worsening or steady."""
    known = [(day, value) for day, value in history if value is not None and day < today]
    if current is None or not known:
        return None
    cutoff = today - timedelta(days=TREND_DAYS)
    before = [item for item in known if item[0] <= cutoff]
    since, base = before[-1] if before else known[0]
    delta = round(current - base, 2)
    tolerance = max(abs(float(target)) * 0.01, 0.01)
    if abs(delta) <= tolerance:
        direction = "steady"
    elif (delta < 0) == (code in LOWER_IS_BETTER):
        direction = "improving"
    else:
        direction = "worsening"
    labels = {
        "steady": _("steady"),
        "improving": _("improving"),
        "worsening": _("worsening"),
    }
    return {"direction": direction, "label": labels[direction], "delta": delta, "since": since}


@dataclass
class ObjectiveRow:
    objective: Objective
    indicator: Indicator
    value: float | None
    status: str
    expected: float | None
    trend: dict | None
    history: list[tuple[date, float | None]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def kind(self) -> str:
        return self.indicator.kind

    @property
    def target(self) -> float:
        return float(self.objective.target)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def status_color(self) -> str:
        return STATUS_COLORS[self.status]

    @property
    def value_display(self) -> str:
        return format_value(self.value, self.indicator.unit)

    @property
    def target_display(self) -> str:
        return format_value(self.target, self.indicator.unit)

    @property
    def expected_display(self) -> str:
        return format_value(self.expected, self.indicator.unit)

    @property
    def lower_is_better(self) -> bool:
        return self.code in LOWER_IS_BETTER


def histories(program_ids, codes, *, today: date) -> dict[tuple[int, str], list]:
    """{(program id, code): [(day, value)]} of the last weeks, in one query."""
    found: dict[tuple[int, str], list] = {}
    if not codes:
        return found
    rows = IndicatorSnapshot.objects.filter(
        program__in=program_ids,
        indicator__in=set(codes),
        day__gte=today - timedelta(days=HISTORY_DAYS),
        day__lte=today,
    ).order_by("day")
    for row in rows:
        value = None if row.value is None else float(row.value)
        found.setdefault((row.program_id, row.indicator), []).append((row.day, value))
    return found


def objective_rows(
    program: Program,
    objectives: list[Objective],
    values: dict,
    *,
    today: date,
    history: dict | None = None,
) -> list[ObjectiveRow]:
    rows = []
    for objective in objectives:
        code = objective.indicator
        value = values.get(code)
        status, expected = objective_status(
            code=code,
            value=value,
            target=objective.target,
            target_date=objective.target_date,
            program=program,
            today=today,
        )
        past = (history or {}).get((program.pk, code), [])
        shown = [item for item in past if item[0] < today] + [(today, value)]
        rows.append(
            ObjectiveRow(
                objective=objective,
                indicator=INDICATORS[code],
                value=value,
                status=status,
                expected=expected,
                trend=trend(past, value, code, objective.target, today),
                history=shown,
            )
        )
    return rows


def status_counts(rows: list[ObjectiveRow]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


# --- activity and pairs at risk -----------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def meetings_per_week(program: Program, *, today: date, weeks: int = WEEKS_SHOWN) -> list:
    """[(monday, meetings held that week)] from the program's start (at most `weeks` weeks)."""
    last = _monday(min(today, program.ends_on))
    first = max(_monday(program.starts_on), last - timedelta(weeks=weeks - 1))
    if first > last:
        return []
    rows = (
        Meeting.objects.filter(
            mentorship__program=program,
            status=Meeting.Status.HELD,
            starts_at__gte=_aware(first),
            starts_at__lt=_aware(last + timedelta(days=7)),
        )
        .annotate(week=TruncWeek("starts_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {}
    for row in rows:
        week = row["week"]
        week = timezone.localtime(week).date() if isinstance(week, datetime) else week
        counts[week] = counts.get(week, 0) + row["n"]
    out, day = [], first
    while day <= last:
        out.append((day, counts.get(day, 0)))
        day += timedelta(days=7)
    return out


def risk_text(reason: dict) -> str:
    code = reason["code"]
    if code == "no_meeting":
        return _("No meeting held for %(days)d days (agreed: every %(cadence)d days)") % reason
    if code == "overdue_steps":
        return ngettext(
            "%(count)d action step overdue", "%(count)d action steps overdue", reason["count"]
        ) % {"count": reason["count"]}
    return _("Agreement not signed by both, %(days)d days after the start") % reason


def pairs_at_risk(facts: Facts, program: Program) -> list[dict]:
    """Active pairs needing attention, the most reasons first."""
    found = []
    for pair in facts.pairs[program.pk]:
        reasons = facts.risks(pair)
        if reasons:
            for reason in reasons:
                reason["text"] = risk_text(reason)
            found.append({"pair": pair, "reasons": reasons})
    found.sort(key=lambda item: (-len(item["reasons"]), -facts.days_without_meeting(item["pair"])))
    return found


def survey_distributions(program: Program) -> dict:
    """{"satisfaction": {1: n, ..., 5: n}, "recommendation": {0: n, ..., 10: n}} or empties."""
    found = indicators.survey_measure("distributions", program) or {}
    out = {}
    for key, keys in (("satisfaction", range(1, 6)), ("recommendation", range(11))):
        counts = found.get(key) or {}
        counts = {int(score): int(n) for score, n in counts.items()}
        out[key] = {score: counts.get(score, 0) for score in keys} if any(counts.values()) else {}
    return out


def indicator_rows(values: dict) -> list[dict]:
    """The whole catalogue grouped by kind, with the values."""
    groups = []
    for kind, label in KINDS:
        items = [
            {
                "code": item.code,
                "label": item.label,
                "value": values.get(item.code),
                "display": format_value(values.get(item.code), item.unit),
            }
            for item in INDICATORS.values()
            if item.kind == kind
        ]
        groups.append({"kind": kind, "label": label, "items": items})
    return groups


def program_dashboard(program: Program, *, now: datetime | None = None) -> dict:
    """Everything the HR dashboard of one program shows (charts are drawn by the view)."""
    facts = Facts([program], now=now)
    values = compute_all(program, facts=facts)
    objectives = list(program.objectives.all())
    history = histories([program.pk], [o.indicator for o in objectives], today=facts.today)
    rows = objective_rows(program, objectives, values, today=facts.today, history=history)
    risks = pairs_at_risk(facts, program)
    return {
        "today": facts.today,
        "values": values,
        "objectives": rows,
        "status_counts": status_counts(rows),
        "indicator_groups": indicator_rows(values),
        "funnel": recruitment_funnel(program),
        "weeks": meetings_per_week(program, today=facts.today),
        "distributions": survey_distributions(program),
        "risks": risks,
        "active_pairs": sum(p.status == Mentorship.Status.ACTIVE for p in facts.pairs[program.pk]),
    }


# --- HR: every program --------------------------------------------------------------------

OVERVIEW_CODES = (
    "pairs_formed",
    "mentees_matched_share",
    "meetings_per_pair_month",
    "goal_attainment_rate",
    "average_satisfaction",
    "recommendation_score",
)


def overview(programs: list[Program], *, now: datetime | None = None) -> list[dict]:
    """One row per program: key indicators and how many objectives are on track.

    The database measures are read for all the programs at once; the survey measures are
    asked per program, so callers show a page of programs at a time.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    objectives: dict[int, list[Objective]] = {p.pk: [] for p in programs}
    for objective in Objective.objects.filter(program__in=programs):
        objectives[objective.program_id].append(objective)
    codes = set(OVERVIEW_CODES) | {o.indicator for items in objectives.values() for o in items}
    values = compute_many(programs, now=now, codes=[c for c in INDICATORS if c in codes])
    out = []
    for program in programs:
        rows = objective_rows(program, objectives[program.pk], values[program.pk], today=today)
        out.append(
            {
                "program": program,
                "counts": status_counts(rows),
                "objectives": len(rows),
                "values": [
                    format_value(values[program.pk][code], INDICATORS[code].unit)
                    for code in OVERVIEW_CODES
                ],
            }
        )
    return out


def overview_headers() -> list[str]:
    return [str(INDICATORS[code].label) for code in OVERVIEW_CODES]


# --- managers: their reports' participation -------------------------------------------------

TEAM_APPLICATIONS = (
    Application.Status.APPROVED,
    Application.Status.SUBMITTED,
    Application.Status.WAITLISTED,
)
TEAM_PAIRS = (*STARTED, Mentorship.Status.AWAITING_APPROVAL)


def team_participation(manager) -> list[dict]:
    """The manager's direct reports in programs: role, pairs, agreement, goals progress.

    Never meeting notes or survey answers. Goals progress is shown for reports who are
    mentees (their own goals); for reports who mentor, only the pair's status.
    """
    applications = list(
        Application.objects.filter(
            person__manager=manager, person__is_active=True, status__in=TEAM_APPLICATIONS
        )
        .exclude(program__status=Program.Status.DRAFT)
        .select_related("program", "person")
        .order_by("person__last_name", "person__first_name", "-program__starts_on", "pk")
    )
    signed = Agreement.objects.filter(
        mentorship=OuterRef("pk"), mentor_signed_at__isnull=False, mentee_signed_at__isnull=False
    )
    pairs = list(
        Mentorship.objects.filter(Q(mentee__manager=manager) | Q(mentor__manager=manager))
        .filter(status__in=TEAM_PAIRS)
        .select_related("mentee")
        .annotate(signed=Exists(signed))
        .order_by("-activated_at", "-pk")
    )
    summaries = plan_summaries([p.pk for p in pairs if p.mentee.manager_id == manager.pk])
    by_person: dict[tuple[int, int], list] = {}
    for pair in pairs:
        for person_id in (pair.mentor_id, pair.mentee_id):
            by_person.setdefault((pair.program_id, person_id), []).append(pair)
    rows = []
    for application in applications:
        own = []
        for pair in by_person.get((application.program_id, application.person_id), []):
            as_mentee = pair.mentee_id == application.person_id
            own.append(
                {
                    "pair": pair,
                    "as_mentee": as_mentee,
                    "summary": summaries.get(pair.pk) if as_mentee else None,
                }
            )
        rows.append({"application": application, "pairs": own})
    return rows


# --- participants: their own progress ---------------------------------------------------------


def my_progress(user, *, now: datetime | None = None) -> dict:
    """A participant's pairs with their goals progress, training and surveys to answer."""
    from training.requirements.selectors import checklists_for

    now = now or timezone.now()
    held = Meeting.objects.filter(mentorship=OuterRef("pk"), status=Meeting.Status.HELD)
    signed = Agreement.objects.filter(
        mentorship=OuterRef("pk"), mentor_signed_at__isnull=False, mentee_signed_at__isnull=False
    )
    pairs = list(
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .filter(status__in=TEAM_PAIRS)
        .select_related("program", "mentor", "mentee")
        .annotate(signed=Exists(signed), held=indicators.count_per_row(held, "mentorship"))
        .order_by("status", "-activated_at", "-pk")
    )
    summaries = plan_summaries([p.pk for p in pairs])
    for pair in pairs:
        pair.summary = summaries[pair.pk]
        pair.role = "mentor" if pair.mentor_id == user.pk else "mentee"
        pair.partner = pair.mentee if pair.role == "mentor" else pair.mentor
    surveys = list(
        SurveyRequest.objects.filter(
            person=user, status=SurveyRequest.Status.OPEN, closes_at__gt=now
        )
        .select_related("survey__program")
        .order_by("closes_at")
    )
    for request in surveys:
        request.title = survey_title(request.survey)
        request.url = answer_url(request)
    checklists = checklists_for(user, today=timezone.localdate(now))
    return {
        "pairs": pairs,
        "checklists": checklists,
        "surveys": surveys,
        "any": bool(pairs or checklists or surveys),
    }
