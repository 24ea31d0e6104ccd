"""Writes of workshops: the information-session mechanism applied to a program's participants.

Same rules as `programs.sessions`, shared in `programs.events` (places, a first-come waiting
list, calendar invites that update in place, attendance) with the same registration states;
a workshop adds who may register (the program's mentors and/or mentees), its module and its
emails, described in `EVENTS`. Each function below is one atomic write of
`programs.events.services`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.events import services as events

from ..models import Workshop, WorkshopRegistration
from ..modules.selectors import ACTIVE_STATUSES
from .selectors import ICS_PREFIX, my_training_page, workshops_open_to


def _may_register(workshop: Workshop, person) -> None:
    if not workshops_open_to(person).filter(pk=workshop.pk).exists():
        raise ValidationError(_("This workshop is for the program's participants."))


def _check_module(workshop: Workshop) -> None:
    if workshop.module_id and workshop.module.program_id not in (None, workshop.program.pk):
        raise ValidationError({"module": _("Choose a library module or one of this program's.")})


EVENTS = events.EventKind(
    registration_model=WorkshopRegistration,
    name="workshop",
    ics_prefix=ICS_PREFIX,
    page=my_training_page,
    anchor="workshops",
    programs_open=ACTIVE_STATUSES,
    messages=events.Messages(
        cancelled=gettext_lazy("This workshop was cancelled."),
        started=gettext_lazy("This workshop has already started."),
        not_registered=gettext_lazy("You are not registered for this workshop."),
        attendance_too_early=gettext_lazy("You can mark attendance once the workshop has started."),
        already_cancelled=gettext_lazy("This workshop is already cancelled."),
        cancel_started=gettext_lazy("A workshop that has already started cannot be cancelled."),
        edit_cancelled=gettext_lazy("A cancelled workshop cannot be edited."),
        program_closed=gettext_lazy("This program is closed: its training can no longer change."),
        ends_after_program=gettext_lazy(
            "The workshop must end before the program ends (%(date)s)."
        ),
    ),
    registered=events.Notice("training.workshop_registered", invite="REQUEST"),
    waitlisted=events.Notice("training.workshop_waitlisted"),
    promoted=events.Notice(
        "training.workshop_registered", invite="REQUEST", context={"promoted": True}
    ),
    # Unlike the sessions' email, the workshop's does not show the schedule it replaces.
    updated=events.Notice("training.workshop_updated", invite="REQUEST"),
    cancelled=events.Notice("training.workshop_cancelled", invite="CANCEL"),
    reminder="training.workshop_reminder",
    may_register=_may_register,
    check=_check_module,
)


# --- HR ----------------------------------------------------------------------------


def workshop_save(*, workshop: Workshop, by) -> Workshop:
    """Create or edit a workshop; moving it sends the registered people an updated invite."""
    return events.event_save(event=workshop, kind=EVENTS)


def workshop_cancel(*, workshop: Workshop, by) -> int:
    """Cancel a workshop and tell everyone registered or waiting; returns how many were told."""
    return events.event_cancel(event=workshop, kind=EVENTS)


def workshop_attendance_save(*, workshop: Workshop, attended_ids, by) -> int:
    """Mark who came (ids of people); everyone else registered is marked absent."""
    return events.attendance_save(event=workshop, attended_ids=attended_ids, kind=EVENTS)


# --- participants ------------------------------------------------------------------


def workshop_register(*, workshop: Workshop, person) -> WorkshopRegistration:
    """Take a place, or a spot on the waiting list when the workshop is full."""
    return events.register(event=workshop, person=person, kind=EVENTS)


def workshop_unregister(*, workshop: Workshop, person) -> WorkshopRegistration:
    """Give up a place (the first person waiting gets it) or leave the waiting list."""
    return events.unregister(event=workshop, person=person, kind=EVENTS)
