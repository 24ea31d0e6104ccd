"""What the reminder producers of every feature of stage 5 share.

The producers live in each feature's `reminders.py` and are registered in
GoalsConfig.ready(); `notifications.services.dispatch_due` (Celery beat) runs them. Each
reminder's occasion is tied to the date it is about, so it is sent once, and again only
when that date moves; `notify`'s unique key makes overlapping runs harmless.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify, object_key


def already_sent(kind: str, targets) -> set[tuple[str, str, int]]:
    """(object key, occasion, recipient) already recorded: skips rendering emails again."""
    keys = [object_key(t) for t in targets]
    if not keys:
        return set()
    return set(
        Notification.objects.filter(kind=kind, object_key__in=keys).values_list(
            "object_key", "occasion", "recipient_id"
        )
    )


def send_once(sent_before, *, kind, recipient, target, occasion, **kwargs) -> int:
    if (object_key(target), occasion, recipient.pk) in sent_before:
        return 0
    return (
        notify(kind=kind, recipient=recipient, target=target, occasion=occasion, **kwargs)
        is not None
    )


def local_today(now: datetime):
    return timezone.localtime(now).date()
