from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from mentoring.celery import app
from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory


@pytest.fixture
def redis_worker():
    """A real Celery worker consuming from Redis (REDIS_URL), running in a thread."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("set REDIS_URL to run the real-worker test (CI does)")
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "broker_transport_options")
    }
    app.conf.update(broker_url=redis_url, task_always_eager=False, broker_transport_options={})
    app._pool = None  # drop any connection made with the previous broker
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(saved)
        app._pool = None


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_sends_the_queued_email(redis_worker):
    person = UserFactory(email="worker.test@example.com", language="en")
    notification = notify(
        kind="people.hr_role_granted",
        recipient=person,
        target=person,
        context={"by": "Ana"},
        url="/",
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.email_status == Notification.EmailStatus.SENT:
            break
        time.sleep(0.2)
    assert notification.email_status == Notification.EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [["worker.test@example.com"]]
