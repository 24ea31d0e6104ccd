"""Stage 1: HR defines programs, their objectives and their lifecycle in the browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from programs.definition import selectors, services
from programs.hooks import ClosingEffect, program_closing
from programs.models import Objective, Program, Question
from tests.factories import DepartmentFactory, ProgramFactory, UserFactory


def _form(**overrides):
    today = timezone.localdate()
    data = {
        "name": "Relevo generacional en mantenimiento",
        "summary": "Los técnicos sénior enseñan los procedimientos de la línea 3.",
        "description": "**Qué**: procedimientos.\n\n<script>alert('x')</script>",
        "focus": "knowledge_transfer",
        "matching_mode": "",
        "min_tenure_months": "0",
        "recruitment_opens": today.isoformat(),
        "recruitment_closes": (today + timedelta(days=14)).isoformat(),
        "matching_deadline": (today + timedelta(days=21)).isoformat(),
        "starts_on": (today + timedelta(days=28)).isoformat(),
        "ends_on": (today + timedelta(days=200)).isoformat(),
        "partnership_weeks": "24",
        "mentor_capacity": "2",
        "target_pairs": "8",
        "meeting_every_days": "14",
        "max_requests": "3",
        "request_reply_days": "7",
        "min_score": "40",
        "request_order": "in_order",
    }
    data.update(overrides)
    return data


HR_PAGES = ["/programs/manage/", "/programs/manage/new/"]


@pytest.mark.parametrize("url", HR_PAGES)
def test_hr_pages_refuse_non_hr_and_send_anonymous_to_sign_in(client, mentee, url):
    assert client.get(url).url.startswith("/accounts/login/")
    client.force_login(mentee)
    assert client.get(url).status_code == 403


def test_program_pages_of_one_program_refuse_non_hr(client, mentee):
    program = ProgramFactory()
    client.force_login(mentee)
    for url in [
        f"/programs/manage/{program.slug}/",
        f"/programs/manage/{program.slug}/edit/",
        f"/programs/manage/{program.slug}/duplicate/",
        f"/programs/manage/{program.slug}/status/closed/",
        f"/programs/manage/{program.slug}/objectives/new/",
    ]:
        assert client.get(url).status_code == 403, url


def test_unknown_programs_and_objectives_are_not_found(hr_client):
    program = ProgramFactory()
    other = ProgramFactory()
    foreign_objective = other.objectives.get()
    assert hr_client.get("/programs/manage/nope/").status_code == 404
    assert (
        hr_client.get(
            f"/programs/manage/{program.slug}/objectives/{foreign_objective.pk}/"
        ).status_code
        == 404
    )


def test_hr_creates_a_program_whose_matching_mode_follows_the_focus(hr_client, hr_admin):
    response = hr_client.post("/programs/manage/new/", _form())
    program = Program.objects.get()
    assert response.url == f"/programs/manage/{program.slug}/"
    assert program.slug == "relevo-generacional-en-mantenimiento"
    assert program.matching_mode == Program.MatchingMode.MANAGED
    assert program.status == Program.Status.DRAFT
    assert program.created_by == hr_admin
    assert program.questions.filter(role="mentee").exists()
    assert program.questions.filter(role="mentor").exists()

    career = hr_client.post("/programs/manage/new/", _form(name="Carrera", focus="career"))
    assert career.status_code == 302
    assert Program.objects.get(name="Carrera").matching_mode == Program.MatchingMode.MENTEE_CHOICE


def test_default_questions_ask_what_mentees_want_to_learn_and_what_they_look_for(db):
    program = ProgramFactory(focus="career", questionnaire=False)
    from programs.questionnaire.services import questions_add_defaults

    questions_add_defaults(program=program, language="en")
    mentee = {q.criterion for q in program.questions.filter(role="mentee")}
    mentor = {q.criterion for q in program.questions.filter(role="mentor")}
    assert {
        "skills_wanted",
        "experience",
        "communication_style",
        "availability",
        "area",
        "location",
    } <= mentee
    assert {"skills_offered", "capacity", "availability"} <= mentor
    assert (
        program.questions.get(criterion="skills_wanted").text
        == "What do you want to learn to grow in your career?"
    )


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"recruitment_closes": "2020-01-01"}, "recruitment_closes"),
        ({"ends_on": "2020-01-01"}, "ends_on"),
        ({"mentor_capacity": "0"}, "mentor_capacity"),
        ({"target_pairs": "0"}, "target_pairs"),
    ],
)
def test_bad_dates_and_capacities_are_refused_next_to_the_field(hr_client, overrides, field):
    response = hr_client.post("/programs/manage/new/", _form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Program.objects.exists()


def test_hr_sets_the_floor_the_request_order_and_the_area_level(hr_client):
    root = DepartmentFactory(name="Dirección")
    DepartmentFactory(name="Operaciones", parent=root)
    data = _form(
        min_score="55",
        request_order="all_at_once",
        show_rank_to_mentor="on",
        personal_data_months="12",
        area_level="2",
    )
    response = hr_client.post("/programs/manage/new/", data)
    assert response.status_code == 302
    program = Program.objects.get()
    assert (program.min_score, program.request_order, program.area_level) == (
        55,
        "all_at_once",
        2,
    )
    assert program.show_rank_to_mentor and program.personal_data_months == 12


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"min_score": "101"}, "less than or equal to 100"),
        ({"min_score": "-1"}, "greater than or equal to 0"),
        ({"area_level": "3"}, "The organisation chart has only 2 levels."),
        ({"area_level": "1", "areas": "AREA"}, "leave it empty, or choose no areas"),
        ({"personal_data_months": "0"}, "greater than or equal to 1"),
        ({"request_order": "random"}, "Select a valid choice"),
    ],
)
def test_matching_settings_out_of_range_are_refused_next_to_the_field(
    hr_client, hr_admin, overrides, message
):
    hr_admin.language = "en"
    hr_admin.save()
    root = DepartmentFactory(name="Dirección")
    area = DepartmentFactory(name="Operaciones", parent=root)
    if overrides.get("areas") == "AREA":
        overrides["areas"] = [str(area.pk)]
    with translation.override("en"):
        response = hr_client.post("/programs/manage/new/", _form(**overrides))
    assert response.status_code == 200
    errors = [str(e) for field in response.context["form"].errors.values() for e in field]
    assert any(message in error for error in errors), errors
    assert not Program.objects.exists()


def test_matching_mode_cannot_change_once_matching_started(hr_client):
    program = ProgramFactory(status="running", matching_mode="mentee_choice")
    data = _form(
        name=program.name,
        matching_mode="managed",
        recruitment_opens=program.recruitment_opens.isoformat(),
        recruitment_closes=program.recruitment_closes.isoformat(),
        matching_deadline=program.matching_deadline.isoformat(),
        starts_on=program.starts_on.isoformat(),
        ends_on=program.ends_on.isoformat(),
    )
    response = hr_client.post(f"/programs/manage/{program.slug}/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["matching_mode"]
    program.refresh_from_db()
    assert program.matching_mode == "mentee_choice"


def test_recruitment_needs_an_objective_and_questions_for_both_roles(hr_client):
    program = ProgramFactory(status="draft", objective=False, questionnaire=False)
    page = hr_client.get(f"/programs/manage/{program.slug}/status/recruiting/")
    assert len(page.context["problems"]) == 3
    hr_client.post(f"/programs/manage/{program.slug}/status/recruiting/")
    program.refresh_from_db()
    assert program.status == "draft"

    from programs.questionnaire.services import questions_add_defaults

    questions_add_defaults(program=program, language="es")
    Objective.objects.create(
        program=program,
        title="10 parejas",
        indicator="pairs_formed",
        target=10,
        target_date=program.ends_on,
    )
    hr_client.post(f"/programs/manage/{program.slug}/status/recruiting/")
    program.refresh_from_db()
    assert program.status == "recruiting"


def test_status_follows_the_lifecycle_only(hr_admin):
    program = ProgramFactory(status="draft")
    with translation.override("en"), pytest.raises(ValidationError, match="cannot become"):
        services.program_transition(program=program, to="running", by=hr_admin)


def test_closing_with_active_pairs_asks_for_confirmation_and_says_what_happens(
    hr_client, monkeypatch
):
    program = ProgramFactory(status="running")
    applied = []
    hook = lambda p: ClosingEffect(  # noqa: E731
        count=3, description="3 active pairs will be completed.", apply=lambda: applied.append(p)
    )
    with program_closing.replaced(hook):
        page = hr_client.get(f"/programs/manage/{program.slug}/status/closed/")
        assert "3 active pairs will be completed." in page.content.decode()
        hr_client.post(f"/programs/manage/{program.slug}/status/closed/")
        program.refresh_from_db()
        assert program.status == "running"

        hr_client.post(f"/programs/manage/{program.slug}/status/closed/", {"confirm": "on"})
        program.refresh_from_db()
        assert program.status == "closed"
        assert applied == [program]


def test_duplicating_copies_settings_objectives_and_questions_as_a_draft(hr_client):
    program = ProgramFactory(name="Mentoría 2026")
    program.areas.add(DepartmentFactory(name="Ingeniería"))
    hr_client.post(f"/programs/manage/{program.slug}/duplicate/")
    copy = Program.objects.exclude(pk=program.pk).get()
    assert copy.status == "draft"
    assert copy.slug != program.slug
    assert copy.objectives.count() == program.objectives.count() == 1
    assert copy.questions.count() == program.questions.count()
    assert set(Question.objects.filter(program=copy).values_list("code", flat=True)).isdisjoint(
        program.questions.values_list("code", flat=True)
    )
    assert list(copy.areas.values_list("name", flat=True)) == ["Ingeniería"]


def test_objectives_are_added_edited_and_deleted_after_confirmation(hr_client):
    program = ProgramFactory(objective=False)
    hr_client.post(
        f"/programs/manage/{program.slug}/objectives/new/",
        {
            "title": "Transferir los procedimientos de la línea 3 a 8 técnicos júnior",
            "indicator": "goal_attainment_rate",
            "target": "80",
            "target_date": program.ends_on.isoformat(),
        },
    )
    objective = program.objectives.get()
    assert objective.kind == "outcome"
    negative = hr_client.post(
        f"/programs/manage/{program.slug}/objectives/{objective.pk}/",
        {
            "title": "x",
            "indicator": "pairs_formed",
            "target": "-1",
            "target_date": program.ends_on.isoformat(),
        },
    )
    assert negative.context["form"].errors["target"]
    assert (
        hr_client.get(
            f"/programs/manage/{program.slug}/objectives/{objective.pk}/delete/"
        ).status_code
        == 200
    )
    assert program.objectives.exists()
    hr_client.post(f"/programs/manage/{program.slug}/objectives/{objective.pk}/delete/")
    assert not program.objectives.exists()


def test_the_hr_program_list_shows_key_numbers_with_constant_queries(
    hr_client, django_assert_max_num_queries
):
    ProgramFactory.create_batch(2)
    with django_assert_max_num_queries(10) as few:
        hr_client.get("/programs/manage/")
    ProgramFactory.create_batch(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = hr_client.get("/programs/manage/")
    assert len(response.context["page"].object_list) == 10


def test_employees_see_open_programs_but_never_drafts(client, mentee):
    open_program = ProgramFactory(name="Crece con un mentor")
    draft = ProgramFactory(status="draft", name="Borrador secreto")
    client.force_login(mentee)
    home = client.get("/").content.decode()
    assert "Crece con un mentor" in home
    assert "Borrador secreto" not in home
    assert client.get(open_program.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_program_descriptions_render_markdown_but_never_scripts(client, mentee):
    program = ProgramFactory(
        description="**Importante**\n\n<script>alert('x')</script><img src=x onerror=alert(1)>"
    )
    client.force_login(mentee)
    page = client.get(program.get_absolute_url()).content.decode()
    assert "<strong>Importante</strong>" in page
    assert "<script>alert" not in page
    assert "onerror" not in page


def test_eligibility_follows_areas_and_time_in_the_company(db):
    engineering = DepartmentFactory(name="Ingeniería")
    platform = DepartmentFactory(name="Plataforma", parent=engineering)
    sales = DepartmentFactory(name="Ventas")
    program = ProgramFactory(min_tenure_months=12)
    program.areas.add(engineering)
    today = timezone.localdate()
    veteran = UserFactory(department=platform, hired_on=today - timedelta(days=800))
    newcomer = UserFactory(department=platform, hired_on=today - timedelta(days=100))
    unknown = UserFactory(department=platform, hired_on=None)
    outsider = UserFactory(department=sales, hired_on=today - timedelta(days=800))
    assert selectors.eligibility_problems(program, veteran) == []
    assert len(selectors.eligibility_problems(program, newcomer)) == 1
    with translation.override("en"):
        assert (
            "start date is not in the directory"
            in selectors.eligibility_problems(program, unknown)[0]
        )
    assert "Ingeniería" in selectors.eligibility_problems(program, outsider)[0]


def test_an_approved_mentee_finds_the_catalogue_from_the_program_page(client, mentee):
    from tests.factories import ApplicationFactory

    program = ProgramFactory(status="matching")
    ApplicationFactory(program=program, person=mentee, role="mentee", status="approved")
    client.force_login(mentee)

    page = client.get(f"/programs/{program.slug}/").content.decode()

    assert f'href="/matching/programs/{program.slug}/mentors/"' in page
