"""Delivery under faults: a sender that dies mid-send, two senders at once, a hung server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications.hooks import periodic_producers
from notifications.models import Notification
from notifications.services import dispatch_due, notification_send_email, send_pending
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _pending(people, **fields) -> list[Notification]:
    return Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind="people.hr_role_granted",
            object_key=f"people.user:{person.pk}",
            occasion="delivery",
            subject=f"Hello {person.pk}",
            text_body="Body\n",
            html_body="<p>Body</p>",
            **fields,
        )
        for person in people
    )


def test_a_row_left_sending_by_a_dead_sender_is_sent_once_after_its_lease(settings):
    person = UserFactory(email="lost@example.com")
    claimed = timezone.now() - timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS + 60)
    [notification] = _pending([person], email_status="sending", claimed_at=claimed, attempts=1)

    assert dispatch_due()["sent"] == 1
    assert dispatch_due()["sent"] == 0

    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert notification.attempts == 2
    assert [m.to for m in mail.outbox] == [["lost@example.com"]]


def test_a_fresh_claim_is_not_taken_from_the_sender_that_holds_it():
    person = UserFactory()
    claimed = timezone.now() - timedelta(seconds=10)
    [notification] = _pending([person], email_status="sending", claimed_at=claimed, attempts=1)

    assert dispatch_due()["sent"] == 0
    assert notification_send_email(notification.pk) is False

    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENDING
    assert mail.outbox == []


def test_a_sender_lost_on_the_last_attempt_marks_the_email_failed(settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    claimed = timezone.now() - timedelta(hours=1)
    [notification] = _pending(
        [UserFactory()], email_status="sending", claimed_at=claimed, attempts=2
    )

    assert dispatch_due()["sent"] == 0

    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.FAILED
    assert "stopped while sending" in notification.last_error


def test_a_resent_email_carries_the_same_message_id(settings):
    person = UserFactory()
    claimed = timezone.now() - timedelta(hours=1)
    [notification] = _pending([person], email_status="sending", claimed_at=claimed, attempts=1)
    dispatch_due()
    Notification.objects.filter(pk=notification.pk).update(
        email_status="sending", claimed_at=claimed
    )
    dispatch_due()

    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 2
    assert ids[0] == ids[1] == f"<notification.{notification.code}@localhost>"


@pytest.mark.postgres
def test_two_dispatchers_at_once_send_each_email_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    people = UserFactory.create_batch(450)
    _pending(people)
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            counts.append(send_pending())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(counts) == len(people)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Notification.objects.filter(email_status="sent").count() == len(people)


@pytest.fixture
def hung_smtp_server():
    """A server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_a_hung_mail_server_costs_one_timeout_and_the_email_waits(settings, hung_smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", hung_smtp_server
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    _pending(UserFactory.create_batch(5))

    started = time.monotonic()
    assert send_pending() == 0
    elapsed = time.monotonic() - started

    assert elapsed < 5  # one timeout for the batch, not one per email, and never forever
    statuses = list(Notification.objects.values_list("email_status", "attempts", "retry_at"))
    assert {status for status, _, _ in statuses} == {"pending"}
    assert sorted(attempts for _, attempts, _ in statuses) == [0, 0, 0, 0, 1]
    failed = Notification.objects.get(attempts=1)
    assert "timed out" in failed.last_error
    assert failed.retry_at > timezone.now()


@pytest.mark.redis
def test_a_run_with_no_worker_listening_sends_and_queues_nothing():
    """With Redis as broker and no worker, the periodic job sends what it records itself."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("set REDIS_URL to run with a Redis broker (CI does)")
    import redis

    from mentoring.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=redis_url, task_always_eager=False)
    app._pool = None
    queue = redis.Redis.from_url(redis_url)
    queue.delete("celery")

    def producer(now):
        from notifications.services import notify

        for person in people:
            notify(kind="people.hr_role_granted", recipient=person, target=person, url="/")

    people = UserFactory.create_batch(20)
    periodic_producers.register(producer, key="test.everyone")
    try:
        first = dispatch_due()
        second = dispatch_due()
        queued = queue.llen("celery")
    finally:
        periodic_producers.unregister("test.everyone")
        app.conf.update(saved)
        app._pool = None
        queue.delete("celery")

    assert first == {"created": 20, "sent": 20}
    assert second == {"created": 0, "sent": 0}
    assert queued == 0
    assert len(mail.outbox) == 20


@pytest.mark.postgres
def test_a_sender_process_killed_mid_send_loses_no_email(settings, hung_smtp_server):
    """A real `dispatch_notifications` process claims an email, hangs on the mail server and
    is killed (-9); after the lease the next run sends the email, once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the killed process shares the test database")
    db = connection.settings_dict
    person = UserFactory(email="survivor@example.com")
    [notification] = _pending([person])
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},  # not a test
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{hung_smtp_server}",
        "EMAIL_TIMEOUT": "120",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    sender = subprocess.Popen(
        [sys.executable, "manage.py", "dispatch_notifications"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            notification.refresh_from_db()
            if notification.email_status == Notification.EmailStatus.SENDING:
                break
            time.sleep(0.2)
        assert notification.email_status == Notification.EmailStatus.SENDING
    finally:
        sender.kill()  # SIGKILL: no clean-up of any kind
        sender.wait()

    assert dispatch_due()["sent"] == 0  # its lease is still running
    after_the_lease = timezone.now() + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS + 1)
    assert dispatch_due(after_the_lease)["sent"] == 1
    assert dispatch_due(after_the_lease)["sent"] == 0

    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert notification.attempts == 2
    assert [m.to for m in mail.outbox] == [["survivor@example.com"]]
