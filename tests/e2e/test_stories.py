"""Success stories, end to end: the mentee writes the pair's story, both members consent in
their own browsers, HR publishes it, and every employee reads it on the stories page.

Three people, three browsers, all reading English on their profiles (on a Spanish browser,
so the sign-in page is Spanish). The running program and the active pair exist beforehand;
everything else is done through the pages.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from metrics.models import SuccessStory
from tests.factories import PASSWORD, UserFactory
from tests.goals.conftest import active_pair, running_program

TITLE = "From first-time manager to confident leader"
WORKED_ON = "We rehearsed difficult conversations and planned how to delegate the weekly report."
CHANGED = "Pablo now runs the team meeting on his own, and the report goes out without him."
QUOTE = "I learned to listen before answering."


@pytest.fixture
def pair(db):
    mentor = UserFactory(
        email="elena@example.com", first_name="Elena", last_name="Ferrer", language="en"
    )
    mentee = UserFactory(
        email="pablo@example.com", first_name="Pablo", last_name="Navarro", language="en"
    )
    return active_pair(running_program(name="Leaders who inspire"), mentor, mentee)


@pytest.fixture
def hr(db):
    return UserFactory(
        email="helena@example.com", first_name="Helena", last_name="Ruiz", language="en", hr=True
    )


def sign_in(page: Page, email: str) -> None:
    page.goto("/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión", exact=True).click()
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()


def field(scope, label: str):
    """The form field whose label is exactly `label` (a required one carries a `*`)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def alert(page: Page, text: str):
    return page.get_by_role("main").get_by_role("alert").filter(has_text=text)


def test_a_pair_tells_its_story_both_consent_and_hr_publishes_it(
    page: Page, open_browser, pair, hr
):
    mentee_page, mentor_page, hr_page = page, open_browser(), open_browser()

    # --- 1. Pablo writes the story of his pair, and consents to it ------------------------
    sign_in(mentee_page, pair.mentee.email)
    mentee_page.goto("/metrics/stories/")
    expect(mentee_page.get_by_test_id("no-stories")).to_be_visible()
    mentee_page.get_by_role("link", name="Write your story with Elena Ferrer").click()
    field(mentee_page, "Title").fill(TITLE)
    field(mentee_page, "What we worked on").fill(WORKED_ON)
    field(mentee_page, "What changed").fill(CHANGED)
    field(mentee_page, "A quote").fill(QUOTE)
    mentee_page.get_by_role("button", name="Save the story").click()
    expect(alert(mentee_page, "It is published only once both of you consent")).to_be_visible()
    expect(mentee_page.get_by_test_id("story-status")).to_have_text("Waiting for consent")
    mentee_page.get_by_role("button", name="I agree to publish this story").click()
    expect(alert(mentee_page, "you consented to publishing this story")).to_be_visible()
    expect(mentee_page.get_by_test_id("mentee-consent")).to_contain_text("agreed on")
    expect(mentee_page.get_by_test_id("mentor-consent")).to_contain_text("not yet")

    # --- 2. Elena reads it among her stories and consents too -----------------------------
    sign_in(mentor_page, pair.mentor.email)
    mentor_page.goto("/metrics/stories/")
    mentor_page.get_by_test_id("my-stories").get_by_role("link", name=TITLE).click()
    expect(mentor_page.get_by_test_id("story")).to_contain_text(QUOTE)
    mentor_page.get_by_role("button", name="I agree to publish this story").click()
    expect(mentor_page.get_by_test_id("story-status")).to_have_text("Ready to publish")

    # --- 3. HR publishes it from the program's stories tab ---------------------------------
    sign_in(hr_page, hr.email)
    hr_page.goto(f"/metrics/manage/{pair.program.slug}/stories/")
    row = hr_page.get_by_test_id("managed-story").filter(has_text=TITLE)
    expect(row.get_by_test_id("managed-story-status")).to_have_text("Ready to publish")
    row.get_by_role("link", name="Publish").click()
    expect(hr_page.get_by_role("heading", name="Publish this story?")).to_be_visible()
    hr_page.get_by_role("main").get_by_role("button", name="Publish").click()
    expect(alert(hr_page, "Story published.")).to_be_visible()
    expect(row.get_by_test_id("managed-story-status")).to_have_text("Published")
    assert SuccessStory.objects.get().status == "published"

    # --- 4. Everyone reads it on the stories page ------------------------------------------
    mentee_page.goto("/metrics/stories/")
    published = mentee_page.get_by_test_id("published-stories").get_by_test_id("story")
    expect(published).to_have_count(1)
    expect(published).to_contain_text(TITLE)
    expect(published).to_contain_text("Elena Ferrer ↔ Pablo Navarro")
    expect(published).to_contain_text(CHANGED)

    # --- 5. Elena withdraws her consent: the story is taken down at once --------------------
    mentor_page.reload()
    mentor_page.get_by_role("button", name="Withdraw my consent").click()
    expect(mentor_page.get_by_test_id("story-status")).to_have_text("Consent withdrawn")
    mentee_page.reload()
    expect(mentee_page.get_by_test_id("no-stories")).to_be_visible()
