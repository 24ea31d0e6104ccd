"""Reads of stage 2 information sessions: their calendar UID, their page, what an employee sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from core import calendar as event_calendar

from ..events import selectors as event_selectors
from ..models import InfoSession, Program

# Programs whose sessions take registrations (drafts are hidden, closed ones are over).
OPEN_STATUSES = (Program.Status.RECRUITING, Program.Status.MATCHING, Program.Status.RUNNING)

# The calendar UID's first part: calendars already hold entries under it.
ICS_PREFIX = "infosession"


def session_ics_uid(session: InfoSession) -> str:
    """Stable for the life of the session, so every update replaces the same calendar entry."""
    return event_calendar.ics_uid(ICS_PREFIX, session)


def program_page(session: InfoSession) -> str:
    """Where employees register for a session: its program's page."""
    return session.program.get_absolute_url()


# --- employees ---------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingSession(event_selectors.Places):
    session: InfoSession
    places_left: int
    my_status: str | None


def upcoming_sessions_for(program: Program, person) -> list[UpcomingSession]:
    """Sessions still ahead, with places left and `person`'s status, in one query."""
    if program.status not in OPEN_STATUSES:
        return []
    sessions = event_selectors.with_places(
        program.sessions.filter(cancelled_at__isnull=True, starts_at__gt=timezone.now()),
        person,
    )
    items = []
    for session in sessions.order_by("starts_at"):
        session.program = program
        items.append(
            UpcomingSession(
                session=session,
                places_left=event_selectors.places_left(session),
                my_status=getattr(session, "my_status", None),
            )
        )
    return items
