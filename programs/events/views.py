"""The pages of every kind of event: HR lists, schedules, cancels and takes attendance;
people register, leave and download the calendar entry.

Each kind describes its pages in an `EventPages` and its `urls.py` routes them to these views
with `programs.events.urls.event_urls`, so information sessions and workshops share one set
of views and templates (`templates/programs/events/`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import hr_required
from core.forms import AlreadySubmitted, add_service_errors, submit_once

from ..access import get_program_for_hr, manage_context
from ..models import Event, Program
from . import selectors, services
from .forms import AttendanceForm, EventForm
from .services import EventKind, Message


@dataclass(frozen=True, eq=False)
class EventUrls:
    """The kind's URL names, with their namespace: HR's pages, then people's."""

    list: str
    new: str
    edit: str
    cancel: str
    attendance: str
    register: str
    unregister: str
    ics: str


@dataclass(frozen=True, eq=False)
class EventTexts:
    """The words of the kind's pages that differ from one kind to another (lazy translations)."""

    plural: Message  # the list's title, e.g. "Workshops"
    column: Message  # the list's first column, e.g. "Workshop"
    add: Message  # the list's button, e.g. "Add a workshop"
    empty: Message
    empty_hint: Message
    cancel_button: Message  # on a row of the list, e.g. "Cancel workshop"
    form_add: Message  # the form's title when adding, e.g. "Add a workshop"
    form_edit: Message
    form_new: Message  # the form's last breadcrumb when adding, e.g. "New workshop"
    added: Message  # said after adding one
    cancel_title: Message
    cancel_heading: Message  # with %(title)s
    cancel_told: Message  # plural, with %(count)s: who the cancel page says will be told
    cancel_final: Message
    cancel_submit: Message
    cancelled: Message  # plural, with %(count)d: said after cancelling
    back: Message  # back to the list
    nobody: Message  # the attendance page when nobody registered


@dataclass(frozen=True, eq=False)
class EventPages:
    """What one kind of event's pages show and how they find its events."""

    kind: EventKind
    form: type[EventForm]
    events_of: Callable[[Program], QuerySet]  # HR's list of a program's events
    for_hr: Callable[[Program, object], Event]  # one of them by code, or 404
    for_employee: Callable[[object, object], Event]  # (user, code): one they may register for
    urls: EventUrls
    texts: EventTexts
    tab: str  # HR's program tab the list and attendance pages belong to
    menu: str = ""  # template of the stage's own menu above the list and attendance
    menu_context: Mapping[str, object] = field(default_factory=dict)  # what that menu needs
    row_details: str = ""  # template of what a row of the list adds under the title
    trail_from_programs: bool = False  # the form's breadcrumb starts at HR's list of programs
    counts_on_cancel: bool = False  # the cancel page says how many are registered and waiting


def _manage_context(pages: EventPages, program: Program, **extra) -> dict:
    return manage_context(program, pages.tab, pages=pages, **pages.menu_context, **extra)


def _page_context(pages: EventPages, program: Program, event: Event, **extra) -> dict:
    return {"pages": pages, "program": program, "event": event, pages.kind.name: event, **extra}


def _back_to_list(pages: EventPages, program: Program):
    return redirect(pages.urls.list, slug=program.slug)


# --- HR ----------------------------------------------------------------------------


@hr_required
def event_list(request, slug, *, pages: EventPages):
    program = get_program_for_hr(slug)
    page = Paginator(
        selectors.with_counts(pages.events_of(program)).order_by("-starts_at", "pk"), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/events/list.html",
        _manage_context(pages, program, page=page, now=timezone.now()),
    )


@hr_required
def event_create(request, slug, *, pages: EventPages):
    program = get_program_for_hr(slug)
    return _event_form(request, pages, program, pages.form._meta.model(program=program))


@hr_required
def event_edit(request, slug, code, *, pages: EventPages):
    program = get_program_for_hr(slug)
    return _event_form(request, pages, program, pages.for_hr(program, code))


def _event_form(request, pages: EventPages, program: Program, event: Event):
    creating = event.pk is None
    sequence = event.ics_sequence
    form = pages.form(request.POST or None, instance=event, program=program)

    def list_url(event: Event) -> str:
        return reverse(pages.urls.list, args=[program.slug])

    if request.method == "POST" and form.is_valid():

        def save() -> Event:
            return services.event_save(event=form.save(commit=False), kind=pages.kind)

        try:
            event = submit_once(form, save, then=list_url) if creating else save()
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                selectors.saved_message(
                    event=event,
                    creating=creating,
                    sequence_before=sequence,
                    added=str(pages.texts.added),
                ),
            )
            return _back_to_list(pages, program)
    return render(
        request,
        "programs/events/form.html",
        _page_context(pages, program, event, form=form, creating=creating),
    )


def _cancel_problems(pages: EventPages, event: Event) -> list[str]:
    if event.cancelled_at:
        return [str(pages.kind.messages.already_cancelled)]
    if event.starts_at <= timezone.now():
        return [str(pages.kind.messages.cancel_started)]
    return []


@hr_required
def event_cancel(request, slug, code, *, pages: EventPages):
    program = get_program_for_hr(slug)
    event = pages.for_hr(program, code)
    problems = _cancel_problems(pages, event)
    if request.method == "POST" and not problems:
        try:
            told = services.event_cancel(event=event, kind=pages.kind)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, pages.texts.cancelled % {"count": told})
            return _back_to_list(pages, program)
    counts = selectors.with_counts(type(event).objects.filter(pk=event.pk)).get()
    told = counts.registered_count + counts.waitlisted_count
    return render(
        request,
        "programs/events/cancel_confirm.html",
        _page_context(
            pages,
            program,
            event,
            registered=counts.registered_count,
            waitlisted=counts.waitlisted_count,
            told=told,
            told_text=pages.texts.cancel_told % {"count": told},
            heading=pages.texts.cancel_heading % {"title": event.title},
            problems=problems,
        ),
    )


@hr_required
def event_attendance(request, slug, code, *, pages: EventPages):
    program = get_program_for_hr(slug)
    event = pages.for_hr(program, code)
    registrations = (
        event.registrations.filter(status=selectors.Status.REGISTERED)
        .select_related("person")
        .order_by("person__first_name", "person__last_name", "pk")
    )
    form = AttendanceForm(request.POST or None, registrations=registrations)
    started = event.starts_at <= timezone.now()
    if request.method == "POST" and form.is_valid():
        try:
            came = services.attendance_save(
                event=event,
                attended_ids=[r.person_id for r in form.cleaned_data["attended"]],
                kind=pages.kind,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved: %(count)d person attended.",
                    "Attendance saved: %(count)d people attended.",
                    came,
                )
                % {"count": came},
            )
            return _back_to_list(pages, program)
    return render(
        request,
        "programs/events/attendance.html",
        _manage_context(
            pages, program, event=event, form=form, started=started, **{pages.kind.name: event}
        ),
    )


# --- people ------------------------------------------------------------------------


@require_POST
def event_register(request, code, *, pages: EventPages):
    event = pages.for_employee(request.user, code)
    try:
        registration = services.register(event=event, person=request.user, kind=pages.kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == selectors.Status.REGISTERED:
            messages.success(
                request,
                _("You are registered for “%(title)s”. The calendar invitation is in your email.")
                % {"title": event.title},
            )
        else:
            messages.info(
                request,
                _(
                    "“%(title)s” is full, so you are on the waiting list. We will email you "
                    "if a place frees up."
                )
                % {"title": event.title},
            )
    return redirect(pages.kind.url(event))


@require_POST
def event_unregister(request, code, *, pages: EventPages):
    event = pages.for_employee(request.user, code)
    try:
        services.unregister(event=event, person=request.user, kind=pages.kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("You are no longer registered for “%(title)s”.") % {"title": event.title},
        )
    return redirect(pages.kind.url(event))


def event_ics(request, code, *, pages: EventPages):
    event = pages.for_employee(request.user, code)
    response = HttpResponse(
        selectors.event_ics(event, kind=pages.kind, method="PUBLISH"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{slugify(event.title) or pages.kind.name}.ics"
    )
    return response
