"""Live training workshops: the information-session mechanism applied to a program's participants.

Same rules as `programs.sessions` (places, a first-come waiting list, calendar invites that
update in place, attendance), the same calendar builder and the same registration states;
only who may register differs: the program's mentors and/or mentees.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.services import notify
from programs.calendar import ics_build
from programs.models import Application, Program

from .models import Workshop, WorkshopRegistration
from .progress import ACTIVE_STATUSES

Status = WorkshopRegistration.Status
SCHEDULE_FIELDS = ("starts_at", "duration_minutes", "place", "video_url")


def workshop_ics_uid(workshop: Workshop) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "mentoring"
    return f"workshop-{workshop.code}@{host}"


def workshop_ics(workshop: Workshop, *, attendee=None, method: str = "REQUEST") -> str:
    page = settings.SITE_URL + reverse("training:my_training")
    return ics_build(
        uid=workshop_ics_uid(workshop),
        sequence=workshop.ics_sequence,
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        summary=f"{workshop.title} · {workshop.program.name}",
        description="\n\n".join(
            part for part in (workshop.description.strip(), workshop.video_url, page) if part
        ),
        location=workshop.place or workshop.video_url,
        url=workshop.video_url or page,
        organizer_email=settings.DEFAULT_FROM_EMAIL,
        attendee_email=attendee.email if attendee is not None else "",
        method=method,
        cancelled=workshop.cancelled_at is not None,
    )


def _notify(kind: str, registration: WorkshopRegistration, *, occasion: str, invite="", **extra):
    workshop = registration.workshop
    attachments = None
    if invite:
        ics = workshop_ics(workshop, attendee=registration.person, method=invite)
        attachments = [("invite.ics", ics, "text/calendar")]
    notify(
        kind=f"training.{kind}",
        recipient=registration.person,
        target=workshop,
        occasion=occasion,
        context={
            # `session` lets the emails reuse the information sessions' details block.
            "session": workshop,
            "workshop": workshop,
            "program": workshop.program,
            "registration": registration,
            "time_zone": settings.TIME_ZONE,
            **extra,
        },
        url=reverse("training:my_training") + "#workshops",
        attachments=attachments,
    )


def _stamp(registration: WorkshopRegistration) -> str:
    # Registering, leaving and registering again: each time deserves its own email.
    return f"{registration.status}-{registration.updated_at:%Y%m%d%H%M%S%f}"


def _lock(workshop: Workshop) -> Workshop:
    # Everyone changing registrations of one workshop queues on its row, so counting the
    # places taken and giving the last one away happen as one step.
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    locked.program = workshop.program
    return locked


def _waitlist(workshop: Workshop) -> QuerySet[WorkshopRegistration]:
    return workshop.registrations.filter(status=Status.WAITLISTED).order_by("updated_at", "pk")


def _registered_count(workshop: Workshop) -> int:
    return workshop.registrations.filter(status=Status.REGISTERED).count()


def _promote_waitlisted(workshop: Workshop) -> list[WorkshopRegistration]:
    free = workshop.capacity - _registered_count(workshop)
    if free <= 0:
        return []
    promoted = list(_waitlist(workshop).select_related("person")[:free])
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.attended = None
        registration.save(update_fields=["status", "attended", "updated_at"])
        registration.workshop = workshop
        _notify(
            "workshop_registered",
            registration,
            occasion=_stamp(registration),
            invite="REQUEST",
            promoted=True,
        )
    return promoted


def _check_open(workshop: Workshop) -> None:
    if workshop.cancelled_at:
        raise ValidationError(_("This workshop was cancelled."))
    if workshop.starts_at <= timezone.now():
        raise ValidationError(_("This workshop has already started."))


# --- HR ----------------------------------------------------------------------------


@transaction.atomic
def workshop_save(*, workshop: Workshop, by) -> Workshop:
    """Create or edit a workshop; moving it sends the registered people an updated invite."""
    program = workshop.program
    now = timezone.now()
    before = None
    if workshop.pk is not None:
        before = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if before.cancelled_at:
            raise ValidationError(_("A cancelled workshop cannot be edited."))
        workshop.cancelled_at, workshop.ics_sequence = before.cancelled_at, before.ics_sequence
    if program.status == Program.Status.CLOSED:
        raise ValidationError(_("This program is closed: its training can no longer change."))
    if not workshop.place.strip() and not workshop.video_url:
        raise ValidationError({"place": _("Give a place, a video link or both.")})
    if workshop.module_id and workshop.module.program_id not in (None, program.pk):
        raise ValidationError({"module": _("Choose a library module or one of this program's.")})
    if (before is None or before.starts_at != workshop.starts_at) and workshop.starts_at <= now:
        raise ValidationError({"starts_at": _("Choose a date and time in the future.")})
    if timezone.localtime(workshop.ends_at).date() > program.ends_on:
        raise ValidationError(
            {
                "starts_at": _("The workshop must end before the program ends (%(date)s).")
                % {"date": date_format(program.ends_on, "DATE_FORMAT")}
            }
        )
    moved = before is not None and any(
        getattr(before, name) != getattr(workshop, name) for name in SCHEDULE_FIELDS
    )
    if moved:
        workshop.ics_sequence += 1
    workshop.save()
    if moved and workshop.starts_at > now:
        for registration in workshop.registrations.filter(status=Status.REGISTERED).select_related(
            "person"
        ):
            registration.workshop = workshop
            _notify(
                "workshop_updated",
                registration,
                occasion=f"sequence-{workshop.ics_sequence}",
                invite="REQUEST",
            )
    if before is not None and workshop.capacity > before.capacity and workshop.starts_at > now:
        _promote_waitlisted(workshop)
    return workshop


@transaction.atomic
def workshop_cancel(*, workshop: Workshop, by) -> int:
    """Cancel a workshop and tell everyone registered or waiting; returns how many were told."""
    workshop = _lock(workshop)
    if workshop.cancelled_at:
        raise ValidationError(_("This workshop is already cancelled."))
    if workshop.starts_at <= timezone.now():
        raise ValidationError(_("A workshop that has already started cannot be cancelled."))
    workshop.cancelled_at = timezone.now()
    workshop.ics_sequence += 1
    workshop.save(update_fields=["cancelled_at", "ics_sequence", "updated_at"])
    told = 0
    for registration in workshop.registrations.filter(
        status__in=[Status.REGISTERED, Status.WAITLISTED]
    ).select_related("person"):
        registration.workshop = workshop
        _notify("workshop_cancelled", registration, occasion="cancelled", invite="CANCEL")
        told += 1
    return told


@transaction.atomic
def workshop_attendance_save(*, workshop: Workshop, attended_ids, by) -> int:
    """Mark who came (ids of people); everyone else registered is marked absent."""
    if workshop.cancelled_at:
        raise ValidationError(_("This workshop was cancelled."))
    if workshop.starts_at > timezone.now():
        raise ValidationError(_("You can mark attendance once the workshop has started."))
    now = timezone.now()
    ids = {int(pk) for pk in attended_ids}
    registered = workshop.registrations.filter(status=Status.REGISTERED)
    came = registered.filter(person_id__in=ids).update(attended=True, updated_at=now)
    registered.exclude(person_id__in=ids).update(attended=False, updated_at=now)
    return came


def workshops_with_counts(workshops: QuerySet[Workshop]) -> QuerySet[Workshop]:
    return workshops.annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=Status.REGISTERED)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
        attended_count=Count(
            "registrations",
            filter=Q(registrations__status=Status.REGISTERED, registrations__attended=True),
        ),
    )


# --- participants ------------------------------------------------------------------


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


@transaction.atomic
def workshop_register(*, workshop: Workshop, person) -> WorkshopRegistration:
    """Take a place, or a spot on the waiting list when the workshop is full."""
    if not workshops_open_to(person).filter(pk=workshop.pk).exists():
        raise ValidationError(_("This workshop is for the program's participants."))
    workshop = _lock(workshop)
    _check_open(workshop)
    registration = WorkshopRegistration.objects.filter(workshop=workshop, person=person).first()
    if registration is not None and registration.status != Status.CANCELLED:
        return registration
    full = _registered_count(workshop) >= workshop.capacity
    status = Status.WAITLISTED if full else Status.REGISTERED
    if registration is None:
        registration = WorkshopRegistration.objects.create(
            workshop=workshop, person=person, status=status
        )
    else:
        registration.status, registration.attended = status, None
        registration.save(update_fields=["status", "attended", "updated_at"])
    registration.workshop = workshop
    if status == Status.REGISTERED:
        _notify(
            "workshop_registered", registration, occasion=_stamp(registration), invite="REQUEST"
        )
    else:
        position = _waitlist(workshop).filter(updated_at__lte=registration.updated_at).count()
        _notify(
            "workshop_waitlisted", registration, occasion=_stamp(registration), position=position
        )
    return registration


@transaction.atomic
def workshop_unregister(*, workshop: Workshop, person) -> WorkshopRegistration:
    """Give up a place (the first person waiting gets it) or leave the waiting list."""
    workshop = _lock(workshop)
    _check_open(workshop)
    registration = (
        WorkshopRegistration.objects.filter(workshop=workshop, person=person)
        .exclude(status=Status.CANCELLED)
        .first()
    )
    if registration is None:
        raise ValidationError(_("You are not registered for this workshop."))
    freed = registration.status == Status.REGISTERED
    registration.status = Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if freed:
        _promote_waitlisted(workshop)
    return registration


@dataclass(frozen=True)
class UpcomingWorkshop:
    workshop: Workshop
    places_left: int
    my_status: str | None

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def my_status_label(self) -> str:
        return Status(self.my_status).label if self.my_status else ""


def upcoming_workshops_for(person) -> list[UpcomingWorkshop]:
    """Workshops ahead for `person`, with places left and their status, in one query."""
    mine = WorkshopRegistration.objects.filter(workshop=OuterRef("pk"), person=person).exclude(
        status=Status.CANCELLED
    )
    workshops = (
        workshops_open_to(person)
        .filter(cancelled_at__isnull=True, starts_at__gt=timezone.now())
        .annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=Status.REGISTERED)
            ),
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
