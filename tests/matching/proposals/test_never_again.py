"""Never again, and a floor: a pairing that existed or was not approved is never made again by
proposing, re-proposing, swapping or assigning, unless HR overrides it with a kept reason; the
engine proposes nobody below the program's minimum score, HR may still decide by hand."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from audit.models import Entry
from matching.models import Mentorship
from matching.pairs.services import mentorship_create
from matching.proposals import services
from programs.definition.services import program_transition
from tests.factories import ApplicationFactory, DepartmentFactory, ProgramFactory, UserFactory


@dataclass
class FakeScores:
    scores: np.ndarray
    must_ok: np.ndarray

    def explain(self, i, j, audience="hr"):
        return [{"criterion": "skills", "met": True, "text": f"Score {self.scores[i, j]:.0f}"}]


@pytest.fixture
def scores(monkeypatch):
    """Pair scores by (mentee email, mentor email); 70 when not given."""
    chosen: dict[tuple[str, str], float] = {}

    def fake(program, mentees, mentors):
        matrix = np.array(
            [
                [chosen.get((a.person.email, m.person.email), 70.0) for m in mentors]
                for a in mentees
            ],
            dtype=float,
        ).reshape(len(mentees), len(mentors))
        return FakeScores(scores=matrix, must_ok=np.ones(matrix.shape, dtype=bool))

    monkeypatch.setattr("matching.proposals.services.program_scores", fake)
    monkeypatch.setattr("matching.proposals.selectors.program_scores", fake)
    return chosen


@pytest.fixture
def hr(db):
    return UserFactory(hr=True, language="en", email="hr@example.com")


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


@pytest.fixture
def area(db):
    return DepartmentFactory(name="Mantenimiento")


def _program(area, **kwargs):
    kwargs.setdefault("status", "matching")
    program = ProgramFactory(matching_mode="managed", **kwargs)
    program.areas.set([area])
    return program


def _person(area, key):
    return UserFactory(department=area, email=f"{key}@example.com", first_name=key.title())


def _enrol(program, person, role, **kwargs):
    return ApplicationFactory(
        program=program, person=person, role=role, status="approved", **kwargs
    )


def _url(program, name=""):
    return f"/matching/programs/{program.slug}/proposals/{name}"


def _drafts(program):
    return {
        (pair.mentee.email, pair.mentor.email)
        for pair in program.mentorships.filter(status="proposed").select_related("mentor", "mentee")
    }


def _earlier_pair(area, mentor, mentee, status):
    earlier = _program(area, status="running")
    _enrol(earlier, mentor, "mentor")
    _enrol(earlier, mentee, "mentee")
    return Mentorship.objects.create(
        program=earlier, mentor=mentor, mentee=mentee, status=status, origin="hr_proposal"
    )


@pytest.fixture
def two_pairs(area, hr):
    """Two mentors and two mentees; Ana and Mario were declined in an earlier program."""
    program = _program(area, created_by=hr)
    people = {key: _person(area, key) for key in ("ana", "bea", "mario", "sofia")}
    for key in ("ana", "bea"):
        _enrol(program, people[key], "mentee")
    for key in ("mario", "sofia"):
        _enrol(program, people[key], "mentor", capacity=1)
    _earlier_pair(area, people["mario"], people["ana"], Mentorship.Status.DECLINED)
    return program, people


# --- proposing and proposing again --------------------------------------------------------------


@pytest.mark.parametrize("status", ["declined", "completed", "ended_early", "active"])
def test_the_engine_never_proposes_a_pair_that_existed_or_was_declined(
    hr_client, two_pairs, scores, status
):
    program, people = two_pairs
    Mentorship.objects.filter(mentor=people["mario"], mentee=people["ana"]).update(status=status)
    scores[("ana@example.com", "mario@example.com")] = 99
    hr_client.post(_url(program, "run/"))
    assert _drafts(program) == {
        ("ana@example.com", "sofia@example.com"),
        ("bea@example.com", "mario@example.com"),
    }


def test_a_pairing_declined_in_this_program_is_not_proposed_again(hr_client, area, hr, scores):
    program = _program(area, created_by=hr)
    ana, mario, sofia = (_person(area, key) for key in ("ana", "mario", "sofia"))
    _enrol(program, ana, "mentee")
    _enrol(program, mario, "mentor")
    scores[("ana@example.com", "mario@example.com")] = 90
    hr_client.post(_url(program, "run/"))
    hr_client.post(_url(program, "publish/send/"))
    pair = program.mentorships.get()
    services.pairing_mentor_decide(mentorship=pair, approve=False, comment="No time", by=mario)

    response = hr_client.post(_url(program, "run/"), follow=True)
    assert _drafts(program) == set()
    [row] = response.context["unmatched"]
    assert "past mentor" in row.reason
    assert [c.repeated for c in row.candidates] == [True]

    _enrol(program, sofia, "mentor")
    hr_client.post(_url(program, "run/"))
    assert _drafts(program) == {("ana@example.com", "sofia@example.com")}


def test_a_draft_hr_discarded_leaves_no_trace(hr_client, area, hr, scores):
    program = _program(area, created_by=hr)
    ana, mario = _person(area, "ana"), _person(area, "mario")
    _enrol(program, ana, "mentee")
    _enrol(program, mario, "mentor")
    hr_client.post(_url(program, "run/"))
    pair = program.mentorships.get()
    hr_client.post(_url(program, f"{pair.code}/remove/"))
    hr_client.post(_url(program, "run/"))
    assert _drafts(program) == {("ana@example.com", "mario@example.com")}


def test_closing_a_program_drops_its_drafts_without_a_trace(area, hr, scores):
    program = _program(area, created_by=hr, status="running")
    ana, mario = _person(area, "ana"), _person(area, "mario")
    _enrol(program, ana, "mentee")
    _enrol(program, mario, "mentor")
    services.proposals_run(program=program, by=hr)
    program_transition(program=program, to="closed", by=hr, confirmed=True)
    assert not Mentorship.objects.filter(mentor=mario, mentee=ana).exists()


# --- swapping -----------------------------------------------------------------------------------


def _swap(hr_client, program, **extra):
    codes = [str(pair.code) for pair in program.mentorships.filter(status="proposed")]
    return hr_client.post(_url(program, "swap/"), {"pairs": codes, **extra}, follow=True)


def test_a_swap_that_would_repeat_a_declined_pair_is_refused_next_to_the_row(
    hr_client, two_pairs, scores
):
    program, people = two_pairs
    hr_client.post(_url(program, "run/"))
    before = _drafts(program)
    response = _swap(hr_client, program)
    assert _drafts(program) == before
    [refused] = [pair for pair in response.context["drafts"] if pair.refusal]
    assert refused.mentee == people["ana"]
    assert refused.refusal["overridable"] and refused.refusal["repeat"]
    [message] = refused.refusal["messages"]
    assert "Mario" in message and "was not approved" in message
    page = response.content.decode()
    assert 'data-testid="draft-refusal"' in page and "Swap anyway" in page
    # The reason is shown once: the next visit of the board is clean.
    assert not any(pair.refusal for pair in hr_client.get(_url(program)).context["drafts"])


def test_hr_swaps_anyway_with_a_reason_that_is_kept_and_audited(hr_client, two_pairs, hr, scores):
    program, people = two_pairs
    hr_client.post(_url(program, "run/"))
    response = _swap(hr_client, program, override_reason="Mario changed teams since then.")
    assert _drafts(program) == {
        ("ana@example.com", "mario@example.com"),
        ("bea@example.com", "sofia@example.com"),
    }
    repeated = program.mentorships.get(mentee=people["ana"])
    assert repeated.override_reason == "Mario changed teams since then."
    assert repeated.overridden_by == hr
    assert program.mentorships.get(mentee=people["bea"]).override_reason == ""
    entry = Entry.objects.get(action=Entry.Action.PAIR_RULE_OVERRIDDEN)
    assert entry.actor == hr and entry.person == people["ana"]
    assert entry.details["reason"] == "Mario changed teams since then."
    assert 'data-testid="override-reason"' in response.content.decode()
    pair_page = hr_client.get(f"/matching/pairs/{repeated.code}/")
    assert "Mario changed teams since then." in pair_page.content.decode()


# --- assigning by hand --------------------------------------------------------------------------


def _assign(hr_client, program, mentee, mentor, **extra):
    data = {
        "mentee": str(program.applications.get(person=mentee).code),
        "mentor": str(program.applications.get(person=mentor).code),
        **extra,
    }
    return hr_client.post(_url(program, "assign/"), data, follow=True)


def _row(response, person):
    return next(r for r in response.context["unmatched"] if r.application.person == person)


def test_assigning_a_repeated_pair_by_hand_needs_an_explicit_reason(
    hr_client, two_pairs, hr, scores
):
    program, people = two_pairs
    response = _assign(hr_client, program, people["ana"], people["mario"])
    assert not program.mentorships.exists()
    refusal = _row(response, people["ana"]).refusal
    assert refusal["repeat"] and refusal["overridable"]
    assert "was not approved" in refusal["messages"][0]
    assert refusal["mentor"] == str(program.applications.get(person=people["mario"]).code)

    _assign(hr_client, program, people["ana"], people["mario"], override_reason="  Ya aclarado. ")
    pair = program.mentorships.get()
    assert (pair.mentor, pair.override_reason, pair.overridden_by) == (
        people["mario"],
        "Ya aclarado.",
        hr,
    )
    assert Entry.objects.filter(action=Entry.Action.PAIR_RULE_OVERRIDDEN).count() == 1


def test_only_hr_may_override_and_nobody_may_override_the_hard_rules(area, two_pairs):
    program, people = two_pairs
    with pytest.raises(ValidationError, match="Only HR"):
        mentorship_create(
            program=program,
            mentor=people["mario"],
            mentee=people["ana"],
            origin="hr_proposal",
            status="proposed",
            override_reason="Because",
            by=people["sofia"],
        )
    people["bea"].manager = people["sofia"]
    people["bea"].save()
    with pytest.raises(ValidationError, match="cannot mentor their own direct report"):
        mentorship_create(
            program=program,
            mentor=people["sofia"],
            mentee=people["bea"],
            origin="hr_proposal",
            status="proposed",
            override_reason="Because",
            by=program.created_by,
        )
    assert not program.mentorships.exists()


# --- the floor ----------------------------------------------------------------------------------


def test_below_the_minimum_the_engine_leaves_the_mentee_unmatched_and_says_why(
    hr_client, area, hr, scores
):
    program = _program(area, created_by=hr, min_score=60)
    ana, bea, mario = (_person(area, key) for key in ("ana", "bea", "mario"))
    _enrol(program, ana, "mentee")
    _enrol(program, bea, "mentee")
    _enrol(program, mario, "mentor", capacity=2)
    scores[("ana@example.com", "mario@example.com")] = 59
    scores[("bea@example.com", "mario@example.com")] = 60
    response = hr_client.post(_url(program, "run/"), follow=True)
    assert _drafts(program) == {("bea@example.com", "mario@example.com")}
    row = _row(response, ana)
    assert row.reason == "No mentor reaches the minimum (60/100)."
    assert row.last_run == ""
    [candidate] = row.candidates
    assert candidate.below_floor and round(candidate.score) == 59
    assert "59/100" in candidate.label and "below the minimum" in candidate.label


def test_manual_assignment_lists_candidates_best_first_and_warns_below_the_floor(
    hr_client, area, hr, scores
):
    program = _program(area, created_by=hr, min_score=50)
    ana = _person(area, "ana")
    _enrol(program, ana, "mentee")
    mentors = {key: _person(area, key) for key in ("low", "high", "mid")}
    for person in mentors.values():
        _enrol(program, person, "mentor")
    _enrol(program, _person(DepartmentFactory(name="Ventas"), "far"), "mentor")
    for key, score in (("low", 30), ("high", 90), ("mid", 55)):
        scores[("ana@example.com", f"{key}@example.com")] = score
    board = hr_client.get(_url(program))
    row = _row(board, ana)
    assert [c.application.person.email for c in row.candidates] == [
        "high@example.com",
        "mid@example.com",
        "low@example.com",
    ]
    assert [c.below_floor for c in row.candidates] == [False, False, True]
    page = board.content.decode()
    assert "90/100" in page and "Score 90" in page
    assert "below the minimum (50/100)" in page

    response = _assign(hr_client, program, ana, mentors["low"])
    assert not program.mentorships.exists()
    refusal = _row(response, ana).refusal
    assert refusal["below_floor"] and not refusal["repeat"] and refusal["overridable"]
    assert "30/100, below the program's minimum (50/100)" in refusal["messages"][0]

    _assign(hr_client, program, ana, mentors["low"], below_floor_ok="on")
    pair = program.mentorships.get()
    assert pair.mentor == mentors["low"] and pair.score == 30 and pair.override_reason == ""


def test_the_board_keeps_a_constant_number_of_queries(
    hr_client, area, hr, scores, django_assert_max_num_queries
):
    program = _program(area, created_by=hr)
    for n in range(3):
        _enrol(program, _person(area, f"mentee{n}"), "mentee")
        _enrol(program, _person(area, f"mentor{n}"), "mentor")
    with django_assert_max_num_queries(30) as few:
        hr_client.get(_url(program))
    for n in range(3, 9):
        _enrol(program, _person(area, f"mentee{n}"), "mentee")
        _enrol(program, _person(area, f"mentor{n}"), "mentor")
    with django_assert_max_num_queries(len(few.captured_queries)):
        hr_client.get(_url(program))
