"""The day-before reminder of information sessions: the events' producer, for sessions.

Registered from ProgramsConfig.ready() so the producer runs in every process.
"""

from __future__ import annotations

from datetime import datetime

from ..events.reminders import events_remind
from .services import EVENTS


def session_reminders(now: datetime) -> int:
    """Remind registered people of sessions starting within the next 24 hours, once each."""
    return events_remind(now, kind=EVENTS)
