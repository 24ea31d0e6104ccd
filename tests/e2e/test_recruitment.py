"""Recruitment, end to end: HR defines a program and opens it, an employee applies, HR approves.

Two people, two browsers: Helena (HR, works in Spanish) and Pablo (employee, English on his
profile, on a Spanish browser). Only the people, their departments and the skills directory
exist beforehand; everything else is done through the pages.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from programs.models import Application, Program
from tests.e2e.conftest import TIMEOUT_MS, WATCH
from tests.factories import PASSWORD, DepartmentFactory, SkillFactory, UserFactory

PROGRAM = "Crecer en Operaciones"
SUMMARY = "Seis meses para aprender de quien ya ha recorrido el camino."

# The default questionnaire is written in the language of the HR admin who creates the
# program (Spanish here), so Pablo reads these questions in Spanish inside an English page.
SKILLS_QUESTION = "¿Qué quieres aprender para crecer profesionalmente?"
ACHIEVE_QUESTION = "¿Qué te gustaría haber logrado al final del programa?"
EXPERIENCE_QUESTION = "¿Cuánta experiencia debería tener tu mentor?"
STYLE_QUESTION = "¿Qué estilo de comunicación te va mejor?"
AREA_QUESTION = "¿Prefieres un mentor de tu área o de otra?"
MEETING_QUESTION = "¿Cuándo y cómo puedes reunirte?"
LOCATION_QUESTION = "¿Te importa dónde trabaje tu mentor?"
MENTOR_SKILLS_QUESTION = "¿Qué conocimientos puedes compartir?"
# The same questions as the English-speaking applicant reads them (stored answers stay Spanish).
EN_SKILLS_QUESTION = "What do you want to learn to grow in your career?"
EN_ACHIEVE_QUESTION = "What would you like to have achieved by the end of the program?"
EN_EXPERIENCE_QUESTION = "How much experience should your mentor have?"
EN_STYLE_QUESTION = "Which communication style suits you best?"
EN_AREA_QUESTION = "Would you prefer a mentor from your own area or from another one?"
EN_MEETING_QUESTION = "When and how can you meet?"
EN_LOCATION_QUESTION = "Does your mentor's location matter to you?"
EN_QUALITIES_QUESTION = "Which qualities do you look for in a mentor?"
QUALITIES = "Someone who plans ahead and explains why."
MOTIVATION = "I want to lead the night shift one day."
ACHIEVE = "Run the weekly planning meeting on my own."


@pytest.fixture
def people(db):
    skills = [SkillFactory(name=name) for name in ("Liderazgo", "Negociación", "Planificación")]
    hr = UserFactory(
        email="helena@example.com",
        first_name="Helena",
        last_name="Ruiz",
        department=DepartmentFactory(name="Personas"),
        hr=True,
    )
    employee = UserFactory(
        email="pablo@example.com",
        first_name="Pablo",
        last_name="Navarro",
        department=DepartmentFactory(name="Operaciones"),
        language="en",
    )
    return hr, employee, skills


@pytest.fixture
def other_page(request, page, browser, live_server):
    """A second person's browser, watched like `page`: outside hosts and console errors fail."""
    watch = request.node.stash[WATCH]
    context = browser.new_context(base_url=live_server.url, locale="es-ES")
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/*", watch.route)
    other = context.new_page()
    other.on("console", watch.console)
    other.on("pageerror", watch.page_error)
    yield other
    context.close()


def sign_in(page: Page, email: str) -> None:
    """Sign in from the (Spanish) sign-in page, where any page of the app sends a stranger."""
    page.goto("/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión", exact=True).click()


def field(page: Page, label: str):
    """The form field whose label is exactly `label` (a required one carries a `*`)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def alert(page: Page, text: str):
    return page.get_by_role("main").get_by_role("alert").filter(has_text=text)


def test_hr_opens_a_program_an_employee_applies_and_hr_approves(
    page: Page, other_page: Page, people
):
    hr, employee, _skills = people
    today = timezone.localdate()

    # --- 1. Helena defines the program and opens recruitment (in Spanish) ---------------
    sign_in(page, hr.email)
    expect(page.get_by_test_id("greeting")).to_have_text("Hola, Helena")
    menu = page.get_by_role("navigation", name="Menú principal")
    menu.get_by_role("button", name="RR. HH.", exact=True).click()
    menu.get_by_role("link", name="Gestionar programas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programas de mentoría")
    page.get_by_role("link", name="Nuevo programa").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nuevo programa")
    field(page, "Nombre").fill(PROGRAM)
    field(page, "Resumen").fill(SUMMARY)
    field(page, "Descripción").fill("Un programa para **crecer** en el turno de noche.")
    field(page, "Enfoque").select_option("career")
    field(page, "Apertura del reclutamiento").fill(today.isoformat())
    field(page, "Cierre del reclutamiento").fill((today + timedelta(days=21)).isoformat())
    field(page, "Fecha límite de emparejamiento").fill((today + timedelta(days=35)).isoformat())
    field(page, "Inicio del programa").fill((today + timedelta(days=42)).isoformat())
    field(page, "Fin del programa").fill((today + timedelta(days=224)).isoformat())
    field(page, "Aprendices por mentor").fill("3")
    field(page, "Número de parejas previsto").fill("8")
    page.get_by_role("button", name="Crear programa").click()

    expect(alert(page, "Programa creado con el cuestionario predeterminado.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAM)
    expect(page.get_by_test_id("program-status")).to_have_text("Borrador")
    open_recruitment = page.get_by_role("button", name="Pasar a «reclutamiento»")
    expect(open_recruitment).to_be_disabled()
    expect(
        page.get_by_text("Añade al menos un objetivo antes de abrir el reclutamiento.")
    ).to_be_visible()

    page.get_by_role("link", name="Añadir un objetivo").click()
    field(page, "Objetivo del programa").fill("Formar 8 parejas en Operaciones")
    field(page, "Se mide con").select_option("pairs_formed")
    field(page, "Meta").fill("8")
    field(page, "Para el").fill((today + timedelta(days=224)).isoformat())
    page.get_by_role("button", name="Guardar", exact=True).click()

    expect(alert(page, "Objetivo guardado.")).to_be_visible()
    expect(
        page.get_by_role("listitem").filter(has_text="Formar 8 parejas en Operaciones")
    ).to_be_visible()
    expect(page.get_by_text("Añade al menos un objetivo")).to_have_count(0)

    page.get_by_role("link", name="Cuestionario", exact=True).click()
    mentee_form = page.get_by_test_id("questions-mentee")
    expect(mentee_form.get_by_role("heading")).to_have_text("Preguntas para aprendices")
    expect(mentee_form.get_by_test_id("question")).to_have_count(8)
    # Learning, goal, qualities, experience and style: the wish shown to mentor and manager.
    expect(mentee_form.get_by_test_id("shown-to-pair")).to_have_count(5)
    expect(mentee_form.get_by_test_id("question").first).to_contain_text(SKILLS_QUESTION)
    mentor_form = page.get_by_test_id("questions-mentor")
    expect(mentor_form.get_by_role("heading")).to_have_text("Preguntas para mentores")
    expect(mentor_form.get_by_test_id("question")).to_have_count(6)
    expect(mentor_form.get_by_test_id("question").first).to_contain_text(MENTOR_SKILLS_QUESTION)

    page.get_by_role("link", name="Vista general", exact=True).click()
    page.get_by_role("link", name="Pasar a «reclutamiento»").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"¿Pasar «{PROGRAM}» a «reclutamiento»?"
    )
    page.get_by_role("button", name="Pasar a «reclutamiento»").click()

    expect(alert(page, f"«{PROGRAM}» ahora está en estado reclutamiento.")).to_be_visible()
    expect(page.get_by_test_id("program-status")).to_have_text("Reclutamiento")
    program = Program.objects.get(name=PROGRAM)
    assert program.status == Program.Status.RECRUITING

    # --- 2. Pablo finds it and applies as a mentee (in English) -------------------------
    employee_page = other_page
    sign_in(employee_page, employee.email)
    expect(employee_page.locator("html")).to_have_attribute("lang", "en")
    expect(employee_page.get_by_test_id("greeting")).to_have_text("Hello, Pablo")
    on_home = employee_page.get_by_role("region", name="Mentoring programs")
    expect(on_home.get_by_role("link", name=PROGRAM)).to_be_visible()
    expect(on_home).to_contain_text(SUMMARY)

    employee_menu = employee_page.get_by_role("navigation", name="Main menu")
    employee_menu.get_by_role("link", name="Programs", exact=True).click()
    card = employee_page.get_by_role("article").filter(has_text=PROGRAM)
    expect(card).to_contain_text("Career development · Recruiting")
    card.get_by_role("link", name=PROGRAM).click()

    expect(employee_page.get_by_role("heading", level=1)).to_have_text(PROGRAM)
    expect(employee_page.get_by_role("main").locator("strong", has_text="crecer")).to_be_visible()
    expect(employee_page.get_by_role("main")).to_contain_text("Formar 8 parejas en Operaciones")
    join = employee_page.get_by_test_id("join")
    expect(join.get_by_role("link", name="Apply as mentor")).to_be_visible()
    join.get_by_role("link", name="Apply as mentee").click()

    expect(employee_page.get_by_role("heading", level=1)).to_have_text("Apply as mentee")
    # Before sending, each question says who will see the answer.
    qualities = field(employee_page, EN_QUALITIES_QUESTION)
    expect(qualities).to_have_accessible_description(
        "Seen by HR, and also shown to the mentors you ask and to your manager."
    )
    expect(employee_page.get_by_role("main")).to_contain_text("Seen by HR only.")
    qualities.fill(QUALITIES)
    field(employee_page, EN_SKILLS_QUESTION).select_option(label=["Liderazgo", "Planificación"])
    experience = employee_page.get_by_role("group", name=EN_EXPERIENCE_QUESTION)
    experience.get_by_label("More than 10 years").check()
    employee_page.get_by_role("group", name=EN_STYLE_QUESTION).get_by_label(
        "Practical, with examples and exercises"
    ).check()
    employee_page.get_by_role("group", name=EN_AREA_QUESTION).get_by_label("Another area").check()
    meeting = employee_page.get_by_role("group", name=EN_MEETING_QUESTION)
    meeting.get_by_label("Mornings").check()
    meeting.get_by_label("By video call").check()
    employee_page.get_by_role("group", name=EN_LOCATION_QUESTION).get_by_label(
        "It does not matter"
    ).check()
    motivation = field(employee_page, "Why do you want to take part?")
    motivation.fill(MOTIVATION)
    # What he wants to achieve is required and left empty: the form comes back.
    employee_page.get_by_role("button", name="Send application").click()

    achieve = field(employee_page, EN_ACHIEVE_QUESTION)
    expect(achieve).to_have_attribute("aria-invalid", "true")
    expect(achieve).to_have_accessible_description(re.compile(r"This field is required\."))
    expect(employee_page.locator(".invalid-feedback")).to_have_count(1)
    expect(employee_page.locator(".invalid-feedback")).to_have_text("This field is required.")
    # Everything he answered is still there.
    expect(field(employee_page, EN_SKILLS_QUESTION).locator("option:checked")).to_have_text(
        ["Liderazgo", "Planificación"]
    )
    expect(experience.get_by_label("More than 10 years")).to_be_checked()
    expect(meeting.get_by_label("Mornings")).to_be_checked()
    expect(meeting.get_by_label("By video call")).to_be_checked()
    expect(meeting.get_by_label("Afternoons")).not_to_be_checked()
    expect(field(employee_page, "Why do you want to take part?")).to_have_value(MOTIVATION)
    assert not Application.objects.exists()

    achieve.fill(ACHIEVE)
    employee_page.get_by_role("button", name="Send application").click()

    expect(
        alert(employee_page, "Application sent. We have emailed you a confirmation")
    ).to_be_visible()
    expect(employee_page.get_by_role("heading", level=1)).to_have_text("My applications")
    mine = employee_page.get_by_test_id("application").filter(has_text=PROGRAM)
    expect(mine).to_contain_text("As mentee")
    expect(mine).to_contain_text("Waiting for review")
    received = [m for m in mail.outbox if m.to == [employee.email]]
    assert [m.subject for m in received] == [f"We have received your application to {PROGRAM}"]

    # --- 3. Helena reviews and approves; Pablo sees it and gets the email ---------------
    page.get_by_role("link", name="Solicitudes", exact=True).click()
    row = page.get_by_test_id("applications").get_by_role("row").filter(has_text="Pablo Navarro")
    expect(row).to_contain_text("Aprendiz")
    expect(row).to_contain_text("Pendiente de revisión")
    row.get_by_role("link", name="Pablo Navarro").click()

    answers = page.get_by_test_id("answers")
    expect(answers).to_contain_text("Liderazgo")
    expect(answers).to_contain_text("Planificación")
    expect(answers).to_contain_text(ACHIEVE)
    expect(answers).to_contain_text(QUALITIES)
    expect(answers).to_contain_text("Más de 10 años")
    expect(page.get_by_test_id("motivation")).to_have_text(MOTIVATION)
    expect(page.get_by_test_id("status")).to_have_text("Pendiente de revisión")
    page.get_by_role("group", name="Decisión").get_by_label("Aprobar").check()
    page.get_by_role("button", name="Guardar decisión").click()

    expect(alert(page, "La solicitud de Pablo Navarro ahora está aprobada")).to_be_visible()
    expect(row).to_contain_text("Aprobada")

    employee_page.reload()
    expect(mine).to_contain_text("Approved")
    approved = [m for m in mail.outbox if m.to == [employee.email]][1:]
    assert [m.subject for m in approved] == [
        f"You are in: your application to {PROGRAM} has been approved"
    ]
    assert PROGRAM in approved[0].body
