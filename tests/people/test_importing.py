from __future__ import annotations

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.utils import translation

from people.importing.reading import ImportRejected, RowError, employees_read
from people.importing.services import employees_import
from people.models import Department, Language, Skill, User
from tests.factories import DepartmentFactory, LanguageFactory, SkillFactory, UserFactory

SAMPLE = Path(__file__).parent / "data" / "employees.csv"  # shared/samples/employees.csv
HEADER = "email,first_name,last_name,department,job_title,manager_email,location,languages,skills"
SPANISH_HEADER = (
    "correo;nombre;apellidos;departamento;puesto;correo_responsable;ubicacion;idiomas;competencias"
)


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in their English source text, whatever the default language."""
    with translation.override("en"):
        yield


def employee_file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows, ""]).encode()


def problems(plan) -> list[str]:
    return [str(error) for error in plan.errors]


def spanish_excel(data: bytes) -> str:
    """The sample as Spanish Excel saves it: Spanish headers, semicolons, CRLF."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(data.decode())))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(SPANISH_HEADER.split(";"))
    writer.writerows(rows[1:])
    return out.getvalue()


# --- reading what HR systems produce -----------------------------------------------


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


# --- importing again ---------------------------------------------------------------


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


# --- problems ----------------------------------------------------------------------

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
