"""Reads of stage 1 shared by other features: who may apply, and a program's key numbers."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import department_subtree_ids

from ..models import Application, Program, Role


def programs_with_numbers(programs: QuerySet[Program]) -> QuerySet[Program]:
    """Programs with how many applied (not withdrawn) and how many of each role are approved."""
    approved = Q(applications__status=Application.Status.APPROVED)
    return programs.annotate(
        applied_count=Count(
            "applications", filter=~Q(applications__status=Application.Status.WITHDRAWN)
        ),
        mentors_approved=Count("applications", filter=approved & Q(applications__role=Role.MENTOR)),
        mentees_approved=Count("applications", filter=approved & Q(applications__role=Role.MENTEE)),
    )


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def eligibility_problems(program: Program, person, today: date | None = None) -> list[str]:
    """Why `person` may not apply to `program` (empty list: eligible)."""
    today = today or timezone.localdate()
    problems = []
    if not person.is_active:
        problems.append(_("Your account is not active."))
    area_ids = {area.pk for area in program.areas.all()}
    if area_ids and person.department_id not in department_subtree_ids(area_ids):
        problems.append(
            _("This program is for people in %(areas)s.")
            % {"areas": ", ".join(str(area) for area in program.areas.all())}
        )
    if program.min_tenure_months:
        if person.hired_on is None:
            problems.append(
                _(
                    "This program asks for %(months)d months in the company and your start "
                    "date is not in the directory: ask HR to add it."
                )
                % {"months": program.min_tenure_months}
            )
        elif months_between(person.hired_on, today) < program.min_tenure_months:
            problems.append(
                _("This program asks for at least %(months)d months in the company.")
                % {"months": program.min_tenure_months}
            )
    return problems
