"""Dashboards: the HR dashboard of a program, its exports, and the cross-program overview."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse

from metrics import indicators
from metrics.dashboards.selectors import AT_RISK, NO_DATA, OFF_TRACK, ON_TRACK
from metrics.models import IndicatorSnapshot
from programs.models import Objective
from tests.factories import UserFactory
from tests.metrics.conftest import (
    SURVEY_VALUES,
    TODAY,
    a_goal,
    a_meeting,
    a_pair,
    a_step,
    an_agreement,
    enrol,
    known,
    running_program,
)

pytestmark = pytest.mark.urls("tests.metrics.dashboards.urls")


@pytest.fixture
def surveys(monkeypatch):
    real = indicators.survey_measure

    def fake(name, program):
        return SURVEY_VALUES.get(name) if name in SURVEY_VALUES else real(name, program)

    monkeypatch.setattr(indicators, "survey_measure", fake)


def an_objective(program, code, target, *, days_to_target=90, title=None):
    return Objective.objects.create(
        program=program,
        title=title or f"Objective on {code}",
        indicator=code,
        target=target,
        target_date=TODAY + timedelta(days=days_to_target),
    )


# --- the HR dashboard of a program ---------------------------------------------------------


def dashboard_data():
    """Known data, three objectives and four weeks of daily snapshots."""
    program, pairs = known()
    an_objective(program, "pairs_formed", 4, title="Form four pairs")
    an_objective(program, "median_days_to_match", 7)
    an_objective(program, "average_satisfaction", 4)
    for days in range(1, 35):
        IndicatorSnapshot.objects.create(
            program=program, indicator="pairs_formed", day=TODAY - timedelta(days=days), value=1
        )
    return program, pairs


def test_hr_sees_each_objective_with_its_status_trend_and_chart(db, frozen, surveys, hr_client):
    program, pairs = dashboard_data()
    response = hr_client.get(reverse("metrics:program_dashboard", args=[program.slug]))
    assert response.status_code == 200
    rows = {row.code: row for row in response.context["objectives"]}
    # 3 pairs formed, 3 expected (half of 4, by elapsed time, rounded to 2 decimals: 2.0)
    assert rows["pairs_formed"].status == ON_TRACK
    assert rows["pairs_formed"].trend["direction"] == "improving"
    assert rows["median_days_to_match"].status == OFF_TRACK  # 10 days for a target of 7
    assert rows["average_satisfaction"].status == ON_TRACK  # 4.25 for 4
    body = response.content.decode()
    assert "Form four pairs" in body
    assert 'data-testid="chart-objective-' in body
    assert "<script" not in body.split('id="main"')[1].split("</main>")[0]


def test_the_dashboard_lists_pairs_at_risk_with_a_link_to_act(db, frozen, hr_client):
    program, pairs = dashboard_data()
    response = hr_client.get(reverse("metrics:program_dashboard", args=[program.slug]))
    risks = response.context["risks"]
    assert [item["pair"].pk for item in risks] == [pairs["a"].pk]
    assert [r["code"] for r in risks[0]["reasons"]] == ["no_meeting", "overdue_steps"]
    body = response.content.decode()
    assert reverse("matching:mentorship", args=[pairs["a"].code]) in body
    assert "pulse" not in body.split('data-testid="risks"')[1].split("</section>")[0].lower()


def test_the_dashboard_draws_activity_and_survey_distributions_with_tables(
    db, frozen, hr_client, monkeypatch
):
    program, _pairs = dashboard_data()
    monkeypatch.setattr(
        indicators,
        "survey_measure",
        lambda name, p: (
            {"satisfaction": {4: 3, 5: 2}, "recommendation": {9: 4, 6: 1}, "respondents": 5}
            if name == "distributions"
            else None
        ),
    )
    response = hr_client.get(reverse("metrics:program_dashboard", args=[program.slug]))
    charts_drawn = response.context["charts"]
    assert charts_drawn["satisfaction"].rows == [
        ("1", ["0"]),
        ("2", ["0"]),
        ("3", ["0"]),
        ("4", ["3"]),
        ("5", ["2"]),
    ]
    assert len(charts_drawn["recommendation"].rows) == 11
    weeks = dict(response.context["weeks"])
    # Meetings held in the weeks of 53, 46, 32 and 25 days ago (pair A; B's are older).
    assert sum(weeks.values()) == 6
    body = response.content.decode()
    for slug in ("meetings", "satisfaction", "recommendation"):
        assert f'data-testid="chart-table-{slug}"' in body


def test_a_program_without_data_shows_empty_states(db, hr_client):
    program = running_program()
    response = hr_client.get(reverse("metrics:program_dashboard", args=[program.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["risks"] == []
    assert response.context["charts"] == {
        "meetings": None,
        "satisfaction": None,
        "recommendation": None,
    }
    assert 'data-testid="objectives"' in body
    for kind in ("csv", "xlsx"):
        url = reverse("metrics:program_export", args=[program.slug])
        assert hr_client.get(url, {"format": kind}).status_code == 200


def _grow(program, size: int) -> None:
    for i in range(size):
        mentor, mentee = UserFactory(), UserFactory()
        enrol(program, mentor, "mentor")
        enrol(program, mentee)
        pair = a_pair(program, mentor, mentee, start=-40 - i)
        an_agreement(pair, signed=-35)
        goal = a_goal(pair, agreed=-30)
        a_step(goal, status="done")
        a_step(goal, due=-2)
        for day in (-30, -20, -5):
            a_meeting(pair, day=day)


def test_the_dashboard_takes_the_same_queries_whatever_the_program_size(
    db, frozen, hr_client, django_assert_max_num_queries
):
    program, _pairs = dashboard_data()
    url = reverse("metrics:program_dashboard", args=[program.slug])
    with django_assert_max_num_queries(40) as small:
        hr_client.get(url)
    _grow(program, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = hr_client.get(url)
    assert len(response.context["risks"]) == 9  # each new pair has an overdue step


def test_only_hr_sees_the_results_of_a_program(db, client, mentor, hr_admin):
    program = running_program()
    urls = [
        reverse("metrics:program_dashboard", args=[program.slug]),
        reverse("metrics:program_export", args=[program.slug]) + "?format=csv",
        reverse("metrics:overview"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
        assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(mentor)
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(hr_admin)
    assert client.get(reverse("metrics:program_dashboard", args=["nope"])).status_code == 404


# --- exports -------------------------------------------------------------------------------


def test_the_csv_export_has_a_bom_and_neutralises_formulas(db, frozen, hr_client):
    program, pairs = dashboard_data()
    an_objective(program, "pairs_formed", 3, title='=HYPERLINK("http://x","y")')
    url = reverse("metrics:program_export", args=[program.slug])
    response = hr_client.get(url, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert f"results-{program.slug}-{TODAY.isoformat()}.csv" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
    objective = next(line for line in body.splitlines() if line.startswith("Form four pairs,"))
    assert objective.split(",")[2:7] == ["pairs_formed", "process", "3", "4.0", "2.0"]
    assert f",{pairs['a'].starts_on.isoformat()}," in body  # the pair at risk


def test_the_xlsx_export_writes_formulas_as_text(db, frozen, hr_client):
    program, _pairs = dashboard_data()
    an_objective(program, "pairs_formed", 3, title="=1+1")
    url = reverse("metrics:program_export", args=[program.slug])
    response = hr_client.get(url, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = zipfile.ZipFile(io.BytesIO(response.content))
    names = workbook.namelist()
    assert "xl/worksheets/sheet4.xml" in names
    strings = workbook.read("xl/sharedStrings.xml").decode()
    assert "&apos;=1+1" in strings or "'=1+1" in strings
    sheets = [workbook.read(n).decode() for n in names if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in sheet for sheet in sheets)


def test_an_unknown_export_format_is_refused(db, hr_client):
    program = running_program()
    url = reverse("metrics:program_export", args=[program.slug])
    assert hr_client.get(url, {"format": "pdf"}).status_code == 400


# --- cross-program overview ----------------------------------------------------------------


def test_the_overview_shows_each_program_but_drafts(db, frozen, surveys, hr_client):
    program, _pairs = dashboard_data()
    empty = running_program(name="Empty program")
    draft = running_program(status="draft")
    response = hr_client.get(reverse("metrics:overview"))
    rows = {row["program"].pk: row for row in response.context["rows"]}
    assert set(rows) == {program.pk, empty.pk}
    assert draft.pk not in rows
    assert rows[program.pk]["counts"] == {
        ON_TRACK: 2,
        AT_RISK: 0,
        OFF_TRACK: 1,
        NO_DATA: 0,
    }
    assert rows[program.pk]["values"][0] == "3"
    body = response.content.decode()
    assert reverse("metrics:program_dashboard", args=[program.slug]) in body


def test_the_overview_takes_the_same_queries_whatever_the_programs_sizes(
    db, frozen, hr_client, django_assert_max_num_queries
):
    program, _pairs = dashboard_data()
    running_program()
    url = reverse("metrics:overview")
    with django_assert_max_num_queries(60) as small:
        hr_client.get(url)
    _grow(program, 5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        hr_client.get(url)
