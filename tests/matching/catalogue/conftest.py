"""Fixtures of the catalogue tests: a program in matching, the mentee persona, fake scores."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from matching.hooks import matching_gates

from . import catalogue_data, request_data


@dataclass
class FakeScores:
    scores: np.ndarray
    must_ok: np.ndarray

    def explain(self, i, j, audience="hr"):
        return [
            {"criterion": "skills", "met": True, "text": f"Shares what you want to learn ({j})"},
            {"criterion": "language", "met": True, "text": "Speaks your language"},
            {"criterion": "location", "met": True, "text": "Works in your city"},
            {"criterion": "experience", "met": False, "text": "Less experience than you asked"},
        ]


@pytest.fixture
def scores(monkeypatch):
    """Choose each mentor's score by email (0 if not given) and who fails a must-have."""
    chosen: dict = {"by_email": {}, "must_fail": set()}

    def fake(program, mentees, mentors):
        return FakeScores(
            scores=np.array(
                [[float(chosen["by_email"].get(m.person.email, 0)) for m in mentors]] * len(mentees)
            ).reshape(len(mentees), len(mentors)),
            must_ok=np.array(
                [[m.person.email not in chosen["must_fail"] for m in mentors]] * len(mentees),
                dtype=bool,
            ).reshape(len(mentees), len(mentors)),
        )

    monkeypatch.setattr("matching.catalogue.selectors.program_scores", fake)
    return chosen


@pytest.fixture
def program(db):
    return catalogue_data._program()


@pytest.fixture
def me(program, mentee):
    """The mentee persona, approved as mentee in `program`, reading in English."""
    mentee.language = "en"
    mentee.save()
    catalogue_data._enrol(program, mentee, "mentee")
    return mentee


@pytest.fixture
def mentee_client(client, me):
    client.force_login(me)
    return client


@pytest.fixture
def enrolled(program, mentor, mentee):
    """The personas enrolled in `program`: `mentor` as mentor, `mentee` as mentee."""
    request_data._enrol(program, mentor, "mentor")
    request_data._enrol(program, mentee, "mentee")
    return program


@pytest.fixture
def training_gate():
    """A fake training stage: nobody has finished their required training."""

    def gate(program, person, role):
        return [f"{person.email} has not finished the {role} training."]

    with matching_gates.added(gate):
        yield gate
