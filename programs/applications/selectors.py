"""Reads of stage 2 applications: a role's questions, answers as text, a person's application.

Answers are stored as described in `programs.applications.services`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from django.utils.translation import gettext as _

from people.models import Skill

from ..models import Application, Program, Question
from ..questionnaire.selectors import question_text


def role_questions(program: Program, role: str) -> list[Question]:
    return list(program.questions.filter(role=role).order_by("order", "pk"))


def has_active_application(program: Program, person) -> bool:
    return Application.objects.active().filter(program=program, person=person).exists()


def active_application(program: Program, person) -> Application | None:
    """`person`'s application to `program` that still counts (not withdrawn), if any."""
    return Application.objects.active().filter(program=program, person=person).first()


# --- answers -----------------------------------------------------------------------


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _as_list(value) -> list:
    if isinstance(value, list | tuple | set):
        return list(value)
    return [value]


def answered_skill_ids(questions: Iterable[Question], answers: dict) -> set[int]:
    """The ids of the skills picked in `answers` to the skills questions among `questions`."""
    skill_ids: set[int] = set()
    for question in questions:
        if question.kind == Question.Kind.SKILLS:
            for item in _as_list(answers.get(str(question.code)) or []):
                if isinstance(item, int) or (isinstance(item, str) and item.isdigit()):
                    skill_ids.add(int(item))
    return skill_ids


def answers_readable(
    *, questions: Iterable[Question], answers: dict, skill_names: dict[int, str] | None = None
) -> list[dict]:
    """Each question with its answer as text (choice labels, skill names), in one query.

    Texts are in the active language when the question has that translation: each row's
    `question` is a copy whose `text` and `help_text` are translated (also given as
    `text` and `help_text`), and chosen choices show their translated labels. Callers that
    read many applications pass `skill_names` (id -> name) and no query is made.
    """
    questions = list(questions)
    names = skill_names
    if names is None:
        skill_ids = answered_skill_ids(questions, answers)
        names = {}
        if skill_ids:
            names = dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name"))
    rows = []
    for question in questions:
        text, help_text, labels = question_text(question)
        label_of = dict(zip(question.choices, labels, strict=True))
        value = answers.get(str(question.code))
        if _is_empty(value):
            shown: list[str] = []
        elif question.kind == Question.Kind.SKILLS:
            shown = [
                names.get(int(item), _("(skill removed)"))
                for item in _as_list(value)
                if str(item).isdigit()
            ]
        elif question.kind == Question.Kind.MULTIPLE:
            shown = [label_of.get(str(item), str(item)) for item in _as_list(value)]
        elif question.kind == Question.Kind.SINGLE:
            shown = [label_of.get(str(value), str(value))]
        else:
            shown = [str(value)]
        localized = copy.copy(question)
        localized.text, localized.help_text = text, help_text
        rows.append(
            {
                "question": localized,
                "text": text,
                "help_text": help_text,
                "values": shown,
                "is_list": question.kind in (Question.Kind.SKILLS, Question.Kind.MULTIPLE),
            }
        )
    return rows


def personal_data(*, person) -> dict:
    """The `people.personal_data` section: applications (answers too) and registrations."""
    from people.personal_data import rows

    from ..models import Registration

    return {
        "applications": rows(
            Application.objects.filter(person=person).order_by("created_at", "pk"),
            "code",
            "program__name",
            "role",
            "status",
            "answers",
            "motivation",
            "decision_reason",
            "reviewed_at",
            "manager_decision",
            "manager_decided_at",
            "capacity",
            "created_at",
        ),
        "information_session_registrations": rows(
            Registration.objects.filter(person=person).order_by("created_at", "pk"),
            "session__title",
            "session__starts_at",
            "status",
            "attended",
            "created_at",
        ),
    }
