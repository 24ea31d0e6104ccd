"""Extension points of the notification mechanism (see `core.hooks`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from core.hooks import Hook

Producer = Callable[[datetime], object]

periodic_producers: Hook[Producer] = Hook(
    "notifications.periodic_producers",
    """Functions run by the periodic job (`dispatch_notifications`, Celery beat).

    A producer receives the current time and calls `notifications.services.notify` for each
    reminder that is due; `notify` records it under its unique key, so a producer may run as
    often as it likes without sending anything twice. Register with a dotted name as key:
    `periodic_producers.register(func, key="goals.meeting_reminders")`.
    """,
)


def producers() -> dict[str, Producer]:
    return periodic_producers.items()
