"""Planning, end to end: the mentor writes a goal and its action plan, the mentee agrees,
they schedule a meeting, and after it the mentor logs it with notes and a next step.

Two people, two browsers: Elena (mentor) and Pablo (mentee), both reading English on their
profiles. The running program and their active pair exist beforehand; everything else is
done through the pages.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from goals.models import ActionStep, Goal, Meeting, PrivateNote
from tests.e2e.conftest import TIMEOUT_MS, WATCH
from tests.factories import PASSWORD, UserFactory
from tests.goals.conftest import active_pair, running_program

GOAL = "Lead the weekly planning meeting on my own"
MEASURE = "Pablo runs three planning meetings and the team rates them 4 out of 5"
STEP = "Watch Elena run two planning meetings"
NEXT_STEP = "Draft the agenda of the next planning meeting"
SHARED = "We agreed Pablo opens the next meeting."
PRIVATE = "He rushes the introductions: practise them."


@pytest.fixture
def pair(db):
    mentor = UserFactory(
        email="elena@example.com", first_name="Elena", last_name="Ferrer", language="en"
    )
    mentee = UserFactory(
        email="pablo@example.com", first_name="Pablo", last_name="Navarro", language="en"
    )
    return active_pair(running_program(), mentor, mentee)


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
    page.goto("/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión", exact=True).click()


def field(scope, label: str):
    """The form field whose label is exactly `label` (a required one carries a `*`)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def alert(page: Page, text: str):
    return page.get_by_role("main").get_by_role("alert").filter(has_text=text)


def open_pair(page: Page, other_name: str) -> None:
    page.wait_for_load_state()  # the menus need Bootstrap's script
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name="My mentoring").click()
    menu.get_by_role("link", name="My pairs").click()
    page.get_by_test_id("pair").filter(has_text=other_name).click()


def test_the_pair_writes_goals_agrees_schedules_and_logs_a_meeting(
    page: Page, other_page: Page, pair
):
    today = timezone.localdate()
    mentor_page, mentee_page = page, other_page

    # --- 1. Elena writes a goal and its first step ----------------------------------------
    sign_in(mentor_page, pair.mentor.email)
    open_pair(mentor_page, "Pablo Navarro")
    section = mentor_page.get_by_test_id("goals-section")
    expect(section.get_by_test_id("goal-count")).to_have_text("0 goals")
    section.get_by_role("link", name="Goals and action plan").click()
    expect(mentor_page.get_by_role("heading", level=1)).to_have_text("Goals and action plan")
    expect(mentor_page.get_by_test_id("no-goals")).to_be_visible()
    mentor_page.get_by_role("link", name="Add a goal").click()

    field(mentor_page, "Goal").fill(GOAL)
    field(mentor_page, "How success is measured").fill(MEASURE)
    # A target date after the deadline is refused, next to the field.
    field(mentor_page, "Target date").fill((pair.deadline + timedelta(days=5)).isoformat())
    mentor_page.get_by_label("Formar 10 parejas").check()
    mentor_page.get_by_role("button", name="Save goal").click()
    target = field(mentor_page, "Target date")
    expect(target).to_have_attribute("aria-invalid", "true")
    assert not Goal.objects.exists()
    target.fill((today + timedelta(days=60)).isoformat())
    mentor_page.get_by_role("button", name="Save goal").click()

    expect(
        alert(mentor_page, "Goal saved. Pablo Navarro has been asked to review it.")
    ).to_be_visible()
    goal_card = mentor_page.get_by_test_id("goal").filter(has_text=GOAL)
    expect(goal_card.get_by_test_id("goal-review")).to_have_text("Waiting for the mentee")
    goal_card.get_by_role("link", name="Add a step").click()
    field(mentor_page, "Step").fill(STEP)
    mentor_page.get_by_role("group", name="Who does it").get_by_label("Mentee").check()
    field(mentor_page, "Due date").fill((today + timedelta(days=7)).isoformat())
    mentor_page.get_by_role("button", name="Save step", exact=True).click()
    expect(alert(mentor_page, "Step added to the plan.")).to_be_visible()
    expect(goal_card.get_by_test_id("step").filter(has_text=STEP)).to_contain_text("To do")

    # --- 2. Pablo reviews the goal and agrees ------------------------------------------------
    sign_in(mentee_page, pair.mentee.email)
    open_pair(mentee_page, "Elena Ferrer")
    expect(mentee_page.get_by_test_id("to-review")).to_have_text(
        "1 goal is waiting for your review."
    )
    mentee_page.get_by_test_id("goals-section").get_by_role(
        "link", name="Goals and action plan"
    ).click()
    mentee_card = mentee_page.get_by_test_id("goal").filter(has_text=GOAL)
    expect(mentee_card.get_by_test_id("goal-measure")).to_have_text(MEASURE)
    mentee_card.get_by_role("link", name="Review the goal").click()
    mentee_page.get_by_label("I agree to this goal").check()
    mentee_page.get_by_role("button", name="Send my answer").click()
    expect(alert(mentee_page, f"You agreed to the goal “{GOAL}”.")).to_be_visible()
    expect(mentee_card.get_by_test_id("goal-review")).to_have_text("Agreed")
    assert Goal.objects.get().review == Goal.Review.AGREED

    # --- 3. Pablo schedules a meeting; both get the invite -------------------------------------
    mentee_page.get_by_role("link", name="Meetings", exact=True).click()
    expect(mentee_page.get_by_test_id("no-upcoming")).to_be_visible()
    mentee_page.get_by_role("link", name="Schedule a meeting").click()
    starts = timezone.localtime() + timedelta(days=2)
    field(mentee_page, "Date and time").fill(starts.strftime("%Y-%m-%dT10:00"))
    field(mentee_page, "Duration (minutes)").fill("45")
    mentee_page.get_by_role("group", name="How").get_by_label("Video call").check()
    field(mentee_page, "Video link").fill("https://meet.example.com/elena-pablo")
    field(mentee_page, "Agenda").fill("- How did the first step go?\n- **Next** meeting")
    mentee_page.get_by_role("button", name="Schedule", exact=True).click()

    expect(alert(mentee_page, "Meeting scheduled.")).to_be_visible()
    expect(mentee_page.get_by_test_id("agenda").locator("strong")).to_have_text("Next")
    meeting = Meeting.objects.get()
    invites = [m for m in mail.outbox if any(a[0] == "invite.ics" for a in m.attachments)]
    assert sorted(m.to[0] for m in invites) == sorted([pair.mentor.email, pair.mentee.email])

    # --- 4. The meeting took place; Elena logs it with notes and a next step ------------------
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    mentor_page.get_by_role("link", name="Meetings", exact=True).click()
    row = mentor_page.get_by_test_id("past").get_by_test_id("meeting")
    expect(row.get_by_test_id("meeting-status")).to_have_text("to log")
    row.get_by_role("link").click()
    mentor_page.get_by_role("link", name="Log the meeting").click()
    mentor_page.get_by_label("Yes, we met").check()
    field(mentor_page, "How long it lasted (minutes)").fill("50")
    field(mentor_page, "Shared notes").fill(SHARED)
    field(mentor_page, "Private notes").fill(PRIVATE)
    first_row = mentor_page.get_by_test_id("next-step-row").first
    field(first_row, "Goal").select_option(label=GOAL)
    field(first_row, "Next step").fill(NEXT_STEP)
    field(first_row, "Who does it").select_option("mentee")
    field(first_row, "Due date").fill((today + timedelta(days=5)).isoformat())
    mentor_page.get_by_role("button", name="Save the log").click()

    expect(alert(mentor_page, "Meeting logged.")).to_be_visible()
    expect(mentor_page.get_by_test_id("meeting-status")).to_have_text("Held")
    expect(mentor_page.get_by_test_id("shared-notes")).to_have_text(SHARED)
    expect(mentor_page.get_by_test_id("next-steps")).to_contain_text(NEXT_STEP)
    expect(mentor_page.get_by_test_id("private-note").get_by_role("textbox")).to_have_value(PRIVATE)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_minutes) == (Meeting.Status.HELD, 50)
    assert ActionStep.objects.get(title=NEXT_STEP).from_meeting == meeting
    assert PrivateNote.objects.get().author == pair.mentor

    # --- 5. Pablo reads the shared notes (never Elena's private ones) and the new step ---------
    mentee_page.get_by_role("link", name="Meetings", exact=True).click()
    mentee_page.get_by_test_id("past").get_by_test_id("meeting").get_by_role("link").click()
    expect(mentee_page.get_by_test_id("shared-notes")).to_have_text(SHARED)
    expect(mentee_page.get_by_test_id("private-note").get_by_role("textbox")).to_have_value("")
    expect(mentee_page.get_by_text(PRIVATE)).to_have_count(0)
    mentee_page.get_by_role("link", name="Goals and action plan").click()
    expect(
        mentee_page.get_by_test_id("goal").filter(has_text=GOAL).get_by_test_id("step")
    ).to_have_count(2)
    mentee_page.get_by_role("link", name=re.compile("Elena Ferrer and Pablo Navarro")).click()
    expect(mentee_page.get_by_test_id("meeting-rhythm")).to_contain_text("0 days")
