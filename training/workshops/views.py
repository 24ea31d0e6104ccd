"""Workshops: HR lists, edits, cancels and takes attendance; participants register."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import hr_required
from core.forms import add_service_errors
from programs.access import get_program_for_hr, manage_context
from programs.events import selectors as event_selectors
from programs.models import Program
from programs.sessions.forms import AttendanceForm

from ..access import get_workshop_for_hr, get_workshop_for_participant
from ..models import Workshop
from . import selectors, services
from .forms import WorkshopForm

TAB = "training"
Status = selectors.Status


def _context(program: Program, section: str, **extra) -> dict:
    return manage_context(program, TAB, training_section=section, **extra)


# --- HR, per program ---------------------------------------------------------------


@hr_required
def workshop_list(request, slug):
    program = get_program_for_hr(slug)
    page = Paginator(
        selectors.workshops_with_counts(program.workshops.select_related("module")).order_by(
            "-starts_at", "pk"
        ),
        20,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "training/workshops/list.html",
        _context(program, "workshops", page=page, now=timezone.now()),
    )


def _workshop_form(request, program: Program, workshop: Workshop):
    creating = workshop.pk is None
    sequence = workshop.ics_sequence
    form = WorkshopForm(request.POST or None, instance=workshop, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_save(workshop=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                event_selectors.saved_message(
                    event=workshop,
                    creating=creating,
                    sequence_before=sequence,
                    added=_("Workshop added."),
                ),
            )
            return redirect("training:workshops", slug=program.slug)
    return render(
        request,
        "training/workshops/form.html",
        {"form": form, "program": program, "workshop": workshop, "creating": creating},
    )


@hr_required
def workshop_new(request, slug):
    program = get_program_for_hr(slug)
    return _workshop_form(request, program, Workshop(program=program))


@hr_required
def workshop_edit(request, slug, code):
    program = get_program_for_hr(slug)
    return _workshop_form(request, program, get_workshop_for_hr(program, code))


@hr_required
def workshop_cancel(request, slug, code):
    program = get_program_for_hr(slug)
    workshop = get_workshop_for_hr(program, code)
    problems: list[str] = []
    if workshop.cancelled_at:
        problems = [_("This workshop is already cancelled.")]
    elif workshop.starts_at <= timezone.now():
        problems = [_("A workshop that has already started cannot be cancelled.")]
    if request.method == "POST" and not problems:
        try:
            told = services.workshop_cancel(workshop=workshop, by=request.user)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request,
                ngettext(
                    "Workshop cancelled. %(count)d person was told.",
                    "Workshop cancelled. %(count)d people were told.",
                    told,
                )
                % {"count": told},
            )
            return redirect("training:workshops", slug=program.slug)
    counts = selectors.workshops_with_counts(Workshop.objects.filter(pk=workshop.pk)).get()
    return render(
        request,
        "training/workshops/cancel_confirm.html",
        {
            "program": program,
            "workshop": workshop,
            "told": counts.registered_count + counts.waitlisted_count,
            "problems": problems,
        },
    )


@hr_required
def workshop_attendance(request, slug, code):
    program = get_program_for_hr(slug)
    workshop = get_workshop_for_hr(program, code)
    registrations = (
        workshop.registrations.filter(status=Status.REGISTERED)
        .select_related("person")
        .order_by("person__first_name", "person__last_name", "pk")
    )
    form = AttendanceForm(request.POST or None, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        try:
            came = services.workshop_attendance_save(
                workshop=workshop,
                attended_ids=[r.person_id for r in form.cleaned_data["attended"]],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved: %(count)d person attended.",
                    "Attendance saved: %(count)d people attended.",
                    came,
                )
                % {"count": came},
            )
            return redirect("training:workshops", slug=program.slug)
    return render(
        request,
        "training/workshops/attendance.html",
        _context(
            program,
            "workshops",
            workshop=workshop,
            form=form,
            started=workshop.starts_at <= timezone.now(),
        ),
    )


# --- participants ------------------------------------------------------------------


def _back_to_workshops():
    return redirect(reverse("training:my_training") + "#workshops")


@require_POST
def workshop_register(request, code):
    workshop = get_workshop_for_participant(request.user, code)
    try:
        registration = services.workshop_register(workshop=workshop, person=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == Status.REGISTERED:
            messages.success(
                request,
                _("You are registered for “%(title)s”. The calendar invitation is in your email.")
                % {"title": workshop.title},
            )
        else:
            messages.info(
                request,
                _(
                    "“%(title)s” is full, so you are on the waiting list. We will email you "
                    "if a place frees up."
                )
                % {"title": workshop.title},
            )
    return _back_to_workshops()


@require_POST
def workshop_unregister(request, code):
    workshop = get_workshop_for_participant(request.user, code)
    try:
        services.workshop_unregister(workshop=workshop, person=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("You are no longer registered for “%(title)s”.") % {"title": workshop.title},
        )
    return _back_to_workshops()


def workshop_ics(request, code):
    workshop = get_workshop_for_participant(request.user, code)
    response = HttpResponse(
        selectors.workshop_ics(workshop, method="PUBLISH"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{slugify(workshop.title) or 'workshop'}.ics"
    )
    return response
