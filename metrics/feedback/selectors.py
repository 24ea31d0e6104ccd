"""Reads of program feedback: who takes part in a program, HR's counts, the improvements made."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from matching.models import Mentorship
from programs.models import Application, Program

from ..models import Feedback


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


def feedback_counts(program: Program) -> dict[str, int]:
    return program.feedback.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in Feedback.Status.values},
    )


def improvements(program: Program) -> QuerySet[Feedback]:
    """What changed thanks to feedback, newest first (without who asked for it)."""
    return program.feedback.filter(status=Feedback.Status.DONE).order_by("-done_at", "-pk")


def personal_data(*, person) -> dict:
    """The `people.personal_data` section: feedback and stories the person wrote, and
    which surveys they answered and when. The answers themselves are not included: they
    are anonymous (see `metrics.anonymity`), and no page shows them with a name.
    """
    from people.personal_data import rows

    from ..models import SuccessStory, SurveyRequest

    return {
        "feedback": rows(
            Feedback.objects.filter(author=person).order_by("created_at", "pk"),
            "code",
            "program__name",
            "text",
            "status",
            "created_at",
        ),
        "success_stories": rows(
            SuccessStory.objects.filter(author=person).order_by("created_at", "pk"),
            "code",
            "program__name",
            "title",
            "worked_on",
            "what_changed",
            "quote",
            "status",
            "published_at",
            "created_at",
        ),
        "surveys_answered": rows(
            SurveyRequest.objects.filter(
                person=person, status=SurveyRequest.Status.ANSWERED
            ).order_by("answered_at", "pk"),
            "survey__title",
            "answered_at",
        ),
    }
