"""Answers to the application form: validated against the questions, stored in one form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from programs.applications import services
from programs.applications.forms import application_form_class
from programs.models import (
    Question,
)
from tests.factories import (
    ApplicationFactory,
    ProgramFactory,
    SkillFactory,
)


def _one_of_each(program, role="mentee") -> dict[str, Question]:
    """A questionnaire with one question of each kind (text optional)."""
    specs = {
        "single": {"kind": "single", "choices": ["Mañanas", "Tardes"]},
        "multiple": {"kind": "multiple", "choices": ["Presencial", "Vídeo", "Teléfono"]},
        "skills": {"kind": "skills"},
        "scale": {"kind": "scale"},
        "text": {"kind": "text", "required": False},
    }
    return {
        name: Question.objects.create(
            program=program, role=role, text=f"Pregunta {name}", order=order, **spec
        )
        for order, (name, spec) in enumerate(specs.items())
    }


# --- answers -----------------------------------------------------------------------


def test_valid_answers_are_stored_in_their_canonical_form(db):
    program = ProgramFactory(questionnaire=False)
    q = _one_of_each(program)
    python, sql = SkillFactory(name="Python"), SkillFactory(name="SQL")
    cleaned = services.answers_validate(
        program=program,
        role="mentee",
        answers={
            str(q["single"].code): "Tardes",
            str(q["multiple"].code): ["Teléfono", "Presencial"],
            str(q["skills"].code): [str(sql.pk), python.pk, sql.pk],
            str(q["scale"].code): "5",
            str(q["text"].code): "   ",
            "not-a-question": "ignored",
        },
    )
    assert cleaned == {
        str(q["single"].code): "Tardes",
        str(q["multiple"].code): ["Presencial", "Teléfono"],
        str(q["skills"].code): [sql.pk, python.pk],
        str(q["scale"].code): 5,
    }


def test_invalid_answers_are_reported_next_to_each_question(db):
    program = ProgramFactory(questionnaire=False)
    q = _one_of_each(program)
    with pytest.raises(ValidationError) as caught:
        services.answers_validate(
            program=program,
            role="mentee",
            answers={
                str(q["single"].code): "Noches",
                str(q["multiple"].code): ["Presencial", "Carta"],
                str(q["skills"].code): [987654],
                str(q["scale"].code): 6,
                str(q["text"].code): "x" * 2001,
            },
        )
    assert set(caught.value.error_dict) == {str(question.code) for question in q.values()}


def test_required_questions_need_an_answer_and_optional_ones_do_not(db):
    program = ProgramFactory(questionnaire=False)
    q = _one_of_each(program)
    with pytest.raises(ValidationError) as caught:
        services.answers_validate(program=program, role="mentee", answers={})
    assert set(caught.value.error_dict) == {
        str(q[name].code) for name in ("single", "multiple", "skills", "scale")
    }


def test_a_scale_answer_must_be_a_whole_number_from_one_to_five(db):
    program = ProgramFactory(questionnaire=False)
    scale = Question.objects.create(program=program, role="mentor", text="¿Cuánto?", kind="scale")
    for wrong in (0, 6, "tres", 2.5):
        with pytest.raises(ValidationError):
            services.answers_validate(
                program=program, role="mentor", answers={str(scale.code): wrong}
            )
    for right in (1, 5, "3"):
        services.answers_validate(program=program, role="mentor", answers={str(scale.code): right})


def test_the_form_asks_each_question_with_the_right_widget_and_shows_existing_answers(db):
    program = ProgramFactory(questionnaire=False)
    q = _one_of_each(program)
    skill = SkillFactory(name="Python")
    application = ApplicationFactory(
        program=program,
        answers={str(q["skills"].code): [skill.pk], str(q["scale"].code): 3},
        motivation="Aprender",
    )
    form = application_form_class(program, "mentee")(application=application)
    widgets = {
        name: type(form.fields[str(question.code)].widget).__name__ for name, question in q.items()
    }
    assert widgets == {
        "single": "RadioSelect",
        "multiple": "CheckboxSelectMultiple",
        "skills": "SelectMultiple",
        "scale": "RadioSelect",
        "text": "Textarea",
    }
    assert form.fields[str(q["skills"].code)].widget.attrs["size"] == 8
    assert form.fields[str(q["text"].code)].max_length == 2000
    assert form.initial[str(q["scale"].code)] == 3
    assert form.initial["motivation"] == "Aprender"
    assert f'value="{skill.pk}" selected' in str(form[str(q["skills"].code)])
