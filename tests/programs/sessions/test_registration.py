"""Registering for an information session: places, the waiting list, and the last place."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from programs.models import InfoSession, Registration
from programs.sessions import services
from tests.factories import InfoSessionFactory, ProgramFactory
from tests.programs.sessions.steps import (
    CANCELLED,
    REGISTERED,
    WAITLISTED,
    _invite,
    _notes,
    _people,
    _statuses,
)

# --- registration and the waiting list ---------------------------------------------


def test_people_get_places_until_the_session_is_full_then_join_the_waiting_list(db):
    session = InfoSessionFactory(capacity=2)
    ana, bea, carla, dani = _people(4)

    for person in (ana, bea, carla, dani):
        services.session_register(session=session, person=person)

    assert _statuses(session) == {
        ana.pk: REGISTERED,
        bea.pk: REGISTERED,
        carla.pk: WAITLISTED,
        dani.pk: WAITLISTED,
    }
    assert _notes("session_registered").count() == 2
    waitlisted = _notes("session_waitlisted").order_by("pk")
    assert [n.recipient_id for n in waitlisted] == [carla.pk, dani.pk]
    assert waitlisted[0].attachments == []
    assert "number 2 on the waiting list" in waitlisted[1].text_body


def test_giving_up_a_place_promotes_the_first_person_waiting_with_an_invite(db):
    session = InfoSessionFactory(capacity=1)
    ana, bea, carla = _people(3)
    for person in (ana, bea, carla):
        services.session_register(session=session, person=person)

    services.session_unregister(session=session, person=ana)

    assert _statuses(session) == {ana.pk: CANCELLED, bea.pk: REGISTERED, carla.pk: WAITLISTED}
    promoted = _notes("session_promoted").get()
    assert promoted.recipient == bea
    calendar, event = _invite(promoted)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["ATTENDEE"]) == f"mailto:{bea.email}"


def test_leaving_the_waiting_list_promotes_nobody(db):
    session = InfoSessionFactory(capacity=1)
    ana, bea, carla = _people(3)
    for person in (ana, bea, carla):
        services.session_register(session=session, person=person)

    services.session_unregister(session=session, person=bea)

    assert _statuses(session) == {ana.pk: REGISTERED, bea.pk: CANCELLED, carla.pk: WAITLISTED}
    assert not _notes("session_promoted").exists()
    with translation.override("en"), pytest.raises(ValidationError, match="not registered"):
        services.session_unregister(session=session, person=bea)


def test_registering_again_after_leaving_reuses_the_row_and_queues_at_the_back(db):
    session = InfoSessionFactory(capacity=1)
    ana, bea, carla = _people(3)
    for person in (ana, bea, carla):
        services.session_register(session=session, person=person)
    services.session_unregister(session=session, person=bea)

    again = services.session_register(session=session, person=bea)

    assert Registration.objects.filter(session=session, person=bea).count() == 1
    assert again.status == WAITLISTED
    services.session_unregister(session=session, person=ana)
    assert _statuses(session)[carla.pk] == REGISTERED
    assert _statuses(session)[bea.pk] == WAITLISTED
    assert _notes("session_waitlisted", recipient=bea).count() == 2


def test_registering_twice_keeps_one_place_and_sends_one_email(db):
    session = InfoSessionFactory(capacity=5)
    (ana,) = _people(1)
    first = services.session_register(session=session, person=ana)
    second = services.session_register(session=session, person=ana)
    assert first.pk == second.pk
    assert _notes("session_registered").count() == 1


def test_the_last_place_goes_to_one_person_and_the_next_one_waits(db):
    session = InfoSessionFactory(capacity=3)
    people = _people(4)
    results = [services.session_register(session=session, person=p).status for p in people]
    assert results == [REGISTERED, REGISTERED, REGISTERED, WAITLISTED]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"starts_at": timedelta(hours=-1)}, "already started"),
        ({"cancelled_at": True}, "was cancelled"),
    ],
)
def test_past_and_cancelled_sessions_refuse_registration(db, change, message):
    values = {}
    if "starts_at" in change:
        values["starts_at"] = timezone.now() + change["starts_at"]
    if "cancelled_at" in change:
        values["cancelled_at"] = timezone.now()
    session = InfoSessionFactory(**values)
    (ana,) = _people(1)
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        services.session_register(session=session, person=ana)
    assert not Registration.objects.exists()


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_draft_and_closed_programs_refuse_registration(db, status):
    session = InfoSessionFactory(program=ProgramFactory(status=status))
    (ana,) = _people(1)
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        services.session_register(session=session, person=ana)


# --- concurrency -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_people_asking_for_the_last_place_at_once_get_one_place_and_the_rest_wait():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    session = InfoSessionFactory(capacity=2)
    services.session_register(session=session, person=_people(1)[0])
    people = _people(6)
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def run(person):
        try:
            barrier.wait()
            services.session_register(
                session=InfoSession.objects.select_related("program").get(pk=session.pk),
                person=person,
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = [r.status for r in Registration.objects.filter(person__in=people)]
    assert statuses.count(REGISTERED) == 1
    assert statuses.count(WAITLISTED) == 5
    assert _notes("session_registered").count() == 2
    assert _notes("session_waitlisted").count() == 5
