"""Stage 2: information sessions with places, a waiting list, calendar invites and reminders."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation
from icalendar import Calendar

import programs.reminders  # noqa: F401 - registers the reminder producer
from notifications.models import Notification
from notifications.services import dispatch_due
from programs import sessions as services
from programs.events.calendar import ics_build
from programs.models import InfoSession, Registration
from programs.reminders import session_reminders
from tests.factories import InfoSessionFactory, ProgramFactory, UserFactory

REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


def _people(n):
    return UserFactory.create_batch(n, language="en")


def _statuses(session):
    return {
        r.person_id: r.status for r in Registration.objects.filter(session=session).order_by("pk")
    }


def _notes(kind, **filters):
    return Notification.objects.filter(kind=f"programs.{kind}", **filters)


def _invite(notification):
    ((attachment),) = notification.attachments
    assert attachment["filename"] == "invite.ics"
    assert attachment["mimetype"] == "text/calendar"
    calendar = Calendar.from_ical(attachment["content"])
    (event,) = calendar.walk("VEVENT")
    return calendar, event


# --- calendar files ----------------------------------------------------------------


def test_a_calendar_file_reads_back_with_utc_times_and_escaped_text(settings):
    settings.TIME_ZONE = "Europe/Madrid"
    starts = datetime(2031, 3, 3, 10, 30, tzinfo=ZoneInfo("Europe/Madrid"))
    text = ics_build(
        uid="infosession-abc@example.com",
        sequence=3,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        summary="Q&A; mentors, mentees\nand managers",
        description="Line one\nLine two, with; punctuation",
        location="Room 3, building B",
        url="https://meet.example.com/x",
        organizer_email="Mentoring <mentoring@example.com>",
        attendee_email="ana@example.com",
    )
    assert "\r\n" in text
    calendar = Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == "infosession-abc@example.com"
    assert event["SEQUENCE"] == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == datetime(2031, 3, 3, 9, 30, tzinfo=UTC)
    assert "DTSTART:20310303T093000Z" in text
    assert str(event["SUMMARY"]) == "Q&A; mentors, mentees\nand managers"
    assert str(event["LOCATION"]) == "Room 3, building B"
    assert str(event["ORGANIZER"]) == "mailto:mentoring@example.com"
    assert str(event["ATTENDEE"]) == "mailto:ana@example.com"


def test_a_cancel_calendar_file_marks_the_event_cancelled_and_bad_input_is_refused():
    starts = timezone.now()
    common = {
        "uid": "u@x",
        "sequence": 1,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "summary": "s",
    }
    calendar = Calendar.from_ical(ics_build(**common, method="CANCEL"))
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    with pytest.raises(ValueError):
        ics_build(**common, method="REPLY")
    with pytest.raises(ValueError):
        ics_build(**{**common, "starts_at": datetime(2031, 1, 1)})


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


def test_upcoming_sessions_show_places_left_and_my_status_in_one_query(
    db, django_assert_max_num_queries
):
    program = ProgramFactory()
    full = InfoSessionFactory(program=program, capacity=1)
    open_ = InfoSessionFactory(program=program, capacity=3)
    InfoSessionFactory(program=program, cancelled_at=timezone.now())
    InfoSessionFactory(program=program, starts_at=timezone.now() - timedelta(days=1))
    InfoSessionFactory()  # another program
    me, other = _people(2)
    services.session_register(session=full, person=other)
    services.session_register(session=full, person=me)
    services.session_register(session=open_, person=me)
    services.session_unregister(session=open_, person=me)

    with django_assert_max_num_queries(2):
        items = services.upcoming_sessions_for(program, me)
        summary = [
            (i.session.pk, i.places_left, i.my_status, i.session.program.name) for i in items
        ]

    assert summary == [
        (full.pk, 0, WAITLISTED, program.name),
        (open_.pk, 3, None, program.name),
    ]
    assert services.upcoming_sessions_for(ProgramFactory(status="closed"), me) == []


def test_the_upcoming_sessions_block_offers_the_right_button(db):
    program = ProgramFactory()
    full = InfoSessionFactory(program=program, capacity=1, title="Full one")
    mine = InfoSessionFactory(program=program, title="Mine")
    InfoSessionFactory(program=program, title="Open one")
    me, other = _people(2)
    services.session_register(session=full, person=other)
    services.session_register(session=mine, person=me)
    request = RequestFactory().get("/")
    request.user = me

    with translation.override("en"):
        html = render_to_string(
            "programs/sessions/upcoming.html",
            {"program": program, "sessions": services.upcoming_sessions_for(program, me)},
            request=request,
        )
        empty = render_to_string(
            "programs/sessions/upcoming.html", {"program": program, "sessions": []}, request=request
        )

    assert html.count("Join the waiting list") == 1
    assert html.count("Give up my place") == 1
    assert html.count(">Register<") == 1
    assert f"/programs/sessions/{mine.code}/unregister/" in html
    assert html.count("invite.ics") == 3
    assert "No information sessions are planned right now." in empty


# --- the day-before reminder -------------------------------------------------------


def test_the_reminder_goes_once_to_registered_people_in_the_last_24_hours(db):
    session = InfoSessionFactory(capacity=2, starts_at=timezone.now() + timedelta(days=3))
    ana, bea, carla, dani = _people(4)
    for person in (ana, bea, carla, dani):
        services.session_register(session=session, person=person)
    services.session_unregister(session=session, person=bea)  # carla gets the place
    cancelled = InfoSessionFactory(starts_at=session.starts_at, program=session.program)
    services.session_register(session=cancelled, person=ana)
    services.session_cancel(session=cancelled, by=session.program.created_by)
    reminders = _notes("session_reminder")

    with time_machine.travel(session.starts_at - timedelta(hours=30), tick=False):
        dispatch_due()
    assert not reminders.exists()

    with time_machine.travel(session.starts_at - timedelta(hours=20), tick=False):
        dispatch_due()
        assert session_reminders(timezone.now()) == 0

    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted([ana.pk, carla.pk])
    subjects = [m.subject for m in mail.outbox if m.subject.startswith("Reminder")]
    assert len(subjects) == 2

    with time_machine.travel(session.starts_at - timedelta(hours=2), tick=False):
        dispatch_due()
    assert reminders.count() == 2


# --- HR pages ----------------------------------------------------------------------


def _hr_urls(session):
    base = f"/programs/manage/{session.program.slug}/sessions/"
    return [
        base,
        f"{base}new/",
        f"{base}{session.code}/",
        f"{base}{session.code}/cancel/",
        f"{base}{session.code}/attendance/",
    ]


def test_hr_session_pages_send_anonymous_to_sign_in_and_refuse_non_hr(client, mentee):
    session = InfoSessionFactory()
    for url in _hr_urls(session):
        assert client.get(url).url.startswith("/accounts/login/"), url
    client.force_login(mentee)
    for url in _hr_urls(session):
        assert client.get(url).status_code == 403, url


def test_a_session_of_another_program_is_not_found(hr_client):
    session = InfoSessionFactory()
    other = ProgramFactory()
    base = f"/programs/manage/{other.slug}/sessions/{session.code}/"
    for url in [base, f"{base}cancel/", f"{base}attendance/"]:
        assert hr_client.get(url).status_code == 404, url


def test_hr_adds_and_moves_a_session_and_registered_people_hear_about_it(
    hr_client, django_capture_on_commit_callbacks
):
    program = ProgramFactory()
    starts = timezone.localtime() + timedelta(days=10)
    data = {
        "title": "  Meet the   mentors ",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "place": "Sala Norte",
        "video_url": "",
        "capacity": "12",
        "description": "",
    }
    response = hr_client.post(f"/programs/manage/{program.slug}/sessions/new/", data)
    assert response.status_code == 302
    session = program.sessions.get()
    assert session.title == "Meet the mentors"
    assert session.starts_at == starts.replace(second=0, microsecond=0)

    (person,) = _people(1)
    services.session_register(session=session, person=person)
    later = (starts + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(
            f"/programs/manage/{program.slug}/sessions/{session.code}/",
            {**data, "starts_at": later},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == f"/programs/manage/{program.slug}/sessions/"
    assert [m.to for m in mail.outbox if "Changed" in m.subject] == [[person.email]]


def test_the_session_form_asks_for_a_place_or_a_link_and_a_future_time(hr_client):
    program = ProgramFactory()
    data = {
        "title": "Intro",
        "starts_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "60",
        "place": "",
        "video_url": "",
        "capacity": "10",
    }
    response = hr_client.post(f"/programs/manage/{program.slug}/sessions/new/", data)
    assert response.status_code == 200
    assert "place" in response.context["form"].errors
    response = hr_client.post(
        f"/programs/manage/{program.slug}/sessions/new/", {**data, "place": "Sala"}
    )
    assert "starts_at" in response.context["form"].errors
    assert not InfoSession.objects.exists()


def test_the_cancel_page_says_how_many_people_will_be_told(
    hr_client, django_capture_on_commit_callbacks
):
    session = InfoSessionFactory(capacity=1)
    for person in _people(3):
        services.session_register(session=session, person=person)
    url = f"/programs/manage/{session.program.slug}/sessions/{session.code}/cancel/"

    page = hr_client.get(url)
    assert page.context["told"] == 3
    assert page.context["registered"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(url)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.cancelled_at is not None
    assert len(mail.outbox) == 3
    assert hr_client.get(url).context["problems"]


def test_hr_marks_who_attended(hr_client):
    session = InfoSessionFactory(capacity=2)
    ana, bea, carla = _people(3)
    for person in (ana, bea, carla):
        services.session_register(session=session, person=person)
    url = f"/programs/manage/{session.program.slug}/sessions/{session.code}/attendance/"

    assert hr_client.get(url).context["started"] is False
    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        page = hr_client.get(url)
        assert {r.person for r in page.context["form"].people} == {ana, bea}
        ana_registration = Registration.objects.get(session=session, person=ana)
        response = hr_client.post(url, {"attended": [ana_registration.pk]})
    assert response.status_code == 302
    attended = dict(Registration.objects.values_list("person_id", "attended"))
    assert attended == {ana.pk: True, bea.pk: False, carla.pk: None}


def test_the_hr_list_shows_counts_in_constant_queries(hr_client, django_assert_max_num_queries):
    program = ProgramFactory()
    url = f"/programs/manage/{program.slug}/sessions/"

    def add(n):
        for _ in range(n):
            session = InfoSessionFactory(program=program, capacity=1)
            for person in _people(2):
                services.session_register(session=session, person=person)

    add(2)
    with django_assert_max_num_queries(8):
        hr_client.get(url)
    add(8)
    with django_assert_max_num_queries(8):
        response = hr_client.get(url)
    rows = list(response.context["page"])
    assert len(rows) == 10
    assert {(s.registered_count, s.waitlisted_count) for s in rows} == {(1, 1)}


def test_the_hr_list_has_an_empty_state(hr_client):
    program = ProgramFactory()
    with translation.override("en"):
        response = hr_client.get(f"/programs/manage/{program.slug}/sessions/")
    assert response.status_code == 200
    assert not response.context["page"].object_list


# --- employees' pages --------------------------------------------------------------


def test_an_employee_registers_and_unregisters_from_the_program_page(
    client, mentee, django_capture_on_commit_callbacks
):
    session = InfoSessionFactory()
    client.force_login(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/programs/sessions/{session.code}/register/", follow=True)
    assert response.redirect_chain == [(f"/programs/{session.program.slug}/#sessions", 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert Registration.objects.get().status == REGISTERED
    assert mail.outbox[0].to == [mentee.email]

    response = client.post(f"/programs/sessions/{session.code}/unregister/", follow=True)
    assert Registration.objects.get().status == CANCELLED
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_registering_for_a_past_session_shows_an_error_message(client, mentee):
    session = InfoSessionFactory(starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(mentee)
    response = client.post(f"/programs/sessions/{session.code}/register/", follow=True)
    (message,) = response.context["messages"]
    assert message.level_tag == "error"
    assert not Registration.objects.exists()


def test_register_and_unregister_only_accept_post(client, mentee):
    session = InfoSessionFactory()
    client.force_login(mentee)
    assert client.get(f"/programs/sessions/{session.code}/register/").status_code == 405
    assert client.get(f"/programs/sessions/{session.code}/unregister/").status_code == 405


def test_sessions_of_draft_programs_are_not_found_by_employees(client, mentee):
    session = InfoSessionFactory(program=ProgramFactory(status="draft"))
    client.force_login(mentee)
    for url in [
        f"/programs/sessions/{session.code}/register/",
        f"/programs/sessions/{session.code}/unregister/",
    ]:
        assert client.post(url).status_code == 404, url
    assert client.get(f"/programs/sessions/{session.code}/invite.ics").status_code == 404
    assert not Registration.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    session = InfoSessionFactory()
    for url in [
        f"/programs/sessions/{session.code}/register/",
        f"/programs/sessions/{session.code}/invite.ics",
    ]:
        response = client.post(url) if "register" in url else client.get(url)
        assert response.url.startswith("/accounts/login/"), url


def test_the_calendar_file_downloads_with_the_same_uid_as_the_invites(client, mentee):
    session = InfoSessionFactory(title="Intro, Q&A")
    client.force_login(mentee)
    response = client.get(f"/programs/sessions/{session.code}/invite.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="intro-qa.ics"'
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "PUBLISH"
    assert event["UID"] == services.session_ics_uid(session)
    assert str(event["SUMMARY"]).startswith("Intro, Q&A")

    session.cancelled_at = timezone.now()
    session.save()
    cancelled = Calendar.from_ical(
        client.get(f"/programs/sessions/{session.code}/invite.ics").content
    )
    assert cancelled.walk("VEVENT")[0]["STATUS"] == "CANCELLED"


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
