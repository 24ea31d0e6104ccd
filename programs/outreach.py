"""Stage 2 outreach: direct invitations from HR, manager recommendations, colleague referrals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from .models import Appeal, Application, Outreach, Recommendation, Referral

OUTREACH_MODELS = (Appeal, Recommendation, Referral)


def outreach_mark_applied(*, application: Application) -> int:
    """The person applied: every open invitation to that program and role counts as answered."""
    now = timezone.now()
    updated = 0
    for model in OUTREACH_MODELS:
        updated += model.objects.filter(
            program_id=application.program_id,
            person_id=application.person_id,
            role=application.role,
            status__in=[Outreach.Status.SENT, Outreach.Status.OPENED],
        ).update(status=Outreach.Status.APPLIED, answered_at=now, updated_at=now)
    return updated


def outreach_for_applications(applications: Iterable[Application]) -> dict[int, list[Outreach]]:
    """What brought each applicant in (for HR's review), in three queries whatever the page size."""
    applications = list(applications)
    if not applications:
        return {}
    by_key = {(a.program_id, a.person_id, a.role): a.pk for a in applications}
    people = Q()
    for program_id, person_id, role in by_key:
        people |= Q(program_id=program_id, person_id=person_id, role=role)
    found: dict[int, list[Outreach]] = defaultdict(list)
    for model in OUTREACH_MODELS:
        for item in model.objects.filter(people).select_related("by"):
            found[by_key[(item.program_id, item.person_id, item.role)]].append(item)
    return dict(found)
