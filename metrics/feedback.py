"""Participants tell HR how to improve a program at any time; HR triages and keeps the
list of improvements made, which participants see."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Mentorship
from notifications.services import notify
from programs.models import Application, Program

from .models import Feedback

TEXT_MAX = 4000
IMPROVEMENT_MAX = 300


def is_participant(program: Program, user) -> bool:
    """Enrolled in the program (approved application) or a member of one of its pairs."""
    if not user.is_authenticated:
        return False
    return (
        Application.objects.enrolled().filter(program=program, person_id=user.pk).exists()
        or Mentorship.objects.filter(program=program)
        .filter(Q(mentor_id=user.pk) | Q(mentee_id=user.pk))
        .exclude(status=Mentorship.Status.PROPOSED)
        .exists()
    )


def can_read_improvements(program: Program, user) -> bool:
    return getattr(user, "is_hr", False) or is_participant(program, user)


def get_feedback_for_hr(program: Program, code) -> Feedback:
    return get_object_or_404(program.feedback.select_related("author"), code=code)


def require_participant(program: Program, user) -> None:
    """Feedback pages of a program are for its participants; 404 for anyone else."""
    if not is_participant(program, user):
        raise Http404


@transaction.atomic
def feedback_give(*, program: Program, author, text: str) -> Feedback:
    if not is_participant(program, author):
        raise ValidationError(_("Only the program's participants can give feedback on it."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your feedback.")})
    if len(text) > TEXT_MAX:
        raise ValidationError(
            {"text": _("Keep it under %(limit)d characters.") % {"limit": TEXT_MAX}}
        )
    return Feedback.objects.create(program=program, author=author, text=text)


@transaction.atomic
def feedback_triage(*, feedback: Feedback, status: str, improvement: str, by) -> Feedback:
    """HR sets the status; "done" needs the improvement made, which its author is told."""
    if status not in Feedback.Status.values:
        raise ValidationError({"status": _("Choose new, planned, done or not planned.")})
    improvement = " ".join((improvement or "").split())
    if status == Feedback.Status.DONE and not improvement:
        raise ValidationError(
            {"improvement": _("Write the improvement made: participants see it in the list.")}
        )
    if len(improvement) > IMPROVEMENT_MAX:
        raise ValidationError(
            {"improvement": _("Keep it under %(limit)d characters.") % {"limit": IMPROVEMENT_MAX}}
        )
    feedback = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("author", "program")
        .get(pk=feedback.pk)
    )
    became_done = status == Feedback.Status.DONE and feedback.status != Feedback.Status.DONE
    feedback.status = status
    feedback.improvement = improvement
    if status == Feedback.Status.DONE:
        feedback.done_at = feedback.done_at or timezone.now()
    else:
        feedback.done_at = None
    feedback.save(update_fields=["status", "improvement", "done_at", "updated_at"])
    if became_done:
        notify(
            kind="metrics.feedback_done",
            recipient=feedback.author,
            target=feedback,
            occasion="done",
            context={"feedback": feedback, "program": feedback.program},
            url=reverse("metrics:improvements", args=[feedback.program.slug]),
        )
    return feedback


def feedback_counts(program: Program) -> dict[str, int]:
    return program.feedback.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in Feedback.Status.values},
    )


def improvements(program: Program) -> QuerySet[Feedback]:
    """What changed thanks to feedback, newest first (without who asked for it)."""
    return program.feedback.filter(status=Feedback.Status.DONE).order_by("-done_at", "-pk")
