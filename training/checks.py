"""Stage 4 rules for participants: knowledge checks, finishing modules, expectations sign-off."""

from __future__ import annotations

import hashlib
import json
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attempt, Completion, Module, Question


class CheckChanged(ValidationError):
    """The questions changed between showing the check and submitting it."""


def check_questions(module: Module) -> list[Question]:
    return list(module.questions.order_by("order", "pk"))


def check_fingerprint(questions: list[Question]) -> str:
    """Changes whenever a question, a choice or the right answer changes, or one is added."""
    data = [[str(q.code), q.text, q.choices, q.answer] for q in questions]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:32]


def completion_of(module: Module, person) -> Completion | None:
    return Completion.objects.filter(person=person, family=module.family).first()


def passed_check(module: Module, person) -> bool:
    """A passed attempt at any translation of the module counts."""
    return Attempt.objects.filter(person=person, module__family=module.family, passed=True).exists()


def _record_completion(
    module: Module, person, *, score: int | None = None, signed: bool = False
) -> Completion:
    now = timezone.now()
    try:
        # A double click, or the check and the sign-off at once: the unique key keeps one row.
        with transaction.atomic():
            return Completion.objects.create(
                person=person,
                module=module,
                family=module.family,
                completed_at=now,
                score=score,
                signed_off_at=now if signed else None,
            )
    except IntegrityError:
        return Completion.objects.get(person=person, family=module.family)


@transaction.atomic
def check_submit(
    *, module: Module, person, answers: dict[str, int], fingerprint: str, nonce: uuid.UUID
) -> Attempt:
    """Score one submitted check and record it; the same form submitted again counts once.

    `answers` maps question codes to the index of the chosen choice. Raises CheckChanged
    when HR edited the questions after the form was shown.
    """
    existing = Attempt.objects.filter(person=person, nonce=nonce).first()
    if existing is not None:
        return existing
    if module.status != Module.Status.PUBLISHED:
        raise ValidationError(_("This module is not published."))
    questions = check_questions(module)
    if not questions:
        raise ValidationError(_("This module has no knowledge check."))
    if fingerprint != check_fingerprint(questions):
        raise CheckChanged(
            _("This check changed while you were answering it. Please answer it again.")
        )
    chosen: dict[str, int] = {}
    for question in questions:
        value = answers.get(str(question.code))
        if value is None or not 0 <= int(value) < len(question.choices):
            raise ValidationError(_("Answer every question."))
        chosen[str(question.code)] = int(value)
    wrong = [str(q.code) for q in questions if chosen[str(q.code)] != q.answer]
    correct = len(questions) - len(wrong)
    score = round(100 * correct / len(questions))
    attempt = Attempt(
        module=module,
        person=person,
        nonce=nonce,
        answers=chosen,
        wrong=wrong,
        correct_count=correct,
        question_count=len(questions),
        score=score,
        passed=score >= module.pass_mark,
    )
    try:
        # Two submissions of one form at once: the second waits on the unique index,
        # fails, and returns the attempt the first one recorded.
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        return Attempt.objects.get(person=person, nonce=nonce)
    if attempt.passed and not module.needs_sign_off:
        _record_completion(module, person, score=score)
    return attempt


def complete_problems(module: Module, person) -> list[str]:
    """What is missing before `person` can mark `module` as done (empty: nothing)."""
    if module.questions.exists() and not passed_check(module, person):
        return [_("Pass the knowledge check to finish this module.")]
    return []


@transaction.atomic
def module_complete(*, module: Module, person, confirmed: bool = False) -> Completion:
    """Mark a module done: after reading, after passing its check, or by signing off.

    Role expectations are finished by confirming them (`confirmed`); the date is kept.
    """
    existing = completion_of(module, person)
    if existing is not None:
        return existing
    if module.status != Module.Status.PUBLISHED:
        raise ValidationError(_("This module is not published."))
    problems = complete_problems(module, person)
    if problems:
        raise ValidationError(problems)
    if module.needs_sign_off and not confirmed:
        raise ValidationError(
            _("Tick the box to confirm that you have read what is expected of you.")
        )
    best = (
        Attempt.objects.filter(person=person, module__family=module.family, passed=True)
        .order_by("-score")
        .values_list("score", flat=True)
        .first()
    )
    return _record_completion(module, person, score=best, signed=module.needs_sign_off)
