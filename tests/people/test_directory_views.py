from __future__ import annotations

import uuid

import pytest
from django.core import mail

from people.models import Department, Skill, User
from tests.factories import DepartmentFactory, LanguageFactory, SkillFactory, UserFactory

HR_PAGES = [
    "/people/",
    "/people/new/",
    "/people/departments/",
    "/people/departments/new/",
    "/people/skills/",
    "/people/import/",
    "/people/export.csv",
]


@pytest.mark.parametrize("url", HR_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("url", HR_PAGES)
def test_people_without_the_hr_role_are_refused(client, mentee, url):
    client.force_login(mentee)
    response = client.get(url)
    assert response.status_code == 403
    assert "No tienes acceso a esta página" in response.content.decode()


@pytest.mark.parametrize("url", HR_PAGES)
def test_hr_admins_reach_every_directory_page(hr_client, url):
    assert hr_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "pattern",
    [
        "/people/{}/",
        "/people/{}/edit/",
        "/people/{}/hr/grant/",
        "/people/departments/{}/",
        "/people/departments/{}/delete/",
        "/people/skills/{}/rename/",
        "/people/skills/{}/merge/",
        "/people/import/{}/",
    ],
)
def test_unknown_objects_are_not_found(hr_client, pattern):
    assert hr_client.get(pattern.format(uuid.uuid4())).status_code == 404


def test_object_pages_are_refused_to_non_hr_even_with_a_real_code(client, mentee, mentor):
    client.force_login(mentee)
    assert client.get(f"/people/{mentor.code}/").status_code == 403
    assert client.post(f"/people/{mentor.code}/hr/grant/").status_code == 403
    assert not mentor.groups.exists()


def test_the_people_list_searches_filters_and_paginates(hr_client):
    sales = DepartmentFactory(name="Ventas")
    python = SkillFactory(name="Python")
    for n in range(30):
        UserFactory(
            first_name=f"Persona{n:02d}", last_name="Ruiz", department=sales, location="Sevilla"
        )
    target = UserFactory(first_name="Zoe", last_name="Quintana", job_title="Data engineer")
    target.skills.add(python)

    page = hr_client.get("/people/").context["page"]
    assert page.paginator.count == 32  # 30 + target + the HR admin
    assert len(page.object_list) == 25

    assert list(hr_client.get("/people/?q=quintana").context["page"].object_list) == [target]
    assert list(hr_client.get("/people/?q=data+eng").context["page"].object_list) == [target]
    assert list(hr_client.get(f"/people/?skills={python.pk}").context["page"].object_list) == [
        target
    ]
    by_department = hr_client.get(f"/people/?department={sales.pk}&page=2").context["page"]
    assert by_department.paginator.count == 30
    assert len(by_department.object_list) == 5
    assert hr_client.get("/people/?location=sevilla").context["page"].paginator.count == 30
    empty = hr_client.get("/people/?q=nobody-is-called-this")
    assert "Nadie coincide con estos filtros." in empty.content.decode()


def test_the_people_list_filters_by_role(hr_client, mentee, manager):
    hr_only = hr_client.get("/people/?role=hr").context["page"].object_list
    managers = hr_client.get("/people/?role=manager").context["page"].object_list
    assert [p.email for p in hr_only] == ["hr.admin@example.com"]
    assert [p.email for p in managers] == [manager.email]


def test_the_people_list_keeps_a_constant_number_of_queries(
    hr_client, django_assert_max_num_queries
):
    boss = UserFactory()
    UserFactory.create_batch(5, manager=boss)
    with django_assert_max_num_queries(12) as small:
        hr_client.get("/people/")
    UserFactory.create_batch(40, manager=boss)
    with django_assert_max_num_queries(len(small.captured_queries)):
        hr_client.get("/people/")


def test_hr_adds_a_person_who_can_then_sign_in_by_resetting_the_password(hr_client, client):
    department = DepartmentFactory(name="Finanzas")
    boss = UserFactory(first_name="Berta")
    spanish = LanguageFactory(code="es")
    response = hr_client.post(
        "/people/new/",
        {
            "email": "  Nuevo.Empleado@Example.com ",
            "first_name": "Nuevo",
            "last_name": "Empleado",
            "job_title": "Contable",
            "department": department.pk,
            "manager": boss.pk,
            "location": "Bilbao",
            "languages": [spanish.pk],
            "language": "es",
            "is_active": "on",
        },
        follow=True,
    )
    person = User.objects.get(email="nuevo.empleado@example.com")
    assert response.redirect_chain[-1][0] == person.get_absolute_url()
    assert "Nuevo Empleado se ha añadido al directorio." in response.content.decode()
    assert person.manager == boss
    assert not person.has_usable_password()

    reset = client.post("/accounts/password/reset/", {"email": "nuevo.empleado@example.com"})
    assert reset.status_code == 302
    assert mail.outbox[-1].to == ["nuevo.empleado@example.com"]


def test_a_duplicate_email_is_reported_next_to_the_field(hr_client, mentor):
    response = hr_client.post(
        "/people/new/",
        {
            "email": mentor.email.upper(),
            "first_name": "X",
            "last_name": "Y",
            "department": mentor.department_id,
            "language": "es",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Alguien del directorio ya usa este correo electrónico."
    ]
    assert User.objects.filter(email__iexact=mentor.email).count() == 1


def test_a_manager_loop_is_refused_with_a_clear_message(hr_client, manager, mentee):
    response = hr_client.post(
        f"/people/{manager.code}/edit/",
        {
            "email": manager.email,
            "first_name": manager.first_name,
            "last_name": manager.last_name,
            "department": manager.department_id,
            "manager": mentee.pk,
            "language": "es",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "bucle" in response.context["form"].errors["manager"][0]
    manager.refresh_from_db()
    assert manager.manager is None


def test_hr_grants_the_role_after_confirming_and_the_person_is_told_in_their_language(
    hr_client, mentor, django_capture_on_commit_callbacks
):
    mentor.language = "en"
    mentor.save()
    confirm = hr_client.get(f"/people/{mentor.code}/hr/grant/")
    assert "¿Hacer administrador/a de RR. HH." in confirm.content.decode()
    assert not User.objects.get(pk=mentor.pk).is_hr

    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(f"/people/{mentor.code}/hr/grant/")
    assert User.objects.get(pk=mentor.pk).is_hr
    assert [m.subject for m in mail.outbox] == ["You are now an HR admin of the mentoring platform"]


def test_the_last_hr_admin_cannot_lose_the_role(hr_client, hr_admin):
    response = hr_client.post(f"/people/{hr_admin.code}/hr/revoke/", follow=True)
    assert "es la última persona administradora de RR. HH." in response.content.decode()
    assert User.objects.get(pk=hr_admin.pk).is_hr


def test_hr_revokes_another_admins_role(hr_client):
    other = UserFactory(hr=True)
    hr_client.post(f"/people/{other.code}/hr/revoke/")
    assert not User.objects.get(pk=other.pk).is_hr


def test_departments_form_a_tree_and_a_department_with_people_is_not_deleted(hr_client, mentee):
    parent = DepartmentFactory(name="Operaciones")
    hr_client.post("/people/departments/new/", {"name": " Mantenimiento  ", "parent": parent.pk})
    child = Department.objects.get(name="Mantenimiento")
    assert child.parent == parent

    tree = hr_client.get("/people/departments/").context["tree"]
    assert (child, 1) in [(d, depth) for d, depth in tree]

    loop = hr_client.post(
        f"/people/departments/{parent.code}/", {"name": "Operaciones", "parent": child.pk}
    )
    assert "dentro de sí mismo" in loop.context["form"].errors["parent"][0]

    refused = hr_client.post(f"/people/departments/{mentee.department.code}/delete/", follow=True)
    assert "todavía tiene personas" in refused.content.decode()
    assert Department.objects.filter(pk=mentee.department_id).exists()

    confirm = hr_client.get(f"/people/departments/{child.code}/delete/")
    assert "¿Eliminar el departamento «Mantenimiento»?" in confirm.content.decode()
    hr_client.post(f"/people/departments/{child.code}/delete/")
    assert not Department.objects.filter(pk=child.pk).exists()


def test_a_duplicate_department_name_is_refused(hr_client):
    DepartmentFactory(name="Ventas")
    response = hr_client.post("/people/departments/new/", {"name": "ventas"})
    assert response.context["form"].errors["name"] == ["Ya hay otro departamento llamado «ventas»."]


def test_skills_are_renamed_and_merged_without_losing_anyone(hr_client, mentor, mentee):
    python = SkillFactory(name="Python")
    python3 = SkillFactory(name="python 3")
    mentor.skills.add(python, python3)
    mentee.skills.add(python3)

    clash = hr_client.post(f"/people/skills/{python3.code}/rename/", {"name": "PYTHON"})
    assert "Fusiona" in clash.context["form"].errors["name"][0]

    hr_client.post(f"/people/skills/{python3.code}/merge/", {"into": python.pk})
    assert not Skill.objects.filter(pk=python3.pk).exists()
    assert list(mentor.skills.all()) == [python]
    assert list(mentee.skills.all()) == [python]

    hr_client.post(f"/people/skills/{python.code}/rename/", {"name": "Python (lenguaje)"})
    python.refresh_from_db()
    assert python.name == "Python (lenguaje)"


def test_a_person_sees_their_profile_and_changes_their_language(client, mentee):
    client.force_login(mentee)
    page = client.get("/people/me/")
    assert mentee.email in page.content.decode()
    client.post("/people/me/", {"language": "en"})
    mentee.refresh_from_db()
    assert mentee.language == "en"
    assert "My profile" in client.get("/people/me/").content.decode()


def test_only_managers_have_a_team_page(client, manager, mentee, mentor):
    client.force_login(manager)
    assert mentee.get_full_name() in client.get("/people/team/").content.decode()
    client.force_login(mentor)
    assert client.get("/people/team/").status_code == 404
