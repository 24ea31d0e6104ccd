"""HR authoring: publishing, sections, questions, translations, copies, removal."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from programs.models import Program
from tests.factories import ProgramFactory
from training.models import Module, Question, Section
from training.modules import services
from training.requirements.services import requirement_add

from ..conftest import make_module


def _messages(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def test_a_module_without_sections_cannot_be_published(hr_admin):
    module = make_module(sections=0, status="draft")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.module_publish(module=module, by=hr_admin)
    assert "at least one section" in _messages(refused)
    Section.objects.create(module=module, title="Uno", body="Texto")
    assert services.module_publish(module=module, by=hr_admin).status == "published"


def test_removing_a_module_a_running_program_requires_is_refused_naming_the_program(hr_admin):
    program = ProgramFactory(name="Mandos que inspiran", status="running")
    module = make_module()
    requirement_add(program=program, role="mentee", module=module, due_days=0, by=hr_admin)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.module_remove(module=module, by=hr_admin)
    assert "“Mandos que inspiran”" in _messages(refused)
    with pytest.raises(ValidationError) as refused:
        services.module_unpublish(module=module, by=hr_admin)
    assert "Mandos que inspiran" in _messages(refused)
    assert Module.objects.get(pk=module.pk).status == "published"

    # Once the program is closed the module may go, but it stays on record for its history.
    Program.objects.filter(pk=program.pk).update(status="closed")
    assert services.module_remove(module=module, by=hr_admin) is False
    assert Module.objects.get(pk=module.pk).status == "archived"
    assert module not in Module.objects.current()


def test_a_module_nobody_used_is_deleted_with_its_sections(hr_admin):
    module = make_module(questions=2)
    assert services.module_remove(module=module, by=hr_admin) is True
    assert not Module.objects.filter(pk=module.pk).exists()
    assert not Section.objects.exists() and not Question.objects.exists()


def test_the_last_section_of_a_published_module_cannot_be_deleted(hr_admin):
    module = make_module(sections=2)
    first, second = module.sections.order_by("order")
    services.section_delete(section=first, by=hr_admin)
    with pytest.raises(ValidationError):
        services.section_delete(section=second, by=hr_admin)
    draft = make_module(status="draft")
    services.section_delete(section=draft.sections.get(), by=hr_admin)


def test_sections_and_questions_keep_their_order_when_moved(hr_admin):
    module = make_module(sections=3, questions=2)
    third = module.sections.get(title="Parte 3")
    services.section_move(section=third, direction="up")
    assert list(module.sections.values_list("title", flat=True)) == [
        "Parte 1",
        "Parte 3",
        "Parte 2",
    ]
    services.section_move(section=module.sections.get(title="Parte 1"), direction="up")
    assert module.sections.first().title == "Parte 1"
    services.question_move(question=module.questions.get(text="Pregunta 1"), direction="down")
    assert list(module.questions.values_list("text", flat=True)) == ["Pregunta 2", "Pregunta 1"]
    added = services.section_save(section=Section(module=module, title="Fin", body="x"), by=None)
    assert added.order == 3


def test_a_question_needs_two_different_choices_and_a_right_one(hr_admin):
    module = make_module()
    with pytest.raises(ValidationError) as refused:
        services.question_save(
            question=Question(module=module, text="¿?", choices=["Sí", " "], answer=0), by=hr_admin
        )
    assert "choices" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.question_save(
            question=Question(module=module, text="¿?", choices=["Sí", "sí"], answer=0), by=hr_admin
        )
    with pytest.raises(ValidationError) as refused:
        services.question_save(
            question=Question(module=module, text="¿?", choices=["Sí", "No"], answer=2), by=hr_admin
        )
    assert "answer" in refused.value.error_dict
    saved = services.question_save(
        question=Question(module=module, text="¿?", choices=[" Sí ", "No", ""], answer=1),
        by=hr_admin,
    )
    assert saved.choices == ["Sí", "No"]


def test_a_translation_starts_as_a_draft_copy_in_the_same_family(hr_admin):
    module = make_module(questions=2, sections=2)
    english = services.module_translate(module=module, language="en", by=hr_admin)
    assert (english.family, english.language, english.status) == (module.family, "en", "draft")
    assert english.sections.count() == 2 and english.questions.count() == 2
    with pytest.raises(ValidationError):
        services.module_translate(module=module, language="en", by=hr_admin)
    with pytest.raises(ValidationError):
        services.module_translate(module=module, language="fr", by=hr_admin)


def test_copying_a_library_module_into_a_program_copies_every_language_once(hr_admin, program):
    spanish = make_module(questions=1)
    make_module(language="en", title="Active listening", family=spanish.family, questions=1)
    copy = services.module_copy_to_program(module=spanish, program=program, by=hr_admin)
    copies = Module.objects.filter(program=program)
    assert copies.count() == 2 and {m.language for m in copies} == {"es", "en"}
    assert len({m.family for m in copies}) == 1 and copy.family != spanish.family
    assert copy.language == "es" and copy.status == "draft" and copy.copied_from == spanish
    copy.title = "Escucha activa en planta"
    copy.save()
    assert Module.objects.get(pk=spanish.pk).title == "Escucha activa"
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.module_copy_to_program(module=spanish, program=program, by=hr_admin)
    assert "already has its own copy" in _messages(refused)
    with pytest.raises(ValidationError):
        services.module_copy_to_program(module=copy, program=ProgramFactory(), by=hr_admin)
    with pytest.raises(ValidationError):
        services.module_copy_to_program(
            module=spanish, program=ProgramFactory(status="closed"), by=hr_admin
        )


def test_an_audience_that_a_program_requires_cannot_be_narrowed_away(hr_admin, program):
    module = make_module()
    requirement_add(program=program, role="mentee", module=module, due_days=0, by=hr_admin)
    module.audience = "mentor"
    with pytest.raises(ValidationError) as refused:
        services.module_save(module=module, by=hr_admin)
    assert "audience" in refused.value.error_dict
    module.audience = "mentee"
    services.module_save(module=module, by=hr_admin)


def test_a_closed_program_s_training_cannot_change(hr_admin):
    program = ProgramFactory(status="closed")
    module = make_module(program=program)
    with pytest.raises(ValidationError):
        requirement_add(program=program, role="mentee", module=module, due_days=0, by=hr_admin)
    with pytest.raises(ValidationError):
        services.section_save(section=Section(module=module, title="x", body="y"), by=hr_admin)
