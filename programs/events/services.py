"""Events people register for: places, a first-come waiting list, invites and attendance.

Information sessions (`programs.sessions`) and training workshops (`training.workshops`)
follow the same rules. Each describes what is its own in an `EventKind`: its registration
model, the page where people register, who may register, its messages and its emails.
An event is a `programs.models.Event`; its registrations are `EventRegistration`s.

Each write is atomic on its own: the kinds' services and the events' views call it as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.services import notify

from ..models import Event, EventRegistration, Program
from .selectors import Status, event_ics, registered_count, waitlist

# What changes the calendar entry: editing one of these sends registered people an update.
SCHEDULE_FIELDS = ("starts_at", "duration_minutes", "place", "video_url")

Message = str | Promise


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


@dataclass(frozen=True, eq=False)
class Notice:
    """One email about a registration: its notification kind, and the calendar entry sent
    with it, if any ("REQUEST" adds or updates it, "CANCEL" removes it)."""

    kind: str
    invite: str = ""
    context: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class EventKind:
    """What one kind of event does its own way; the rules themselves are the same."""

    registration_model: type[EventRegistration]
    name: str  # e.g. "workshop": the event's name in templates (besides `event`), file names
    ics_prefix: str  # the calendar UID's first part: it must never change
    page: Callable[[Event], str]  # path of the page where people register for the event
    anchor: str  # the events' section on that page
    programs_open: tuple[str, ...]  # statuses of the programs whose events are reminded
    messages: Messages
    registered: Notice
    waitlisted: Notice  # also given `position=`
    promoted: Notice
    updated: Notice  # also given `previous=`, the event as it was
    cancelled: Notice
    reminder: str  # notification kind of the day-before reminder
    may_register: Callable[[Event, object], None]  # raises ValidationError for who may not
    check: Callable[[Event], None] | None = None  # the kind's own rules when HR saves

    @property
    def event_field(self) -> str:
        """The registration's foreign key to its event."""
        return self.registration_model.event_field

    @property
    def event_model(self) -> type[Event]:
        """The kind's event model (a subclass of `Event`)."""
        return self.registration_model._meta.get_field(self.event_field).related_model

    def url(self, event: Event) -> str:
        return f"{self.page(event)}#{self.anchor}"


def tell(
    registration,
    *,
    event: Event,
    kind: EventKind,
    notification: str,
    occasion: str,
    invite: str = "",
    context: Mapping[str, object] | None = None,
) -> Notification | None:
    """One email about a registration to `event`, with its calendar entry when `invite`."""
    ics = event_ics(event, kind=kind, attendee=registration.person, method=invite) if invite else ""
    return notify(
        kind=notification,
        recipient=registration.person,
        target=event,
        occasion=occasion,
        context={
            "event": event,  # for the details every kind's emails share
            "program": event.program,
            "registration": registration,
            "time_zone": settings.TIME_ZONE,
            kind.name: event,
            **(context or {}),
        },
        url=kind.url(event),
        attachments=[("invite.ics", ics, "text/calendar")] if ics else None,
    )


def _send(
    notice: Notice, registration, *, event: Event, kind: EventKind, occasion: str, **context
) -> None:
    setattr(registration, kind.event_field, event)
    tell(
        registration,
        event=event,
        kind=kind,
        notification=notice.kind,
        occasion=occasion,
        invite=notice.invite,
        context={**notice.context, **context},
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
        _send(kind.promoted, registration, event=event, kind=kind, occasion=stamp(registration))
    return promoted


def check_open(event, *, kind: EventKind, now: datetime) -> None:
    if event.cancelled_at:
        raise _refuse(kind.messages.cancelled)
    if event.starts_at <= now:
        raise _refuse(kind.messages.started)


def _told(event, statuses: Iterable[str]):
    yield from event.registrations.filter(status__in=statuses).select_related("person")


# --- HR ----------------------------------------------------------------------------


@transaction.atomic
def event_save(*, event, kind: EventKind):
    """Create or edit an event from HR's form.

    `kind.check` adds the kind's own rules. Moving it (time, length, place or link) bumps the
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
    if kind.check is not None:
        kind.check(event)
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
        for registration in _told(event, [Status.REGISTERED]):
            occasion = f"sequence-{event.ics_sequence}"
            _send(
                kind.updated,
                registration,
                event=event,
                kind=kind,
                occasion=occasion,
                previous=before,
            )
    if before is not None and event.capacity > before.capacity and event.starts_at > now:
        promote_waitlisted(event, kind=kind)
    return event


@transaction.atomic
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
    for registration in _told(event, [Status.REGISTERED, Status.WAITLISTED]):
        _send(kind.cancelled, registration, event=event, kind=kind, occasion="cancelled")
        count += 1
    return count


@transaction.atomic
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


@transaction.atomic
def register(*, event, person, kind: EventKind):
    """Take a place, or a spot on the waiting list when the event is full.

    `kind.may_register` says who may. Registering again after leaving reuses the row;
    registering twice returns the live registration.
    """
    kind.may_register(event, person)
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
    if status == Status.REGISTERED:
        _send(kind.registered, registration, event=event, kind=kind, occasion=stamp(registration))
    else:
        position = waitlist(event).filter(updated_at__lte=registration.updated_at).count()
        _send(
            kind.waitlisted,
            registration,
            event=event,
            kind=kind,
            occasion=stamp(registration),
            position=position,
        )
    return registration


@transaction.atomic
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
