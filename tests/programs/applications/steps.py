"""Builders shared by the application tests."""

from __future__ import annotations

from django.core import mail

from programs.models import Question
from tests.factories import SkillFactory


def _answers(program, role="mentee", skills=None) -> dict:
    """Valid answers to every question of `program` for `role`, in the stored format."""
    skills = skills if skills is not None else [SkillFactory(name="Negociación")]
    answers = {}
    for question in program.questions.filter(role=role):
        key = str(question.code)
        if question.kind == Question.Kind.SKILLS:
            answers[key] = [skill.pk for skill in skills]
        elif question.kind == Question.Kind.SINGLE:
            answers[key] = question.choices[0]
        elif question.kind == Question.Kind.MULTIPLE:
            answers[key] = question.choices[:2]
        elif question.kind == Question.Kind.SCALE:
            answers[key] = 4
        else:
            answers[key] = "Quiero aprender a liderar proyectos."
    return answers


def _emails_to(person) -> list:
    return [message for message in mail.outbox if message.to == [person.email]]
