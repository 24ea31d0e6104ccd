"""Reads of stage 2 outreach: who HR may invite, the invitation behind a link, what brought
each applicant in."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from people.models import User, department_subtree_ids

from ..models import Appeal, Application, Outreach, Program, Recommendation, Referral

OUTREACH_MODELS = (Appeal, Recommendation, Referral)


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


def months_before(today: date, months: int) -> date:
    """The latest start date that gives `months` full months in the company by `today`."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def appeal_candidates(
    *,
    program: Program,
    role: str,
    departments=None,
    skills=None,
    job_title: str = "",
    min_tenure_months: int | None = None,
) -> QuerySet[User]:
    """Active people who match HR's filters and the program's eligibility, not yet invited.

    Departments include everything below them; a person qualifies with any of the skills.
    People already invited for this role, or with an application to the program, are left out.
    """
    today = timezone.localdate()
    people = User.objects.filter(is_active=True)
    area_ids = set(program.areas.values_list("pk", flat=True))
    if area_ids:
        people = people.filter(department_id__in=department_subtree_ids(area_ids))
    if departments:
        people = people.filter(
            department_id__in=department_subtree_ids({getattr(d, "pk", d) for d in departments})
        )
    if skills:
        people = people.filter(
            pk__in=User.skills.through.objects.filter(
                skill_id__in=[getattr(s, "pk", s) for s in skills]
            ).values("user_id")
        )
    if job_title.strip():
        people = people.filter(job_title__icontains=job_title.strip())
    tenure = max(program.min_tenure_months or 0, min_tenure_months or 0)
    if tenure:
        people = people.filter(hired_on__lte=months_before(today, tenure))
    return (
        people.exclude(
            Exists(Appeal.objects.filter(program=program, role=role, person=OuterRef("pk")))
        )
        .exclude(
            Exists(Application.objects.active().filter(program=program, person=OuterRef("pk")))
        )
        .select_related("department")
        .order_by("last_name", "first_name", "pk")
    )


def outreach_find(*, token: str) -> Outreach | None:
    """The invitation behind a link, whichever kind it is."""
    for model in OUTREACH_MODELS:
        item = model.objects.select_related("program", "person").filter(token=token).first()
        if item is not None:
            return item
    return None
