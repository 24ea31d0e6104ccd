"""Participants tell HR how to improve a program at any time; HR triages and keeps the
list of improvements made, which participants see."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from programs.models import Program

from ..models import Feedback
from .selectors import is_participant

TEXT_MAX = 4000
IMPROVEMENT_MAX = 300


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


def personal_data_erase(*, person) -> None:
    """The `people.personal_data_erase` item: feedback, stories and free-text survey
    answers the person wrote.

    Survey answers keep their rows, and choices and ratings their values: they are read
    only as anonymous aggregates, and removing them would shift the batches in which
    results are shown. Free-text answers could say who wrote them, so their text is
    replaced (results leave replaced texts out).
    """
    from people.personal_data import ERASED_TEXT

    from ..models import SuccessStory, SurveyAnswer, SurveyQuestion

    Feedback.objects.filter(author=person).update(text=ERASED_TEXT)
    SurveyAnswer.objects.filter(
        request__person=person, question__kind=SurveyQuestion.Kind.TEXT
    ).update(value=ERASED_TEXT)
    SuccessStory.objects.filter(author=person).update(
        title=ERASED_TEXT, worked_on=ERASED_TEXT, what_changed=ERASED_TEXT, quote=""
    )


def personal_data_expiry(program: Program):
    """The `programs.program_personal_data_expire` item of stage 6: feedback, free-text
    survey answers and success stories never published.

    Survey answers keep their rows (and choices and ratings their values), so every
    released batch, figure and indicator stays as it was. Published stories stay: both
    members consented to their publication. HR's list of improvements stays.
    """
    from programs.retention.services import expiry

    from ..models import SuccessStory, SurveyAnswer, SurveyQuestion

    unpublished = SuccessStory.objects.filter(program=program).exclude(
        status=SuccessStory.Status.PUBLISHED
    )
    return expiry(
        _(
            "Measurement: participants' feedback, free-text survey answers, success "
            "stories never published and the emails about feedback and stories. Survey "
            "ratings and choices, indicators, the list of improvements and published success "
            "stories stay."
        ),
        [
            (Feedback.objects.filter(program=program), "text"),
            (
                SurveyAnswer.objects.filter(
                    question__survey__program=program, question__kind=SurveyQuestion.Kind.TEXT
                ),
                "value",
            ),
            (unpublished, "title"),
            (unpublished, "worked_on"),
            (unpublished, "what_changed"),
            (unpublished, "quote"),
        ],
        emails_about=[
            Feedback.objects.filter(program=program),
            SuccessStory.objects.filter(program=program),
        ],
    )
