"""Matching, end to end, rankings that count: Pablo ranks Andrés first and Elena second in a
program that sends requests one at a time. Only Andrés hears of it; he declines, the request
travels on to Elena by itself, Pablo is told, and Elena accepts.

Everyone reads English on their profile (on a Spanish browser). The program, the people and
their approved applications exist beforehand; everything else is done through the pages.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from matching.models import MatchRequest, Mentorship
from tests.e2e.matching_steps import (
    _enrol,
    _person,
    _skills_answer,
    alert,
    field,
    heading,
    menu_link,
    sign_in,
    subjects_to,
)
from tests.factories import DepartmentFactory, ProgramFactory, SkillFactory

PROGRAM = "Grow in Sales"
REASON = "I am off for most of the quarter; Elena knows negotiation better than I do."


@pytest.fixture
def ranked(db):
    negotiation = SkillFactory(name="Negotiation")
    program = ProgramFactory(
        name=PROGRAM, slug="grow-in-sales", status="matching", matching_mode="mentee_choice"
    )
    mentee = _person("Pablo", "Navarro", department=DepartmentFactory(name="Sales"))
    _enrol(program, mentee, "mentee", _skills_answer(program, "mentee", [negotiation]))
    mentors = {}
    for first, last in (("Andrés", "Blanco"), ("Elena", "Ferrer")):
        person = _person(first, last, department=DepartmentFactory(name="Retail"))
        _enrol(program, person, "mentor", _skills_answer(program, "mentor", [negotiation]))
        mentors[first] = person
    return program, mentee, mentors


def _requests(page: Page):
    return page.get_by_test_id("my-request")


def test_a_decline_passes_the_ranked_request_on_to_the_next_mentor_who_accepts(
    page: Page, open_browser, ranked
):
    program, pablo, mentors = ranked
    andres, elena = mentors["Andrés"], mentors["Elena"]

    # --- Pablo ranks Andrés first and Elena second ----------------------------------------
    sign_in(page, pablo.email)
    page.goto(f"/matching/programs/{program.slug}/mentors/")
    expect(heading(page)).to_have_text("Mentor catalogue")
    cards = page.get_by_test_id("mentor-card")
    cards.filter(has_text="Andrés Blanco").get_by_label("Add to my request").check()
    cards.filter(has_text="Elena Ferrer").get_by_label("Add to my request").check()
    page.get_by_role("button", name="Continue with the chosen mentors").click()

    expect(heading(page)).to_have_text("Ask for a mentor")
    expect(page.get_by_test_id("how-requests-travel")).to_contain_text(
        "Your request goes to one mentor at a time"
    )
    chosen = page.get_by_test_id("chosen-mentor")
    chosen.filter(has_text="Andrés Blanco").get_by_label("Preference").select_option("1")
    chosen.filter(has_text="Elena Ferrer").get_by_label("Preference").select_option("2")
    field(page, "Message to the mentors").fill("I want to negotiate my first big account.")
    page.get_by_role("button", name="Send the 2 requests").click()

    expect(
        alert(page, "Your request was sent to Andrés Blanco, your first choice.")
    ).to_be_visible()
    rows = _requests(page)
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Andrés Blanco")
    expect(rows.nth(0).get_by_test_id("request-state")).to_contain_text("With the mentor now")
    expect(rows.nth(1)).to_contain_text("Elena Ferrer")
    expect(rows.nth(1).get_by_test_id("request-state")).to_contain_text(
        "Waiting for earlier choices"
    )
    assert subjects_to(andres.email) == [f"Pablo Navarro asks you to be their mentor in {PROGRAM}"]
    assert subjects_to(elena.email) == []

    # --- Elena has nothing to answer yet --------------------------------------------------
    elena_page = open_browser()
    sign_in(elena_page, elena.email)
    menu_link(elena_page, "My mentoring", "Requests from mentees")
    expect(elena_page.get_by_test_id("no-open-requests")).to_be_visible()

    # --- Andrés declines, with a reason ---------------------------------------------------
    andres_page = open_browser()
    sign_in(andres_page, andres.email)
    menu_link(andres_page, "My mentoring", "Requests from mentees")
    waiting = andres_page.get_by_test_id("open-request")
    expect(waiting).to_have_count(1)
    expect(waiting).not_to_contain_text("Their choice")  # HR did not let mentors see ranks
    waiting.get_by_role("link", name="Decline").click()
    field(andres_page, "Why do you decline?").fill(REASON)
    andres_page.get_by_role("button", name="Decline").click()
    expect(
        alert(andres_page, "You declined Pablo Navarro's request; they have been told.")
    ).to_be_visible()

    # --- the request has travelled on to Elena, and Pablo was told ------------------------
    page.reload()
    expect(rows.nth(0)).to_contain_text("Elena Ferrer")
    expect(rows.nth(0).get_by_test_id("request-state")).to_contain_text("With the mentor now")
    expect(rows.nth(1)).to_contain_text("Andrés Blanco")
    expect(rows.nth(1)).to_contain_text(REASON)
    assert subjects_to(pablo.email) == [f"Andrés Blanco cannot be your mentor in {PROGRAM}"]
    assert subjects_to(elena.email) == [f"Pablo Navarro asks you to be their mentor in {PROGRAM}"]

    # --- Elena accepts --------------------------------------------------------------------
    elena_page.reload()
    waiting = elena_page.get_by_test_id("open-request")
    expect(waiting).to_have_count(1)
    expect(waiting.get_by_role("heading")).to_have_text("Pablo Navarro")
    waiting.get_by_role("link", name="Accept").click()
    elena_page.get_by_role("button", name="Accept").click()
    expect(
        alert(elena_page, "You are now Pablo Navarro's mentor. The partnership has started.")
    ).to_be_visible()

    page.reload()
    expect(page.get_by_test_id("current-pair")).to_contain_text(
        "Elena Ferrer is your mentor in this program."
    )
    pair = Mentorship.objects.get(program=program)
    assert (pair.mentor, pair.mentee) == (elena, pablo)
    assert dict(MatchRequest.objects.values_list("mentor__first_name", "status")) == {
        "Andrés": "declined",
        "Elena": "accepted",
    }
