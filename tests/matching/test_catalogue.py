"""Stage 3, mentee choice: the mentor catalogue, a mentor's page and asking mentors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from matching import services
from matching.catalogue import CatalogueFilters, catalogue_for
from matching.hooks import matching_gates
from matching.models import MatchRequest, Mentorship
from people.models import Language
from tests.factories import (
    ApplicationFactory,
    DepartmentFactory,
    ProgramFactory,
    SkillFactory,
    UserFactory,
)


def _program(**kwargs):
    kwargs.setdefault("status", "matching")
    return ProgramFactory(**kwargs)


def _enrol(program, person, role, **kwargs):
    return ApplicationFactory(
        program=program, person=person, role=role, status="approved", **kwargs
    )


def _question(program, criterion):
    return program.questions.get(role="mentor", criterion=criterion)


def _mentor(program, *, skills=(), availability=(), capacity=None, paused=False, **person):
    """An approved mentor; `skills` go into their "skills I can share" answer."""
    answers = {}
    if skills:
        answers[str(_question(program, "skills_offered").code)] = [s.pk for s in skills]
    if availability:
        answers[str(_question(program, "availability").code)] = list(availability)
    return _enrol(
        program,
        UserFactory(**person),
        "mentor",
        answers=answers,
        capacity=capacity,
        paused=paused,
    )


def _url(program, name="mentors/"):
    return f"/matching/programs/{program.slug}/{name}"


def _cards(response) -> list[str]:
    return [entry.person.email for entry in response.context["page"].object_list]


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

    monkeypatch.setattr("matching.catalogue.program_scores", fake)
    return chosen


@pytest.fixture
def program(db):
    return _program()


@pytest.fixture
def me(program, mentee):
    """The mentee persona, approved as mentee in `program`, reading in English."""
    mentee.language = "en"
    mentee.save()
    _enrol(program, mentee, "mentee")
    return mentee


@pytest.fixture
def mentee_client(client, me):
    client.force_login(me)
    return client


@pytest.fixture
def training_gate():
    def gate(program, person, role):
        return [f"{person.email} has not finished the {role} training."]

    with matching_gates.added(gate):
        yield gate


# --- browsing -----------------------------------------------------------------------------


def test_an_approved_mentee_sees_each_mentor_with_what_they_offer(program, mentee_client):
    python, sql = SkillFactory(name="Python"), SkillFactory(name="SQL")
    es = Language.objects.get_or_create(code="es")[0]
    mentor = _mentor(
        program,
        skills=[sql, python],
        first_name="Elena",
        last_name="Ferrer",
        job_title="Data lead",
        location="Valencia",
        capacity=3,
    )
    mentor.person.languages.add(es)
    response = mentee_client.get(_url(program))
    assert response.status_code == 200
    [entry] = response.context["page"].object_list
    assert entry.person == mentor.person
    assert entry.skills == ["Python", "SQL"]
    assert entry.places_left == 3
    assert [language.code for language in entry.languages] == ["es"]
    html = response.content.decode()
    for text in ("Elena Ferrer", "Data lead", "Valencia", "Python", "SQL", "3 places left"):
        assert text in html
    assert f'name="m" value="{mentor.code}"' in html
    assert f"/matching/programs/{program.slug}/request/" in html
    assert 'data-testid="open-requests"' in html


def test_mentors_are_sorted_by_match_score_with_the_short_why(program, mentee_client, scores):
    low, high, middle = (_mentor(program) for _ in range(3))
    scores["by_email"] = {low.person.email: 20, high.person.email: 90, middle.person.email: 55}
    response = mentee_client.get(_url(program))
    assert _cards(response) == [high.person.email, middle.person.email, low.person.email]
    first = response.context["page"].object_list[0]
    assert first.score == 90
    assert [reason["criterion"] for reason in first.why] == ["skills", "language"]
    html = response.content.decode()
    assert "Speaks your language" in html
    assert "Works in your city" not in html  # only the top two reasons on a card


def test_mentors_failing_a_must_have_are_not_in_the_catalogue(program, me, scores):
    fits, does_not = _mentor(program), _mentor(program)
    scores["must_fail"] = {does_not.person.email}
    assert [entry.person for entry in catalogue_for(program, me)] == [fits.person]


def test_the_catalogue_is_paginated_twelve_to_a_page(program, mentee_client):
    for _ in range(13):
        _mentor(program)
    first = mentee_client.get(_url(program))
    assert len(first.context["page"].object_list) == 12
    second = mentee_client.get(_url(program) + "?page=2")
    assert len(second.context["page"].object_list) == 1


@pytest.mark.parametrize("which", ["skills", "department", "location", "language", "availability"])
def test_each_filter_narrows_the_catalogue(program, mentee_client, which):
    python = SkillFactory(name="Python")
    availability = _question(program, "availability").choices[0]
    sales = DepartmentFactory(name="Ventas")
    en = Language.objects.get_or_create(code="en")[0]
    wanted = _mentor(
        program, skills=[python], availability=[availability], department=sales, location="Bilbao"
    )
    wanted.person.languages.add(en)
    _mentor(program, skills=[SkillFactory(name="Excel")], location="Sevilla")
    value = {
        "skills": python.pk,
        "department": sales.pk,
        "location": "bilbao",
        "language": "en",
        "availability": availability,
    }[which]
    response = mentee_client.get(_url(program), {which: value})
    assert _cards(response) == [wanted.person.email]
    assert response.context["filtered"]
    form = response.context["form"]
    assert str(python.pk) in dict(form.fields["skills"].choices)
    assert "Bilbao" in dict(form.fields["location"].choices)


def test_filters_that_match_no_one_offer_a_way_back(program, mentee_client):
    _mentor(program, location="Sevilla")
    response = mentee_client.get(_url(program), {"location": "Nowhere", "skills": ["x", "999"]})
    assert _cards(response) == []
    html = response.content.decode()
    assert 'data-testid="no-match"' in html
    assert f'href="/matching/programs/{program.slug}/mentors/"' in html


def test_the_filters_combine(program, me):
    python = SkillFactory(name="Python")
    madrid = _mentor(program, skills=[python], location="Madrid")
    _mentor(program, skills=[python], location="Bilbao")
    _mentor(program, location="Madrid")
    found = catalogue_for(
        program, me, CatalogueFilters(skills=frozenset({python.pk}), location="Madrid")
    )
    assert [entry.person for entry in found] == [madrid.person]


def test_a_catalogue_with_no_mentors_says_so(program, mentee_client):
    response = mentee_client.get(_url(program))
    assert 'data-testid="no-mentors"' in response.content.decode()


@pytest.mark.parametrize("relation", ["own manager", "own report", "past mentor"])
def test_mentors_the_mentee_may_never_be_paired_with_are_hidden(program, me, manager, relation):
    visible = _mentor(program)
    if relation == "own manager":
        hidden = _enrol(program, manager, "mentor")
    elif relation == "own report":
        hidden = _mentor(program, manager=me)
    else:
        hidden = _mentor(program)
        earlier = _program()
        _enrol(earlier, hidden.person, "mentor")
        _enrol(earlier, me, "mentee")
        services.mentorship_create(
            program=earlier,
            mentor=hidden.person,
            mentee=me,
            origin=Mentorship.Origin.MENTEE_REQUEST,
            status=Mentorship.Status.ACTIVE,
        )
    assert [entry.person for entry in catalogue_for(program, me)] == [visible.person]


def test_paused_and_full_mentors_are_hidden_and_their_pages_are_404(program, mentee_client):
    visible = _mentor(program)
    paused = _mentor(program, paused=True)
    full = _mentor(program, capacity=1)
    services.mentorship_create(
        program=program,
        mentor=full.person,
        mentee=_enrol(program, UserFactory(), "mentee").person,
        origin=Mentorship.Origin.MENTEE_REQUEST,
        status=Mentorship.Status.ACTIVE,
    )
    response = mentee_client.get(_url(program))
    assert _cards(response) == [visible.person.email]
    for hidden in (paused, full):
        assert mentee_client.get(_url(program, f"mentors/{hidden.code}/")).status_code == 404
    assert mentee_client.get(_url(program, f"mentors/{visible.code}/")).status_code == 200


def test_a_mentor_page_shows_their_answers_and_every_reason(program, mentee_client, scores):
    python = SkillFactory(name="Python")
    mentor = _mentor(program, skills=[python], first_name="Elena", last_name="Ferrer")
    mentor.answers[str(_question(program, "communication_style").code)] = "Muy directo"
    mentor.save()
    scores["by_email"] = {mentor.person.email: 72}
    response = mentee_client.get(_url(program, f"mentors/{mentor.code}/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Elena Ferrer" in html
    assert "Muy directo" in html
    assert "Python" in html
    assert html.count('data-testid="reason"') == 4
    assert "Less experience than you asked" in html
    assert f"/request/?m={mentor.code}" in html


def test_a_mentor_of_another_program_is_404_in_this_catalogue(program, mentee_client):
    elsewhere = _mentor(_program())
    assert mentee_client.get(_url(program, f"mentors/{elsewhere.code}/")).status_code == 404


# --- who may see it --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, program):
    for name in ("mentors/", "request/"):
        response = client.get(_url(program, name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_only_approved_mentees_of_a_mentee_choice_program_see_the_catalogue(
    client, program, outsider, mentor
):
    applied = UserFactory()
    ApplicationFactory(program=program, person=applied, role="mentee", status="submitted")
    _enrol(program, mentor, "mentor")
    some_mentor = _mentor(program)
    for person in (outsider, applied, mentor):
        client.force_login(person)
        for name in ("mentors/", f"mentors/{some_mentor.code}/", "request/"):
            assert client.get(_url(program, name)).status_code == 404, (person, name)
    managed = _program(matching_mode="managed", focus="knowledge_transfer")
    _enrol(managed, outsider, "mentee")
    client.force_login(outsider)
    assert client.get(_url(managed)).status_code == 404


def test_before_matching_the_catalogue_says_when_it_opens(client, mentee):
    program = _program(status="recruiting")
    mentee.language = "en"
    mentee.save()
    _enrol(program, mentee, "mentee")
    client.force_login(mentee)
    for name in ("mentors/", "request/"):
        response = client.get(_url(program, name))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="catalogue-not-open"' in html
        assert "after applications close on" in html


# --- asking mentors ----------------------------------------------------------------------------


def test_a_mentee_asks_two_mentors_in_their_order_of_preference(
    program, mentee_client, me, django_capture_on_commit_callbacks
):
    first, second = _mentor(program), _mentor(program)
    url = _url(program, "request/") + f"?m={first.code}&m={second.code}"
    page = mentee_client.get(url)
    assert page.status_code == 200
    assert [e.person for e in page.context["chosen"]] == [first.person, second.person]
    with django_capture_on_commit_callbacks(execute=True):
        response = mentee_client.post(
            url,
            {
                f"rank_{first.code}": "2",
                f"rank_{second.code}": "1",
                "message": "  Me gustaría aprender de ti.  ",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == f"/matching/programs/{program.slug}/my-requests/"
    sent = list(MatchRequest.objects.filter(mentee=me).order_by("rank"))
    assert [(r.mentor, r.rank) for r in sent] == [(second.person, 1), (first.person, 2)]
    assert {r.message for r in sent} == {"Me gustaría aprender de ti."}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.person.email, second.person.email])
    followed = mentee_client.get(response["Location"])
    assert "Your requests were sent to 2 mentors." in followed.content.decode()


def test_asked_mentors_are_marked_and_cannot_be_chosen_again(program, mentee_client, me):
    asked, other = _mentor(program), _mentor(program)
    services.requests_send(program=program, mentee=me, mentors=[asked.person], message="")
    response = mentee_client.get(_url(program))
    html = response.content.decode()
    assert f'name="m" value="{asked.code}"' not in html
    assert f'name="m" value="{other.code}"' in html
    assert "Open requests: 1 of 3." in html
    page = mentee_client.get(_url(program, "request/") + f"?m={asked.code}&m={other.code}")
    assert [e.person for e in page.context["chosen"]] == [other.person]


def test_unknown_and_unavailable_mentors_are_left_out_with_a_message(program, mentee_client):
    kept = _mentor(program)
    paused = _mentor(program, paused=True)
    elsewhere = _mentor(_program())
    url = (
        _url(program, "request/")
        + f"?m={kept.code}&m={paused.code}&m={elsewhere.code}&m=not-a-code&m={kept.code}"
    )
    response = mentee_client.get(url)
    assert [e.person for e in response.context["chosen"]] == [kept.person]
    assert "3 of the chosen mentors are not available to you and were left out." in (
        response.content.decode()
    )


def test_choosing_nobody_leads_back_to_the_catalogue(program, mentee_client):
    response = mentee_client.get(_url(program, "request/"))
    assert 'data-testid="none-chosen"' in response.content.decode()
    assert mentee_client.post(_url(program, "request/"), {"message": "Hola"}).status_code == 200
    assert not MatchRequest.objects.exists()


def test_two_mentors_with_the_same_preference_are_refused(program, mentee_client):
    first, second = _mentor(program), _mentor(program)
    url = _url(program, "request/") + f"?m={first.code}&m={second.code}"
    response = mentee_client.post(url, {f"rank_{first.code}": "1", f"rank_{second.code}": "1"})
    assert response.status_code == 200
    assert "Give each mentor a different preference." in response.content.decode()
    assert not MatchRequest.objects.exists()


def test_asking_more_mentors_than_the_program_allows_shows_the_error_and_saves_nothing(
    db, client, mentee
):
    program = _program(max_requests=1)
    mentee.language = "en"
    mentee.save()
    _enrol(program, mentee, "mentee")
    first, second = _mentor(program), _mentor(program)
    client.force_login(mentee)
    url = _url(program, "request/") + f"?m={first.code}&m={second.code}"
    response = client.post(
        url, {f"rank_{first.code}": "1", f"rank_{second.code}": "2", "message": "Hola"}
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    with translation.override("en"):
        assert list(errors) == ["You can have at most 1 open requests at a time in this program."]
    assert 'data-testid="request-errors"' in response.content.decode()
    assert not MatchRequest.objects.exists()
    assert mail.outbox == []


def test_a_full_quota_of_open_requests_hides_the_request_controls(db, client, mentee):
    program = _program(max_requests=1)
    mentee.language = "en"
    mentee.save()
    _enrol(program, mentee, "mentee")
    asked = _mentor(program)
    _mentor(program)
    services.requests_send(program=program, mentee=mentee, mentors=[asked.person], message="")
    client.force_login(mentee)
    html = client.get(_url(program)).content.decode()
    assert 'data-testid="no-room"' in html
    assert 'name="m"' not in html


def test_the_training_gate_is_shown_and_requests_are_not_offered(
    program, mentee_client, me, training_gate
):
    program.training_required_to_match = True
    program.save()
    mentor = _mentor(program)
    html = mentee_client.get(_url(program)).content.decode()
    assert 'data-testid="request-problems"' in html
    assert f"{me.email} has not finished the mentee training." in html
    assert 'name="m"' not in html
    url = _url(program, "request/") + f"?m={mentor.code}"
    page = mentee_client.get(url)
    assert f"{me.email} has not finished the mentee training." in page.content.decode()
    assert "<textarea" not in page.content.decode()
    mentee_client.post(url, {f"rank_{mentor.code}": "1", "message": "Hola"})
    assert not MatchRequest.objects.exists()


def test_a_mentee_who_has_a_mentor_is_told_so_in_the_catalogue(program, mentee_client, me):
    mine = _mentor(program)
    _mentor(program)
    services.mentorship_create(
        program=program,
        mentor=mine.person,
        mentee=me,
        origin=Mentorship.Origin.MENTEE_REQUEST,
        status=Mentorship.Status.ACTIVE,
    )
    html = mentee_client.get(_url(program)).content.decode()
    assert "You already have a mentor in this program." in html
    assert 'name="m"' not in html


# --- queries --------------------------------------------------------------------------------


def test_the_catalogue_takes_the_same_number_of_queries_for_5_or_30_mentors(
    program, mentee_client, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            mentor = _mentor(
                program,
                skills=[SkillFactory(name=f"Skill {i % 7}")],
                location=f"City {i % 3}",
            )
            mentor.person.languages.add(Language.objects.get_or_create(code="es")[0])

    add(5)
    with CaptureQueriesContext(connection) as few:
        assert mentee_client.get(_url(program)).status_code == 200
    few = len(few)  # now: later requests empty the connection's query log
    add(25)
    with django_assert_max_num_queries(few):
        response = mentee_client.get(_url(program), {"skills": [], "location": "City 1"})
    assert response.status_code == 200
    with django_assert_max_num_queries(few):
        mentee_client.get(_url(program))
    first = response.context["page"].object_list[0]
    with django_assert_max_num_queries(few + 2):
        mentee_client.get(_url(program, f"mentors/{first.code}/"))
