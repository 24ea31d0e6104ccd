"""The one rule of what may be shown of survey answers.

Every figure derived from answers — respondent counts per question, counts per option,
percentages, averages, distributions, NPS, skill growth, free texts, breakdowns and the
survey indicators on dashboards, exports, snapshots and `program_report` — is computed by
its caller over `released(...)` answers only, never over the raw answers. The rule:

1. The answers of one set (one question of a survey, one skill of a question, one group of
   a breakdown) are taken in the order they arrived: when their request was answered, then
   the request's id.
2. They are cut into consecutive batches. A batch is complete once it holds answers from
   MIN_GROUP (5) different people.
3. Only complete batches are released; the answers of the last, incomplete batch wait for
   the batch to fill up.

So nothing is shown until five people have answered, and what HR sees changes only when
five more people have answered: comparing the page before and after one new answer shows
no change at all, and every change mixes that answer with those of four other people who
answered in the same batch. Answers cannot be edited once sent, so a released batch never
changes again.

A program's survey indicators combine the released answers of each of its questions (the
same answers the survey's results page shows), never a set of their own: no two figures
differ by anything smaller than a batch.

Breakdowns (`released_breakdown`) release each group's answers with the same rule inside
the group, show only groups whose released answers come from MIN_GROUP people or more,
and keep hiding the smallest shown group while the answers left out of every shown group
(which HR could work out as total minus the groups) come from 1 to MIN_GROUP − 1 people.

Free texts follow the same rule: they appear five at a time, sorted alphabetically (never
in the order they were written), without names.

Not derived from answers, so not held back: how many requests were sent and answered (the
response rate), which is participation, not content.

Nothing here imports Django: callers read the database and hand over `Answer`s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from typing import Any, NamedTuple

MIN_GROUP = 5


class Answer(NamedTuple):
    """One answer as the rule sees it: when it arrived, from which request and person."""

    arrived: datetime
    request: int
    person: int
    value: Any


def _arrival(answer: Answer) -> tuple[datetime, int]:
    return (answer.arrived, answer.request)


def released(answers: Iterable[Answer]) -> list[Answer]:
    """The answers of one set that may be shown: the complete batches, in arrival order."""
    out: list[Answer] = []
    batch: list[Answer] = []
    people: set[int] = set()
    for answer in sorted(answers, key=_arrival):
        batch.append(answer)
        people.add(answer.person)
        if len(people) >= MIN_GROUP:
            out.extend(batch)
            batch, people = [], set()
    return out


def respondents(answers: Iterable[Answer]) -> int:
    """How many different people gave these answers."""
    return len({answer.person for answer in answers})


def released_per_set(answers: Iterable[tuple[Hashable, Answer]]) -> dict[Hashable, list[Answer]]:
    """{set key: released answers} for answers given as (set key, answer) pairs."""
    sets: dict[Hashable, list[Answer]] = defaultdict(list)
    for key, answer in answers:
        sets[key].append(answer)
    return {key: released(items) for key, items in sets.items()}


def released_texts(answers: Iterable[Answer]) -> list[str] | None:
    """The free texts that may be shown, sorted (the order written could tell who wrote
    what); None while fewer than MIN_GROUP people's texts are released."""
    shown = released(answers)
    if not shown:
        return None
    return sorted((str(a.value) for a in shown), key=str.casefold)


def released_breakdown(
    answers: dict[Hashable, list[Answer]], group_of: Callable[[Answer], Hashable]
) -> tuple[dict[Hashable, dict[Hashable, list[Answer]]], int]:
    """What a breakdown may show: ({group: {question: released answers}}, people hidden).

    `answers` are each question's answers (all of them: the totals' release is applied
    here); `group_of` gives an answer's group, or None to leave it out of every group.
    """
    totals = {question: released(items) for question, items in answers.items()}
    groups: dict[Hashable, dict[Hashable, list[Answer]]] = defaultdict(dict)
    for question, items in totals.items():
        by_group: dict[Hashable, list[Answer]] = defaultdict(list)
        for answer in items:
            key = group_of(answer)
            if key is not None:
                by_group[key].append(answer)
        for key, group_items in by_group.items():
            kept = released(group_items)
            if kept:
                groups[key][question] = kept

    def people(key) -> int:
        return respondents(a for items in groups[key].values() for a in items)

    shown = [key for key in groups if people(key) >= MIN_GROUP]

    def rest() -> dict[Hashable, set[int]]:
        inside = {
            (question, a.request)
            for key in shown
            for question, items in groups[key].items()
            for a in items
        }
        return {
            question: {a.person for a in items if (question, a.request) not in inside}
            for question, items in totals.items()
        }

    # A rest of 1 to 4 people equals the total minus the shown groups: hide one more group.
    while shown and any(0 < len(left) < MIN_GROUP for left in rest().values()):
        shown.remove(min(shown, key=lambda key: (people(key), str(key))))
    hidden = len(set().union(*rest().values())) if totals else 0
    return {key: groups[key] for key in shown}, hidden
