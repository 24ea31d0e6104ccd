"""Matching, end to end, mentee choice: Pablo browses the mentor catalogue (best match
first, with the "why"), asks two mentors in his order of preference, and Elena accepts in
her own browser.

Everyone reads English on their profile (on a Spanish browser, so the sign-in page is
Spanish). The program, the people and their approved applications exist beforehand;
everything else is done through the pages.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
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
from tests.factories import (
    DepartmentFactory,
    ProgramFactory,
    SkillFactory,
)

CHOICE_PROGRAM = "Grow in Sales"
MESSAGE = "I want to prepare my first customer negotiations and present them to the board."


@pytest.fixture
def catalogue(db):
    """Pablo wants negotiation and public speaking; Elena offers both, Andrés one, Carmen none.

    Alphabetically (the catalogue's tie-break) Carmen Alonso would come first and Elena
    Ferrer last: the order on the page is the match score's.
    """
    negotiation, speaking, forecasting = (
        SkillFactory(name=name) for name in ("Negotiation", "Public speaking", "Forecasting")
    )
    program = ProgramFactory(
        name=CHOICE_PROGRAM,
        slug="grow-in-sales",
        status="matching",
        matching_mode="mentee_choice",
        # This journey: every choice at once, mentors seeing their rank. One at a time (the
        # default) is walked in test_matching_ranked_requests.py.
        request_order="all_at_once",
        show_rank_to_mentor=True,
    )
    sales = DepartmentFactory(name="Sales")
    mentee = _person("Pablo", "Navarro", department=sales, job_title="Account executive")
    _enrol(program, mentee, "mentee", _skills_answer(program, "mentee", [negotiation, speaking]))
    mentors = {}
    for first, last, title, skills in (
        ("Carmen", "Alonso", "Financial planner", [forecasting]),
        ("Andrés", "Blanco", "Sales director", [speaking, forecasting]),
        ("Elena", "Ferrer", "Key account manager", [negotiation, speaking]),
    ):
        person = _person(first, last, job_title=title, department=DepartmentFactory(name="Retail"))
        _enrol(program, person, "mentor", _skills_answer(program, "mentor", skills))
        mentors[first] = person
    return program, mentee, mentors


def test_a_mentee_asks_two_mentors_from_the_catalogue_and_the_first_to_accept_is_the_pair(
    page: Page, open_browser, catalogue
):
    program, pablo, mentors = catalogue
    elena, andres = mentors["Elena"], mentors["Andrés"]

    # --- Pablo finds the catalogue from his home page -------------------------------------
    sign_in(page, pablo.email)
    expect(page.get_by_test_id("greeting")).to_have_text("Hello, Pablo")
    mine = page.get_by_role("region", name="My mentoring")
    expect(mine).to_contain_text(f"You can now choose your mentor in {CHOICE_PROGRAM}.")
    mine.get_by_role("link", name="Find a mentor").click()

    expect(page).to_have_url(re.compile(rf"/matching/programs/{program.slug}/mentors/$"))
    expect(heading(page)).to_have_text("Mentor catalogue")
    expect(page.get_by_test_id("open-requests")).to_contain_text("Open requests: 0 of 3.")
    expect(page.get_by_test_id("mentor-count")).to_have_text("3 mentors")
    cards = page.get_by_test_id("mentor-card")
    expect(cards.get_by_role("heading", level=2)).to_have_text(
        ["Elena Ferrer", "Andrés Blanco", "Carmen Alonso"]
    )
    expect(cards.get_by_test_id("score")).to_have_text(
        ["Match score 100/100", "Match score 50/100", "Match score 0/100"]
    )
    best = cards.nth(0)
    expect(best.get_by_test_id("reason")).to_have_text(
        ["✓Met: Offers all 2 skills you want: Negotiation, Public speaking"]
    )
    expect(best).to_contain_text("How they match what you want")
    expect(best.get_by_test_id("places-left")).to_have_text("2 places left")
    expect(cards.nth(1).get_by_test_id("reason")).to_have_text(
        ["✓Met: Offers 1 of the 2 skills you want: Public speaking"]
    )
    # Nothing Carmen offers is on Pablo's list: her card says so, with a cross, not colour alone.
    expect(cards.nth(2).get_by_test_id("reason")).to_have_text(
        ["✗Not met: Offers none of the skills you want"]
    )

    # --- Elena's page: the full "why" and what she answered -------------------------------
    best.get_by_role("link", name="Elena Ferrer").click()
    expect(heading(page)).to_have_text("Elena Ferrer")
    expect(page.get_by_role("main")).to_contain_text("Key account manager")
    expect(page.get_by_role("main").get_by_test_id("score")).to_have_text("Match score 100/100")
    expect(page.get_by_test_id("reason")).to_contain_text(
        ["Offers all 2 skills you want: Negotiation, Public speaking"]
    )
    answers = page.get_by_test_id("mentor-answers")
    expect(answers).to_contain_text("Negotiation")
    expect(answers).to_contain_text("Public speaking")
    expect(page.get_by_role("link", name="Ask this mentor")).to_be_visible()
    page.get_by_role("navigation", name="breadcrumb").get_by_role(
        "link", name="Mentor catalogue"
    ).click()

    # --- he ticks Elena and Andrés and goes on to the request -----------------------------
    expect(heading(page)).to_have_text("Mentor catalogue")
    cards.filter(has_text="Elena Ferrer").get_by_label("Add to my request").check()
    cards.filter(has_text="Andrés Blanco").get_by_label("Add to my request").check()
    page.get_by_role("button", name="Continue with the chosen mentors").click()

    expect(heading(page)).to_have_text("Ask for a mentor")
    chosen = page.get_by_test_id("chosen-mentor")
    expect(chosen).to_have_count(2)
    first_choice = chosen.filter(has_text="Elena Ferrer")
    second_choice = chosen.filter(has_text="Andrés Blanco")
    expect(first_choice).to_contain_text("Match score 100")
    expect(first_choice.get_by_label("Preference")).to_have_value("1")
    expect(second_choice.get_by_label("Preference")).to_have_value("2")
    # The same preference twice is refused, and what he wrote stays.
    second_choice.get_by_label("Preference").select_option("1")
    field(page, "Message to the mentors").fill(MESSAGE)
    page.get_by_role("button", name="Send the 2 requests").click()
    expect(page.get_by_test_id("request-errors")).to_have_text(
        "Give each mentor a different preference."
    )
    expect(field(page, "Message to the mentors")).to_have_value(MESSAGE)
    assert not MatchRequest.objects.exists()

    # Andrés first, Elena second: the first to accept wins whatever the order.
    first_choice.get_by_label("Preference").select_option("2")
    page.get_by_role("button", name="Send the 2 requests").click()

    expect(
        alert(page, "Your requests were sent to 2 mentors. We will tell you when they answer.")
    ).to_be_visible()
    expect(heading(page)).to_have_text("My mentor requests")
    rows = page.get_by_test_id("my-request")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Andrés Blanco")
    expect(rows.nth(1)).to_contain_text("Elena Ferrer")
    for row in (rows.nth(0), rows.nth(1)):
        expect(row).to_contain_text("Waiting for the mentor")
        expect(row).to_contain_text("Expires in 7 days")
        expect(row.get_by_role("link", name="Withdraw")).to_be_visible()
    expect(rows.nth(0).get_by_role("cell").first).to_have_text("1")
    expect(rows.nth(1).get_by_role("cell").first).to_have_text("2")
    assert subjects_to(elena.email) == [
        f"Pablo Navarro asks you to be their mentor in {CHOICE_PROGRAM}"
    ]
    assert subjects_to(andres.email) == [
        f"Pablo Navarro asks you to be their mentor in {CHOICE_PROGRAM}"
    ]

    # --- Elena accepts, in her own browser ------------------------------------------------
    elena_page = open_browser()
    sign_in(elena_page, elena.email)
    expect(elena_page.get_by_test_id("greeting")).to_have_text("Hello, Elena")
    menu_link(elena_page, "My mentoring", "Requests from mentees")
    expect(elena_page).to_have_url(re.compile(r"/matching/requests/$"))
    expect(heading(elena_page)).to_have_text("Requests from mentees")
    expect(elena_page.get_by_test_id("places")).to_have_text("0 of 2 places taken")
    waiting = elena_page.get_by_test_id("open-request")
    expect(waiting).to_have_count(1)
    expect(waiting.get_by_role("heading")).to_have_text("Pablo Navarro")
    expect(waiting).to_contain_text("Account executive · Sales")
    expect(waiting).to_contain_text("Their choice #2")
    expect(waiting).to_contain_text(MESSAGE)
    waiting.get_by_role("link", name="Accept").click()

    expect(heading(elena_page)).to_have_text("Become Pablo Navarro's mentor?")
    expect(elena_page.get_by_role("main")).to_contain_text(
        "It takes one of your places: 0 of 2 are taken now."
    )
    elena_page.get_by_role("button", name="Accept").click()

    expect(
        alert(elena_page, "You are now Pablo Navarro's mentor. The partnership has started.")
    ).to_be_visible()
    expect(heading(elena_page)).to_have_text("Elena Ferrer and Pablo Navarro")
    expect(elena_page.get_by_test_id("pair-status")).to_have_text("Active")
    pair = Mentorship.objects.get(program=program)
    assert (pair.mentor, pair.mentee, pair.status) == (elena, pablo, Mentorship.Status.ACTIVE)

    # --- Pablo sees his mentor; the other request was withdrawn ---------------------------
    page.reload()
    expect(page.get_by_test_id("current-pair")).to_contain_text(
        "Elena Ferrer is your mentor in this program."
    )
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Elena Ferrer")).to_contain_text("Accepted")
    expect(rows.filter(has_text="Andrés Blanco")).to_contain_text("Withdrawn")
    expect(page.get_by_role("link", name="Withdraw")).to_have_count(0)
    expect(page.get_by_role("link", name="Find a mentor")).to_have_count(0)
    assert subjects_to(andres.email)[-1] == "Pablo Navarro's request is no longer open"

    page.get_by_test_id("current-pair").get_by_role("link", name="See the pair").click()
    expect(page).to_have_url(re.compile(rf"/matching/pairs/{pair.code}/$"))
    expect(heading(page)).to_have_text("Elena Ferrer and Pablo Navarro")
    expect(page.get_by_test_id("pair-status")).to_have_text("Active")
    people = page.get_by_role("main")
    expect(people.get_by_role("link", name=elena.email)).to_be_visible()
    expect(people.get_by_role("link", name=pablo.email)).to_be_visible()
    expect(people).to_contain_text("Key account manager")
    expect(people).to_contain_text("The mentee chose the mentor")

    accepted = [m for m in mail.outbox if m.subject == "Elena Ferrer accepted your request"]
    assert [m.to for m in accepted] == [[pablo.email]]
