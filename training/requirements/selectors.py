"""Reads of required training: who must do what by when, what is done, who is behind, the
matching gate, and the modules a program may require.

Every function here runs a fixed number of queries, whatever the number of people or modules.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programs.models import Application, Program, Role

from ..models import Completion, Module, Requirement, Section, audiences_for
from ..modules.selectors import ACTIVE_STATUSES, completions_of, language_of, pick, translations

# --- one person -------------------------------------------------------------------


@dataclass
class ChecklistItem:
    requirement: Requirement
    module: Module
    completion: Completion | None
    today: date

    @property
    def due_on(self) -> date:
        return self.requirement.due_on

    @property
    def done(self) -> bool:
        return self.completion is not None

    @property
    def overdue(self) -> bool:
        return not self.done and self.due_on < self.today

    @property
    def days_left(self) -> int:
        return (self.due_on - self.today).days


@dataclass
class Checklist:
    """What one enrolment (a person in a program, in one role) has to do."""

    application: Application
    items: list[ChecklistItem] = field(default_factory=list)

    @property
    def program(self) -> Program:
        return self.application.program

    @property
    def role(self) -> str:
        return self.application.role

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def overdue_count(self) -> int:
        return sum(item.overdue for item in self.items)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.items)

    @property
    def next_due(self) -> date | None:
        pending = [item.due_on for item in self.items if not item.done]
        return min(pending, default=None)


def checklists_for(person, *, today: date | None = None) -> list[Checklist]:
    """A checklist per program the person takes part in (tracked programs only); 4 queries."""
    today = today or timezone.localdate()
    enrolments = list(
        Application.objects.enrolled()
        .filter(person=person, program__status__in=ACTIVE_STATUSES)
        .select_related("program")
        .order_by("program__starts_on", "program__name")
    )
    if not enrolments:
        return []
    requirements = list(
        Requirement.objects.filter(program__in=[a.program for a in enrolments])
        .select_related("module")
        .order_by("due_days", "pk")
    )
    families = {r.module.family for r in requirements}
    versions = translations(families)
    done = completions_of([person.pk], families)
    language = language_of(person)
    checklists = []
    for application in enrolments:
        checklist = Checklist(application=application)
        for requirement in requirements:
            if requirement.program_id != application.program_id:
                continue
            if requirement.role != application.role:
                continue
            requirement.program = application.program
            module = requirement.module
            checklist.items.append(
                ChecklistItem(
                    requirement=requirement,
                    module=pick(module, versions.get(module.family, []), language),
                    completion=done.get((person.pk, module.family)),
                    today=today,
                )
            )
        checklists.append(checklist)
    return checklists


def optional_modules_for(person, checklists: list[Checklist]) -> list[Module]:
    """Published modules meant for the person's roles that none of their programs requires."""
    required = {item.module.family for c in checklists for item in c.items}
    modules = list(
        Module.objects.for_participant(person)
        .published()
        .exclude(family__in=required)
        .order_by("topic", "title", "pk")
    )
    language = language_of(person)
    by_family: dict[uuid.UUID, list[Module]] = defaultdict(list)
    for module in modules:
        by_family[module.family].append(module)
    return [pick(versions[0], versions, language) for versions in by_family.values()]


def requirement_module_choices(program: Program, role: str | None = None):
    """Modules a program may require: published, from the library or its own, with sections."""
    queryset = Module.objects.published().filter(
        Q(program__isnull=True) | Q(program=program),
        pk__in=Section.objects.values("module_id"),
    )
    if role:
        queryset = queryset.filter(audience__in=audiences_for(role))
    return queryset


# --- the matching gate ------------------------------------------------------------


def required_training_problems(program: Program, person, role: str) -> list[str]:
    """What `person` must still finish in `program` as `role`; registered in matching's gate."""
    requirements = list(
        Requirement.objects.filter(program=program, role=role)
        .select_related("module")
        .order_by("due_days", "pk")
    )
    if not requirements:
        return []
    families = {r.module.family for r in requirements}
    done = set(
        Completion.objects.filter(person=person, family__in=families).values_list(
            "family", flat=True
        )
    )
    missing = [r for r in requirements if r.module.family not in done]
    if not missing:
        return []
    versions = translations({r.module.family for r in missing})
    language = language_of()
    problems = []
    for requirement in missing:
        requirement.program = program
        module = pick(requirement.module, versions.get(requirement.module.family, []), language)
        problems.append(
            _("Finish “%(module)s” first (due %(date)s).")
            % {"module": module.title, "date": date_format(requirement.due_on, "DATE_FORMAT")}
        )
    return problems


# --- HR: a program's progress -----------------------------------------------------


@dataclass
class PersonProgress:
    application: Application
    items: list[ChecklistItem]

    @property
    def person(self):
        return self.application.person

    @property
    def role(self) -> str:
        return self.application.role

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def overdue_count(self) -> int:
        return sum(item.overdue for item in self.items)

    @property
    def behind(self) -> bool:
        return self.overdue_count > 0

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.items)

    @property
    def next_due(self) -> date | None:
        return min((item.due_on for item in self.items if not item.done), default=None)


@dataclass
class ProgramProgress:
    requirements: list[Requirement]
    rows: list[PersonProgress]

    def summary(self) -> list[dict]:
        """Per role: people, how many finished everything, how many are behind."""
        out = []
        for role, label in Role.choices:
            rows = [row for row in self.rows if row.role == role]
            out.append(
                {
                    "role": role,
                    "label": label,
                    "people": len(rows),
                    "required": sum(1 for r in self.requirements if r.role == role),
                    "complete": sum(row.complete for row in rows),
                    "behind": sum(row.behind for row in rows),
                }
            )
        return out

    def done_per_requirement(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for row in self.rows:
            for item in row.items:
                counts[item.requirement.pk] += item.done
        return counts


def enrolments_of(program: Program) -> QuerySet[Application]:
    return (
        Application.objects.enrolled()
        .filter(program=program)
        .select_related("person", "person__department")
        .order_by("role", "person__first_name", "person__last_name", "pk")
    )


def program_progress(
    program: Program,
    *,
    role: str = "",
    behind_only: bool = False,
    today: date | None = None,
) -> ProgramProgress:
    """Everyone enrolled in `program` with their required modules, in three queries."""
    today = today or timezone.localdate()
    requirements = list(
        Requirement.objects.filter(program=program)
        .select_related("module")
        .order_by("role", "due_days", "pk")
    )
    for requirement in requirements:
        requirement.program = program
    enrolments = enrolments_of(program)
    if role:
        enrolments = enrolments.filter(role=role)
    enrolments = list(enrolments)
    done = completions_of(
        [a.person_id for a in enrolments], {r.module.family for r in requirements}
    )
    rows = []
    for application in enrolments:
        application.program = program
        items = [
            ChecklistItem(
                requirement=requirement,
                module=requirement.module,
                completion=done.get((application.person_id, requirement.module.family)),
                today=today,
            )
            for requirement in requirements
            if requirement.role == application.role
        ]
        row = PersonProgress(application=application, items=items)
        if behind_only and not row.behind:
            continue
        rows.append(row)
    return ProgramProgress(requirements=requirements, rows=rows)
