"""HR's proposals for managed programs: propose pairs within each area, edit the draft, publish;
then the approvals: the mentee's manager approves, the mentor confirms, HR decides on the pairs
agreed from the catalogue where the program asks.

The proposals pages are HR's (`hr_required`) and exist only for managed programs (404 otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import hr_required
from core.forms import add_service_errors
from programs.access import get_program_for_hr, manage_context
from programs.models import Application, Program, Role

from ..access import get_pair_for_hr, get_pairing_for_manager, get_pairing_for_mentor
from ..forms import ConfirmForm, form_data
from ..models import Mentorship
from ..pairs.selectors import (
    MATCHING_OPEN,
    answers_changed_at,
    matching_gate_problems,
    mentee_wish,
    mentors_with_places,
)
from ..profiles import area_level_in_use, areas_by_department
from . import services
from .forms import (
    HRDecisionForm,
    PairingDecisionForm,
    ProposalAssignForm,
    ProposalLockForm,
    ProposalSwapForm,
)
from .selectors import (
    area_summary,
    mentees_to_pair,
    names_of_areas,
    pairing_decisions,
    pairings_to_approve,
    pairings_to_confirm,
    proposal_drafts,
    published_pairs,
    unmatched_mentees,
)

PUBLISHED_SHOWN = 50
RECENT = 20


def _managed_program(slug: str) -> Program:
    program = get_program_for_hr(slug)
    if program.matching_mode != Program.MatchingMode.MANAGED:
        raise Http404
    return program


def _pair(program: Program, code) -> Mentorship:
    """A pair of this program (a pair of another program is 404 here)."""
    return get_object_or_404(
        program.mentorships.select_related("program", "mentor", "mentee"), code=code
    )


def _session_key(program: Program) -> str:
    return f"matching.proposals.{program.code}"


def _show_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _refusals_key(program: Program) -> str:
    return f"matching.proposals.{program.code}.refused"


def _keep_refusal(request, program: Program, key: str, exc: ValidationError, **action) -> None:
    """Keep why an edit was refused, to show it next to its row on the board (once).

    HR may go ahead only where every error is one it can override: a repeated pair (with a
    reason) or a score below the program's minimum (with a tick).
    """
    errors = exc.error_dict.get(key, []) if hasattr(exc, "error_dict") else exc.error_list
    codes = {error.code for error in errors}
    refusals = request.session.get(_refusals_key(program), {})
    refusals[key] = {
        "messages": [message for error in errors for message in error.messages],
        "repeat": "repeated_pair" in codes,
        "below_floor": "below_floor" in codes,
        "overridable": bool(codes) and codes <= {"repeated_pair", "below_floor"},
        **action,
    }
    request.session[_refusals_key(program)] = refusals


def _back(program: Program):
    return redirect("matching:proposals", slug=program.slug)


# --- the board ----------------------------------------------------------------------------


@hr_required
def proposals(request, slug):
    program = _managed_program(slug)
    drafts = list(proposal_drafts(program))
    area_of = areas_by_department(program)
    names = names_of_areas(area_of)
    for pair in drafts:
        pair.area = names.get(area_of.get(pair.mentee.department_id), "")
    last_run = request.session.get(_session_key(program), {})
    refusals = request.session.pop(_refusals_key(program), {})
    for pair in drafts:
        pair.refusal = refusals.get(str(pair.code))
    mentees = mentees_to_pair(program)
    mentors = list(mentors_with_places(program))
    unmatched = unmatched_mentees(
        program,
        area_of=area_of,
        area_names=names,
        last_run=last_run,
        mentees=mentees,
        mentors=mentors,
    )
    for row in unmatched:
        row.refusal = refusals.get(str(row.application.code))
    published = published_pairs(program, limit=PUBLISHED_SHOWN)
    return render(
        request,
        "matching/proposals/board.html",
        manage_context(
            program,
            "proposals",
            drafts=drafts,
            areas=area_summary(
                program, area_of=area_of, area_names=names, mentees=mentees, mentors=mentors
            ),
            area_level=area_level_in_use(program),
            unmatched=unmatched,
            published=published,
            published_more=len(published) == PUBLISHED_SHOWN,
            is_open=program.status in MATCHING_OPEN,
            locked_count=sum(1 for pair in drafts if pair.locked),
        ),
    )


# --- actions ------------------------------------------------------------------------------


@hr_required
@require_POST
def proposals_run(request, slug):
    program = _managed_program(slug)
    try:
        outcome = services.proposals_run(program=program, by=request.user)
    except ValidationError as exc:
        _show_errors(request, exc)
        return _back(program)
    request.session[_session_key(program)] = {
        str(item.application.code): item.reason for item in outcome.unmatched
    }
    proposed = len(outcome.proposed)
    messages.success(
        request,
        ngettext("%(n)d pair proposed.", "%(n)d pairs proposed.", proposed) % {"n": proposed},
    )
    if outcome.unmatched:
        left = len(outcome.unmatched)
        messages.warning(
            request,
            ngettext(
                "%(n)d mentee has no mentor yet: see why below.",
                "%(n)d mentees have no mentor yet: see why below.",
                left,
            )
            % {"n": left},
        )
    return _back(program)


@hr_required
@require_POST
def proposal_lock(request, slug, code):
    program = _managed_program(slug)
    pair = _pair(program, code)
    form = ProposalLockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to keep this pair."))
        return _back(program)
    try:
        services.proposal_lock(mentorship=pair, locked=form.cleaned_data["locked"])
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        if form.cleaned_data["locked"]:
            message = _("%(mentor)s and %(mentee)s are kept when you propose again.")
        else:
            message = _("%(mentor)s and %(mentee)s may change when you propose again.")
        messages.success(request, message % {"mentor": pair.mentor, "mentee": pair.mentee})
    return _back(program)


@hr_required
@require_POST
def proposal_remove(request, slug, code):
    program = _managed_program(slug)
    pair = _pair(program, code)
    try:
        services.proposal_remove(mentorship=pair)
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(
            request,
            _("Draft pair removed: %(mentee)s is back in the list of mentees to pair.")
            % {"mentee": pair.mentee},
        )
    return _back(program)


@hr_required
@require_POST
def proposals_swap(request, slug):
    program = _managed_program(slug)
    form = ProposalSwapForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(program)
    first, second = (_pair(program, code) for code in form.cleaned_data["pairs"])
    try:
        first, second = services.proposal_swap(
            first=first,
            second=second,
            by=request.user,
            override_reason=form.cleaned_data["override_reason"],
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            _show_errors(request, exc)
            return _back(program)
        pairs = [str(first.code), str(second.code)]
        for key in exc.error_dict:
            _keep_refusal(request, program, key, exc, swap=pairs)
        messages.error(request, _("The mentors were not swapped: see why next to the pairs."))
    else:
        messages.success(
            request,
            _(
                "Mentors swapped: %(first)s now mentors %(first_mentee)s, and %(second)s mentors "
                "%(second_mentee)s. Both pairs are kept when you propose again."
            )
            % {
                "first": first.mentor,
                "first_mentee": first.mentee,
                "second": second.mentor,
                "second_mentee": second.mentee,
            },
        )
    return _back(program)


@hr_required
@require_POST
def proposal_assign(request, slug):
    program = _managed_program(slug)
    form = ProposalAssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a mentor."))
        return _back(program)
    enrolled = Application.objects.enrolled().filter(program=program).select_related("person")
    mentee = get_object_or_404(enrolled, role=Role.MENTEE, code=form.cleaned_data["mentee"])
    mentor = get_object_or_404(enrolled, role=Role.MENTOR, code=form.cleaned_data["mentor"])
    try:
        services.proposal_assign(
            program=program,
            mentee=mentee.person,
            mentor=mentor.person,
            by=request.user,
            override_reason=form.cleaned_data["override_reason"],
            below_floor_ok=form.cleaned_data["below_floor_ok"],
        )
    except ValidationError as exc:
        _keep_refusal(request, program, str(mentee.code), exc, mentor=str(mentor.code))
        messages.error(
            request,
            _("%(mentor)s was not assigned to %(mentee)s: see why next to the mentee.")
            % {"mentor": mentor.person, "mentee": mentee.person},
        )
    else:
        messages.success(
            request,
            _(
                "%(mentor)s would mentor %(mentee)s: added to the draft and kept when you propose "
                "again."
            )
            % {"mentor": mentor.person, "mentee": mentee.person},
        )
    return _back(program)


@hr_required
def proposals_publish_confirm(request, slug):
    program = _managed_program(slug)
    drafts = list(proposal_drafts(program).select_related("mentee__manager"))
    if not drafts:
        messages.info(request, _("There are no draft pairs to publish."))
        return _back(program)
    for pair in drafts:
        manager = pair.mentee.manager
        pair.approver = manager if manager and manager.is_active else None
    return render(
        request,
        "matching/proposals/publish_confirm.html",
        manage_context(
            program,
            "proposals",
            drafts=drafts,
            without_manager=sum(1 for pair in drafts if pair.approver is None),
            form=ConfirmForm(),
        ),
    )


@hr_required
@require_POST
def proposals_publish(request, slug):
    program = _managed_program(slug)
    form = ConfirmForm(request.POST)
    if not form.is_valid():  # pragma: no cover - a form without fields is always valid
        return _back(program)
    try:
        published = services.proposals_publish(program=program, by=request.user)
    except ValidationError as exc:
        _show_errors(request, exc)
        return _back(program)
    request.session.pop(_session_key(program), None)
    messages.success(
        request,
        ngettext(
            "%(n)d pair sent for approval: the mentee's manager and the mentor have been asked.",
            "%(n)d pairs sent for approval: each mentee's manager and each mentor have been asked.",
            published,
        )
        % {"n": published},
    )
    return _back(program)


# --- approvals: the mentee's manager and the proposed mentor ----------------------------------


def approvals(request):
    user = request.user
    return render(
        request,
        "matching/proposals/approvals.html",
        {
            "to_approve": pairings_to_approve(user),
            "to_confirm": pairings_to_confirm(user),
            "decided": pairing_decisions(user, limit=RECENT),
        },
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
    mentorship.answers_changed_at = answers_changed_at(mentorship)
    return render(
        request,
        "matching/proposals/approval_decide.html",
        {
            "mentorship": mentorship,
            "wish": mentee_wish(mentorship),
            "as_manager": as_manager,
            "decision": decision,
            "form": form,
            "problems": []
            if as_manager or not waiting
            else matching_gate_problems(mentorship.program, request.user, Role.MENTOR),
        },
    )


def approval_decide(request, code):
    mentorship = get_pairing_for_manager(request.user, code)
    return _pairing_decision(request, mentorship, as_manager=True)


def pairing_confirm(request, code):
    mentorship = get_pairing_for_mentor(request.user, code)
    return _pairing_decision(request, mentorship, as_manager=False)


# --- HR approves pairs that a mentee and a mentor agreed ------------------------------------


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
    mentorship.answers_changed_at = answers_changed_at(mentorship)
    return render(
        request,
        "matching/proposals/hr_pair_decide.html",
        manage_context(
            program, "pairs", mentorship=mentorship, wish=mentee_wish(mentorship), form=form
        ),
    )
