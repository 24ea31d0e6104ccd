"""Reads of modules every training feature builds on: translations, completions, checks.

Every function here runs a fixed number of queries, whatever the number of people or modules.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import get_language

from programs.models import Program

from ..library import library_modules
from ..models import Attempt, Completion, Module, Question

# Programs whose participants are tracked, reminded and gated (drafts are hidden, closed ones over).
ACTIVE_STATUSES = (Program.Status.RECRUITING, Program.Status.MATCHING, Program.Status.RUNNING)


def language_of(person=None) -> str:
    language = getattr(person, "language", "") or get_language() or "es"
    return language.split("-")[0]


def translations(families: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Module]]:
    """The published translations of these families, in one query."""
    found: dict[uuid.UUID, list[Module]] = defaultdict(list)
    families = set(families)
    if families:
        for module in Module.objects.published().filter(family__in=families):
            found[module.family].append(module)
    return found


def pick(fallback: Module, versions: list[Module], language: str) -> Module:
    """The translation in `language` when there is a published one, else `fallback`."""
    for module in versions:
        if module.language == language:
            return module
    return fallback


def completions_of(people_ids: Iterable[int], families: Iterable[uuid.UUID]) -> dict:
    """{(person id, family): Completion} in one query."""
    people_ids, families = set(people_ids), set(families)
    if not people_ids or not families:
        return {}
    rows = Completion.objects.filter(person_id__in=people_ids, family__in=families)
    return {(c.person_id, c.family): c for c in rows}


def blocking_programs(module: Module) -> list[Program]:
    """Programs that are not closed and require this module of someone."""
    return list(
        Program.objects.filter(training_requirements__module=module)
        .exclude(status=Program.Status.CLOSED)
        .distinct()
        .order_by("name")
    )


# --- knowledge checks and completions ----------------------------------------------


def check_questions(module: Module) -> list[Question]:
    return list(module.questions.order_by("order", "pk"))


def check_fingerprint(questions: list[Question]) -> str:
    """Changes whenever a question, a choice or the right answer changes, or one is added."""
    data = [[str(q.code), q.text, q.choices, q.answer] for q in questions]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:32]


def completion_of(module: Module, person) -> Completion | None:
    return Completion.objects.filter(person=person, family=module.family).first()


def passed_check(module: Module, person) -> bool:
    """A passed attempt at any translation of the module counts."""
    return Attempt.objects.filter(person=person, module__family=module.family, passed=True).exists()


# --- the starter library -----------------------------------------------------------


def library_missing() -> bool:
    """True while some starter module has never been installed."""
    keys = {(spec.key, spec.language) for spec in library_modules()}
    present = set(
        Module.objects.library().exclude(library_key="").values_list("library_key", "language")
    )
    return bool(keys - present)


def personal_data(*, person) -> dict:
    """The `people.personal_data` section: modules completed, quiz attempts, workshops."""
    from people.personal_data import rows

    from ..models import WorkshopRegistration

    return {
        "completions": rows(
            Completion.objects.filter(person=person).order_by("completed_at", "pk"),
            "module__title",
            "completed_at",
            "score",
            "signed_off_at",
        ),
        "quiz_attempts": rows(
            Attempt.objects.filter(person=person).order_by("created_at", "pk"),
            "module__title",
            "answers",
            "score",
            "passed",
            "created_at",
        ),
        "workshop_registrations": rows(
            WorkshopRegistration.objects.filter(person=person).order_by("created_at", "pk"),
            "workshop__title",
            "workshop__starts_at",
            "status",
            "attended",
            "created_at",
        ),
    }
