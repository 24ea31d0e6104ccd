"""What HR may see of the answers (the five-respondent rule) and the program values the
dashboards and the indicators read, in a fixed number of queries."""

from __future__ import annotations

from metrics.surveys import selectors as survey_results
from tests.factories import DepartmentFactory, UserFactory
from tests.metrics.surveys.conftest import a_survey, asked, respond

# --- confidentiality -----------------------------------------------------------------------


def _people(program, count, department):
    found = []
    for _ in range(count):
        person = UserFactory(department=department)
        found.append(person)
    return found


def test_free_text_and_breakdowns_appear_only_for_five_respondents(hr_client, program):
    survey = a_survey(program, "final")
    sales = DepartmentFactory(name="Sales")
    people = _people(program, 5, sales)
    for number, person in enumerate(people[:4]):
        respond(survey, person, satisfaction=3 + number % 2, text=f"Idea {number}")
    results = survey_results.survey_results(survey)
    texts = [
        q
        for q in results["questions"]
        if q["question"].kind == "text" and not q["question"].measures
    ]
    assert texts[0]["texts"] is None and texts[0]["respondents"] == 4
    breakdown = survey_results.survey_breakdown(survey, "department")
    assert breakdown["rows"] == [] and breakdown["hidden"] == 4
    page = hr_client.get(f"/metrics/manage/survey/{survey.code}/results/")
    assert "Idea 0" not in page.text and 'data-testid="texts-hidden"' in page.text

    respond(survey, people[4], satisfaction=5, text="Idea 4")
    results = survey_results.survey_results(survey)
    texts = [
        q
        for q in results["questions"]
        if q["question"].kind == "text" and not q["question"].measures
    ]
    assert texts[0]["texts"] == ["Idea 0", "Idea 1", "Idea 2", "Idea 3", "Idea 4"]
    breakdown = survey_results.survey_breakdown(survey, "department")
    assert [(row["label"], row["respondents"]) for row in breakdown["rows"]] == [("Sales", 5)]
    assert breakdown["rows"][0]["averages"][0] == 3.8  # (3 + 4 + 3 + 4 + 5) / 5
    page = hr_client.get(f"/metrics/manage/survey/{survey.code}/results/?by=department")
    assert "Idea 4" in page.text and "Sales" in page.text
    for person in people:
        assert person.get_full_name() not in page.text


def test_a_small_rest_hides_one_more_group_so_it_cannot_be_worked_out(program):
    survey = a_survey(program, "final")
    big, small, other = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    for person in _people(program, 6, big) + _people(program, 2, small):
        respond(survey, person)
    assert survey_results.survey_breakdown(survey, "department")["rows"] == []
    for person in _people(program, 5, other):
        respond(survey, person)
    breakdown = survey_results.survey_breakdown(survey, "department")
    # The 2 of `small` alone would be total minus the shown groups: `other` (5) is hidden too.
    assert [row["respondents"] for row in breakdown["rows"]] == [6]
    assert breakdown["hidden"] == 7
    assert survey_results.survey_breakdown(survey, "pair")["rows"] == []


def test_the_partner_and_the_manager_never_see_an_answer(client, pair, mentor, manager):
    survey = a_survey(pair.program, "final")
    request = respond(survey, pair.mentee, pair, text="My mentor is often late")
    for person in (mentor, manager):
        client.force_login(person)
        assert client.get(f"/metrics/manage/survey/{survey.code}/results/").status_code == 403
        assert client.get(f"/metrics/surveys/{request.token}/").status_code == 404
        assert "often late" not in client.get("/metrics/surveys/").text
        assert "often late" not in client.get(f"/matching/pairs/{pair.code}/").text


# --- program values for the dashboards --------------------------------------------------------


def test_program_values_match_hand_computed_ones_in_a_fixed_number_of_queries(
    program, django_assert_num_queries
):
    assert survey_results.average_satisfaction(program) is None
    assert survey_results.recommendation_score(program) is None
    assert survey_results.skill_growth(program) is None
    assert survey_results.development_impact(program) is None
    assert survey_results.survey_response_rate(program) is None
    empty = survey_results.distributions(program)
    assert empty["respondents"] == 0 and sum(empty["satisfaction"].values()) == 0

    survey = a_survey(program, "final")
    rows = [(5, 10, 5, 1, 4), (4, 9, 4, 2, 3), (3, 7, 4, 3, 3), (2, 3, 2, 2, 2)]
    for satisfaction, recommend, impact, before, after in rows:
        respond(
            survey,
            UserFactory(),
            satisfaction=satisfaction,
            recommend=recommend,
            impact=impact,
            skills=[{"skill": None, "before": before, "after": after}],
        )
    asked(survey, UserFactory(), occurrence="unanswered")  # 4 answered out of 5 sent
    with django_assert_num_queries(1):
        assert survey_results.average_satisfaction(program) == 3.5
    with django_assert_num_queries(1):
        assert survey_results.recommendation_score(program) == 25.0  # 2 promoters, 1 detractor
    with django_assert_num_queries(1):
        assert survey_results.skill_growth(program) == 1.0  # (3 + 1 + 0 + 0) / 4
    with django_assert_num_queries(1):
        assert survey_results.development_impact(program) == 3.75
    with django_assert_num_queries(1):
        assert survey_results.survey_response_rate(program) == 80.0
    with django_assert_num_queries(2):
        found = survey_results.distributions(program)
    assert found["satisfaction"] == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}
    assert found["recommendation"][10] == 1 and found["recommendation"][3] == 1
    assert sum(found["recommendation"].values()) == 4 and found["respondents"] == 4


def test_hr_lists_and_results_keep_a_constant_number_of_queries(
    hr_client, program, django_assert_max_num_queries
):
    survey = a_survey(program, "final")
    respond(survey, UserFactory(), text="One")
    urls = [
        f"/metrics/manage/{program.slug}/surveys/",
        f"/metrics/manage/survey/{survey.code}/",
        f"/metrics/manage/survey/{survey.code}/results/",
        f"/metrics/manage/survey/{survey.code}/results/?by=pair",
    ]
    counted = {}
    for url in urls:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert hr_client.get(url).status_code == 200
        counted[url] = len(queries)
    for _ in range(3):
        a_survey(program, "pulse")
    department = DepartmentFactory()
    for person in _people(program, 8, department):
        respond(survey, person, text="More")
    for url in urls:
        with django_assert_max_num_queries(counted[url]):
            assert hr_client.get(url).status_code == 200
