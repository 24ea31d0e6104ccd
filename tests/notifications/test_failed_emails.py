"""HR sees the emails that could not be delivered and sends them again."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from tests.factories import UserFactory

URL = "/notifications/failed/"


def _failed(people) -> list[Notification]:
    return Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind="people.hr_role_granted",
            object_key=f"people.user:{person.pk}",
            subject="You are now an HR administrator",
            text_body="Body\n",
            email_status="failed",
            attempts=5,
            last_error="550 mailbox unavailable",
        )
        for person in people
    )


@pytest.mark.django_db(transaction=True)
def test_hr_sends_a_failed_email_again_and_it_is_delivered(hr_client):
    person = UserFactory(email="bounced@example.com")
    [notification] = _failed([person])

    page = hr_client.get(URL).content.decode()
    assert "bounced@example.com" in page and "550 mailbox unavailable" in page

    response = hr_client.post(f"{URL}{notification.code}/send-again/", follow=True)

    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [["bounced@example.com"]]
    page = response.content.decode()  # HR reads Spanish
    assert "Se está volviendo a enviar el correo a bounced@example.com." in page
    assert "Todos los correos se han entregado al servidor de correo." in page


@pytest.mark.django_db
def test_sending_again_twice_queues_it_once(hr_client, django_capture_on_commit_callbacks):
    [notification] = _failed([UserFactory()])
    with django_capture_on_commit_callbacks() as queued:
        hr_client.post(f"{URL}{notification.code}/send-again/")
        again = hr_client.post(f"{URL}{notification.code}/send-again/", follow=True)
    assert "ya no está pendiente de volver a enviarse" in again.content.decode()
    assert len(queued) == 1


@pytest.mark.django_db
def test_only_hr_sees_failed_emails(client, mentee):
    [notification] = _failed([mentee])
    assert client.get(URL).status_code == 302  # to sign in
    client.force_login(mentee)
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}{notification.code}/send-again/").status_code == 403


@pytest.mark.django_db
def test_the_failed_list_is_paged_with_constant_queries(hr_client):
    _failed(UserFactory.create_batch(2))
    with CaptureQueriesContext(connection) as few:
        hr_client.get(URL)
    _failed(UserFactory.create_batch(30))
    with CaptureQueriesContext(connection) as many:
        page = hr_client.get(URL)
    assert len(many) == len(few)
    assert page.context["page"].paginator.num_pages == 2
