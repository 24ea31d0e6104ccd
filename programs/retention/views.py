"""HR reads when a program's personal texts go, and may delete them now once it is closed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import hr_required
from core.forms import add_service_errors

from ..access import get_program_for_hr, manage_context
from ..models import Program
from . import services
from .forms import DeleteNowForm
from .selectors import personal_data_expiries, retention_summary


@hr_required
def personal_data(request, slug):
    program = get_program_for_hr(slug)
    closed = program.status == Program.Status.CLOSED
    form = DeleteNowForm(request.POST or None) if closed else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            count = services.program_personal_data_delete(
                program=program,
                by=request.user,
                confirm_name=form.cleaned_data["confirm_name"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The personal texts of “%(program)s” were deleted (%(count)d texts).")
                % {"program": program, "count": count},
            )
            return redirect("programs:personal_data", slug=program.slug)
    expiries = personal_data_expiries(program)
    return render(
        request,
        "programs/retention/personal_data.html",
        manage_context(
            program,
            "overview",
            retention=retention_summary(program),
            expiries=expiries,
            left=sum(expiry.count for expiry in expiries),
            form=form,
        ),
    )
