"""Stage 3: the pair's page, a person's pairs, ending a pair early, and the mentor's capacity."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from matching.catalogue.services import request_accept, request_problems, requests_send
from matching.hooks import pair_sections
from matching.models import Mentorship
from matching.pairs import services
from matching.pairs.selectors import mentors_with_places
from notifications.models import Notification
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory


def _program(**kwargs):
    return ProgramFactory(status="matching", **kwargs)


def _enrol(program, person, role, **kwargs):
    ApplicationFactory(program=program, person=person, role=role, status="approved", **kwargs)
    return person


def _pair(program, mentor, mentee, status=Mentorship.Status.ACTIVE, **kwargs):
    for person, role in ((mentor, "mentor"), (mentee, "mentee")):
        if not program.applications.filter(person=person).exists():
            _enrol(program, person, role)
    return services.mentorship_create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        origin=kwargs.pop("origin", Mentorship.Origin.MENTEE_REQUEST),
        status=status,
        **kwargs,
    )


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def pair(db, mentor, mentee):
    return _pair(
        _program(),
        mentor,
        mentee,
        score=82.0,
        explanation=[{"text": "Quiere aprender SQL y Elena lo enseña"}, {"text": "Misma sede"}],
    )


# --- the pair's page ----------------------------------------------------------------------


def test_the_pair_page_sends_anonymous_visitors_to_sign_in(client, pair):
    for url in [
        f"/matching/pairs/{pair.code}/",
        f"/matching/pairs/{pair.code}/end/",
        "/matching/pairs/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/"), url


def test_the_pair_page_is_for_its_members_hr_and_the_mentees_manager(
    client, pair, mentor, mentee, manager, hr_admin, outsider
):
    url = f"/matching/pairs/{pair.code}/"
    for person, role in (
        (mentor, "mentor"),
        (mentee, "mentee"),
        (manager, "manager"),
        (hr_admin, "hr"),
    ):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, role
        assert response.context["viewer_role"] == role
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/matching/pairs/{pair.code}/end/").status_code == 404


def test_the_pair_page_shows_people_dates_score_and_why(client, pair, mentee):
    client.force_login(mentee)
    with time_machine.travel(timezone.now(), tick=False):
        response = client.get(f"/matching/pairs/{pair.code}/")
        days_left = (pair.deadline - timezone.localdate()).days
    page = response.content.decode()
    assert response.context["days_left"] == days_left
    assert pair.mentor.get_full_name() in page
    assert pair.mentee.get_full_name() in page
    assert pair.program.name in page
    assert "Quiere aprender SQL y Elena lo enseña" in page
    assert "Misma sede" in page
    assert 'data-testid="score"' in page
    assert f"/matching/pairs/{pair.code}/end/" in page


def test_a_draft_proposal_is_for_hr_only(client, db, mentor, mentee, hr_admin, manager):
    program = _program(matching_mode="managed")
    draft = _pair(
        program,
        mentor,
        mentee,
        status=Mentorship.Status.PROPOSED,
        origin=Mentorship.Origin.HR_PROPOSAL,
    )
    url = f"/matching/pairs/{draft.code}/"
    for person in (mentor, mentee, manager):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert draft not in client.get("/matching/pairs/").context["page"].object_list
    client.force_login(hr_admin)
    assert client.get(url).status_code == 200


def test_later_stages_add_sections_to_the_pair_page(client, pair, manager, monkeypatch):
    seen = []

    def section(request, mentorship, role):
        seen.append((mentorship, role))
        if role == "manager":
            return None
        return {"template": "matching/includes/status_badge.html", "pair": mentorship}

    with pair_sections.replaced(section):
        client.force_login(manager)
        response = client.get(f"/matching/pairs/{pair.code}/")
        assert response.context["sections"] == []
        client.force_login(pair.mentee)
        response = client.get(f"/matching/pairs/{pair.code}/")
        assert response.context["sections"] == [
            {"template": "matching/includes/status_badge.html", "pair": pair}
        ]
        assert seen == [(pair, "manager"), (pair, "mentee")]


# --- ending early -------------------------------------------------------------------------


def test_ending_early_needs_a_reason_and_a_confirmation_saying_what_happens(
    client, pair, mentee, django_capture_on_commit_callbacks
):
    client.force_login(mentee)
    url = f"/matching/pairs/{pair.code}/end/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="consequences"' in page.content.decode()
    response = client.post(url, {"reason": " "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Me cambio de empresa."})
    assert response.url == f"/matching/pairs/{pair.code}/"
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ENDED_EARLY
    assert (pair.end_reason, pair.ended_by) == ("Me cambio de empresa.", mentee)
    assert [m.to for m in mail.outbox if "Me cambio de empresa." in m.body] == [[pair.mentor.email]]
    assert not Notification.objects.filter(recipient=mentee, kind="matching.mentorship_ended")
    assert client.get(url).url == f"/matching/pairs/{pair.code}/"
    assert "Me cambio de empresa." in client.get(f"/matching/pairs/{pair.code}/").content.decode()


def test_the_mentees_manager_sees_the_pair_but_cannot_end_it(client, pair, manager):
    client.force_login(manager)
    page = client.get(f"/matching/pairs/{pair.code}/")
    assert page.context["can_end"] is False
    assert f"/matching/pairs/{pair.code}/end/" not in page.content.decode()
    assert client.get(f"/matching/pairs/{pair.code}/end/").status_code == 403
    assert client.post(f"/matching/pairs/{pair.code}/end/", {"reason": "x"}).status_code == 403
    with pytest.raises(ValidationError):
        services.mentorship_end_early(mentorship=pair, reason="x", by=manager)
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ACTIVE


def test_hr_can_end_a_pair_and_both_members_are_told(
    client, pair, hr_admin, django_capture_on_commit_callbacks
):
    client.force_login(hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/matching/pairs/{pair.code}/end/", {"reason": "Reorganización."})
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ENDED_EARLY
    assert sorted(m.to[0] for m in mail.outbox) == sorted([pair.mentor.email, pair.mentee.email])


def test_ending_early_frees_the_mentors_place_and_returns_the_mentee_to_the_pool(db):
    program = _program()
    mentor = _enrol(program, UserFactory(), "mentor", capacity=1)
    mentee = UserFactory()
    pair = _pair(program, mentor, mentee)
    waiting = _enrol(program, UserFactory(), "mentee")
    with pytest.raises(ValidationError):
        requests_send(program=program, mentee=waiting, mentors=[mentor], message="")
    services.mentorship_end_early(mentorship=pair, reason="Cambio de turno", by=mentor)
    request = requests_send(program=program, mentee=waiting, mentors=[mentor], message="")[0]
    assert request_accept(request=request, by=mentor).status == "active"
    assert request_problems(program, mentee) == []
    other_mentor = _enrol(program, UserFactory(), "mentor")
    again = _pair(program, other_mentor, mentee)
    assert again.is_current()
    with pytest.raises(ValidationError):
        services.mentorship_end_early(mentorship=pair, reason="otra vez", by=mentor)


def test_mentors_with_places_counts_each_mentors_load_in_one_query(db, django_assert_num_queries):
    program = _program(mentor_capacity=2)
    busy = _enrol(program, UserFactory(), "mentor", capacity=3)
    free = _enrol(program, UserFactory(), "mentor")
    _pair(program, busy, UserFactory())
    _pair(program, busy, UserFactory())
    ended = _pair(program, free, UserFactory())
    services.mentorship_end_early(mentorship=ended, reason="Fin", by=free)
    _enrol(program, UserFactory(), "mentor", paused=True)
    with django_assert_num_queries(1):
        rows = {
            a.person: (a.load, a.places_left, a.mentor_capacity)
            for a in mentors_with_places(program)
        }
    assert rows == {busy: (2, 1, 3), free: (0, 2, 2)}


# --- my pairs ---------------------------------------------------------------------------------


def test_my_pairs_lists_current_pairs_first_as_mentor_and_as_mentee(client, db):
    person = UserFactory(language="en")
    old_program, program, other_program = _program(), _program(), _program()
    ended = _pair(old_program, person, UserFactory())
    services.mentorship_end_early(mentorship=ended, reason="Fin", by=person)
    as_mentor = _pair(program, person, UserFactory())
    as_mentee = _pair(other_program, UserFactory(), person)
    client.force_login(person)
    response = client.get("/matching/pairs/")
    pairs = list(response.context["page"].object_list)
    assert set(pairs[:2]) == {as_mentor, as_mentee}
    assert pairs[2] == ended
    page = response.content.decode()
    assert f"You mentor {as_mentor.mentee.get_full_name()}" in page
    assert f"{as_mentee.mentor.get_full_name()} mentors you" in page


def test_my_pairs_has_an_empty_state(client, outsider):
    client.force_login(outsider)
    response = client.get("/matching/pairs/")
    assert response.status_code == 200
    assert 'data-testid="no-pairs"' in response.content.decode()


def test_my_pairs_keeps_a_constant_number_of_queries(client, db, django_assert_max_num_queries):
    person = UserFactory()
    _pair(_program(), person, UserFactory())
    client.force_login(person)
    few = _count_queries(client, "/matching/pairs/")
    for _ in range(6):
        _pair(_program(), person, UserFactory())
        _pair(_program(), UserFactory(), person)
    with django_assert_max_num_queries(few):
        response = client.get("/matching/pairs/")
    assert len(response.context["page"].object_list) == 13


def test_the_pair_page_shows_approvals_and_days_left_only_when_active(client, db, hr_admin):
    program = _program(hr_approves_pairs=True)
    mentor, mentee = UserFactory(), UserFactory()
    _enrol(program, mentor, "mentor")
    _enrol(program, mentee, "mentee")
    request = requests_send(program=program, mentee=mentee, mentors=[mentor], message="")
    pair = request_accept(request=request[0], by=mentor)
    client.force_login(hr_admin)
    with translation.override("en"):
        response = client.get(f"/matching/pairs/{pair.code}/")
    assert response.context["days_left"] is None
    assert [row["decision"] for row in response.context["approvals"]] == ["pending"]
    assert 'data-testid="approvals"' in response.content.decode()


# --- capacity race ----------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_accepts_and_proposals_racing_for_a_mentors_last_place_cannot_both_win():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    program = _program()
    mentor = _enrol(program, UserFactory(), "mentor", capacity=1)
    attempts = []
    for n in range(6):
        mentee = _enrol(program, UserFactory(), "mentee")
        if n % 2:
            [request] = requests_send(program=program, mentee=mentee, mentors=[mentor], message="")
            attempts.append(lambda request=request: request_accept(request=request, by=mentor))
        else:
            attempts.append(
                lambda mentee=mentee: services.mentorship_create(
                    program=program,
                    mentor=mentor,
                    mentee=mentee,
                    origin=Mentorship.Origin.HR_PROPOSAL,
                    status=Mentorship.Status.PROPOSED,
                )
            )
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []

    def run(attempt):
        try:
            barrier.wait()
            attempt()
            outcomes.append("won")
        except ValidationError:
            outcomes.append("refused")
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 5 + ["won"]
    assert Mentorship.objects.holding_place().filter(mentor=mentor).count() == 1


def test_deadline_follows_the_program_and_never_passes_its_end(db):
    program = _program(partnership_weeks=52)
    pair = _pair(program, UserFactory(), UserFactory())
    assert pair.starts_on == program.starts_on
    assert pair.deadline == program.ends_on
    assert pair.deadline - pair.starts_on < timedelta(weeks=52)
