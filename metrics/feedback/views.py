"""Program feedback: participants give it, HR triages it, everyone in the program sees the
improvements made."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import hr_required
from core.forms import add_service_errors
from programs.access import get_program_for_employee, get_program_for_hr, manage_context

from ..models import Feedback
from . import selectors, services
from .forms import FeedbackForm, TriageForm

PAGE_SIZE = 25


def feedback_new(request, slug):
    program = get_program_for_employee(slug)
    selectors.require_participant(program, request.user)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(
                program=program, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you! HR reads every suggestion."))
            return redirect("metrics:feedback_new", slug=program.slug)
    mine = program.feedback.filter(author=request.user).order_by("-created_at")[:20]
    return render(
        request,
        "metrics/feedback/new.html",
        {"program": program, "form": form, "mine": mine},
    )


def improvements(request, slug):
    program = get_program_for_employee(slug)
    if not selectors.can_read_improvements(program, request.user):
        raise Http404
    page = Paginator(selectors.improvements(program), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "metrics/feedback/improvements.html",
        {
            "program": program,
            "page": page,
            "can_give": selectors.is_participant(program, request.user),
        },
    )


@hr_required
def feedback_triage(request, slug):
    program = get_program_for_hr(slug)
    status = request.GET.get("status", "")
    found = program.feedback.select_related("author__department").order_by("-created_at")
    if status in Feedback.Status.values:
        found = found.filter(status=status)
    else:
        status = ""
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "metrics/feedback/triage.html",
        manage_context(
            program,
            "feedback",
            page=page,
            counts=selectors.feedback_counts(program),
            statuses=Feedback.Status.choices,
            current=status,
            query=f"status={status}" if status else "",
        ),
    )


@hr_required
def feedback_edit(request, slug, code):
    program = get_program_for_hr(slug)
    item = selectors.get_feedback_for_hr(program, code)
    form = TriageForm(
        request.POST or None, initial={"status": item.status, "improvement": item.improvement}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_triage(feedback=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Feedback updated."))
            return redirect("metrics:feedback_triage", slug=program.slug)
    return render(
        request,
        "metrics/feedback/edit.html",
        manage_context(program, "feedback", item=item, form=form),
    )
