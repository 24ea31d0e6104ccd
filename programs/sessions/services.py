"""Writes of stage 2 information sessions: scheduling, registration with a waiting list, attendance.

The rules are the events' (`programs.events`), described for sessions in `EVENTS`: a session
adds only who may register (anyone, while its program is open) and its emails. Each function
below is one atomic write of `programs.events.services`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..events import services as events
from ..models import InfoSession, Registration
from .selectors import ICS_PREFIX, OPEN_STATUSES, program_page


def _may_register(session: InfoSession, person) -> None:
    if session.program.status not in OPEN_STATUSES:
        raise ValidationError(_("Registration is closed for this program."))


EVENTS = events.EventKind(
    registration_model=Registration,
    name="session",
    ics_prefix=ICS_PREFIX,
    page=program_page,
    anchor="sessions",
    programs_open=OPEN_STATUSES,
    messages=events.Messages(
        cancelled=gettext_lazy("This information session was cancelled."),
        started=gettext_lazy("This information session has already started."),
        not_registered=gettext_lazy("You are not registered for this information session."),
        attendance_too_early=gettext_lazy("You can mark attendance once the session has started."),
        already_cancelled=gettext_lazy("This information session is already cancelled."),
        cancel_started=gettext_lazy("A session that has already started cannot be cancelled."),
        edit_cancelled=gettext_lazy("A cancelled information session cannot be edited."),
        program_closed=gettext_lazy(
            "This program is closed, so its information sessions can no longer be added or changed."
        ),
        ends_after_program=gettext_lazy("The session must end before the program ends (%(date)s)."),
    ),
    registered=events.Notice("programs.session_registered", invite="REQUEST"),
    waitlisted=events.Notice("programs.session_waitlisted"),
    promoted=events.Notice("programs.session_promoted", invite="REQUEST"),
    updated=events.Notice("programs.session_updated", invite="REQUEST"),
    cancelled=events.Notice("programs.session_cancelled", invite="CANCEL"),
    reminder="programs.session_reminder",
    may_register=_may_register,
)


# --- HR ----------------------------------------------------------------------------


def session_save(*, session: InfoSession, by) -> InfoSession:
    """Create or edit a session from HR's form (see `programs.events.services.event_save`)."""
    return events.event_save(event=session, kind=EVENTS)


def session_cancel(*, session: InfoSession, by) -> int:
    """Cancel a session and tell everyone registered or waiting; returns how many were told."""
    return events.event_cancel(event=session, kind=EVENTS)


def attendance_save(*, session: InfoSession, attended_ids, by) -> int:
    """Mark who came (ids of people); every other registered person is marked absent."""
    return events.attendance_save(event=session, attended_ids=attended_ids, kind=EVENTS)


# --- employees ---------------------------------------------------------------------


def session_register(*, session: InfoSession, person) -> Registration:
    """Take a place, or a spot on the waiting list when the session is full."""
    return events.register(event=session, person=person, kind=EVENTS)


def session_unregister(*, session: InfoSession, person) -> Registration:
    """Give up a place (the first person waiting gets it) or leave the waiting list."""
    return events.unregister(event=session, person=person, kind=EVENTS)
