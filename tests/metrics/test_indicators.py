"""Indicators on known data: every expected value below is worked out by hand in `known`."""

from __future__ import annotations

import pytest
import time_machine

from metrics import indicators
from metrics.indicators import Facts, compute_all, compute_many
from metrics.models import Survey, SurveyAnswer, SurveyQuestion, SurveyRequest
from programs.indicators import INDICATORS
from tests.factories import UserFactory
from tests.metrics.conftest import (
    SURVEY_VALUES,
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
from training.models import Requirement


@pytest.fixture
def surveys(monkeypatch):
    """The survey measures of metrics.surveys.selectors, as the other stage would answer."""
    monkeypatch.setattr(indicators, "survey_measure", lambda name, program: SURVEY_VALUES.get(name))


EXPECTED = {
    "meetings_per_pair_month": 1.2,
    "mentoring_hours": 5.5,
    "action_steps_completed": 4,
    "training_modules_completed": 4,
    "application_approval_rate": 75.0,
    "mentees_matched_share": 75.0,
    "median_days_to_match": 10.0,
    "pairs_with_agreement_and_goals": 50.0,
    "training_completion_rate": 40.0,
    "pairs_formed": 3,
    "goal_attainment_rate": 66.7,
    **SURVEY_VALUES,
}


def test_every_indicator_of_the_catalogue_is_registered():
    assert set(indicators.registered()) == set(INDICATORS)
    with pytest.raises(KeyError):
        indicators.indicator("not_an_indicator")


def test_indicators_on_known_data_match_the_hand_computed_values(db, frozen, surveys):
    program, _pairs = known()
    assert compute_all(program) == EXPECTED


def test_a_program_without_data_has_no_values_and_no_division_by_zero(db, frozen):
    program = running_program()
    values = compute_all(program)
    counts = {"mentoring_hours", "action_steps_completed", "training_modules_completed"}
    assert {code: value for code, value in values.items() if value is not None} == {
        **dict.fromkeys(counts, 0),
        "pairs_formed": 0,
    }


def test_pairs_at_risk_say_why(db, frozen):
    program, pairs = known()
    facts = Facts([program])
    by_pair = {pair.pk: facts.risks(pair) for pair in facts.pairs[program.pk]}
    assert by_pair[pairs["a"].pk] == [
        {"code": "no_meeting", "days": 25, "cadence": 14},
        {"code": "overdue_steps", "count": 1},
    ]  # never the pair's low pulse answer: behaviour only
    assert by_pair[pairs["b"].pk] == []  # completed
    assert by_pair[pairs["c"].pk] == []  # five days in: nothing is late yet


def test_an_unsigned_agreement_is_a_risk_only_after_the_first_14_days(db):
    program = running_program()
    pair = a_pair(program, UserFactory(), UserFactory(), start=-15)
    a_meeting(pair, day=-2)
    with time_machine.travel(at(-1, 10), tick=False):
        facts = Facts([program])
        assert facts.risks(facts.pairs[program.pk][0]) == []
    with time_machine.travel(at(0, 10), tick=False):
        facts = Facts([program])
        assert facts.risks(facts.pairs[program.pk][0]) == [{"code": "unsigned", "days": 15}]


def test_two_programs_at_once_give_the_same_values_as_each_alone(db, frozen, surveys):
    program, pairs = known()
    other = running_program()
    # Mentee 1 also takes part in the other program, which requires the same module.
    mentee = pairs["mentees"][1]
    enrol(other, mentee)
    module = Requirement.objects.filter(program=program, role="mentee").first().module
    Requirement.objects.create(program=other, role="mentee", module=module)
    together = compute_many([program, other])
    assert together[program.pk] == EXPECTED
    assert together[other.pk] == compute_all(other)
    assert together[other.pk]["training_modules_completed"] == 1
    assert together[other.pk]["training_completion_rate"] == 100.0


def test_the_facts_of_a_program_take_the_same_queries_whatever_its_size(
    db, frozen, django_assert_max_num_queries
):
    program, _pairs = known()
    with django_assert_max_num_queries(20) as small:
        compute_all(program)
    for i in range(6):
        pair = a_pair(program, UserFactory(), UserFactory(), start=-30 - i)
        an_agreement(pair, signed=-20)
        goal = a_goal(pair, agreed=-25)
        a_step(goal, status="done")
        a_meeting(pair, day=-10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        compute_all(program)


def test_the_survey_measures_come_from_the_survey_results(db, frozen):
    """No monkeypatching here: the answers go through metrics.surveys.selectors."""
    program, pairs = known()
    survey = Survey.objects.create(
        program=program, kind="final", title="Final", status="active", created_by=program.created_by
    )
    satisfied = SurveyQuestion.objects.create(
        survey=survey, kind="scale", text="Satisfied?", measures="satisfaction"
    )
    recommend = SurveyQuestion.objects.create(
        survey=survey, kind="recommend", text="Recommend?", measures="recommendation"
    )
    for number, (score, nps) in enumerate(((5, 10), (4, 9), (3, 5), (4, 9), (4, 3), (1, 0))):
        person = UserFactory()
        request = SurveyRequest.objects.create(
            survey=survey,
            person=person,
            mentorship=pairs["a"],
            role="mentee",
            occurrence=f"final:{number}",
            status="answered",
            closes_at=at(5),
            answered_at=at(-5 + number),
        )
        SurveyAnswer.objects.create(request=request, question=satisfied, value=score)
        SurveyAnswer.objects.create(request=request, question=recommend, value=nps)
    values = compute_all(program)
    # Only the first five answers are released (the sixth waits for four more people):
    # satisfaction (5 + 4 + 3 + 4 + 4) / 5; NPS: 3 promoters and 2 detractors of 5 = 20.
    assert (values["average_satisfaction"], values["recommendation_score"]) == (4.0, 20.0)
    # Requests: the 3 pulse requests of `known` and these 6, all answered.
    assert values["survey_response_rate"] == 100.0
    assert values["skill_growth"] is None and values["development_impact"] is None
