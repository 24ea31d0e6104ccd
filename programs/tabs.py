"""The tabs of an HR program page; a tab shows once its view exists."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

TABS = [
    ("overview", _("Overview"), "programs:manage"),
    ("questions", _("Questionnaire"), "programs:questions"),
    ("sessions", _("Information sessions"), "programs:sessions"),
    ("outreach", _("Invitations and recommendations"), "programs:outreach"),
    ("applications", _("Applications"), "programs:applications"),
    ("funnel", _("Recruitment funnel"), "programs:funnel"),
    ("proposals", _("Proposed pairs"), "matching:proposals"),
    ("pairs", _("Pairs"), "matching:hr_pairs"),
    ("training", _("Training"), "training:program_requirements"),
    ("goals", _("Agreements and goals"), "goals:program_settings"),
    ("surveys", _("Surveys"), "metrics:surveys"),
    ("feedback", _("Feedback"), "metrics:feedback_triage"),
    ("stories", _("Success stories"), "metrics:stories_manage"),
    ("results", _("Results"), "metrics:program_dashboard"),
]
# Tabs that only make sense for one way of matching.
ONLY_FOR_MODE = {"proposals": "managed"}


def manage_tabs(program, active: str) -> list[dict]:
    tabs = []
    for key, label, name in TABS:
        if ONLY_FOR_MODE.get(key, program.matching_mode) != program.matching_mode:
            continue
        try:
            url = reverse(name, args=[program.slug])
        except NoReverseMatch:
            continue
        tabs.append({"key": key, "label": label, "url": url, "active": key == active})
    return tabs
