"""`manage.py program_report`: each objective with its indicators, as JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from metrics import indicators
from programs.models import Objective
from tests.metrics.conftest import SURVEY_VALUES, TODAY, known, running_program


@pytest.fixture
def surveys(monkeypatch):
    monkeypatch.setattr(indicators, "survey_measure", lambda name, program: SURVEY_VALUES.get(name))


def report(*args) -> str:
    out = io.StringIO()
    call_command("program_report", *args, stdout=out)
    return out.getvalue()


def objective(program, code, target, title):
    return Objective.objects.create(
        program=program,
        title=title,
        indicator=code,
        target=target,
        target_date=TODAY + timedelta(days=90),
    )


@pytest.fixture
def programs(db, frozen, surveys):
    program, _pairs = known()
    program.name, program.slug = "Known", "known"
    program.save()
    objective(program, "pairs_formed", 4, "Form four pairs")
    objective(program, "average_satisfaction", 4.5, "=Happy people")
    empty = running_program(name="Empty", slug="empty")
    objective(empty, "goal_attainment_rate", 80, "Reach goals")
    return program, empty


def test_the_json_report_lists_each_objective_with_its_indicators(programs):
    data = json.loads(report("known", "--format", "json"))
    assert data == [
        {
            "slug": "known",
            "name": "Known",
            "objectives": [
                {
                    "title": "Form four pairs",
                    "status": "on_track",
                    "indicators": [
                        {"code": "pairs_formed", "kind": "process", "value": 3, "target": 4.0}
                    ],
                },
                {
                    "title": "=Happy people",
                    "status": "at_risk",
                    "indicators": [
                        {
                            "code": "average_satisfaction",
                            "kind": "outcome",
                            "value": 4.25,
                            "target": 4.5,
                        }
                    ],
                },
            ],
        }
    ]


def test_without_a_slug_every_program_is_reported_and_empty_ones_have_no_data(programs):
    data = json.loads(report())
    assert [p["slug"] for p in data] == ["empty", "known"]
    assert data[0]["objectives"] == [
        {
            "title": "Reach goals",
            "status": "no_data",
            "indicators": [
                {"code": "goal_attainment_rate", "kind": "outcome", "value": None, "target": 80.0}
            ],
        }
    ]


def test_the_csv_report_has_one_row_per_objective_indicator(programs):
    rows = list(csv.reader(io.StringIO(report("known", "empty", "--format", "csv"))))
    assert rows == [
        ["slug", "name", "title", "status", "code", "kind", "value", "target"],
        ["known", "Known", "Form four pairs", "on_track", "pairs_formed", "process", "3", "4.0"],
        [
            "known",
            "Known",
            "'=Happy people",
            "at_risk",
            "average_satisfaction",
            "outcome",
            "4.25",
            "4.5",
        ],
        ["empty", "Empty", "Reach goals", "no_data", "goal_attainment_rate", "outcome", "", "80.0"],
    ]


def test_an_unknown_program_is_an_error(programs):
    with pytest.raises(CommandError, match="nope"):
        report("known", "nope")
