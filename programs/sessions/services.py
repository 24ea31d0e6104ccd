"""Writes of stage 2 information sessions: scheduling, registration with a waiting list, attendance.

The registration rules are shared with training workshops in `programs.events`.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..events import services as events
from ..models import InfoSession, Registration
from .selectors import OPEN_STATUSES, session_ics

SCHEDULE_FIELDS = events.SCHEDULE_FIELDS

Status = Registration.Status


# --- emails ------------------------------------------------------------------------


def _session_url(session: InfoSession) -> str:
    return f"{session.program.get_absolute_url()}#sessions"


def _notify(
    kind: str,
    registration: Registration,
    *,
    occasion: str,
    invite: str = "",
    **context,
) -> None:
    session = registration.session
    events.tell(
        registration,
        event=session,
        kind=f"programs.{kind}",
        url=_session_url(session),
        occasion=occasion,
        ics=session_ics(session, attendee=registration.person, method=invite) if invite else "",
        context=context,
    )


EVENTS = events.EventKind(
    registration_model=Registration,
    event_field="session",
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
    registered=partial(_notify, "session_registered", invite="REQUEST"),
    waitlisted=partial(_notify, "session_waitlisted"),
    promoted=partial(_notify, "session_promoted", invite="REQUEST"),
    updated=partial(_notify, "session_updated", invite="REQUEST"),
    cancelled=partial(_notify, "session_cancelled", invite="CANCEL"),
)


# --- HR ----------------------------------------------------------------------------


@transaction.atomic
def session_save(*, session: InfoSession, by) -> InfoSession:
    """Create or edit a session from HR's form.

    Moving it (time, length, place or link) bumps the calendar sequence and sends the
    registered people an updated invite. Lowering the capacity moves nobody out;
    raising it gives the new places to the waiting list.
    """
    return events.event_save(event=session, kind=EVENTS)


@transaction.atomic
def session_cancel(*, session: InfoSession, by) -> int:
    """Cancel a session and tell everyone registered or waiting; returns how many were told."""
    return events.event_cancel(event=session, kind=EVENTS)


@transaction.atomic
def attendance_save(*, session: InfoSession, attended_ids, by) -> int:
    """Mark who came (ids of people); every other registered person is marked absent."""
    return events.attendance_save(event=session, attended_ids=attended_ids, kind=EVENTS)


# --- employees ---------------------------------------------------------------------


@transaction.atomic
def session_register(*, session: InfoSession, person) -> Registration:
    """Take a place, or a spot on the waiting list when the session is full."""
    if session.program.status not in OPEN_STATUSES:
        raise ValidationError(_("Registration is closed for this program."))
    return events.register(event=session, person=person, kind=EVENTS)


@transaction.atomic
def session_unregister(*, session: InfoSession, person) -> Registration:
    """Give up a place (the first person waiting gets it) or leave the waiting list."""
    return events.unregister(event=session, person=person, kind=EVENTS)
