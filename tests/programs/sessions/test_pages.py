"""Information sessions through the pages: the employees' block, HR's pages, registering."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation
from icalendar import Calendar

from programs.models import InfoSession, Registration
from programs.sessions import selectors, services
from tests.factories import InfoSessionFactory, ProgramFactory, UserFactory

REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


def _people(n):
    return UserFactory.create_batch(n, language="en")


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
        items = selectors.upcoming_sessions_for(program, me)
        summary = [
            (i.session.pk, i.places_left, i.my_status, i.session.program.name) for i in items
        ]

    assert summary == [
        (full.pk, 0, WAITLISTED, program.name),
        (open_.pk, 3, None, program.name),
    ]
    assert selectors.upcoming_sessions_for(ProgramFactory(status="closed"), me) == []


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
            {"program": program, "sessions": selectors.upcoming_sessions_for(program, me)},
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
    assert event["UID"] == selectors.session_ics_uid(session)
    assert str(event["SUMMARY"]).startswith("Intro, Q&A")

    session.cancelled_at = timezone.now()
    session.save()
    cancelled = Calendar.from_ical(
        client.get(f"/programs/sessions/{session.code}/invite.ics").content
    )
    assert cancelled.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
