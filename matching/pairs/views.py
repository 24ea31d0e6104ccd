"""Pages of a pair: its page (with the sections later stages add), ending it early, my pairs,
and HR's pairs of a program."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import hr_required
from core.forms import add_service_errors
from programs.access import get_program_for_hr, manage_context
from programs.retention.selectors import retention_summary

from ..access import can_end, get_mentorship_for_user, get_mentorship_to_end, viewer_role
from ..hooks import pair_sections
from ..models import Mentorship
from . import services
from .forms import MentorshipEndForm
from .selectors import (
    answers_changed_at,
    mentee_wish,
    pairs_of_member,
    pairs_waiting_for_hr,
    program_pair_counts,
    program_pairs,
)

PAGE_SIZE = 25
ENDABLE = (Mentorship.Status.ACTIVE, Mentorship.Status.AWAITING_APPROVAL)


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
    mentorship.answers_changed_at = answers_changed_at(mentorship)
    return render(
        request,
        "matching/pairs/mentorship.html",
        {
            "mentorship": mentorship,
            "wish": mentee_wish(mentorship),
            "program": mentorship.program,
            "viewer_role": role,
            "days_left": mentorship.days_left()
            if mentorship.status == Mentorship.Status.ACTIVE
            else None,
            "approvals": _approvals(mentorship),
            "can_end": can_end(request.user, mentorship) and mentorship.status in ENDABLE,
            "sections": sections,
            "retention": retention_summary(mentorship.program),
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
        "matching/pairs/mentorship_end.html",
        {
            "mentorship": mentorship,
            "viewer_role": viewer_role(request.user, mentorship),
            "form": form,
        },
    )


def my_pairs(request):
    page = Paginator(pairs_of_member(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/pairs/my_pairs.html", {"page": page})


# --- HR ----------------------------------------------------------------------------------


@hr_required
def hr_pairs(request, slug):
    program = get_program_for_hr(slug)
    status = request.GET.get("status", "")
    if status not in Mentorship.Status.values:
        status = ""
    page = Paginator(program_pairs(program, status), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = program_pair_counts(program)
    return render(
        request,
        "matching/pairs/hr_pairs.html",
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
            waiting_for_hr=pairs_waiting_for_hr(program),
        ),
    )
