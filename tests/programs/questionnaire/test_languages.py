"""Application questions in the reader's language; answers keep the base choices."""

from __future__ import annotations

import html

from django.utils import translation

from programs.applications import selectors
from programs.applications.forms import application_form_class
from programs.models import Application, Program, Question
from programs.questionnaire.selectors import question_text
from programs.questionnaire.services import (
    default_questions,
    question_save,
    questions_add_defaults,
    questions_restore_defaults,
)
from tests.factories import ApplicationFactory, ProgramFactory, SkillFactory, UserFactory


def _defaults(language: str, focus: str = Program.Focus.CAREER) -> list[dict]:
    with translation.override(language):
        return default_questions(focus)


def _experience(program: Program, role: str = "mentee") -> Question:
    return program.questions.get(role=role, criterion=Question.Criterion.EXPERIENCE)


def _availability(program: Program, role: str = "mentee") -> Question:
    return program.questions.get(role=role, criterion=Question.Criterion.AVAILABILITY)


def _answers(program: Program, role: str = "mentee") -> dict:
    """Valid answers in the stored format: base choices, skill ids."""
    skill = SkillFactory(name="Negociación")
    answers = {}
    for question in program.questions.filter(role=role):
        key = str(question.code)
        if question.kind == Question.Kind.SKILLS:
            answers[key] = [skill.pk]
        elif question.kind == Question.Kind.SINGLE:
            answers[key] = question.choices[-1]
        elif question.kind == Question.Kind.MULTIPLE:
            answers[key] = question.choices[:2]
        else:
            answers[key] = "Liderar proyectos."
    return answers


# --- defaults ----------------------------------------------------------------------


def test_default_questions_carry_every_other_language_in_the_same_order(db):
    program = ProgramFactory()  # its questionnaire is written in Spanish
    questions = list(program.questions.order_by("role", "order"))
    spanish = {(spec["role"], spec["text"]): spec for spec in _defaults("es")}
    english = _defaults("en")
    assert len(questions) == len(english)
    for question in questions:
        assert (question.role, question.text) in spanish
        assert set(question.translations) == {"en"}
    experience = _experience(program)
    assert experience.text == "¿Cuánta experiencia debería tener tu mentor?"
    assert experience.translations["en"] == {
        "text": "How much experience should your mentor have?",
        "help_text": "",
        "choices": ["3 to 10 years", "More than 10 years", "No preference"],
    }
    capacity = program.questions.get(role="mentor", criterion=Question.Criterion.CAPACITY)
    assert capacity.translations["en"]["choices"] == capacity.choices == ["1", "2", "3"]


def test_defaults_restored_by_an_english_admin_are_english_with_spanish_translations(db):
    program = ProgramFactory()
    english_admin = UserFactory(hr=True, language="en")
    questions_restore_defaults(program=program, role="mentor", by=english_admin)
    question = _experience(program, "mentor")
    assert question.text == "How many years of experience do you have in your field?"
    assert question.choices == ["Less than 3 years", "3 to 10 years", "More than 10 years"]
    assert set(question.translations) == {"es"}
    assert question.translations["es"]["choices"] == [
        "Menos de 3 años",
        "De 3 a 10 años",
        "Más de 10 años",
    ]
    # Mentee questions were left alone, still in Spanish with their English version.
    assert set(_experience(program).translations) == {"en"}


# --- question_text -----------------------------------------------------------------


def test_question_text_falls_back_to_the_base_text_when_a_translation_is_missing(db):
    program = ProgramFactory()
    question = _experience(program)
    base = (question.text, question.help_text, question.choices)
    assert question_text(question, "es") == base
    assert question_text(question, "en")[0] == "How much experience should your mentor have?"
    assert question_text(question, "en-us")[2][0] == "3 to 10 years"
    with translation.override("en"):
        assert question_text(question)[0] == "How much experience should your mentor have?"
    question.translations = {"en": {"text": "Experience?", "choices": ["Only one"]}}
    text, help_text, labels = question_text(question, "en")
    assert (text, help_text) == ("Experience?", question.help_text)
    assert labels == question.choices  # incomplete choices: the base ones
    question.translations = {}
    assert question_text(question, "en") == base


# --- the application form ------------------------------------------------------------


def test_the_form_shows_english_labels_and_stores_the_base_choices(db):
    program = ProgramFactory()
    experience, availability = _experience(program), _availability(program)
    with translation.override("en"):
        form_class = application_form_class(program, "mentee")
        form = form_class(
            {
                **_answers(program),
                str(experience.code): "Sin preferencia",
                str(availability.code): ["Mañanas", "Por videollamada"],
            }
        )
        field = form.fields[str(experience.code)]
        assert field.label == "How much experience should your mentor have?"
        assert list(field.choices) == [
            ("De 3 a 10 años", "3 to 10 years"),
            ("Más de 10 años", "More than 10 years"),
            ("Sin preferencia", "No preference"),
        ]
        assert dict(form.fields[str(availability.code)].choices)["Mañanas"] == "Mornings"
        assert form.is_valid(), form.errors
    assert form.answers[str(experience.code)] == "Sin preferencia"
    assert form.answers[str(availability.code)] == ["Mañanas", "Por videollamada"]
    with translation.override("en"):
        # An English label is not a valid value: only base choices are stored.
        refused = form_class({**_answers(program), str(experience.code): "No preference"})
        assert not refused.is_valid()
        assert str(experience.code) in refused.errors


def test_the_form_shows_the_base_text_when_the_question_has_no_translation(db):
    program = ProgramFactory()
    experience = _experience(program)
    Question.objects.filter(pk=experience.pk).update(translations={})
    with translation.override("en"):
        field = application_form_class(program, "mentee")().fields[str(experience.code)]
    assert field.label == "¿Cuánta experiencia debería tener tu mentor?"
    assert [label for _value, label in field.choices][0] == "De 3 a 10 años"


# --- readable answers ----------------------------------------------------------------


def test_readable_answers_are_in_the_active_language(db):
    program = ProgramFactory()
    experience, availability = _experience(program), _availability(program)
    answers = {
        str(experience.code): "Más de 10 años",
        str(availability.code): ["Tardes", "En persona"],
    }
    questions = [experience, availability]
    with translation.override("en"):
        english = selectors.answers_readable(questions=questions, answers=answers)
    with translation.override("es"):
        spanish = selectors.answers_readable(questions=questions, answers=answers)
    assert [row["values"] for row in english] == [
        ["More than 10 years"],
        ["Afternoons", "In person"],
    ]
    assert english[0]["question"].text == english[0]["text"]
    assert english[0]["text"] == "How much experience should your mentor have?"
    assert [row["values"] for row in spanish] == [["Más de 10 años"], ["Tardes", "En persona"]]
    assert spanish[0]["question"].text == "¿Cuánta experiencia debería tener tu mentor?"
    # The questions passed in are not changed.
    assert experience.text == "¿Cuánta experiencia debería tener tu mentor?"


def test_readable_answers_show_a_choice_unknown_to_the_question_as_stored(db):
    program = ProgramFactory()
    experience = _experience(program)
    with translation.override("en"):
        rows = selectors.answers_readable(
            questions=[experience], answers={str(experience.code): "Veinte años"}
        )
    assert rows[0]["values"] == ["Veinte años"]


# --- HR edits ------------------------------------------------------------------------


def test_editing_the_text_help_or_choices_clears_the_translations(db, hr_admin):
    program = ProgramFactory()
    for change in (
        {"text": "¿Cuántos años de experiencia buscas?"},
        {"help_text": "Piensa en tu puesto actual."},
        {"choices": ["De 3 a 10 años", "Más de 10 años", "Sin preferencia", "Da igual"]},
        {"choices": ["Más de 10 años", "De 3 a 10 años", "Sin preferencia"]},
    ):
        Question.objects.filter(program=program).delete()
        questions_add_defaults(program=program, language="es")
        question = _experience(program)
        for field, value in change.items():
            setattr(question, field, value)
        question_save(question=question, by=hr_admin)
        question.refresh_from_db()
        assert question.translations == {}, change
        with translation.override("en"):
            assert question_text(question)[0] == question.text


def test_editing_only_how_a_question_is_used_keeps_the_translations(db, hr_admin):
    program = ProgramFactory()
    question = _experience(program)
    question.required = False
    question.weight = Question.Weight.HIGH
    question.text = "  ¿Cuánta experiencia   debería tener tu mentor? "  # same words
    question_save(question=question, by=hr_admin)
    question.refresh_from_db()
    assert question.translations["en"]["text"] == "How much experience should your mentor have?"


def test_a_duplicated_program_keeps_the_translations(db, hr_admin):
    from programs.definition.services import program_duplicate

    copy = program_duplicate(program=ProgramFactory(), by=hr_admin)
    assert _experience(copy).translations["en"]["choices"][0] == "3 to 10 years"


# --- through the pages ---------------------------------------------------------------


def test_an_english_employee_applies_in_english_to_a_spanish_program(
    client, manager, django_capture_on_commit_callbacks
):
    program = ProgramFactory()  # created by a Spanish-speaking HR admin
    employee = UserFactory(language="en", manager=manager)
    client.force_login(employee)
    url = f"/programs/{program.slug}/apply/mentee/"
    page = html.unescape(client.get(url).content.decode())
    assert "How much experience should your mentor have?" in page
    assert "More than 10 years" in page
    assert "Does your mentor's location matter to you?" in page
    assert "¿Cuánta experiencia debería tener tu mentor?" not in page
    assert 'value="Más de 10 años"' in page  # the value stays the base choice
    experience = _experience(program)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**_answers(program), "motivation": "I want to grow."})
    assert response.status_code == 302
    application = Application.objects.get(person=employee)
    assert application.answers[str(experience.code)] == "Sin preferencia"


def test_hr_reviews_answers_in_their_own_language(client, db):
    program = ProgramFactory()
    experience = _experience(program)
    application = ApplicationFactory(
        program=program, answers={str(experience.code): "Más de 10 años"}
    )
    client.force_login(UserFactory(hr=True, language="en"))
    response = client.get(f"/programs/manage/{program.slug}/applications/{application.code}/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "How much experience should your mentor have?" in page
    assert "More than 10 years" in page
