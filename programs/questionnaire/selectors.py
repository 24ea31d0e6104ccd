"""Reads of the application questionnaire: a question in the reader's language, its answers."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.utils import translation

from ..models import Application, Question


def language_code(language: str | None) -> str:
    """The interface language code (`es`, `en`) of `language`, or of the active one."""
    return (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def question_text(question: Question, language: str | None = None) -> tuple[str, str, list[str]]:
    """(text, help text, choice labels) of `question` in `language` (default: the active one).

    Each part comes from the question's translation when there is one, else from the
    question itself (the language HR wrote it in). Choice labels are translated only when
    the translation has exactly as many choices; they pair with `question.choices` by
    position, and answers always store those base choices.
    """
    part = (question.translations or {}).get(language_code(language)) or {}
    text = part.get("text") or question.text
    help_text = part.get("help_text") or question.help_text
    labels = part.get("choices") or []
    if not isinstance(labels, list) or len(labels) != len(question.choices):
        labels = question.choices
    return text, help_text, [str(label) for label in labels]


def _answered(value) -> bool:
    return value not in (None, "", [])


def question_answers(question: Question) -> Iterator:
    """The non-empty answers given to `question` by applications for its role (any status)."""
    key = str(question.code)
    rows = Application.objects.filter(
        program_id=question.program_id, role=question.role, answers__has_key=key
    ).values_list("answers", flat=True)
    for answers in rows.iterator():
        value = answers.get(key)
        if _answered(value):
            yield value


def question_answer_count(question: Question) -> int:
    """How many applications answered `question`."""
    return sum(1 for _value in question_answers(question))
