"""Match scores between mentees and mentors, with a reason per criterion (pure Python + NumPy).

No Django inside: the Django side reads the applications and the directory, builds one plain
profile (a dict) per person, passes the program's criterion weights, and words the reasons in
the reader's language. Scores are comparable within a program: 0 (nothing in common) to 100.

Profiles (every key is optional; a missing, None or empty value is "not answered"):

    mentee = {
        "skills": [skill ids the mentee wants to learn],         # skills_wanted
        "experience": 1,              # lowest experience band wanted (ordinal; None: any)
        "communication_style": "reflective",                     # any hashable choice
        "availability": ["mornings", "video"],                   # multiple choice
        "area": 12,                   # id of the mentee's area (a department subtree)
        "area_preference": "same",    # "same", "different" or None (no preference)
        "languages": ["es", "en"],
        "location": "Madrid",
        "same_location": True,        # wants a mentor in the same location (None/False: no)
    }
    mentor = {
        "skills": [skill ids the mentor can share],              # skills_offered
        "experience": 2,              # the mentor's experience band (same scale)
        "communication_style": "reflective",
        "availability": ["mornings", "afternoons"],
        "area": 12,
        "languages": ["es"],
        "location": "madrid",         # locations compare without case or outer spaces
    }

Criteria are `programs.models.Question.Criterion` values; `weights` maps a criterion to
`Question.Weight` values: "must", "high" (3 points), "medium" (2), "low" (1), "ignore" (0).
The skills criterion takes the stronger of the "skills_wanted" and "skills_offered" weights.

How a pair scores, per criterion (a fraction from 0 to 1 of the criterion's points):
- skills_wanted: share of the mentee's wanted skills that the mentor offers.
- experience: 1 when the mentor's band reaches the wanted band, minus 1/EXPERIENCE_STEPS per
  band short (never below 0). Met: the band is reached.
- communication_style: 1 for the same choice, else 0.
- availability: share of the mentee's options that the mentor also has. Met: one in common.
- area: 1 when the mentor is in the same area (or in another one, as the mentee prefers).
- language: 1 when they share a language.
- location: 1 when the mentor is in the same location; only for mentees who want that.

A criterion that one side did not answer, or where the mentee has no preference, is neutral:
it is left out of both the points and the maximum, so it neither helps nor hurts, and it never
fails a must-have. The score is 100 x points / maximum over the criteria that apply; a pair
where no criterion applies scores NEUTRAL_SCORE. A "must" criterion counts like "high" and is
also a hard filter: a pair that does not meet it is not allowed (`must_ok` is False).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "CRITERIA",
    "NEUTRAL_SCORE",
    "WEIGHT_POINTS",
    "MentorTable",
    "Reason",
    "ScoreMatrix",
    "explain",
    "mentor_table",
    "score_matrix",
    "total",
]

SKILLS = "skills_wanted"
SKILLS_OFFERED = "skills_offered"
EXPERIENCE = "experience"
STYLE = "communication_style"
AVAILABILITY = "availability"
AREA = "area"
LANGUAGE = "language"
LOCATION = "location"
# The order of the reasons.
CRITERIA = (SKILLS, EXPERIENCE, STYLE, AVAILABILITY, AREA, LANGUAGE, LOCATION)

MUST = "must"
WEIGHT_POINTS = {MUST: 3, "high": 3, "medium": 2, "low": 1, "ignore": 0}
NEUTRAL_SCORE = 50.0
# Bands short of the wanted experience that take the experience points to zero.
EXPERIENCE_STEPS = 2
SAME, DIFFERENT = "same", "different"

# Outcomes of a reason, for the wording.
MET, PARTLY, NOT_MET, UNKNOWN = "met", "partly", "not_met", "unknown"


# --- weights ------------------------------------------------------------------------------


def _weights(weights: Mapping[str, str] | None) -> dict[str, str]:
    """criterion -> weight name for the scoring criteria; unknown weights raise ValueError."""
    weights = dict(weights or {})
    for criterion, weight in weights.items():
        if weight not in WEIGHT_POINTS:
            raise ValueError(f"Unknown weight {weight!r} for {criterion!r}.")
    skills = [weights[c] for c in (SKILLS, SKILLS_OFFERED) if c in weights]
    result = {c: weights.get(c, "ignore") for c in CRITERIA}
    if skills:
        result[SKILLS] = max(skills, key=_strength)
    return result


def _strength(weight: str) -> tuple[int, int]:
    return (weight == MUST, WEIGHT_POINTS[weight])


# --- one pair, in plain Python ------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """How one criterion scored for one pair; the Django layer words it.

    `outcome` is "met", "partly", "not_met" or "unknown" (neutral: not answered or no
    preference; then points and max_points are 0). `facts` holds what a sentence needs, for
    instance {"matched": [3, 7], "wanted": 4} for skills ("Offers 2 of the 4 skills you
    want: ...") or {"wanted": 2, "mentor": 1} for experience.
    """

    criterion: str
    weight: str
    outcome: str
    points: float
    max_points: float
    must: bool = False
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool | None:
        """True when met (fully or partly), False when not, None when neutral."""
        if self.outcome == UNKNOWN:
            return None
        return self.outcome != NOT_MET

    @property
    def fails_must(self) -> bool:
        return self.must and self.outcome == NOT_MET

    def as_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "weight": self.weight,
            "outcome": self.outcome,
            "met": self.met,
            "points": self.points,
            "max_points": self.max_points,
            "must": self.must,
            "facts": self.facts,
        }


def total(reasons: Iterable[Reason]) -> float:
    """The 0-100 score of a pair from its reasons."""
    reasons = list(reasons)
    maximum = sum(r.max_points for r in reasons)
    if maximum <= 0:
        return NEUTRAL_SCORE
    return 100.0 * sum(r.points for r in reasons) / maximum


def explain(
    mentee: Mapping[str, Any], mentor: Mapping[str, Any], weights: Mapping[str, str]
) -> list[Reason]:
    """One reason per criterion with a weight other than "ignore", in CRITERIA order.

    Consistent with `score_matrix`: `total(explain(a, b, w))` is the matrix score of the pair
    and the pair passes the must-haves exactly when no reason `fails_must`.
    """
    reasons = []
    for criterion, weight in _weights(weights).items():
        if WEIGHT_POINTS[weight] == 0:
            continue
        fraction, outcome, facts = _RULES[criterion](mentee, mentor)
        points = WEIGHT_POINTS[weight]
        if outcome == UNKNOWN:
            fraction, points = 0.0, 0
        reasons.append(
            Reason(
                criterion=criterion,
                weight=weight,
                outcome=outcome,
                points=float(points * fraction),
                max_points=float(points),
                must=weight == MUST,
                facts=facts,
            )
        )
    return reasons


def _items(value) -> set:
    if value is None or isinstance(value, str | bytes):
        return set() if not value else {value}
    return {item for item in value if item is not None and item != ""}


def _answer(value):
    return None if value is None or value == "" else value


def _place(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip().casefold()
    return value or None


def _skills(mentee, mentor):
    wanted, offered = _items(mentee.get("skills")), _items(mentor.get("skills"))
    if not wanted or not offered:
        return 0.0, UNKNOWN, {}
    matched = sorted(wanted & offered, key=_sort_key)
    facts = {"matched": matched, "wanted": len(wanted)}
    if not matched:
        return 0.0, NOT_MET, facts
    fraction = len(matched) / len(wanted)
    return fraction, MET if len(matched) == len(wanted) else PARTLY, facts


def _experience(mentee, mentor):
    wanted, band = _answer(mentee.get("experience")), _answer(mentor.get("experience"))
    if wanted is None or band is None:
        return 0.0, UNKNOWN, {}
    facts = {"wanted": wanted, "mentor": band}
    short = max(0.0, float(wanted) - float(band))
    if short == 0:
        return 1.0, MET, facts
    return max(0.0, 1.0 - short / EXPERIENCE_STEPS), NOT_MET, facts


def _style(mentee, mentor):
    wanted, style = _answer(mentee.get(STYLE)), _answer(mentor.get(STYLE))
    if wanted is None or style is None:
        return 0.0, UNKNOWN, {}
    facts = {"wanted": wanted, "mentor": style}
    return (1.0, MET, facts) if wanted == style else (0.0, NOT_MET, facts)


def _availability(mentee, mentor):
    wanted, offered = _items(mentee.get(AVAILABILITY)), _items(mentor.get(AVAILABILITY))
    if not wanted or not offered:
        return 0.0, UNKNOWN, {}
    shared = sorted(wanted & offered, key=_sort_key)
    facts = {"shared": shared, "wanted": len(wanted)}
    if not shared:
        return 0.0, NOT_MET, facts
    return len(shared) / len(wanted), MET if len(shared) == len(wanted) else PARTLY, facts


def _area(mentee, mentor):
    preference = _answer(mentee.get("area_preference"))
    mine, theirs = _answer(mentee.get(AREA)), _answer(mentor.get(AREA))
    if preference not in (SAME, DIFFERENT) or mine is None or theirs is None:
        return 0.0, UNKNOWN, {}
    same = mine == theirs
    facts = {"preference": preference, "same": same}
    return (1.0, MET, facts) if same == (preference == SAME) else (0.0, NOT_MET, facts)


def _language(mentee, mentor):
    mine, theirs = _items(mentee.get("languages")), _items(mentor.get("languages"))
    if not mine or not theirs:
        return 0.0, UNKNOWN, {}
    shared = sorted(mine & theirs, key=_sort_key)
    facts = {"shared": shared}
    return (1.0, MET, facts) if shared else (0.0, NOT_MET, facts)


def _location(mentee, mentor):
    mine, theirs = _place(mentee.get(LOCATION)), _place(mentor.get(LOCATION))
    if not mentee.get("same_location") or mine is None or theirs is None:
        return 0.0, UNKNOWN, {}
    facts = {"mentor": mentor.get(LOCATION)}
    return (1.0, MET, facts) if mine == theirs else (0.0, NOT_MET, facts)


def _sort_key(item) -> tuple[str, Any]:
    return (type(item).__name__, item) if isinstance(item, int | float | str) else ("", str(item))


_RULES = {
    SKILLS: _skills,
    EXPERIENCE: _experience,
    STYLE: _style,
    AVAILABILITY: _availability,
    AREA: _area,
    LANGUAGE: _language,
    LOCATION: _location,
}


# --- many pairs at once -------------------------------------------------------------------


class _Vocabulary:
    """Codes for the values mentors have (mentee values nobody offers get no code)."""

    def __init__(self):
        self.codes: dict[Any, int] = {}

    def add(self, value) -> int:
        return self.codes.setdefault(value, len(self.codes))

    def get(self, value) -> int:
        return self.codes.get(value, -1)


class _SetColumn:
    """A set-valued answer of every mentor, as a mentors x values 0/1 matrix."""

    def __init__(self, values: Sequence[set]):
        self.vocabulary = _Vocabulary()
        rows, cols = [], []
        for j, items in enumerate(values):
            for item in items:
                rows.append(j)
                cols.append(self.vocabulary.add(item))
        self.size = np.array([len(items) for items in values], dtype=np.int64)
        width = max(1, len(self.vocabulary.codes))
        self.matrix = np.zeros((len(values), width), dtype=np.float32)
        self.matrix[rows, cols] = 1.0

    def overlap(self, wanted: Sequence[set]) -> np.ndarray:
        """How many of each mentee's values each mentor has (mentees x mentors)."""
        n, width = len(wanted), self.matrix.shape[1]
        if n == 1:
            codes = [c for c in map(self.vocabulary.get, wanted[0]) if c >= 0]
            return self.matrix[:, codes].sum(axis=1, dtype=np.float32)[None, :]
        mine = np.zeros((n, width), dtype=np.float32)
        rows, cols = [], []
        for i, items in enumerate(wanted):
            for item in items:
                code = self.vocabulary.get(item)
                if code >= 0:
                    rows.append(i)
                    cols.append(code)
        mine[rows, cols] = 1.0
        return mine @ self.matrix.T


class _CodeColumn:
    """A single-valued answer of every mentor as integer codes (-1: not answered)."""

    def __init__(self, values: Sequence):
        self.vocabulary = _Vocabulary()
        self.codes = np.array(
            [-1 if v is None else self.vocabulary.add(v) for v in values], dtype=np.int64
        )

    def encode(self, values: Sequence) -> np.ndarray:
        """Mentee values as codes: -1 not answered, -2 answered but no mentor has it."""
        return np.array(
            [
                -1 if v is None else (self.vocabulary.get(v) if v in self.vocabulary.codes else -2)
                for v in values
            ],
            dtype=np.int64,
        )


@dataclass
class MentorTable:
    """Mentor profiles encoded once as arrays; reuse it to score many mentees."""

    count: int
    skills: _SetColumn
    experience: np.ndarray  # float, NaN: not answered
    style: _CodeColumn
    availability: _SetColumn
    area: _CodeColumn
    languages: _SetColumn
    location: _CodeColumn


def mentor_table(mentors: Sequence[Mapping[str, Any]] | MentorTable) -> MentorTable:
    """Encode mentor profiles (see the module docstring) for `score_matrix`."""
    if isinstance(mentors, MentorTable):
        return mentors
    mentors = list(mentors)
    return MentorTable(
        count=len(mentors),
        skills=_SetColumn([_items(m.get("skills")) for m in mentors]),
        experience=_numbers([m.get(EXPERIENCE) for m in mentors]),
        style=_CodeColumn([_answer(m.get(STYLE)) for m in mentors]),
        availability=_SetColumn([_items(m.get(AVAILABILITY)) for m in mentors]),
        area=_CodeColumn([_answer(m.get(AREA)) for m in mentors]),
        languages=_SetColumn([_items(m.get("languages")) for m in mentors]),
        location=_CodeColumn([_place(m.get(LOCATION)) for m in mentors]),
    )


def _numbers(values) -> np.ndarray:
    return np.array([np.nan if _answer(v) is None else float(v) for v in values], dtype=np.float64)


@dataclass
class ScoreMatrix:
    """Scores (mentees x mentors, 0-100, float64) and the must-have mask (bool)."""

    scores: np.ndarray
    must_ok: np.ndarray


def score_matrix(
    mentees: Sequence[Mapping[str, Any]],
    mentors: Sequence[Mapping[str, Any]] | MentorTable,
    weights: Mapping[str, str],
    *,
    chunk: int = 1024,
) -> ScoreMatrix:
    """Score every mentee against every mentor (see the module docstring for the rules).

    `mentors` may be a prebuilt `mentor_table(...)` to score many mentees against the same
    mentors without encoding them again. Returns the scores and `must_ok` (False where a
    must-have criterion fails), consistent with `explain`.
    """
    table = mentor_table(mentors)
    weights = _weights(weights)
    mentees = list(mentees)
    n, m = len(mentees), table.count
    scores = np.empty((n, m), dtype=np.float64)
    must_ok = np.ones((n, m), dtype=bool)
    for a in range(0, n, chunk):
        part = mentees[a : a + chunk]
        scores[a : a + len(part)], must_ok[a : a + len(part)] = _score_block(part, table, weights)
    return ScoreMatrix(scores=scores, must_ok=must_ok)


def _score_block(mentees, table: MentorTable, weights: dict[str, str]):
    n, m = len(mentees), table.count
    points = np.zeros((n, m), dtype=np.float64)
    must_ok = np.ones((n, m), dtype=bool)
    # Whether a criterion applies to a pair is "the mentee answered" and "the mentor
    # answered": the maximum is a sum of outer products, one small matrix product.
    row_masks, col_masks, worths = [], [], []
    for criterion, weight in weights.items():
        worth = WEIGHT_POINTS[weight]
        if worth == 0:
            continue
        value, rows, cols, met = _VECTOR_RULES[criterion](mentees, table)
        # `value` is 0 where the criterion does not apply: a fraction, or a bool for all-or-
        # nothing criteria.
        if value.dtype == np.bool_:
            np.add(points, float(worth), out=points, where=value)
        else:
            points += worth * value
        row_masks.append(rows)
        col_masks.append(cols)
        worths.append(float(worth))
        if weight == MUST:
            # Fails where it applies and is not met.
            must_ok &= ~((rows[:, None] & cols[None, :]) & ~met)
    if not worths:
        return np.full((n, m), NEUTRAL_SCORE), must_ok
    maximum = (np.array(row_masks, dtype=np.float64).T * worths) @ np.array(
        col_masks, dtype=np.float64
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        points *= 100.0
        points /= maximum
    points[maximum <= 0] = NEUTRAL_SCORE
    return points, must_ok


def _sets_rule(column: _SetColumn, wanted: list[set], *, share: bool):
    size = np.array([len(items) for items in wanted], dtype=np.float64)
    rows, cols = size > 0, column.size > 0
    overlap = column.overlap(wanted)  # float32, 0 where the mentor has nothing
    met = overlap > 0
    if not share:
        return met, rows, cols, met
    fraction = np.multiply(overlap, (1.0 / np.maximum(size, 1.0))[:, None], dtype=np.float64)
    return fraction, rows, cols, met


def _v_skills(mentees, table):
    return _sets_rule(table.skills, [_items(e.get("skills")) for e in mentees], share=True)


def _v_availability(mentees, table):
    wanted = [_items(e.get(AVAILABILITY)) for e in mentees]
    return _sets_rule(table.availability, wanted, share=True)


def _v_language(mentees, table):
    wanted = [_items(e.get("languages")) for e in mentees]
    return _sets_rule(table.languages, wanted, share=False)


def _v_experience(mentees, table):
    wanted = _numbers([e.get(EXPERIENCE) for e in mentees])
    band = table.experience
    rows, cols = ~np.isnan(wanted), ~np.isnan(band)
    short = np.subtract(np.nan_to_num(wanted)[:, None], np.nan_to_num(band)[None, :])
    np.maximum(short, 0.0, out=short)
    met = short == 0
    fraction = np.multiply(short, -1.0 / EXPERIENCE_STEPS, out=short)
    fraction += 1.0
    np.maximum(fraction, 0.0, out=fraction)
    fraction *= rows[:, None]
    fraction *= cols[None, :]
    return fraction, rows, cols, met


def _codes_rule(column: _CodeColumn, values):
    mine = column.encode(values)
    theirs = column.codes
    # Unanswered codes never compare equal: -1 for mentors, -3 for mentees.
    met = np.where(mine == -1, -3, mine)[:, None] == theirs[None, :]
    return met, mine != -1, theirs >= 0, met


def _v_style(mentees, table):
    return _codes_rule(table.style, [_answer(e.get(STYLE)) for e in mentees])


def _v_location(mentees, table):
    values = [_place(e.get(LOCATION)) if e.get("same_location") else None for e in mentees]
    return _codes_rule(table.location, values)


def _v_area(mentees, table):
    preference = np.array(
        [
            {SAME: 1, DIFFERENT: 0}.get(_answer(e.get("area_preference")), -1)
            if _answer(e.get(AREA)) is not None
            else -1
            for e in mentees
        ],
        dtype=np.int64,
    )
    same, rows, cols, _met = _codes_rule(table.area, [_answer(e.get(AREA)) for e in mentees])
    rows = rows & (preference >= 0)
    met = same == (preference == 1)[:, None]
    met &= rows[:, None]
    met &= cols[None, :]
    return met, rows, cols, met


_VECTOR_RULES = {
    SKILLS: _v_skills,
    EXPERIENCE: _v_experience,
    STYLE: _v_style,
    AVAILABILITY: _v_availability,
    AREA: _v_area,
    LANGUAGE: _v_language,
    LOCATION: _v_location,
}
