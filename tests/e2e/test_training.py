"""Training, end to end: a mentee finishes a required module with its knowledge check, then may
ask for a mentor.

Pablo (English on his profile, on a Spanish browser) is an approved mentee of a program that
gates matching on training. HR has already required one module of mentees; everything else
happens through the pages.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from matching.models import MatchRequest
from programs.models import Application
from tests.factories import PASSWORD, DepartmentFactory, ProgramFactory, UserFactory
from training.models import Completion, Module, Question, Requirement, Section

MODULE = "Role expectations for mentees"


@pytest.fixture
def journey(db):
    today = timezone.localdate()
    program = ProgramFactory(
        name="Crecer juntos",
        status="matching",
        matching_mode="mentee_choice",
        training_required_to_match=True,
        recruitment_opens=today - timedelta(days=30),
        recruitment_closes=today - timedelta(days=10),
        matching_deadline=today + timedelta(days=10),
        starts_on=today + timedelta(days=14),
        ends_on=today + timedelta(days=200),
    )
    mentee = UserFactory(
        email="pablo@example.com",
        first_name="Pablo",
        last_name="Navarro",
        department=DepartmentFactory(name="Operaciones"),
        language="en",
    )
    mentor = UserFactory(
        email="elena@example.com",
        first_name="Elena",
        last_name="Ferrer",
        department=DepartmentFactory(name="Producto digital"),
    )
    for person, role in ((mentee, "mentee"), (mentor, "mentor")):
        Application.objects.create(program=program, person=person, role=role, status="approved")
    module = Module.objects.create(
        title=MODULE,
        language="en",
        audience="mentee",
        topic="participation",
        status="published",
        pass_mark=100,
        estimated_minutes=10,
    )
    Section.objects.create(
        module=module, order=0, title="You drive the relationship", body="You set the **goals**."
    )
    Section.objects.create(
        module=module, order=1, title="What you commit to", body="- Meet regularly\n- Prepare"
    )
    Question.objects.create(
        module=module,
        order=0,
        text="Who schedules the meetings?",
        choices=["The mentee", "The mentor's manager"],
        answer=0,
    )
    Question.objects.create(
        module=module,
        order=1,
        text="How often do you meet?",
        choices=["At the cadence the program sets", "Only when something goes wrong"],
        answer=0,
    )
    Requirement.objects.create(program=program, role="mentee", module=module, due_days=-7)
    return program, mentee, mentor


def sign_in(page: Page, email: str) -> None:
    page.goto("/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión", exact=True).click()


def test_a_mentee_finishes_a_module_with_its_check_and_then_may_request_a_mentor(
    page: Page, journey
):
    program, mentee, mentor = journey
    sign_in(page, mentee.email)

    # --- 1. The catalogue says what is missing ------------------------------------------
    page.goto(f"/matching/programs/{program.slug}/mentors/")
    problems = page.get_by_test_id("request-problems")
    expect(problems).to_contain_text(f"Finish “{MODULE}” first")

    # --- 2. My training: the module is to do --------------------------------------------
    page.goto("/training/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    item = page.get_by_test_id("checklist-item")
    expect(item.get_by_test_id("item-status")).to_have_text("To do")
    expect(page.get_by_test_id("gate-note")).to_contain_text("to request mentors")
    item.get_by_role("link", name=MODULE).click()

    # --- 3. Read it, then take the check: one wrong answer first ------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE)
    expect(page.get_by_test_id("section")).to_have_count(2)
    expect(page.get_by_role("main").locator("strong", has_text="goals")).to_be_visible()
    page.get_by_role("link", name="Take the knowledge check").click()
    page.get_by_label("The mentee").check()
    page.get_by_label("Only when something goes wrong").check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_test_id("result")).to_contain_text("You scored 50%")
    expect(page.get_by_text("Wrong")).to_be_visible()
    assert not Completion.objects.exists()

    page.get_by_role("link", name="Try again").click()
    page.get_by_label("The mentee").check()
    page.get_by_label("At the cadence the program sets").check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_test_id("result")).to_contain_text("You passed with 100%")
    page.get_by_role("link", name="Back to my training").click()
    expect(page.get_by_test_id("item-status")).to_have_text("Done")
    expect(page.get_by_test_id("checklist-count")).to_have_text("1 of 1 done")
    expect(page.get_by_test_id("gate-note")).to_have_count(0)

    # --- 4. Now the catalogue lets him ask for a mentor ---------------------------------
    page.goto(f"/matching/programs/{program.slug}/mentors/")
    expect(page.get_by_test_id("request-problems")).to_have_count(0)
    card = page.get_by_test_id("mentor-card").filter(has_text="Elena Ferrer")
    card.get_by_label("Add to my request").check()
    page.get_by_role("button", name="Continue with the chosen mentors").click()
    page.get_by_label("Message to the mentors").fill("I would love to learn from you.")
    page.get_by_role("button", name=re.compile("Send the request")).click()
    expect(page.get_by_role("main").get_by_role("alert").first).to_contain_text(
        "Your request was sent"
    )
    request = MatchRequest.objects.get()
    assert (request.mentee, request.mentor) == (mentee, mentor)
