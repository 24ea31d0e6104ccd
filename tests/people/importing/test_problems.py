"""Every problem in an employee file is reported with its line; nothing is written."""

from __future__ import annotations

import pytest

from people.importing.reading import ImportRejected, RowError, employees_read
from people.importing.services import employees_import
from people.models import Department, Skill, User
from tests.factories import UserFactory
from tests.people.importing.conftest import HEADER, SAMPLE, employee_file, problems

LONG = "x" * 151


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "juan@@x,Juan,Gil,Ventas,,,,,",
            "line 3: “juan@@x” is not a valid email address.",
        ),
        (",Juan,Gil,Ventas,,,,,", "line 3: The email is missing."),
        ("juan@example.com,,Gil,Ventas,,,,,", "line 3: The first name is missing."),
        ("juan@example.com,Juan,,Ventas,,,,,", "line 3: The last name is missing."),
        ("juan@example.com,Juan,Gil,,,,,,", "line 3: The department is missing."),
        (
            "BOSS@example.com,Juan,Gil,Ventas,,,,,",
            "line 3: boss@example.com is already on line 2: each person can appear only once.",
        ),
        (
            "juan@example.com,Juan,Gil,Ventas,,nobody@example.com,,,",
            "line 3: The manager nobody@example.com is neither in the file nor in the "
            "directory. Add them to the file or correct the email.",
        ),
        (
            "juan@example.com,Juan,Gil,Ventas,,boss@,,,",
            "line 3: The manager email “boss@” is not a valid email address.",
        ),
        (
            "juan@example.com,Juan,Gil,Ventas,,Juan@Example.com,,,",
            "line 3: juan@example.com cannot be their own manager.",
        ),
        (
            'juan@example.com,Juan,Gil,Ventas,,,,"es, klingon",',
            "line 3: “klingon” is not a language we recognise. Use a code such as “es” or a "
            "name such as “Spanish”.",
        ),
        (
            f"juan@example.com,Juan,Gil,Ventas,{LONG},,,,",
            "line 3: Job title has 151 characters; the limit is 150.",
        ),
        (
            f"juan@example.com,{LONG},Gil,Ventas,,,,,",
            "line 3: First name has 151 characters; the limit is 150.",
        ),
        (
            f"juan@example.com,Juan,Gil,{'d' * 121},,,,,",
            "line 3: Department has 121 characters; the limit is 120.",
        ),
        (
            f"juan@example.com,Juan,Gil,Ventas,,,,,{'s' * 121}",
            f"line 3: The skill “{'s' * 30}…” has 121 characters; the limit is 120.",
        ),
    ],
)
def test_each_problem_is_reported_with_its_line_and_blocks_the_import(db, row, message):
    data = employee_file("boss@example.com,Bea,Sanz,Ventas,,,,,", row)

    with pytest.raises(ImportRejected) as rejected:
        employees_import(data=data)

    assert problems(rejected.value.plan) == [message]
    assert User.objects.count() == 0


def test_every_problem_in_the_file_is_reported_not_just_the_first(db):
    data = employee_file(
        "ana@example.com,Ana,,Ventas,,,,,",
        "ok@example.com,Oscar,Luna,Ventas,,,,,",
        "bad-email,,Gil,Ventas,,,,,",
    )

    plan = employees_read(data)

    assert problems(plan) == [
        "line 2: The last name is missing.",
        "line 4: “bad-email” is not a valid email address.",
        "line 4: The first name is missing.",
    ]
    assert not plan.is_valid
    assert [row.email for row in plan.rows] == ["ok@example.com"]


def test_nothing_is_written_when_any_row_is_invalid(db):
    text = SAMPLE.read_text(encoding="utf-8") + "nuevo@example.com,Nuevo,,Ventas,,,,,\n"

    with pytest.raises(ImportRejected) as rejected:
        employees_import(data=text.encode())

    assert problems(rejected.value.plan) == ["line 10: The last name is missing."]
    assert User.objects.count() == 0
    assert Department.objects.count() == 0
    assert Skill.objects.count() == 0


def test_reading_a_file_writes_nothing(db):
    plan = employees_read(SAMPLE.read_bytes())

    assert len(plan.creates) == 8
    assert User.objects.count() == 0
    assert Department.objects.count() == 0
    assert Skill.objects.count() == 0


def test_a_loop_in_the_manager_line_is_reported_once_naming_everyone_in_it(db):
    data = employee_file(
        "b@example.com,Bea,Sanz,Ventas,,c@example.com,,,",
        "a@example.com,Ana,Díaz,Ventas,,b@example.com,,,",
        "c@example.com,Carla,Gil,Ventas,,a@example.com,,,",
        "d@example.com,Dani,Gil,Ventas,,a@example.com,,,",
    )

    plan = employees_read(data)

    assert problems(plan) == [
        "line 2: These people would manage each other in a circle: b@example.com → "
        "c@example.com → a@example.com → b@example.com (each one reports to the next). "
        "Change one of their managers."
    ]


def test_a_loop_through_people_already_in_the_directory_is_found(db):
    top = UserFactory(email="top@example.com")
    middle = UserFactory(email="middle@example.com", manager=top)
    UserFactory(email="low@example.com", manager=middle)

    plan = employees_read(employee_file("top@example.com,Tina,Top,Ventas,,low@example.com,,,"))

    assert problems(plan) == [
        "line 2: These people would manage each other in a circle: top@example.com → "
        "low@example.com → middle@example.com → top@example.com (each one reports to the "
        "next). Change one of their managers."
    ]


def test_the_file_overrides_the_directory_when_checking_for_loops(db):
    ana = UserFactory(email="ana@example.com")
    UserFactory(email="bea@example.com", manager=ana)

    plan = employees_import(
        data=employee_file(
            "ana@example.com,Ana,Díaz,Ventas,,bea@example.com,,,",
            "bea@example.com,Bea,Sanz,Ventas,,,,,",
        )
    )

    assert plan.is_valid
    ana.refresh_from_db()
    assert ana.manager.email == "bea@example.com"
    assert User.objects.get(email="bea@example.com").manager is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "line 1: The file is empty."),
        (b"\r\n\r\n", "line 1: The file is empty."),
        (f"{HEADER}\r\n\r\n".encode(), "line 1: The file has column names but no people."),
        (
            b"email,nombre,surname\nana@example.com,Ana,Diaz\n",
            "line 1: The first line must name the columns; these required ones are missing: "
            "last_name, department.",
        ),
        (
            b"email,correo,first_name,last_name,department\n",
            "line 1: Two columns mean “email”: keep only one of them.",
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00rest of a workbook",
            "line 1: This is an Excel workbook, not a CSV file. In Excel choose “Save as” and "
            "the “CSV UTF-8” format, then upload that file.",
        ),
        (
            "email,first_name".encode("utf-16"),
            "line 1: The file has characters that cannot be read: save it as CSV (UTF-8 or "
            "Windows-1252) and upload it again.",
        ),
    ],
)
def test_a_file_without_people_or_usable_columns_is_one_problem(db, data, message):
    assert problems(employees_read(data)) == [message]


def test_a_problem_reads_with_its_line_number_first():
    assert str(RowError(7, "Something is wrong.")) == "line 7: Something is wrong."
