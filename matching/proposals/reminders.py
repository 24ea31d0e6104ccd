"""Periodic work of the approvals, registered with the notification mechanism in apps.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse

from notifications.services import notify

from ..models import Mentorship

APPROVAL_REMINDER_AFTER = timedelta(days=3)


def approval_reminders(now: datetime) -> int:
    """Whoever still owes an answer on a pairing sent more than three days ago is reminded once."""
    pending = Q(manager_decision=Mentorship.Decision.PENDING) | Q(
        mentor_decision=Mentorship.Decision.PENDING
    )
    pending |= Q(hr_decision=Mentorship.Decision.PENDING)
    due = (
        Mentorship.objects.filter(
            status=Mentorship.Status.AWAITING_APPROVAL,
            sent_for_approval_at__lte=now - APPROVAL_REMINDER_AFTER,
        )
        .filter(pending)
        .select_related("program__created_by", "mentor", "mentee__manager")
    )
    sent = 0
    for mentorship in due:
        waiting_on = []
        if mentorship.manager_decision == Mentorship.Decision.PENDING:
            waiting_on.append((mentorship.mentee.manager, reverse("matching:approvals")))
        if mentorship.mentor_decision == Mentorship.Decision.PENDING:
            waiting_on.append((mentorship.mentor, reverse("matching:approvals")))
        if mentorship.hr_decision == Mentorship.Decision.PENDING:
            url = reverse("matching:hr_pairs", args=[mentorship.program.slug])
            waiting_on.append((mentorship.program.created_by, url))
        for person, url in waiting_on:
            if person is None:
                continue
            sent += bool(
                notify(
                    kind="matching.approval_reminder",
                    recipient=person,
                    target=mentorship,
                    occasion="after-3-days",
                    context={"mentorship": mentorship},
                    url=url,
                )
            )
    return sent
