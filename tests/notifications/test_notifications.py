from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications.hooks import periodic_producers
from notifications.models import Notification
from notifications.services import dispatch_due, notification_send_email, notify
from tests.factories import UserFactory

KIND = "people.hr_role_granted"


def _notify(person, occasion="first", **kwargs):
    return notify(
        kind=KIND,
        recipient=person,
        target=person,
        occasion=occasion,
        context={"by": "Ana"},
        url="/",
        **kwargs,
    )


@pytest.mark.django_db(transaction=True)
def test_a_notification_is_emailed_once_and_listed_in_app(client):
    person = UserFactory(email="lucia@example.com", language="en")
    first = _notify(person)
    second = _notify(person)

    assert first is not None
    assert second is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lucia@example.com"]
    assert "HR admin" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    first.refresh_from_db()
    assert first.email_status == Notification.EmailStatus.SENT

    client.force_login(person)
    page = client.get("/notifications/")
    assert mail.outbox[0].subject in page.content.decode()
    assert page.context["unread_notifications"] == 1


@pytest.mark.django_db(transaction=True)
def test_emails_are_written_in_the_recipients_language():
    spanish = UserFactory(language="es")
    english = UserFactory(language="en")
    _notify(spanish)
    _notify(english)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[english.email] == "You are now an HR admin of the mentoring platform"
    assert (
        subjects[spanish.email]
        == "Ahora eres administrador/a de RR. HH. de la plataforma de mentoría"
    )


@pytest.mark.django_db(transaction=True)
def test_a_new_occasion_notifies_again():
    person = UserFactory()
    _notify(person, occasion="2026-11-01")
    _notify(person, occasion="2026-11-02")
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_inactive_people_are_not_notified():
    person = UserFactory(is_active=False)
    assert _notify(person) is None
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_retried_send_job_does_not_email_twice():
    person = UserFactory()
    notification = _notify(person)
    assert notification_send_email(notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_email_stays_pending_and_the_periodic_job_sends_it(settings):
    person = UserFactory()
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    _notify(person)
    notification = Notification.objects.get(recipient=person)
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert "SMTP is down" in notification.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert dispatch_due()["sent"] == 0  # waits for its back-off
    assert dispatch_due(timezone.now() + timedelta(minutes=2))["sent"] == 1
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert notification.attempts == 2
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_an_email_that_keeps_failing_is_marked_failed(settings):
    person = UserFactory()
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    _notify(person)
    dispatch_due(timezone.now() + timedelta(minutes=2))
    notification = Notification.objects.get(recipient=person)
    assert notification.email_status == Notification.EmailStatus.FAILED
    assert dispatch_due(timezone.now() + timedelta(hours=2))["sent"] == 0


@pytest.fixture
def every_person_producer():
    """A periodic producer like the later stages register: notify everyone once per day."""

    def producer(now):
        from people.models import User

        for person in User.objects.filter(is_active=True):
            _notify(person, occasion=now.date().isoformat())

    periodic_producers.register(producer, key="test.every_person")
    yield producer
    periodic_producers.unregister("test.every_person")


@pytest.mark.django_db(transaction=True)
def test_dispatching_twice_sends_each_due_notification_once(every_person_producer):
    UserFactory.create_batch(3)
    assert dispatch_due()["created"] == 3
    assert dispatch_due()["created"] == 0
    assert len(mail.outbox) == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatch_runs_send_each_notification_once(every_person_producer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    people = UserFactory.create_batch(12)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            dispatch_due()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Notification.objects.filter(email_status="sent").count() == len(people)


@pytest.mark.django_db
def test_someone_elses_notification_is_not_found(client):
    owner, other = UserFactory(), UserFactory()
    notification = _notify(owner)
    client.force_login(other)
    assert client.get(notification.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_follows_its_link(client):
    person = UserFactory()
    notification = _notify(person)
    client.force_login(person)
    response = client.get(notification.get_absolute_url())
    assert response.status_code == 302
    assert response.url == "/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_mark_all_read_clears_the_unread_count(client):
    person = UserFactory()
    _notify(person, occasion="a")
    _notify(person, occasion="b")
    client.force_login(person)
    response = client.post("/notifications/read-all/", follow=True)
    assert response.context["unread_notifications"] == 0


@pytest.mark.django_db
def test_the_notification_list_is_paginated_with_constant_queries(
    client, django_assert_max_num_queries
):
    person = UserFactory()
    for n in range(30):
        _notify(person, occasion=str(n))
    client.force_login(person)
    with django_assert_max_num_queries(8):
        response = client.get("/notifications/")
    assert len(response.context["page"].object_list) == 25
    assert client.get("/notifications/?page=2").context["page"].object_list.__len__() == 5


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.django_db(transaction=True)
def test_attachments_such_as_calendar_invites_travel_with_the_email():
    person = UserFactory()
    _notify(
        person,
        attachments=[("invite.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
    )
    ((name, content, mimetype),) = mail.outbox[0].attachments
    assert (name, mimetype) == ("invite.ics", "text/calendar")
    assert content.startswith("BEGIN:VCALENDAR")
