"""Dashboards: objective status and trend, HR pages, exports, managers' and participants' views."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import include, path, reverse

from goals.models import Meeting
from matching.models import Mentorship
from metrics import charts, indicators
from metrics.dashboards import (
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    objective_status,
    trend,
)
from metrics.models import IndicatorSnapshot, SurveyRequest
from programs.models import Objective
from tests.factories import UserFactory
from tests.metrics.test_indicators import (
    SURVEY_VALUES,
    TODAY,
    a_goal,
    a_meeting,
    a_pair,
    a_step,
    an_agreement,
    at,
    enrol,
    known,
    running_program,
)


def _urlpatterns():
    """The project's URLs, with the metrics app mounted if the project does not mount it yet."""
    from mentoring import urls as root

    if any(getattr(p, "namespace", None) == "metrics" for p in root.urlpatterns):
        return list(root.urlpatterns)
    return [path("metrics/", include("metrics.urls")), *root.urlpatterns]


urlpatterns = _urlpatterns()
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def frozen():
    with time_machine.travel(at(0, 10), tick=False):
        yield


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
    assert [r["code"] for r in risks[0]["reasons"]] == ["no_meeting", "overdue_steps", "low_pulse"]
    body = response.content.decode()
    assert reverse("matching:mentorship", args=[pairs["a"].code]) in body
    assert 'data-reason="low_pulse"' in body


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


# --- managers ------------------------------------------------------------------------------


def test_a_manager_sees_their_reports_participation_but_no_notes(
    db, frozen, client, manager, mentee, mentor
):
    program = running_program()
    enrol(program, mentee)
    enrol(program, mentor, "mentor")
    pair = a_pair(program, mentor, mentee, start=-30)
    an_agreement(pair, signed=-25)
    goal = a_goal(pair, agreed=-20)
    a_step(goal, status="done")
    a_step(goal)
    meeting = a_meeting(pair, day=-10)
    Meeting.objects.filter(pk=meeting.pk).update(shared_notes="Talked about a secret plan")
    # Another report mentors someone from another team: the pair's status, not its goals.
    other = UserFactory(manager=manager, first_name="Rita")
    enrol(program, other, "mentor")
    stranger = UserFactory(first_name="Sam")
    enrol(program, stranger)
    theirs = a_pair(program, other, stranger, start=-20)
    a_goal(theirs, status="achieved", agreed=-15)
    client.force_login(manager)
    response = client.get(reverse("metrics:team"))
    assert response.status_code == 200
    rows = {row["application"].person_id: row for row in response.context["rows"]}
    assert set(rows) == {mentee.pk, other.pk}
    mine = rows[mentee.pk]["pairs"][0]
    assert (mine["pair"].pk, mine["pair"].signed, mine["summary"].progress) == (pair.pk, True, 50)
    assert rows[other.pk]["pairs"][0]["summary"] is None
    body = response.content.decode()
    assert "secret plan" not in body
    assert reverse("matching:mentorship", args=[pair.code]) in body
    assert reverse("matching:mentorship", args=[theirs.code]) not in body
    assert "Sam" not in body


def test_the_team_page_is_for_managers_only(db, client, mentor):
    assert client.get(reverse("metrics:team")).status_code == 302
    client.force_login(mentor)
    assert client.get(reverse("metrics:team")).status_code == 403


def test_the_team_page_takes_the_same_queries_for_a_bigger_team(
    db, frozen, client, manager, django_assert_max_num_queries
):
    program = running_program()

    def report_in_a_pair():
        mentee = UserFactory(manager=manager)
        enrol(program, mentee)
        pair = a_pair(program, UserFactory(), mentee, start=-10)
        a_step(a_goal(pair))

    report_in_a_pair()
    client.force_login(manager)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("metrics:team"))
    for _ in range(4):
        report_in_a_pair()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("metrics:team"))


# --- participants ---------------------------------------------------------------------------


def test_a_participant_sees_their_pairs_training_and_surveys_to_answer(
    db, frozen, client, mentee, mentor
):
    program = running_program()
    enrol(program, mentee)
    enrol(program, mentor, "mentor")
    pair = a_pair(program, mentor, mentee, start=-30)
    goal = a_goal(pair, status="achieved", agreed=-20)
    a_step(goal, status="done")
    a_meeting(pair, day=-10)
    a_meeting(pair, day=-3)
    survey_request = _open_request(pair, mentee)
    # Someone else's pair in the same program does not show.
    other = a_pair(program, UserFactory(), UserFactory(), start=-5)
    client.force_login(mentee)
    response = client.get(reverse("metrics:my_progress"))
    assert response.status_code == 200
    pairs = response.context["pairs"]
    assert [p.pk for p in pairs] == [pair.pk]
    assert (pairs[0].held, pairs[0].summary.progress, pairs[0].role) == (2, 100, "mentee")
    assert [r.pk for r in response.context["surveys"]] == [survey_request.pk]
    body = response.content.decode()
    assert reverse("metrics:answer", args=[survey_request.token]) in body
    assert reverse("training:my_training") in body
    assert reverse("matching:mentorship", args=[other.code]) not in body


def test_my_progress_takes_the_same_queries_with_more_pairs_and_surveys(
    db, frozen, client, mentor, django_assert_max_num_queries
):
    program = running_program()
    enrol(program, mentor, "mentor")

    def another_mentee():
        mentee = UserFactory()
        enrol(program, mentee)
        pair = a_pair(program, mentor, mentee, start=-20)
        a_step(a_goal(pair))
        a_meeting(pair, day=-5)
        _open_request(pair, mentor)

    another_mentee()
    client.force_login(mentor)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("metrics:my_progress"))
    for _ in range(3):
        another_mentee()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("metrics:my_progress"))
    assert len(response.context["pairs"]) == 4
    assert len(response.context["surveys"]) == 4


def test_someone_outside_every_program_sees_an_empty_state(db, client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("metrics:my_progress"))
    assert response.status_code == 200
    assert response.context["any"] is False
    assert reverse("programs:list") in response.content.decode()


def _open_request(pair, person):
    from metrics.models import Survey

    survey = Survey.objects.create(
        program=pair.program,
        kind="midpoint",
        title="Midpoint",
        status="active",
        created_by=pair.program.created_by,
    )
    answered = Survey.objects.create(
        program=pair.program,
        kind="pulse",
        title="Pulse",
        status="active",
        created_by=pair.program.created_by,
    )
    SurveyRequest.objects.create(
        survey=answered,
        person=person,
        mentorship=pair,
        role="mentee",
        occurrence="done",
        status="answered",
        closes_at=at(5),
    )
    return SurveyRequest.objects.create(
        survey=survey,
        person=person,
        mentorship=pair,
        role="mentee",
        occurrence=f"pair:{pair.pk}",
        closes_at=at(7),
    )


def test_ended_pairs_keep_counting_in_the_participants_history(db, frozen, client, mentee):
    program = running_program()
    enrol(program, mentee)
    pair = a_pair(program, UserFactory(), mentee, start=-90, status="completed", ended=-2)
    client.force_login(mentee)
    response = client.get(reverse("metrics:my_progress"))
    assert [p.pk for p in response.context["pairs"]] == [pair.pk]
    assert Mentorship.objects.get(pk=pair.pk).status == "completed"
