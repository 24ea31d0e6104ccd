"""HR, per program: required training per role, progress (who is behind, CSV), workshops."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import hr_required
from core.forms import add_service_errors
from programs.access import get_program_for_hr, manage_context
from programs.events import selectors as event_selectors
from programs.models import Program, Role
from programs.sessions.forms import AttendanceForm

from . import services, workshops
from .access import get_requirement_for_hr, get_workshop_for_hr
from .exporting import write_progress_csv
from .forms import ProgressFilterForm, RequirementDueForm, RequirementForm, WorkshopForm
from .models import Module, Workshop
from .progress import program_progress

TAB = "training"
Status = workshops.Status


def _context(program: Program, section: str, **extra) -> dict:
    return manage_context(program, TAB, training_section=section, **extra)


@hr_required
def program_requirements(request, slug):
    program = get_program_for_hr(slug)
    closed = program.status == Program.Status.CLOSED
    form = RequirementForm(
        request.POST or None,
        program=program,
        modules=services.requirement_module_choices(program),
        language=request.LANGUAGE_CODE,
    )
    if request.method == "POST" and not closed and form.is_valid():
        try:
            requirement = services.requirement_add(
                program=program,
                role=form.cleaned_data["role"],
                module=form.cleaned_data["module"],
                due_days=form.cleaned_data["due_days"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(module)s” is now required, due %(date)s.")
                % {
                    "module": requirement.module.title,
                    "date": date_format(requirement.due_on, "DATE_FORMAT"),
                },
            )
            return redirect("training:program_requirements", slug=program.slug)
    progress = program_progress(program)
    done = progress.done_per_requirement()
    people = {row["role"]: row["people"] for row in progress.summary()}
    roles = []
    for role, label in ((Role.MENTEE, _("Mentees")), (Role.MENTOR, _("Mentors"))):
        roles.append(
            {
                "role": role,
                "label": label,
                "people": people[role],
                "requirements": [
                    {"requirement": r, "done": done.get(r.pk, 0)}
                    for r in progress.requirements
                    if r.role == role
                ],
            }
        )
    own_modules = Module.objects.current().filter(program=program).order_by("title", "language")
    return render(
        request,
        "training/program_requirements.html",
        _context(
            program,
            "requirements",
            roles=roles,
            form=form,
            closed=closed,
            own_modules=own_modules,
        ),
    )


@hr_required
def requirement_edit(request, slug, code):
    program = get_program_for_hr(slug)
    requirement = get_requirement_for_hr(program, code)
    form = RequirementDueForm(request.POST or None, instance=requirement)
    if request.method == "POST" and form.is_valid():
        try:
            services.requirement_update(
                requirement=requirement, due_days=form.cleaned_data["due_days"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("training:program_requirements", slug=program.slug)
    return render(
        request,
        "training/requirement_form.html",
        {"program": program, "requirement": requirement, "form": form},
    )


@hr_required
def requirement_remove(request, slug, code):
    program = get_program_for_hr(slug)
    requirement = get_requirement_for_hr(program, code)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.requirement_remove(requirement=requirement, by=request.user)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request,
                _("“%(module)s” is no longer required.") % {"module": requirement.module.title},
            )
            return redirect("training:program_requirements", slug=program.slug)
    return render(
        request,
        "training/requirement_remove.html",
        {"program": program, "requirement": requirement, "problems": problems},
    )


def _progress_filters(request) -> tuple[ProgressFilterForm, str, bool]:
    form = ProgressFilterForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["role"], form.cleaned_data["behind"]
    return form, "", False


@hr_required
def progress(request, slug):
    program = get_program_for_hr(slug)
    form, role, behind = _progress_filters(request)
    everyone = program_progress(program)
    rows = [
        row
        for row in everyone.rows
        if (not role or row.role == role) and (not behind or row.behind)
    ]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/program_progress.html",
        _context(
            program,
            "progress",
            form=form,
            page=page,
            summary=everyone.summary(),
            requirements=everyone.requirements,
            query=query.urlencode(),
            filtered=bool(role or behind),
        ),
    )


@hr_required
def progress_export(request, slug):
    program = get_program_for_hr(slug)
    _form, role, behind = _progress_filters(request)
    data = program_progress(program, role=role, behind_only=behind)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="training-{program.slug}-{stamp}.csv"'
    response.write("\ufeff")  # the byte-order mark makes Excel read the accents as UTF-8
    write_progress_csv(response, data)
    return response


# --- workshops ---------------------------------------------------------------------


@hr_required
def workshop_list(request, slug):
    program = get_program_for_hr(slug)
    page = Paginator(
        workshops.workshops_with_counts(program.workshops.select_related("module")).order_by(
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
            workshop = workshops.workshop_save(workshop=form.save(commit=False), by=request.user)
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
            told = workshops.workshop_cancel(workshop=workshop, by=request.user)
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
    counts = workshops.workshops_with_counts(Workshop.objects.filter(pk=workshop.pk)).get()
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
            came = workshops.workshop_attendance_save(
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


urlpatterns = [
    path("programs/<slug:slug>/", program_requirements, name="program_requirements"),
    path(
        "programs/<slug:slug>/requirements/<uuid:code>/",
        requirement_edit,
        name="requirement_edit",
    ),
    path(
        "programs/<slug:slug>/requirements/<uuid:code>/remove/",
        requirement_remove,
        name="requirement_remove",
    ),
    path("programs/<slug:slug>/progress/", progress, name="program_progress"),
    path("programs/<slug:slug>/progress.csv", progress_export, name="program_progress_csv"),
    path("programs/<slug:slug>/workshops/", workshop_list, name="workshops"),
    path("programs/<slug:slug>/workshops/new/", workshop_new, name="workshop_new"),
    path("programs/<slug:slug>/workshops/<uuid:code>/", workshop_edit, name="workshop_edit"),
    path(
        "programs/<slug:slug>/workshops/<uuid:code>/cancel/",
        workshop_cancel,
        name="workshop_cancel",
    ),
    path(
        "programs/<slug:slug>/workshops/<uuid:code>/attendance/",
        workshop_attendance,
        name="workshop_attendance",
    ),
]
