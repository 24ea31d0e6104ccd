"""The engine against an independent solver: SciPy's dense assignment on a slot-expanded matrix.

Each mentor becomes one column per place, and each mentee gets a private "stays unmatched"
column; every allowed pair is worth BIG + score with BIG larger than any total of scores, so
the oracle's optimum also matches as many mentees as possible first. No database needed.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from matching.engine import assign

FORBIDDEN = 1e15


def oracle(scores, capacities, allowed) -> tuple[int, float]:
    """(number of pairs, total score) of an optimal assignment."""
    n, m = scores.shape
    if n == 0:
        return 0, 0.0
    spread = float(np.ptp(scores)) if scores.size else 0.0
    big = (n + 1) * (spread + 1.0)
    slots = [j for j in range(m) for _ in range(int(capacities[j]))]
    cost = np.full((n, len(slots) + n), FORBIDDEN)
    for k, j in enumerate(slots):
        cost[:, k] = np.where(allowed[:, j], -(big + scores[:, j] - scores.min()), FORBIDDEN)
    cost[:, len(slots) :] = np.where(np.eye(n, dtype=bool), 0.0, FORBIDDEN)
    rows, cols = linear_sum_assignment(cost)
    pairs = [(i, slots[k]) for i, k in zip(rows, cols, strict=True) if k < len(slots)]
    return len(pairs), float(sum(scores[i, j] for i, j in pairs))


def check(scores, capacities, allowed=None):
    scores = np.asarray(scores, dtype=float)
    mask = np.ones(scores.shape, dtype=bool) if allowed is None else allowed
    pairs = assign(scores, capacities, allowed)
    mentees = [i for i, _ in pairs]
    assert len(mentees) == len(set(mentees)), "a mentee was matched twice"
    load = np.bincount([j for _, j in pairs], minlength=scores.shape[1])
    assert (load <= np.asarray(capacities)).all(), "a mentor went over capacity"
    assert all(mask[i, j] for i, j in pairs), "a forbidden pair was returned"
    count, total = oracle(scores, np.asarray(capacities), mask)
    assert len(pairs) == count
    assert sum(scores[i, j] for i, j in pairs) == pytest.approx(total, abs=1e-6)
    return pairs


@pytest.mark.parametrize("seed", range(60))
def test_small_random_instances_match_the_oracle(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 13)), int(rng.integers(1, 9))
    if seed % 3 == 0:
        scores = rng.integers(0, 4, size=(n, m)).astype(float)  # many ties
    elif seed % 3 == 1:
        scores = rng.normal(0, 30, size=(n, m))  # negative scores too
    else:
        scores = rng.random((n, m)) * 100
    capacities = rng.integers(0, 4, size=m)
    allowed = rng.random((n, m)) < rng.uniform(0.3, 1.0)
    check(scores, capacities, allowed)


@pytest.mark.parametrize("seed", range(6))
def test_medium_instances_with_tight_capacity_match_the_oracle(seed):
    rng = np.random.default_rng(100 + seed)
    n, m = 240, 90
    scores = np.round(rng.random((n, m)) * 100, 1)
    # Loose (about 270 places for 240 mentees) or tight (about 90 places).
    capacities = rng.integers(1, 6, size=m) if seed % 2 == 0 else rng.integers(0, 3, size=m)
    allowed = rng.random((n, m)) > 0.05
    check(scores, capacities, allowed)


def test_matching_more_mentees_beats_a_higher_total_score():
    # Mentee 0 would score 100 with mentor 0, but then mentee 1 (who can only take mentor 0)
    # would stay alone: two pairs come first.
    scores = np.array([[100.0, 1.0], [50.0, 0.0]])
    allowed = np.array([[True, True], [True, False]])
    assert sorted(check(scores, [1, 1], allowed)) == [(0, 1), (1, 0)]


def test_brute_force_agrees_on_tiny_instances():
    rng = np.random.default_rng(7)
    for _ in range(40):
        n, m = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        scores = rng.integers(-5, 6, size=(n, m)).astype(float)
        capacities = rng.integers(0, 3, size=m)
        allowed = rng.random((n, m)) < 0.8
        best = (0, 0.0)
        options = [None, *range(m)]
        for choice in itertools.product(options, repeat=n):
            load = np.bincount([j for j in choice if j is not None], minlength=m)
            if (load > capacities).any():
                continue
            if any(j is not None and not allowed[i, j] for i, j in enumerate(choice)):
                continue
            pairs = [(i, j) for i, j in enumerate(choice) if j is not None]
            value = (len(pairs), float(sum(scores[i, j] for i, j in pairs)))
            best = max(best, value)
        pairs = assign(scores, capacities, allowed)
        assert (len(pairs), float(sum(scores[i, j] for i, j in pairs))) == pytest.approx(best)


def test_edge_cases():
    assert assign(np.zeros((0, 3)), [1, 1, 1]) == []
    assert assign(np.zeros((3, 0)), []) == []
    assert assign(np.ones((2, 2)), [0, 0]) == []
    assert assign(np.ones((2, 2)), [1, 1], np.zeros((2, 2), dtype=bool)) == []


@pytest.mark.parametrize(
    "scores, capacities, allowed",
    [
        (np.array([[np.nan]]), [1], None),
        (np.ones((2, 2)), [1, -1], None),
        (np.ones((2, 2)), [1], None),
        (np.ones((2, 2)), [1, 1], np.ones((3, 2), dtype=bool)),
        (np.ones(3), [1, 1, 1], None),
    ],
)
def test_bad_input_is_refused(scores, capacities, allowed):
    with pytest.raises(ValueError):
        assign(scores, capacities, allowed)
