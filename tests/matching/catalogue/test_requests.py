"""Stage 3, mentee choice: mentees request mentors, mentors accept or decline, requests expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from matching.catalogue import services
from matching.models import MatchRequest, Mentorship
from matching.pairs.selectors import forbidden_pair_reason
from matching.pairs.services import mentorship_create, mentorship_end_early
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory

from .request_data import _enrol, _kinds, _mentee, _mentor, _program, _send

# --- sending ---------------------------------------------------------------------------


def test_a_mentee_may_have_only_the_programs_number_of_open_requests(db, mentee):
    program = _program(max_requests=2, request_order="all_at_once")
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


def test_sending_requests_at_once_tells_each_mentor(
    enrolled, mentor, mentee, django_capture_on_commit_callbacks
):
    enrolled.request_order = "all_at_once"
    enrolled.save()
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
    mentorship_create(
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
        pair = mentorship_create(
            program=earlier,
            mentor=mentor,
            mentee=mentee,
            origin=Mentorship.Origin.MENTEE_REQUEST,
            status=Mentorship.Status.ACTIVE,
        )
        mentorship_end_early(mentorship=pair, reason="Cambio de puesto", by=mentee)
    else:
        mentor = mentee
    with translation.override("en"):
        reason = forbidden_pair_reason(mentor=mentor, mentee=mentee)
        assert reason
        if relation != "oneself":
            with pytest.raises(ValidationError) as error:
                _send(program, mentee, mentor)
            assert error.value.messages == [f"{mentor}: {reason}"]
        with pytest.raises(ValidationError):
            mentorship_create(
                program=program,
                mentor=mentor,
                mentee=mentee,
                origin=Mentorship.Origin.HR_PROPOSAL,
                status=Mentorship.Status.PROPOSED,
            )
    assert not Mentorship.objects.filter(program=program).exists()


def test_a_pairing_that_was_not_approved_is_never_requested_or_accepted_again(
    enrolled, mentor, mentee
):
    request = _send(enrolled, mentee, mentor)[0]
    earlier = _program()
    _enrol(earlier, mentor, "mentor")
    _enrol(earlier, mentee, "mentee")
    pair = mentorship_create(
        program=earlier,
        mentor=mentor,
        mentee=mentee,
        origin=Mentorship.Origin.MENTEE_REQUEST,
        status=Mentorship.Status.AWAITING_APPROVAL,
    )
    Mentorship.objects.filter(pk=pair.pk).update(status=Mentorship.Status.DECLINED)
    assert "never proposed again" in forbidden_pair_reason(mentor=mentor, mentee=mentee)
    with pytest.raises(ValidationError, match="never proposed again"):
        services.request_accept(request=request, by=mentor)
    assert not Mentorship.objects.filter(program=enrolled).exists()


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
    enrolled.request_order = "all_at_once"
    enrolled.save()
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
