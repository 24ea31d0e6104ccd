"""Workshops: places, waiting list, invites that update in place, attendance, who may register."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from notifications.models import Notification
from tests.factories import ProgramFactory, UserFactory
from training.models import Workshop, WorkshopRegistration
from training.workshops import services

from ..conftest import enrol

REGISTERED, WAITLISTED, CANCELLED = "registered", "waitlisted", "cancelled"


def _workshop(program, **kwargs):
    fields = {
        "title": "Taller de retroalimentación",
        "starts_at": timezone.now() + timedelta(days=5),
        "place": "Sala Ágora",
        "capacity": 2,
        "audience": "both",
        **kwargs,
    }
    return services.workshop_save(workshop=Workshop(program=program, **fields), by=None)


def _participants(program, n, role="mentee"):
    return [enrol(program, UserFactory(language="en"), role).person for _ in range(n)]


def _kinds(person):
    return list(
        Notification.objects.filter(recipient=person).order_by("pk").values_list("kind", flat=True)
    )


def test_the_last_place_goes_to_one_person_and_the_next_ones_wait_in_order(program):
    workshop = _workshop(program)
    first, second, third, fourth = _participants(program, 4)
    statuses = [
        services.workshop_register(workshop=workshop, person=p).status
        for p in (first, second, third, fourth)
    ]
    assert statuses == [REGISTERED, REGISTERED, WAITLISTED, WAITLISTED]
    (invite,) = Notification.objects.filter(recipient=first)
    assert invite.kind == "training.workshop_registered"
    calendar = Calendar.from_ical(invite.attachments[0]["content"])
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(f"workshop-{workshop.code}@")
    assert "number 1 on the waiting list" in Notification.objects.get(recipient=third).text_body

    services.workshop_unregister(workshop=workshop, person=second)
    assert WorkshopRegistration.objects.get(person=third).status == REGISTERED
    assert _kinds(third)[-1] == "training.workshop_registered"
    assert "A place is yours" in Notification.objects.filter(recipient=third).latest("pk").subject
    assert WorkshopRegistration.objects.get(person=fourth).status == WAITLISTED


def test_only_the_program_s_participants_of_the_workshop_s_audience_may_register(program):
    workshop = _workshop(program, audience="mentor")
    (mentee,) = _participants(program, 1)
    (mentor,) = _participants(program, 1, role="mentor")
    with pytest.raises(ValidationError):
        services.workshop_register(workshop=workshop, person=mentee)
    with pytest.raises(ValidationError):
        services.workshop_register(workshop=workshop, person=UserFactory())
    assert services.workshop_register(workshop=workshop, person=mentor).status == REGISTERED


def test_moving_a_workshop_sends_an_updated_invite_and_more_places_go_to_the_waiting_list(
    program,
):
    workshop = _workshop(program, capacity=1)
    first, second = _participants(program, 2)
    for person in (first, second):
        services.workshop_register(workshop=workshop, person=person)
    workshop.starts_at += timedelta(hours=2)
    workshop.capacity = 2
    services.workshop_save(workshop=workshop, by=None)
    assert Workshop.objects.get(pk=workshop.pk).ics_sequence == 1
    assert _kinds(first) == ["training.workshop_registered", "training.workshop_updated"]
    assert WorkshopRegistration.objects.get(person=second).status == REGISTERED


def test_a_cancelled_workshop_tells_everyone_and_takes_no_more_registrations(program):
    workshop = _workshop(program, capacity=1)
    first, second, third = _participants(program, 3)
    for person in (first, second):
        services.workshop_register(workshop=workshop, person=person)
    assert services.workshop_cancel(workshop=workshop, by=None) == 2
    assert _kinds(second)[-1] == "training.workshop_cancelled"
    with pytest.raises(ValidationError):
        services.workshop_register(workshop=workshop, person=third)
    with pytest.raises(ValidationError):
        services.workshop_cancel(workshop=workshop, by=None)


def test_workshops_need_a_place_or_link_a_future_date_and_to_end_before_the_program(program):
    with pytest.raises(ValidationError) as refused:
        _workshop(program, place="")
    assert "place" in refused.value.error_dict
    with pytest.raises(ValidationError):
        _workshop(program, starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError):
        _workshop(program, starts_at=timezone.now() + timedelta(days=400))
    with pytest.raises(ValidationError):
        _workshop(ProgramFactory(status="closed"))


def test_attendance_is_marked_after_the_start_for_the_registered_people(program):
    workshop = _workshop(program)
    came, missed = _participants(program, 2)
    for person in (came, missed):
        services.workshop_register(workshop=workshop, person=person)
    with pytest.raises(ValidationError):
        services.workshop_attendance_save(workshop=workshop, attended_ids=[came.pk], by=None)
    with time_machine.travel(workshop.starts_at + timedelta(minutes=5)):
        assert (
            services.workshop_attendance_save(workshop=workshop, attended_ids=[came.pk], by=None)
            == 1
        )
    attended = dict(WorkshopRegistration.objects.values_list("person_id", "attended"))
    assert attended == {came.pk: True, missed.pk: False}


def test_participants_register_from_their_training_page_and_download_the_invite(client, program):
    workshop = _workshop(program)
    (person,) = _participants(program, 1)
    client.force_login(person)
    page = client.get(reverse("training:my_training"))
    assert workshop.title in page.content.decode()
    response = client.post(reverse("training:workshop_register", args=[workshop.code]))
    assert response.status_code == 302
    assert WorkshopRegistration.objects.get(person=person).status == REGISTERED
    ics = client.get(reverse("training:workshop_ics", args=[workshop.code]))
    assert ics["Content-Type"].startswith("text/calendar")
    client.post(reverse("training:workshop_unregister", args=[workshop.code]))
    assert WorkshopRegistration.objects.get(person=person).status == CANCELLED


def test_people_outside_the_program_get_404_for_its_workshops(client, program, outsider):
    workshop = _workshop(program)
    client.force_login(outsider)
    for name in ("training:workshop_register", "training:workshop_unregister"):
        assert client.post(reverse(name, args=[workshop.code])).status_code == 404
    assert client.get(reverse("training:workshop_ics", args=[workshop.code])).status_code == 404
