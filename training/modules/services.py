"""Writes of modules: HR authors, translates and copies them; participants answer checks
and finish modules; the starter library is installed.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Program

from ..library import LibraryModule, library_modules
from ..models import (
    Attempt,
    Audience,
    Completion,
    Module,
    Question,
    Section,
    audiences_for,
)
from .selectors import (
    blocking_programs,
    check_fingerprint,
    check_questions,
    completion_of,
    passed_check,
)

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _program_names(programs) -> str:
    return ", ".join(f"“{p.name}”" for p in programs)


def lock_module(module: Module) -> Module:
    """The module's row, locked until the end of the caller's transaction."""
    # Edits of one module queue on its row, so "is it required?" and "remove it" cannot
    # interleave with HR adding it to a program at the same moment.
    return Module.objects.select_for_update().get(pk=module.pk)


def refuse_if_closed(program: Program | None) -> None:
    if program is not None and program.status == Program.Status.CLOSED:
        raise ValidationError(_("This program is closed: its training can no longer change."))


def role_plural(role: str) -> str:
    return str(Audience(role).label)


# --- modules -----------------------------------------------------------------------


@transaction.atomic
def module_save(*, module: Module, by) -> Module:
    """Create or edit a module's details (title, audience, minutes, pass mark)."""
    refuse_if_closed(module.program)
    if module.pk is None:
        module.created_by = by
        if module.program_id is None:
            module.library_key = ""
    else:
        lock_module(module)
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
                            "role": role_plural(requirement.role),
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
    module = lock_module(module)
    if module.status == Module.Status.ARCHIVED:
        raise ValidationError(_("This module was removed."))
    if not module.sections.exists():
        raise ValidationError(_("Add at least one section before publishing this module."))
    module.status = Module.Status.PUBLISHED
    module.save(update_fields=["status", "updated_at"])
    return module


@transaction.atomic
def module_unpublish(*, module: Module, by) -> Module:
    module = lock_module(module)
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
    module = lock_module(module)
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
    refuse_if_closed(module.program)
    lock_module(module)
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
    refuse_if_closed(program)
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
    module = lock_module(section.module)
    refuse_if_closed(module.program)
    if section.pk is None:
        section.order = module.sections.count()
    section.save()
    return section


@transaction.atomic
def section_delete(*, section: Section, by) -> None:
    module = lock_module(section.module)
    refuse_if_closed(module.program)
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
    module = lock_module(section.module)
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
    module = lock_module(question.module)
    refuse_if_closed(module.program)
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
    module = lock_module(question.module)
    refuse_if_closed(module.program)
    question.delete()
    _renumber(list(module.questions.order_by("order", "pk")))


@transaction.atomic
def question_move(*, question: Question, direction: str) -> Question:
    module = lock_module(question.module)
    return _move(module.questions.all(), question, direction)


# --- knowledge checks and completions ---------------------------------------------


class CheckChanged(ValidationError):
    """The questions changed between showing the check and submitting it."""


def _record_completion(
    module: Module, person, *, score: int | None = None, signed: bool = False
) -> Completion:
    now = timezone.now()
    try:
        # A double click, or the check and the sign-off at once: the unique key keeps one row.
        with transaction.atomic():
            return Completion.objects.create(
                person=person,
                module=module,
                family=module.family,
                completed_at=now,
                score=score,
                signed_off_at=now if signed else None,
            )
    except IntegrityError:
        return Completion.objects.get(person=person, family=module.family)


@transaction.atomic
def check_submit(
    *, module: Module, person, answers: dict[str, int], fingerprint: str, nonce: uuid.UUID
) -> Attempt:
    """Score one submitted check and record it; the same form submitted again counts once.

    `answers` maps question codes to the index of the chosen choice. Raises CheckChanged
    when HR edited the questions after the form was shown.
    """
    existing = Attempt.objects.filter(person=person, nonce=nonce).first()
    if existing is not None:
        return existing
    if module.status != Module.Status.PUBLISHED:
        raise ValidationError(_("This module is not published."))
    questions = check_questions(module)
    if not questions:
        raise ValidationError(_("This module has no knowledge check."))
    if fingerprint != check_fingerprint(questions):
        raise CheckChanged(
            _("This check changed while you were answering it. Please answer it again.")
        )
    chosen: dict[str, int] = {}
    for question in questions:
        value = answers.get(str(question.code))
        if value is None or not 0 <= int(value) < len(question.choices):
            raise ValidationError(_("Answer every question."))
        chosen[str(question.code)] = int(value)
    wrong = [str(q.code) for q in questions if chosen[str(q.code)] != q.answer]
    correct = len(questions) - len(wrong)
    score = round(100 * correct / len(questions))
    attempt = Attempt(
        module=module,
        person=person,
        nonce=nonce,
        answers=chosen,
        wrong=wrong,
        correct_count=correct,
        question_count=len(questions),
        score=score,
        passed=score >= module.pass_mark,
    )
    try:
        # Two submissions of one form at once: the second waits on the unique index,
        # fails, and returns the attempt the first one recorded.
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        return Attempt.objects.get(person=person, nonce=nonce)
    if attempt.passed and not module.needs_sign_off:
        _record_completion(module, person, score=score)
    return attempt


def complete_problems(module: Module, person) -> list[str]:
    """What is missing before `person` can mark `module` as done (empty: nothing)."""
    if module.questions.exists() and not passed_check(module, person):
        return [_("Pass the knowledge check to finish this module.")]
    return []


@transaction.atomic
def module_complete(*, module: Module, person, confirmed: bool = False) -> Completion:
    """Mark a module done: after reading, after passing its check, or by signing off.

    Role expectations are finished by confirming them (`confirmed`); the date is kept.
    """
    existing = completion_of(module, person)
    if existing is not None:
        return existing
    if module.status != Module.Status.PUBLISHED:
        raise ValidationError(_("This module is not published."))
    problems = complete_problems(module, person)
    if problems:
        raise ValidationError(problems)
    if module.needs_sign_off and not confirmed:
        raise ValidationError(
            _("Tick the box to confirm that you have read what is expected of you.")
        )
    best = (
        Attempt.objects.filter(person=person, module__family=module.family, passed=True)
        .order_by("-score")
        .values_list("score", flat=True)
        .first()
    )
    return _record_completion(module, person, score=best, signed=module.needs_sign_off)


# --- the starter library -----------------------------------------------------------


def module_create_from(spec: LibraryModule, *, family, by=None, program=None) -> Module:
    module = Module.objects.create(
        family=family,
        language=spec.language,
        program=program,
        library_key=spec.key if program is None else "",
        title=spec.title,
        summary=spec.summary,
        audience=spec.audience,
        topic=spec.topic,
        estimated_minutes=spec.minutes,
        pass_mark=spec.pass_mark,
        status=Module.Status.PUBLISHED,
        created_by=by,
    )
    Section.objects.bulk_create(
        Section(module=module, title=title, body=body, order=order)
        for order, (title, body) in enumerate(spec.sections)
    )
    Question.objects.bulk_create(
        Question(module=module, text=q.text, choices=q.choices, answer=q.answer, order=order)
        for order, q in enumerate(spec.questions)
    )
    return module


@transaction.atomic
def library_install(*, by=None) -> dict[str, int]:
    """Add the starter modules the library lacks; what is there already is left as HR left it.

    Safe to run again: modules are found by their library key and language, and the
    translations of one key share a family. A module HR removed stays removed.
    """
    by_key: dict[str, list[LibraryModule]] = defaultdict(list)
    for spec in library_modules():
        by_key[spec.key].append(spec)
    existing = {
        (module.library_key, module.language): module
        for module in Module.objects.library().exclude(library_key="")
    }
    created = kept = 0
    for key, specs in by_key.items():
        present = [existing[(key, s.language)] for s in specs if (key, s.language) in existing]
        family = present[0].family if present else None
        for spec in specs:
            if (key, spec.language) in existing:
                kept += 1
                continue
            if family is None:
                family = uuid.uuid4()
            module_create_from(spec, family=family, by=by)
            created += 1
    return {"created": created, "kept": kept}
