"""Reads of stage 2 information sessions: calendar entries, counts, what an employee sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from core import calendar as event_calendar

from ..events import selectors as event_selectors
from ..models import InfoSession, Program, Registration

# Programs whose sessions take registrations (drafts are hidden, closed ones are over).
OPEN_STATUSES = (Program.Status.RECRUITING, Program.Status.MATCHING, Program.Status.RUNNING)

Status = Registration.Status


# --- calendar ----------------------------------------------------------------------


def session_ics_uid(session: InfoSession) -> str:
    """Stable for the life of the session, so every update replaces the same calendar entry."""
    return event_calendar.ics_uid("infosession", session)


def session_ics(session: InfoSession, *, attendee=None, method: str = "REQUEST") -> str:
    """The session's calendar entry; REQUEST/CANCEL for one attendee, PUBLISH to download."""
    program_url = settings.SITE_URL + session.program.get_absolute_url()
    return event_calendar.event_ics(
        session,
        uid=session_ics_uid(session),
        page_url=program_url,
        attendee=attendee,
        method=method,
    )


# --- HR ----------------------------------------------------------------------------


def sessions_with_counts(sessions: QuerySet[InfoSession]) -> QuerySet[InfoSession]:
    """Sessions with how many are registered, waiting and marked present, in one query."""
    return event_selectors.with_counts(sessions)


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
    sessions = program.sessions.filter(
        cancelled_at__isnull=True, starts_at__gt=timezone.now()
    ).annotate(registered_count=event_selectors.registered_places())
    if person is not None and person.is_authenticated:
        mine = Registration.objects.filter(session=OuterRef("pk"), person=person).exclude(
            status=Status.CANCELLED
        )
        sessions = sessions.annotate(my_status=Subquery(mine.values("status")[:1]))
    items = []
    for session in sessions.order_by("starts_at"):
        session.program = program
        items.append(
            UpcomingSession(
                session=session,
                places_left=max(session.capacity - session.registered_count, 0),
                my_status=getattr(session, "my_status", None),
            )
        )
    return items
