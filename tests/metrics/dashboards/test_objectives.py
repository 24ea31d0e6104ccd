"""Dashboards: an objective's status and trend, and the charts drawn as SVG."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from metrics import charts
from metrics.dashboards.selectors import (
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    objective_status,
    trend,
)
from tests.metrics.conftest import TODAY, running_program

pytestmark = pytest.mark.urls("tests.metrics.dashboards.urls")


# --- objective status and trend ----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "target", "days_to_target", "expected"),
    [
        # Cumulative: half the time between the start (90 days ago) and the target date has
        # passed, so half of 10 pairs is expected.
        ("pairs_formed", 5, 10, 90, (ON_TRACK, 5.0)),
        ("pairs_formed", 4, 10, 90, (AT_RISK, 5.0)),
        ("pairs_formed", 3, 10, 90, (OFF_TRACK, 5.0)),
        # Rates expect the target itself from the start.
        ("goal_attainment_rate", 80.0, 80, 90, (ON_TRACK, 80.0)),
        ("goal_attainment_rate", 70.0, 80, 90, (AT_RISK, 80.0)),
        ("goal_attainment_rate", 50.0, 80, 90, (OFF_TRACK, 80.0)),
        # Lower is better: 12 days for a target of 10 is within 20 %; 15 is not.
        ("median_days_to_match", 8.0, 10, 90, (ON_TRACK, 10.0)),
        ("median_days_to_match", 12.0, 10, 90, (AT_RISK, 10.0)),
        ("median_days_to_match", 15.0, 10, 90, (OFF_TRACK, 10.0)),
        # After the target date the target is met or missed, nothing in between.
        ("pairs_formed", 9, 10, -1, (OFF_TRACK, 10.0)),
        ("pairs_formed", 10, 10, 0, (ON_TRACK, 10.0)),
        ("average_satisfaction", None, 4, 90, (NO_DATA, None)),
    ],
)
def test_an_objective_is_on_track_at_risk_or_off_track(
    db, code, value, target, days_to_target, expected
):
    program = running_program()
    status = objective_status(
        code=code,
        value=value,
        target=Decimal(target),
        target_date=TODAY + timedelta(days=days_to_target),
        program=program,
        today=TODAY,
    )
    assert status == expected


def test_nothing_cumulative_is_expected_before_the_program_starts(db):
    program = running_program(
        recruitment_opens=TODAY - timedelta(days=5),
        recruitment_closes=TODAY + timedelta(days=5),
        matching_deadline=TODAY + timedelta(days=6),
        starts_on=TODAY + timedelta(days=10),
    )
    status = objective_status(
        code="mentoring_hours",
        value=0,
        target=100,
        target_date=TODAY + timedelta(days=100),
        program=program,
        today=TODAY,
    )
    assert status == (ON_TRACK, 0.0)


def test_the_trend_compares_with_four_weeks_ago_and_knows_which_way_is_better():
    history = [(TODAY - timedelta(days=d), v) for d, v in ((40, 5.0), (28, 10.0), (7, 12.0))]
    assert trend(history, 14.0, "pairs_formed", 20, TODAY)["direction"] == "improving"
    assert trend(history, 14.0, "pairs_formed", 20, TODAY)["since"] == TODAY - timedelta(days=28)
    assert trend(history, 6.0, "pairs_formed", 20, TODAY)["direction"] == "worsening"
    assert trend(history, 10.0, "pairs_formed", 20, TODAY)["direction"] == "steady"
    assert trend(history, 6.0, "median_days_to_match", 10, TODAY)["direction"] == "improving"
    assert trend([], 6.0, "pairs_formed", 20, TODAY) is None
    # Only history newer than four weeks: compared with the oldest value there is.
    recent = [(TODAY - timedelta(days=3), 2.0)]
    assert trend(recent, 3.0, "pairs_formed", 20, TODAY)["delta"] == 1.0


# --- charts ------------------------------------------------------------------------------


def test_charts_are_svg_without_scripts_and_escape_their_labels():
    chart = charts.bar_chart(
        slug="x",
        title="<b>Title</b>",
        label_header="Label",
        value_header="Value",
        labels=["<script>alert(1)</script>", "b"],
        values=[1, 2],
    )
    assert chart.svg.startswith("<svg ")
    assert "<script" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    assert chart.rows == [("<script>alert(1)</script>", ["1"]), ("b", ["2"])]
