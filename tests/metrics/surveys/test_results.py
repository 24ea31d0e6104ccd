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
    assert results["answered"] == 4 and results["included"] == 0 and results["waiting"] == 4
    for question in results["questions"]:
        # Nothing at all, not even how many answered each question, under five people.
        assert question["respondents"] == 0
        assert not question.get("average") and not question.get("texts")
    breakdown = survey_results.survey_breakdown(survey, "department")
    assert breakdown["rows"] == [] and breakdown["hidden"] == 0
    page = hr_client.get(f"/metrics/manage/survey/{survey.code}/results/")
    assert "Idea 0" not in page.text and 'data-testid="held-back"' in page.text

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
    big, small = DepartmentFactory(), DepartmentFactory()
    for person in _people(program, 6, big) + _people(program, 2, small):
        respond(survey, person)
    # 8 answers: the first 5 are released, all of `big`; the department shows as a group.
    breakdown = survey_results.survey_breakdown(survey, "department")
    assert [row["respondents"] for row in breakdown["rows"]] == [5] and breakdown["hidden"] == 0
    for person in _people(program, 2, DepartmentFactory()):
        respond(survey, person)
    breakdown = survey_results.survey_breakdown(survey, "department")
    # 10 released: `big` still shows its first 5 (its sixth waits for four more of `big`); the
    # other 5 people are in groups too small, together: no group of them can be worked out.
    assert [row["respondents"] for row in breakdown["rows"]] == [5]
    assert breakdown["hidden"] == 5
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
    rows = [(5, 10, 5, 1, 4), (4, 9, 4, 2, 3), (3, 7, 4, 3, 3), (2, 3, 2, 2, 2), (1, 0, 5, 1, 5)]
    rows.append((5, 10, 5, 1, 5))  # the sixth waits until four more people have answered
    for satisfaction, recommend, impact, before, after in rows:
        respond(
            survey,
            UserFactory(),
            satisfaction=satisfaction,
            recommend=recommend,
            impact=impact,
            skills=[{"skill": None, "before": before, "after": after}],
        )
    asked(survey, UserFactory(), occurrence="unanswered")  # 6 answered out of 7 sent
    with django_assert_num_queries(1):
        assert survey_results.average_satisfaction(program) == 3.0
    with django_assert_num_queries(1):
        assert survey_results.recommendation_score(program) == 0.0  # 2 promoters, 2 detractors
    with django_assert_num_queries(1):
        assert survey_results.skill_growth(program) == 1.6  # (3 + 1 + 0 + 0 + 4) / 5
    with django_assert_num_queries(1):
        assert survey_results.development_impact(program) == 4.0
    with django_assert_num_queries(1):
        # Participation, not content: every answered request counts.
        assert survey_results.survey_response_rate(program) == 85.71
    with django_assert_num_queries(1):
        found = survey_results.distributions(program)
    assert found["satisfaction"] == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    assert found["recommendation"][10] == 1 and found["recommendation"][3] == 1
    assert sum(found["recommendation"].values()) == 5 and found["respondents"] == 5


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
