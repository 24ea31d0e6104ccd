"""Information sessions' pages: the events' pages (`programs.events.views`) for sessions.

HR finds them on the program's "Information sessions" tab; employees register on the
program's page, for the sessions of any program past its draft.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..events.views import EventPages, EventTexts, EventUrls
from ..models import InfoSession, Program
from .forms import InfoSessionForm
from .services import EVENTS


def _get_session_for_hr(program: Program, code) -> InfoSession:
    session = get_object_or_404(program.sessions, code=code)
    session.program = program
    return session


def _get_session_for_employee(user, code) -> InfoSession:
    """Sessions of programs employees can see; a draft program's sessions are 404."""
    return get_object_or_404(
        InfoSession.objects.select_related("program").filter(
            program__in=Program.objects.visible_to_employees()
        ),
        code=code,
    )


SESSION_PAGES = EventPages(
    kind=EVENTS,
    form=InfoSessionForm,
    events_of=lambda program: program.sessions.all(),
    for_hr=_get_session_for_hr,
    for_employee=_get_session_for_employee,
    urls=EventUrls(
        list="programs:sessions",
        new="programs:session_create",
        edit="programs:session_edit",
        cancel="programs:session_cancel",
        attendance="programs:session_attendance",
        register="programs:session_register",
        unregister="programs:session_unregister",
        ics="programs:session_ics",
    ),
    texts=EventTexts(
        plural=_("Information sessions"),
        column=_("Session"),
        add=_("Add a session"),
        empty=_("No information sessions yet."),
        empty_hint=_(
            "A short session where HR and past participants explain the program helps people "
            "decide to apply."
        ),
        cancel_button=_("Cancel session"),
        form_add=_("Add an information session"),
        form_edit=_("Edit information session"),
        form_new=_("New session"),
        added=_("Information session added."),
        cancel_title=_("Cancel information session"),
        cancel_heading=_("Cancel the information session “%(title)s”?"),
        cancel_told=ngettext_lazy(
            "%(count)s person will be told by email, with a calendar update that removes the "
            "session.",
            "%(count)s people will be told by email, with a calendar update that removes the "
            "session.",
            "count",
        ),
        cancel_final=_("This cannot be undone: to hold the session after all, add a new one."),
        cancel_submit=_("Cancel the session"),
        cancelled=ngettext_lazy(
            "Session cancelled. %(count)d person was told.",
            "Session cancelled. %(count)d people were told.",
            "count",
        ),
        back=_("Back to the sessions"),
        nobody=_("Nobody was registered for this session."),
    ),
    tab="sessions",
    trail_from_programs=True,
    counts_on_cancel=True,
)
