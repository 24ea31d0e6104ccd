"""The day-before reminder of every kind of event, run by `notifications.services.dispatch_due`.

Each kind registers its own producer (a key of its own) from its AppConfig.ready().
"""

from __future__ import annotations

from datetime import datetime, timedelta

from notifications.models import Notification
from notifications.services import object_key

from ..models import Event
from .selectors import Status
from .services import EventKind, tell

REMINDER_AHEAD = timedelta(hours=24)


def reminder_occasion(event: Event) -> str:
    # Tied to the start time: an event moved after its reminder went out gets a new one.
    return f"day-before-{event.starts_at.isoformat()}"


def events_remind(now: datetime, *, kind: EventKind) -> int:
    """Remind registered people of `kind`'s events starting within the next 24 hours, once each."""
    events = kind.event_model.objects.filter(
        cancelled_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_AHEAD,
        program__status__in=kind.programs_open,
    ).select_related("program")
    sent = 0
    for event in events:
        occasion = reminder_occasion(event)
        # Skips rendering for people already reminded; notify's unique key is what
        # actually guarantees one reminder when two runs overlap.
        already = Notification.objects.filter(
            kind=kind.reminder, object_key=object_key(event), occasion=occasion
        ).values("recipient_id")
        registrations = (
            event.registrations.filter(status=Status.REGISTERED)
            .exclude(person_id__in=already)
            .select_related("person")
        )
        for registration in registrations:
            notification = tell(
                registration, event=event, kind=kind, notification=kind.reminder, occasion=occasion
            )
            sent += notification is not None
    return sent
