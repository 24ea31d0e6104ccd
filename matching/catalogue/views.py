"""The mentor catalogue of mentee-choice programs: mentees browse, read a mentor, ask up to N
mentors and follow their requests; mentors answer them and may pause new ones.

Only the program's approved mentees see the catalogue (everyone else gets 404).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import hr_required
from core.forms import add_service_errors
from programs.access import get_program_for_employee, get_program_for_hr, manage_context
from programs.applications.selectors import answers_readable
from programs.hooks import Action
from programs.models import Application, Program, Role

from ..access import get_request_for_mentee, get_request_for_mentor
from ..forms import ConfirmForm, form_data
from ..models import MatchRequest, Mentorship
from ..pairs.selectors import (
    MATCHING_OPEN,
    answers_changed_at,
    enrolment,
    matching_gate_problems,
    mentee_wish,
    with_wishes,
)
from . import services
from .forms import (
    AvailabilityForm,
    CatalogueFilterForm,
    MentorRequestForm,
    RequestDeclineForm,
    filters_from_query,
    filters_initial,
)
from .selectors import (
    NUDGE_MENTEES,
    NUDGE_MENTORS,
    catalogue_build,
    hr_overview_counts,
    mentee_current_pair,
    mentee_enrolment,
    mentee_requests,
    mentor_enrolment,
    mentor_enrolments,
    mentor_questions,
    nudge_targets,
    nudged,
    opening_note,
    program_mentors_overview,
    program_unmatched_mentees,
    program_waiting_requests,
    requests_answered,
    requests_to_answer,
    unmatched_reasons,
)

PAGE_SIZE = 12
RECENT = 20


# --- mentees: the catalogue and asking mentors ----------------------------------------------


def _mentee_program(request, slug):
    """The program and the user's approved mentee application in it; 404 for anyone else."""
    program = get_program_for_employee(slug)
    if program.matching_mode != Program.MatchingMode.MENTEE_CHOICE:
        raise Http404
    mentee = mentee_enrolment(program, request.user)
    if mentee is None:
        raise Http404
    return program, mentee


def _catalogue_viewer(request, slug):
    """(program, mentee application, read-only?) for the catalogue pages: a mentee sees their
    own; HR sees it as a given mentee (`?as=<their application code>`), read-only, or gets
    (program, None, True) when they chose nobody. Anyone else: 404."""
    as_code = request.GET.get("as", "")
    if not request.user.is_hr:
        program, mentee = _mentee_program(request, slug)
        return program, mentee, False
    program = get_program_for_hr(slug)
    if program.matching_mode != Program.MatchingMode.MENTEE_CHOICE:
        raise Http404
    if not as_code:
        mentee = mentee_enrolment(program, request.user)
        return program, mentee, mentee is None
    try:
        code = uuid.UUID(as_code)
    except ValueError as exc:
        raise Http404 from exc
    found = get_object_or_404(
        Application.objects.enrolled(), program=program, role=Role.MENTEE, code=code
    )
    return program, mentee_enrolment(program, found.person), True


def _choose_a_mentee(request, program):
    """HR opened the catalogue without saying as whom: their tab lists the mentees to pick."""
    messages.info(request, _("Choose a mentee to see the catalogue as they see it."))
    return redirect(f"{reverse('matching:hr_catalogue', args=[program.slug])}?show=mentees")


def _read_only_state(mentee) -> dict:
    """What the catalogue pages need when HR looks through a mentee's eyes: no actions."""
    return {"viewing_as": mentee, "problems": [], "can_request": False}


def _not_open(request, program):
    return render(
        request,
        "matching/catalogue/not_open.html",
        {"program": program, "note": opening_note(program)},
    )


def _request_state(program, user, open_requests: int) -> dict:
    """What the pages say about asking mentors now: problems, and room for more requests."""
    problems = services.request_problems(program, user)
    return {
        "problems": problems,
        "open_requests": open_requests,
        "room": max(program.max_requests - open_requests, 0),
        "can_request": not problems and open_requests < program.max_requests,
    }


def catalogue(request, slug):
    program, mentee, read_only = _catalogue_viewer(request, slug)
    if mentee is None:
        return _choose_a_mentee(request, program)
    if program.status not in MATCHING_OPEN:
        return _not_open(request, program)
    filters = filters_from_query(request.GET)
    found = catalogue_build(program, mentee, filters)
    form = CatalogueFilterForm(initial=filters_initial(filters), options=found.options)
    page = Paginator(found.entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matching/catalogue/list.html",
        {
            "program": program,
            "page": page,
            "form": form,
            "filtered": bool(filters),
            "query": query.urlencode(),
            "total": found.total,
            "count": len(found.entries),
            **(
                _read_only_state(mentee)
                if read_only
                else _request_state(program, request.user, found.open_requests)
            ),
        },
    )


def mentor_detail(request, slug, code):
    program, mentee, read_only = _catalogue_viewer(request, slug)
    if mentee is None:
        return _choose_a_mentee(request, program)
    if program.status not in MATCHING_OPEN:
        return _not_open(request, program)
    found = catalogue_build(program, mentee, codes=[code])
    if not found.entries:
        # Paused, full, or not someone this mentee may be paired with.
        raise Http404
    entry = found.entries[0]
    questions = mentor_questions(program)
    return render(
        request,
        "matching/catalogue/mentor_detail.html",
        {
            "program": program,
            "entry": entry,
            "answers": answers_readable(questions=questions, answers=entry.application.answers),
            **(
                _read_only_state(mentee)
                if read_only
                else _request_state(program, request.user, found.open_requests)
            ),
        },
    )


def _chosen_codes(values) -> tuple[list[uuid.UUID], int]:
    """The mentor codes in `m`, in the order given, and how many were not codes at all."""
    codes: list[uuid.UUID] = []
    invalid = 0
    for value in values:
        try:
            code = uuid.UUID(value)
        except ValueError:
            invalid += 1
            continue
        if code not in codes:
            codes.append(code)
    return codes, invalid


def request_new(request, slug):
    program, mentee = _mentee_program(request, slug)
    if program.status not in MATCHING_OPEN:
        return _not_open(request, program)
    codes, invalid = _chosen_codes(request.GET.getlist("m"))
    found = catalogue_build(program, mentee, codes=codes)
    by_code = {entry.code: entry for entry in found.entries}
    chosen = [by_code[code] for code in codes if code in by_code and not by_code[code].requested]
    asked = [by_code[code] for code in codes if code in by_code and by_code[code].requested]
    unavailable = invalid + sum(1 for code in codes if code not in by_code)
    # Shown on the first visit, and again if someone left the list in the meantime; then the
    # mentee looks at the list once more before anything is sent.
    dropped = bool(unavailable or asked)
    if dropped:
        for entry in asked:
            messages.info(
                request,
                _("You have already asked %(name)s; see your requests.")
                % {"name": entry.person.get_full_name()},
            )
        if unavailable:
            messages.warning(
                request,
                ngettext(
                    "%(n)d of the chosen mentors is not available to you and was left out.",
                    "%(n)d of the chosen mentors are not available to you and were left out.",
                    unavailable,
                )
                % {"n": unavailable},
            )
    state = _request_state(program, request.user, found.open_requests)
    posted = request.method == "POST" and not dropped
    form = MentorRequestForm(
        request.POST if posted else None,
        initial={"message": request.POST.get("message", "")},
        mentors=chosen,
    )
    if posted and chosen and not state["problems"] and form.is_valid():
        try:
            sent = services.requests_send(
                program=program,
                mentee=request.user,
                mentors=form.ordered_mentors(),
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _sent_message(sent))
            return redirect("matching:my_requests", slug=program.slug)
    return render(
        request,
        "matching/catalogue/request_new.html",
        {"program": program, "form": form, "chosen": chosen, **state},
    )


def _sent_message(sent: list[MatchRequest]) -> str:
    if all(r.status == MatchRequest.Status.PENDING for r in sent):
        return ngettext(
            "Your request was sent to %(n)d mentor. We will tell you when they answer.",
            "Your requests were sent to %(n)d mentors. We will tell you when they answer.",
            len(sent),
        ) % {"n": len(sent)}
    first = sent[0]
    if first.status == MatchRequest.Status.PENDING:
        return _(
            "Your request was sent to %(mentor)s, your first choice. If they decline or do not "
            "answer in time, it goes on to your next choice, and we tell you at each step."
        ) % {"mentor": first.mentor}
    return _(
        "Your choices were added to your list after the earlier ones. Each gets your request "
        "when its turn comes."
    )


# --- mentors: requests received -------------------------------------------------------------


def requests_received(request):
    user = request.user
    return render(
        request,
        "matching/catalogue/requests_received.html",
        {
            "open_requests": with_wishes(requests_to_answer(user)),
            "answered": requests_answered(user, limit=RECENT),
            "enrolments": mentor_enrolments(user),
        },
    )


def _still_open(request, match_request: MatchRequest) -> bool:
    if match_request.status == MatchRequest.Status.PENDING:
        return True
    messages.info(
        request,
        _("This request is no longer open (%(status)s).")
        % {"status": match_request.get_status_display()},
    )
    return False


def request_accept(request, code):
    match_request = get_request_for_mentor(request.user, code)
    if not _still_open(request, match_request):
        return redirect("matching:requests_received")
    program = match_request.program
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            mentorship = services.request_accept(request=match_request, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if mentorship.status == Mentorship.Status.ACTIVE:
                message = _("You are now %(mentee)s's mentor. The partnership has started.")
            else:
                message = _(
                    "You accepted %(mentee)s's request. The pair starts once HR approves it."
                )
            messages.success(request, message % {"mentee": match_request.mentee})
            return redirect("matching:mentorship", code=mentorship.code)
    match_request.answers_changed_at = answers_changed_at(match_request)
    return render(
        request,
        "matching/catalogue/request_accept.html",
        {
            "match_request": match_request,
            "wish": mentee_wish(match_request),
            "program": program,
            "enrolment": mentor_enrolment(program, request.user),
            "problems": matching_gate_problems(program, request.user, Role.MENTOR),
            "form": form,
        },
    )


def request_decline(request, code):
    match_request = get_request_for_mentor(request.user, code)
    if not _still_open(request, match_request):
        return redirect("matching:requests_received")
    form = RequestDeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_decline(
                request=match_request, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("You declined %(mentee)s's request; they have been told.")
                % {"mentee": match_request.mentee},
            )
            return redirect("matching:requests_received")
    return render(
        request,
        "matching/catalogue/request_decline.html",
        {"match_request": match_request, "wish": mentee_wish(match_request), "form": form},
    )


@require_POST
def availability(request, slug):
    program = get_program_for_employee(slug)
    get_object_or_404(
        Application.objects.enrolled(), program=program, person=request.user, role=Role.MENTOR
    )
    form = AvailabilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to pause or to take new requests again."))
        return redirect("matching:requests_received")
    try:
        services.mentor_availability_set(program=program, mentor=request.user, paused=form.paused)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if form.paused:
            message = _(
                "You are not taking new mentees in “%(program)s” for now: you no longer appear "
                "in its catalogue. Your current pairs and open requests stay."
            )
        else:
            message = _("You are taking new mentees in “%(program)s” again.")
        messages.success(request, message % {"program": program})
    return redirect("matching:requests_received")


# --- mentees: my requests --------------------------------------------------------------------


def my_requests(request, slug):
    program = get_program_for_employee(slug)
    user = request.user
    found = mentee_requests(program, user)
    enrolled = enrolment(program, user, Role.MENTEE) is not None
    if not enrolled and not found:
        raise Http404
    current = mentee_current_pair(program, user)
    open_count = sum(1 for r in found if r.status in MatchRequest.WAITING)
    return render(
        request,
        "matching/catalogue/my_requests.html",
        {
            "program": program,
            "requests": found,
            "current": current,
            "open_count": open_count,
            "problems": services.request_problems(program, user) if enrolled else [],
            "can_request_more": enrolled and open_count < program.max_requests,
        },
    )


def request_withdraw(request, code):
    match_request = get_request_for_mentee(request.user, code)
    program = match_request.program
    if match_request.status != MatchRequest.Status.QUEUED and not _still_open(
        request, match_request
    ):
        return redirect("matching:my_requests", slug=program.slug)
    form = ConfirmForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            withdrawn = services.request_withdraw(request=match_request, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("You withdrew your request to %(mentor)s.") % {"mentor": match_request.mentor},
            )
            if withdrawn.passed_to:
                messages.info(
                    request,
                    _("Your request has gone on to your next choice, %(mentor)s.")
                    % {"mentor": withdrawn.passed_to.mentor},
                )
            return redirect("matching:my_requests", slug=program.slug)
    return render(
        request,
        "matching/catalogue/request_withdraw.html",
        {"match_request": match_request, "form": form},
    )


def application_actions(program: Program, application: Application) -> list[Action]:
    """The program page's next step once approved (programs.hooks.application_actions)."""
    if application.status != Application.Status.APPROVED or program.status not in MATCHING_OPEN:
        return []
    if (
        application.role == Role.MENTEE
        and program.matching_mode == Program.MatchingMode.MENTEE_CHOICE
    ):
        return [Action(_("Find a mentor"), reverse("matching:catalogue", args=[program.slug]))]
    if application.role == Role.MENTOR:
        return [Action(_("Requests from mentees"), reverse("matching:requests_received"))]
    return []


# --- HR: the catalogue program's requests, unmatched mentees and mentors ---------------------

HR_PAGE_SIZE = 25
HR_SECTIONS = ("requests", "mentees", "mentors")


def _catalogue_program_for_hr(slug) -> Program:
    program = get_program_for_hr(slug)
    if program.matching_mode != Program.MatchingMode.MENTEE_CHOICE:
        raise Http404
    return program


@hr_required
def hr_catalogue(request, slug):
    program = _catalogue_program_for_hr(slug)
    show = request.GET.get("show", "")
    if show not in HR_SECTIONS:
        show = HR_SECTIONS[0]
    listed = {
        "requests": program_waiting_requests,
        "mentees": program_unmatched_mentees,
        "mentors": program_mentors_overview,
    }[show](program)
    page = Paginator(listed, HR_PAGE_SIZE).get_page(request.GET.get("page"))
    if show == "mentees":
        unmatched_reasons(program, page.object_list)
    targets = nudge_targets(program)
    done = nudged(program)
    nudges = [
        {
            "kind": kind,
            "label": label,
            "due": sum(1 for person in targets[kind] if person.pk not in done[kind]),
            "done": len(done[kind]),
        }
        for kind, label in (
            (NUDGE_MENTEES, _("Remind the mentees who sent no request")),
            (NUDGE_MENTORS, _("Remind the mentors with a request to answer")),
        )
    ]
    return render(
        request,
        "matching/catalogue/hr_catalogue.html",
        manage_context(
            program,
            "catalogue",
            show=show,
            page=page,
            query=f"show={show}",
            counts=hr_overview_counts(program),
            nudges=nudges,
            open=program.status in MATCHING_OPEN,
        ),
    )


@hr_required
@require_POST
def hr_nudge(request, slug):
    program = _catalogue_program_for_hr(slug)
    try:
        sent = services.nudges_send(
            program=program, kind=request.POST.get("kind", ""), by=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if sent:
            messages.success(
                request,
                ngettext("%(n)d person was reminded.", "%(n)d people were reminded.", sent)
                % {"n": sent},
            )
        else:
            messages.info(request, _("Nobody left to remind: each person is reminded only once."))
    return redirect("matching:hr_catalogue", slug=program.slug)


@hr_required
def hr_propose(request, slug, code):
    """HR chooses a mentor for a mentee who has none, then confirms; same rules as requests."""
    program = _catalogue_program_for_hr(slug)
    mentee = get_object_or_404(
        Application.objects.enrolled().select_related("person"),
        program=program,
        role=Role.MENTEE,
        code=code,
    )
    back = f"{reverse('matching:hr_catalogue', args=[program.slug])}?show=mentees"
    if Mentorship.objects.holding_place().filter(program=program, mentee=mentee.person).exists():
        messages.info(request, _("%(name)s already has a mentor.") % {"name": mentee.person})
        return redirect(back)
    chosen_code, _invalid = _chosen_codes(request.GET.getlist("mentor")[:1])
    entries = catalogue_build(
        program, mentee_enrolment(program, mentee.person), codes=chosen_code or None
    ).entries
    chosen = entries[0] if chosen_code and entries else None
    if chosen_code and chosen is None:
        messages.warning(request, _("That mentor cannot be proposed to this mentee any more."))
        return redirect("matching:hr_propose", slug=program.slug, code=mentee.code)
    form = ConfirmForm(form_data(request)) if chosen else None
    if chosen and request.method == "POST" and form.is_valid():
        try:
            services.pair_propose_for_mentee(
                program=program, mentee=mentee.person, mentor=chosen.person, by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(mentor)s was proposed as %(mentee)s's mentor and asked to confirm.")
                % {"mentor": chosen.person, "mentee": mentee.person},
            )
            return redirect(back)
    page = None
    if chosen is None:
        page = Paginator(entries, HR_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/catalogue/hr_propose.html",
        manage_context(
            program, "catalogue", mentee=mentee, chosen=chosen, page=page, form=form, back=back
        ),
    )
