"""One score and the wish, end to end: Pablo asks Elena from the catalogue at "50/100"; Elena,
in her own browser, reads what Pablo is looking for and the score he saw, accepts, and the
pair's page shows that same score, although Elena's answers changed in between and a fresh
score would now be 100.

Everyone reads English on their profile. The program, the people and their approved
applications exist beforehand; everything else is done through the pages.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from matching.models import MatchRequest, Mentorship
from programs.models import Application
from tests.e2e.matching_steps import (
    _enrol,
    _person,
    _skills_answer,
    alert,
    field,
    heading,
    menu_link,
    sign_in,
)
from tests.factories import DepartmentFactory, ProgramFactory, SkillFactory

QUALITIES = "Someone patient who has sold to large accounts."
ACHIEVE = "Close my first big deal on my own."
MESSAGE = "I saw you lead the Iberia renewal: could you teach me how you prepared it?"


def _text_answers(program) -> dict:
    texts = program.questions.filter(role="mentee", kind="text").order_by("order")
    return {str(q.code): answer for q, answer in zip(texts, [ACHIEVE, QUALITIES], strict=True)}


@pytest.fixture
def wish(db):
    negotiation, speaking = SkillFactory(name="Negotiation"), SkillFactory(name="Public speaking")
    program = ProgramFactory(
        name="Grow in Sales", slug="grow-in-sales", status="matching", matching_mode="mentee_choice"
    )
    pablo = _person("Pablo", "Navarro", department=DepartmentFactory(name="Sales"))
    answers = {
        **_skills_answer(program, "mentee", [negotiation, speaking]),
        **_text_answers(program),
    }
    _enrol(program, pablo, "mentee", answers)
    elena = _person("Elena", "Ferrer", job_title="Key account manager")
    _enrol(program, elena, "mentor", _skills_answer(program, "mentor", [negotiation]))
    return program, pablo, elena, [negotiation, speaking]


def test_the_mentor_decides_with_the_wish_and_the_pair_keeps_the_score_the_mentee_saw(
    page: Page, open_browser, wish
):
    program, pablo, elena, both_skills = wish

    # --- Pablo asks Elena, whom the catalogue scores 50/100 -------------------------------
    sign_in(page, pablo.email)
    page.goto(f"/matching/programs/{program.slug}/mentors/")
    card = page.get_by_test_id("mentor-card").filter(has_text="Elena Ferrer")
    expect(card.get_by_test_id("score")).to_have_text("Match score 50/100")
    expect(card.get_by_test_id("reason")).to_have_text(
        ["✓Met: Offers 1 of the 2 skills you want: Negotiation"]
    )
    card.get_by_label("Add to my request").check()
    page.get_by_role("button", name="Continue with the chosen mentors").click()
    field(page, "Message to the mentors").fill(MESSAGE)
    page.get_by_role("button", name="Send the request").click()
    expect(heading(page)).to_have_text("My mentor requests")
    expect(page.get_by_test_id("my-request").get_by_test_id("score")).to_have_text("50/100")
    request = MatchRequest.objects.get(program=program)
    assert request.score == 50.0

    # Elena now offers both skills: scored today the pair would be 100/100.
    Application.objects.filter(program=program, person=elena).update(
        answers=_skills_answer(program, "mentor", both_skills)
    )

    # --- Elena opens the request: Pablo's wish and the score he saw -----------------------
    elena_page = open_browser()
    sign_in(elena_page, elena.email)
    menu_link(elena_page, "My mentoring", "Requests from mentees")
    waiting = elena_page.get_by_test_id("open-request")
    expect(waiting.get_by_test_id("score")).to_have_text("Match score 50/100")
    expect(waiting.get_by_test_id("wish")).to_contain_text("What Pablo Navarro is looking for")
    waiting.get_by_role("link", name="Accept").click()

    expect(heading(elena_page)).to_have_text("Become Pablo Navarro's mentor?")
    main = elena_page.get_by_role("main")
    expect(main.get_by_test_id("score")).to_have_text("Match score 50/100")
    expect(main).to_contain_text("as the mentee saw it when asking you")
    expect(main.get_by_test_id("reason")).to_have_text(
        ["✓Met: Offers 1 of the 2 skills the mentee wants: Negotiation"]
    )
    wanted = main.get_by_test_id("wish")
    expect(wanted).to_contain_text("Negotiation, Public speaking")
    expect(wanted).to_contain_text("Which qualities do you look for in a mentor?")
    expect(wanted).to_contain_text(QUALITIES)
    expect(wanted).to_contain_text(ACHIEVE)
    expect(wanted.get_by_test_id("wish-message")).to_have_text(MESSAGE)
    elena_page.get_by_role("button", name="Accept").click()

    # --- the pair keeps the score Pablo chose by ------------------------------------------
    expect(
        alert(elena_page, "You are now Pablo Navarro's mentor. The partnership has started.")
    ).to_be_visible()
    pair = Mentorship.objects.get(program=program)
    expect(elena_page).to_have_url(re.compile(rf"/matching/pairs/{pair.code}/$"))
    expect(elena_page.get_by_test_id("score")).to_have_text("Match score 50/100")
    expect(elena_page.get_by_test_id("wish")).to_contain_text(QUALITIES)

    page.goto(f"/matching/pairs/{pair.code}/")
    expect(page.get_by_test_id("score")).to_have_text("Match score 50/100")
    expect(page.get_by_test_id("explanation").get_by_test_id("reason")).to_have_text(
        ["✓Met: Offers 1 of the 2 skills you want: Negotiation"]
    )
    assert (pair.score, pair.scored_at) == (request.score, request.scored_at)
