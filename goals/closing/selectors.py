"""Reads of the closing: when the review opens, what is missing, extensions waiting for HR."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Mentorship
from programs.models import Program

from ..common import partnership_deadline
from ..models import ClosingReview, Extension

# The closing review opens this many days before the deadline (and stays open after it).
CLOSING_OPENS_DAYS = 14


def closing_url(mentorship: Mentorship) -> str:
    return reverse("goals:closing", args=[mentorship.code])


def closing_available(mentorship: Mentorship, today: date | None = None) -> bool:
    if mentorship.status != Mentorship.Status.ACTIVE:
        return False
    today = today or timezone.localdate()
    return partnership_deadline(mentorship) - today <= timedelta(days=CLOSING_OPENS_DAYS)


def closing_problems(mentorship: Mentorship) -> list[str]:
    roles = set(ClosingReview.objects.filter(mentorship=mentorship).values_list("role", flat=True))
    problems = []
    if "mentor" not in roles:
        problems.append(_("The mentor has not finished the closing review yet."))
    if "mentee" not in roles:
        problems.append(_("The mentee has not finished the closing review yet."))
    return problems


def pending_extension(mentorship: Mentorship) -> Extension | None:
    """The pair's extension request waiting for HR, if any (at most one: a constraint)."""
    return Extension.objects.filter(mentorship=mentorship, status=Extension.Status.PENDING).first()


def pending_extensions(program: Program):
    return (
        Extension.objects.filter(mentorship__program=program, status=Extension.Status.PENDING)
        .select_related("mentorship__mentor", "mentorship__mentee", "requested_by")
        .order_by("created_at", "pk")
    )
