"""The mentor catalogue of mentee-choice programs: browse, read a mentor, ask up to N mentors.

Only the program's approved mentees see it (everyone else gets 404); its urlpatterns are
included by matching/urls.py.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.forms import add_service_errors
from programs.access import get_program_for_employee
from programs.applications.selectors import answers_readable
from programs.models import Program, Role

from . import services
from .catalogue import catalogue_build, mentee_enrolment, opening_note
from .forms_catalogue import (
    CatalogueFilterForm,
    MentorRequestForm,
    filters_from_query,
    filters_initial,
)

PAGE_SIZE = 12


def _mentee_program(request, slug):
    """The program and the user's approved mentee application in it; 404 for anyone else."""
    program = get_program_for_employee(slug)
    if program.matching_mode != Program.MatchingMode.MENTEE_CHOICE:
        raise Http404
    mentee = mentee_enrolment(program, request.user)
    if mentee is None:
        raise Http404
    return program, mentee


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
    program, mentee = _mentee_program(request, slug)
    if program.status not in services.MATCHING_OPEN:
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
            **_request_state(program, request.user, found.open_requests),
        },
    )


def mentor_detail(request, slug, code):
    program, mentee = _mentee_program(request, slug)
    if program.status not in services.MATCHING_OPEN:
        return _not_open(request, program)
    found = catalogue_build(program, mentee, codes=[code])
    if not found.entries:
        # Paused, full, or not someone this mentee may be paired with.
        raise Http404
    entry = found.entries[0]
    questions = program.questions.filter(role=Role.MENTOR).order_by("order", "pk")
    return render(
        request,
        "matching/catalogue/mentor_detail.html",
        {
            "program": program,
            "entry": entry,
            "answers": answers_readable(questions=questions, answers=entry.application.answers),
            **_request_state(program, request.user, found.open_requests),
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
    if program.status not in services.MATCHING_OPEN:
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
            messages.success(
                request,
                ngettext(
                    "Your request was sent to %(n)d mentor. We will tell you when they answer.",
                    "Your requests were sent to %(n)d mentors. We will tell you when they answer.",
                    len(sent),
                )
                % {"n": len(sent)},
            )
            return redirect("matching:my_requests", slug=program.slug)
    return render(
        request,
        "matching/catalogue/request_new.html",
        {"program": program, "form": form, "chosen": chosen, **state},
    )


urlpatterns = [
    path("programs/<slug:slug>/mentors/", catalogue, name="catalogue"),
    path("programs/<slug:slug>/mentors/<uuid:code>/", mentor_detail, name="mentor_detail"),
    path("programs/<slug:slug>/request/", request_new, name="request_new"),
]
