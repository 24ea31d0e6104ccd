"""The assignment engine against independent solvers (no database needed)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from matching import engine
from matching.engine import Settings, assign

# Small pools and candidate sets, so that even small cases go through every step: rounds,
# shortest-path updates, bound checks, re-reads and pool rebuilds.
TIGHT_SETTINGS = [
    Settings(
        full_graph_cells=0,
        pool_row=2,
        pool_col=1,
        pool_relative=1,
        row_k=1,
        col_k=1,
        chunk_rows=4,
        threads=1,
    ),
    Settings(
        full_graph_cells=0,
        pool_row=3,
        pool_col=2,
        pool_relative=2,
        row_k=2,
        col_k=1,
        chunk_rows=8,
        reoptimize_rows=1000,
        rebuild_share=1.0,
    ),
    Settings(
        full_graph_cells=0,
        pool_row=5,
        pool_col=3,
        pool_relative=3,
        row_k=1,
        col_k=2,
        chunk_rows=16,
        reoptimize_rows=0,
        rebuild_share=0.0,
    ),
]


def reference(scores, capacities, allowed=None) -> tuple[int, float]:
    """(pairs, total score) of the best assignment, by SciPy's dense assignment solver on the
    matrix with one column per place and a private "unmatched" column per mentee."""
    scores = np.asarray(scores, dtype=float)
    n, m = scores.shape
    allowed = np.ones((n, m), dtype=bool) if allowed is None else np.asarray(allowed, bool)
    owner = np.repeat(np.arange(m), np.minimum(np.asarray(capacities, int), n))
    places = owner.size
    if n == 0 or places == 0 or not allowed[:, owner].any():
        return 0, 0.0
    values = scores[allowed]
    big = (n + 1) * (values.max() - values.min() + 1.0)
    cost = np.full((n, places + n), np.inf)
    cost[:, :places] = np.where(allowed[:, owner], -(big + scores[:, owner] - values.min()), np.inf)
    cost[np.arange(n), places + np.arange(n)] = 0.0
    rows, cols = linear_sum_assignment(cost)
    hit = cols < places
    return int(hit.sum()), float(scores[rows[hit], owner[cols[hit]]].sum())


def brute_force(scores, capacities, allowed) -> tuple[int, float]:
    """(pairs, total score) of the best assignment by trying every one."""
    n, m = scores.shape
    best = (0, 0.0)
    for choice in itertools.product(range(-1, m), repeat=n):
        load = np.zeros(m, dtype=int)
        total, count, ok = 0.0, 0, True
        for i, j in enumerate(choice):
            if j < 0:
                continue
            if not allowed[i, j]:
                ok = False
                break
            load[j] += 1
            total += scores[i, j]
            count += 1
        if ok and (load <= capacities).all() and (count, total) > (best[0], best[1] + 1e-9):
            best = (count, total)
    return best


def check(pairs, scores, capacities, allowed=None) -> tuple[int, float]:
    """Assert the pairs are a valid assignment; return (pairs, total score)."""
    scores = np.asarray(scores, dtype=float)
    n, m = scores.shape
    mentees = [i for i, _ in pairs]
    assert mentees == sorted(mentees)
    assert len(set(mentees)) == len(mentees), "a mentee appears twice"
    load = np.bincount([j for _, j in pairs], minlength=m)
    assert (load <= np.asarray(capacities)).all(), "a mentor is over capacity"
    if allowed is not None:
        assert all(allowed[i][j] for i, j in pairs), "a forbidden pair was returned"
    assert all(isinstance(i, int) and isinstance(j, int) for i, j in pairs)
    return len(pairs), float(sum(scores[i, j] for i, j in pairs))


def assert_same(mine, best):
    assert mine[0] == best[0], f"{mine[0]} pairs instead of {best[0]}"
    assert mine[1] == pytest.approx(best[1], rel=1e-9, abs=1e-7)


def random_case(rng, n, m, kind):
    scores = rng.random((n, m)) * 100
    if kind == "ties":
        scores = np.round(scores / 20) * 20
    elif kind == "negative":
        scores = scores - 80
    elif kind == "popular":  # some mentors are everyone's favourite
        scores = np.round(rng.random((n, m)) * 60 + rng.random(m) * 40)
    elif kind == "constant":
        scores = np.full((n, m), 7.0)
    capacities = rng.integers(0, 4, m)
    allowed = rng.random((n, m)) >= rng.choice([0.0, 0.05, 0.3, 0.8])
    if n > 3:
        allowed[1] = False  # a mentee nobody may mentor
    return scores, capacities, allowed


def test_a_single_best_pair_is_found():
    assert assign([[1.0, 5.0], [2.0, 3.0]], [1, 1]) == [(0, 1), (1, 0)]


def test_matching_more_mentees_wins_over_a_higher_total():
    # Mentee 0 scores 100 with mentor 0 but mentee 1 can only take mentor 0: two pairs at
    # 1 + 2 beat the single pair at 100.
    scores = [[100.0, 1.0], [2.0, 0.0]]
    allowed = [[True, True], [True, False]]
    assert assign(scores, [1, 1], allowed) == [(0, 1), (1, 0)]


def test_capacity_lets_a_mentor_take_several_mentees():
    scores = np.array([[9.0, 1.0], [8.0, 1.0], [7.0, 1.0]])
    assert assign(scores, [2, 5]) == [(0, 0), (1, 0), (2, 1)]


def test_forbidden_pairs_are_never_returned_even_when_nothing_else_is_possible():
    scores = np.array([[50.0, 60.0], [70.0, 80.0]])
    allowed = np.array([[False, False], [False, True]])
    assert assign(scores, [3, 3], allowed) == [(1, 1)]


def test_empty_and_degenerate_inputs_give_no_pairs():
    assert assign(np.zeros((0, 3)), [1, 1, 1]) == []
    assert assign(np.zeros((3, 0)), []) == []
    assert assign(np.ones((3, 2)), [0, 0]) == []
    assert assign(np.ones((3, 2)), [1, 1], np.zeros((3, 2), dtype=bool)) == []


def test_capacities_larger_than_the_cohort_are_fine():
    scores = np.arange(12, dtype=float).reshape(4, 3)
    pairs = assign(scores, [10**9, 0, 0])
    assert pairs == [(0, 0), (1, 0), (2, 0), (3, 0)]


def test_lists_integers_and_zero_one_masks_are_accepted():
    pairs = assign([[1, 2], [3, 4]], np.array([1.0, 1.0]), [[1, 0], [1, 1]])
    assert pairs == [(0, 0), (1, 1)]


@pytest.mark.parametrize(
    ("scores", "capacities", "allowed", "message"),
    [
        (np.ones(3), [1, 1, 1], None, "2-D"),
        (np.ones((2, 3)), [1, 1], None, "one entry per mentor"),
        (np.ones((2, 3)), [[1, 1, 1]], None, "one entry per mentor"),
        (np.ones((2, 2)), [1, -1], None, "negative"),
        (np.ones((2, 2)), [1, 1.5], None, "whole numbers"),
        (np.ones((2, 2)), [1, np.nan], None, "whole numbers"),
        (np.ones((2, 2)), [True, False], None, "whole numbers"),
        (np.ones((2, 2)), ["1", "2"], None, "whole numbers"),
        (np.array([[1.0, np.nan], [0.0, 1.0]]), [1, 1], None, "finite"),
        (np.array([[1.0, np.inf], [0.0, 1.0]]), [1, 1], None, "finite"),
        (np.array([["a", "b"], ["c", "d"]]), [1, 1], None, "real numbers"),
        (np.ones((2, 2)), [1, 1], np.ones((2, 3), dtype=bool), "shape"),
        (np.ones((2, 2)), [1, 1], np.full((2, 2), 2), "boolean"),
    ],
)
def test_malformed_input_is_rejected(scores, capacities, allowed, message):
    with pytest.raises(ValueError, match=message):
        assign(scores, capacities, allowed)


def test_nan_even_on_a_forbidden_pair_is_rejected():
    scores = np.array([[1.0, np.nan]])
    with pytest.raises(ValueError, match="finite"):
        assign(scores, [1, 1], [[True, False]])


def test_tiny_cases_match_brute_force():
    rng = np.random.default_rng(7)
    for trial in range(150):
        n, m = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        kind = ["uniform", "ties", "negative", "popular"][trial % 4]
        scores, capacities, allowed = random_case(rng, n, m, kind)
        best = brute_force(scores, capacities, allowed)
        settings = TIGHT_SETTINGS[trial % len(TIGHT_SETTINGS)]
        for pairs in (
            assign(scores, capacities, allowed),
            engine._solve(engine._Problem.build(scores, capacities, allowed), settings),
        ):
            assert_same(check(pairs, scores, capacities, allowed), best)


@pytest.mark.parametrize("kind", ["uniform", "ties", "negative", "popular", "constant"])
def test_small_cases_match_the_dense_solver(kind):
    rng = np.random.default_rng(sum(map(ord, kind)))
    for trial in range(60):
        n, m = int(rng.integers(1, 45)), int(rng.integers(1, 30))
        scores, capacities, allowed = random_case(rng, n, m, kind)
        settings = TIGHT_SETTINGS[trial % len(TIGHT_SETTINGS)]
        problem = engine._Problem.build(scores, capacities, allowed)
        pairs = engine._solve(problem, settings)
        assert_same(
            check(pairs, scores, capacities, allowed), reference(scores, capacities, allowed)
        )


@pytest.mark.parametrize(
    ("n", "m", "places"),
    [
        (300, 120, "loose"),  # places about twice the mentees
        (300, 120, "equal"),
        (300, 120, "short"),  # fewer places than mentees
        (90, 260, "loose"),  # more mentors than mentees
        (90, 260, "short"),
    ],
)
@pytest.mark.parametrize("kind", ["uniform", "popular"])
def test_medium_cases_match_the_dense_solver(n, m, places, kind):
    rng = np.random.default_rng(n * m + len(places) + len(kind))
    scores, _, allowed = random_case(rng, n, m, kind)
    allowed = rng.random((n, m)) >= 0.05  # about 5% forbidden pairs
    capacities = rng.integers(1, 6, m)
    target = {"loose": 2 * n, "equal": n, "short": int(0.8 * n)}[places]
    while capacities.sum() > target and capacities.max() > 1:
        j = rng.integers(m)
        capacities[j] = max(1, capacities[j] - 1)
    best = reference(scores, capacities, allowed)
    for settings in [engine.DEFAULT, *TIGHT_SETTINGS]:
        pairs = engine._solve(engine._Problem.build(scores, capacities, allowed), settings)
        assert_same(check(pairs, scores, capacities, allowed), best)


def test_a_larger_cohort_goes_through_the_pool_and_matches_the_dense_solver():
    rng = np.random.default_rng(11)
    n, m = 600, 250
    scores = np.round(rng.random((n, m)) * 60 + rng.random(m) * 40, 1)
    capacities = rng.integers(1, 4, m)
    allowed = rng.random((n, m)) >= 0.05
    stats: dict = {}
    pairs = engine._solve(engine._Problem.build(scores, capacities, allowed), stats=stats)
    assert stats["dense_passes"] >= 1  # the pool, not the whole matrix
    assert stats["candidates"] < n * m / 4
    assert_same(check(pairs, scores, capacities, allowed), reference(scores, capacities, allowed))


def test_small_updates_reuse_the_previous_optimum():
    # With tiny candidate sets most rounds add a few pairs: the previous optimum is updated
    # by shortest augmenting paths instead of solving again, and still matches the reference.
    rng = np.random.default_rng(5)
    stats: dict = {}
    for _ in range(40):
        scores, capacities, allowed = random_case(rng, 40, 25, "popular")
        problem = engine._Problem.build(scores, capacities, allowed)
        pairs = engine._solve(problem, TIGHT_SETTINGS[1], stats=stats)
        assert_same(
            check(pairs, scores, capacities, allowed), reference(scores, capacities, allowed)
        )
    assert stats["reoptimizations"] > 20
    assert stats["solves"] < stats["rounds"]


def test_the_result_does_not_depend_on_the_settings():
    rng = np.random.default_rng(3)
    scores, capacities, allowed = random_case(rng, 80, 40, "popular")
    totals = {
        check(
            engine._solve(engine._Problem.build(scores, capacities, allowed), s),
            scores,
            capacities,
            allowed,
        )
        for s in [engine.DEFAULT, *TIGHT_SETTINGS]
    }
    assert len({count for count, _ in totals}) == 1
    assert max(t for _, t in totals) - min(t for _, t in totals) < 1e-7
