"""Reads shared by every kind of event: places taken, the waiting list, counts for HR's lists,
what one person sees, the calendar entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import calendar as event_calendar

from ..models import EventRegistration

if TYPE_CHECKING:
    from .services import EventKind

# One vocabulary for every kind of event's registrations.
Status = EventRegistration.Status


class Places:
    """`is_full` and `my_status_label` for an upcoming event with `places_left`, `my_status`."""

    places_left: int
    my_status: str | None

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def my_status_label(self) -> str:
        return Status(self.my_status).label if self.my_status else ""


def with_places(events: QuerySet, person) -> QuerySet:
    """Events with how many places are taken and, for a signed-in `person`, their status
    (`my_status`), in one query."""
    events = events.annotate(registered_count=registered_places())
    if person is None or not person.is_authenticated:
        return events
    link = events.model._meta.get_field("registrations").field  # the registration's event
    mine = (
        link.model.objects.filter(**{link.name: OuterRef("pk")}, person=person)
        .exclude(status=Status.CANCELLED)
        .values("status")[:1]
    )
    return events.annotate(my_status=Subquery(mine))


def places_left(event) -> int:
    """For an event from `with_places`."""
    return max(event.capacity - event.registered_count, 0)


def waitlist(event) -> QuerySet:
    # Rows are reused on re-registration, so updated_at (not created_at) is when a
    # person joined the waiting list; nothing else updates a waitlisted row.
    return event.registrations.filter(status=Status.WAITLISTED).order_by("updated_at", "pk")


def registered_count(event) -> int:
    return event.registrations.filter(status=Status.REGISTERED).count()


def registered_places() -> Count:
    """Annotation: how many places are taken, for a queryset of events."""
    return Count("registrations", filter=Q(registrations__status=Status.REGISTERED))


def with_counts(events: QuerySet) -> QuerySet:
    """Events with how many are registered, waiting and marked present, in one query."""
    return events.annotate(
        registered_count=registered_places(),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
        attended_count=Count(
            "registrations",
            filter=Q(registrations__status=Status.REGISTERED, registrations__attended=True),
        ),
    )


def saved_message(*, event, creating: bool, sequence_before: int, added: str) -> str:
    """What HR reads after saving an event: added, saved, or saved and invitations resent."""
    if creating:
        return added
    told = 0
    if event.ics_sequence > sequence_before:
        told = event.registrations.filter(status=Status.REGISTERED).count()
    if not told:
        return _("Changes saved.")
    return ngettext(
        "Changes saved. %(count)d registered person was sent the updated invitation.",
        "Changes saved. %(count)d registered people were sent the updated invitation.",
        told,
    ) % {"count": told}


def event_ics(event, *, kind: EventKind, attendee=None, method: str = "REQUEST") -> str:
    """The event's calendar entry; REQUEST/CANCEL for one attendee, PUBLISH to download."""
    return event_calendar.event_ics(
        event,
        uid=event_calendar.ics_uid(kind.ics_prefix, event),
        page_url=settings.SITE_URL + kind.page(event),
        attendee=attendee,
        method=method,
    )
