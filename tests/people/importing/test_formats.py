"""Employee files as HR systems and Excel produce them are read and imported."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from people.importing.reading import employees_read
from people.importing.services import employees_import
from people.models import Department, Skill, User
from tests.factories import DepartmentFactory, SkillFactory, UserFactory
from tests.people.importing.conftest import HEADER, SAMPLE, employee_file, problems, spanish_excel


def test_the_sample_file_imports_everyone_with_managers_skills_languages_and_departments(db):
    plan = employees_import(data=SAMPLE.read_bytes())

    assert plan.errors == []
    assert len(plan.creates) == 8
    assert User.objects.count() == 8
    carmen = User.objects.get(email="carmen.vidal@example.com")
    elena = User.objects.get(email="elena.ferrer@example.com")
    pablo = User.objects.get(email="pablo.navarro@example.com")
    assert carmen.manager is None
    assert pablo.manager == elena
    assert elena.manager.email == "alberto.sanz@example.com"
    assert list(carmen.reports.order_by("email").values_list("email", flat=True)) == [
        "alberto.sanz@example.com",
        "laura.castro@example.com",
        "nuria.campos@example.com",
        "sergio.iglesias@example.com",
    ]
    assert elena.department.name == "Ingeniería"
    assert elena.job_title == "Ingeniera sénior"
    assert elena.location == "Barcelona"
    assert {s.name for s in elena.skills.all()} == {"Python", "Django", "Mentoría técnica"}
    assert {language.code for language in elena.languages.all()} == {"es", "ca", "en"}
    assert set(Department.objects.values_list("name", flat=True)) == {
        "Dirección",
        "Ingeniería",
        "Ventas",
        "Recursos Humanos",
        "Finanzas",
    }
    assert Skill.objects.filter(name="Liderazgo").count() == 1
    assert Skill.objects.get(name="Liderazgo").people.count() == 3


def test_imported_people_cannot_sign_in_with_a_password_but_their_email_is_verified(db):
    employees_import(data=SAMPLE.read_bytes())

    pablo = User.objects.get(email="pablo.navarro@example.com")
    assert not pablo.has_usable_password()
    address = EmailAddress.objects.get(user=pablo)
    assert (address.email, address.verified, address.primary) == (pablo.email, True, True)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_the_spanish_excel_variant_of_the_sample_imports_the_same_people(db, encoding):
    data = spanish_excel(SAMPLE.read_bytes()).encode(encoding)

    plan = employees_import(data=data)

    assert plan.errors == []
    assert len(plan.creates) == 8
    elena = User.objects.get(email="elena.ferrer@example.com")
    assert elena.department.name == "Ingeniería"
    assert elena.manager.email == "alberto.sanz@example.com"
    assert {s.name for s in elena.skills.all()} == {"Python", "Django", "Mentoría técnica"}


def test_headers_are_matched_in_any_order_whatever_their_case_accents_and_spaces(db):
    data = employee_file(
        "Ciudad de Vigo,E-1,ana@example.com,Díaz,Ana,Ventas",
        header=" Ubicación ,Employee ID,CORREO,Apellidos,Nombre,Departamento",
    )

    plan = employees_import(data=data)

    assert plan.errors == []
    ana = User.objects.get(email="ana@example.com")
    assert (ana.first_name, ana.last_name, ana.location) == ("Ana", "Díaz", "Ciudad de Vigo")
    assert ana.department.name == "Ventas"


def test_crlf_quoted_cells_and_blank_lines_anywhere_are_read(db):
    data = (
        "\r\n"
        f"{HEADER}\r\n"
        "\r\n"
        'ana@example.com,Ana,Díaz,Ventas,"Directora, comercial",,Sevilla,"es, en","Negociación"\r\n'
        ",,,,,,,,\r\n"
        "\r\n"
    ).encode()

    plan = employees_import(data=data)

    assert plan.errors == []
    assert [row.line for row in plan.rows] == [4]
    ana = User.objects.get(email="ana@example.com")
    assert ana.job_title == "Directora, comercial"


def test_line_numbers_count_blank_lines_and_cells_that_span_several_lines(db):
    data = (
        f"{HEADER}\n"
        "\n"
        'ana@example.com,Ana,Díaz,Ventas,"Directora\ncomercial",,,,\n'
        "\n"
        "juan@@x,Juan,Gil,Ventas,,,,,\n"
    ).encode()

    plan = employees_read(data)

    assert problems(plan) == ["line 6: “juan@@x” is not a valid email address."]


def test_a_semicolon_file_with_commas_inside_its_cells_is_read_by_its_header(db):
    data = (
        "email;first_name;last_name;department;languages;skills\n"
        "ana@example.com;Ana;Díaz;Ventas;es, en;Python, Django\n"
    ).encode()

    employees_import(data=data)

    ana = User.objects.get(email="ana@example.com")
    assert {s.name for s in ana.skills.all()} == {"Python", "Django"}
    assert {language.code for language in ana.languages.all()} == {"es", "en"}


def test_a_manager_listed_after_their_report_is_linked(db):
    data = employee_file(
        "pablo@example.com,Pablo,Navarro,Ingeniería,,elena@example.com,,,",
        "elena@example.com,Elena,Ferrer,Ingeniería,,,,,",
    )

    employees_import(data=data)

    assert User.objects.get(email="pablo@example.com").manager.email == "elena@example.com"


def test_a_manager_already_in_the_directory_can_be_named_without_being_in_the_file(db):
    boss = UserFactory(email="boss@example.com")

    employees_import(data=employee_file("ana@example.com,Ana,Díaz,Ventas,,BOSS@example.com,,,"))

    assert User.objects.get(email="ana@example.com").manager == boss


def test_languages_are_read_from_codes_and_from_names_in_english_spanish_or_native_form(db):
    data = employee_file('ana@example.com,Ana,Díaz,Ventas,,,,"es, English, Català, portugués",')

    employees_import(data=data)

    ana = User.objects.get(email="ana@example.com")
    assert {language.code for language in ana.languages.all()} == {"es", "en", "ca", "pt"}


def test_skills_and_departments_are_reused_whatever_their_case(db):
    python = SkillFactory(name="Python")
    sales = DepartmentFactory(name="Ventas")

    employees_import(data=employee_file('ana@example.com,Ana,Díaz,VENTAS,,,,,"python, PYTHON"'))

    ana = User.objects.get(email="ana@example.com")
    assert ana.department == sales
    assert list(ana.skills.all()) == [python]
    assert Skill.objects.count() == 1
    assert Department.objects.count() == 1


def test_cells_are_trimmed_and_guarded_formulas_come_back_as_typed(db):
    data = employee_file("  ana@example.com , Ana ,Díaz,Ventas,'=SUM(A1),,'-Madrid,,")

    employees_import(data=data)

    ana = User.objects.get(email="ana@example.com")
    assert (ana.first_name, ana.job_title, ana.location) == ("Ana", "=SUM(A1)", "-Madrid")
