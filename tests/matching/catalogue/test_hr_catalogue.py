"""HR's view of a catalogue program: requests, unmatched mentees, mentors, reminders, proposing a
mentor on a mentee's behalf, the catalogue seen as a mentee, and the warning before running."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from matching.catalogue import services
from matching.models import MatchRequest, Mentorship
from notifications.models import Notification
from programs.definition.services import program_transition
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory

from .request_data import _count_queries, _enrol, _kinds, _mentee, _mentor, _program, _send


def _tab(program, query=""):
    return f"/matching/programs/{program.slug}/catalogue-hr/{query}"


def _application(program, person, role="mentee"):
    return program.applications.get(person=person, role=role, status="approved")


@pytest.fixture
def hr_client(client, hr_admin):
    """HR, reading in English (the personas read Spanish)."""
    hr_admin.language = "en"
    hr_admin.save()
    client.force_login(hr_admin)
    return client


@pytest.fixture
def busy(db, mentee, mentor):
    """A catalogue program with a mentee whose ranked requests wait, one who sent nothing,
    one whose only request was declined and one whose request expired."""
    program = _program(max_requests=3)
    mentee.language = mentor.language = "en"
    mentee.save()
    mentor.save()
    _enrol(program, mentee, "mentee")
    _enrol(program, mentor, "mentor")
    second = _mentor(program)
    _send(program, mentee, mentor, second)
    silent = _mentee(program, first_name="Silvia", last_name="Silencio")
    turned_down = _mentee(program, first_name="Daniel", last_name="Declinado")
    [declined] = _send(program, turned_down, second)
    services.request_decline(request=declined, reason="No", by=second)
    late = _mentee(program, first_name="Ernesto", last_name="Expirado")
    with time_machine.travel(timezone.now() - timedelta(days=program.request_reply_days + 1)):
        _send(program, late, second)
    services.requests_expire()
    return program, {"silent": silent, "turned_down": turned_down, "late": late}


# --- access -----------------------------------------------------------------------------------


def test_only_hr_sees_the_tab_and_only_in_catalogue_programs(busy, mentee, hr_client):
    program, _people = busy
    client = Client()
    assert client.get(_tab(program)).status_code == 302
    client.force_login(mentee)
    assert client.get(_tab(program)).status_code == 403
    managed = ProgramFactory(status="matching", matching_mode="managed")
    assert hr_client.get(_tab(managed)).status_code == 404
    response = hr_client.get(f"/programs/manage/{program.slug}/")
    assert _tab(program) in response.content.decode()


# --- what HR sees -----------------------------------------------------------------------------


def test_open_requests_show_their_place_in_the_mentee_s_order_and_age(hr_client, busy, mentee):
    program, _people = busy
    response = hr_client.get(_tab(program))
    rows = {(r.mentee, r.status): r for r in response.context["page"].object_list}
    assert [(r.position, r.in_line) for r in rows.values()] == [(1, 2), (2, 2)]
    html = response.content.decode()
    assert "1 of 2" in html and "2 of 2" in html
    assert sorted(status for _mentee, status in rows) == ["pending", "queued"]


def test_unmatched_mentees_are_listed_with_why(hr_client, busy, mentee):
    program, people = busy
    paired = _mentee(program)
    [request] = _send(program, paired, _mentor(program))
    services.request_accept(request=request, by=request.mentor)
    response = hr_client.get(_tab(program, "?show=mentees"))
    reasons = {m.person: m.reasons for m in response.context["page"].object_list}
    assert paired not in reasons
    assert reasons == {
        people["turned_down"]: ["Every mentor they asked declined."],
        people["late"]: ["Their requests expired without an answer."],
        mentee: ["Waiting for a mentor's answer."],
        people["silent"]: ["No request sent yet."],
    }


def test_missing_training_is_a_reason_too(hr_client, busy, training_gate):
    program, people = busy
    program.training_required_to_match = True
    program.save()
    response = hr_client.get(_tab(program, "?show=mentees"))
    reasons = {m.person: m.reasons for m in response.context["page"].object_list}
    assert (
        f"{people['silent'].email} has not finished the mentee training."
        in (reasons[people["silent"]])
    )


def test_mentors_are_listed_with_places_load_and_requests_to_answer(hr_client, busy, mentor):
    program, _people = busy
    response = hr_client.get(_tab(program, "?show=mentors"))
    rows = {m.person: m for m in response.context["page"].object_list}
    assert (rows[mentor].load, rows[mentor].places_left, rows[mentor].pending) == (
        0,
        program.mentor_capacity,
        1,
    )


@pytest.mark.parametrize("show", ["requests", "mentees", "mentors"])
def test_each_list_keeps_a_constant_number_of_queries(
    hr_client, busy, show, django_assert_max_num_queries
):
    program, _people = busy
    url = _tab(program, f"?show={show}")
    few = _count_queries(hr_client, url)
    for _ in range(4):
        someone = _mentee(program)
        _send(program, someone, _mentor(program), _mentor(program))
    _mentee(program)
    with django_assert_max_num_queries(few):
        hr_client.get(url)


def test_the_lists_are_paginated(hr_client, db):
    program = _program()
    for _ in range(27):
        _mentee(program)
    response = hr_client.get(_tab(program, "?show=mentees"))
    assert len(response.context["page"].object_list) == 25
    assert "?show=mentees&amp;page=2" in response.content.decode()


# --- reminders --------------------------------------------------------------------------------


def test_each_person_is_reminded_once_however_often_hr_clicks(hr_client, busy, mentor, hr_admin):
    program, people = busy
    url = _tab(program, "remind/")
    response = hr_client.post(url, {"kind": "matching.nudge_mentee"}, follow=True)
    assert "1 person was reminded." in response.content.decode()
    assert _kinds(people["silent"]) == ["matching.nudge_mentee"]
    assert _kinds(people["turned_down"]) == ["matching.request_declined"]
    again = hr_client.post(url, {"kind": "matching.nudge_mentee"}, follow=True)
    assert "each person is reminded only once" in again.content.decode()
    assert _kinds(people["silent"]) == ["matching.nudge_mentee"]
    hr_client.post(url, {"kind": "matching.nudge_mentor"})
    assert _kinds(mentor)[-1] == "matching.nudge_mentor"
    assert services.nudges_send(program=program, kind="matching.nudge_mentor", by=hr_admin) == 0
    nudges = hr_client.get(_tab(program)).context["nudges"]
    assert [(n["due"], n["done"]) for n in nudges] == [(0, 1), (0, 1)]


def test_an_unknown_reminder_is_refused(hr_client, busy):
    program, _people = busy
    response = hr_client.post(_tab(program, "remind/"), {"kind": "x"}, follow=True)
    assert "Choose whom to remind." in response.content.decode()
    assert not Notification.objects.filter(kind__startswith="matching.nudge").exists()


# --- proposing on a mentee's behalf -----------------------------------------------------------


def test_only_hr_reaches_the_propose_page_and_only_for_this_programs_mentees(
    busy, mentee, mentor, hr_client
):
    program, _people = busy
    url = _tab(program, f"mentees/{_application(program, mentee).code}/propose/")
    assert Client().get(url).status_code == 302
    other = Client()
    other.force_login(mentor)
    assert other.get(url).status_code == 403
    assert other.post(url).status_code == 403
    # A mentor's application, or a code from nowhere, is not a mentee of this program.
    not_a_mentee = _tab(program, f"mentees/{_application(program, mentor, 'mentor').code}/propose/")
    assert hr_client.get(not_a_mentee).status_code == 404
    unknown = _tab(program, "mentees/00000000-0000-0000-0000-000000000000/propose/")
    assert hr_client.get(unknown).status_code == 404
    assert not Mentorship.objects.filter(program=program, mentee=mentee).exists()


def test_hr_proposes_a_mentor_for_a_mentee_after_confirming(hr_client, busy, mentee, mentor):
    program, people = busy
    application = _application(program, mentee)
    url = _tab(program, f"mentees/{application.code}/propose/")
    candidates = hr_client.get(url).context["page"].object_list
    third = _application(program, _mentor(program), "mentor")
    chosen = next(c for c in hr_client.get(url).context["page"].object_list if c.code == third.code)
    assert candidates
    confirm = hr_client.get(f"{url}?mentor={chosen.code}")
    assert 'data-testid="propose-confirm"' in confirm.content.decode()
    assert not Mentorship.objects.exists()
    response = hr_client.post(f"{url}?mentor={chosen.code}", follow=True)
    assert "was proposed as" in response.content.decode()
    pair = Mentorship.objects.get(mentee=mentee)
    assert (pair.mentor, pair.status, pair.origin, pair.mentor_decision) == (
        third.person,
        "awaiting_approval",
        "hr_proposal",
        "pending",
    )
    statuses = set(MatchRequest.objects.filter(mentee=mentee).values_list("status", flat=True))
    assert statuses == {"withdrawn"}
    assert _kinds(mentor)[-1] == "matching.request_withdrawn"
    assert _kinds(mentee)[-1] == "matching.pairing_proposed_to_mentee"
    assert _kinds(third.person) == ["matching.pairing_to_confirm"]


def test_hr_cannot_propose_a_forbidden_pair(busy, mentee, manager, hr_admin):
    program, _people = busy
    _enrol(program, manager, "mentor")
    with pytest.raises(ValidationError):
        services.pair_propose_for_mentee(
            program=program, mentee=mentee, mentor=manager, by=hr_admin
        )
    assert not Mentorship.objects.exists()


def test_the_manager_is_never_offered_and_a_stale_choice_is_refused(hr_client, busy, mentee):
    program, _people = busy
    manager_application = ApplicationFactory(
        program=program, person=mentee.manager, role="mentor", status="approved"
    )
    url = _tab(program, f"mentees/{_application(program, mentee).code}/propose/")
    codes = {c.code for c in hr_client.get(url).context["page"].object_list}
    assert manager_application.code not in codes
    response = hr_client.post(f"{url}?mentor={manager_application.code}", follow=True)
    assert "cannot be proposed to this mentee" in response.content.decode()
    assert not Mentorship.objects.exists()


# --- the catalogue as a mentee ----------------------------------------------------------------


def test_hr_sees_the_catalogue_as_a_mentee_read_only(hr_client, busy, mentee, mentor):
    program, _people = busy
    code = _application(program, mentee).code
    response = hr_client.get(f"/matching/programs/{program.slug}/mentors/?as={code}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="viewing-as"' in html
    assert mentee.get_full_name() in html
    assert 'name="m"' not in html
    assert "Continue with the chosen mentors" not in html
    mentor_code = _application(program, mentor, "mentor").code
    detail = hr_client.get(f"/matching/programs/{program.slug}/mentors/{mentor_code}/?as={code}")
    assert detail.status_code == 200
    assert "Ask this mentor" not in detail.content.decode()


def test_the_catalogue_no_longer_answers_404_to_hr(hr_client, busy):
    program, _people = busy
    response = hr_client.get(f"/matching/programs/{program.slug}/mentors/")
    assert response.status_code == 302
    assert response["Location"] == _tab(program, "?show=mentees")
    mentor_code = program.applications.filter(role="mentor").first().code
    detail = hr_client.get(f"/matching/programs/{program.slug}/mentors/{mentor_code}/")
    assert detail["Location"] == _tab(program, "?show=mentees")


def test_only_hr_may_look_through_someone_else_s_eyes(client, busy, mentee):
    program, people = busy
    code = _application(program, people["silent"]).code
    client.force_login(mentee)
    response = client.get(f"/matching/programs/{program.slug}/mentors/?as={code}")
    # A mentee's own catalogue, whatever they put in the address.
    assert response.context.get("viewing_as") is None
    assert 'data-testid="viewing-as"' not in response.content.decode()
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(f"/matching/programs/{program.slug}/mentors/?as={code}").status_code == 404


# --- moving to running ------------------------------------------------------------------------


def test_moving_to_running_lists_the_unmatched_and_asks_for_confirmation(hr_client, busy, hr_admin):
    program, people = busy
    url = f"/programs/manage/{program.slug}/status/running/"
    page = hr_client.get(url).content.decode()
    assert "4 mentees still have no mentor" in page
    assert f"{people['silent']}: No request sent yet." in page
    assert hr_client.post(url).status_code == 200
    program.refresh_from_db()
    assert program.status == "matching"
    with pytest.raises(ValidationError):
        program_transition(program=program, to="running", by=hr_admin)
    hr_client.post(url, {"confirm": "on"})
    program.refresh_from_db()
    assert program.status == "running"


def test_a_program_where_everyone_has_a_mentor_moves_to_running_without_warnings(
    hr_client, db, hr_admin
):
    program = _program()
    with time_machine.travel(timezone.now()):
        program_transition(program=program, to="running", by=hr_admin)
    program.refresh_from_db()
    assert program.status == "running"
