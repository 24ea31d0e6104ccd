"""Reads of workshops: who may register, places left, and where participants find them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from programs.events import selectors as event_selectors
from programs.models import Application

from ..models import Workshop
from ..modules.selectors import ACTIVE_STATUSES

# The calendar UID's first part: calendars already hold entries under it.
ICS_PREFIX = "workshop"


def my_training_page(workshop: Workshop) -> str:
    """Where participants register for a workshop: their training page."""
    return reverse("training:my_training")


def workshops_open_to(person) -> QuerySet[Workshop]:
    """Workshops of the programs and roles `person` takes part in (the access rule)."""
    enrolments = list(
        Application.objects.enrolled()
        .filter(person=person, program__status__in=ACTIVE_STATUSES)
        .values_list("program_id", "role")
    )
    if not enrolments:
        return Workshop.objects.none()
    allowed = Q()
    for program_id, role in enrolments:
        allowed |= Q(program_id=program_id, audience__in=[role, "both"])
    return Workshop.objects.filter(allowed).select_related("program")


@dataclass(frozen=True)
class UpcomingWorkshop(event_selectors.Places):
    workshop: Workshop
    places_left: int
    my_status: str | None


def upcoming_workshops_for(person) -> list[UpcomingWorkshop]:
    """Workshops ahead for `person`, with places left and their status, in one query."""
    workshops = event_selectors.with_places(
        workshops_open_to(person).filter(cancelled_at__isnull=True, starts_at__gt=timezone.now()),
        person,
    ).order_by("starts_at")
    return [
        UpcomingWorkshop(
            workshop=w,
            places_left=event_selectors.places_left(w),
            my_status=w.my_status,
        )
        for w in workshops
    ]
