"""Reads of HR's proposals that the engine run and the board share."""

from __future__ import annotations

from programs.models import Application, Program, Role

from ..models import Mentorship


def mentees_to_pair(program: Program) -> list[Application]:
    """Active approved mentees of the program without a pair, a draft or a pending pairing."""
    holding = Mentorship.objects.holding_place().filter(program=program).values("mentee_id")
    return list(
        Application.objects.enrolled()
        .filter(program=program, role=Role.MENTEE, person__is_active=True)
        .exclude(person_id__in=holding)
        .select_related("person", "person__department")
        .order_by("person__last_name", "person__first_name")
    )
