"""HR's tab of a program: the planning settings and the extension requests to decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import hr_required
from core.forms import add_service_errors
from programs.access import get_program_for_hr, manage_context

from ..access import get_extension_for_hr
from ..agreements.services import program_settings_for, program_settings_save
from ..closing import services as closing_services
from ..closing.selectors import pending_extensions
from ..models import Extension
from .forms import ExtensionDecisionForm, ProgramSettingsForm


@hr_required
def program_settings(request, slug):
    program = get_program_for_hr(slug)
    settings = program_settings_for(program)
    form = ProgramSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        try:
            program_settings_save(settings=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("goals:program_settings", slug=program.slug)
    return render(
        request,
        "goals/program/program_settings.html",
        manage_context(
            program,
            "goals",
            form=form,
            extensions=list(pending_extensions(program)),
        ),
    )


@hr_required
def extension_decide(request, code):
    extension = get_extension_for_hr(code)
    mentorship = extension.mentorship
    if extension.status != Extension.Status.PENDING:
        messages.info(request, _("This request has already been decided."))
        return redirect("goals:program_settings", slug=mentorship.program.slug)
    form = ExtensionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closing_services.extension_decide(
                extension=extension,
                by=request.user,
                approve=form.approve,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Decision saved; the pair has been told."))
            return redirect("goals:program_settings", slug=mentorship.program.slug)
    return render(
        request,
        "goals/program/extension_decide.html",
        manage_context(mentorship.program, "goals", extension=extension, form=form),
    )
