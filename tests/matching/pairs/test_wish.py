"""Show the wish: what the mentee wants to learn, the mentor they look for and their message,
where the mentor answers, where the manager and HR approve, and on the pair's page; to those
who may see the pair or request only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.catalogue.services import request_accept, requests_send
from matching.models import Mentorship
from matching.pairs.services import mentorship_create
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory

from .wish_data import assert_shows_wish, give_wish

MESSAGE = "I would love to learn how you prepare a negotiation."


def _enrol(program, person, role):
    if not program.applications.filter(person=person).exists():
        ApplicationFactory(program=program, person=person, role=role, status="approved")
    return person


@pytest.fixture
def readers(mentor, mentee, manager, hr_admin, outsider):
    for person in (mentor, mentee, manager, hr_admin, outsider):
        person.language = "en"
        person.save()
    return {"mentor": mentor, "mentee": mentee, "manager": manager, "hr": hr_admin}


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _requested(program, mentor, mentee):
    _enrol(program, mentor, "mentor")
    _enrol(program, mentee, "mentee")
    give_wish(program, mentee)
    return requests_send(program=program, mentee=mentee, mentors=[mentor], message=MESSAGE)[0]


def test_the_mentor_reads_the_wish_and_message_before_answering(client, readers, outsider):
    program = ProgramFactory(status="matching")
    request = _requested(program, readers["mentor"], readers["mentee"])
    for url in (
        "/matching/requests/",
        f"/matching/requests/{request.code}/accept/",
        f"/matching/requests/{request.code}/decline/",
    ):
        response = _get(client, readers["mentor"], url)
        assert response.status_code == 200, url
        assert "What Pablo Navarro is looking for" in response.content.decode()
        assert_shows_wish(response.content.decode(), message=MESSAGE)
    for person in (outsider, readers["mentee"], readers["manager"]):
        assert _get(client, person, f"/matching/requests/{request.code}/accept/").status_code == 404
    assert MESSAGE not in _get(client, outsider, "/matching/requests/").content.decode()


def test_the_pair_page_shows_the_wish_and_the_request_message_to_whoever_may_see_the_pair(
    client, readers, outsider
):
    program = ProgramFactory(status="matching")
    request = _requested(program, readers["mentor"], readers["mentee"])
    pair = request_accept(request=request, by=readers["mentor"])
    url = f"/matching/pairs/{pair.code}/"
    for role, person in readers.items():
        response = _get(client, person, url)
        assert response.status_code == 200, role
        assert_shows_wish(response.content.decode(), message=MESSAGE)
    assert _get(client, outsider, url).status_code == 404


def test_a_pair_without_answers_to_share_shows_no_wish(client, readers):
    program = ProgramFactory(status="running")
    pair = mentorship_create(
        program=program,
        mentor=_enrol(program, readers["mentor"], "mentor"),
        mentee=_enrol(program, readers["mentee"], "mentee"),
        origin=Mentorship.Origin.HR_PROPOSAL,
        status=Mentorship.Status.ACTIVE,
    )
    page = _get(client, readers["mentor"], f"/matching/pairs/{pair.code}/").content.decode()
    assert 'data-testid="wish"' not in page


def _published(program, mentor, mentee) -> Mentorship:
    _enrol(program, mentor, "mentor")
    _enrol(program, mentee, "mentee")
    give_wish(program, mentee)
    pair = mentorship_create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        origin=Mentorship.Origin.HR_PROPOSAL,
        status=Mentorship.Status.AWAITING_APPROVAL,
        score=74.0,
        explanation=[
            {"criterion": "skills_wanted", "outcome": "met", "met": True, "facts": {}},
            {"criterion": "language", "outcome": "not_met", "met": False, "facts": {}},
        ],
    )
    pair.mentor_decision = pair.manager_decision = Mentorship.Decision.PENDING
    pair.save()
    return pair


def test_the_manager_and_the_proposed_mentor_decide_with_the_wish_and_the_score(
    client, readers, outsider
):
    program = ProgramFactory(status="matching", matching_mode="managed")
    pair = _published(program, readers["mentor"], readers["mentee"])
    for person, url in (
        (readers["manager"], f"/matching/approvals/{pair.code}/"),
        (readers["mentor"], f"/matching/approvals/{pair.code}/confirm/"),
    ):
        response = _get(client, person, url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert_shows_wish(page)
        assert "Match score 74/100" in page
        assert "No language in common" in page
        assert 'data-met="no"' in page
        assert _get(client, outsider, url).status_code == 404


def test_hr_approves_an_agreed_pair_with_the_wish_and_the_score_it_was_chosen_by(
    client, readers, outsider
):
    program = ProgramFactory(status="matching", hr_approves_pairs=True)
    request = _requested(program, readers["mentor"], readers["mentee"])
    pair = request_accept(request=request, by=readers["mentor"])
    url = f"/matching/pairs/{pair.code}/hr-decision/"
    page = _get(client, readers["hr"], url).content.decode()
    assert_shows_wish(page, message=MESSAGE)
    assert f"Match score {request.score:.0f}/100" in page
    assert _get(client, outsider, url).status_code == 403


def test_hrs_pair_list_shows_scores_out_of_100_in_a_constant_number_of_queries(
    client, readers, django_assert_max_num_queries
):
    program = ProgramFactory(status="running")
    mentor = _enrol(program, readers["mentor"], "mentor")
    program.applications.filter(person=mentor).update(capacity=20)

    def pair(score):
        return mentorship_create(
            program=program,
            mentor=mentor,
            mentee=_enrol(program, UserFactory(), "mentee"),
            origin=Mentorship.Origin.HR_PROPOSAL,
            status=Mentorship.Status.ACTIVE,
            score=score,
        )

    pair(61.0)
    client.force_login(readers["hr"])
    url = f"/matching/programs/{program.slug}/pairs/"
    assert "61/100" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for score in (10.0, 20.0, 30.0, 40.0):
        pair(score)
    with django_assert_max_num_queries(len(queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 5
    assert "40/100" in response.content.decode()
