"""Reads of workshops: who may register, places left, and the calendar file of one workshop."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from core import calendar as event_calendar
from programs.events import selectors as event_selectors
from programs.models import Application

from ..models import Workshop, WorkshopRegistration
from ..modules.selectors import ACTIVE_STATUSES

Status = WorkshopRegistration.Status


def workshop_ics_uid(workshop: Workshop) -> str:
    return event_calendar.ics_uid("workshop", workshop)


def workshop_ics(workshop: Workshop, *, attendee=None, method: str = "REQUEST") -> str:
    page = settings.SITE_URL + reverse("training:my_training")
    return event_calendar.event_ics(
        workshop, uid=workshop_ics_uid(workshop), page_url=page, attendee=attendee, method=method
    )


def workshops_with_counts(workshops: QuerySet[Workshop]) -> QuerySet[Workshop]:
    return event_selectors.with_counts(workshops)


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
    mine = WorkshopRegistration.objects.filter(workshop=OuterRef("pk"), person=person).exclude(
        status=Status.CANCELLED
    )
    workshops = (
        workshops_open_to(person)
        .filter(cancelled_at__isnull=True, starts_at__gt=timezone.now())
        .annotate(
            registered_count=event_selectors.registered_places(),
            my_status=Subquery(mine.values("status")[:1]),
        )
        .order_by("starts_at")
    )
    return [
        UpcomingWorkshop(
            workshop=w,
            places_left=max(w.capacity - w.registered_count, 0),
            my_status=w.my_status,
        )
        for w in workshops
    ]
