"""What registered people are told: the invite, updates of the same entry, cancellation."""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from icalendar import Calendar

from programs.models import InfoSession, Registration
from programs.sessions import services
from tests.factories import InfoSessionFactory, ProgramFactory, UserFactory
from tests.programs.sessions.steps import (
    REGISTERED,
    WAITLISTED,
    _invite,
    _notes,
    _people,
    _statuses,
)

# --- invites, updates and cancellation ---------------------------------------------


def test_the_confirmation_email_shows_the_local_time_and_carries_a_readable_invite(
    db, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://mentoring.example.com"
    settings.TIME_ZONE = "Europe/Madrid"
    starts = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    session = InfoSessionFactory(starts_at=starts, place="Sala Norte", video_url="")
    person = UserFactory(language="es")

    with django_capture_on_commit_callbacks(execute=True):
        services.session_register(session=session, person=person)

    (message,) = mail.outbox
    local = timezone.localtime(starts, ZoneInfo("Europe/Madrid"))
    assert f"{local:%H:%M}" in message.body
    assert "Europe/Madrid" in message.body
    assert "Sala Norte" in message.body
    assert "/programs/" in message.body
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == ("invite.ics", "text/calendar")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == f"infosession-{session.code}@mentoring.example.com"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == starts.astimezone(UTC)
    assert event.decoded("DTEND") == (starts + timedelta(minutes=60)).astimezone(UTC)
    assert str(event["LOCATION"]) == "Sala Norte"


def test_moving_a_session_sends_registered_people_an_update_of_the_same_calendar_entry(db):
    session = InfoSessionFactory(capacity=1)
    ana, bea = _people(2)
    services.session_register(session=session, person=ana)
    services.session_register(session=session, person=bea)
    _, first = _invite(_notes("session_registered").get())

    session.starts_at += timedelta(hours=2)
    session.place = "Sala 2"
    services.session_save(session=session, by=session.program.created_by)

    session.refresh_from_db()
    assert session.ics_sequence == 1
    update = _notes("session_updated").get()
    assert update.recipient == ana  # not the person waiting: they have no calendar entry
    _, event = _invite(update)
    assert event["UID"] == first["UID"]
    assert event["SEQUENCE"] > first["SEQUENCE"]
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert str(event["LOCATION"]) == "Sala 2"
    assert "Before the change" in update.text_body

    session.duration_minutes = 90
    services.session_save(session=session, by=session.program.created_by)
    assert [_invite(n)[1]["SEQUENCE"] for n in _notes("session_updated").order_by("pk")] == [1, 2]


def test_editing_only_the_title_or_description_sends_nothing(db):
    session = InfoSessionFactory()
    services.session_register(session=session, person=_people(1)[0])
    session.title = "New title"
    session.description = "More details"
    services.session_save(session=session, by=session.program.created_by)
    session.refresh_from_db()
    assert session.ics_sequence == 0
    assert not _notes("session_updated").exists()


def test_cancelling_tells_registered_and_waiting_people_with_a_cancel_invite_once(db):
    session = InfoSessionFactory(capacity=1)
    ana, bea, carla = _people(3)
    for person in (ana, bea, carla):
        services.session_register(session=session, person=person)
    services.session_unregister(session=session, person=carla)
    uid = _invite(_notes("session_registered").get())[1]["UID"]

    told = services.session_cancel(session=session, by=session.program.created_by)

    assert told == 2
    cancels = _notes("session_cancelled")
    assert {n.recipient_id for n in cancels} == {ana.pk, bea.pk}
    calendar, event = _invite(cancels.get(recipient=ana))
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == uid
    assert event["SEQUENCE"] == 1
    with translation.override("en"), pytest.raises(ValidationError, match="already cancelled"):
        services.session_cancel(session=session, by=session.program.created_by)
    with translation.override("en"), pytest.raises(ValidationError, match="cannot be edited"):
        services.session_save(session=session, by=session.program.created_by)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"starts_at": lambda s: timezone.now() - timedelta(days=1)}, "starts_at"),
        ({"place": lambda s: "", "video_url": lambda s: ""}, "place"),
        (
            {"starts_at": lambda s: timezone.now().replace(hour=12) + timedelta(days=400)},
            "starts_at",
        ),
    ],
    ids=["in the past", "nowhere", "after the program ends"],
)
def test_a_session_must_be_in_the_future_somewhere_and_within_the_program(db, change, field):
    program = ProgramFactory()
    session = InfoSession(program=program, title="Intro", video_url="https://meet.example.com/a")
    session.starts_at = timezone.now() + timedelta(days=3)
    for name, value in change.items():
        setattr(session, name, value(session))
    with pytest.raises(ValidationError) as exc:
        services.session_save(session=session, by=program.created_by)
    assert field in exc.value.error_dict
    assert not InfoSession.objects.exists()


def test_lowering_the_capacity_moves_nobody_and_raising_it_promotes_the_waiting_list(db):
    session = InfoSessionFactory(capacity=3)
    people = _people(5)
    for person in people:
        services.session_register(session=session, person=person)

    session.capacity = 1
    services.session_save(session=session, by=session.program.created_by)
    assert list(_statuses(session).values()).count(REGISTERED) == 3

    session.capacity = 4
    services.session_save(session=session, by=session.program.created_by)
    statuses = _statuses(session)
    assert statuses[people[3].pk] == REGISTERED
    assert statuses[people[4].pk] == WAITLISTED
    assert _notes("session_promoted").get().recipient == people[3]


def test_attendance_is_marked_after_the_session_started_for_registered_people_only(db):
    session = InfoSessionFactory(capacity=2)
    ana, bea, carla = _people(3)
    for person in (ana, bea, carla):
        services.session_register(session=session, person=person)
    by = session.program.created_by

    with translation.override("en"), pytest.raises(ValidationError, match="once the session"):
        services.attendance_save(session=session, attended_ids=[ana.pk], by=by)

    with time_machine.travel(session.starts_at + timedelta(minutes=5), tick=False):
        came = services.attendance_save(session=session, attended_ids=[ana.pk, carla.pk], by=by)

    assert came == 1
    attended = dict(Registration.objects.values_list("person_id", "attended"))
    assert attended == {ana.pk: True, bea.pk: False, carla.pk: None}
