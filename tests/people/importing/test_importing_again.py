"""Importing again updates people by email and changes only what the file owns."""

from __future__ import annotations

from people.importing.reading import employees_read
from people.importing.services import employees_import
from people.models import Department, Language, Skill, User
from tests.factories import LanguageFactory, SkillFactory, UserFactory
from tests.people.importing.conftest import SAMPLE, employee_file


def test_importing_again_updates_people_by_email_and_never_duplicates_them(db):
    employees_import(data=SAMPLE.read_bytes())
    changed = (
        SAMPLE.read_text(encoding="utf-8")
        .replace("pablo.navarro@example.com", "Pablo.Navarro@EXAMPLE.com")
        .replace("Ingeniero júnior", "Ingeniero")
    )

    plan = employees_import(data=changed.encode())

    assert User.objects.count() == 8
    assert [(row.email, row.changes) for row in plan.updates] == [
        ("pablo.navarro@example.com", ["job title"])
    ]
    assert len(plan.unchanged) == 7
    assert plan.creates == []
    pablo = User.objects.get(email="pablo.navarro@example.com")
    assert pablo.job_title == "Ingeniero"


def test_an_existing_person_is_found_whatever_the_case_of_their_email(db):
    ana = UserFactory(email="Ana.Diaz@Example.com", first_name="Ana", last_name="Díaz")

    plan = employees_import(
        data=employee_file(f"ana.diaz@example.com,Ana,Díaz,{ana.department.name},Analyst,,,,")
    )

    assert [row.changes for row in plan.updates] == [["email"]]
    assert User.objects.count() == 1
    ana.refresh_from_db()
    assert ana.email == "ana.diaz@example.com"


def test_the_plan_names_the_fields_that_change_by_their_labels(db):
    boss = UserFactory(email="boss@example.com")
    ana = UserFactory(email="ana@example.com", first_name="Ana", last_name="Díaz", job_title="X")
    ana.skills.add(SkillFactory(name="Excel"))

    plan = employees_read(
        employee_file(f"ana@example.com,Ana,Díaz,{ana.department.name},Y,{boss.email},,,Python")
    )

    assert [(row.action, row.changes) for row in plan.rows] == [
        ("update", ["job title", "manager", "skills"])
    ]
    assert plan.rows[0].values == {
        "first_name": "Ana",
        "last_name": "Díaz",
        "department": ana.department.name,
        "job_title": "Y",
        "manager_email": "boss@example.com",
        "location": "",
        "languages": [],
        "skills": ["Python"],
    }


def test_languages_and_skills_are_replaced_by_the_file_and_an_empty_cell_clears_them(db):
    ana = UserFactory(email="ana@example.com", first_name="Ana", last_name="Díaz")
    ana.skills.add(SkillFactory(name="Excel"), SkillFactory(name="Python"))
    ana.languages.add(LanguageFactory(code="es"))
    bea = UserFactory(email="bea@example.com", first_name="Bea", last_name="Sanz")
    bea.skills.add(SkillFactory(name="Excel"))
    bea.languages.add(LanguageFactory(code="en"))
    department = ana.department.name

    employees_import(
        data=employee_file(
            f'ana@example.com,Ana,Díaz,{department},Analyst,,,"en, fr","Python, SQL"',
            f"bea@example.com,Bea,Sanz,{department},Analyst,,,,",
        )
    )

    assert {s.name for s in ana.skills.all()} == {"Python", "SQL"}
    assert {language.code for language in ana.languages.all()} == {"en", "fr"}
    assert not bea.skills.exists()
    assert not bea.languages.exists()
    assert Skill.objects.filter(name="Excel").exists()  # the skill itself stays


def test_people_not_in_the_file_are_left_untouched(db):
    manager = UserFactory(email="boss@example.com", job_title="Boss")
    other = UserFactory(email="other@example.com", job_title="Tester", manager=manager)

    employees_import(data=employee_file("ana@example.com,Ana,Díaz,Ventas,,,,,"))

    other.refresh_from_db()
    assert (other.job_title, other.manager, other.is_active) == ("Tester", manager, True)


def test_optional_columns_left_out_of_the_file_keep_what_the_directory_has(db):
    boss = UserFactory(email="boss@example.com")
    ana = UserFactory(email="ana@example.com", job_title="Analyst", location="Bilbao", manager=boss)
    ana.skills.add(SkillFactory(name="Excel"))

    plan = employees_import(
        data=employee_file(
            f"ana@example.com,Ana,Díaz,{ana.department.name}",
            header="email,first_name,last_name,department",
        )
    )

    assert plan.updates[0].changes == ["first name", "last name"]
    ana.refresh_from_db()
    assert (ana.job_title, ana.location, ana.manager) == ("Analyst", "Bilbao", boss)
    assert [s.name for s in ana.skills.all()] == ["Excel"]


def test_an_inactive_person_in_the_file_stays_inactive(db):
    ana = UserFactory(email="ana@example.com", is_active=False)

    employees_import(data=employee_file("ana@example.com,Ana,Díaz,Ventas,,,,,"))

    ana.refresh_from_db()
    assert not ana.is_active
    assert ana.first_name == "Ana"


def test_five_hundred_generated_people_import_and_then_import_again_unchanged(
    db, django_assert_max_num_queries
):
    SkillFactory(name="Python")
    rows = [
        f"person{n:03d}@example.com,Name{n},Surname{n},Department {n % 7},Role {n % 11},"
        f"{f'person{n // 10:03d}@example.com' if n >= 10 else ''},City {n % 5},"
        f'"es, en","Python, Skill {n % 13}"'
        for n in reversed(range(500))  # reports come before their managers
    ]
    data = employee_file(*rows)

    plan = employees_import(data=data)

    assert len(plan.creates) == 500
    assert User.objects.count() == 500
    assert User.objects.get(email="person123@example.com").manager.email == "person012@example.com"
    assert Skill.objects.count() == 14
    assert Department.objects.count() == 7
    assert Language.objects.count() == 2
    with django_assert_max_num_queries(12):
        again = employees_read(data)
    assert len(again.unchanged) == 500
