"""What the planning stage adds to the pair's page (matching's `pair_sections`)."""

from __future__ import annotations

from django.utils import timezone

from matching.models import Mentorship

from .agreements.services import agreement_for
from .closing.selectors import closing_available, pending_extension
from .common import partnership_start
from .models import ActionStep, Agreement, Goal, Meeting
from .plans.selectors import plan_summary

SHOWN_FOR = (Mentorship.Status.ACTIVE, Mentorship.Status.COMPLETED, Mentorship.Status.ENDED_EARLY)


def meeting_rhythm(mentorship: Mentorship, agreement: Agreement | None, today=None) -> dict:
    """Days since the last meeting held (or the start) against the agreed cadence."""
    today = today or timezone.localdate()
    last = (
        mentorship.meetings.filter(status=Meeting.Status.HELD)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    since = timezone.localtime(last).date() if last else partnership_start(mentorship)
    cadence = agreement.cadence_days if agreement else mentorship.program.meeting_every_days
    days = max(0, (today - since).days)
    return {"last": last, "days": days, "cadence": cadence, "late": days > cadence}


def pair_section(request, mentorship: Mentorship, role: str) -> dict | None:
    if mentorship.status not in SHOWN_FOR:
        return None
    agreement = agreement_for(mentorship)
    summary = plan_summary(mentorship)
    section = {
        "template": "goals/includes/pair_section.html",
        "role": role,
        "agreement_signed": bool(agreement and agreement.is_signed),
        "summary": summary,
        "active": mentorship.status == Mentorship.Status.ACTIVE,
    }
    if role == "manager":
        # The manager sees participation only: signed or not, goals and progress. Never notes.
        return section
    now = timezone.now()
    section.update(
        agreement=agreement,
        rhythm=meeting_rhythm(mentorship, agreement),
        next_meeting=mentorship.meetings.upcoming(now)
        .order_by("starts_at")
        .only("code", "starts_at", "mode", "place")
        .first(),
        overdue_steps=ActionStep.objects.pending()
        .filter(goal__mentorship=mentorship, due_on__lt=timezone.localdate())
        .exclude(goal__status=Goal.Status.DROPPED)
        .count(),
        to_review=Goal.objects.filter(mentorship=mentorship, review=Goal.Review.PROPOSED).count(),
        closing=closing_available(mentorship),
        pending_extension=pending_extension(mentorship),
    )
    return section
