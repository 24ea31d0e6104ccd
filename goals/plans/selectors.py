"""Reads of the action plan: progress derived from the steps, summaries, the plan's goals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from matching.models import Mentorship

from ..models import ActionStep, Goal


def goal_progress(goal: Goal, steps: Iterable[ActionStep] | None = None) -> int:
    """Percentage of the goal's steps done (dropped steps do not count); 100 once achieved."""
    if goal.status == Goal.Status.ACHIEVED:
        return 100
    steps = list(goal.steps.all() if steps is None else steps)
    counted = [s for s in steps if s.status != ActionStep.Status.DROPPED]
    if not counted:
        return 0
    done = sum(1 for s in counted if s.status == ActionStep.Status.DONE)
    return round(100 * done / len(counted))


@dataclass(frozen=True)
class PlanSummary:
    goals: int
    agreed: int
    achieved: int
    progress: int  # average of the open goals' progress, 0-100


def plan_summaries(mentorship_ids: Iterable[int]) -> dict[int, PlanSummary]:
    """Counts and progress of several pairs' plans in one query (what even a manager may see)."""
    ids = list(mentorship_ids)
    rows = (
        Goal.objects.open()
        .filter(mentorship_id__in=ids)
        .annotate(
            counted=Count("steps", filter=~Q(steps__status=ActionStep.Status.DROPPED)),
            done=Count("steps", filter=Q(steps__status=ActionStep.Status.DONE)),
        )
        .values("mentorship_id", "status", "review", "counted", "done")
    )
    grouped: dict[int, list[dict]] = {pk: [] for pk in ids}
    for row in rows:
        grouped.setdefault(row["mentorship_id"], []).append(row)
    return {pk: _summary(goal_rows) for pk, goal_rows in grouped.items()}


def _summary(rows: list[dict]) -> PlanSummary:
    progress = []
    for row in rows:
        if row["status"] == Goal.Status.ACHIEVED:
            progress.append(100)
        else:
            progress.append(round(100 * row["done"] / row["counted"]) if row["counted"] else 0)
    return PlanSummary(
        goals=len(rows),
        agreed=sum(1 for r in rows if r["review"] == Goal.Review.AGREED),
        achieved=sum(1 for r in rows if r["status"] == Goal.Status.ACHIEVED),
        progress=round(sum(progress) / len(progress)) if progress else 0,
    )


def plan_summary(mentorship: Mentorship) -> PlanSummary:
    return plan_summaries([mentorship.pk])[mentorship.pk]


def goals_with_steps(mentorship: Mentorship) -> list[Goal]:
    """The pair's goals with their steps in order; each goal carries its `progress` and each
    step whether it is `overdue`."""
    goals = list(
        Goal.objects.filter(mentorship=mentorship)
        .select_related("created_by")
        .prefetch_related(
            "objectives",
            "skills",
            Prefetch("steps", queryset=ActionStep.objects.order_by("due_on", "created_at", "pk")),
        )
    )
    today = timezone.localdate()
    for goal in goals:
        steps = list(goal.steps.all())
        goal.progress = goal_progress(goal, steps)
        for step in steps:
            step.overdue = step.is_overdue(today)
    return goals
