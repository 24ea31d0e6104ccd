"""The closing pages: both members review and close the partnership, or ask HR for more time."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.forms import add_service_errors

from ..access import READERS, get_pair
from ..forms import ConfirmForm
from ..models import ClosingReview, Goal, GoalRating
from . import selectors, services
from .forms import ClosingForm, ExtensionForm


def closing(request, code):
    mentorship, role = get_pair(request.user, code, READERS)
    goals = list(Goal.objects.open().filter(mentorship=mentorship))
    reviews = list(
        ClosingReview.objects.filter(mentorship=mentorship)
        .select_related("author")
        .prefetch_related("ratings__goal")
    )
    mine = next((r for r in reviews if r.role == role), None)
    available = selectors.closing_available(mentorship)
    form = None
    if role in ("mentor", "mentee") and available:
        initial = {"reflection": mine.reflection} if mine else {}
        if mine:
            for rating in mine.ratings.all():
                initial[f"goal_{rating.goal_id}"] = rating.rating
        form = ClosingForm(request.POST or None, goals=goals, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.closing_review_submit(
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
        "goals/closing/closing.html",
        {
            "mentorship": mentorship,
            "role": role,
            "form": form,
            "reviews": reviews,
            "available": available,
            "problems": selectors.closing_problems(mentorship),
            "ratings": GoalRating.Rating,
            "opens_days": selectors.CLOSING_OPENS_DAYS,
            "pending_extension": selectors.pending_extension(mentorship),
        },
    )


def close(request, code):
    mentorship, _role = get_pair(request.user, code)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentorship_close(mentorship=mentorship, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The partnership is complete. Thank you both!"))
            return redirect("matching:mentorship", code=mentorship.code)
    return render(
        request,
        "goals/closing/close_confirm.html",
        {
            "mentorship": mentorship,
            "form": form,
            "problems": selectors.closing_problems(mentorship),
        },
    )


def extension_request(request, code):
    mentorship, _role = get_pair(request.user, code)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_request(
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
    return render(
        request, "goals/closing/extension_form.html", {"form": form, "mentorship": mentorship}
    )
