"""Helpers for the training tests: modules with sections and checks, enrolments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from programs.models import Application
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory
from training.models import Module, Question, Section, Workshop
from training.requirements.services import requirement_add


def make_module(
    *,
    title="Escucha activa",
    language="es",
    audience="both",
    topic="communication",
    questions=0,
    sections=1,
    status="published",
    program=None,
    family=None,
    pass_mark=50,
    **kwargs,
) -> Module:
    """A module with `sections` sections and `questions` questions whose right answer is 0."""
    fields = {"family": family} if family else {}
    module = Module.objects.create(
        title=title,
        language=language,
        audience=audience,
        topic=topic,
        status=status,
        program=program,
        pass_mark=pass_mark,
        **fields,
        **kwargs,
    )
    for order in range(sections):
        Section.objects.create(
            module=module, title=f"Parte {order + 1}", body=f"Texto **{order + 1}**", order=order
        )
    for order in range(questions):
        Question.objects.create(
            module=module,
            text=f"Pregunta {order + 1}",
            choices=["Correcta", "Incorrecta", "Tampoco"],
            answer=0,
            order=order,
        )
    return module


def enrol(program, person, role) -> Application:
    return ApplicationFactory(program=program, person=person, role=role, status="approved")


@pytest.fixture
def program(db):
    return ProgramFactory(status="matching", training_required_to_match=True)


@pytest.fixture
def english_mentee(db, program):
    person = UserFactory(language="en", first_name="Pablo")
    enrol(program, person, "mentee")
    return person


@pytest.fixture
def objects(hr_admin, program):
    module = make_module(questions=2)
    requirement = requirement_add(
        program=program, role="mentee", module=module, due_days=0, by=hr_admin
    )
    workshop = Workshop.objects.create(
        program=program,
        title="Taller",
        starts_at=timezone.now() + timedelta(days=3),
        place="Sala",
    )
    return {
        "module": module,
        "section": module.sections.get(),
        "question": module.questions.first(),
        "requirement": requirement,
        "workshop": workshop,
        "program": program,
    }
