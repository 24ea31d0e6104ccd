"""Stage 3, mentee choice: mentees request mentors, mentors accept or decline, requests expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from matching import services
from matching.hooks import matching_gates
from matching.models import MatchRequest, Mentorship
from notifications.models import Notification
from programs.models import Application
from tests.factories import ApplicationFactory, DepartmentFactory, ProgramFactory, UserFactory


def _program(**kwargs):
    return ProgramFactory(status="matching", **kwargs)


def _enrol(program, person, role, **kwargs):
    ApplicationFactory(program=program, person=person, role=role, status="approved", **kwargs)
    return person


def _mentor(program, **kwargs):
    capacity = kwargs.pop("capacity", None)
    return _enrol(program, UserFactory(**kwargs), "mentor", capacity=capacity)


def _mentee(program, **kwargs):
    return _enrol(program, UserFactory(**kwargs), "mentee")


def _send(program, mentee, *mentors, message="¿Me ayudas?"):
    return services.requests_send(
        program=program, mentee=mentee, mentors=list(mentors), message=message
    )


def _kinds(recipient) -> list[str]:
    return list(
        Notification.objects.filter(recipient=recipient)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def program(db):
    return _program()


@pytest.fixture
def enrolled(program, mentor, mentee):
    """The personas enrolled in `program`: `mentor` as mentor, `mentee` as mentee."""
    _enrol(program, mentor, "mentor")
    _enrol(program, mentee, "mentee")
    return program


@pytest.fixture
def training_gate():
    """A fake training stage: nobody has finished their required training."""

    def gate(program, person, role):
        return [f"{person.email} has not finished the {role} training."]

    with matching_gates.added(gate):
        yield gate


# --- sending ---------------------------------------------------------------------------


def test_a_mentee_may_have_only_the_programs_number_of_open_requests(db, mentee):
    program = _program(max_requests=2)
    _enrol(program, mentee, "mentee")
    first, second, third = (_mentor(program) for _ in range(3))
    sent = _send(program, mentee, first, second)
    assert [r.rank for r in sent] == [1, 2]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _send(program, mentee, third)
    assert error.value.messages == [
        "You can have at most 2 open requests at a time in this program."
    ]

    services.request_withdraw(request=sent[0], by=mentee)
    again = _send(program, mentee, third)
    assert again[0].rank == 3
    assert MatchRequest.objects.open().filter(mentee=mentee).count() == 2


def test_sending_requests_tells_each_mentor(
    enrolled, mentor, mentee, django_capture_on_commit_callbacks
):
    other = _mentor(enrolled)
    with django_capture_on_commit_callbacks(execute=True):
        _send(enrolled, mentee, mentor, other)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, other.email])
    assert _kinds(mentor) == ["matching.request_received"]
    assert "/matching/requests/" in mail.outbox[0].body


def test_a_mentor_with_no_places_left_cannot_be_requested(db, mentee):
    program = _program()
    full = _mentor(program, capacity=1)
    _enrol(program, mentee, "mentee")
    services.mentorship_create(
        program=program,
        mentor=full,
        mentee=_mentee(program),
        origin=Mentorship.Origin.MENTEE_REQUEST,
        status=Mentorship.Status.ACTIVE,
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _send(program, mentee, full)
    assert error.value.messages == [f"{full} has no places left."]


def test_a_paused_mentor_cannot_be_requested_until_they_resume(enrolled, mentor, mentee):
    services.mentor_availability_set(program=enrolled, mentor=mentor, paused=True)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _send(enrolled, mentee, mentor)
    assert error.value.messages == [f"{mentor} is not taking mentees right now."]
    services.mentor_availability_set(program=enrolled, mentor=mentor, paused=False)
    assert len(_send(enrolled, mentee, mentor)) == 1


def test_only_mentors_of_the_program_can_set_their_availability(program, outsider):
    with pytest.raises(ValidationError):
        services.mentor_availability_set(program=program, mentor=outsider, paused=True)


@pytest.mark.parametrize("relation", ["own manager", "own report", "past pair", "oneself"])
def test_forbidden_pairs_are_refused(db, relation):
    program = _program()
    mentee = _mentee(program)
    if relation == "own manager":
        mentor = _mentor(program)
        mentee.manager = mentor
        mentee.save()
    elif relation == "own report":
        mentor = _mentor(program, manager=mentee)
    elif relation == "past pair":
        mentor = _mentor(program)
        earlier = _program()
        _enrol(earlier, mentor, "mentor")
        _enrol(earlier, mentee, "mentee")
        pair = services.mentorship_create(
            program=earlier,
            mentor=mentor,
            mentee=mentee,
            origin=Mentorship.Origin.MENTEE_REQUEST,
            status=Mentorship.Status.ACTIVE,
        )
        services.mentorship_end_early(mentorship=pair, reason="Cambio de puesto", by=mentee)
    else:
        mentor = mentee
    with translation.override("en"):
        reason = services.forbidden_pair_reason(mentor=mentor, mentee=mentee)
        assert reason
        if relation != "oneself":
            with pytest.raises(ValidationError) as error:
                _send(program, mentee, mentor)
            assert error.value.messages == [f"{mentor}: {reason}"]
        with pytest.raises(ValidationError):
            services.mentorship_create(
                program=program,
                mentor=mentor,
                mentee=mentee,
                origin=Mentorship.Origin.HR_PROPOSAL,
                status=Mentorship.Status.PROPOSED,
            )
    assert not Mentorship.objects.filter(program=program).exists()


def test_a_declined_pairing_does_not_count_as_a_past_pair(enrolled, mentor, mentee):
    pair = services.mentorship_create(
        program=enrolled,
        mentor=mentor,
        mentee=mentee,
        origin=Mentorship.Origin.MENTEE_REQUEST,
        status=Mentorship.Status.AWAITING_APPROVAL,
    )
    Mentorship.objects.filter(pk=pair.pk).update(status=Mentorship.Status.DECLINED)
    assert services.forbidden_pair_reason(mentor=mentor, mentee=mentee) is None


def test_a_mentee_with_a_mentor_cannot_request_more(enrolled, mentor, mentee):
    services.request_accept(request=_send(enrolled, mentee, mentor)[0], by=mentor)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _send(enrolled, mentee, _mentor(enrolled))
    assert error.value.messages == ["You already have a mentor in this program."]


def test_only_approved_mentees_of_a_mentee_choice_program_in_matching_can_request(db, mentor):
    with translation.override("en"):
        managed = _program(matching_mode="managed")
        person = _mentee(managed)
        assert services.request_problems(managed, person) == ["In this program HR forms the pairs."]
        recruiting = ProgramFactory()
        person = _mentee(recruiting)
        assert services.request_problems(recruiting, person) == [
            "Mentors can be requested once the program reaches its matching phase."
        ]
        program = _program()
        applicant = UserFactory()
        ApplicationFactory(program=program, person=applicant, role="mentee")
        assert services.request_problems(program, applicant) == [
            "Only approved mentees of this program can request a mentor."
        ]


# --- the training gate ------------------------------------------------------------------


def test_required_training_gates_requests_and_accepts(enrolled, mentor, mentee, training_gate):
    pending = _send(enrolled, mentee, mentor)[0]
    enrolled.training_required_to_match = True
    enrolled.save()
    with pytest.raises(ValidationError) as error:
        _send(enrolled, mentee, _mentor(enrolled))
    assert error.value.messages == [f"{mentee.email} has not finished the mentee training."]
    with pytest.raises(ValidationError) as error:
        services.request_accept(request=pending, by=mentor)
    assert error.value.messages == [f"{mentor.email} has not finished the mentor training."]
    assert not Mentorship.objects.exists()


def test_the_training_gate_is_ignored_when_the_program_does_not_require_it(
    enrolled, mentor, mentee, training_gate
):
    pending = _send(enrolled, mentee, mentor)[0]
    assert services.request_accept(request=pending, by=mentor).status == "active"


# --- replies --------------------------------------------------------------------------


def test_accepting_makes_the_pair_and_withdraws_the_other_requests_telling_those_mentors(
    enrolled, mentor, mentee, django_capture_on_commit_callbacks
):
    second, third = _mentor(enrolled), _mentor(enrolled)
    first_request, *_ = _send(enrolled, mentee, mentor, second, third)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pair = services.request_accept(request=first_request, by=mentor)
    assert pair.status == Mentorship.Status.ACTIVE
    assert pair.origin == Mentorship.Origin.MENTEE_REQUEST
    assert pair.starts_on == enrolled.starts_on
    assert pair.deadline == enrolled.starts_on + timedelta(weeks=enrolled.partnership_weeks)
    statuses = dict(MatchRequest.objects.values_list("mentor_id", "status"))
    assert statuses == {mentor.pk: "accepted", second.pk: "withdrawn", third.pk: "withdrawn"}
    assert MatchRequest.objects.get(mentor=mentor).mentorship == pair
    assert _kinds(second) == ["matching.request_received", "matching.request_withdrawn"]
    assert _kinds(third) == ["matching.request_received", "matching.request_withdrawn"]
    assert set(_kinds(mentee)) == {"matching.request_accepted", "matching.mentorship_started"}
    assert "matching.mentorship_started" in _kinds(mentor)
    assert {m.to[0] for m in mail.outbox} == {mentor.email, mentee.email, second.email, third.email}


def test_only_the_requested_mentor_can_answer(enrolled, mentor, mentee, outsider):
    pending = _send(enrolled, mentee, mentor)[0]
    with pytest.raises(ValidationError):
        services.request_accept(request=pending, by=outsider)
    with pytest.raises(ValidationError):
        services.request_decline(request=pending, reason="No", by=mentee)
    with pytest.raises(ValidationError):
        services.request_withdraw(request=pending, by=mentor)


def test_declining_needs_a_reason_and_tells_the_mentee(
    enrolled, mentor, mentee, django_capture_on_commit_callbacks
):
    pending = _send(enrolled, mentee, mentor)[0]
    with pytest.raises(ValidationError) as error:
        services.request_decline(request=pending, reason="   ", by=mentor)
    assert "reason" in error.value.error_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.request_decline(request=pending, reason="Este trimestre no puedo.", by=mentor)
    pending.refresh_from_db()
    assert pending.status == MatchRequest.Status.DECLINED
    assert pending.reply_reason == "Este trimestre no puedo."
    assert _kinds(mentee) == ["matching.request_declined"]
    [email] = [m for m in mail.outbox if m.to == [mentee.email]]
    assert "Este trimestre no puedo." in email.body
    with pytest.raises(ValidationError):
        services.request_accept(request=pending, by=mentor)


def test_a_mentor_who_filled_up_since_the_request_cannot_accept_it(db, mentee):
    program = _program()
    mentor = _mentor(program, capacity=1)
    _enrol(program, mentee, "mentee")
    other_mentee = _mentee(program)
    first = _send(program, mentee, mentor)[0]
    second = _send(program, other_mentee, mentor)[0]
    services.request_accept(request=first, by=mentor)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.request_accept(request=second, by=mentor)
    assert error.value.messages == [f"{mentor} has no places left in this program."]
    second.refresh_from_db()
    assert second.status == MatchRequest.Status.PENDING


def test_expired_requests_tell_the_mentee_once_however_often_the_job_runs(
    enrolled, mentor, mentee, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        pending = _send(enrolled, mentee, mentor)[0]
    assert pending.expires_at == start + timedelta(days=enrolled.request_reply_days)
    with time_machine.travel(start + timedelta(days=enrolled.request_reply_days - 1)):
        assert services.requests_expire() == 0
    mail.outbox.clear()
    with time_machine.travel(start + timedelta(days=enrolled.request_reply_days, minutes=1)):
        with pytest.raises(ValidationError):
            services.request_accept(request=pending, by=mentor)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.requests_expire() == 1
            assert services.requests_expire() == 0
    pending.refresh_from_db()
    assert pending.status == MatchRequest.Status.EXPIRED
    assert _kinds(mentee) == ["matching.request_expired"]
    assert [m.to for m in mail.outbox] == [[mentee.email]]


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
    services.mentorship_create(
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
    program = _program(max_requests=10)
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
