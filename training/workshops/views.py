"""Workshops' pages: the events' pages (`programs.events.views`) for workshops.

HR finds them under the program's "Training" tab, next to required training and progress;
participants register on their training page, for the workshops of their programs and roles.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from programs.events.views import EventPages, EventTexts, EventUrls

from ..access import get_workshop_for_hr, get_workshop_for_participant
from .forms import WorkshopForm
from .services import EVENTS

WORKSHOP_PAGES = EventPages(
    kind=EVENTS,
    form=WorkshopForm,
    events_of=lambda program: program.workshops.select_related("module"),
    for_hr=get_workshop_for_hr,
    for_employee=get_workshop_for_participant,
    urls=EventUrls(
        list="training:workshops",
        new="training:workshop_new",
        edit="training:workshop_edit",
        cancel="training:workshop_cancel",
        attendance="training:workshop_attendance",
        register="training:workshop_register",
        unregister="training:workshop_unregister",
        ics="training:workshop_ics",
    ),
    texts=EventTexts(
        plural=_("Workshops"),
        column=_("Workshop"),
        add=_("Add a workshop"),
        empty=_("No workshops yet."),
        empty_hint=_(
            "A live workshop lets mentors and mentees practise what the modules teach, such as "
            "a first conversation or giving feedback."
        ),
        cancel_button=_("Cancel workshop"),
        form_add=_("Add a workshop"),
        form_edit=_("Edit workshop"),
        form_new=_("New workshop"),
        added=_("Workshop added."),
        cancel_title=_("Cancel workshop"),
        cancel_heading=_("Cancel the workshop “%(title)s”?"),
        cancel_told=ngettext_lazy(
            "%(count)s person will be told by email, with a calendar update that removes the "
            "workshop.",
            "%(count)s people will be told by email, with a calendar update that removes the "
            "workshop.",
            "count",
        ),
        cancel_final=_("This cannot be undone: to hold the workshop after all, add a new one."),
        cancel_submit=_("Cancel the workshop"),
        cancelled=ngettext_lazy(
            "Workshop cancelled. %(count)d person was told.",
            "Workshop cancelled. %(count)d people were told.",
            "count",
        ),
        back=_("Back to the workshops"),
        nobody=_("Nobody was registered for this workshop."),
    ),
    tab="training",
    menu="training/includes/program_nav.html",
    menu_context={"training_section": "workshops"},
    row_details="training/workshops/_row_details.html",
)
