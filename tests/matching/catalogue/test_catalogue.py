"""Stage 3, mentee choice: the mentor catalogue, a mentor's page, and who may see them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.catalogue.selectors import CatalogueFilters, catalogue_for
from matching.models import Mentorship
from matching.pairs.services import mentorship_create
from people.models import Language
from tests.factories import (
    ApplicationFactory,
    DepartmentFactory,
    SkillFactory,
    UserFactory,
)

from .catalogue_data import _cards, _enrol, _mentor, _program, _question, _url

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


def test_mentors_are_sorted_by_match_score_with_the_short_why_and_every_unmet_reason(
    program, mentee_client, scores
):
    low, high, middle = (_mentor(program) for _ in range(3))
    scores["by_email"] = {low.person.email: 20, high.person.email: 90, middle.person.email: 55}
    response = mentee_client.get(_url(program))
    assert _cards(response) == [high.person.email, middle.person.email, low.person.email]
    first = response.context["page"].object_list[0]
    assert first.score == 90
    assert [reason["criterion"] for reason in first.why] == ["skills", "language", "experience"]
    html = response.content.decode()
    assert "Speaks your language" in html
    assert "Works in your city" not in html  # only the top two met reasons on a card
    # What does not match is never hidden, and reads as such without colour.
    assert "Less experience than you asked" in html
    assert 'data-met="no"' in html
    assert "Not met:" in html and "✗" in html
    assert "Match score 90/100" in html


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


@pytest.mark.parametrize(
    "relation", ["own manager", "own report", "past mentor", "declined pairing"]
)
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
        pair = mentorship_create(
            program=earlier,
            mentor=hidden.person,
            mentee=me,
            origin=Mentorship.Origin.MENTEE_REQUEST,
            status=Mentorship.Status.ACTIVE,
        )
        if relation == "declined pairing":  # the never-again rule counts a declined pairing
            Mentorship.objects.filter(pk=pair.pk).update(status=Mentorship.Status.DECLINED)
    assert [entry.person for entry in catalogue_for(program, me)] == [visible.person]


def test_paused_and_full_mentors_are_hidden_and_their_pages_are_404(program, mentee_client):
    visible = _mentor(program)
    paused = _mentor(program, paused=True)
    full = _mentor(program, capacity=1)
    mentorship_create(
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


def test_the_area_filter_uses_the_programs_areas_under_a_single_root(program, me, mentee_client):
    root = DepartmentFactory(name="Dirección")
    maintenance = DepartmentFactory(name="Mantenimiento", parent=root)
    line = DepartmentFactory(name="Línea 3", parent=maintenance)
    sales = DepartmentFactory(name="Ventas", parent=root)
    program.area_level = 2  # the level under the root: Mantenimiento, Ventas
    program.save(update_fields=["area_level"])
    me.department = line
    me.save(update_fields=["department"])
    near = _mentor(program, department=maintenance, first_name="Nuria")
    far = _mentor(program, department=sales, first_name="Fermín")

    def shown(area):
        return [e.person for e in catalogue_for(program, me, CatalogueFilters(area=area))]

    assert set(shown("")) == {near.person, far.person}
    assert shown("same") == [near.person]
    assert shown("other") == [far.person]
    page = mentee_client.get(_url(program) + "?area=same").content.decode()
    assert "Nuria" in page and "Fermín" not in page
