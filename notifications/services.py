"""The one notification mechanism of the platform: in-app record plus email, sent once."""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.emails import RenderedEmail, build_message, message_id_for, render_email

from .hooks import producers
from .models import Notification

logger = logging.getLogger(__name__)

# Set while the periodic job runs its producers: it sends what they record itself.
_sending_here: ContextVar[bool] = ContextVar("notifications_sending_here", default=False)


def object_key(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    return f"{obj._meta.label_lower}:{obj.pk}"


def notify(
    *,
    kind: str,
    recipient,
    target: models.Model | None = None,
    occasion: str = "",
    context: dict | None = None,
    url: str = "",
    email: bool = True,
    attachments: list[tuple[str, str, str]] | None = None,
) -> Notification | None:
    """Record a notification for `recipient` and queue its email.

    Returns None when the same (kind, target, recipient, occasion) was already
    recorded, which is what makes repeated and concurrent jobs harmless.
    `attachments` are (filename, text content, mimetype), e.g. an `.ics` invite.
    """
    if not recipient.is_active:
        return None
    rendered = render_email(
        kind,
        {"recipient": recipient, "target": target, "url": url, **(context or {})},
        language=recipient.language,
    )
    notification = Notification(
        recipient=recipient,
        kind=kind,
        object_key=object_key(target),
        occasion=occasion,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        url=url,
        attachments=[
            {"filename": name, "content": content, "mimetype": mimetype}
            for name, content, mimetype in attachments or []
        ],
        email_status=(Notification.EmailStatus.PENDING if email else Notification.EmailStatus.NONE),
    )
    try:
        # A concurrent run inserting the same key waits here on PostgreSQL's unique
        # index, then fails: exactly one of them gets to send.
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return None
    if email and not _sending_here.get():
        from .tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


# Errors about one message: the next message may still go through the same connection.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
BATCH_SIZE = 200


def _due(now: datetime) -> Q:
    """Rows a sender may claim: pending and past their back-off, or claimed by a sender
    whose lease ran out (it died between the claim and marking the row sent)."""
    stale = now - timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    pending = Q(email_status=Notification.EmailStatus.PENDING) & (
        Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    )
    lost = Q(email_status=Notification.EmailStatus.SENDING) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )
    return pending | lost


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


@transaction.atomic
def _claim(*, now: datetime, only: Q | None = None, limit: int = BATCH_SIZE) -> list[Notification]:
    """Claim up to `limit` due rows in one transaction and return them, recipient loaded.

    The rows are locked while they are claimed and rows locked by another sender are
    skipped, so two dispatchers (or a dispatcher and a send job) never claim the same row;
    on SQLite the transaction itself is the lock (it begins IMMEDIATE).
    """
    due = _due(now) if only is None else _due(now) & only
    # A lost sender used the last attempt: give up rather than retry forever.
    Notification.objects.filter(
        due, email_status=Notification.EmailStatus.SENDING,
        attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS,
    ).update(
        email_status=Notification.EmailStatus.FAILED,
        last_error="The sender stopped while sending, on the last attempt.",
    )  # fmt: skip
    rows = list(
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(due)
        .select_related("recipient")
        .only(*SENT_FIELDS)
        .order_by("pk")[:limit]
    )
    if rows:
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            email_status=Notification.EmailStatus.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    return rows


SENT_FIELDS = (
    "code", "subject", "text_body", "html_body", "attachments", "attempts", "recipient__email"
)  # fmt: skip


def _message(notification: Notification, connection):
    return build_message(
        RenderedEmail(
            subject=notification.subject,
            text=notification.text_body,
            html=notification.html_body,
        ),
        to=notification.recipient.email,
        attachments=notification.attachments,
        message_id=message_id_for(f"notification.{notification.code}"),
        connection=connection,
    )


def _fail(notification: Notification, exc: Exception, *, now: datetime) -> None:
    attempts = notification.attempts + 1
    retry = attempts < settings.NOTIFICATION_MAX_ATTEMPTS
    Notification.objects.filter(
        pk=notification.pk, email_status=Notification.EmailStatus.SENDING
    ).update(
        email_status=(
            Notification.EmailStatus.PENDING if retry else Notification.EmailStatus.FAILED
        ),
        retry_at=now + _backoff(attempts) if retry else None,
        last_error=str(exc)[:2000] or exc.__class__.__name__,
    )
    logger.warning("Email for notification %s failed: %s", notification.pk, exc)


def _send_claimed(rows: list[Notification], *, now: datetime) -> int:
    """Send the claimed rows over one connection, then mark the sent ones in one UPDATE.

    A crash after the server accepted a message and before the UPDATE leaves the row
    `sending`: it is claimed again when its lease runs out and sent a second time, with
    the same Message-ID. Delivery is at least once: an email is never lost silently.
    """
    if not rows:
        return 0
    started = time.monotonic()
    sent: list[int] = []
    unsent = list(rows)
    connection = get_connection()
    try:
        while unsent:
            notification = unsent.pop(0)
            try:
                connection.open()  # once: later calls find it open
                _message(notification, connection).send()
            except Exception as exc:  # noqa: BLE001 - any failure of the mail server
                _fail(notification, exc, now=now)
                if not isinstance(exc, MESSAGE_ERRORS):
                    break  # the server is down or hung: leave the rest for the next run
            else:
                sent.append(notification.pk)
            if time.monotonic() - started > settings.NOTIFICATION_LEASE_SECONDS / 2:
                break  # stay well inside the lease so no other sender re-claims these rows
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - a broken connection cannot be closed politely
            logger.debug("Closing the mail connection failed", exc_info=True)
    if unsent:  # not tried: given back without counting an attempt
        Notification.objects.filter(
            pk__in=[n.pk for n in unsent], email_status=Notification.EmailStatus.SENDING
        ).update(
            email_status=Notification.EmailStatus.PENDING,
            claimed_at=None,
            attempts=F("attempts") - 1,
        )
    if sent:
        Notification.objects.filter(pk__in=sent).update(
            email_status=Notification.EmailStatus.SENT, sent_at=timezone.now(), last_error=""
        )
    return len(sent)


def notification_send_email(notification_id: int) -> bool:
    """Send one pending email. True when this call sent it.

    A failure is recorded on the row and left for the periodic job, which tries again after
    a back-off; a job never raises for a mail server that is down.
    """
    now = timezone.now()
    rows = _claim(now=now, only=Q(pk=notification_id), limit=1)
    return _send_claimed(rows, now=now) == 1


def send_pending(now: datetime | None = None, *, max_seconds: float = 240) -> int:
    """Send every due email in batches: pending ones (a broker outage, a failed attempt
    whose back-off is over) and ones whose sender died mid-send. Returns how many this
    call sent; it stops starting batches after `max_seconds`. `now` (tests) fixes the
    clock; otherwise each batch is claimed at the time it starts, so its lease is whole."""
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < max_seconds:
        batch_at = now or timezone.now()
        rows = _claim(now=batch_at)
        if not rows:
            break
        sent += _send_claimed(rows, now=batch_at)
        if len(rows) < BATCH_SIZE:
            break
    return sent


def dispatch_due(now: datetime | None = None) -> dict[str, int]:
    """Run every registered producer, then send what is due.

    What the producers record here is sent by this run, not queued as one job each: a run
    with no worker listening leaves nothing behind in the queue.
    """
    run_at = now or timezone.now()
    before = Notification.objects.count()
    token = _sending_here.set(True)
    try:
        for name, producer in producers().items():
            try:
                producer(run_at)
            except Exception:
                logger.exception("Notification producer %s failed", name)
    finally:
        _sending_here.reset(token)
    created = Notification.objects.count() - before
    return {"created": created, "sent": send_pending(now)}


@transaction.atomic
def notification_email_retry(*, notification: Notification) -> bool:
    """HR sends a failed email again: it gets a fresh set of attempts. False when it was
    no longer failed (someone sent it again first)."""
    # The conditional UPDATE is the claim: two HR admins clicking at once queue it once.
    retried = Notification.objects.filter(
        pk=notification.pk, email_status=Notification.EmailStatus.FAILED
    ).update(email_status=Notification.EmailStatus.PENDING, attempts=0, retry_at=None)
    if retried:
        from .tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return bool(retried)


def notifications_mark_read(*, user, notification: Notification | None = None) -> int:
    qs = Notification.objects.for_user(user).unread()
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())


def personal_data(*, person) -> dict:
    """The `people.personal_data` section: the notifications and emails sent to the person."""
    from people.personal_data import rows

    return {
        "notifications": rows(
            Notification.objects.filter(recipient=person).order_by("created_at", "pk"),
            "subject",
            "text_body",
            "url",
            "created_at",
            "read_at",
            "email_status",
            "sent_at",
        ),
    }


def personal_data_erase(*, person) -> None:
    """The `people.personal_data_erase` item: the bodies of what was sent to the person.

    Emails not sent yet are dropped: they would go to an address that no longer exists.
    """
    Notification.objects.filter(
        recipient=person,
        email_status__in=[Notification.EmailStatus.PENDING, Notification.EmailStatus.FAILED],
    ).update(email_status=Notification.EmailStatus.NONE)
    Notification.objects.filter(recipient=person).update(
        text_body="", html_body="", attachments=[], last_error=""
    )


# --- retention -----------------------------------------------------------------------

EMAIL_BODIES_KEPT = timedelta(days=90)


def email_bodies_clear(*, now: datetime) -> int:
    """Empty the bodies and attachments of notifications older than 90 days.

    The subject, recipient, kind and dates stay (what was sent to whom, and when); what
    the email said in full goes. Emails still waiting to be sent are left alone.
    """
    return (
        Notification.objects.filter(created_at__lt=now - EMAIL_BODIES_KEPT)
        .exclude(
            email_status__in=[Notification.EmailStatus.PENDING, Notification.EmailStatus.SENDING]
        )
        .exclude(text_body="", html_body="", attachments=[])
        .update(text_body="", html_body="", attachments=[], last_error="")
    )


def once_a_day(rule: str, purge) -> Callable[[datetime], None]:
    """A periodic producer that applies one retention rule at most once per local day,
    and records each run (with how many rows it changed) in the audit log."""
    from audit.models import Entry
    from audit.services import Action, audit_record

    def run(now: datetime) -> None:
        today = timezone.localdate(now)
        if Entry.objects.filter(
            action=Action.RETENTION_APPLIED, details__rule=rule, created_at__date=today
        ).exists():
            return
        with transaction.atomic():
            count = purge(now=now)
            audit_record(
                actor=None, action=Action.RETENTION_APPLIED, details={"rule": rule, "count": count}
            )
        logger.info("Retention %s: %s rows", rule, count)

    run.key = f"retention.{rule}"
    return run


def retention_producers() -> list:
    from people.services import employee_imports_purge

    return [
        once_a_day("import_files", employee_imports_purge),
        once_a_day("email_bodies", email_bodies_clear),
    ]
