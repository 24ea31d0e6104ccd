"""The recruitment funnel of a program: from invitation to approved application.

Everything is counted in the database, in three queries whatever the program's size.
"""

from __future__ import annotations

from django.db.models import CharField, Count, Q, Sum, Value
from django.db.models.functions import Coalesce

from ..models import (
    Appeal,
    Application,
    Outreach,
    Program,
    Recommendation,
    Referral,
    Registration,
    Role,
)

KINDS = (("appeal", Appeal), ("recommendation", Recommendation), ("referral", Referral))
OUTREACH_STAGES = ("invited", "opened", "invitations_applied", "invitations_declined")
APPLICATION_STAGES = ("applied", "submitted", "approved", "waitlisted", "declined", "withdrawn")


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _outreach_counts(program: Program):
    """One UNION ALL query: per kind of invitation and role, how far they went."""
    parts = [
        model.objects.filter(program=program)
        .values("role")
        .annotate(
            kind=Value(kind, output_field=CharField()),
            invited=Count("pk"),
            # Someone may apply from the program page without following the link.
            opened=Count(
                "pk", filter=Q(opened_at__isnull=False) | Q(status=Outreach.Status.APPLIED)
            ),
            invitations_applied=Count("pk", filter=Q(status=Outreach.Status.APPLIED)),
            invitations_declined=Count("pk", filter=Q(status=Outreach.Status.DECLINED)),
        )
        .order_by()
        for kind, model in KINDS
    ]
    return parts[0].union(*parts[1:], all=True)


def recruitment_funnel(program: Program) -> dict:
    """Per role (`mentor`, `mentee`): invitations (all three kinds) and applications by
    status, with conversion percentages; `sessions`: people registered and attending."""
    empty_kind = dict.fromkeys(OUTREACH_STAGES, 0)
    funnel: dict = {
        role: {
            **dict.fromkeys(OUTREACH_STAGES + APPLICATION_STAGES, 0),
            "by_kind": {kind: dict(empty_kind) for kind, _model in KINDS},
        }
        for role in Role.values
    }
    for row in _outreach_counts(program):
        numbers = funnel[row["role"]]
        for stage in OUTREACH_STAGES:
            numbers[stage] += row[stage]
            numbers["by_kind"][row["kind"]][stage] = row[stage]
    applications = (
        Application.objects.filter(program=program)
        .values("role", "status")
        .annotate(
            count=Count("pk"),
            places=Sum(Coalesce("capacity", Value(program.mentor_capacity))),
        )
        .order_by()
    )
    mentor_places = 0
    for row in applications:
        numbers = funnel[row["role"]]
        numbers[row["status"]] = row["count"]
        numbers["applied"] += row["count"]
        if row["role"] == Role.MENTOR and row["status"] == Application.Status.APPROVED:
            mentor_places = row["places"] or 0
    for numbers in funnel.values():
        numbers["opened_pct"] = percent(numbers["opened"], numbers["invited"])
        numbers["invitations_applied_pct"] = percent(
            numbers["invitations_applied"], numbers["invited"]
        )
        numbers["invitations_declined_pct"] = percent(
            numbers["invitations_declined"], numbers["invited"]
        )
        for stage in APPLICATION_STAGES[1:]:
            numbers[f"{stage}_pct"] = percent(numbers[stage], numbers["applied"])
        for kind_numbers in numbers["by_kind"].values():
            kind_numbers["invitations_applied_pct"] = percent(
                kind_numbers["invitations_applied"], kind_numbers["invited"]
            )
    channels = {
        kind: {
            stage: sum(funnel[role]["by_kind"][kind][stage] for role in Role.values)
            for stage in OUTREACH_STAGES
        }
        for kind, _model in KINDS
    }
    for numbers in channels.values():
        numbers["opened_pct"] = percent(numbers["opened"], numbers["invited"])
        numbers["invitations_applied_pct"] = percent(
            numbers["invitations_applied"], numbers["invited"]
        )
    sessions = Registration.objects.filter(
        session__program=program, session__cancelled_at__isnull=True
    ).aggregate(
        registered=Count("person", distinct=True, filter=Q(status=Registration.Status.REGISTERED)),
        waitlisted=Count("person", distinct=True, filter=Q(status=Registration.Status.WAITLISTED)),
        attended=Count("person", distinct=True, filter=Q(attended=True)),
    )
    sessions["attended_pct"] = percent(sessions["attended"], sessions["registered"])
    mentors, mentees = funnel[Role.MENTOR]["approved"], funnel[Role.MENTEE]["approved"]
    funnel["balance"] = {
        "mentors": mentors,
        "mentees": mentees,
        "places": mentor_places,
        "mentees_per_mentor": round(mentees / mentors, 1) if mentors else None,
        # Mentors run short when their places cannot take every approved mentee.
        "short": mentees > mentor_places,
    }
    funnel["channels"] = channels
    funnel["sessions"] = sessions
    return funnel
