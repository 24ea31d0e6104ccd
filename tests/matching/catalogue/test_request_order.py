"""Rankings that count: in "one at a time" programs a request travels down the mentee's order."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from matching.catalogue import services
from matching.models import MatchRequest, Mentorship
from matching.pairs.selectors import personal_data
from matching.pairs.services import mentorship_create
from notifications.models import Notification
from people.services import person_save
from tests.factories import UserFactory

from .request_data import _enrol, _kinds, _mentee, _mentor, _program, _send


def _status(request: MatchRequest) -> str:
    request.refresh_from_db()
    return request.status


@pytest.fixture
def ranked(db, mentee):
    """A mentee who ranked three mentors in an "in order" program."""
    program = _program(max_requests=3)
    mentee.language = "en"
    mentee.save()
    _enrol(program, mentee, "mentee")
    mentors = [_mentor(program, language="en") for _ in range(3)]
    sent = _send(program, mentee, *mentors)
    return program, mentors, sent


def test_only_the_first_choice_reaches_its_mentor_the_rest_wait_in_order(
    ranked, mentee, django_capture_on_commit_callbacks
):
    program, (first, second, third), sent = ranked
    assert [r.status for r in sent] == ["pending", "queued", "queued"]
    assert sent[0].sent_at is not None
    assert sent[0].expires_at == sent[0].sent_at + timedelta(days=program.request_reply_days)
    assert [r.expires_at for r in sent[1:]] == [None, None]
    assert _kinds(first) == ["matching.request_received"]
    assert _kinds(second) == _kinds(third) == []


def test_a_decline_passes_the_request_to_the_next_choice_and_tells_the_mentee(
    ranked, mentee, django_capture_on_commit_callbacks
):
    program, (first, second, third), sent = ranked
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_decline(request=sent[0], reason="No tengo hueco.", by=first)
    assert [_status(r) for r in sent] == ["declined", "pending", "queued"]
    assert sent[1].expires_at > timezone.now()
    assert _kinds(second) == ["matching.request_received"]
    assert _kinds(third) == []
    [told] = [m for m in mail.outbox if m.to == [mentee.email]]
    assert f"your next choice, {second.get_full_name()}" in told.body
    assert "No tengo hueco." in told.body


def test_an_expiry_passes_the_request_on_and_the_last_one_leaves_the_mentee_to_choose(
    ranked, mentee, django_capture_on_commit_callbacks
):
    program, (first, second, third), sent = ranked
    days = program.request_reply_days
    with django_capture_on_commit_callbacks(execute=True):
        for step in range(1, 4):
            with time_machine.travel(timezone.now() + timedelta(days=days * step, minutes=1)):
                assert services.requests_expire() == 1
    assert [_status(r) for r in sent] == ["expired", "expired", "expired"]
    assert _kinds(mentee) == ["matching.request_expired"] * 3
    last = [m for m in mail.outbox if m.to == [mentee.email]][-1]
    assert "You can ask another mentor from the catalogue." in last.body
    assert _kinds(third) == ["matching.request_received"]


def test_withdrawing_the_pending_request_passes_it_on_a_queued_one_just_leaves(ranked, mentee):
    program, (first, second, third), sent = ranked
    services.request_withdraw(request=sent[1], by=mentee)
    assert [_status(r) for r in sent] == ["pending", "withdrawn", "queued"]
    assert _kinds(second) == []
    withdrawn = services.request_withdraw(request=sent[0], by=mentee)
    assert withdrawn.passed_to == sent[2]
    assert _status(sent[2]) == "pending"


def test_accepting_withdraws_the_queue_without_telling_mentors_who_never_saw_it(
    ranked, mentee, django_capture_on_commit_callbacks
):
    program, (first, second, third), sent = ranked
    services.request_decline(request=sent[0], reason="No", by=first)
    sent[1].refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        pair = services.request_accept(request=sent[1], by=second)
    assert pair.mentor == second
    assert [_status(r) for r in sent] == ["declined", "accepted", "withdrawn"]
    assert _kinds(third) == []


def test_queued_requests_count_towards_the_limit_and_later_ones_join_the_end(db, mentee):
    program = _program(max_requests=3)
    _enrol(program, mentee, "mentee")
    first, second, third, fourth = (_mentor(program) for _ in range(4))
    _send(program, mentee, first, second)
    [added] = _send(program, mentee, third)
    assert (added.rank, added.status) == (3, "queued")
    assert _kinds(third) == []
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _send(program, mentee, fourth)
    assert error.value.messages == [
        "You can have at most 3 open requests at a time in this program."
    ]


def test_the_queue_skips_a_mentor_who_filled_up_meanwhile(ranked, mentee):
    program, (first, second, third), sent = ranked
    for _ in range(program.mentor_capacity):
        mentorship_create(
            program=program,
            mentor=second,
            mentee=_mentee(program),
            origin=Mentorship.Origin.HR_PROPOSAL,
            status=Mentorship.Status.PROPOSED,
        )
    services.request_decline(request=sent[0], reason="No", by=first)
    assert [_status(r) for r in sent] == ["declined", "withdrawn", "pending"]
    assert sent[1].reply_reason
    assert _kinds(second) == []
    assert _kinds(third) == ["matching.request_received"]


def test_all_at_once_sends_every_choice_now(db, mentee):
    program = _program(request_order="all_at_once")
    _enrol(program, mentee, "mentee")
    mentors = [_mentor(program) for _ in range(2)]
    sent = _send(program, mentee, *mentors)
    assert [r.status for r in sent] == ["pending", "pending"]
    services.request_decline(request=sent[0], reason="No", by=mentors[0])
    assert _status(sent[1]) == "pending"


def test_the_pages_say_how_requests_travel_in_each_mode(client, ranked, mentee):
    program, _mentors, _sent = ranked
    client.force_login(mentee)
    url = f"/matching/programs/{program.slug}/my-requests/"
    assert "Your request goes to one mentor at a time" in client.get(url).content.decode()
    program.request_order = "all_at_once"
    program.save()
    html = client.get(url).content.decode()
    assert "one mentor at a time" not in html
    assert "You can ask up to 3 mentors at once" in html


def test_a_deactivated_mentor_s_requests_pass_on_and_mentees_are_told(
    ranked, mentee, hr_admin, django_capture_on_commit_callbacks
):
    program, (first, second, third), sent = ranked
    other_mentee = _mentee(program)
    [queued_to_first] = _send(program, other_mentee, second, first)[1:]
    first.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        person_save(person=first, by=hr_admin)
    assert [_status(r) for r in sent] == ["withdrawn", "pending", "queued"]
    assert _status(queued_to_first) == "withdrawn"
    assert _kinds(mentee) == ["matching.request_mentor_left"]
    assert _kinds(other_mentee) == ["matching.request_mentor_left"]
    [told] = [m for m in mail.outbox if m.to == [mentee.email]]
    assert f"your next choice, {second.get_full_name()}" in told.body


def test_a_deactivated_mentee_s_requests_are_withdrawn(ranked, mentee, hr_admin):
    program, (first, second, third), sent = ranked
    mentee.is_active = False
    person_save(person=mentee, by=hr_admin)
    assert [_status(r) for r in sent] == ["withdrawn"] * 3
    assert _kinds(first) == ["matching.request_received", "matching.request_withdrawn"]
    assert _kinds(second) == []


def test_mentors_see_their_rank_only_where_hr_allows_it(client, ranked, mentee):
    program, (first, *_rest), sent = ranked
    client.force_login(first)
    assert 'data-testid="their-rank"' not in client.get("/matching/requests/").content.decode()
    [received] = Notification.objects.filter(recipient=first)
    assert "would like you to be their mentor" in received.text_body
    assert "choice number" not in received.text_body
    program.show_rank_to_mentor = True
    program.save()
    assert "Their choice #1" in client.get("/matching/requests/").content.decode()


def test_a_queued_request_is_not_the_mentors_to_open_yet(client, ranked):
    program, (first, second, third), sent = ranked
    client.force_login(second)
    assert client.get(f"/matching/requests/{sent[1].code}/accept/").status_code == 404
    with pytest.raises(ValidationError):
        services.request_accept(request=sent[1], by=second)


def test_the_mentee_s_page_lists_the_queue_in_order_with_each_state(client, ranked, mentee):
    program, (first, second, third), sent = ranked
    services.request_decline(request=sent[0], reason="No", by=first)
    client.force_login(mentee)
    response = client.get(f"/matching/programs/{program.slug}/my-requests/")
    rows = response.context["requests"]
    assert [(r.mentor, r.position, r.status) for r in rows] == [
        (second, 1, "pending"),
        (third, 2, "queued"),
        (first, None, "declined"),
    ]
    html = response.content.decode()
    assert "one mentor at a time" in html
    assert "the first to accept becomes your mentor and your other requests" not in html


def test_the_mentee_withdraws_from_the_page_and_the_next_choice_gets_it(client, ranked, mentee):
    program, (first, second, third), sent = ranked
    client.force_login(mentee)
    queued_page = client.get(f"/matching/requests/{sent[2].code}/withdraw/").content.decode()
    assert "This mentor never received it" in queued_page
    response = client.post(f"/matching/requests/{sent[0].code}/withdraw/", follow=True)
    html = response.content.decode()
    assert f"Your request has gone on to your next choice, {second}." in html
    assert [_status(r) for r in sent] == ["withdrawn", "pending", "queued"]


def test_a_mentor_s_data_export_leaves_out_queued_requests_and_ranks(ranked):
    program, (first, second, third), sent = ranked
    assert personal_data(person=second)["requests_received"] == []
    [received] = personal_data(person=first)["requests_received"]
    assert received["code"] == sent[0].code
    assert "rank" not in received


# --- races ------------------------------------------------------------------------------------


def _race(attempts: dict) -> dict[str, str]:
    barrier = threading.Barrier(len(attempts))
    outcomes: dict[str, str] = {}

    def run(name, attempt):
        try:
            barrier.wait()
            attempt()
            outcomes[name] = "done"
        except ValidationError:
            outcomes[name] = "refused"
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes[name] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in attempts.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _race_accept_and_expire() -> None:
    program = _program()
    mentee = _enrol(program, UserFactory(), "mentee")
    first, second = _mentor(program), _mentor(program)
    pending, queued = _send(program, mentee, first, second)
    later = pending.expires_at + timedelta(minutes=1)
    outcomes = _race(
        {
            "accept": lambda: services.request_accept(request=pending, by=first),
            "expire": lambda: services.requests_expire(later),
        }
    )
    assert set(outcomes.values()) <= {"done", "refused"}, outcomes
    pending.refresh_from_db()
    queued.refresh_from_db()
    pairs = Mentorship.objects.filter(program=program, mentee=mentee).count()
    if pending.status == "accepted":
        assert (queued.status, pairs) == ("withdrawn", 1)
    else:
        assert (pending.status, queued.status, pairs) == ("expired", "pending", 0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_pass_on_racing_the_mentor_s_accept_has_exactly_one_outcome():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    for _round in range(3):
        _race_accept_and_expire()


def _race_accept_and_hr_proposal() -> None:
    program = _program()
    hr = UserFactory(hr=True)
    mentee = _enrol(program, UserFactory(), "mentee")
    first, second, other = _mentor(program), _mentor(program), _mentor(program)
    pending, _queued = _send(program, mentee, first, second)
    outcomes = _race(
        {
            "accept": lambda: services.request_accept(request=pending, by=first),
            "hr": lambda: services.pair_propose_for_mentee(
                program=program, mentee=mentee, mentor=other, by=hr
            ),
        }
    )
    assert sorted(outcomes.values()) == ["done", "refused"], outcomes
    [pair] = Mentorship.objects.filter(program=program, mentee=mentee)
    statuses = set(MatchRequest.objects.filter(mentee=mentee).values_list("status", flat=True))
    if outcomes["accept"] == "done":
        assert pair.mentor == first and statuses == {"accepted", "withdrawn"}
    else:
        assert pair.mentor == other and statuses == {"withdrawn"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_hr_proposing_while_the_mentor_accepts_makes_exactly_one_pair():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    for _round in range(3):
        _race_accept_and_hr_proposal()
