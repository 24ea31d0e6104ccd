"""Required training: each participant's checklist; HR, per program, what each role must do
and who is behind (on screen and as CSV).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from core.access import hr_required
from core.csvsafe import csv_download
from core.forms import add_service_errors
from programs.access import get_program_for_hr, manage_context
from programs.models import Program, Role

from ..access import get_requirement_for_hr
from ..exporting import write_progress_csv
from ..models import Module
from ..workshops.selectors import upcoming_workshops_for
from . import selectors, services
from .forms import ProgressFilterForm, RequirementDueForm, RequirementForm

TAB = "training"


def _context(program: Program, section: str, **extra) -> dict:
    return manage_context(program, TAB, training_section=section, **extra)


def my_training(request):
    checklists = selectors.checklists_for(request.user)
    return render(
        request,
        "training/requirements/my_training.html",
        {
            "checklists": checklists,
            "optional": selectors.optional_modules_for(request.user, checklists),
            "workshops": upcoming_workshops_for(request.user),
        },
    )


# --- HR, per program ---------------------------------------------------------------


@hr_required
def program_requirements(request, slug):
    program = get_program_for_hr(slug)
    closed = program.status == Program.Status.CLOSED
    form = RequirementForm(
        request.POST or None,
        program=program,
        modules=selectors.requirement_module_choices(program),
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
    progress = selectors.program_progress(program)
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
        "training/requirements/program_requirements.html",
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
        "training/requirements/requirement_form.html",
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
        "training/requirements/requirement_remove.html",
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
    everyone = selectors.program_progress(program)
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
        "training/requirements/program_progress.html",
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
    data = selectors.program_progress(program, role=role, behind_only=behind)
    audit_record(
        actor=request.user,
        action=Action.TRAINING_PROGRESS_EXPORTED,
        target=program,
        request=request,
    )
    response = csv_download(f"training-{program.slug}")
    write_progress_csv(response, data)
    return response
