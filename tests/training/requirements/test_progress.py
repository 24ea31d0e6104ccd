"""Progress: each person's checklist, HR's view per program, role and person, and its export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.utils import timezone, translation

from tests.factories import ApplicationFactory, ProgramFactory, UserFactory
from training.exporting import write_progress_csv
from training.models import Completion
from training.modules.services import module_complete
from training.requirements import services
from training.requirements.selectors import checklists_for, optional_modules_for, program_progress

from ..conftest import enrol, make_module


def _program_started(days_ago: int, **kwargs):
    today = timezone.localdate()
    return ProgramFactory(
        status="running",
        recruitment_opens=today - timedelta(days=days_ago + 40),
        recruitment_closes=today - timedelta(days=days_ago + 20),
        matching_deadline=today - timedelta(days=days_ago + 5),
        starts_on=today - timedelta(days=days_ago),
        ends_on=today + timedelta(days=120),
        **kwargs,
    )


def test_a_participant_s_checklist_shows_what_is_done_overdue_and_due(hr_admin):
    program = _program_started(10)
    person = UserFactory(language="en")
    enrol(program, person, "mentee")
    done = make_module(title="Hecho")
    late = make_module(title="Atrasado")
    ahead = make_module(title="Pendiente")
    make_module(title="Ahead", language="en", family=ahead.family)
    for module, days in ((done, -7), (late, 5), (ahead, 20)):
        services.requirement_add(
            program=program, role="mentee", module=module, due_days=days, by=hr_admin
        )
    services.requirement_add(
        program=program,
        role="mentor",
        module=make_module(title="Mentores"),
        due_days=0,
        by=hr_admin,
    )
    module_complete(module=done, person=person)

    (checklist,) = checklists_for(person)
    assert [item.module.title for item in checklist.items] == ["Hecho", "Atrasado", "Ahead"]
    assert [(item.done, item.overdue) for item in checklist.items] == [
        (True, False),
        (False, True),
        (False, False),
    ]
    assert (checklist.done_count, checklist.overdue_count, checklist.complete) == (1, 1, False)
    assert checklist.next_due == program.starts_on + timedelta(days=5)


def test_people_see_no_checklist_for_programs_they_are_not_approved_in(hr_admin, program):
    person = UserFactory()
    enrol(ProgramFactory(status="draft"), person, "mentee")
    ApplicationFactory(program=program, person=person, role="mentee", status="submitted")
    assert checklists_for(person) == []


def test_optional_modules_are_the_published_ones_for_the_person_s_roles(hr_admin, program):
    person = UserFactory(language="en")
    enrol(program, person, "mentor")
    required = make_module(title="Obligatorio")
    services.requirement_add(
        program=program, role="mentor", module=required, due_days=0, by=hr_admin
    )
    spanish = make_module(title="Retroalimentación")
    make_module(title="Feedback", language="en", family=spanish.family)
    make_module(title="Solo aprendices", audience="mentee")
    make_module(title="Borrador", status="draft")
    make_module(title="De otro programa", program=ProgramFactory())
    own = make_module(title="Del programa", program=program, audience="mentor")
    optional = optional_modules_for(person, checklists_for(person))
    assert sorted(m.title for m in optional) == ["Del programa", "Feedback"]
    assert own in optional


def _progress_program(hr_admin):
    program = _program_started(30)
    first = make_module(title="Primero")
    second = make_module(title="=Segundo")  # a formula in a title stays text in the export
    for module, days in ((first, -7), (second, 10)):
        for role in ("mentee", "mentor"):
            services.requirement_add(
                program=program, role=role, module=module, due_days=days, by=hr_admin
            )
    up_to_date = enrol(program, UserFactory(first_name="Ana", last_name="Al día"), "mentee").person
    behind = enrol(program, UserFactory(first_name="Bruno", last_name="Tarde"), "mentee").person
    mentor = enrol(program, UserFactory(first_name="Carla", last_name="Mentora"), "mentor").person
    for module in (first, second):
        module_complete(module=module, person=up_to_date)
    module_complete(module=first, person=behind)
    return program, up_to_date, behind, mentor


def test_hr_sees_progress_per_role_and_person_and_who_is_behind(hr_admin):
    program, up_to_date, behind, mentor = _progress_program(hr_admin)
    progress = program_progress(program)
    rows = {row.person: row for row in progress.rows}
    assert rows[up_to_date].complete and not rows[up_to_date].behind
    assert rows[behind].behind and rows[behind].done_count == 1
    assert rows[mentor].overdue_count == 2
    summary = {row["role"]: row for row in progress.summary()}
    assert (summary["mentee"]["people"], summary["mentee"]["complete"]) == (2, 1)
    assert summary["mentee"]["behind"] == 1 and summary["mentor"]["behind"] == 1
    only_behind = program_progress(program, behind_only=True, role="mentee")
    assert [row.person for row in only_behind.rows] == [behind]


def test_the_progress_export_has_a_row_per_person_and_neutralises_formulas(hr_admin):
    program, up_to_date, behind, mentor = _progress_program(hr_admin)
    out = io.StringIO()
    with translation.override("en"):
        assert write_progress_csv(out, program_progress(program)) == 3
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    header = rows[0]
    assert header[:5] == ["Name", "Email", "Department", "Role", "Done"]
    assert any(cell.startswith("'=Segundo") for cell in header)
    by_email = {row[1]: row for row in rows[1:]}
    completed_on = timezone.localdate(
        Completion.objects.get(person=behind, module__title="Primero").completed_at
    )
    assert completed_on.isoformat() in by_email[behind.email]
    assert by_email[mentor.email][6] == "2"  # overdue
