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


def personal_data(*, person) -> dict:
    """The `people.personal_data` section: what the person's pairs agreed, planned and met.

    Private notes and closing reflections are included only when the person wrote them.
    """
    from people.personal_data import rows

    from ..models import Agreement, ClosingReview, Extension, Meeting, PrivateNote

    pairs = Mentorship.objects.filter(Q(mentor=person) | Q(mentee=person)).values("pk")
    return {
        "agreements": rows(
            Agreement.objects.filter(mentorship__in=pairs).order_by("created_at", "pk"),
            "code",
            "mentorship__code",
            "ground_rules",
            "cadence_days",
            "meeting_format",
            "confidentiality",
            "deadline",
            "mentor_signed_at",
            "mentee_signed_at",
        ),
        "goals": rows(
            Goal.objects.filter(mentorship__in=pairs).order_by("created_at", "pk"),
            "code",
            "mentorship__code",
            "title",
            "description",
            "measure",
            "target_date",
            "status",
            "review",
            "review_comment",
            "agreed_at",
            "created_by__email",
        ),
        "action_steps": rows(
            ActionStep.objects.filter(goal__mentorship__in=pairs).order_by("created_at", "pk"),
            "code",
            "goal__code",
            "title",
            "owner",
            "due_on",
            "status",
            "completed_at",
        ),
        "meetings": rows(
            Meeting.objects.filter(mentorship__in=pairs).order_by("starts_at", "pk"),
            "code",
            "mentorship__code",
            "starts_at",
            "duration_minutes",
            "mode",
            "place",
            "agenda",
            "status",
            "held_minutes",
            "shared_notes",
            "cancelled_at",
        ),
        "private_notes": rows(
            PrivateNote.objects.filter(author=person).order_by("created_at", "pk"),
            "meeting__code",
            "text",
            "created_at",
        ),
        "closing_reviews": rows(
            ClosingReview.objects.filter(author=person).order_by("created_at", "pk"),
            "mentorship__code",
            "role",
            "reflection",
            "created_at",
        ),
        "extensions": rows(
            Extension.objects.filter(mentorship__in=pairs).order_by("created_at", "pk"),
            "code",
            "mentorship__code",
            "new_deadline",
            "reason",
            "status",
            "decided_at",
            "requested_by__email",
        ),
    }
