"""Stage 3, managed pairing: HR proposes pairs within each area, edits the draft, publishes it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.models import Mentorship
from notifications.models import Notification
from tests.factories import ApplicationFactory, DepartmentFactory, ProgramFactory, UserFactory


def _program(**kwargs):
    kwargs.setdefault("status", "matching")
    return ProgramFactory(matching_mode="managed", focus="knowledge_transfer", **kwargs)


def _enrol(program, person, role, **kwargs):
    return ApplicationFactory(
        program=program, person=person, role=role, status="approved", **kwargs
    )


def _person(department, **kwargs):
    kwargs.setdefault("language", "en")
    return UserFactory(department=department, **kwargs)


def _url(program, name=""):
    return f"/matching/programs/{program.slug}/proposals/{name}"


def _drafts(program) -> list[Mentorship]:
    return list(
        program.mentorships.filter(status=Mentorship.Status.PROPOSED).select_related(
            "mentor", "mentee"
        )
    )


def _pairs(program) -> set[tuple[str, str]]:
    return {(pair.mentee.email, pair.mentor.email) for pair in _drafts(program)}


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@dataclass
class FakeScores:
    scores: np.ndarray
    must_ok: np.ndarray

    def explain(self, i, j, audience="hr"):
        return [{"criterion": "skills", "met": True, "text": "Knows the procedures you need"}]


@pytest.fixture
def scores(monkeypatch):
    """Choose pair scores by (mentee email, mentor email); 50 when not given."""
    chosen: dict[tuple[str, str], float] = {}

    def fake(program, mentees, mentors):
        matrix = np.array(
            [
                [chosen.get((a.person.email, m.person.email), 50.0) for m in mentors]
                for a in mentees
            ],
            dtype=float,
        ).reshape(len(mentees), len(mentors))
        return FakeScores(scores=matrix, must_ok=np.ones(matrix.shape, dtype=bool))

    monkeypatch.setattr("matching.proposals.services.program_scores", fake)
    return chosen


@pytest.fixture
def hr_client(client, hr_admin):
    """HR, reading in English (the personas read Spanish)."""
    hr_admin.language = "en"
    hr_admin.save()
    client.force_login(hr_admin)
    return client


@pytest.fixture
def areas(db):
    return DepartmentFactory(name="Mantenimiento"), DepartmentFactory(name="Ventas")


@pytest.fixture
def program(areas):
    program = _program()
    program.areas.set(areas)
    return program


@pytest.fixture
def people(program, areas):
    """Two mentees and one mentor (one place) in each area."""
    maintenance, sales = areas
    found = {}
    for key, department, role in (
        ("ana", maintenance, "mentee"),
        ("bea", maintenance, "mentee"),
        ("mario", maintenance, "mentor"),
        ("carla", sales, "mentee"),
        ("dani", sales, "mentee"),
        ("sofia", sales, "mentor"),
    ):
        person = _person(department, email=f"{key}@example.com", first_name=key.title())
        _enrol(program, person, role, capacity=1 if role == "mentor" else None)
        found[key] = person
    return found


def _run(hr_client, program):
    return hr_client.post(_url(program, "run/"), follow=True)


# --- proposing ---------------------------------------------------------------------------------


def test_proposing_pairs_keeps_everyone_within_their_area(hr_client, program, people):
    response = _run(hr_client, program)
    assert response.status_code == 200
    pairs = _drafts(program)
    assert len(pairs) == 2
    for pair in pairs:
        assert pair.mentor.department_id == pair.mentee.department_id
        assert pair.origin == Mentorship.Origin.HR_PROPOSAL
        assert pair.score is not None
    assert {pair.mentor.email for pair in pairs} == {"mario@example.com", "sofia@example.com"}
    board = response.context
    assert len(board["drafts"]) == 2
    assert {row.application.person.email for row in board["unmatched"]} == (
        {"ana@example.com", "bea@example.com", "carla@example.com", "dani@example.com"}
        - {pair.mentee.email for pair in pairs}
    )
    for row in board["unmatched"]:
        assert row.reason == "No mentor in their area has places left."
    assert "2 pairs proposed." in _messages(response)
    assert "2 mentees have no mentor yet: see why below." in _messages(response)


def test_a_mentees_own_manager_is_never_proposed_as_their_mentor(hr_client, program, areas, scores):
    maintenance, _sales = areas
    boss = _person(maintenance, email="boss@example.com")
    other = _person(maintenance, email="other@example.com")
    report = _person(maintenance, email="report@example.com", manager=boss)
    for mentor in (boss, other):
        _enrol(program, mentor, "mentor")
    _enrol(program, report, "mentee")
    scores[("report@example.com", "boss@example.com")] = 99
    scores[("report@example.com", "other@example.com")] = 45
    _run(hr_client, program)
    assert _pairs(program) == {("report@example.com", "other@example.com")}

    Mentorship.objects.all().delete()
    program.applications.filter(person=other).delete()
    response = _run(hr_client, program)
    assert _drafts(program) == []
    [row] = response.context["unmatched"]
    assert row.reason == (
        "The mentors in their area with places left are their manager, a direct report, a "
        "past mentor or do not meet their must-have criteria."
    )
    assert row.candidates == []


def test_the_reason_of_the_last_run_is_shown_while_it_still_applies(
    hr_client, program, areas, scores
):
    maintenance, _sales = areas
    mentor = _person(maintenance, email="mentor1@example.com")
    _enrol(program, mentor, "mentor", capacity=2)
    first, second = (_person(maintenance, email=f"m{n}@example.com") for n in (1, 2))
    for mentee in (first, second):
        _enrol(program, mentee, "mentee")
    _run(hr_client, program)
    assert len(_drafts(program)) == 2
    pair = _drafts(program)[0]
    hr_client.post(_url(program, f"{pair.code}/remove/"))
    response = hr_client.get(_url(program))
    [row] = response.context["unmatched"]
    assert row.application.person == pair.mentee
    assert row.reason == "Not in the draft: propose pairs again, or choose a mentor by hand."
    assert row.candidates and str(row.candidates[0].code) == str(
        program.applications.get(person=mentor).code
    )


def test_locked_pairs_are_kept_when_proposing_again(hr_client, program, people, scores):
    _run(hr_client, program)
    kept = next(pair for pair in _drafts(program) if pair.mentor.email == "mario@example.com")
    other = next(pair for pair in _drafts(program) if pair.mentor.email == "sofia@example.com")
    response = hr_client.post(_url(program, f"{kept.code}/lock/"), {"locked": "1"})
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.locked
    # Now the other maintenance mentee fits Mario far better, and the sales one Sofía.
    waiting = "bea@example.com" if kept.mentee.email == "ana@example.com" else "ana@example.com"
    scores[(waiting, "mario@example.com")] = 100
    _run(hr_client, program)
    codes = {pair.code for pair in _drafts(program)}
    assert kept.code in codes
    assert other.code not in codes  # unlocked drafts are proposed afresh
    assert (kept.mentee.email, "mario@example.com") in _pairs(program)

    hr_client.post(_url(program, f"{kept.code}/lock/"), {"locked": "0"})
    kept.refresh_from_db()
    assert not kept.locked


def test_hr_removes_a_draft_pair(hr_client, program, people):
    _run(hr_client, program)
    pair = _drafts(program)[0]
    response = hr_client.post(_url(program, f"{pair.code}/remove/"), follow=True)
    assert not Mentorship.objects.filter(pk=pair.pk).exists()
    assert pair.mentee in [row.application.person for row in response.context["unmatched"]]


def test_hr_swaps_the_mentors_of_two_draft_pairs_in_the_same_area(hr_client, program, areas):
    maintenance, _sales = areas
    mentors = [_person(maintenance, email=f"mentor{n}@example.com") for n in (1, 2)]
    mentees = [_person(maintenance, email=f"mentee{n}@example.com") for n in (1, 2)]
    for mentor in mentors:
        _enrol(program, mentor, "mentor", capacity=1)
    for mentee in mentees:
        _enrol(program, mentee, "mentee")
    _run(hr_client, program)
    before = _pairs(program)
    first, second = _drafts(program)
    response = hr_client.post(
        _url(program, "swap/"), {"pairs": [str(first.code), str(second.code)]}, follow=True
    )
    assert response.status_code == 200
    after = _pairs(program)
    assert after != before
    assert {mentee for mentee, _mentor in after} == {mentee for mentee, _mentor in before}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.locked and second.locked


def test_swapping_across_areas_is_refused(hr_client, program, people):
    _run(hr_client, program)
    first, second = _drafts(program)
    before = _pairs(program)
    response = hr_client.post(
        _url(program, "swap/"), {"pairs": [str(first.code), str(second.code)]}, follow=True
    )
    assert _pairs(program) == before
    assert "see why next to the pairs" in " ".join(_messages(response))
    refused = [pair.refusal for pair in response.context["drafts"] if pair.refusal]
    assert len(refused) == 2
    assert all("are not in the same area" in r["messages"][0] for r in refused)
    assert not any(r["overridable"] for r in refused)


def test_a_swap_needs_exactly_two_pairs(hr_client, program, people):
    _run(hr_client, program)
    pair = _drafts(program)[0]
    response = hr_client.post(_url(program, "swap/"), {"pairs": [str(pair.code)]}, follow=True)
    assert "Choose exactly two draft pairs to swap their mentors." in _messages(response)


def test_hr_assigns_a_mentor_by_hand_within_the_area(hr_client, program, areas, people):
    maintenance, sales = areas
    _run(hr_client, program)
    extra = _person(maintenance, email="extra@example.com")
    extra_app = _enrol(program, extra, "mentor")
    elsewhere = _enrol(program, _person(sales, email="far@example.com"), "mentor")
    board = hr_client.get(_url(program)).context
    row = next(r for r in board["unmatched"] if r.application.person.department == maintenance)
    assert [candidate.code for candidate in row.candidates] == [extra_app.code]
    response = hr_client.post(
        _url(program, "assign/"),
        {"mentee": str(row.application.code), "mentor": str(extra_app.code)},
        follow=True,
    )
    pair = Mentorship.objects.get(mentee=row.application.person)
    assert pair.mentor == extra
    assert pair.status == Mentorship.Status.PROPOSED
    assert pair.locked
    assert response.status_code == 200

    sales_row = next(
        r for r in response.context["unmatched"] if r.application.person.department == sales
    )
    refused = hr_client.post(
        _url(program, "assign/"),
        {"mentee": str(sales_row.application.code), "mentor": str(extra_app.code)},
        follow=True,
    )
    refused_row = next(
        r for r in refused.context["unmatched"] if r.application == sales_row.application
    )
    assert "are not in the same area" in refused_row.refusal["messages"][0]
    assert not Mentorship.objects.filter(mentee=sales_row.application.person).exists()
    # Each mentee is offered the mentors of their own area only.
    assert [candidate.code for candidate in sales_row.candidates] == [elsewhere.code]


def test_publishing_asks_the_managers_and_the_mentors(
    hr_client, program, areas, django_capture_on_commit_callbacks
):
    maintenance, _sales = areas
    boss = _person(maintenance, email="boss@example.com")
    mentee = _person(maintenance, email="pablo@example.com", manager=boss)
    mentor = _person(maintenance, email="elena@example.com")
    _enrol(program, mentee, "mentee")
    _enrol(program, mentor, "mentor")
    _run(hr_client, program)
    [pair] = _drafts(program)
    confirm = hr_client.get(_url(program, "publish/"))
    assert confirm.status_code == 200
    [shown] = confirm.context["drafts"]
    assert shown.approver == boss
    assert boss.get_full_name() in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(_url(program, "publish/send/"))
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.AWAITING_APPROVAL
    assert pair.manager_decision == Mentorship.Decision.PENDING
    assert pair.mentor_decision == Mentorship.Decision.PENDING
    kinds = set(Notification.objects.values_list("recipient__email", "kind"))
    assert kinds == {
        ("boss@example.com", "matching.pairing_to_approve"),
        ("elena@example.com", "matching.pairing_to_confirm"),
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.com", "elena@example.com"]
    board = hr_client.get(_url(program)).context
    assert board["drafts"] == []
    assert [p.pk for p in board["published"]] == [pair.pk]


def test_there_is_nothing_to_publish_without_drafts(hr_client, program):
    response = hr_client.get(_url(program, "publish/"), follow=True)
    assert "There are no draft pairs to publish." in _messages(response)
    response = hr_client.post(_url(program, "publish/send/"), follow=True)
    assert "There are no draft pairs to publish." in _messages(response)


def test_published_pairs_cannot_be_edited_as_drafts(hr_client, program, people):
    _run(hr_client, program)
    hr_client.post(_url(program, "publish/send/"))
    pair = program.mentorships.first()
    response = hr_client.post(_url(program, f"{pair.code}/remove/"), follow=True)
    assert "This pair has already been published." in _messages(response)
    assert Mentorship.objects.filter(pk=pair.pk).exists()


def test_before_matching_the_board_explains_and_proposing_is_refused(hr_client, areas):
    program = _program(status="recruiting")
    response = hr_client.get(_url(program))
    assert response.status_code == 200
    assert 'data-testid="proposals-not-open"' in response.content.decode()
    assert 'data-testid="run"' not in response.content.decode()
    response = hr_client.post(_url(program, "run/"), follow=True)
    assert "Pairs can be proposed once the program reaches matching." in _messages(response)


# --- who may do it ----------------------------------------------------------------------------


def test_only_hr_reaches_the_proposals(hr_client, program, people, outsider):
    client = hr_client
    _run(client, program)
    pair = _drafts(program)[0]
    client.logout()
    gets = ["", "publish/"]
    posts = ["run/", "swap/", "assign/", "publish/send/", f"{pair.code}/lock/"]
    posts.append(f"{pair.code}/remove/")
    for name in gets + posts:
        response = (
            client.get(_url(program, name)) if name in gets else client.post(_url(program, name))
        )
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    client.force_login(outsider)
    for name in gets:
        assert client.get(_url(program, name)).status_code == 403
    for name in posts:
        assert client.post(_url(program, name)).status_code == 403
    assert Mentorship.objects.filter(pk=pair.pk).exists()


def test_proposals_exist_only_for_managed_programs(hr_client):
    program = ProgramFactory(status="matching", matching_mode="mentee_choice")
    for name in ("", "publish/"):
        assert hr_client.get(_url(program, name)).status_code == 404
    assert hr_client.post(_url(program, "run/")).status_code == 404


def test_a_pair_of_another_program_is_404_here(hr_client, program, people, areas):
    other = _program()
    other.areas.set(areas)
    mentor, mentee = _person(areas[0]), _person(areas[0])
    _enrol(other, mentor, "mentor")
    _enrol(other, mentee, "mentee")
    _run(hr_client, other)
    [foreign] = _drafts(other)
    _run(hr_client, program)
    mine = _drafts(program)[0]
    for name in (f"{foreign.code}/lock/", f"{foreign.code}/remove/"):
        assert hr_client.post(_url(program, name), {"locked": "1"}).status_code == 404
    response = hr_client.post(
        _url(program, "swap/"), {"pairs": [str(mine.code), str(foreign.code)]}
    )
    assert response.status_code == 404
    assert Mentorship.objects.filter(pk=foreign.pk, locked=False).exists()


def test_actions_only_accept_posts(hr_client, program):
    for name in ("run/", "swap/", "assign/", "publish/send/"):
        assert hr_client.get(_url(program, name)).status_code == 405


# --- queries ---------------------------------------------------------------------------------


def test_the_proposals_page_takes_the_same_number_of_queries_as_the_program_grows(
    hr_client, program, areas, django_assert_max_num_queries
):
    maintenance, sales = areas

    def add(n):
        for i in range(n):
            department = maintenance if i % 2 else sales
            boss = _person(department)
            _enrol(program, _person(department), "mentor", capacity=1)
            _enrol(program, _person(department, manager=boss), "mentee")
            _enrol(program, _person(department), "mentee")

    add(2)
    _run(hr_client, program)
    with CaptureQueriesContext(connection) as few:
        assert hr_client.get(_url(program)).status_code == 200
    few = len(few)  # now: later requests empty the connection's query log
    add(10)
    _run(hr_client, program)
    first, second = _drafts(program)[:2]
    published = program.mentorships.filter(pk__in=[first.pk, second.pk])
    published.update(status=Mentorship.Status.AWAITING_APPROVAL)
    with django_assert_max_num_queries(few):
        response = hr_client.get(_url(program))
    assert len(response.context["drafts"]) >= 8
    assert len(response.context["unmatched"]) >= 12
    with django_assert_max_num_queries(few):
        hr_client.get(_url(program, "publish/"))


def test_a_pairing_declined_in_the_program_is_not_proposed_again(hr_admin, program, areas):
    from matching.proposals import services as proposals

    maintenance, _ = areas
    mentee = _person(maintenance, email="rosa@example.com")
    first = _person(maintenance, email="first@example.com")
    second = _person(maintenance, email="second@example.com")
    _enrol(program, mentee, "mentee")
    _enrol(program, first, "mentor")
    _enrol(program, second, "mentor")
    proposals.proposals_run(program=program, by=hr_admin)
    proposals.proposals_publish(program=program, by=hr_admin)
    published = program.mentorships.get(mentee=mentee)
    proposals.pairing_mentor_decide(
        mentorship=published, approve=False, comment="No time this quarter", by=published.mentor
    )

    proposals.proposals_run(program=program, by=hr_admin)

    again = program.mentorships.get(mentee=mentee, status=Mentorship.Status.PROPOSED)
    assert again.mentor != published.mentor
