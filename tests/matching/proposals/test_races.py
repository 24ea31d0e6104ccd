"""Two HR admins editing the same draft at once: one wins, the other is told, nothing doubles."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from matching.models import Mentorship
from matching.proposals import services
from tests.factories import ApplicationFactory, DepartmentFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")


def _setup(mentees: int, mentors: int):
    area = DepartmentFactory(name="Mantenimiento")
    admins = [UserFactory(hr=True) for _ in range(2)]
    program = ProgramFactory(
        matching_mode="managed", status="matching", min_score=0, created_by=admins[0]
    )
    program.areas.set([area])
    enrol = [
        ApplicationFactory(
            program=program,
            person=UserFactory(department=area),
            role=role,
            status="approved",
            capacity=1 if role == "mentor" else None,
        )
        for role, n in (("mentee", mentees), ("mentor", mentors))
        for _ in range(n)
    ]
    return program, admins, enrol


def _race(*attempts) -> list[str]:
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []

    def run(attempt):
        try:
            barrier.wait()
            with translation.override("en"):
                attempt()
            outcomes.append("won")
        except ValidationError as exc:
            outcomes.append("refused: " + " ".join(exc.messages))
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_admins_proposing_at_once_leave_one_draft_per_mentee():
    program, admins, _ = _setup(mentees=4, mentors=4)
    outcomes = _race(
        *(lambda by=by: services.proposals_run(program=program, by=by) for by in admins)
    )
    assert outcomes == ["won", "won"]
    drafts = list(program.mentorships.values_list("mentee_id", flat=True))
    assert len(drafts) == len(set(drafts)) == 4


def test_two_admins_assigning_the_same_mentee_at_once_one_wins_the_other_is_told():
    program, admins, enrolled = _setup(mentees=1, mentors=2)
    mentee, first, second = (application.person for application in enrolled)
    outcomes = _race(
        lambda: services.proposal_assign(
            program=program, mentee=mentee, mentor=first, by=admins[0]
        ),
        lambda: services.proposal_assign(
            program=program, mentee=mentee, mentor=second, by=admins[1]
        ),
    )
    assert outcomes[1] == "won"
    assert "already has a mentor" in outcomes[0]
    assert program.mentorships.count() == 1


def test_two_admins_swapping_the_same_pairs_at_once_one_wins_the_other_is_told():
    program, admins, _ = _setup(mentees=2, mentors=2)
    services.proposals_run(program=program, by=admins[0])
    first, second = program.mentorships.order_by("pk")
    before = {(pair.mentee_id, pair.mentor_id) for pair in (first, second)}
    outcomes = _race(
        *(lambda by=by: services.proposal_swap(first=first, second=second, by=by) for by in admins)
    )
    assert outcomes[1] == "won"
    assert "changed while you were looking at them" in outcomes[0]
    after = set(program.mentorships.values_list("mentee_id", "mentor_id"))
    assert after != before and len(after) == 2


def test_proposing_while_another_admin_assigns_never_gives_a_mentee_two_pairs():
    program, admins, enrolled = _setup(mentees=3, mentors=3)
    mentee, mentor = enrolled[0].person, enrolled[3].person
    outcomes = _race(
        lambda: services.proposals_run(program=program, by=admins[0]),
        lambda: services.proposal_assign(
            program=program, mentee=mentee, mentor=mentor, by=admins[1]
        ),
    )
    assert outcomes[-1] == "won"
    # The assignment either came first (the engine then paired the others) or is refused
    # because the engine took the mentee or the mentor's place meanwhile.
    assert outcomes[0] == "won" or outcomes[0].startswith("refused: ")
    mentees = list(program.mentorships.values_list("mentee_id", flat=True))
    assert len(mentees) == len(set(mentees)) == 3
    assert program.mentorships.filter(status=Mentorship.Status.PROPOSED).count() == 3
