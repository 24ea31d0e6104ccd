"""One score: what the mentee saw when asking is what the mentor, the pair and HR see afterwards,
with its scale, its unmet reasons, and the date it was computed once the answers change."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.formats import date_format

from matching.catalogue import services
from matching.models import MatchRequest
from programs.models import Application
from tests.factories import SkillFactory, UserFactory

from .request_data import _count_queries, _enrol, _program, _send


def _answer(program, role, criterion, value) -> dict:
    question = program.questions.get(role=role, criterion=criterion)
    return {str(question.code): value}


@pytest.fixture
def skills(db):
    return {name: SkillFactory(name=name) for name in ("Negotiation", "Speaking", "Forecasting")}


@pytest.fixture
def people(skills, mentee, manager):
    """Pablo wants negotiation and speaking; Elena offers negotiation, Carmen forecasting."""
    program = _program()
    mentee.language = manager.language = "en"
    mentee.save()
    manager.save()
    wanted = [skills["Negotiation"].pk, skills["Speaking"].pk]
    _enrol(program, mentee, "mentee", answers=_answer(program, "mentee", "skills_wanted", wanted))
    mentors = {}
    for first, skill in (("Elena", "Negotiation"), ("Carmen", "Forecasting")):
        person = UserFactory(first_name=first, last_name="Mentor", language="en")
        offered = _answer(program, "mentor", "skills_offered", [skills[skill].pk])
        _enrol(program, person, "mentor", answers=offered)
        mentors[first] = person
    return program, mentee, mentors


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _computed_on(request) -> str:
    with translation.override("en"):
        return date_format(timezone.localtime(request.scored_at), "DATE_FORMAT")


def test_the_catalogue_shows_each_score_out_of_100_and_what_a_mentor_does_not_offer(client, people):
    program, mentee, _mentors = people
    page = _page(client, mentee, f"/matching/programs/{program.slug}/mentors/")
    assert "Match score 50/100" in page
    assert "Match score 0/100" in page
    assert "Offers 1 of the 2 skills you want: Negotiation" in page
    # Carmen's card says what she lacks, marked by a cross and words, not by colour alone.
    assert "Offers none of the skills you want" in page
    assert 'data-met="no"' in page
    assert "Not met:" in page


def test_the_score_the_mentee_saw_is_the_one_the_mentor_and_the_pair_see(
    client, people, skills, hr_admin, manager
):
    program, mentee, mentors = people
    elena, carmen = mentors["Elena"], mentors["Carmen"]
    to_elena, to_carmen = _send(program, mentee, elena, carmen, message="Help me negotiate.")
    assert (to_elena.score, to_carmen.score) == (50.0, 0.0)

    mine = _page(client, mentee, f"/matching/programs/{program.slug}/my-requests/")
    assert "50/100" in mine and "0/100" in mine
    assert "Offers 1 of the 2 skills you want: Negotiation" in mine
    assert "Offers none of the skills you want" in mine

    received = _page(client, elena, "/matching/requests/")
    assert "Match score 50/100" in received
    assert "Offers 1 of the 2 skills the mentee wants: Negotiation" in received
    assert "Score computed on" not in received
    accept = _page(client, elena, f"/matching/requests/{to_elena.code}/accept/")
    assert "Match score 50/100" in accept
    assert "as the mentee saw it when asking you" in accept

    # Elena now offers both skills: a fresh score would be 100, but the pair keeps 50.
    both = [skill.pk for skill in skills.values()]
    Application.objects.filter(person=elena).update(
        answers=_answer(program, "mentor", "skills_offered", both)
    )
    pair = services.request_accept(request=to_elena, by=elena)
    assert (pair.score, pair.explanation, pair.scored_at) == (
        to_elena.score,
        to_elena.explanation,
        to_elena.scored_at,
    )
    hr_admin.language = "en"
    hr_admin.save()
    for person in (elena, mentee, manager, hr_admin):
        page = _page(client, person, f"/matching/pairs/{pair.code}/")
        assert "Match score 50/100" in page, person
        assert "100/100" not in page, person
    assert "Offers 1 of the 2 skills you want: Negotiation" in _page(
        client, mentee, f"/matching/pairs/{pair.code}/"
    )
    assert "Offers 1 of the 2 skills the mentee wants: Negotiation" in _page(
        client, manager, f"/matching/pairs/{pair.code}/"
    )


def test_once_the_answers_change_the_pages_say_when_the_score_was_computed(client, people):
    program, mentee, mentors = people
    elena = mentors["Elena"]
    request = _send(program, mentee, elena)[0]
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        application = Application.objects.get(person=mentee, program=program)
        application.answers = _answer(program, "mentee", "skills_wanted", [])
        application.save()
    note = f"Score computed on {_computed_on(request)}; their answers have changed since."
    assert note in _page(client, elena, "/matching/requests/")
    assert note in _page(client, elena, f"/matching/requests/{request.code}/accept/")
    assert note in _page(client, mentee, f"/matching/programs/{program.slug}/my-requests/")
    pair = services.request_accept(request=request, by=elena)
    assert note in _page(client, mentee, f"/matching/pairs/{pair.code}/")
    # Still the score he saw, not one computed from his new answers.
    assert "Match score 50/100" in _page(client, mentee, f"/matching/pairs/{pair.code}/")


def test_the_score_reads_afinidad_in_spanish(client, people):
    program, mentee, mentors = people
    request = _send(program, mentee, mentors["Elena"])[0]
    elena = mentors["Elena"]
    elena.language = "es"
    elena.save()
    page = _page(client, elena, f"/matching/requests/{request.code}/accept/")
    assert "Afinidad 50/100" in page
    assert "Ofrece 1 de las 2 competencias que busca el aprendiz: Negotiation" in page


def test_the_mentors_and_the_mentees_request_lists_keep_a_constant_number_of_queries(
    client, people, skills, django_assert_max_num_queries
):
    program, mentee, mentors = people
    elena = mentors["Elena"]
    Application.objects.filter(person=elena).update(capacity=20)
    wanted = _answer(program, "mentee", "skills_wanted", [skills["Speaking"].pk])
    _send(program, mentee, elena, mentors["Carmen"])
    client.force_login(elena)
    few = _count_queries(client, "/matching/requests/")
    client.force_login(mentee)
    few_mine = _count_queries(client, f"/matching/programs/{program.slug}/my-requests/")
    for _ in range(4):
        other = _enrol(program, UserFactory(language="en"), "mentee", answers=wanted)
        _send(program, other, elena, message="Me too")
    third = _enrol(program, UserFactory(language="en"), "mentor")
    _send(program, mentee, third)
    client.force_login(elena)
    with django_assert_max_num_queries(few):
        response = client.get("/matching/requests/")
    assert len(response.context["open_requests"]) == 5
    assert response.content.decode().count('data-testid="wish"') == 5
    client.force_login(mentee)
    with django_assert_max_num_queries(few_mine):
        response = client.get(f"/matching/programs/{program.slug}/my-requests/")
    assert len(response.context["requests"]) == 3
    assert MatchRequest.objects.filter(mentee=mentee).count() == 3
