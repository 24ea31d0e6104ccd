"""The one place views look training objects up: outsiders get 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from programs.models import Program

from .models import Attempt, Module, Question, Requirement, Section, Workshop
from .workshops.selectors import workshops_open_to


def get_module_for_hr(code) -> Module:
    """A module HR can edit (removed ones are gone); the view is wrapped in `hr_required`."""
    return get_object_or_404(Module.objects.current().select_related("program"), code=code)


def get_section_for_hr(code) -> Section:
    return get_object_or_404(
        Section.objects.select_related("module", "module__program").filter(
            module__status__in=[Module.Status.DRAFT, Module.Status.PUBLISHED]
        ),
        code=code,
    )


def get_question_for_hr(code) -> Question:
    return get_object_or_404(
        Question.objects.select_related("module", "module__program").filter(
            module__status__in=[Module.Status.DRAFT, Module.Status.PUBLISHED]
        ),
        code=code,
    )


def get_module_for_reader(user, code) -> Module:
    """A module the user may read: HR any; participants those their programs and roles call for."""
    return get_object_or_404(Module.objects.visible_to(user).select_related("program"), code=code)


def get_attempt_for_person(user, code) -> Attempt:
    return get_object_or_404(Attempt.objects.select_related("module"), code=code, person=user)


def get_requirement_for_hr(program: Program, code) -> Requirement:
    requirement = get_object_or_404(
        program.training_requirements.select_related("module"), code=code
    )
    requirement.program = program
    return requirement


def get_workshop_for_hr(program: Program, code) -> Workshop:
    workshop = get_object_or_404(program.workshops.select_related("module"), code=code)
    workshop.program = program
    return workshop


def get_workshop_for_participant(user, code) -> Workshop:
    return get_object_or_404(workshops_open_to(user), code=code)
