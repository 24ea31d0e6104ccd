"""Optimal assignment of mentees to mentors with capacities (pure NumPy / SciPy, no Django).

`assign(scores, capacities, allowed)` returns the pairs that match as many mentees as possible
and, among all such assignments, have the largest total score. It is exact, not greedy.

How it works (a restricted master problem with a dual certificate):

1. The problem is the linear program
       max  sum W[i, j] x[i, j]   s.t.  sum_j x[i, j] <= 1,  sum_i x[i, j] <= cap[j],  x >= 0
   over the allowed pairs, with W = BIG + score - min(score) and BIG larger than
   (cardinality + 1) x (score range): then any optimum matches as many mentees as possible
   first and maximises the total score second. The constraint matrix is totally unimodular,
   so an optimal vertex is a 0/1 assignment. Its dual is
       min  sum u[i] + sum cap[j] v[j]   s.t.  u[i] + v[j] >= W[i, j],  u, v >= 0.
2. A small set of candidate pairs (the best few per mentee and per mentor, chosen from the
   dense matrix with reduced scores) is solved exactly with SciPy's sparse Jonker-Volgenant
   (`min_weight_full_bipartite_matching`), each mentor expanded into one column per place and
   every row given a private "unmatched" column.
3. Dual prices for that solution are the least solution of a system of difference
   constraints (a longest-path / Bellman-Ford computation over mentors).
4. The prices are checked against *every* allowed pair of the dense matrix, in chunks. If no
   pair has a positive reduced profit, the complementary slackness conditions hold for the
   whole problem and the assignment is optimal (LP duality). Otherwise the violating pairs are
   added to the candidates and the loop continues; it ends because every round adds pairs.

Only the score matrix, the mask and a few vectors are held in memory; the dense matrix is read
in chunks of rows by two threads (NumPy releases the GIL).

Tolerance: reduced profits are compared with a tolerance of about 1e-11 x BIG (BIG is
(matches + 1) x score range), far below any difference that matters for 0-100 scores.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import (
    dijkstra,
    maximum_bipartite_matching,
    min_weight_full_bipartite_matching,
)

__all__ = ["assign"]

# Candidate pairs per mentee and per mentor in the first round and in each repair round.
ROW_CANDIDATES = int(os.environ.get("ROWK", 8))
COL_CANDIDATES = int(os.environ.get("COLK", 6))
# Below this many cells the whole allowed graph is the candidate set (no pricing rounds).
FULL_GRAPH_CELLS = 60_000
# Rows read from the dense matrix at a time; small enough to stay in the CPU cache.
CHUNK_ROWS = 64
RELATIVE = True
PRUNE = float(os.environ.get("PRUNE", 0))
PRUNE_ROUNDS = int(os.environ.get("PRUNE_ROUNDS", 4))
WIDE_ROUNDS = int(os.environ.get("WIDE_ROUNDS", 1))
WIDE_MARGIN = float(os.environ.get("WIDE_MARGIN", 0.02))
# Largest share of the mentees a local repair may re-optimise (else: solve again).
REPAIR_SHARE = 0.5
THREADS = max(1, min(2, os.cpu_count() or 1))


def assign(scores, capacities, allowed=None) -> list[tuple[int, int]]:
    """Best assignment of mentees (rows) to mentors (columns).

    `scores` is a mentees x mentors array of finite floats (higher is better); `capacities`
    gives how many more mentees each mentor can take (non-negative integers); `allowed` is an
    optional boolean mask of the same shape as `scores` (False forbids the pair).

    Returns (mentee index, mentor index) pairs sorted by mentee: each mentee at most once,
    each mentor at most `capacities[j]` times, only allowed pairs. The number of pairs is the
    largest possible and, among assignments of that size, the total score is the largest.
    Raises ValueError for malformed input (shapes, NaN or infinite scores, negative or
    fractional capacities).
    """
    problem = _Problem.build(scores, capacities, allowed)
    return _solve(problem)


# --- input ------------------------------------------------------------------------------


@dataclass
class _Problem:
    scores: np.ndarray  # float64, C-contiguous, n x m
    allowed: np.ndarray | None  # bool, n x m (None: all allowed)
    caps: np.ndarray  # int64, clipped to n
    smin: float  # smallest score (forbidden pairs included)
    smax: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.scores.shape

    @classmethod
    def build(cls, scores, capacities, allowed) -> _Problem:
        scores = np.asarray(scores)
        if scores.ndim != 2:
            raise ValueError("scores must be a 2-D array (mentees x mentors).")
        if not (np.issubdtype(scores.dtype, np.number) or scores.dtype == np.bool_):
            raise ValueError("scores must be numeric.")
        if np.iscomplexobj(scores):
            raise ValueError("scores must be real numbers.")
        scores = np.ascontiguousarray(scores, dtype=np.float64)
        n, m = scores.shape

        caps = np.asarray(capacities)
        if caps.ndim != 1 or caps.shape[0] != m:
            raise ValueError(f"capacities must be a 1-D array with one entry per mentor ({m}).")
        if caps.dtype == np.bool_ or not np.issubdtype(caps.dtype, np.number):
            raise ValueError("capacities must be integers.")
        if np.issubdtype(caps.dtype, np.floating):
            if not np.all(np.isfinite(caps)) or np.any(caps != np.floor(caps)):
                raise ValueError("capacities must be whole numbers.")
        elif not np.issubdtype(caps.dtype, np.integer):
            raise ValueError("capacities must be integers.")
        if np.any(caps < 0):
            raise ValueError("capacities cannot be negative.")
        caps = np.minimum(caps, n).astype(np.int64)

        if allowed is not None:
            allowed = np.asarray(allowed)
            if allowed.shape != scores.shape:
                raise ValueError(f"allowed must have the shape of scores {scores.shape}.")
            if allowed.dtype != np.bool_:
                if not np.issubdtype(allowed.dtype, np.number) or np.any(
                    (allowed != 0) & (allowed != 1)
                ):
                    raise ValueError("allowed must be a boolean mask.")
                allowed = allowed.astype(bool)
            allowed = np.ascontiguousarray(allowed)

        smin, smax, finite = _range(scores)
        if not finite:
            raise ValueError("scores must be finite numbers (no NaN or infinity).")
        return cls(scores=scores, allowed=allowed, caps=caps, smin=smin, smax=smax)


def _chunks(n: int, size: int = CHUNK_ROWS * 8) -> list[tuple[int, int]]:
    return [(a, min(n, a + size)) for a in range(0, n, size)]


def _map(function, items):
    if THREADS == 1 or len(items) < 2:
        return [function(item) for item in items]
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(function, items))


def _range(scores: np.ndarray) -> tuple[float, float, bool]:
    """(min, max) of the scores and whether they are all finite, in one pass."""
    n, m = scores.shape
    if n == 0 or m == 0:
        return 0.0, 0.0, True

    def work(bounds):
        a, b = bounds
        block = scores[a:b]
        return float(block.min()), float(block.max())

    parts = _map(work, _chunks(n, 2048))
    low = min(part[0] for part in parts)
    high = max(part[1] for part in parts)
    return low, high, math.isfinite(low) and math.isfinite(high)


# --- solver -----------------------------------------------------------------------------


def _solve(
    problem: _Problem,
    *,
    row_k: int = ROW_CANDIDATES,
    col_k: int = COL_CANDIDATES,
    full_graph_cells: int = FULL_GRAPH_CELLS,
    stats: dict | None = None,
) -> list[tuple[int, int]]:
    scores, caps = problem.scores, problem.caps
    n, m = scores.shape
    if n == 0 or m == 0 or not caps.any():
        return []
    spread = problem.smax - problem.smin
    most = min(n, int(caps.sum()))
    big = (most + 1) * spread if spread > 0 else 1.0
    tol = 1e-11 * (big + abs(problem.smin) + abs(problem.smax) + 1.0)
    # Prices p are v - (BIG - smin): reduced profit of a pair = score - p[j] - u[i].
    floor = -(big - problem.smin)
    blocked = caps == 0
    clock = _Clock(stats)
    scan = _Scanner(problem, blocked, spread)

    if n * m <= full_graph_cells:
        keys = scan.all_allowed()
    else:
        zero_p = np.where(blocked, np.inf, 0.0)
        keys = scan.select(zero_p, np.zeros(n), -np.inf, row_k, col_k, relative=RELATIVE)
    clock.tick("select")
    counts = {"rounds": 0, "solves": 0, "repairs": 0, "failed_repairs": 0}
    er, ec = np.divmod(keys, m)
    es = scores[er, ec]
    x = _restricted(er, ec, es, caps, n, m, big, problem.smin)
    counts["solves"] += 1
    clock.tick("solve")
    duals = _duals(er, ec, es, x, caps, floor, tol)
    clock.tick("duals")
    while True:
        if duals is None:  # cannot happen for an optimal restricted solution
            raise RuntimeError("matching engine: no dual certificate for an optimal solution")
        counts["rounds"] += 1
        p, u = duals
        p[blocked] = np.inf
        margin = tol if counts["rounds"] > WIDE_ROUNDS else -WIDE_MARGIN * (spread or 1.0)
        found = np.setdiff1d(scan.select(p, u, margin, row_k, col_k), keys, assume_unique=True)
        if margin < tol and found.size:
            # Near-misses were added too: stop only when no pair has a positive profit.
            fr, fc = np.divmod(found, m)
            if not (scores[fr, fc] - p[fc] - u[fr] > tol).any():
                keys = np.union1d(keys, found)
                found = found[:0]
        clock.tick("select")
        if stats is not None:
            stats.setdefault("new", []).append(int(found.size))
            stats.setdefault("new_rows", []).append(int(np.unique(found // m).size))
        if found.size == 0:
            # No allowed pair outside the candidates has a positive reduced profit: the
            # dual solution is feasible for the whole problem, so x is optimal.
            break
        if PRUNE > 0 and counts["rounds"] <= PRUNE_ROUNDS:
            # Forget candidates far from tight under the current prices (keeps the
            # restricted problems small); the assignment's own pairs always stay.
            slack = u[er] + p[ec] - es
            keep = (slack <= PRUNE * (spread or 1.0)) | (x[er] == ec)
            keys = keys[keep]
        keys = np.union1d(keys, found)
        er, ec = np.divmod(keys, m)
        es = scores[er, ec]
        duals = _duals(er, ec, es, x, caps, floor, tol)
        clock.tick("duals")
        if duals is not None:
            continue
        fixed = _repair(er, ec, es, x, p, u, found, caps, n, m, big, problem.smin, REPAIR_SHARE)
        clock.tick("repair")
        if fixed is not None:
            counts["repairs"] += 1
            duals = _duals(er, ec, es, fixed, caps, floor, tol)
            clock.tick("duals")
            if duals is not None:
                x = fixed
                continue
            counts["failed_repairs"] += 1
        x = _restricted(er, ec, es, caps, n, m, big, problem.smin)
        counts["solves"] += 1
        clock.tick("solve")
        duals = _duals(er, ec, es, x, caps, floor, tol)
        clock.tick("duals")
    if stats is not None:
        stats.update(counts, candidates=int(keys.size))
    rows = np.nonzero(x >= 0)[0]
    return [(int(i), int(x[i])) for i in rows]


def _repair(er, ec, es, x, p, u, found, caps, n, m, big, smin, share):
    """Re-optimise only the part of the assignment that the new pairs can change.

    The part: the mentees with a new pair of positive reduced profit, and every mentee and
    mentor within that profit of them in the graph of candidate pairs weighted by reduced
    cost (a multi-source Dijkstra). Everyone else keeps their mentor. Returns None when the
    part is too large to be worth it; the caller checks the result with `_duals` anyway.
    """
    fr, fc = np.divmod(found, m)
    fs = _lookup(er, ec, es, fr, fc, m)
    profit = fs - p[fc] - u[fr]
    theta = float(profit.max())
    sources = np.unique(fr)
    # Graph: mentees 0..n-1, mentors n..n+m-1; an edge per candidate pair, weighted by its
    # reduced cost (>= 0 for the old pairs, the new ones count as free).
    floor_weight = theta * 1e-9 + 1e-300
    moves = x[er] != ec
    weight = np.maximum(u[er] + p[ec] - es, floor_weight)[moves]
    matched = np.nonzero(x >= 0)[0]
    load = np.bincount(x[matched], minlength=m)
    # A path ends at a mentor with a free place, so only full mentors pass mentees on.
    matched = matched[load[x[matched]] >= caps[x[matched]]]
    # Alternating paths: a mentee moves to another candidate mentor (reduced cost), and a
    # full mentor passes one of its mentees on (free).
    graph = csr_array(
        (
            np.concatenate((weight, np.full(matched.size, floor_weight))),
            (np.concatenate((er[moves], n + x[matched])), np.concatenate((n + ec[moves], matched))),
        ),
        shape=(n + m, n + m),
    )
    dist = dijkstra(graph, directed=True, indices=sources, min_only=True, limit=theta)
    reached = np.isfinite(dist)
    mentors = np.zeros(m, dtype=bool)
    mentors[reached[n:]] = True
    mentors[fc] = True
    mentors[x[sources][x[sources] >= 0]] = True
    rows = reached[:n].copy()
    rows[sources] = True
    rows[(x >= 0) & mentors[np.maximum(x, 0)]] = True
    _REPAIR_SIZES.append(
        (
            int(sources.size),
            theta,
            int(rows.sum()),
            int(reached[:n].sum()),
            int(mentors.sum()),
            float(np.mean(weight <= floor_weight)),
        )
    )
    if rows.sum() > share * n:
        return None
    keep = rows[er] & mentors[ec]
    sub = _restricted(er[keep], ec[keep], es[keep], caps, n, m, big, smin)
    fixed = x.copy()
    fixed[rows] = sub[rows]
    return fixed


_REPAIR_SIZES = []


def _lookup(er, ec, es, fr, fc, m):
    keys = er * m + ec
    at = np.searchsorted(keys, fr * m + fc)
    return es[at]


def _restricted(er, ec, es, caps, n, m, big, smin) -> np.ndarray:
    """Exact optimum on the candidate pairs: mentor of each mentee (-1: unmatched)."""
    x = np.full(n, -1, dtype=np.int64)
    if er.size == 0:
        return x
    rows, row_index = np.unique(er, return_inverse=True)
    cols, col_index = np.unique(ec, return_inverse=True)
    # A mentor never needs more places than candidate mentees.
    degree = np.bincount(col_index, minlength=cols.size)
    ccap = np.minimum(caps[cols], degree)
    nr, places = rows.size, int(ccap.sum())
    start = np.concatenate(([0], np.cumsum(ccap)[:-1]))
    ecap = ccap[col_index]
    rep = np.repeat(np.arange(er.size), ecap)
    offset = np.arange(rep.size) - np.repeat(np.cumsum(ecap) - ecap, ecap)
    place = start[col_index][rep] + offset
    mentee = row_index[rep]
    owner = np.repeat(cols, ccap)
    # Profit W = BIG + s - smin > 0 for a pair and 0 for staying unmatched, as costs
    # top - W >= 1 (SciPy drops explicit zeros). Every row of the problem below takes exactly
    # one column, so the constant shift does not change the optimum.
    w = big + (es - smin)
    top = float(w.max()) + 1.0
    cost = top - w[rep]
    # Rows are the scarcer side: mentees, or places when places are fewer. The solver's
    # work per augmenting path grows with the number of columns, so the private "stay
    # unmatched" columns are only added when not every row can be matched.
    if places >= nr:
        side, other, n_side, n_other = mentee, place, nr, places
    else:
        side, other, n_side, n_other = place, mentee, places, nr
    graph = csr_array((cost, (side, other)), shape=(n_side, n_other))
    if int(np.sum(maximum_bipartite_matching(graph, perm_type="column") >= 0)) < n_side:
        graph = csr_array(
            (
                np.concatenate((cost, np.full(n_side, top))),
                (
                    np.concatenate((side, np.arange(n_side))),
                    np.concatenate((other, n_other + np.arange(n_side))),
                ),
            ),
            shape=(n_side, n_other + n_side),
        )
    row, col = min_weight_full_bipartite_matching(graph)
    hit = col < n_other
    row, col = row[hit], col[hit]
    if places >= nr:
        x[rows[row]] = owner[col]
    else:
        x[rows[col]] = owner[row]
    return x


def _duals(er, ec, es, x, caps, floor, tol):
    """Least prices certifying that `x` is optimal on the candidate pairs, or None if not.

    Constraints (p = price of a mentor, u = utility of a mentee, both in score units):
      p[j] >= floor;  p[k] >= s[i, k] for an unmatched i;  p[k] >= p[j] + s[i, k] - s[i, j]
      for i matched to j; and, for complementary slackness, p[j] <= s[i, j] for i matched to
      j and p[j] == floor when j has free places. Solved as a longest path (Bellman-Ford).
    """
    m = caps.size
    n = x.size
    xe = x[er]
    loose = xe < 0
    own = xe == ec
    matched_score = np.full(n, np.nan)
    matched_score[er[own]] = es[own]
    matched = x >= 0
    if np.isnan(matched_score[matched]).any():
        return None  # x uses a pair outside the candidates (stale after candidates changed)
    load = np.bincount(x[matched], minlength=m)
    upper = np.full(m, floor)
    full = load >= caps
    upper[full] = np.inf
    np.minimum.at(upper, x[matched], matched_score[matched])
    upper[~full] = floor
    upper += tol

    p = np.full(m, floor)
    np.maximum.at(p, ec[loose], es[loose])
    pick = ~loose & ~own
    src, dst = xe[pick], ec[pick]
    gain = es[pick] - matched_score[er[pick]]
    order = np.argsort(src, kind="stable")
    src, dst, gain = src[order], dst[order], gain[order]
    ptr = np.searchsorted(src, np.arange(m + 1))
    active = np.arange(m)
    parent = np.full(m, -1)
    passes = 0
    step = tol * 1e-3
    while active.size:
        if (p > upper).any():
            return None
        passes += 1
        if passes % 8 == 0 and _has_cycle(parent):
            return None  # a cycle with a positive gain: x is not optimal
        count = ptr[active + 1] - ptr[active]
        total = int(count.sum())
        if total == 0:
            break
        first = np.repeat(ptr[active] - (np.cumsum(count) - count), count)
        edges = first + np.arange(total)
        head, tail = dst[edges], src[edges]
        reach = p[tail] + gain[edges]
        before = p.copy()
        np.maximum.at(p, head, reach)
        raised = p > before + step
        active = np.nonzero(raised)[0]
        won = raised[head] & (reach >= p[head])
        parent[head[won]] = tail[won]
    if (p > upper).any():
        return None
    u = np.zeros(n)
    u[matched] = matched_score[matched] - p[x[matched]]
    return p, u


def _has_cycle(parent: np.ndarray) -> bool:
    """Whether following parent links from some node never reaches a root (-1)."""
    jump = parent.copy()
    for _ in range(max(1, int(parent.size).bit_length())):
        jump = np.where(jump >= 0, jump[np.maximum(jump, 0)], -1)
    return bool((jump >= 0).any())


class _Clock:
    def __init__(self, stats):
        import time

        self.stats, self.now, self.last = stats, time.perf_counter, time.perf_counter()

    def tick(self, name):
        if self.stats is not None:
            now = self.now()
            self.stats.setdefault(name, []).append(round(now - self.last, 3))
            self.last = now


class _Scanner:
    """Reads the dense matrix in chunks to pick candidate pairs with a positive reduced profit."""

    def __init__(self, problem: _Problem, blocked: np.ndarray, spread: float):
        self.problem = problem
        n, m = problem.shape
        rng = np.random.default_rng(20240611)
        # Tiny noise that breaks ties differently in every row and column, so that equal
        # scores do not send every mentee to the same few mentors. Only ranks candidates.
        self.noise = rng.random((CHUNK_ROWS, m)) * (1e-7 * (spread or 1.0))
        self.blocked = blocked

    def all_allowed(self) -> np.ndarray:
        problem = self.problem
        n, m = problem.shape
        mask = np.ones((n, m), dtype=bool) if problem.allowed is None else problem.allowed.copy()
        mask[:, self.blocked] = False
        r, c = np.nonzero(mask)
        return r.astype(np.int64) * m + c

    def _reduced(self, a: int, b: int, p: np.ndarray, u: np.ndarray, out=None) -> np.ndarray:
        block = np.subtract(self.problem.scores[a:b], p, out=out)
        block -= u[a:b, None]
        allowed = self.problem.allowed
        if allowed is not None:
            np.copyto(block, -np.inf, where=~allowed[a:b])
        return block

    def _column_thresholds(self, p, u, col_k) -> np.ndarray:
        """Per mentor, a reduced profit that about col_k mentees reach: the best of every
        col_k-th mentee (the expected rank of a sample maximum is the sampling step)."""
        problem = self.problem
        n, m = problem.shape
        rows = np.arange(0, n, max(1, col_k))
        block = problem.scores[rows] - p
        block -= u[rows, None]
        if problem.allowed is not None:
            np.copyto(block, -np.inf, where=~problem.allowed[rows])
        block += self.noise[rows % CHUNK_ROWS]
        return block.max(axis=0)

    def select(self, p, u, tol, row_k, col_k, relative=False) -> np.ndarray:
        """Keys (i * m + j) of pairs with reduced profit > tol that rank among the best ~row_k
        of their row or ~col_k of their column."""
        n, m = self.problem.shape
        column_threshold = self._column_thresholds(p, u, col_k)
        stride = max(1, row_k)
        relative_threshold = np.where(np.isfinite(column_threshold), column_threshold, 0.0)

        def work(bounds):
            a, b = bounds
            found = []
            buffer = np.empty((CHUNK_ROWS, m))
            for start in range(a, b, CHUNK_ROWS):
                stop = min(b, start + CHUNK_ROWS)
                block = self._reduced(start, stop, p, u, out=buffer[: stop - start])
                positive = block > tol
                if not positive.any():
                    continue
                block += self.noise[: stop - start]
                row_threshold = block[:, ::stride].max(axis=1)
                pick = block >= row_threshold[:, None]
                pick |= block >= column_threshold
                if relative:
                    block -= relative_threshold
                    pick |= block >= block[:, ::stride].max(axis=1)[:, None]
                pick &= positive
                r, c = np.nonzero(pick)
                found.append((r + start).astype(np.int64) * m + c)
            return np.concatenate(found) if found else np.empty(0, np.int64)

        parts = _map(work, _chunks(n))
        return np.unique(np.concatenate(parts)) if parts else np.empty(0, np.int64)
