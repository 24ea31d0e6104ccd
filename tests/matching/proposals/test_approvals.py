"""Stage 3 approvals: HR approves agreed pairs, managers approve and mentors confirm proposals."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from matching.catalogue.services import request_accept, request_problems, requests_send
from matching.hooks import matching_gates
from matching.models import Mentorship
from matching.pairs.selectors import mentor_loads
from matching.pairs.services import mentorship_create
from matching.proposals import services
from notifications.models import Notification
from notifications.services import notify
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory


def _program(**kwargs):
    return ProgramFactory(status="matching", **kwargs)


def _enrol(program, person, role, **kwargs):
    if not program.applications.filter(person=person).exists():
        ApplicationFactory(program=program, person=person, role=role, status="approved", **kwargs)
    return person


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


def _agreed(program, mentor, mentee) -> Mentorship:
    """A mentee asked, the mentor accepted: in a program where HR approves, it waits for HR."""
    _enrol(program, mentor, "mentor")
    _enrol(program, mentee, "mentee")
    request = requests_send(program=program, mentee=mentee, mentors=[mentor], message="")
    return request_accept(request=request[0], by=mentor)


def _published(program, mentor, mentee, *, manager_needed=True) -> Mentorship:
    """An HR proposal as the proposals screens publish it: waiting for the manager and mentor."""
    _enrol(program, mentor, "mentor")
    _enrol(program, mentee, "mentee")
    pair = mentorship_create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        origin=Mentorship.Origin.HR_PROPOSAL,
        status=Mentorship.Status.AWAITING_APPROVAL,
        score=74.0,
        explanation=[{"text": "Los dos trabajan en Mantenimiento"}],
    )
    pair.mentor_decision = Mentorship.Decision.PENDING
    if manager_needed:
        pair.manager_decision = Mentorship.Decision.PENDING
    pair.save()
    return pair


@pytest.fixture
def hr_program(db):
    return _program(hr_approves_pairs=True)


@pytest.fixture
def managed(db):
    return _program(matching_mode="managed", focus="knowledge_transfer")


@pytest.fixture
def training_gate():
    def gate(program, person, role):
        return [f"{person.email} has not finished the {role} training."]

    with matching_gates.added(gate):
        yield gate


# --- HR approves pairs that a mentee and a mentor agreed ------------------------------------


def test_where_hr_approves_pairs_an_accepted_request_waits_for_hr(hr_program, mentor, mentee):
    pair = _agreed(hr_program, mentor, mentee)
    assert pair.status == Mentorship.Status.AWAITING_APPROVAL
    assert pair.hr_decision == Mentorship.Decision.PENDING
    assert pair.starts_on is None
    assert "matching.mentorship_started" not in _kinds(mentee)
    assert _kinds(mentee) == ["matching.request_accepted"]
    with translation.override("en"):
        assert request_problems(hr_program, mentee) == [
            "You already have a mentor in this program."
        ]


def test_hr_approves_a_pair_and_it_starts(
    hr_client, hr_program, mentor, mentee, hr_admin, django_capture_on_commit_callbacks
):
    pair = _agreed(hr_program, mentor, mentee)
    page = hr_client.get(f"/matching/programs/{hr_program.slug}/pairs/")
    assert page.context["waiting_for_hr"] == [pair]
    assert hr_client.get(f"/matching/pairs/{pair.code}/hr-decision/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(
            f"/matching/pairs/{pair.code}/hr-decision/", {"decision": "approve"}
        )
    assert response.url == f"/matching/programs/{hr_program.slug}/pairs/"
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ACTIVE
    assert (pair.hr_decision, pair.hr_decided_by) == ("approved", hr_admin)
    assert pair.deadline is not None
    assert "matching.mentorship_started" in _kinds(mentor)
    assert "matching.mentorship_started" in _kinds(mentee)
    assert {m.to[0] for m in mail.outbox} >= {mentor.email, mentee.email}
    again = hr_client.post(f"/matching/pairs/{pair.code}/hr-decision/", {"decision": "decline"})
    assert again.url == f"/matching/programs/{hr_program.slug}/pairs/"
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ACTIVE


def test_a_pair_hr_does_not_approve_frees_the_mentor_and_the_mentee(
    hr_client, hr_program, mentor, mentee, django_capture_on_commit_callbacks
):
    pair = _agreed(hr_program, mentor, mentee)
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(f"/matching/pairs/{pair.code}/hr-decision/", {"decision": "decline"})
    pair.refresh_from_db()
    assert (pair.status, pair.hr_decision) == ("declined", "declined")
    assert _kinds(mentee)[-1] == "matching.pairing_not_approved"
    assert _kinds(mentor)[-1] == "matching.pairing_not_approved"
    assert request_problems(hr_program, mentee) == []
    another = _enrol(hr_program, UserFactory(), "mentor")
    assert requests_send(program=hr_program, mentee=mentee, mentors=[another], message="")
    assert mentor_loads(hr_program) == {}


def test_hr_decisions_are_only_for_pairs_waiting_for_hr(hr_program, managed, mentor, mentee):
    hr_admin = UserFactory(hr=True)
    proposal = _published(managed, mentor, UserFactory())
    with pytest.raises(ValidationError):
        services.pairing_hr_decide(mentorship=proposal, approve=True, by=hr_admin)
    pair = _agreed(hr_program, mentor, mentee)
    services.pairing_hr_decide(mentorship=pair, approve=True, by=hr_admin)
    with pytest.raises(ValidationError):
        services.pairing_hr_decide(mentorship=pair, approve=False, by=hr_admin)


# --- HR's pairs page -------------------------------------------------------------------------


def test_hr_pair_pages_refuse_non_hr_and_send_anonymous_to_sign_in(
    client, hr_program, mentor, mentee, manager
):
    pair = _agreed(hr_program, mentor, mentee)
    urls = [
        f"/matching/programs/{hr_program.slug}/pairs/",
        f"/matching/pairs/{pair.code}/hr-decision/",
    ]
    for url in urls:
        assert client.get(url).url.startswith("/accounts/login/"), url
    for person in (mentor, mentee, manager):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 403, url
        response = client.post(urls[1], {"decision": "approve"})
        assert response.status_code == 403
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.AWAITING_APPROVAL


def test_unknown_programs_and_pairs_are_not_found_for_hr(hr_client, db):
    assert hr_client.get("/matching/programs/nope/pairs/").status_code == 404
    unknown = "/matching/pairs/00000000-0000-0000-0000-000000000000/hr-decision/"
    assert hr_client.get(unknown).status_code == 404


def test_hr_filters_the_pairs_of_a_program_by_status(hr_client, hr_program):
    waiting = _agreed(hr_program, UserFactory(), UserFactory())
    active = _agreed(hr_program, UserFactory(), UserFactory())
    services.pairing_hr_decide(mentorship=active, approve=True, by=UserFactory(hr=True))
    other_program = _agreed(_program(), UserFactory(), UserFactory())
    url = f"/matching/programs/{hr_program.slug}/pairs/"
    everything = hr_client.get(url)
    assert set(everything.context["page"].object_list) == {waiting, active}
    assert other_program not in everything.context["page"].object_list
    statuses = {value: n for value, label, n in everything.context["statuses"]}
    assert statuses["active"] == statuses["awaiting_approval"] == 1
    only_active = hr_client.get(url, {"status": "active"})
    assert list(only_active.context["page"].object_list) == [active]
    assert only_active.context["query"] == "status=active"
    assert hr_client.get(url, {"status": "bogus"}).context["status"] == ""
    assert list(hr_client.get(url, {"status": "completed"}).context["page"].object_list) == []


def test_hr_pairs_are_paginated_with_a_constant_number_of_queries(
    hr_client, hr_program, django_assert_max_num_queries
):
    _agreed(hr_program, UserFactory(), UserFactory())
    url = f"/matching/programs/{hr_program.slug}/pairs/"
    few = _count_queries(hr_client, url)
    for _ in range(26):
        _agreed(hr_program, UserFactory(), UserFactory())
    with django_assert_max_num_queries(few):
        response = hr_client.get(url)
    assert len(response.context["page"].object_list) == 25
    assert len(response.context["waiting_for_hr"]) == 27
    assert len(hr_client.get(url, {"page": 2}).context["page"].object_list) == 2


# --- managed programs: the mentee's manager and the mentor ------------------------------------


def test_approvals_page_sends_anonymous_visitors_to_sign_in(client, managed, mentor, mentee):
    pair = _published(managed, mentor, mentee)
    for url in [
        "/matching/approvals/",
        f"/matching/approvals/{pair.code}/",
        f"/matching/approvals/{pair.code}/confirm/",
    ]:
        assert client.get(url).url.startswith("/accounts/login/"), url


def test_the_manager_and_the_mentor_each_see_what_waits_for_them(
    client, managed, mentor, mentee, manager, outsider
):
    pair = _published(managed, mentor, mentee)
    client.force_login(manager)
    response = client.get("/matching/approvals/")
    assert response.context["to_approve"] == [pair]
    assert response.context["to_confirm"] == []
    assert f"/matching/approvals/{pair.code}/" in response.content.decode()
    client.force_login(mentor)
    response = client.get("/matching/approvals/")
    assert response.context["to_approve"] == []
    assert response.context["to_confirm"] == [pair]
    assert f"/matching/approvals/{pair.code}/confirm/" in response.content.decode()
    client.force_login(outsider)
    response = client.get("/matching/approvals/")
    assert response.context["to_approve"] == response.context["to_confirm"] == []
    assert 'data-testid="nothing-waiting"' in response.content.decode()


def test_pairing_decisions_are_not_found_for_anyone_else(
    client, managed, mentor, mentee, manager, outsider
):
    pair = _published(managed, mentor, mentee)
    manager_url = f"/matching/approvals/{pair.code}/"
    mentor_url = f"/matching/approvals/{pair.code}/confirm/"
    for person, url in [
        (outsider, manager_url),
        (outsider, mentor_url),
        (mentor, manager_url),
        (mentee, manager_url),
        (mentee, mentor_url),
        (manager, mentor_url),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == 404, (person, url)
        assert client.post(url, {"decision": "approve"}).status_code == 404, (person, url)
    pair.refresh_from_db()
    assert (pair.manager_decision, pair.mentor_decision) == ("pending", "pending")


def test_a_pairing_starts_once_the_manager_approves_and_the_mentor_confirms(
    client, managed, mentor, mentee, manager, django_capture_on_commit_callbacks
):
    pair = _published(managed, mentor, mentee)
    client.force_login(mentor)
    assert client.get(f"/matching/approvals/{pair.code}/confirm/").status_code == 200
    response = client.post(f"/matching/approvals/{pair.code}/confirm/", {"decision": "approve"})
    assert response.url == "/matching/approvals/"
    pair.refresh_from_db()
    assert (pair.status, pair.mentor_decision) == ("awaiting_approval", "approved")
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/matching/approvals/{pair.code}/", {"decision": "approve", "comment": "OK"})
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ACTIVE
    assert (pair.manager_decision, pair.manager_decided_by) == ("approved", manager)
    assert {m.to[0] for m in mail.outbox} == {mentor.email, mentee.email}
    decided = client.get("/matching/approvals/").context["decided"]
    assert decided == [pair]
    page = client.get(f"/matching/approvals/{pair.code}/")
    assert page.context["form"] is None
    assert 'data-testid="already-decided"' in page.content.decode()


def test_without_a_manager_the_mentors_confirmation_starts_the_pair(managed, mentor):
    pair = _published(managed, mentor, UserFactory(), manager_needed=False)
    pair = services.pairing_mentor_decide(mentorship=pair, approve=True, comment="", by=mentor)
    assert pair.status == Mentorship.Status.ACTIVE


def test_declining_a_pairing_needs_a_comment(client, managed, mentor, mentee, manager):
    pair = _published(managed, mentor, mentee)
    client.force_login(manager)
    response = client.post(f"/matching/approvals/{pair.code}/", {"decision": "decline"})
    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    with pytest.raises(ValidationError) as error:
        services.pairing_manager_decide(mentorship=pair, approve=False, comment=" ", by=manager)
    assert "comment" in error.value.error_dict
    client.force_login(mentor)
    response = client.post(f"/matching/approvals/{pair.code}/confirm/", {"decision": "decline"})
    assert "comment" in response.context["form"].errors
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.AWAITING_APPROVAL


def test_a_manager_decline_returns_the_mentee_to_the_pool(
    client, managed, mentor, mentee, manager, django_capture_on_commit_callbacks
):
    pair = _published(managed, mentor, mentee)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/matching/approvals/{pair.code}/",
            {"decision": "decline", "comment": "Está cubriendo una baja hasta junio."},
        )
    pair.refresh_from_db()
    assert (pair.status, pair.manager_decision) == ("declined", "declined")
    assert pair.manager_comment == "Está cubriendo una baja hasta junio."
    for person in (managed.created_by, mentor, mentee):
        assert _kinds(person)[-1] == "matching.pairing_declined", person
    assert all("Está cubriendo una baja hasta junio." in m.body for m in mail.outbox)
    # Back in the pool: the proposals can pair them again, with another mentor or the same one.
    assert mentor_loads(managed) == {}
    again = mentorship_create(
        program=managed,
        mentor=_enrol(managed, UserFactory(), "mentor"),
        mentee=mentee,
        origin=Mentorship.Origin.HR_PROPOSAL,
        status=Mentorship.Status.PROPOSED,
    )
    assert again.is_current()
    client.force_login(mentor)
    assert client.get("/matching/approvals/").context["to_confirm"] == []
    with pytest.raises(ValidationError):
        services.pairing_mentor_decide(mentorship=pair, approve=True, comment="", by=mentor)


def test_a_mentor_who_declines_tells_hr_and_the_pair(managed, mentor, mentee, manager):
    pair = _published(managed, mentor, mentee)
    services.pairing_mentor_decide(
        mentorship=pair, approve=False, comment="Ya tengo dos aprendices.", by=mentor
    )
    pair.refresh_from_db()
    assert (pair.status, pair.mentor_decision) == ("declined", "declined")
    assert _kinds(managed.created_by) == ["matching.pairing_declined"]
    with pytest.raises(ValidationError):
        services.pairing_manager_decide(mentorship=pair, approve=True, comment="", by=manager)


def test_only_the_mentees_manager_and_the_proposed_mentor_can_decide(
    managed, mentor, mentee, manager, outsider
):
    pair = _published(managed, mentor, mentee)
    with pytest.raises(ValidationError):
        services.pairing_manager_decide(mentorship=pair, approve=True, comment="", by=outsider)
    with pytest.raises(ValidationError):
        services.pairing_mentor_decide(mentorship=pair, approve=True, comment="", by=manager)
    services.pairing_manager_decide(mentorship=pair, approve=True, comment="", by=manager)
    with pytest.raises(ValidationError):
        services.pairing_manager_decide(mentorship=pair, approve=True, comment="", by=manager)


def test_a_mentor_cannot_confirm_before_the_required_training(
    client, managed, mentor, mentee, training_gate
):
    managed.training_required_to_match = True
    managed.save()
    pair = _published(managed, mentor, mentee)
    client.force_login(mentor)
    url = f"/matching/approvals/{pair.code}/confirm/"
    assert client.get(url).context["problems"] == [
        f"{mentor.email} has not finished the mentor training."
    ]
    response = client.post(url, {"decision": "approve"})
    assert response.context["form"].non_field_errors() == [
        f"{mentor.email} has not finished the mentor training."
    ]
    pair.refresh_from_db()
    assert pair.mentor_decision == Mentorship.Decision.PENDING
    services.pairing_mentor_decide(mentorship=pair, approve=False, comment="Aún no", by=mentor)


def test_the_approvals_page_keeps_a_constant_number_of_queries(
    client, managed, manager, django_assert_max_num_queries
):
    mentor = UserFactory()
    _enrol(managed, mentor, "mentor", capacity=20)
    _published(managed, mentor, UserFactory(manager=manager))
    client.force_login(manager)
    few = _count_queries(client, "/matching/approvals/")
    for _ in range(5):
        _published(managed, mentor, UserFactory(manager=manager))
    for _ in range(3):
        decided = _published(managed, mentor, UserFactory(manager=manager))
        services.pairing_manager_decide(mentorship=decided, approve=True, comment="", by=manager)
    with django_assert_max_num_queries(few):
        response = client.get("/matching/approvals/")
    assert len(response.context["to_approve"]) == 6
    assert len(response.context["decided"]) == 3
    client.force_login(mentor)
    with django_assert_max_num_queries(few):
        response = client.get("/matching/approvals/")
    assert len(response.context["to_confirm"]) == 9


# --- emails for the proposals screens -------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_emails_asking_for_approval_and_confirmation_render_in_the_readers_language(
    managed, language, django_capture_on_commit_callbacks
):
    manager = UserFactory(language=language)
    mentee = UserFactory(manager=manager, first_name="Pablo", last_name="Navarro")
    mentor = UserFactory(language=language)
    pair = _published(managed, mentor, mentee)
    with django_capture_on_commit_callbacks(execute=True):
        for kind, person in (("pairing_to_approve", manager), ("pairing_to_confirm", mentor)):
            notify(
                kind=f"matching.{kind}",
                recipient=person,
                target=pair,
                context={"mentorship": pair},
                url="/matching/approvals/",
            )
    assert len(mail.outbox) == 2
    for email in mail.outbox:
        assert "Pablo Navarro" in email.subject
        assert "/matching/approvals/" in email.body
        assert "{%" not in email.body and "{{" not in email.body
    if language == "en":
        assert sorted(m.subject for m in mail.outbox) == [
            "A mentor for Pablo Navarro: your approval is needed",
            "Will you mentor Pablo Navarro?",
        ]
