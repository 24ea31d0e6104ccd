"""Stage 3 pages: pairs, approvals, HR's pairs.

Its urlpatterns are included by matching/urls.py; the catalogue and HR's proposals are
feature packages.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, Value, When
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from core.access import hr_required
from core.forms import add_service_errors
from programs.access import get_program_for_hr, manage_context
from programs.models import Role

from . import services
from .access import (
    can_end,
    get_mentorship_for_user,
    get_mentorship_to_end,
    get_pair_for_hr,
    get_pairing_for_manager,
    get_pairing_for_mentor,
    viewer_role,
)
from .forms import HRDecisionForm, MentorshipEndForm, PairingDecisionForm, form_data
from .hooks import pair_sections
from .models import Mentorship

PAGE_SIZE = 25
RECENT = 20
ENDABLE = (Mentorship.Status.ACTIVE, Mentorship.Status.AWAITING_APPROVAL)
DECIDED = (Mentorship.Decision.APPROVED, Mentorship.Decision.DECLINED)


# --- the pair ------------------------------------------------------------------------------


def _approvals(mentorship: Mentorship) -> list[dict]:
    rows = []
    if mentorship.manager_decision != Mentorship.Decision.NOT_NEEDED:
        rows.append(
            {
                "who": _("The mentee's manager"),
                "decision": mentorship.manager_decision,
                "label": mentorship.get_manager_decision_display(),
                "at": mentorship.manager_decided_at,
                "comment": mentorship.manager_comment,
            }
        )
    if mentorship.mentor_decision != Mentorship.Decision.NOT_NEEDED:
        rows.append(
            {
                "who": _("The mentor"),
                "decision": mentorship.mentor_decision,
                "label": mentorship.get_mentor_decision_display(),
                "at": mentorship.mentor_decided_at,
                "comment": mentorship.mentor_comment,
            }
        )
    if mentorship.hr_decision != Mentorship.Decision.NOT_NEEDED:
        rows.append(
            {
                "who": _("HR"),
                "decision": mentorship.hr_decision,
                "label": mentorship.get_hr_decision_display(),
                "at": mentorship.hr_decided_at,
                "comment": "",
            }
        )
    return rows


def mentorship_detail(request, code):
    mentorship = get_mentorship_for_user(request.user, code)
    role = viewer_role(request.user, mentorship)
    sections = [
        section
        for section in (hook(request, mentorship, role) for hook in pair_sections)
        if section
    ]
    return render(
        request,
        "matching/mentorship.html",
        {
            "mentorship": mentorship,
            "program": mentorship.program,
            "viewer_role": role,
            "days_left": mentorship.days_left()
            if mentorship.status == Mentorship.Status.ACTIVE
            else None,
            "approvals": _approvals(mentorship),
            "can_end": can_end(request.user, mentorship) and mentorship.status in ENDABLE,
            "sections": sections,
        },
    )


def mentorship_end(request, code):
    mentorship = get_mentorship_to_end(request.user, code)
    if mentorship.status not in ENDABLE:
        messages.info(request, _("This partnership has already ended."))
        return redirect("matching:mentorship", code=mentorship.code)
    form = MentorshipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentorship_end_early(
                mentorship=mentorship, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The partnership has ended. The other members have been told.")
            )
            return redirect("matching:mentorship", code=mentorship.code)
    return render(
        request,
        "matching/mentorship_end.html",
        {
            "mentorship": mentorship,
            "viewer_role": viewer_role(request.user, mentorship),
            "form": form,
        },
    )


def my_pairs(request):
    user = request.user
    pairs = (
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .exclude(status=Mentorship.Status.PROPOSED)
        .select_related("program", "mentor__department", "mentee__department")
        .annotate(
            current=Case(When(status__in=Mentorship.HOLDING, then=Value(0)), default=Value(1))
        )
        .order_by("current", "-created_at", "-pk")
    )
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/my_pairs.html", {"page": page})


# --- approvals: the mentee's manager and the proposed mentor ----------------------------------


def approvals(request):
    user = request.user
    awaiting = Mentorship.objects.filter(status=Mentorship.Status.AWAITING_APPROVAL).select_related(
        "program", "mentor__department", "mentee__department"
    )
    to_approve = awaiting.filter(
        mentee__manager=user, manager_decision=Mentorship.Decision.PENDING
    ).order_by("created_at", "pk")
    to_confirm = awaiting.filter(mentor=user, mentor_decision=Mentorship.Decision.PENDING).order_by(
        "created_at", "pk"
    )
    decided = (
        Mentorship.objects.filter(
            Q(mentee__manager=user, manager_decision__in=DECIDED)
            | Q(mentor=user, mentor_decision__in=DECIDED)
        )
        .select_related("program", "mentor", "mentee")
        .order_by("-updated_at", "-pk")[:RECENT]
    )
    return render(
        request,
        "matching/approvals.html",
        {"to_approve": list(to_approve), "to_confirm": list(to_confirm), "decided": list(decided)},
    )


def _pairing_decision(request, mentorship: Mentorship, *, as_manager: bool):
    decision = mentorship.manager_decision if as_manager else mentorship.mentor_decision
    waiting = (
        mentorship.status == Mentorship.Status.AWAITING_APPROVAL
        and decision == Mentorship.Decision.PENDING
    )
    form = None
    if waiting:
        form = PairingDecisionForm(
            form_data(request),
            approve_label=_("Approve the pairing") if as_manager else _("Yes, I will mentor them"),
            decline_label=_("Decline the pairing") if as_manager else _("No, I cannot mentor them"),
        )
    if request.method == "POST" and form is not None and form.is_valid():
        decide = services.pairing_manager_decide if as_manager else services.pairing_mentor_decide
        try:
            mentorship = decide(
                mentorship=mentorship,
                approve=form.approve,
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not form.approve:
                message = _("You declined the pairing; HR has been told.")
            elif mentorship.status == Mentorship.Status.ACTIVE:
                message = _("Thank you. Every approval is in: the partnership has started.")
            else:
                message = _("Thank you. The pair starts once every approval is in.")
            messages.success(request, message)
            return redirect("matching:approvals")
    return render(
        request,
        "matching/approval_decide.html",
        {
            "mentorship": mentorship,
            "as_manager": as_manager,
            "decision": decision,
            "form": form,
            "problems": []
            if as_manager or not waiting
            else services.matching_gate_problems(mentorship.program, request.user, Role.MENTOR),
        },
    )


def approval_decide(request, code):
    mentorship = get_pairing_for_manager(request.user, code)
    return _pairing_decision(request, mentorship, as_manager=True)


def pairing_confirm(request, code):
    mentorship = get_pairing_for_mentor(request.user, code)
    return _pairing_decision(request, mentorship, as_manager=False)


# --- HR ----------------------------------------------------------------------------------


@hr_required
def hr_pairs(request, slug):
    program = get_program_for_hr(slug)
    status = request.GET.get("status", "")
    if status not in Mentorship.Status.values:
        status = ""
    pairs = program.mentorships.select_related("mentor__department", "mentee__department")
    if status:
        pairs = pairs.filter(status=status)
    page = Paginator(pairs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = dict(program.mentorships.order_by().values_list("status").annotate(n=Count("pk")))
    waiting_for_hr = (
        program.mentorships.filter(
            status=Mentorship.Status.AWAITING_APPROVAL, hr_decision=Mentorship.Decision.PENDING
        )
        .select_related("mentor__department", "mentee__department")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "matching/hr_pairs.html",
        manage_context(
            program,
            "pairs",
            page=page,
            status=status,
            query=urlencode({"status": status}) if status else "",
            statuses=[
                (value, label, counts.get(value, 0)) for value, label in Mentorship.Status.choices
            ],
            total=sum(counts.values()),
            waiting_for_hr=list(waiting_for_hr),
        ),
    )


@hr_required
def hr_pair_decide(request, code):
    mentorship = get_pair_for_hr(code)
    program = mentorship.program
    waiting = (
        mentorship.status == Mentorship.Status.AWAITING_APPROVAL
        and mentorship.hr_decision == Mentorship.Decision.PENDING
    )
    if not waiting:
        messages.info(request, _("This pair is not waiting for HR."))
        return redirect("matching:hr_pairs", slug=program.slug)
    form = HRDecisionForm(
        form_data(request),
        initial={"decision": request.GET.get("decision", HRDecisionForm.APPROVE)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_hr_decide(mentorship=mentorship, approve=form.approve, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.approve:
                message = _("Pair approved: %(mentor)s and %(mentee)s have been told.")
            else:
                message = _(
                    "Pair not approved: %(mentor)s and %(mentee)s have been told, and "
                    "%(mentee)s can choose another mentor."
                )
            messages.success(
                request, message % {"mentor": mentorship.mentor, "mentee": mentorship.mentee}
            )
            return redirect("matching:hr_pairs", slug=program.slug)
    return render(
        request,
        "matching/hr_pair_decide.html",
        manage_context(program, "pairs", mentorship=mentorship, form=form),
    )


urlpatterns = [
    path("programs/<slug:slug>/pairs/", hr_pairs, name="hr_pairs"),
    path("pairs/", my_pairs, name="my_pairs"),
    path("pairs/<uuid:code>/", mentorship_detail, name="mentorship"),
    path("pairs/<uuid:code>/end/", mentorship_end, name="mentorship_end"),
    path("pairs/<uuid:code>/hr-decision/", hr_pair_decide, name="hr_pair_decide"),
    path("approvals/", approvals, name="approvals"),
    path("approvals/<uuid:code>/", approval_decide, name="approval_decide"),
    path("approvals/<uuid:code>/confirm/", pairing_confirm, name="pairing_confirm"),
]
