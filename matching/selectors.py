"""Reads of the matching stage that other pages show (home page summary)."""

from __future__ import annotations

from django.db.models import Q

from programs.models import Application, Program, Role

from .models import MatchRequest, Mentorship


def mentoring_summary(user) -> dict:
    """What a person has going on in matching, in four queries whatever their history."""
    pairs = list(
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .filter(status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.AWAITING_APPROVAL])
        .select_related("program", "mentor", "mentee")
        .order_by("deadline")
    )
    paired_programs = {p.program_id for p in pairs if p.mentee_id == user.pk}
    looking = [
        application.program
        for application in Application.objects.enrolled()
        .filter(
            person=user,
            role=Role.MENTEE,
            program__matching_mode=Program.MatchingMode.MENTEE_CHOICE,
            program__status__in=[Program.Status.MATCHING, Program.Status.RUNNING],
        )
        .select_related("program")
        if application.program_id not in paired_programs
    ]
    requests_waiting = MatchRequest.objects.open().filter(mentor=user).count()
    approvals_waiting = (
        Mentorship.objects.filter(status=Mentorship.Status.AWAITING_APPROVAL)
        .filter(
            Q(mentee__manager=user, manager_decision=Mentorship.Decision.PENDING)
            | Q(mentor=user, mentor_decision=Mentorship.Decision.PENDING)
        )
        .count()
    )
    return {
        "pairs": pairs,
        "looking": looking,
        "requests_waiting": requests_waiting,
        "approvals_waiting": approvals_waiting,
        "any": bool(pairs or looking or requests_waiting or approvals_waiting),
    }
