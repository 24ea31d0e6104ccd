"""Writes of stage 1 (define): programs, their lifecycle and their objectives."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..hooks import ClosingEffect, program_closing, status_change_warnings
from ..models import Objective, Program, Question, Role
from ..questionnaire.services import questions_add_defaults

# --- program lifecycle -------------------------------------------------------------

TRANSITIONS: dict[str, set[str]] = {
    Program.Status.DRAFT: {Program.Status.RECRUITING},
    Program.Status.RECRUITING: {Program.Status.DRAFT, Program.Status.MATCHING},
    Program.Status.MATCHING: {Program.Status.RECRUITING, Program.Status.RUNNING},
    Program.Status.RUNNING: {Program.Status.CLOSED},
    Program.Status.CLOSED: set(),
}


def program_closing_effects(program: Program) -> list[ClosingEffect]:
    effects = (hook(program) for hook in program_closing)
    return [effect for effect in effects if effect and effect.count]


def program_status_warnings(program: Program, to: str) -> list[str]:
    """What later stages want HR to read before `program` moves to `to` (empty: nothing)."""
    return [warning for hook in status_change_warnings for warning in hook(program, to)]


def validate_program_dates(program: Program) -> None:
    """The timeline must run forward; each problem is reported next to its date."""
    order = [
        ("recruitment_opens", "recruitment_closes", _("Recruitment must close after it opens.")),
        (
            "recruitment_closes",
            "matching_deadline",
            _("The matching deadline comes after recruitment closes."),
        ),
        (
            "matching_deadline",
            "starts_on",
            _("The program starts on or after the matching deadline."),
        ),
    ]
    errors: dict[str, str] = {}
    for before, after, message in order:
        first, second = getattr(program, before), getattr(program, after)
        if first and second and second < first:
            errors[after] = message
    if program.ends_on and program.starts_on and program.ends_on <= program.starts_on:
        errors["ends_on"] = _("The program must end after it starts.")
    if errors:
        raise ValidationError(errors)


def _unique_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "program"
    slug, n = base, 2
    while Program.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def program_save(*, program: Program, areas=None, by) -> Program:
    """Create or update a program from HR's form; a new one gets the default questionnaire."""
    creating = program.pk is None
    validate_program_dates(program)
    if not creating:
        before = Program.objects.select_for_update().get(pk=program.pk)
        if before.matching_mode != program.matching_mode and before.status in {
            Program.Status.MATCHING,
            Program.Status.RUNNING,
            Program.Status.CLOSED,
        }:
            raise ValidationError(
                {
                    "matching_mode": _(
                        "Matching has started, so the matching mode can no longer change."
                    )
                }
            )
    if creating:
        program.created_by = by
        program.slug = program.slug or _unique_slug(program.name)
    elif Program.objects.filter(slug=program.slug).exclude(pk=program.pk).exists():
        raise ValidationError({"slug": _("Another program already uses this short name.")})
    program.save()
    if areas is not None:
        program.areas.set(areas)
    if creating:
        questions_add_defaults(program=program)
    return program


@transaction.atomic
def program_duplicate(*, program: Program, by) -> Program:
    """A draft copy with the same settings, objectives and questionnaire, for the next cohort."""
    areas = list(program.areas.all())
    objectives = list(program.objectives.all())
    questions = list(program.questions.all())
    copy = Program.objects.get(pk=program.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    copy.code = Program._meta.get_field("code").default()
    copy.name = _("%s (copy)") % program.name
    copy.slug = _unique_slug(copy.name)
    copy.status = Program.Status.DRAFT
    copy.created_by = by
    copy.save()
    copy.areas.set(areas)
    for objective in objectives:
        objective.pk = None
        objective.program = copy
    Objective.objects.bulk_create(objectives)
    for question in questions:
        question.pk = None
        question.code = Question._meta.get_field("code").default()
        question.program = copy
    Question.objects.bulk_create(questions)
    return copy


def program_transition_problems(program: Program, to: str) -> list[str]:
    """Why `program` cannot move to status `to` now (empty when it can)."""
    if to not in TRANSITIONS.get(program.status, set()):
        return [
            _("A program that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": program.get_status_display(),
                "target": Program.Status(to).label if to in Program.Status.values else to,
            }
        ]
    problems = []
    if to == Program.Status.RECRUITING:
        if not program.objectives.exists():
            problems.append(_("Add at least one objective before opening recruitment."))
        for role in Role:
            if not program.questions.filter(role=role).exists():
                problems.append(
                    _("The application form for %(role)s has no questions.") % {"role": role.label}
                )
    return problems


@transaction.atomic
def program_transition(*, program: Program, to: str, by, confirmed: bool = False) -> Program:
    # Lock the program so two admins changing its status at once act one after the other.
    program = Program.objects.select_for_update().get(pk=program.pk)
    problems = program_transition_problems(program, to)
    if problems:
        raise ValidationError(problems)
    effects = program_closing_effects(program) if to == Program.Status.CLOSED else []
    if effects and not confirmed:
        raise ValidationError(_("Confirm what closing the program does before closing it."))
    if not confirmed and program_status_warnings(program, to):
        raise ValidationError(_("Read the warnings and confirm before changing the status."))
    for effect in effects:
        effect.apply()
    program.status = to
    program.save(update_fields=["status", "updated_at"])
    return program


# --- objectives --------------------------------------------------------------------


@transaction.atomic
def objective_save(*, objective: Objective) -> Objective:
    program = objective.program
    if objective.target_date and objective.target_date < program.recruitment_opens:
        raise ValidationError(
            {"target_date": _("The target date falls before the program opens recruitment.")}
        )
    if objective.pk is None:
        objective.order = program.objectives.count()
    objective.save()
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective) -> None:
    objective.delete()
