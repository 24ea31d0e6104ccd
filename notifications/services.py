"""The one notification mechanism of the platform: in-app record plus email, sent once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from core.emails import RenderedEmail, render_email, send_rendered

from .hooks import producers
from .models import Notification

logger = logging.getLogger(__name__)


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
    if email:
        from .tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def notification_send_email(notification_id: int) -> bool:
    """Send one pending email. True when this call sent it.

    A failure is recorded on the row and left for the next periodic run, so a job
    never raises for a mail server that is down.
    """
    # The conditional UPDATE claims the row: two workers given the same id (a retried
    # or duplicated job) cannot both see PENDING, so only one sends.
    claimed = Notification.objects.filter(
        pk=notification_id, email_status=Notification.EmailStatus.PENDING
    ).update(email_status=Notification.EmailStatus.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_rendered(
            RenderedEmail(
                subject=notification.subject,
                text=notification.text_body,
                html=notification.html_body,
            ),
            to=notification.recipient.email,
            attachments=notification.attachments,
        )
    except Exception as exc:  # noqa: BLE001 - any failure of the mail server
        retry = notification.attempts < settings.NOTIFICATION_MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            email_status=(
                Notification.EmailStatus.PENDING if retry else Notification.EmailStatus.FAILED
            ),
            last_error=str(exc)[:2000],
        )
        # Left pending: the periodic job (dispatch_due) tries again on its next run.
        logger.warning("Email for notification %s failed: %s", notification_id, exc)
        return False
    Notification.objects.filter(pk=notification_id).update(
        email_status=Notification.EmailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def send_pending() -> int:
    """Send every email still pending (after a broker outage or a failed attempt)."""
    sent = 0
    ids = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING)
    for pk in ids.values_list("pk", flat=True).order_by("pk")[:1000]:
        sent += notification_send_email(pk)
    return sent


def dispatch_due(now: datetime | None = None) -> dict[str, int]:
    """Run every registered producer, then send what is pending."""
    now = now or timezone.now()
    before = Notification.objects.count()
    for name, producer in producers().items():
        try:
            producer(now)
        except Exception:
            logger.exception("Notification producer %s failed", name)
    created = Notification.objects.count() - before
    return {"created": created, "sent": send_pending()}


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
