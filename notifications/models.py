"""One record per (kind, object, recipient, occasion): the send-once guarantee."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import PublicCode, TimeStamped


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(TimeStamped, PublicCode):
    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        NONE = "none", _("no email")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=80)
    object_key = models.CharField(max_length=120, blank=True)
    occasion = models.CharField(max_length=80, blank=True)
    subject = models.CharField(max_length=255)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # [{"filename": ..., "content": <text>, "mimetype": ...}], e.g. calendar invites.
    attachments = models.JSONField(default=list, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a sender claimed the row (status `sending`): a claim older than the lease is
    # taken to be a sender that died mid-send, and the row is claimed again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # After a failed attempt, the earliest time of the next one (back-off).
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient", "occasion"],
                name="notifications_notification_send_once",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_recipient_read"),
            models.Index(fields=["email_status"], name="notifications_email_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.code])
