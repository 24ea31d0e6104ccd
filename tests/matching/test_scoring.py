"""Match scores and their reasons (pure functions, no database needed)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from matching import scoring
from matching.scoring import (
    NEUTRAL_SCORE,
    WEIGHT_POINTS,
    explain,
    mentor_table,
    score_matrix,
    total,
)

ALL_HIGH = dict.fromkeys(scoring.CRITERIA, "high")


def reason(reasons, criterion):
    return next(r for r in reasons if r.criterion == criterion)


def test_skills_score_the_share_of_wanted_skills_the_mentor_offers():
    mentee = {"skills": [1, 2, 3, 4]}
    mentor = {"skills": [2, 3, 4, 9]}
    (skills,) = explain(mentee, mentor, {"skills_wanted": "high"})
    assert skills.criterion == "skills_wanted"
    assert skills.outcome == "partly"
    assert skills.facts == {"matched": [2, 3, 4], "wanted": 4}
    assert skills.points == pytest.approx(3 * 0.75)
    assert skills.max_points == 3
    assert score_matrix([mentee], [mentor], {"skills_wanted": "high"}).scores[0, 0] == 75.0


def test_the_skills_weight_is_the_stronger_of_wanted_and_offered():
    mentee, mentor = {"skills": [1]}, {"skills": [1]}
    weights = {"skills_wanted": "low", "skills_offered": "high"}
    (skills,) = explain(mentee, mentor, weights)
    assert skills.weight == "high"
    (skills,) = explain(mentee, mentor, {"skills_offered": "medium"})
    assert skills.weight == "medium"


def test_experience_is_ordinal_with_partial_credit_one_band_short():
    weights = {"experience": "medium"}
    assert explain({"experience": 1}, {"experience": 2}, weights)[0].outcome == "met"
    short = explain({"experience": 2}, {"experience": 1}, weights)[0]
    assert short.outcome == "not_met"
    assert short.points == pytest.approx(1.0)  # half of the 2 points
    assert short.facts == {"wanted": 2, "mentor": 1}
    assert explain({"experience": 2}, {"experience": 0}, weights)[0].points == 0


def test_communication_style_needs_the_same_choice():
    weights = {"communication_style": "low"}
    assert (
        explain({"communication_style": "direct"}, {"communication_style": "direct"}, weights)[
            0
        ].outcome
        == "met"
    )
    assert (
        explain({"communication_style": "direct"}, {"communication_style": "calm"}, weights)[
            0
        ].points
        == 0
    )


def test_availability_scores_the_share_of_the_mentees_options_in_common():
    weights = {"availability": "medium"}
    (availability,) = explain(
        {"availability": ["mornings", "video"]}, {"availability": ["video", "evenings"]}, weights
    )
    assert availability.outcome == "partly"
    assert availability.facts == {"shared": ["video"], "wanted": 2}
    assert availability.points == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("preference", "mentor_area", "outcome"),
    [("same", 7, "met"), ("same", 8, "not_met"), ("different", 8, "met"), (None, 8, "unknown")],
)
def test_area_follows_the_mentees_preference(preference, mentor_area, outcome):
    mentee = {"area": 7, "area_preference": preference}
    (area,) = explain(mentee, {"area": mentor_area}, {"area": "low"})
    assert area.outcome == outcome


def test_language_needs_one_language_in_common():
    weights = {"language": "medium"}
    (shared,) = explain({"languages": ["es", "en"]}, {"languages": ["en"]}, weights)
    assert shared.outcome == "met"
    assert shared.facts == {"shared": ["en"]}
    assert explain({"languages": ["es"]}, {"languages": ["fr"]}, weights)[0].points == 0


def test_location_counts_only_for_mentees_who_want_the_same_place():
    weights = {"location": "high"}
    mentor = {"location": " Madrid "}
    assert (
        explain({"location": "madrid", "same_location": True}, mentor, weights)[0].outcome == "met"
    )
    assert (
        explain({"location": "Sevilla", "same_location": True}, mentor, weights)[0].outcome
        == "not_met"
    )
    assert (
        explain({"location": "Sevilla", "same_location": False}, mentor, weights)[0].outcome
        == "unknown"
    )


def test_missing_answers_are_neutral_and_never_fail_a_must_have():
    weights = {"skills_wanted": "high", "language": "must", "experience": "medium"}
    mentee = {"skills": [1, 2], "languages": ["es"]}
    mentor = {"skills": [1, 2]}  # no languages, no experience
    reasons = explain(mentee, mentor, weights)
    assert [r.outcome for r in reasons] == ["met", "unknown", "unknown"]
    assert reason(reasons, "language").max_points == 0
    assert total(reasons) == 100.0
    result = score_matrix([mentee], [mentor], weights)
    assert result.scores[0, 0] == 100.0
    assert result.must_ok[0, 0]


def test_a_pair_with_nothing_to_compare_scores_neutral():
    assert score_matrix([{}], [{}], ALL_HIGH).scores[0, 0] == NEUTRAL_SCORE
    assert total([]) == NEUTRAL_SCORE


def test_a_failed_must_have_forbids_the_pair_and_still_counts_like_high():
    weights = {"language": "must", "skills_wanted": "low"}
    mentee = {"languages": ["es"], "skills": [1]}
    mentors = [{"languages": ["fr"], "skills": [1]}, {"languages": ["es"], "skills": [2]}]
    result = score_matrix([mentee], mentors, weights)
    assert result.must_ok.tolist() == [[False, True]]
    reasons = explain(mentee, mentors[0], weights)
    assert reason(reasons, "language").fails_must
    assert reason(reasons, "language").max_points == WEIGHT_POINTS["high"]
    assert result.scores[0].tolist() == pytest.approx([25.0, 75.0])


def test_ignored_criteria_give_no_reason_and_unknown_weights_are_rejected():
    assert explain({"skills": [1]}, {"skills": [1]}, {"skills_wanted": "ignore"}) == []
    with pytest.raises(ValueError, match="weight"):
        score_matrix([{}], [{}], {"language": "urgent"})


def test_reasons_serialise_to_plain_data():
    (skills,) = explain({"skills": [1, 2]}, {"skills": [2]}, {"skills_wanted": "high"})
    assert skills.as_dict() == {
        "criterion": "skills_wanted",
        "weight": "high",
        "outcome": "partly",
        "met": True,
        "points": 1.5,
        "max_points": 3.0,
        "must": False,
        "facts": {"matched": [2], "wanted": 2},
    }


def profile(rng: random.Random, role: str) -> dict:
    data = {}
    if rng.random() < 0.9:
        data["skills"] = rng.sample(range(40), rng.randint(0, 5))
    if rng.random() < 0.8:
        data["experience"] = rng.choice([0, 1, 2, None])
    if rng.random() < 0.8:
        data["communication_style"] = rng.choice(["direct", "reflective", "practical", ""])
    if rng.random() < 0.8:
        data["availability"] = rng.sample(["mornings", "afternoons", "video", "in person"], 2)
    data["area"] = rng.choice([1, 2, 3, None])
    data["languages"] = rng.sample(["es", "en", "ca", "fr"], rng.randint(0, 2))
    data["location"] = rng.choice(["Madrid", " madrid", "Barcelona", None, ""])
    if role == "mentee":
        data["area_preference"] = rng.choice(["same", "different", None, ""])
        data["same_location"] = rng.choice([True, False, None])
    return data


def test_the_matrix_agrees_with_the_reasons_pair_by_pair():
    rng = random.Random(4)
    mentees = [profile(rng, "mentee") for _ in range(70)]
    mentors = [profile(rng, "mentor") for _ in range(50)]
    table = mentor_table(mentors)
    for _ in range(25):
        weights = {
            c: rng.choice(list(WEIGHT_POINTS)) for c in (*scoring.CRITERIA, "skills_offered")
        }
        result = score_matrix(mentees, table, weights, chunk=16)
        assert ((result.scores >= 0) & (result.scores <= 100)).all()
        for _ in range(150):
            i, j = rng.randrange(len(mentees)), rng.randrange(len(mentors))
            reasons = explain(mentees[i], mentors[j], weights)
            assert total(reasons) == pytest.approx(result.scores[i, j], abs=1e-9)
            assert result.must_ok[i, j] == (not any(r.fails_must for r in reasons))


def test_one_mentee_against_many_mentors_equals_the_full_matrix_row():
    rng = random.Random(9)
    mentees = [profile(rng, "mentee") for _ in range(5)]
    mentors = [profile(rng, "mentor") for _ in range(300)]
    table = mentor_table(mentors)
    full = score_matrix(mentees, table, ALL_HIGH)
    for i, mentee in enumerate(mentees):
        one = score_matrix([mentee], table, ALL_HIGH)
        np.testing.assert_allclose(one.scores[0], full.scores[i])
        assert (one.must_ok[0] == full.must_ok[i]).all()


def test_no_mentees_or_no_mentors_give_empty_matrices():
    assert score_matrix([], [{}], ALL_HIGH).scores.shape == (0, 1)
    assert score_matrix([{}], [], ALL_HIGH).scores.shape == (1, 0)
