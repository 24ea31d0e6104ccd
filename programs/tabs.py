"""The tabs of HR's program page: every stage registers its own (`programs.hooks.program_tabs`)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .hooks import Tab, program_tabs

# Stages 1–2; later stages register theirs in their own AppConfig.ready().
TABS = [
    Tab("overview", _("Overview"), "programs:manage", 10),
    Tab("questions", _("Questionnaire"), "programs:questions", 20),
    Tab("sessions", _("Information sessions"), "programs:sessions", 30),
    Tab("outreach", _("Invitations and recommendations"), "programs:outreach", 40),
    Tab("applications", _("Applications"), "programs:applications", 50),
    Tab("funnel", _("Recruitment funnel"), "programs:funnel", 60),
]


def manage_tabs(program, active: str) -> list[dict]:
    tabs = []
    for tab in sorted(program_tabs, key=lambda tab: tab.order):
        if tab.only_for_mode not in (None, program.matching_mode):
            continue
        try:
            url = reverse(tab.url_name, args=[program.slug])
        except NoReverseMatch:
            continue
        tabs.append({"key": tab.key, "label": tab.label, "url": url, "active": tab.key == active})
    return tabs
