"""The catalogue of indicators an objective can be measured by.

Each code is computed by the measurement stage (`metrics`), which registers one
function per code; here we only name them, so HR can set targets from stage 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    code: str
    kind: str  # activity / process / outcome (Objective.Kind values)
    label: str
    unit: str


_ALL = [
    Indicator("meetings_per_pair_month", "activity", _("meetings held per pair per month"), "n"),
    Indicator("mentoring_hours", "activity", _("hours of mentoring"), "h"),
    Indicator("action_steps_completed", "activity", _("action steps completed"), "n"),
    Indicator("training_modules_completed", "activity", _("training modules completed"), "n"),
    Indicator("application_approval_rate", "process", _("applications approved"), "%"),
    Indicator("mentees_matched_share", "process", _("mentees matched"), "%"),
    Indicator("median_days_to_match", "process", _("median days to match"), "d"),
    Indicator(
        "pairs_with_agreement_and_goals",
        "process",
        _("pairs with a signed agreement and goals within 14 days"),
        "%",
    ),
    Indicator("training_completion_rate", "process", _("training completion"), "%"),
    Indicator("survey_response_rate", "process", _("survey response rate"), "%"),
    Indicator("pairs_formed", "process", _("pairs formed"), "n"),
    Indicator("goal_attainment_rate", "outcome", _("goals achieved"), "%"),
    Indicator("average_satisfaction", "outcome", _("average satisfaction (1–5)"), "score"),
    Indicator("recommendation_score", "outcome", _("recommendation score (NPS)"), "score"),
    Indicator("skill_growth", "outcome", _("self-rated skill growth (points)"), "score"),
    Indicator("development_impact", "outcome", _("stated impact on development (1–5)"), "score"),
]

INDICATORS: dict[str, Indicator] = {indicator.code: indicator for indicator in _ALL}
INDICATOR_CHOICES = [(indicator.code, indicator.label) for indicator in _ALL]
