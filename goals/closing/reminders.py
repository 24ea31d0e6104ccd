"""Periodic reminders of the closing: the deadline ahead, then the closing review at it."""

from __future__ import annotations

from datetime import datetime, timedelta

from matching.models import Mentorship

from ..models import ClosingReview
from ..reminding import already_sent, local_today, send_once
from .selectors import closing_url

DEADLINE_AHEAD_DAYS = 14


def deadline_reminders(now: datetime) -> int:
    """Both members 14 days before the deadline; at the deadline, the closing review."""
    today = local_today(now)
    pairs = list(
        Mentorship.objects.active()
        .filter(deadline__isnull=False, deadline__lte=today + timedelta(days=DEADLINE_AHEAD_DAYS))
        .select_related("mentor", "mentee")
    )
    before = already_sent("goals.deadline_soon", pairs) | already_sent("goals.closing_due", pairs)
    reviewed = set(
        ClosingReview.objects.filter(mentorship__in=pairs).values_list("mentorship_id", "role")
    )
    sent = 0
    for pair in pairs:
        closing = pair.deadline <= today
        for person, role in ((pair.mentor, "mentor"), (pair.mentee, "mentee")):
            if closing and (pair.pk, role) in reviewed:
                continue
            sent += send_once(
                before,
                kind="goals.closing_due" if closing else "goals.deadline_soon",
                recipient=person,
                target=pair,
                occasion=f"{'closing' if closing else 'soon'}-{pair.deadline.isoformat()}",
                context={"mentorship": pair, "days": (pair.deadline - today).days},
                url=closing_url(pair),
            )
    return sent
