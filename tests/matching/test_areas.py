"""Areas: one definition for the engine, the checks, the reasons and HR's proposals page."""

from __future__ import annotations

import pytest
from django.utils import translation

from matching.profiles import area_level_in_use, areas_by_department, program_scores
from tests.factories import ApplicationFactory, DepartmentFactory, ProgramFactory, UserFactory


@pytest.fixture
def company(db):
    """One root (as most companies), two branches under it, teams under the branches."""
    root = DepartmentFactory(name="Dirección")
    engineering = DepartmentFactory(name="Ingeniería", parent=root)
    operations = DepartmentFactory(name="Operaciones", parent=root)
    return {
        "hr": UserFactory(hr=True, department=root),
        "root": root,
        "engineering": engineering,
        "platform": DepartmentFactory(name="Plataforma", parent=engineering),
        "product": DepartmentFactory(name="Producto", parent=engineering),
        "operations": operations,
        "maintenance": DepartmentFactory(name="Mantenimiento", parent=operations),
        "support": DepartmentFactory(name="Atención al cliente", parent=operations),
    }


def test_a_single_root_is_never_an_area_by_itself(company):
    program = ProgramFactory(created_by=company["hr"])
    area_of = areas_by_department(program)
    assert area_level_in_use(program) == 2
    assert area_of[company["platform"].pk] == company["engineering"].pk
    assert area_of[company["product"].pk] == company["engineering"].pk
    assert area_of[company["maintenance"].pk] == company["operations"].pk
    assert area_of[company["support"].pk] == company["operations"].pk
    # People placed in the root itself are an area of their own, not everyone's.
    assert area_of[company["root"].pk] == company["root"].pk


def test_hr_chooses_a_deeper_level_for_a_whole_company_program(company):
    program = ProgramFactory(area_level=3, created_by=company["hr"])
    area_of = areas_by_department(program)
    assert area_level_in_use(program) == 3
    assert area_of[company["maintenance"].pk] == company["maintenance"].pk
    assert area_of[company["support"].pk] == company["support"].pk
    # A department above the level is an area of its own.
    assert area_of[company["engineering"].pk] == company["engineering"].pk


def test_listed_areas_win_over_the_level_and_leave_the_rest_out(company):
    program = ProgramFactory(area_level=1, created_by=company["hr"])
    program.areas.set([company["maintenance"], company["engineering"]])
    area_of = areas_by_department(program)
    assert area_level_in_use(program) is None
    assert area_of[company["maintenance"].pk] == company["maintenance"].pk
    assert area_of[company["product"].pk] == company["engineering"].pk
    assert company["support"].pk not in area_of
    assert company["root"].pk not in area_of


def test_several_top_level_departments_are_the_areas_by_default(db):
    sales, platform = DepartmentFactory(name="Ventas"), DepartmentFactory(name="Plataforma")
    program = ProgramFactory(created_by=UserFactory(hr=True, department=sales))
    assert area_level_in_use(program) == 1
    assert areas_by_department(program) == {sales.pk: sales.pk, platform.pk: platform.pk}


def _apply(program, role, department, **answers):
    return ApplicationFactory(
        program=program,
        role=role,
        status="approved",
        person=UserFactory(language="en", department=department),
        answers=answers,
    )


def test_the_area_reason_follows_the_same_definition(company):
    program = ProgramFactory(status="matching", created_by=company["hr"])
    area_question = program.questions.get(role="mentee", criterion="area")
    wants_other = {str(area_question.code): area_question.choices[1]}
    mentee = _apply(program, "mentee", company["platform"], **wants_other)
    colleague = _apply(program, "mentor", company["product"])
    salesperson = _apply(program, "mentor", company["support"])
    scored = program_scores(program, [mentee], [colleague, salesperson])
    with translation.override("en"):
        same = [r["text"] for r in scored.explain(0, 0, audience="mentee")]
        other = [r["text"] for r in scored.explain(0, 1, audience="mentee")]
    assert "From your own area" in same
    assert "From another area" in other
    assert scored.scores[0, 1] > scored.scores[0, 0]
