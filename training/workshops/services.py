"""Writes of workshops: the information-session mechanism applied to a program's participants.

Same rules as `programs.sessions`, shared in `programs.events` (places, a first-come waiting
list, calendar invites that update in place, attendance) with the same registration states;
only who may register differs: the program's mentors and/or mentees.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.events import services as events

from ..models import Workshop, WorkshopRegistration
from .selectors import workshop_ics, workshops_open_to


def _notify(kind: str, registration: WorkshopRegistration, *, occasion: str, invite="", **extra):
    workshop = registration.workshop
    ics = workshop_ics(workshop, attendee=registration.person, method=invite) if invite else ""
    events.tell(
        registration,
        event=workshop,
        kind=f"training.{kind}",
        url=reverse("training:my_training") + "#workshops",
        occasion=occasion,
        ics=ics,
        context={"workshop": workshop, **extra},
    )


def _updated(registration: WorkshopRegistration, *, occasion: str, previous) -> None:
    # Unlike the sessions' email, the workshop's does not show the schedule it replaces.
    _notify("workshop_updated", registration, occasion=occasion, invite="REQUEST")


EVENTS = events.EventKind(
    registration_model=WorkshopRegistration,
    event_field="workshop",
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
    registered=partial(_notify, "workshop_registered", invite="REQUEST"),
    waitlisted=partial(_notify, "workshop_waitlisted"),
    promoted=partial(_notify, "workshop_registered", invite="REQUEST", promoted=True),
    updated=_updated,
    cancelled=partial(_notify, "workshop_cancelled", invite="CANCEL"),
)


# --- HR ----------------------------------------------------------------------------


@transaction.atomic
def workshop_save(*, workshop: Workshop, by) -> Workshop:
    """Create or edit a workshop; moving it sends the registered people an updated invite."""

    def check_module() -> None:
        if workshop.module_id and workshop.module.program_id not in (None, workshop.program.pk):
            raise ValidationError(
                {"module": _("Choose a library module or one of this program's.")}
            )

    return events.event_save(event=workshop, kind=EVENTS, check=check_module)


@transaction.atomic
def workshop_cancel(*, workshop: Workshop, by) -> int:
    """Cancel a workshop and tell everyone registered or waiting; returns how many were told."""
    return events.event_cancel(event=workshop, kind=EVENTS)


@transaction.atomic
def workshop_attendance_save(*, workshop: Workshop, attended_ids, by) -> int:
    """Mark who came (ids of people); everyone else registered is marked absent."""
    return events.attendance_save(event=workshop, attended_ids=attended_ids, kind=EVENTS)


# --- participants ------------------------------------------------------------------


@transaction.atomic
def workshop_register(*, workshop: Workshop, person) -> WorkshopRegistration:
    """Take a place, or a spot on the waiting list when the workshop is full."""
    if not workshops_open_to(person).filter(pk=workshop.pk).exists():
        raise ValidationError(_("This workshop is for the program's participants."))
    return events.register(event=workshop, person=person, kind=EVENTS)


@transaction.atomic
def workshop_unregister(*, workshop: Workshop, person) -> WorkshopRegistration:
    """Give up a place (the first person waiting gets it) or leave the waiting list."""
    return events.unregister(event=workshop, person=person, kind=EVENTS)
