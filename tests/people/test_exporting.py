from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from people.exporting import write_employees_csv
from people.importing.reading import employees_read
from people.models import User
from tests.factories import DepartmentFactory, LanguageFactory, SkillFactory, UserFactory

HEADER = [
    "email",
    "first_name",
    "last_name",
    "department",
    "job_title",
    "manager_email",
    "location",
    "languages",
    "skills",
]


def exported(people=None) -> tuple[str, int]:
    out = io.StringIO()
    count = write_employees_csv(out, people)
    return out.getvalue(), count


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def team(db):
    engineering = DepartmentFactory(name="Ingeniería")
    boss = UserFactory(
        email="boss@example.com",
        first_name="Carmen",
        last_name="Vidal",
        department=engineering,
        job_title="Directora",
        location="Madrid",
    )
    ana = UserFactory(
        email="ana@example.com",
        first_name="Ana",
        last_name="Díaz",
        department=engineering,
        job_title="=SUM(A1)",
        location="@home",
        manager=boss,
    )
    ana.skills.add(SkillFactory(name="Python"), SkillFactory(name="django"))
    ana.languages.add(LanguageFactory(code="es"), LanguageFactory(code="en"))
    UserFactory(
        email="zoe@example.com",
        first_name="Zoe",
        last_name="Quintana",
        department=engineering,
        job_title="-lead",
        manager=ana,
        is_active=False,
    )
    return boss, ana


def test_the_export_has_the_import_header_and_everyone_ordered_by_email(team):
    text, count = exported()

    rows = rows_of(text)
    assert count == 3
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == [
        "ana@example.com",
        "boss@example.com",
        "zoe@example.com",
    ]


def test_each_row_names_the_department_the_manager_by_email_and_joins_languages_and_skills(team):
    rows = rows_of(exported()[0])

    assert rows[1] == [
        "ana@example.com",
        "Ana",
        "Díaz",
        "Ingeniería",
        "'=SUM(A1)",
        "boss@example.com",
        "'@home",
        "en, es",
        "django, Python",
    ]
    assert rows[2][5] == ""


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralized(team):
    text = exported()[0]

    assert "'=SUM(A1)" in text
    assert ",'-lead," in text
    assert ",=SUM" not in text


def test_inactive_people_are_exported_too(team):
    rows = rows_of(exported()[0])

    assert rows[3][:3] == ["zoe@example.com", "Zoe", "Quintana"]


def test_the_export_takes_the_same_number_of_queries_whatever_the_size(
    team, django_assert_num_queries
):
    with django_assert_num_queries(3):
        exported()
    for n in range(20):
        person = UserFactory(email=f"extra{n}@example.com", manager=team[0])
        person.skills.add(SkillFactory(name=f"Skill {n}"))
    with django_assert_num_queries(3):
        assert exported()[1] == 23


def test_the_export_can_be_limited_to_some_people(team):
    text, count = exported(User.objects.filter(is_active=True))

    assert count == 2
    assert [row[0] for row in rows_of(text)[1:]] == ["ana@example.com", "boss@example.com"]


def test_an_exported_file_imports_back_with_everyone_unchanged(team):
    data = exported()[0].encode()

    plan = employees_read(data)

    assert plan.errors == []
    assert [(row.email, row.action) for row in plan.rows] == [
        ("ana@example.com", "unchanged"),
        ("boss@example.com", "unchanged"),
        ("zoe@example.com", "unchanged"),
    ]
    assert plan.rows[0].values["job_title"] == "=SUM(A1)"


def test_the_export_command_writes_a_file_with_a_byte_order_mark_that_imports_unchanged(
    team, tmp_path
):
    path = tmp_path / "people.csv"
    out = io.StringIO()

    call_command("export_employees", str(path), stdout=out)

    assert out.getvalue() == f"3 people written to {path}.\n"
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfemail,first_name,")
    assert b"\r\n" in data
    out = io.StringIO()
    call_command("import_employees", str(path), stdout=out)
    assert out.getvalue() == "0 created, 0 updated, 3 unchanged.\n"


def test_the_export_command_writes_to_stdout_without_a_path(team):
    out = io.StringIO()

    call_command("export_employees", stdout=out)

    rows = rows_of(out.getvalue())
    assert rows[0] == HEADER
    assert len(rows) == 4
    assert rows[1][4] == "'=SUM(A1)"
