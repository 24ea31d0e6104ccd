"""Periodic reminders of the action plan: goals not written yet, steps due and overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count

from matching.models import Mentorship

from ..agreements.services import program_settings_for
from ..common import hr_contacts, pair_url, plan_url
from ..models import ActionStep
from ..reminding import already_sent, local_today, send_once

STEP_DUE_AHEAD_DAYS = 2


def goals_missing(now: datetime) -> int:
    """The mentor, N days after the start without goals; again with HR copied after 2N."""
    today = local_today(now)
    pairs = list(
        Mentorship.objects.active()
        .filter(starts_on__isnull=False, starts_on__lte=today)
        .annotate(goal_count=Count("goals"))
        .filter(goal_count=0)
        .select_related("program__created_by", "mentor", "mentee")
    )
    before = already_sent("goals.goals_missing", pairs)
    before |= already_sent("goals.goals_missing_hr", pairs)
    days_by_program: dict[int, int] = {}
    sent = 0
    for pair in pairs:
        if pair.program_id not in days_by_program:
            days_by_program[pair.program_id] = program_settings_for(pair.program).goals_due_days
        n = days_by_program[pair.program_id]
        waited = (today - pair.starts_on).days
        context = {"mentorship": pair, "days": waited, "due_days": n}
        if waited >= n:
            sent += send_once(
                before,
                kind="goals.goals_missing",
                recipient=pair.mentor,
                target=pair,
                occasion=f"after-{n}-days",
                context=context,
                url=plan_url(pair),
            )
        if waited >= 2 * n:
            sent += send_once(
                before,
                kind="goals.goals_missing",
                recipient=pair.mentor,
                target=pair,
                occasion=f"after-{2 * n}-days",
                context=context,
                url=plan_url(pair),
            )
            for person in hr_contacts(pair.program):
                sent += send_once(
                    before,
                    kind="goals.goals_missing_hr",
                    recipient=person,
                    target=pair,
                    occasion=f"after-{2 * n}-days",
                    context=context,
                    url=pair_url(pair),
                )
    return sent


def step_reminders(now: datetime) -> int:
    """The step's owner, two days before it is due, and once when it is overdue."""
    today = local_today(now)
    steps = list(
        ActionStep.objects.pending()
        .filter(
            due_on__lte=today + timedelta(days=STEP_DUE_AHEAD_DAYS),
            goal__mentorship__status=Mentorship.Status.ACTIVE,
        )
        .exclude(goal__status__in=["achieved", "dropped"])
        .select_related("goal__mentorship__mentor", "goal__mentorship__mentee")
    )
    before = already_sent("goals.step_due", steps) | already_sent("goals.step_overdue", steps)
    sent = 0
    for step in steps:
        mentorship = step.goal.mentorship
        owner = mentorship.mentor if step.owner == ActionStep.Owner.MENTOR else mentorship.mentee
        overdue = step.due_on < today
        sent += send_once(
            before,
            kind="goals.step_overdue" if overdue else "goals.step_due",
            recipient=owner,
            target=step,
            occasion=f"{'overdue' if overdue else 'due'}-{step.due_on.isoformat()}",
            context={"step": step, "goal": step.goal, "mentorship": mentorship},
            url=plan_url(mentorship),
        )
    return sent
