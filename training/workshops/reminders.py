"""The day-before reminder of workshops: the events' producer, for workshops.

Registered from TrainingConfig.ready() so the producer runs in every process.
"""

from __future__ import annotations

from datetime import datetime

from programs.events.reminders import events_remind

from .services import EVENTS

WORKSHOP_KIND = EVENTS.reminder


def workshop_reminders(now: datetime) -> int:
    """Remind registered people of workshops starting within the next 24 hours, once each."""
    return events_remind(now, kind=EVENTS)
