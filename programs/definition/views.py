"""Programs: HR defines and steers them; employees see the open ones and join."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.access import hr_required
from core.forms import add_service_errors

from ..access import get_program_for_employee, get_program_for_hr, manage_context
from ..applications.selectors import active_application
from ..funnel.selectors import recruitment_funnel
from ..hooks import application_actions, program_page_sections
from ..models import Objective, Program, Role
from ..retention.selectors import retention_summary
from ..sessions.selectors import upcoming_sessions_for
from . import services
from .forms import CloseConfirmForm, ObjectiveForm, ProgramForm, StatusWarningsConfirmForm
from .selectors import eligibility_problems, programs_with_numbers

# --- HR ----------------------------------------------------------------------------


@hr_required
def manage_list(request):
    status = request.GET.get("status", "")
    programs = Program.objects.all()
    if status in Program.Status.values:
        programs = programs.filter(status=status)
    page = Paginator(
        programs_with_numbers(programs).order_by("-recruitment_opens", "name"), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/definition/manage_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Program.Status.choices,
            "query": f"status={status}" if status else "",
        },
    )


@hr_required
def program_create(request):
    return _program_form(request, Program())


@hr_required
def program_edit(request, slug):
    return _program_form(request, get_program_for_hr(slug))


def _program_form(request, program: Program):
    creating = program.pk is None
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_save(
                program=form.save(commit=False), areas=form.cleaned_data["areas"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if creating:
                messages.success(
                    request,
                    _(
                        "Program created with the default questionnaire. Add its objectives, "
                        "review the questions, then open recruitment."
                    ),
                )
            else:
                messages.success(request, _("Changes saved."))
            return redirect("programs:manage", slug=program.slug)
    return render(
        request,
        "programs/definition/program_form.html",
        {"form": form, "program": program, "creating": creating},
    )


@hr_required
def program_manage(request, slug):
    program = get_program_for_hr(slug)
    numbers = programs_with_numbers(Program.objects.filter(pk=program.pk)).get()
    next_steps = [
        (to, label, services.program_transition_problems(program, to))
        for to, label in Program.Status.choices
        if to in services.TRANSITIONS.get(program.status, set())
    ]
    return render(
        request,
        "programs/definition/manage.html",
        manage_context(
            program,
            "overview",
            numbers=numbers,
            objectives=program.objectives.all(),
            areas=program.areas.all(),
            next_steps=next_steps,
            funnel=recruitment_funnel(program),
            retention=retention_summary(program),
        ),
    )


@hr_required
def program_duplicate(request, slug):
    program = get_program_for_hr(slug)
    if request.method == "POST":
        copy = services.program_duplicate(program=program, by=request.user)
        messages.success(request, _("Copy created as a draft. Adjust its dates before opening it."))
        return redirect("programs:edit", slug=copy.slug)
    return render(request, "programs/definition/duplicate_confirm.html", {"program": program})


@hr_required
def program_transition(request, slug, to):
    program = get_program_for_hr(slug)
    if to not in Program.Status.values:
        raise Http404
    problems = services.program_transition_problems(program, to)
    effects = services.program_closing_effects(program) if to == Program.Status.CLOSED else []
    warnings = [] if problems else services.program_status_warnings(program, to)
    if effects:
        form = CloseConfirmForm(request.POST or None)
    elif warnings:
        form = StatusWarningsConfirmForm(request.POST or None)
    else:
        form = None
    if request.method == "POST" and not problems and (form is None or form.is_valid()):
        try:
            services.program_transition(
                program=program, to=to, by=request.user, confirmed=form is not None
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request,
                _("“%(program)s” is now %(status)s.")
                % {"program": program, "status": Program.Status(to).label},
            )
            return redirect("programs:manage", slug=program.slug)
    return render(
        request,
        "programs/definition/transition_confirm.html",
        {
            "program": program,
            "to": to,
            "to_label": Program.Status(to).label,
            "problems": problems,
            "effects": effects,
            "warnings": warnings,
            "form": form,
            "retention": retention_summary(program),
        },
    )


@hr_required
def objective_create(request, slug):
    program = get_program_for_hr(slug)
    return _objective_form(request, program, Objective(program=program))


@hr_required
def objective_edit(request, slug, pk):
    program = get_program_for_hr(slug)
    return _objective_form(request, program, get_object_or_404(program.objectives, pk=pk))


def _objective_form(request, program: Program, objective: Objective):
    form = ObjectiveForm(request.POST or None, instance=objective)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_save(objective=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Objective saved."))
            return redirect("programs:manage", slug=program.slug)
    return render(
        request,
        "programs/definition/objective_form.html",
        {"form": form, "program": program, "objective": objective},
    )


@hr_required
def objective_delete(request, slug, pk):
    program = get_program_for_hr(slug)
    objective = get_object_or_404(program.objectives, pk=pk)
    if request.method == "POST":
        services.objective_delete(objective=objective)
        messages.success(request, _("Objective deleted."))
        return redirect("programs:manage", slug=program.slug)
    return render(
        request,
        "programs/definition/objective_delete.html",
        {"program": program, "objective": objective},
    )


# --- employees ---------------------------------------------------------------------


def program_list(request):
    programs = Program.objects.visible_to_employees().exclude(status=Program.Status.CLOSED)
    page = Paginator(programs.order_by("recruitment_closes", "name"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "programs/definition/program_list.html", {"page": page})


def program_detail(request, slug):
    program = get_program_for_employee(slug)
    problems = eligibility_problems(program, request.user)
    application = active_application(program, request.user)
    context = {
        "program": program,
        "objectives": program.objectives.all(),
        "eligibility_problems": problems,
        "can_apply": program.is_recruiting() and not problems and application is None,
        "application": application,
        "application_actions": [
            action
            for hook in application_actions
            for action in (hook(program, application) if application else [])
        ],
        "roles": Role.choices,
        "is_manager": request.user.is_manager,
        "sessions": upcoming_sessions_for(program, request.user),
        "sections": [
            section
            for section in (hook(request, program) for hook in program_page_sections)
            if section
        ],
    }
    return render(request, "programs/definition/program_detail.html", context)
