"""Information sessions: HR schedules them and marks attendance; employees register."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import hr_required
from core.forms import add_service_errors

from ..access import get_program_for_hr, manage_context
from ..events import selectors as event_selectors
from ..models import InfoSession, Program, Registration
from . import selectors, services
from .forms import AttendanceForm, InfoSessionForm

Status = Registration.Status


def _get_session_for_hr(program: Program, code) -> InfoSession:
    session = get_object_or_404(program.sessions, code=code)
    session.program = program
    return session


def _get_session_for_employee(code) -> InfoSession:
    """Sessions of programs employees can see; a draft program's sessions are 404."""
    return get_object_or_404(
        InfoSession.objects.select_related("program").filter(
            program__in=Program.objects.visible_to_employees()
        ),
        code=code,
    )


# --- HR ----------------------------------------------------------------------------


@hr_required
def sessions(request, slug):
    program = get_program_for_hr(slug)
    page = Paginator(
        selectors.sessions_with_counts(program.sessions.all()).order_by("-starts_at", "pk"), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/sessions/list.html",
        manage_context(program, "sessions", page=page, now=timezone.now()),
    )


@hr_required
def session_create(request, slug):
    program = get_program_for_hr(slug)
    return _session_form(request, program, InfoSession(program=program))


@hr_required
def session_edit(request, slug, code):
    program = get_program_for_hr(slug)
    return _session_form(request, program, _get_session_for_hr(program, code))


def _session_form(request, program: Program, session: InfoSession):
    creating = session.pk is None
    sequence = session.ics_sequence
    form = InfoSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_save(session=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                event_selectors.saved_message(
                    event=session,
                    creating=creating,
                    sequence_before=sequence,
                    added=_("Information session added."),
                ),
            )
            return redirect("programs:sessions", slug=program.slug)
    return render(
        request,
        "programs/sessions/form.html",
        {"form": form, "program": program, "session": session, "creating": creating},
    )


def _cancel_problems(session: InfoSession) -> list[str]:
    if session.cancelled_at:
        return [_("This information session is already cancelled.")]
    if session.starts_at <= timezone.now():
        return [_("A session that has already started cannot be cancelled.")]
    return []


@hr_required
def session_cancel(request, slug, code):
    program = get_program_for_hr(slug)
    session = _get_session_for_hr(program, code)
    problems = _cancel_problems(session)
    if request.method == "POST" and not problems:
        try:
            told = services.session_cancel(session=session, by=request.user)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request,
                ngettext(
                    "Session cancelled. %(count)d person was told.",
                    "Session cancelled. %(count)d people were told.",
                    told,
                )
                % {"count": told},
            )
            return redirect("programs:sessions", slug=program.slug)
    counts = selectors.sessions_with_counts(InfoSession.objects.filter(pk=session.pk)).get()
    return render(
        request,
        "programs/sessions/cancel_confirm.html",
        {
            "program": program,
            "session": session,
            "registered": counts.registered_count,
            "waitlisted": counts.waitlisted_count,
            "told": counts.registered_count + counts.waitlisted_count,
            "problems": problems,
        },
    )


@hr_required
def session_attendance(request, slug, code):
    program = get_program_for_hr(slug)
    session = _get_session_for_hr(program, code)
    registrations = (
        session.registrations.filter(status=Status.REGISTERED)
        .select_related("person")
        .order_by("person__first_name", "person__last_name", "pk")
    )
    form = AttendanceForm(request.POST or None, registrations=registrations)
    started = session.starts_at <= timezone.now()
    if request.method == "POST" and form.is_valid():
        try:
            came = services.attendance_save(
                session=session,
                attended_ids=[r.person_id for r in form.cleaned_data["attended"]],
                by=request.user,
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
            return redirect("programs:sessions", slug=program.slug)
    return render(
        request,
        "programs/sessions/attendance.html",
        manage_context(program, "sessions", session=session, form=form, started=started),
    )


# --- employees ---------------------------------------------------------------------


def _back_to_program(session: InfoSession):
    return redirect(f"{session.program.get_absolute_url()}#sessions")


@require_POST
def session_register(request, code):
    session = _get_session_for_employee(code)
    try:
        registration = services.session_register(session=session, person=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == Status.REGISTERED:
            messages.success(
                request,
                _("You are registered for “%(title)s”. The calendar invitation is in your email.")
                % {"title": session.title},
            )
        else:
            messages.info(
                request,
                _(
                    "“%(title)s” is full, so you are on the waiting list. We will email you "
                    "if a place frees up."
                )
                % {"title": session.title},
            )
    return _back_to_program(session)


@require_POST
def session_unregister(request, code):
    session = _get_session_for_employee(code)
    try:
        services.session_unregister(session=session, person=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("You are no longer registered for “%(title)s”.") % {"title": session.title},
        )
    return _back_to_program(session)


def session_ics(request, code):
    session = _get_session_for_employee(code)
    response = HttpResponse(
        selectors.session_ics(session, method="PUBLISH"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{slugify(session.title) or 'session'}.ics"
    )
    return response
