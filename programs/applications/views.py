"""Applications: employees apply and follow them, managers approve, HR reviews."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import hr_required
from core.forms import add_service_errors

from ..access import get_program_for_employee, get_program_for_hr, manage_context
from ..definition.selectors import eligibility_problems
from ..models import Application, Role
from ..outreach.selectors import outreach_for_applications
from . import selectors, services
from .forms import ManagerDecisionForm, ReviewForm, application_form_class

PAGE_SIZE = 25
RECENTLY_DECIDED = 20


def _attach_outreach(applications) -> None:
    """Give each application `sources`: what brought the applicant in, for the templates."""
    applications = list(applications)
    found = outreach_for_applications(applications)
    for application in applications:
        application.sources = [
            {"kind": item._meta.model_name, "item": item} for item in found.get(application.pk, [])
        ]


# --- employees ---------------------------------------------------------------------


def apply(request, slug, role):
    program = get_program_for_employee(slug)
    if role not in Role.values:
        raise Http404
    existing = selectors.active_application(program, request.user)
    if existing is not None:
        messages.info(request, _("You have already applied to this program."))
        return redirect("programs:my_applications")
    problems = [] if program.is_recruiting() else [_("Applications to this program are closed.")]
    problems += eligibility_problems(program, request.user)
    form_class = application_form_class(program, role)
    form = form_class(request.POST or None)
    if request.method == "POST" and not problems and form.is_valid():
        try:
            services.application_submit(
                program=program,
                person=request.user,
                role=role,
                answers=form.answers,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Application sent. We have emailed you a confirmation; HR will be in touch."),
            )
            return redirect("programs:my_applications")
    return render(
        request,
        "programs/applications/apply.html",
        {
            "program": program,
            "role_label": Role(role).label,
            "form": form if not problems else None,
            "problems": problems,
            "editing": False,
        },
    )


def _my_application(request, code) -> Application:
    return get_object_or_404(
        Application.objects.select_related("program"), code=code, person=request.user
    )


def application_edit(request, code):
    application = _my_application(request, code)
    if not services.application_can_edit(application):
        messages.warning(request, _("This application can no longer be changed."))
        return redirect("programs:my_applications")
    program = application.program
    form = application_form_class(program, application.role)(
        request.POST or None, application=application
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(
                application=application,
                person=request.user,
                answers=form.answers,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your application has been updated."))
            return redirect("programs:my_applications")
    return render(
        request,
        "programs/applications/apply.html",
        {
            "program": program,
            "application": application,
            "role_label": application.get_role_display(),
            "form": form,
            "problems": [],
            "editing": True,
        },
    )


def application_withdraw(request, code):
    application = _my_application(request, code)
    if not services.application_can_withdraw(application):
        messages.warning(request, _("This application can no longer be withdrawn."))
        return redirect("programs:my_applications")
    if request.method == "POST":
        try:
            services.application_withdraw(application=application, person=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("You have withdrawn your application to “%(program)s”.")
                % {"program": application.program},
            )
        return redirect("programs:my_applications")
    return render(
        request, "programs/applications/withdraw_confirm.html", {"application": application}
    )


def my_applications(request):
    applications = (
        Application.objects.filter(person=request.user)
        .select_related("program", "manager_decided_by")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    for application in page.object_list:
        application.can_edit = services.application_can_edit(application)
        application.can_withdraw = services.application_can_withdraw(application)
    return render(request, "programs/applications/my_applications.html", {"page": page})


# --- managers ----------------------------------------------------------------------


def participation_queue(request):
    mine = Application.objects.filter(person__manager=request.user).select_related(
        "person", "program"
    )
    waiting = mine.filter(
        manager_decision=Application.ManagerDecision.PENDING,
        status__in=services.OPEN_STATUSES,
    ).order_by("created_at", "pk")
    decided = mine.filter(
        manager_decision__in=[
            Application.ManagerDecision.APPROVED,
            Application.ManagerDecision.DECLINED,
        ]
    ).order_by("-manager_decided_at", "-pk")[:RECENTLY_DECIDED]
    return render(
        request,
        "programs/applications/participation_queue.html",
        {"waiting": list(waiting), "decided": list(decided)},
    )


def participation_decide(request, code):
    # Only applications of the user's own direct reports that asked for a decision exist here.
    application = get_object_or_404(
        Application.objects.select_related("person", "program", "manager_decided_by").exclude(
            manager_decision=Application.ManagerDecision.NOT_NEEDED
        ),
        code=code,
        person__manager=request.user,
    )
    pending = (
        application.manager_decision == Application.ManagerDecision.PENDING
        and application.status in services.OPEN_STATUSES
    )
    form = ManagerDecisionForm(request.POST or None) if pending else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.participation_decide(
                application=application,
                approve=form.approve,
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.approve:
                message = _("You approved %(person)s's participation in “%(program)s”.")
            else:
                message = _("You declined %(person)s's participation in “%(program)s”.")
            messages.success(
                request, message % {"person": application.person, "program": application.program}
            )
            return redirect("programs:participation_queue")
    return render(
        request,
        "programs/applications/participation_decide.html",
        {"application": application, "form": form},
    )


# --- HR ----------------------------------------------------------------------------


def _filters(request) -> dict[str, str]:
    status = request.GET.get("status", "")
    role = request.GET.get("role", "")
    return {
        "status": status if status in Application.Status.values else "",
        "role": role if role in Role.values else "",
        "q": " ".join(request.GET.get("q", "").split())[:100],
    }


@hr_required
def applications(request, slug):
    program = get_program_for_hr(slug)
    filters = _filters(request)
    found = program.applications.select_related("person__department")
    # Withdrawn applications only when asked for: the queue is about who is still in.
    found = found.filter(status=filters["status"]) if filters["status"] else found.active()
    if filters["role"]:
        found = found.filter(role=filters["role"])
    for word in filters["q"].split():
        found = found.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__email__icontains=word)
        )
    page = Paginator(found.order_by("created_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _attach_outreach(page.object_list)
    counts = dict(
        program.applications.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    query = urlencode({key: value for key, value in filters.items() if value})
    return render(
        request,
        "programs/applications/manage_list.html",
        manage_context(
            program,
            "applications",
            page=page,
            filters=filters,
            query=query,
            statuses=[
                (value, label, counts.get(value, 0)) for value, label in Application.Status.choices
            ],
            active_count=sum(n for s, n in counts.items() if s != Application.Status.WITHDRAWN),
            roles=Role.choices,
            open_statuses=services.OPEN_STATUSES,
        ),
    )


def _valid_codes(values: list[str]) -> list[uuid.UUID]:
    codes = []
    for value in values:
        try:
            codes.append(uuid.UUID(value))
        except ValueError:
            continue
    return codes


@hr_required
@require_POST
def applications_bulk_approve(request, slug):
    program = get_program_for_hr(slug)
    chosen = program.applications.filter(
        code__in=_valid_codes(request.POST.getlist("applications"))
    ).select_related("person")
    back = reverse("programs:applications", args=[program.slug])
    query = urlencode(
        {
            key: request.POST.get(key, "")
            for key in ("status", "role", "q")
            if request.POST.get(key, "")
        }
    )
    if query:
        back = f"{back}?{query}"
    chosen = list(chosen.order_by("created_at", "pk"))
    if not chosen:
        messages.warning(request, _("Select the applications to approve first."))
        return redirect(back)
    approved, skipped = services.applications_bulk_approve(applications=chosen, by=request.user)
    if approved:
        messages.success(
            request,
            ngettext(
                "%(count)d application approved; the applicant has been told.",
                "%(count)d applications approved; the applicants have been told.",
                len(approved),
            )
            % {"count": len(approved)},
        )
    for application, reason in skipped:
        messages.warning(
            request,
            _("Not approved: %(person)s. %(reason)s")
            % {"person": application.person, "reason": reason},
        )
    return redirect(back)


@hr_required
def application_review(request, slug, code):
    program = get_program_for_hr(slug)
    application = get_object_or_404(
        program.applications.select_related(
            "person__department", "person__manager", "reviewed_by", "manager_decided_by"
        ),
        code=code,
    )
    open_for_review = application.status in services.OPEN_STATUSES
    form = ReviewForm(request.POST or None, application=application) if open_for_review else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.application_review(
                application=application,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s's application is now %(status)s; they have been told.")
                % {
                    "person": application.person,
                    "status": Application.Status(form.cleaned_data["decision"]).label,
                },
            )
            return redirect("programs:applications", slug=program.slug)
    _attach_outreach([application])
    questions = selectors.role_questions(program, application.role)
    return render(
        request,
        "programs/applications/review.html",
        manage_context(
            program,
            "applications",
            application=application,
            answers=selectors.answers_readable(questions=questions, answers=application.answers),
            form=form,
            approve_problems=services.review_problems(application, Application.Status.APPROVED)
            if open_for_review
            else [],
        ),
    )
