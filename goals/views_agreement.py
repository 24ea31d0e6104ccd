"""The closing of a partnership, extensions, HR's settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from core.access import hr_required
from core.forms import add_service_errors
from programs.access import get_program_for_hr, manage_context

from . import closing as closing_services
from .access import READERS, get_extension_for_hr, get_pair
from .agreements.services import program_settings_for, program_settings_save
from .forms import (
    ClosingForm,
    ConfirmForm,
    ExtensionDecisionForm,
    ExtensionForm,
    ProgramSettingsForm,
)
from .models import ClosingReview, Extension, Goal, GoalRating

# --- closing and extensions ---------------------------------------------------------------


def closing(request, code):
    mentorship, role = get_pair(request.user, code, READERS)
    goals = list(Goal.objects.open().filter(mentorship=mentorship))
    reviews = list(
        ClosingReview.objects.filter(mentorship=mentorship)
        .select_related("author")
        .prefetch_related("ratings__goal")
    )
    mine = next((r for r in reviews if r.role == role), None)
    available = closing_services.closing_available(mentorship)
    form = None
    if role in ("mentor", "mentee") and available:
        initial = {"reflection": mine.reflection} if mine else {}
        if mine:
            for rating in mine.ratings.all():
                initial[f"goal_{rating.goal_id}"] = rating.rating
        form = ClosingForm(request.POST or None, goals=goals, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                closing_services.closing_review_submit(
                    mentorship=mentorship,
                    by=request.user,
                    ratings=form.ratings(),
                    reflection=form.cleaned_data["reflection"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your closing review is saved."))
                return redirect("goals:closing", code=mentorship.code)
    return render(
        request,
        "goals/closing.html",
        {
            "mentorship": mentorship,
            "role": role,
            "form": form,
            "reviews": reviews,
            "available": available,
            "problems": closing_services.closing_problems(mentorship),
            "ratings": GoalRating.Rating,
            "opens_days": closing_services.CLOSING_OPENS_DAYS,
            "pending_extension": mentorship.extensions.filter(
                status=Extension.Status.PENDING
            ).first(),
        },
    )


def close(request, code):
    mentorship, _role = get_pair(request.user, code)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            closing_services.mentorship_close(mentorship=mentorship, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The partnership is complete. Thank you both!"))
            return redirect("matching:mentorship", code=mentorship.code)
    return render(
        request,
        "goals/close_confirm.html",
        {
            "mentorship": mentorship,
            "form": form,
            "problems": closing_services.closing_problems(mentorship),
        },
    )


def extension_request(request, code):
    mentorship, _role = get_pair(request.user, code)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closing_services.extension_request(
                mentorship=mentorship,
                by=request.user,
                new_deadline=form.cleaned_data["new_deadline"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request has been sent to HR."))
            return redirect("goals:closing", code=mentorship.code)
    return render(request, "goals/extension_form.html", {"form": form, "mentorship": mentorship})


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
        "goals/extension_decide.html",
        manage_context(mentorship.program, "goals", extension=extension, form=form),
    )


# --- HR settings and the manager's view ---------------------------------------------------


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
        "goals/program_settings.html",
        manage_context(
            program,
            "goals",
            form=form,
            extensions=list(closing_services.pending_extensions(program)),
        ),
    )


urlpatterns = [
    path("pairs/<uuid:code>/closing/", closing, name="closing"),
    path("pairs/<uuid:code>/closing/close/", close, name="close"),
    path("pairs/<uuid:code>/extension/", extension_request, name="extension_request"),
    path("extensions/<uuid:code>/", extension_decide, name="extension_decide"),
    path("programs/<slug:slug>/settings/", program_settings, name="program_settings"),
]
