"""Optimal assignment of mentees to mentors with capacities (pure NumPy / SciPy, no Django).

`assign(scores, capacities, allowed)` returns the pairs that match as many mentees as possible
and, among all such assignments, have the largest total score. It is exact, not greedy.

How it works (column generation with a dual certificate):

1. The problem is the linear program
       max  sum W[i, j] x[i, j]   s.t.  sum_j x[i, j] <= 1,  sum_i x[i, j] <= cap[j],  x >= 0
   over the allowed pairs, with W = BIG + score - min(score) and BIG = (most matches + 1) x
   (score range): any optimum matches as many mentees as possible first and maximises the
   total score second. The constraint matrix is totally unimodular, so an optimal vertex is a
   0/1 assignment. Its dual is
       min  sum u[i] + sum cap[j] v[j]   s.t.  u[i] + v[j] >= W[i, j],  u, v >= 0.
2. A pass over the dense matrix keeps a *pool* of promising pairs (the best few dozen of each
   mentee and of each mentor, and the best of each mentee relative to the top of each
   mentor's column), with bounds on the reduced profit of the pairs it leaves out.
3. A small candidate set drawn from the pool is solved exactly with SciPy's sparse
   Jonker-Volgenant (`min_weight_full_bipartite_matching`), one column per place.
4. Dual prices for that solution are the least solution of a system of difference
   constraints (a longest-path / Bellman-Ford computation over mentors). The pool is then
   taken again at these prices (reduced profits instead of raw scores).
5. Pairs with a positive reduced profit join the candidates: first from the pool; when the
   pool has none, the bounds clear most mentees and the others are read again (or the pool
   is rebuilt at the current prices). After a few new pairs the previous optimum is updated
   by shortest augmenting paths (Dijkstra with potentials); after many, step 3 runs again.
   When no allowed pair has a positive reduced profit, complementary slackness holds for the
   whole problem, so the assignment is optimal (LP duality). Every round adds pairs, so the
   loop ends.

Memory: the score matrix and mask as given, plus the pool (a few dozen pairs per mentee) and
small buffers; the dense matrix is read in chunks of rows by up to two threads.

Tolerance: reduced profits are compared with 1e-11 x (BIG + |scores|), far below any
difference that matters for 0-100 scores.
"""

from __future__ import annotations

import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import (
    dijkstra,
    maximum_bipartite_matching,
    min_weight_full_bipartite_matching,
)

__all__ = ["assign"]


@dataclass(frozen=True)
class Settings:
    """Tuning knobs: none of them changes the result, only the time it takes."""

    # Pool: best reduced profits per mentee, per mentor, and per mentee relative to the top of
    # each mentor's column (the first pass only).
    pool_row: int = 32
    pool_col: int = 12
    pool_relative: int = 16
    # Candidates per mentee and per mentor at the start and in each round.
    row_k: int = 3
    col_k: int = 3
    # Below this many cells every allowed pair is a candidate (no pool, no rounds).
    full_graph_cells: int = 60_000
    # At most this many mentees with new pairs are put back by shortest augmenting paths;
    # with more, the candidate problem is solved again from scratch.
    reoptimize_rows: int = 60
    # Rebuild the pool at the current prices when its bounds cannot clear this share of rows.
    rebuild_share: float = 0.25
    chunk_rows: int = 64
    threads: int = max(1, min(2, os.cpu_count() or 1))


DEFAULT = Settings()


def assign(scores, capacities, allowed=None) -> list[tuple[int, int]]:
    """Best assignment of mentees (rows) to mentors (columns).

    `scores` is a mentees x mentors array of finite numbers (higher is better); `capacities`
    gives how many more mentees each mentor can take (non-negative integers); `allowed` is an
    optional boolean mask shaped like `scores` (False forbids the pair).

    Returns (mentee index, mentor index) pairs sorted by mentee: each mentee at most once,
    each mentor at most `capacities[j]` times, only allowed pairs. The number of pairs is the
    largest possible and, among assignments of that size, the total score is the largest.
    Raises ValueError for malformed input (shapes, NaN or infinite scores, negative or
    fractional capacities, a mask that is not boolean). Scores of forbidden pairs are never
    used but must be finite too; a far-off placeholder there only costs precision, as the
    weight that puts more pairs first grows with the range of all scores.
    """
    return _solve(_Problem.build(scores, capacities, allowed))


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
        if scores.dtype != np.bool_ and (
            not np.issubdtype(scores.dtype, np.number) or np.iscomplexobj(scores)
        ):
            raise ValueError("scores must be real numbers.")
        scores = np.ascontiguousarray(scores, dtype=np.float64)
        n, m = scores.shape

        caps = np.asarray(capacities)
        if caps.ndim != 1 or caps.shape[0] != m:
            raise ValueError(f"capacities must be a 1-D array with one entry per mentor ({m}).")
        if caps.dtype == np.bool_ or not (
            np.issubdtype(caps.dtype, np.integer) or np.issubdtype(caps.dtype, np.floating)
        ):
            raise ValueError("capacities must be whole numbers.")
        if np.issubdtype(caps.dtype, np.floating) and (
            not np.all(np.isfinite(caps)) or np.any(caps != np.floor(caps))
        ):
            raise ValueError("capacities must be whole numbers.")
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
                allowed = allowed != 0
            allowed = np.ascontiguousarray(allowed)

        smin, smax = _range(scores)
        if not (math.isfinite(smin) and math.isfinite(smax)):
            raise ValueError("scores must be finite numbers (no NaN or infinity).")
        return cls(scores=scores, allowed=allowed, caps=caps, smin=smin, smax=smax)


def _map(function, items, threads: int):
    if threads <= 1 or len(items) < 2:
        return [function(item) for item in items]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(function, items))


def _spans(n: int, size: int) -> list[tuple[int, int]]:
    return [(a, min(n, a + size)) for a in range(0, n, size)]


def _range(scores: np.ndarray) -> tuple[float, float]:
    """(min, max) of all scores; NaN if any score is NaN."""
    n, m = scores.shape
    if n == 0 or m == 0:
        return 0.0, 0.0

    def work(span):
        block = scores[span[0] : span[1]]
        return float(block.min()), float(block.max())

    parts = _map(work, _spans(n, 2048), DEFAULT.threads)
    lows, highs = [p[0] for p in parts], [p[1] for p in parts]
    if any(math.isnan(v) for v in lows + highs):
        return math.nan, math.nan
    return min(lows), max(highs)


# --- solver -----------------------------------------------------------------------------


@dataclass
class _Stats:
    record: dict | None
    last: float = field(default_factory=time.perf_counter)

    def tick(self, name: str) -> None:
        if self.record is not None:
            now = time.perf_counter()
            self.record[name] = self.record.get(name, 0.0) + now - self.last
            self.last = now

    def count(self, name: str, value: int = 1) -> None:
        if self.record is not None:
            self.record[name] = self.record.get(name, 0) + value


def _solve(
    problem: _Problem, settings: Settings = DEFAULT, stats: dict | None = None
) -> list[tuple[int, int]]:
    scores, caps = problem.scores, problem.caps
    n, m = scores.shape
    if n == 0 or m == 0 or not caps.any():
        return []
    clock = _Stats(stats)
    spread = problem.smax - problem.smin
    most = min(n, int(caps.sum()))
    big = (most + 1) * spread if spread > 0 else 1.0
    tol = 1e-11 * (big + abs(problem.smin) + abs(problem.smax) + 1.0)
    # Prices p = v - (BIG - smin), in score units: the reduced profit of a pair is
    # s[i, j] - p[j] - u[i], and p[j] == floor means v[j] == 0.
    floor = -(big - problem.smin)
    blocked = caps == 0

    if n * m <= settings.full_graph_cells:
        pool = _Pool.everything(problem, blocked)
    else:
        pool = _Pool(problem, blocked)
        pool.extract(settings, relative=True)
    clock.tick("extract")
    keys = pool.initial(settings)
    er, ec = np.divmod(keys, m)
    es = scores[er, ec]
    x = _restricted(er, ec, es, caps, n, m, big, problem.smin)
    clock.tick("solve")
    clock.count("solves")
    duals = _duals(er, ec, es, x, caps, floor, tol)
    if duals is not None and pool.passes:
        # The first prices are far better than none: take the pool again at these prices.
        pool.extract(settings, np.where(blocked, np.inf, duals[0]), duals[1])
        clock.tick("extract")
    while True:
        if duals is None:  # cannot happen for an optimal restricted solution
            raise RuntimeError("matching engine: no dual certificate for an optimal solution")
        clock.tick("duals")
        clock.count("rounds")
        p, u = duals
        p[blocked] = np.inf
        found = pool.violations(p, u, tol, settings, exclude=keys)
        clock.tick("pool")
        if found.size == 0:
            # Nothing in the pool has a positive reduced profit; the rest of the matrix is
            # cleared by the pool's bounds or read again.
            found = pool.beyond(p, u, tol, settings, exclude=keys)
            clock.tick("beyond")
            if found.size == 0:
                break  # dual feasible for every allowed pair: x is optimal
        keys = _unique(np.concatenate((keys, found)))
        er, ec = np.divmod(keys, m)
        es = scores[er, ec]
        duals = _duals(er, ec, es, x, caps, floor, tol)  # x may still be optimal
        clock.tick("duals")
        if duals is None:
            rows = _unique(found // m)
            if rows.size <= settings.reoptimize_rows:
                better = _reoptimize(er, ec, es, x, p, u, rows, caps, floor, tol)
                clock.tick("reoptimize")
                clock.count("reoptimizations")
                if better is not None:
                    duals = _duals(er, ec, es, better, caps, floor, tol)
                    if duals is not None:
                        x = better
        if duals is None:
            x = _restricted(er, ec, es, caps, n, m, big, problem.smin)
            clock.tick("solve")
            clock.count("solves")
            if stats is not None:
                stats.setdefault("solve_sizes", []).append(
                    (int(keys.size), int(_unique(found // m).size))
                )
            duals = _duals(er, ec, es, x, caps, floor, tol)
    if stats is not None:
        stats.update(candidates=int(keys.size), pool_size=int(pool.keys.size))
        stats["dense_passes"] = pool.passes
    rows = np.nonzero(x >= 0)[0]
    return [(int(i), int(x[i])) for i in rows]


def _restricted(er, ec, es, caps, n, m, big, smin) -> np.ndarray:
    """Exact optimum on the candidate pairs: mentor of each mentee (-1: unmatched)."""
    x = np.full(n, -1, dtype=np.int64)
    if er.size == 0:
        return x
    rows = _unique(er)
    cols = _unique(ec)
    row_index = np.searchsorted(rows, er)
    col_index = np.searchsorted(cols, ec)
    # A mentor never needs more places than candidate mentees.
    ccap = np.minimum(caps[cols], np.bincount(col_index, minlength=cols.size))
    nr, places = rows.size, int(ccap.sum())
    start = np.concatenate(([0], np.cumsum(ccap)[:-1]))
    ecap = ccap[col_index]
    rep = np.repeat(np.arange(er.size), ecap)
    place = start[col_index][rep] + (np.arange(rep.size) - np.repeat(np.cumsum(ecap) - ecap, ecap))
    mentee = row_index[rep]
    owner = np.repeat(cols, ccap)
    # Profit W = BIG + s - smin > 0 for a pair and 0 for staying unmatched, as costs
    # top - W >= 1 (SciPy drops explicit zeros). Every row of the problem below takes exactly
    # one column, so the constant shift does not change the optimum.
    w = big + (es - smin)
    top = float(w.max()) + 1.0
    cost = top - w[rep]
    # Rows are the scarcer side (mentees, or places when places are fewer): augmenting paths
    # then end early at a free column. The solver's work grows with the number of columns,
    # so the private "stay unmatched" columns are only added when some row cannot be matched.
    if places >= nr:
        side, other, n_side, n_other = mentee, place, nr, places
    else:
        side, other, n_side, n_other = place, mentee, places, nr
    graph = csr_array((cost, (side, other)), shape=(n_side, n_other))
    if int(np.count_nonzero(maximum_bipartite_matching(graph, perm_type="column") >= 0)) < n_side:
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
    """Least prices certifying that `x` is optimal on the candidate pairs, or None if it is not.

    Constraints (p = price of a mentor, u = utility of a mentee, both in score units):
      p[j] >= floor;  p[k] >= s[i, k] for an unmatched i;  p[k] >= p[j] + s[i, k] - s[i, j]
      for i matched to j; and, for complementary slackness, p[j] <= s[i, j] for i matched to
      j (u >= 0) and p[j] == floor when j has free places. Solved as a longest path
      (Bellman-Ford); a cycle of positive gain or a broken upper bound means x is not optimal.
    """
    m, n = caps.size, x.size
    xe = x[er]
    loose = xe < 0
    own = xe == ec
    matched = x >= 0
    matched_score = np.full(n, np.nan)
    matched_score[er[own]] = es[own]
    if np.isnan(matched_score[matched]).any():
        return None  # x uses a pair that is not a candidate
    load = np.bincount(x[matched], minlength=m)
    if (load > caps).any():
        return None  # not even feasible
    full = load >= caps
    upper = np.where(full, np.inf, floor)
    np.minimum.at(upper, x[matched], matched_score[matched])
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
            return None
        count = ptr[active + 1] - ptr[active]
        total = int(count.sum())
        if total == 0:
            break
        edges = np.repeat(ptr[active] - (np.cumsum(count) - count), count) + np.arange(total)
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


def _reoptimize(er, ec, es, x, p, u, rows, caps, floor, tol):
    """Optimum on the candidate pairs after some were added, starting from the previous one.

    The mentees in `rows` (those with a new pair) are taken out and put back by successive
    shortest augmenting paths on the residual network of the min-cost flow: mentee -> mentor
    (cost -W), mentee -> sink (0: unmatched), mentor -> sink (0, up to its capacity). The
    potentials come from the previous prices (u for mentees, floor - p for mentors, 0 for the
    sink), raised for the mentees taken out, so every residual arc has a reduced cost >= 0 and
    SciPy's Dijkstra applies. Paths of equal length that do not touch are applied together.
    Returns None if something unexpected happens; the caller checks the result anyway.
    """
    n, m = x.size, caps.size
    sink = n + m
    x = x.copy()
    w = es - floor  # W = BIG + s - smin
    v = np.where(np.isfinite(p), np.maximum(p - floor, 0.0), 0.0)
    best = np.zeros(n)
    np.maximum.at(best, er, es - np.where(np.isfinite(p[ec]), p[ec], np.inf))
    pi = np.concatenate((u, -v, [0.0]))
    pi[rows] = np.maximum(best[rows], 0.0)
    flow = np.bincount(x[x >= 0], minlength=m)  # on mentor -> sink
    pending = np.zeros(n, dtype=bool)
    pending[rows] = True
    left = x[rows]
    x[rows] = -1
    for j in left[left >= 0]:
        if v[j] <= tol:
            flow[j] -= 1  # a place without a price is simply free again
    unmatched = (x < 0) & ~pending

    # Every arc in both directions, built once; an arc that is not in the residual network
    # gets an infinite weight. Order: pairs forward, pairs backward, mentee -> sink, sink ->
    # mentee, mentor -> sink, sink -> mentor.
    e, mentees, mentors = er.size, np.arange(n), np.arange(m)
    tail = np.concatenate((er, n + ec, mentees, np.full(n, sink), n + mentors, np.full(m, sink)))
    head = np.concatenate((n + ec, er, np.full(n, sink), mentees, np.full(m, sink), n + mentors))
    base = np.concatenate((-w, w, np.zeros(2 * n + 2 * m)))
    order = np.lexsort((head, tail))
    tail, head, base = tail[order], head[order], base[order]
    graph = csr_array((np.ones(tail.size), (tail, head)), shape=(sink + 1, sink + 1))
    graph.sort_indices()
    position = np.empty(tail.size, dtype=np.int64)
    position[order] = np.arange(tail.size)
    pair = position[:e], position[e : 2 * e]
    to_sink, from_sink = position[2 * e : 2 * e + n], position[2 * e + n : 2 * e + 2 * n]
    mentor_out, mentor_in = (
        position[2 * e + 2 * n : 2 * e + 2 * n + m],
        position[2 * e + 2 * n + m :],
    )

    for _ in range(2 * rows.size + 10):
        if not pending.any():
            return x
        inflow = np.bincount(x[x >= 0], minlength=m)
        sink_deficit = n - int(unmatched.sum()) - int(flow.sum())
        residual = np.empty(tail.size, dtype=bool)
        used = x[er] == ec
        residual[pair[0]] = ~used
        residual[pair[1]] = used
        residual[to_sink] = ~unmatched
        residual[from_sink] = unmatched
        residual[mentor_out] = flow < caps
        residual[mentor_in] = flow > 0
        weight = base + pi[tail] - pi[head]
        np.maximum(weight, 0.0, out=weight)  # rounding noise only
        weight[~residual] = np.inf
        graph.data = weight
        dist, pred, _ = dijkstra(
            graph,
            directed=True,
            indices=np.nonzero(pending)[0],
            min_only=True,
            return_predecessors=True,
        )
        targets = n + np.nonzero(flow > inflow)[0]
        if sink_deficit > 0:
            targets = np.append(targets, sink)
        reach = dist[targets]
        if targets.size == 0 or not np.isfinite(reach).any():
            return None
        length = float(reach.min())
        pi += np.minimum(dist, length)
        # Every shortest path is now made of zero-cost arcs: apply those that do not touch.
        taken = np.zeros(sink + 1, dtype=bool)
        applied = 0
        for end in targets[reach <= length + tol]:
            path = [int(end)]
            while pred[path[-1]] >= 0:
                path.append(int(pred[path[-1]]))
            path.reverse()
            inner = path[:-1] if end == sink else path
            if not (path[0] < n and pending[path[0]]) or taken[inner].any():
                continue
            taken[inner] = True
            pending[path[0]] = False
            applied += 1
            for a, b in zip(path[:-1], path[1:], strict=True):
                if a < n:  # a mentee takes a mentor, or stays unmatched
                    x[a] = b - n if b < sink else -1
                    unmatched[a] = b == sink
                elif a == sink and b < n:
                    unmatched[b] = False
                elif a == sink:
                    flow[b - n] -= 1
                elif b == sink:
                    flow[a - n] += 1
                # mentor -> mentee: that mentee leaves; its next arc says where it goes
        if not applied:
            return None
    return None


def _has_cycle(parent: np.ndarray) -> bool:
    """Whether following parent links from some node never reaches a root (-1)."""
    jump = parent.copy()
    for _ in range(max(1, int(parent.size).bit_length())):
        jump = np.where(jump >= 0, jump[np.maximum(jump, 0)], -1)
    return bool((jump >= 0).any())


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sorting beats NumPy's hash-based unique on these sizes)."""
    values = np.sort(values)
    if values.size:
        values = values[np.concatenate(([True], values[1:] != values[:-1]))]
    return values


def _contains(sorted_values: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Whether each item is in `sorted_values` (sorted, distinct)."""
    if sorted_values.size == 0:
        return np.zeros(items.shape, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_values, items), sorted_values.size - 1)
    return sorted_values[at] == items


def _top_per_group(group: np.ndarray, value: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest values within each group."""
    if group.size == 0 or k <= 0:
        return np.empty(0, dtype=np.int64)
    order = np.lexsort((-value, group))
    g = group[order]
    first = np.concatenate(([True], g[1:] != g[:-1]))
    start = np.maximum.accumulate(np.where(first, np.arange(g.size), 0))
    return order[np.arange(g.size) - start < k]


class _Pool:
    """Promising pairs kept from a pass over the dense matrix, with bounds for the rest.

    A pass is made at some prices (p0, u0). A pair (i, j) left out of the pool had a reduced
    profit s[i, j] - p0[j] - u0[i] below both `row_bound[i]` and `col_bound[j]`; at new prices
    (p, u) its reduced profit is therefore below
        min(row_bound[i], col_bound[j]) + (p0[j] - p[j]) + (u0[i] - u[i]).
    """

    def __init__(self, problem, blocked):
        self.problem = problem
        self.blocked = blocked
        n, m = problem.shape
        self.keys = np.empty(0, dtype=np.int64)
        self.rows = self.cols = self.keys
        self.scores = np.empty(0)
        self.row_bound = np.full(n, -np.inf)
        self.col_bound = np.full(m, -np.inf)
        self.p0 = np.zeros(m)
        self.u0 = np.zeros(n)
        self.passes = 0

    @classmethod
    def everything(cls, problem, blocked) -> _Pool:
        n, m = problem.shape
        mask = np.ones((n, m), dtype=bool) if problem.allowed is None else problem.allowed.copy()
        mask[:, blocked] = False
        r, c = np.nonzero(mask)
        pool = cls(problem, blocked)
        pool._add(r.astype(np.int64) * m + c)
        return pool

    def extract(self, settings: Settings, p=None, u=None, relative=False) -> None:
        """One pass over the dense matrix at prices (p, u) (zero: raw scores): keep the best
        ~pool_row reduced profits of each row and ~pool_col of each column (and, with
        `relative`, the best of each row relative to the top of each column)."""
        problem = self.problem
        scores, allowed, blocked = problem.scores, problem.allowed, self.blocked
        n, m = problem.shape
        p0 = np.zeros(m) if p is None else np.where(blocked, 0.0, p)
        u0 = np.zeros(n) if u is None else u.copy()
        size = settings.chunk_rows
        rng = np.random.default_rng(20240611 + self.passes)
        # Non-negative noise breaks ties differently per row and per column, so that equal
        # scores do not send everyone to the same few mentors; as noise >= 0, thresholds taken
        # on noisy values still bound the exact ones.
        noise = rng.random((size, m)) * (1e-7 * ((problem.smax - problem.smin) or 1.0))

        blocked_cols = np.nonzero(blocked)[0]
        priced = p is not None

        def reduced(rows_or_span, out=None):
            if isinstance(rows_or_span, tuple):
                a, b = rows_or_span
                if priced:
                    block = np.subtract(scores[a:b], p0, out=out)
                    block -= u0[a:b, None]
                else:
                    block = out
                    np.copyto(block, scores[a:b])
                mask = None if allowed is None else allowed[a:b]
            else:
                block = scores[rows_or_span] - p0
                block -= u0[rows_or_span, None]
                mask = None if allowed is None else allowed[rows_or_span]
            if mask is not None:
                np.copyto(block, -np.inf, where=~mask)
            if blocked_cols.size:
                block[:, blocked_cols] = -np.inf
            return block

        # Column bound: the best of every pool_col-th row (the expected rank of a sample
        # maximum is the sampling step), so about pool_col rows per column pass it.
        sample = np.arange(0, n, max(1, settings.pool_col))
        reference = reduced(sample)
        reference += noise[sample % size]
        col_bound = reference.max(axis=0)
        top = np.where(np.isfinite(col_bound), col_bound, 0.0)
        raw_step = max(1, min(m, settings.pool_row))
        rel_step = max(1, min(m, settings.pool_relative))

        def work(span):
            a, b = span
            buffer = np.empty((size, m))
            found, bounds = [], []
            for start in range(a, b, size):
                stop = min(b, start + size)
                block = reduced((start, stop), out=buffer[: stop - start])
                block += noise[: stop - start]
                bound = block[:, ::raw_step].max(axis=1)
                pick = block >= bound[:, None]
                pick |= block >= col_bound
                if relative:
                    block -= top
                    pick |= block >= block[:, ::rel_step].max(axis=1)[:, None]
                pick &= np.isfinite(block)
                r, c = np.nonzero(pick)
                found.append((r + start).astype(np.int64) * m + c)
                bounds.append(bound)
            return found, bounds

        parts = _map(work, _spans(n, size * 8), settings.threads)
        keys = np.concatenate([k for part in parts for k in part[0]] or [np.empty(0, np.int64)])
        self.row_bound = np.concatenate([t for part in parts for t in part[1]] or [np.empty(0)])
        self.col_bound = col_bound
        self.p0, self.u0 = p0, u0
        self.passes += 1
        self._add(keys)  # chunks come in row order: already sorted and unique

    def initial(self, settings: Settings) -> np.ndarray:
        """A first, small candidate set: the best few per row (raw and relative to the top of
        the mentor's column) and per column."""
        if self.keys.size <= 4 * settings.full_graph_cells:
            return self.keys
        s = self.scores
        top = np.full(self.col_bound.size, 0.0)
        finite = np.isfinite(self.col_bound)
        top[finite] = self.col_bound[finite]
        picks = [
            _top_per_group(self.rows, s, settings.row_k),
            _top_per_group(self.cols, s, settings.col_k),
            _top_per_group(self.rows, s - top[self.cols], settings.row_k),
        ]
        return _unique(self.keys[np.concatenate(picks)])

    def violations(self, p, u, tol, settings: Settings, exclude) -> np.ndarray:
        """Pool pairs (not in `exclude`) with a positive reduced profit: the best few per row
        and per column."""
        profit = self.scores - p[self.cols] - u[self.rows]
        hit = np.nonzero(profit > tol)[0]
        if hit.size == 0:
            return hit
        hit = hit[~_contains(exclude, self.keys[hit])]
        picks = np.concatenate(
            (
                _top_per_group(self.rows[hit], profit[hit], settings.row_k),
                _top_per_group(self.cols[hit], profit[hit], settings.col_k),
            )
        )
        return _unique(self.keys[hit[picks]])

    def suspects(self, p, u, tol) -> np.ndarray:
        """Rows where a pair outside the pool might have a positive reduced profit."""
        usable = np.isfinite(p) & ~self.blocked
        if not usable.any():
            return np.empty(0, dtype=np.int64)
        drop = (self.p0 - p)[usable]
        cb = self.col_bound[usable]
        # max_j (drop[j] + min(row_bound[i], col_bound[j])): mentors sorted by col_bound; those
        # below the row's bound contribute drop + col_bound (a prefix maximum), the others
        # drop + row_bound (a suffix maximum of drop).
        order = np.argsort(cb, kind="stable")
        cb, drop = cb[order], drop[order]
        prefix = np.maximum.accumulate(np.where(np.isfinite(cb), drop + cb, -np.inf))
        suffix = np.maximum.accumulate(drop[::-1])[::-1]
        rb = self.row_bound
        at = np.searchsorted(cb, rb, side="right")
        below = np.where(at > 0, prefix[np.maximum(at - 1, 0)], -np.inf)
        above = np.where(at < cb.size, rb + suffix[np.minimum(at, cb.size - 1)], -np.inf)
        with np.errstate(invalid="ignore"):
            bound = np.maximum(below, above) + (self.u0 - u)
        bound[np.isneginf(rb)] = -np.inf
        return np.nonzero(bound > tol)[0]

    def beyond(self, p, u, tol, settings: Settings, exclude) -> np.ndarray:
        """Pairs outside the pool (and not in `exclude`) with a positive reduced profit.

        The bounds clear most mentees; the others are read again from the dense matrix, or,
        when they are many, the pool is rebuilt at the current prices."""
        n, m = self.problem.shape
        suspects = self.suspects(p, u, tol)
        if suspects.size == 0:
            return suspects
        if suspects.size > settings.rebuild_share * n:
            self.extract(settings, p, u)
            found = self.violations(p, u, tol, settings, exclude)
            if found.size:
                return found
            # The new bounds are taken at these very prices: few rows are left to read.
            suspects = self.suspects(p, u, tol)
        scores, allowed = self.problem.scores, self.problem.allowed
        found = []
        for a in range(0, suspects.size, 256):
            rows = suspects[a : a + 256]
            block = scores[rows] - p
            block -= u[rows, None]
            if allowed is not None:
                np.copyto(block, -np.inf, where=~allowed[rows])
            r, c = np.nonzero(block > tol)
            if r.size:
                top = _top_per_group(r, block[r, c], settings.row_k)
                found.append(rows[r[top]].astype(np.int64) * m + c[top])
        if not found:
            return np.empty(0, dtype=np.int64)
        new = _unique(np.concatenate(found))
        new = new[~_contains(exclude, new)]
        self._add(new)
        return new

    def _add(self, new: np.ndarray) -> None:
        if new.size == 0:
            return
        m = self.problem.shape[1]
        self.keys = _unique(np.concatenate((self.keys, new)))
        self.rows, self.cols = np.divmod(self.keys, m)
        self.scores = self.problem.scores[self.rows, self.cols]
