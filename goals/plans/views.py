"""The action plan: goals the mentor writes and the mentee agrees to, and their steps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import AlreadySubmitted, add_service_errors, submit_once
from matching.pairs.selectors import mentee_wish

from ..access import READERS, get_goal, get_pair, get_step
from ..agreements.services import agreement_for
from ..models import ActionStep, Goal
from . import services
from .forms import GoalForm, GoalReviewForm, GoalStatusForm, StepForm, StepStatusForm
from .selectors import goals_with_steps


def _plan_context(request, mentorship, role) -> dict:
    goals = goals_with_steps(mentorship)
    open_goals = [g for g in goals if g.status != Goal.Status.DROPPED]
    progress = [g.progress for g in open_goals]
    return {
        "mentorship": mentorship,
        "program": mentorship.program,
        "role": role,
        "goals": goals,
        "agreement": agreement_for(mentorship),
        "progress": round(sum(progress) / len(progress)) if progress else 0,
        "can_edit": role in ("mentor", "mentee") and mentorship.status == mentorship.Status.ACTIVE,
        "printed_at": timezone.now(),
    }


def plan(request, code):
    mentorship, role = get_pair(request.user, code, READERS)
    return render(request, "goals/plans/plan.html", _plan_context(request, mentorship, role))


def plan_print(request, code):
    mentorship, role = get_pair(request.user, code, READERS)
    return render(request, "goals/plans/plan_print.html", _plan_context(request, mentorship, role))


def goal_create(request, code):
    mentorship, role = get_pair(request.user, code)
    if role != "mentor":
        messages.info(request, _("The mentor writes the goals; you review them."))
        return redirect("goals:plan", code=mentorship.code)
    form = GoalForm(request.POST or None, mentorship=mentorship)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_once(
                form,
                lambda: services.goal_create(
                    mentorship=mentorship,
                    by=request.user,
                    title=data["title"],
                    measure=data["measure"],
                    target_date=data["target_date"],
                    description=data["description"],
                    objectives=data["objectives"],
                    skills=data["skills"],
                ),
                then=lambda goal: reverse("goals:plan", args=[mentorship.code]),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Goal saved. %(mentee)s has been asked to review it.")
                % {"mentee": mentorship.mentee.get_full_name()},
            )
            return redirect("goals:plan", code=mentorship.code)
    return render(
        request,
        "goals/plans/goal_form.html",
        {"form": form, "mentorship": mentorship, "goal": None, "wish": mentee_wish(mentorship)},
    )


def goal_edit(request, code):
    goal, role = get_goal(request.user, code)
    mentorship = goal.mentorship
    if role != "mentor":
        messages.info(request, _("The mentor writes the goals; you review them."))
        return redirect("goals:plan", code=mentorship.code)
    form = GoalForm(request.POST or None, instance=goal, mentorship=mentorship)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The unsaved instance carries the form's values; the service compares with the row.
        goal.refresh_from_db()
        try:
            services.goal_update(
                goal=goal,
                by=request.user,
                version=data["version"] or 0,
                **{k: data[k] for k in ("title", "measure", "target_date", "description")},
                objectives=data["objectives"],
                skills=data["skills"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Goal saved."))
            return redirect("goals:plan", code=mentorship.code)
    return render(
        request,
        "goals/plans/goal_form.html",
        {"form": form, "mentorship": mentorship, "goal": goal, "wish": mentee_wish(mentorship)},
    )


def goal_review(request, code):
    goal, role = get_goal(request.user, code)
    mentorship = goal.mentorship
    if role != "mentee" or goal.review == Goal.Review.AGREED:
        return redirect("goals:plan", code=mentorship.code)
    form = GoalReviewForm(request.POST or None, initial={"version": goal.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_review(
                goal=goal,
                by=request.user,
                version=form.cleaned_data["version"],
                agree=form.agree,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.agree:
                messages.success(request, _("You agreed to the goal “%(goal)s”.") % {"goal": goal})
            else:
                messages.success(
                    request, _("Your mentor has been asked to revise “%(goal)s”.") % {"goal": goal}
                )
            return redirect("goals:plan", code=mentorship.code)
    return render(
        request,
        "goals/plans/goal_review.html",
        {
            "form": form,
            "goal": goal,
            "mentorship": mentorship,
            "objectives": goal.objectives.all(),
            "skills": goal.skills.all(),
        },
    )


@require_POST
def goal_status(request, code):
    goal, _role = get_goal(request.user, code)
    form = GoalStatusForm(request.POST)
    if form.is_valid():
        try:
            services.goal_set_status(
                goal=goal,
                by=request.user,
                version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Goal status updated."))
    else:
        messages.error(request, _("Choose one of the statuses."))
    return redirect("goals:plan", code=goal.mentorship.code)


def goal_history(request, code):
    goal, role = get_goal(request.user, code, READERS)
    changes = goal.changes.select_related("by")[:200]
    return render(
        request,
        "goals/plans/goal_history.html",
        {"goal": goal, "mentorship": goal.mentorship, "changes": changes, "role": role},
    )


def step_create(request, code):
    goal, _role = get_goal(request.user, code)
    mentorship = goal.mentorship
    form = StepForm(request.POST or None, initial={"owner": ActionStep.Owner.MENTEE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_once(
                form,
                lambda: services.step_create(
                    goal=goal,
                    by=request.user,
                    title=data["title"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                ),
                then=lambda step: reverse("goals:plan", args=[mentorship.code]),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Step added to the plan."))
            if "another" in request.POST:
                return redirect("goals:step_create", code=goal.code)
            return redirect("goals:plan", code=mentorship.code)
    return render(
        request,
        "goals/plans/step_form.html",
        {"form": form, "goal": goal, "mentorship": mentorship, "step": None},
    )


def step_edit(request, code):
    step, _role = get_step(request.user, code)
    goal = step.goal
    form = StepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        step.refresh_from_db()
        try:
            services.step_update(
                step=step,
                by=request.user,
                version=data["version"] or 0,
                **{k: data[k] for k in ("title", "owner", "due_on", "status")},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Step saved."))
            return redirect("goals:plan", code=goal.mentorship.code)
    return render(
        request,
        "goals/plans/step_form.html",
        {"form": form, "goal": goal, "mentorship": goal.mentorship, "step": step},
    )


@require_POST
def step_status(request, code):
    step, _role = get_step(request.user, code)
    form = StepStatusForm(request.POST)
    if form.is_valid():
        try:
            services.step_set_status(
                step=step,
                by=request.user,
                version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("“%(step)s” is now %(status)s.")
                % {"step": step.title, "status": step.get_status_display()},
            )
    return redirect("goals:plan", code=step.goal.mentorship.code)
