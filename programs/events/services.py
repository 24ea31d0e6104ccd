"""Events people register for: places, a first-come waiting list, invites and attendance.

Information sessions (`programs.sessions`) and training workshops (`training.workshops`)
follow the same rules. Each describes what differs in an `EventKind`: its registration
model and the name of the registration's link to the event, its messages and its emails.
An event has `program`, `registrations`, `capacity`, `starts_at`, `ends_at`, `cancelled_at`,
`ics_sequence`, `place`, `video_url`, `code`, `title` and `description`; a registration has
`person`, `status`, `attended` and `updated_at`.

Each write joins the transaction of the kind's own service that calls it (no savepoint),
and opens one when called alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.services import notify

from ..models import Program
from .selectors import Status, registered_count, waitlist

# What changes the calendar entry: editing one of these sends registered people an update.
SCHEDULE_FIELDS = ("starts_at", "duration_minutes", "place", "video_url")

Message = str | Promise
# Sends one email about a registration: called with the registration and `occasion=`
# (plus `position=` for the waiting list), so each change is told once.
Notice = Callable[..., None]


@dataclass(frozen=True)
class Messages:
    """What people are told, in the words of one kind of event (lazy translations)."""

    cancelled: Message
    started: Message
    not_registered: Message
    attendance_too_early: Message
    already_cancelled: Message
    cancel_started: Message
    edit_cancelled: Message
    program_closed: Message
    ends_after_program: Message  # with %(date)s


@dataclass(frozen=True)
class EventKind:
    registration_model: type[models.Model]
    event_field: str  # the registration's foreign key to its event
    messages: Messages
    registered: Notice
    waitlisted: Notice
    promoted: Notice
    updated: Notice  # also given `previous=`, the event as it was
    cancelled: Notice


def tell(
    registration, *, event, kind: str, url: str, occasion: str, ics: str = "", context: dict
) -> Notification | None:
    """One email about a registration to `event`, with the calendar invite `ics` if any."""
    return notify(
        kind=kind,
        recipient=registration.person,
        target=event,
        occasion=occasion,
        context={
            # `session` lets every kind of event's emails share the sessions' details block.
            "session": event,
            "program": event.program,
            "registration": registration,
            "time_zone": settings.TIME_ZONE,
            **context,
        },
        url=url,
        attachments=[("invite.ics", ics, "text/calendar")] if ics else None,
    )


def _refuse(message: Message) -> ValidationError:
    return ValidationError(str(message))


def stamp(registration) -> str:
    # A person may register, leave and register again: each time deserves its own email.
    return f"{registration.status}-{registration.updated_at:%Y%m%d%H%M%S%f}"


def lock(event):
    # Everyone changing registrations of one event queues on its row, so counting
    # the places taken and giving the last one away happen as one step.
    locked = type(event).objects.select_for_update().get(pk=event.pk)
    locked.program = event.program
    return locked


@transaction.atomic(savepoint=False)
def promote_waitlisted(event, *, kind: EventKind) -> list:
    """Give free places to the waiting list, first come first served; each one gets the invite."""
    free = event.capacity - registered_count(event)
    if free <= 0:
        return []
    promoted = list(waitlist(event).select_related("person")[:free])
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.attended = None
        registration.save(update_fields=["status", "attended", "updated_at"])
        setattr(registration, kind.event_field, event)
        kind.promoted(registration, occasion=stamp(registration))
    return promoted


def check_open(event, *, kind: EventKind, now: datetime) -> None:
    if event.cancelled_at:
        raise _refuse(kind.messages.cancelled)
    if event.starts_at <= now:
        raise _refuse(kind.messages.started)


def _told(event, statuses: Iterable[str], *, kind: EventKind):
    for registration in event.registrations.filter(status__in=statuses).select_related("person"):
        setattr(registration, kind.event_field, event)
        yield registration


# --- HR ----------------------------------------------------------------------------


@transaction.atomic(savepoint=False)
def event_save(*, event, kind: EventKind, check: Callable[[], None] | None = None):
    """Create or edit an event from HR's form.

    `check` adds the kind's own rules. Moving it (time, length, place or link) bumps the
    calendar sequence and sends the registered people an updated invite (`kind.updated`).
    Lowering the capacity moves nobody out; raising it gives the new places to the waiting list.
    """
    program = event.program
    messages = kind.messages
    now = timezone.now()
    before = None
    if event.pk is not None:
        before = type(event).objects.select_for_update().get(pk=event.pk)
        if before.cancelled_at:
            raise _refuse(messages.edit_cancelled)
        event.cancelled_at = before.cancelled_at
        event.ics_sequence = before.ics_sequence
    if program.status == Program.Status.CLOSED:
        raise _refuse(messages.program_closed)
    if not event.place.strip() and not event.video_url:
        raise ValidationError({"place": _("Give a place, a video link or both.")})
    if check is not None:
        check()
    if (before is None or before.starts_at != event.starts_at) and event.starts_at <= now:
        raise ValidationError({"starts_at": _("Choose a date and time in the future.")})
    if timezone.localtime(event.ends_at).date() > program.ends_on:
        ends_on = date_format(program.ends_on, "DATE_FORMAT")
        raise ValidationError({"starts_at": str(messages.ends_after_program) % {"date": ends_on}})

    moved = before is not None and any(
        getattr(before, field) != getattr(event, field) for field in SCHEDULE_FIELDS
    )
    if moved:
        event.ics_sequence += 1
    event.save()
    if moved and event.starts_at > now:
        for registration in _told(event, [Status.REGISTERED], kind=kind):
            kind.updated(registration, occasion=f"sequence-{event.ics_sequence}", previous=before)
    if before is not None and event.capacity > before.capacity and event.starts_at > now:
        promote_waitlisted(event, kind=kind)
    return event


@transaction.atomic(savepoint=False)
def event_cancel(*, event, kind: EventKind) -> int:
    """Cancel an event and tell everyone registered or waiting; returns how many were told."""
    event = lock(event)
    if event.cancelled_at:
        raise _refuse(kind.messages.already_cancelled)
    if event.starts_at <= timezone.now():
        raise _refuse(kind.messages.cancel_started)
    event.cancelled_at = timezone.now()
    event.ics_sequence += 1
    event.save(update_fields=["cancelled_at", "ics_sequence", "updated_at"])
    count = 0
    for registration in _told(event, [Status.REGISTERED, Status.WAITLISTED], kind=kind):
        kind.cancelled(registration, occasion="cancelled")
        count += 1
    return count


@transaction.atomic(savepoint=False)
def attendance_save(*, event, attended_ids, kind: EventKind) -> int:
    """Mark who came (ids of people); every other registered person is marked absent."""
    if event.cancelled_at:
        raise _refuse(kind.messages.cancelled)
    if event.starts_at > timezone.now():
        raise _refuse(kind.messages.attendance_too_early)
    now = timezone.now()
    ids = {int(pk) for pk in attended_ids}
    registered = event.registrations.filter(status=Status.REGISTERED)
    came = registered.filter(person_id__in=ids).update(attended=True, updated_at=now)
    registered.exclude(person_id__in=ids).update(attended=False, updated_at=now)
    return came


# --- people ------------------------------------------------------------------------


@transaction.atomic(savepoint=False)
def register(*, event, person, kind: EventKind):
    """Take a place, or a spot on the waiting list when the event is full.

    Call after the kind's own checks of who may register. Registering again after
    leaving reuses the row; registering twice returns the live registration.
    """
    event = lock(event)
    check_open(event, kind=kind, now=timezone.now())
    model = kind.registration_model
    mine = {kind.event_field: event, "person": person}
    registration = model.objects.filter(**mine).first()
    if registration is not None and registration.status != Status.CANCELLED:
        return registration
    status = Status.REGISTERED if registered_count(event) < event.capacity else Status.WAITLISTED
    if registration is None:
        registration = model.objects.create(**mine, status=status)
    else:
        registration.status = status
        registration.attended = None
        registration.save(update_fields=["status", "attended", "updated_at"])
    setattr(registration, kind.event_field, event)
    if status == Status.REGISTERED:
        kind.registered(registration, occasion=stamp(registration))
    else:
        position = waitlist(event).filter(updated_at__lte=registration.updated_at).count()
        kind.waitlisted(registration, occasion=stamp(registration), position=position)
    return registration


@transaction.atomic(savepoint=False)
def unregister(*, event, person, kind: EventKind):
    """Give up a place (the first person waiting gets it) or leave the waiting list."""
    event = lock(event)
    check_open(event, kind=kind, now=timezone.now())
    registration = (
        kind.registration_model.objects.filter(**{kind.event_field: event, "person": person})
        .exclude(status=Status.CANCELLED)
        .first()
    )
    if registration is None:
        raise _refuse(kind.messages.not_registered)
    freed = registration.status == Status.REGISTERED
    registration.status = Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if freed:
        promote_waitlisted(event, kind=kind)
    return registration
