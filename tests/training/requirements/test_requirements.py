"""Program requirements: what a program may require of each role, and of which modules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import ProgramFactory
from training.models import Requirement
from training.requirements import selectors, services

from ..conftest import make_module


def _messages(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def test_a_module_without_sections_or_unpublished_cannot_be_required(hr_admin, program):
    empty = make_module(sections=0)
    draft = make_module(status="draft", title="Borrador")
    with translation.override("en"):
        for module, message in ((empty, "without sections"), (draft, "Publish the module")):
            with pytest.raises(ValidationError) as refused:
                services.requirement_add(
                    program=program, role="mentee", module=module, due_days=0, by=hr_admin
                )
            assert message in _messages(refused)
    assert not Requirement.objects.exists()


def test_a_requirement_must_fit_the_audience_and_not_repeat_a_module_family(hr_admin, program):
    for_mentors = make_module(audience="mentor", title="Rol de mentor")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.requirement_add(
            program=program, role="mentee", module=for_mentors, due_days=0, by=hr_admin
        )
    assert "is not meant for mentees" in _messages(refused)

    spanish = make_module()
    english = make_module(language="en", title="Active listening", family=spanish.family)
    services.requirement_add(
        program=program, role="mentee", module=spanish, due_days=-7, by=hr_admin
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.requirement_add(
            program=program, role="mentee", module=english, due_days=0, by=hr_admin
        )
    assert "already required of mentees" in _messages(refused)
    # The same module for the other role is fine.
    services.requirement_add(
        program=program, role="mentor", module=english, due_days=0, by=hr_admin
    )
    requirement = Requirement.objects.get(program=program, role="mentee")
    assert requirement.due_on == program.starts_on.fromordinal(program.starts_on.toordinal() - 7)


def test_another_program_s_module_cannot_be_required(hr_admin, program):
    other = make_module(program=ProgramFactory())
    with pytest.raises(ValidationError):
        services.requirement_add(
            program=program, role="mentee", module=other, due_days=0, by=hr_admin
        )
    own = make_module(program=program, title="Nuestro módulo")
    assert services.requirement_add(
        program=program, role="mentee", module=own, due_days=0, by=hr_admin
    )
    choices = set(selectors.requirement_module_choices(program, "mentee"))
    assert own in choices and other not in choices
