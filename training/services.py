"""Stage 4 rules for HR: authoring modules, translating and copying them, program requirements."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from programs.models import Program, Role

from .models import (
    Attempt,
    Audience,
    Completion,
    Module,
    Question,
    Requirement,
    Section,
    audiences_for,
)

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _program_names(programs) -> str:
    return ", ".join(f"“{p.name}”" for p in programs)


def blocking_programs(module: Module) -> list[Program]:
    """Programs that are not closed and require this module of someone."""
    return list(
        Program.objects.filter(training_requirements__module=module)
        .exclude(status=Program.Status.CLOSED)
        .distinct()
        .order_by("name")
    )


def _lock(module: Module) -> Module:
    # Edits of one module queue on its row, so "is it required?" and "remove it" cannot
    # interleave with HR adding it to a program at the same moment.
    return Module.objects.select_for_update().get(pk=module.pk)


def _refuse_if_closed(program: Program | None) -> None:
    if program is not None and program.status == Program.Status.CLOSED:
        raise ValidationError(_("This program is closed: its training can no longer change."))


# --- modules -----------------------------------------------------------------------


@transaction.atomic
def module_save(*, module: Module, by) -> Module:
    """Create or edit a module's details (title, audience, minutes, pass mark)."""
    _refuse_if_closed(module.program)
    if module.pk is None:
        module.created_by = by
        if module.program_id is None:
            module.library_key = ""
    else:
        _lock(module)
        # A role that must do this module has to stay in its audience.
        for requirement in module.requirements.select_related("program").exclude(
            program__status=Program.Status.CLOSED
        ):
            if module.audience not in audiences_for(requirement.role):
                raise ValidationError(
                    {
                        "audience": _(
                            "“%(program)s” requires this module of its %(role)s, so they must "
                            "stay in its audience."
                        )
                        % {
                            "program": requirement.program.name,
                            "role": _role_plural(requirement.role),
                        }
                    }
                )
    taken = Module.objects.filter(family=module.family, language=module.language)
    if module.pk is not None:
        taken = taken.exclude(pk=module.pk)
    if taken.exists():
        raise ValidationError(
            {"language": _("This module already has a version in that language.")}
        )
    module.save()
    return module


@transaction.atomic
def module_publish(*, module: Module, by) -> Module:
    module = _lock(module)
    if module.status == Module.Status.ARCHIVED:
        raise ValidationError(_("This module was removed."))
    if not module.sections.exists():
        raise ValidationError(_("Add at least one section before publishing this module."))
    module.status = Module.Status.PUBLISHED
    module.save(update_fields=["status", "updated_at"])
    return module


@transaction.atomic
def module_unpublish(*, module: Module, by) -> Module:
    module = _lock(module)
    programs = blocking_programs(module)
    if programs:
        raise ValidationError(
            _(
                "%(programs)s requires this module, so participants must keep seeing it. "
                "Remove it from the program's requirements first."
            )
            % {"programs": _program_names(programs)}
        )
    module.status = Module.Status.DRAFT
    module.save(update_fields=["status", "updated_at"])
    return module


def module_remove_problems(module: Module) -> list[str]:
    programs = blocking_programs(module)
    if programs:
        return [
            _(
                "“%(module)s” is required by %(programs)s. Remove it from the requirements of "
                "that program first."
            )
            % {"module": module.title, "programs": _program_names(programs)}
        ]
    return []


@transaction.atomic
def module_remove(*, module: Module, by) -> bool:
    """Remove a module; True when deleted, False when kept out of sight for its history.

    Refused while a program that is not closed requires it. A module someone has done
    (or a closed program required) is archived, so completions keep their module; so is a
    starter module, so that installing the library again does not bring it back.
    """
    module = _lock(module)
    problems = module_remove_problems(module)
    if problems:
        raise ValidationError(problems)
    has_history = (
        Completion.objects.filter(module=module).exists()
        or Attempt.objects.filter(module=module).exists()
        or module.requirements.exists()
    )
    if has_history or module.library_key:
        module.status = Module.Status.ARCHIVED
        module.save(update_fields=["status", "updated_at"])
        return False
    module.delete()
    return True


def _clone(source: Module, **overrides) -> Module:
    fields = {
        "family": source.family,
        "language": source.language,
        "program": source.program,
        "title": source.title,
        "summary": source.summary,
        "audience": source.audience,
        "topic": source.topic,
        "estimated_minutes": source.estimated_minutes,
        "pass_mark": source.pass_mark,
        "status": Module.Status.DRAFT,
        "copied_from": source,
        **overrides,
    }
    copy = Module.objects.create(**fields)
    Section.objects.bulk_create(
        Section(module=copy, title=s.title, body=s.body, order=s.order)
        for s in source.sections.order_by("order", "pk")
    )
    Question.objects.bulk_create(
        Question(module=copy, text=q.text, choices=q.choices, answer=q.answer, order=q.order)
        for q in source.questions.order_by("order", "pk")
    )
    return copy


@transaction.atomic
def module_translate(*, module: Module, language: str, by) -> Module:
    """A draft in another language, with the text to translate copied in."""
    if language not in LANGUAGE_NAMES:
        raise ValidationError(_("Choose one of the platform's languages."))
    _refuse_if_closed(module.program)
    _lock(module)
    if Module.objects.filter(family=module.family, language=language).exists():
        raise ValidationError(
            _("This module already has a version in %(language)s.")
            % {"language": LANGUAGE_NAMES[language]}
        )
    try:
        with transaction.atomic():
            return _clone(module, language=language, created_by=by)
    except IntegrityError as exc:  # another HR admin translated it at the same moment
        raise ValidationError(
            _("This module already has a version in %(language)s.")
            % {"language": LANGUAGE_NAMES[language]}
        ) from exc


@transaction.atomic
def module_copy_to_program(*, module: Module, program: Program, by) -> Module:
    """Copy a library module (all its languages) into a program, as drafts HR can adapt.

    Returns the copy in the language of `module`.
    """
    _refuse_if_closed(program)
    if module.program_id is not None:
        raise ValidationError(_("Only library modules can be copied into a program."))
    if module.status == Module.Status.ARCHIVED:
        raise ValidationError(_("This module was removed."))
    Program.objects.select_for_update().filter(pk=program.pk).first()
    if Module.objects.filter(program=program, copied_from__family=module.family).current().exists():
        raise ValidationError(
            _("“%(program)s” already has its own copy of this module: edit that one.")
            % {"program": program.name}
        )
    family = uuid.uuid4()
    copies = {
        source.pk: _clone(source, family=family, program=program, library_key="", created_by=by)
        for source in Module.objects.filter(family=module.family).current()
    }
    return copies[module.pk]


# --- sections and questions --------------------------------------------------------


def _renumber(items) -> None:
    changed = []
    for position, item in enumerate(items):
        if item.order != position:
            item.order = position
            changed.append(item)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["order"])


def _move(queryset, item, direction: str):
    if direction not in ("up", "down"):
        raise ValueError(f"Unknown direction: {direction!r}")
    siblings = list(queryset.order_by("order", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    _renumber(siblings)
    return next(s for s in siblings if s.pk == item.pk)


@transaction.atomic
def section_save(*, section: Section, by) -> Section:
    module = _lock(section.module)
    _refuse_if_closed(module.program)
    if section.pk is None:
        section.order = module.sections.count()
    section.save()
    return section


@transaction.atomic
def section_delete(*, section: Section, by) -> None:
    module = _lock(section.module)
    _refuse_if_closed(module.program)
    if module.status == Module.Status.PUBLISHED and module.sections.count() <= 1:
        raise ValidationError(
            _(
                "A published module needs at least one section. Add another section first, "
                "or move the module back to draft."
            )
        )
    section.delete()
    _renumber(list(module.sections.order_by("order", "pk")))


@transaction.atomic
def section_move(*, section: Section, direction: str) -> Section:
    module = _lock(section.module)
    return _move(module.sections.all(), section, direction)


def clean_choices(choices: list[str]) -> list[str]:
    cleaned = [" ".join(choice.split()) for choice in choices]
    cleaned = [choice for choice in cleaned if choice]
    if len(cleaned) < 2:
        raise ValidationError({"choices": _("Give at least two choices.")})
    if len({c.casefold() for c in cleaned}) != len(cleaned):
        raise ValidationError({"choices": _("Each choice must be different.")})
    return cleaned


@transaction.atomic
def question_save(*, question: Question, by) -> Question:
    """Save a knowledge check question; people answering the old wording are asked again."""
    module = _lock(question.module)
    _refuse_if_closed(module.program)
    question.choices = clean_choices(list(question.choices))
    if not 0 <= question.answer < len(question.choices):
        raise ValidationError(
            {
                "answer": _("Give the number of the right choice, from 1 to %(n)d.")
                % {"n": len(question.choices)}
            }
        )
    if question.pk is None:
        question.order = module.questions.count()
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question, by) -> None:
    module = _lock(question.module)
    _refuse_if_closed(module.program)
    question.delete()
    _renumber(list(module.questions.order_by("order", "pk")))


@transaction.atomic
def question_move(*, question: Question, direction: str) -> Question:
    module = _lock(question.module)
    return _move(module.questions.all(), question, direction)


# --- program requirements ----------------------------------------------------------


def requirement_module_choices(program: Program, role: str | None = None):
    """Modules a program may require: published, from the library or its own, with sections."""
    queryset = Module.objects.published().filter(
        Q(program__isnull=True) | Q(program=program),
        pk__in=Section.objects.values("module_id"),
    )
    if role:
        queryset = queryset.filter(audience__in=audiences_for(role))
    return queryset


@transaction.atomic
def requirement_add(*, program: Program, role: str, module: Module, due_days: int, by):
    """Require `module` of the program's mentors or mentees, due `due_days` after the start."""
    _refuse_if_closed(program)
    # Adding requirements to one program queues on its row: no family is required twice.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    module = _lock(module)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose mentors or mentees.")})
    if module.program_id not in (None, program.pk):
        raise ValidationError({"module": _("Choose a library module or one of this program's.")})
    if module.status != Module.Status.PUBLISHED:
        raise ValidationError({"module": _("Publish the module before requiring it.")})
    if not module.sections.exists():
        raise ValidationError({"module": _("A module without sections cannot be required.")})
    if module.audience not in audiences_for(role):
        raise ValidationError(
            {
                "module": _("“%(module)s” is not meant for %(role)s.")
                % {"module": module.title, "role": _role_plural(role)}
            }
        )
    if Requirement.objects.filter(
        program=program, role=role, module__family=module.family
    ).exists():
        raise ValidationError(
            {
                "module": _("“%(module)s” is already required of %(role)s.")
                % {"module": module.title, "role": _role_plural(role)}
            }
        )
    return Requirement.objects.create(program=program, role=role, module=module, due_days=due_days)


def _role_plural(role: str) -> str:
    return str(Audience(role).label)


@transaction.atomic
def requirement_update(*, requirement: Requirement, due_days: int, by) -> Requirement:
    _refuse_if_closed(requirement.program)
    requirement.due_days = due_days
    requirement.save(update_fields=["due_days", "updated_at"])
    return requirement


@transaction.atomic
def requirement_remove(*, requirement: Requirement, by) -> None:
    _refuse_if_closed(requirement.program)
    requirement.delete()
