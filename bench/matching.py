"""Benchmark of the matching core: the assignment engine on a large cohort, and scoring.

    python -m bench.matching                 # every scenario (a few minutes)
    python -m bench.matching random-tight    # only the scenarios named

Engine: 10,000 mentees x 4,000 mentors, capacities 1-5, about 5% forbidden pairs, for
several amounts of places, on two kinds of scores: uniform random numbers, and scores that
`matching.scoring` gives to generated profiles (discrete, many ties, popular mentors). Each
scenario runs in its own process, so that its peak memory (maxrss) is its own; the figures
also give the memory the inputs alone take and the engine's own peak (tracemalloc).

Scoring: one mentee against 5,000 mentors (the mentor table built once, as a catalogue
does), and the full 10,000 x 4,000 matrix.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc

import numpy as np

MENTEES, MENTORS, FORBIDDEN = 10_000, 4_000, 0.05
# Places in the cohort, as a share of the mentees. Capacities of 1 to 5 for 4,000 mentors
# give at most 20,000 places (2x the mentees): "roomy" gives every mentor 5.
PLACES = {
    "roomy": None,  # every mentor takes 5: 20,000 places
    "mixed": 0,  # capacities drawn from 1-5: about 12,000 places
    "tight": 1.0,  # as many places as mentees
    "short": 0.9,  # fewer places than mentees
}
SCENARIOS = [f"{kind}-{places}" for kind in ("random", "profiles") for places in PLACES]

WEIGHTS = {
    "skills_wanted": "high",
    "skills_offered": "high",
    "experience": "medium",
    "communication_style": "medium",
    "availability": "medium",
    "area": "low",
    "language": "must",
    "location": "low",
}


def profiles(rng: np.random.Generator, count: int, role: str) -> list[dict]:
    """Plausible application answers: popular skills, skewed locations, a few languages."""
    skills = np.arange(300)
    popularity = 1.0 / np.arange(1, 301) ** 0.8
    popularity /= popularity.sum()
    styles = ["direct", "reflective", "practical"]
    options = ["mornings", "afternoons", "in person", "video"]
    languages, language_odds = ["es", "en", "ca", "fr", "de"], [0.6, 0.25, 0.08, 0.04, 0.03]
    people = []
    for _ in range(count):
        size = rng.integers(1, 6) if role == "mentee" else rng.integers(2, 9)
        person = {
            "skills": [int(s) for s in rng.choice(skills, size=size, replace=False, p=popularity)],
            "communication_style": styles[rng.integers(3)],
            "availability": [o for o in options if rng.random() < 0.5] or [options[0]],
            "area": int(rng.integers(0, 15)),
            "languages": sorted(
                {languages[rng.choice(5, p=language_odds)] for _ in range(rng.integers(1, 3))}
            ),
            "location": f"city {min(11, int(rng.exponential(3)))}",
        }
        if role == "mentee":
            person["experience"] = [1, 2, None][rng.choice(3, p=[0.5, 0.3, 0.2])]
            person["area_preference"] = ["same", "different", None][rng.integers(3)]
            person["same_location"] = bool(rng.random() < 0.3)
        else:
            person["experience"] = int(rng.choice(3, p=[0.2, 0.5, 0.3]))
        people.append(person)
    return people


def capacities(rng: np.random.Generator, places: str) -> np.ndarray:
    share = PLACES[places]
    if share is None:
        return np.full(MENTORS, 5, dtype=np.int64)
    caps = rng.integers(1, 6, MENTORS)
    target = int(share * MENTEES) if share else int(caps.sum())
    while caps.sum() > target:
        pick = rng.integers(MENTORS, size=min(1000, int(caps.sum()) - target))
        caps[pick] = np.maximum(caps[pick] - 1, 1)
    return caps


def cohort(name: str):
    """Scores, capacities and mask of a scenario, built without big temporaries."""
    from matching import scoring

    kind, places = name.split("-")
    rng = np.random.default_rng(20240611)
    allowed = np.empty((MENTEES, MENTORS), dtype=bool)
    for a in range(0, MENTEES, 1000):
        allowed[a : a + 1000] = rng.random((min(1000, MENTEES - a), MENTORS)) >= FORBIDDEN
    if kind == "random":
        scores = np.empty((MENTEES, MENTORS))
        for a in range(0, MENTEES, 1000):
            rng.random(out=scores[a : a + 1000])
        scores *= 100.0
    else:
        mentees = profiles(rng, MENTEES, "mentee")
        mentors = profiles(rng, MENTORS, "mentor")
        result = scoring.score_matrix(mentees, mentors, WEIGHTS)
        scores = result.scores
        allowed &= result.must_ok
        del result
    return scores, capacities(rng, places), allowed


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_scenario(name: str) -> dict:
    """Runs in a child process: one engine scenario."""
    from matching import engine

    scores, caps, allowed = cohort(name)
    inputs_mb = maxrss_mb()
    tracemalloc.start()
    stats: dict = {}
    started = time.perf_counter()
    pairs = engine._solve(engine._Problem.build(scores, caps, allowed), stats=stats)
    elapsed = time.perf_counter() - started
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    chosen = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    return {
        "scenario": name,
        "places": int(caps.sum()),
        "forbidden": round(float(1 - allowed.mean()), 3),
        "seconds": round(elapsed, 2),
        "pairs": len(pairs),
        "total": round(float(scores[chosen[:, 0], chosen[:, 1]].sum()), 2),
        "inputs_mb": round(inputs_mb),
        "peak_mb": round(maxrss_mb()),
        "engine_mb": round(traced_peak / 2**20),
        "solves": stats.get("solves", 0),
        "rounds": stats.get("rounds", 0),
        "dense_passes": stats.get("dense_passes", 0),
    }


def bench_scoring() -> list[str]:
    from matching import scoring

    rng = np.random.default_rng(7)
    mentors = profiles(rng, 5000, "mentor")
    mentees = profiles(rng, 50, "mentee")
    started = time.perf_counter()
    table = scoring.mentor_table(mentors)
    encode = time.perf_counter() - started
    times = []
    for mentee in mentees:
        started = time.perf_counter()
        scoring.score_matrix([mentee], table, WEIGHTS)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    for mentee in mentees[:10]:
        for mentor in mentors[:100]:
            scoring.explain(mentee, mentor, WEIGHTS)
    explain_ms = (time.perf_counter() - started) * 1000 / 1000
    cohort_mentees = profiles(rng, MENTEES, "mentee")
    started = time.perf_counter()
    scoring.score_matrix(cohort_mentees, mentors[:MENTORS], WEIGHTS)
    full = time.perf_counter() - started
    return [
        f"scoring: 1 mentee x 5,000 mentors: median {statistics.median(times) * 1000:.2f} ms, "
        f"max {max(times) * 1000:.2f} ms (mentor table built once in {encode * 1000:.0f} ms)",
        f"scoring: explain one pair: {explain_ms * 1000:.0f} us",
        f"scoring: full {MENTEES:,} x {MENTORS:,} matrix: {full:.2f} s",
    ]


def main(argv: list[str]) -> int:
    if argv[:1] == ["--scenario"]:
        print(json.dumps(run_scenario(argv[1])))
        return 0
    names = [a for a in argv if a in SCENARIOS] or SCENARIOS
    print(
        f"engine: {MENTEES:,} mentees x {MENTORS:,} mentors, capacities 1-5, "
        f"~{FORBIDDEN:.0%} forbidden pairs, {os.cpu_count()} CPUs"
    )
    header = (
        f"{'scenario':18} {'places':>7} {'seconds':>8} {'pairs':>6} {'peak MB':>8} "
        f"{'inputs MB':>9} {'engine MB':>9}  solves/rounds/dense passes"
    )
    print(header)
    for name in names:
        child = subprocess.run(
            [sys.executable, "-m", "bench.matching", "--scenario", name],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(f"{name:18} failed:\n{child.stderr}")
            continue
        r = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"{name:18} {r['places']:>7,} {r['seconds']:>8.2f} {r['pairs']:>6,} "
            f"{r['peak_mb']:>8,} {r['inputs_mb']:>9,} {r['engine_mb']:>9,}  "
            f"{r['solves']}/{r['rounds']}/{r['dense_passes']}"
        )
    if not [a for a in argv if a in SCENARIOS]:
        for line in bench_scoring():
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
