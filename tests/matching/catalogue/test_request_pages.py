"""Stage 3, mentee choice: the pages where mentors answer requests and mentees follow theirs."""

from __future__ import annotations

import time_machine
from django.utils import timezone, translation

from matching.catalogue import services
from matching.models import MatchRequest, Mentorship
from matching.pairs.services import mentorship_create
from programs.models import Application
from tests.factories import DepartmentFactory, ProgramFactory, UserFactory

from .request_data import _count_queries, _enrol, _mentee, _mentor, _program, _send

# --- pages: mentors ---------------------------------------------------------------------


def test_request_pages_send_anonymous_visitors_to_sign_in(client, enrolled, mentor, mentee):
    code = _send(enrolled, mentee, mentor)[0].code
    for url in [
        "/matching/requests/",
        f"/matching/requests/{code}/accept/",
        f"/matching/requests/{code}/decline/",
        f"/matching/requests/{code}/withdraw/",
        f"/matching/programs/{enrolled.slug}/my-requests/",
        f"/matching/programs/{enrolled.slug}/availability/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/"), url


def test_someone_elses_request_is_not_found(client, enrolled, mentor, mentee, outsider):
    code = _send(enrolled, mentee, mentor)[0].code
    client.force_login(outsider)
    for url in [
        f"/matching/requests/{code}/accept/",
        f"/matching/requests/{code}/decline/",
        f"/matching/requests/{code}/withdraw/",
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    client.force_login(mentee)
    assert client.get(f"/matching/requests/{code}/accept/").status_code == 404
    client.force_login(mentor)
    assert client.post(f"/matching/requests/{code}/withdraw/").status_code == 404
    assert MatchRequest.objects.get(code=code).status == MatchRequest.Status.PENDING


def test_a_mentor_sees_open_requests_with_who_asks_and_when_they_expire(client, db):
    program = _program()
    mentor = _mentor(program, capacity=3)
    department = DepartmentFactory(name="Logística")
    mentee = _mentee(program, first_name="Lucía", last_name="Mora", job_title="Planner")
    mentee.department = department
    mentee.save()
    with time_machine.travel(timezone.now(), tick=False):
        pending = _send(program, mentee, mentor, message="Quiero aprender a negociar.")[0]
        MatchRequest.objects.filter(pk=pending.pk).update(score=87.4)
        answered = _send(program, _mentee(program), mentor)[0]
        services.request_decline(request=answered, reason="Sin tiempo", by=mentor)
        client.force_login(mentor)
        with translation.override("en"):
            response = client.get("/matching/requests/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    [shown] = response.context["open_requests"]
    assert shown == pending
    assert shown.days_left == program.request_reply_days
    page = response.content.decode()
    for text in ["Lucía Mora", "Planner", "Logística", "Quiero aprender a negociar.", "87"]:
        assert text in page
    assert [r.pk for r in response.context["answered"]] == [answered.pk]
    [enrolment] = response.context["enrolments"]
    assert (enrolment.load, enrolment.mentor_capacity) == (0, 3)


def test_requests_past_their_deadline_are_not_offered(client, enrolled, mentor, mentee):
    pending = _send(enrolled, mentee, mentor)[0]
    MatchRequest.objects.filter(pk=pending.pk).update(expires_at=timezone.now())
    client.force_login(mentor)
    response = client.get("/matching/requests/")
    assert response.context["open_requests"] == []
    assert 'data-testid="no-open-requests"' in response.content.decode()


def test_the_requests_page_keeps_a_constant_number_of_queries(
    client, db, django_assert_max_num_queries
):
    programs = [_program(), _program()]
    mentor = UserFactory()
    for program in programs:
        _enrol(program, mentor, "mentor", capacity=20)
    _send(programs[0], _mentee(programs[0]), mentor)
    client.force_login(mentor)
    few = _count_queries(client, "/matching/requests/")
    for program in programs:
        for _ in range(6):
            request = _send(program, _mentee(program), mentor)[0]
        services.request_accept(request=request, by=mentor)
        services.request_decline(
            request=_send(program, _mentee(program), mentor)[0], reason="No", by=mentor
        )
    with django_assert_max_num_queries(few):
        response = client.get("/matching/requests/")
    assert len(response.context["open_requests"]) == 11
    assert [e.load for e in response.context["enrolments"]] == [1, 1]


def test_a_mentor_accepts_after_a_confirmation_step(client, enrolled, mentor, mentee):
    pending = _send(enrolled, mentee, mentor)[0]
    client.force_login(mentor)
    url = f"/matching/requests/{pending.code}/accept/"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["enrolment"].mentor_capacity == enrolled.mentor_capacity
    assert not Mentorship.objects.exists()
    response = client.post(url)
    pair = Mentorship.objects.get()
    assert response.url == f"/matching/pairs/{pair.code}/"
    assert (pair.mentor, pair.mentee, pair.status) == (mentor, mentee, "active")
    again = client.get(url)
    assert again.url == "/matching/requests/"


def test_a_refused_accept_shows_why_on_the_confirmation_page(client, db, mentee):
    program = _program()
    mentor = _mentor(program, capacity=1)
    _enrol(program, mentee, "mentee")
    pending = _send(program, mentee, mentor)[0]
    mentorship_create(
        program=program,
        mentor=mentor,
        mentee=_mentee(program),
        origin=Mentorship.Origin.HR_PROPOSAL,
        status=Mentorship.Status.ACTIVE,
    )
    mentor.language = "en"
    mentor.save()
    client.force_login(mentor)
    response = client.post(f"/matching/requests/{pending.code}/accept/")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"{mentor} has no places left in this program."
    ]
    assert Mentorship.objects.filter(mentee=mentee).count() == 0


def test_a_mentor_declines_on_its_own_page_with_a_reason(client, enrolled, mentor, mentee):
    pending = _send(enrolled, mentee, mentor)[0]
    client.force_login(mentor)
    url = f"/matching/requests/{pending.code}/decline/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    response = client.post(url, {"reason": "Estoy de baja este mes."})
    assert response.url == "/matching/requests/"
    pending.refresh_from_db()
    assert (pending.status, pending.reply_reason) == ("declined", "Estoy de baja este mes.")


def test_a_mentor_pauses_and_resumes_new_requests(client, enrolled, mentor):
    client.force_login(mentor)
    url = f"/matching/programs/{enrolled.slug}/availability/"
    assert client.get(url).status_code == 405
    assert client.post(url, {"action": "pause"}).url == "/matching/requests/"
    application = Application.objects.get(person=mentor)
    assert application.paused
    page = client.get("/matching/requests/").content.decode()
    assert 'value="resume"' in page
    client.post(url, {"action": "resume"})
    application.refresh_from_db()
    assert not application.paused


def test_only_a_mentor_of_the_program_has_an_availability_switch(
    client, enrolled, mentee, outsider
):
    for person in (mentee, outsider):
        client.force_login(person)
        url = f"/matching/programs/{enrolled.slug}/availability/"
        assert client.post(url, {"action": "pause"}).status_code == 404
    assert client.post("/matching/programs/nope/availability/").status_code == 404


# --- pages: mentees ---------------------------------------------------------------------


def test_a_mentee_sees_their_requests_in_order_and_withdraws_one(client, enrolled, mentor, mentee):
    second = _mentor(enrolled)
    first_request, second_request = _send(enrolled, mentee, mentor, second)
    client.force_login(mentee)
    url = f"/matching/programs/{enrolled.slug}/my-requests/"
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["requests"] == [first_request, second_request]
    withdraw = f"/matching/requests/{first_request.code}/withdraw/"
    assert client.get(withdraw).status_code == 200
    assert client.post(withdraw).url == url
    first_request.refresh_from_db()
    assert first_request.status == MatchRequest.Status.WITHDRAWN
    assert client.get(url).context["requests"] == [second_request, first_request]
    assert client.post(withdraw).url == url


def test_my_requests_shows_the_current_pair(client, enrolled, mentor, mentee):
    services.request_accept(request=_send(enrolled, mentee, mentor)[0], by=mentor)
    client.force_login(mentee)
    response = client.get(f"/matching/programs/{enrolled.slug}/my-requests/")
    assert response.context["current"].mentor == mentor
    assert 'data-testid="current-pair"' in response.content.decode()


def test_my_requests_is_not_found_for_people_who_are_not_mentees_of_the_program(
    client, enrolled, mentor, outsider
):
    for person in (outsider, mentor):
        client.force_login(person)
        assert client.get(f"/matching/programs/{enrolled.slug}/my-requests/").status_code == 404
    draft = ProgramFactory(status="draft")
    assert client.get(f"/matching/programs/{draft.slug}/my-requests/").status_code == 404


def test_my_requests_keeps_a_constant_number_of_queries(
    client, db, mentee, django_assert_max_num_queries
):
    program = _program(max_requests=10, request_order="all_at_once")
    _enrol(program, mentee, "mentee")
    _send(program, mentee, _mentor(program))
    client.force_login(mentee)
    url = f"/matching/programs/{program.slug}/my-requests/"
    few = _count_queries(client, url)
    for _ in range(3):
        declined = _send(program, mentee, _mentor(program))[0]
        services.request_decline(request=declined, reason="No", by=declined.mentor)
    _send(program, mentee, *[_mentor(program) for _ in range(5)])
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["requests"]) == 9
