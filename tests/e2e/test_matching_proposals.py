"""Matching, end to end, managed pairing: HR proposes pairs inside each area, never a
mentee's own manager, publishes them; the mentee's manager approves and the mentor
confirms, and the pair starts.

Everyone reads English on their profile (on a Spanish browser, so the sign-in page is
Spanish). The program, the people and their approved applications exist beforehand;
everything else is done through the pages.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from matching.models import Mentorship
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

# --- 2. managed pairing -------------------------------------------------------------------

MANAGED_PROGRAM = "Plant Know-how"
COMMENT = "Lucía knows the press line best; Tomás can spend Friday mornings with her."


@pytest.fixture
def plant(db):
    """Two areas. In Maintenance, Mario manages Tomás and would be his best mentor on skills,
    but a manager never mentors his own report; Sara (Sales) also offers what Tomás wants,
    but she is in another area. One place per mentor."""
    hydraulics, welding, negotiation = (
        SkillFactory(name=name) for name in ("Hydraulics", "Welding", "Negotiation")
    )
    maintenance = DepartmentFactory(name="Maintenance")
    sales = DepartmentFactory(name="Sales")
    hr = _person("Helena", "Ruiz", department=DepartmentFactory(name="People"), hr=True)
    program = ProgramFactory(
        name=MANAGED_PROGRAM,
        slug="plant-know-how",
        status="matching",
        matching_mode="managed",
        focus="knowledge_transfer",
        mentor_capacity=1,
        created_by=hr,
    )
    program.areas.set([maintenance, sales])
    mario = _person("Mario", "Rossi", department=maintenance, job_title="Shift manager")
    people = {
        "hr": hr,
        "mario": mario,
        "lucia": _person("Lucía", "Vidal", department=maintenance, job_title="Press operator"),
        "sara": _person("Sara", "Ortega", department=sales, job_title="Sales engineer"),
        "tomas": _person(
            "Tomás", "Gil", department=maintenance, job_title="Technician", manager=mario
        ),
        "irene": _person("Irene", "Soler", department=maintenance, job_title="Technician"),
        "diego": _person("Diego", "Marín", department=sales, job_title="Sales assistant"),
    }
    for key, skills in (
        ("mario", [hydraulics, welding]),
        ("lucia", [welding]),
        ("sara", [negotiation, hydraulics]),
    ):
        _enrol(program, people[key], "mentor", _skills_answer(program, "mentor", skills))
    for key, skills in (
        ("tomas", [hydraulics, welding]),
        ("irene", [hydraulics]),
        ("diego", [negotiation]),
    ):
        _enrol(program, people[key], "mentee", _skills_answer(program, "mentee", skills))
    return program, people


def test_hr_proposes_pairs_within_areas_the_manager_approves_and_the_mentor_confirms(
    page: Page, open_browser, plant
):
    program, people = plant
    hr, mario, lucia, tomas = people["hr"], people["mario"], people["lucia"], people["tomas"]

    # --- Helena proposes pairs ------------------------------------------------------------
    sign_in(page, hr.email)
    expect(page.get_by_test_id("greeting")).to_have_text("Hello, Helena")
    menu_link(page, "HR", "Manage programs")
    page.get_by_role("link", name=MANAGED_PROGRAM).click()
    expect(heading(page)).to_have_text(MANAGED_PROGRAM)
    expect(page.get_by_test_id("program-status")).to_have_text("Matching")
    page.get_by_role("link", name="Proposed pairs", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/matching/programs/{program.slug}/proposals/$"))
    expect(page.get_by_test_id("no-drafts")).to_be_visible()
    expect(page.get_by_test_id("unmatched")).to_have_count(3)
    page.get_by_role("button", name="Propose pairs").click()

    expect(alert(page, "3 pairs proposed.")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="no mentor yet")).to_have_count(0)
    expect(page.get_by_test_id("no-unmatched")).to_be_visible()
    drafts = page.get_by_test_id("draft")
    expect(drafts).to_have_count(3)
    # Every pair is inside one area: the mentee's and the mentor's departments are the area.
    for index in range(3):
        cells = drafts.nth(index).get_by_role("cell")
        area = cells.nth(3).inner_text().strip()
        assert area in {"Maintenance", "Sales"}
        assert cells.nth(1).inner_text().strip().endswith(f"· {area}")
        assert cells.nth(2).inner_text().strip().endswith(f"· {area}")
    # Mario fits Tomás best on skills, but is his manager: Tomás gets Lucía, Irene gets Mario.
    tomas_row = drafts.filter(has_text="Tomás Gil")
    expect(tomas_row.get_by_role("cell").nth(2)).to_contain_text("Lucía Vidal")
    expect(tomas_row).not_to_contain_text("Mario Rossi")
    expect(tomas_row).to_contain_text("Offers 1 of the 2 skills the mentee wants: Welding")
    expect(drafts.filter(has_text="Irene Soler").get_by_role("cell").nth(2)).to_contain_text(
        "Mario Rossi"
    )
    expect(drafts.filter(has_text="Diego Marín").get_by_role("cell").nth(2)).to_contain_text(
        "Sara Ortega"
    )
    proposed = list(
        program.mentorships.select_related("mentor", "mentee").filter(
            status=Mentorship.Status.PROPOSED
        )
    )
    assert {(p.mentee.email, p.mentor.email) for p in proposed} == {
        (tomas.email, lucia.email),
        (people["irene"].email, mario.email),
        (people["diego"].email, people["sara"].email),
    }
    for pair in proposed:
        assert pair.mentor.department_id == pair.mentee.department_id
        assert pair.mentee.manager_id != pair.mentor.pk
    assert mail.outbox == []  # nothing is sent while the pairs are a draft

    # --- she publishes them, after a confirmation -----------------------------------------
    page.get_by_role("link", name="Publish 3 pairs").click()
    expect(page.get_by_role("heading", name="Publish 3 pairs?")).to_be_visible()
    to_publish = page.get_by_test_id("to-publish-pair")
    expect(to_publish).to_have_count(3)
    expect(to_publish.filter(has_text="Tomás Gil")).to_contain_text("Mario Rossi (manager)")
    expect(to_publish.filter(has_text="Irene Soler")).to_contain_text("No manager: not needed")
    expect(page.get_by_role("main")).to_contain_text(
        "2 mentees have no active manager in the directory: only the mentor is asked."
    )
    assert program.mentorships.filter(status=Mentorship.Status.PROPOSED).count() == 3
    page.get_by_role("button", name="Publish 3 pairs").click()

    expect(
        alert(
            page,
            "3 pairs sent for approval: each mentee's manager and each mentor have been asked.",
        )
    ).to_be_visible()
    expect(page.get_by_test_id("no-drafts")).to_be_visible()
    published = page.get_by_test_id("published-pair")
    expect(published).to_have_count(3)
    expect(published.filter(has_text="Tomás Gil").get_by_test_id("pair-status")).to_have_text(
        "Awaiting approval"
    )
    assert sorted(subjects_to(mario.email)) == [
        "A mentor for Tomás Gil: your approval is needed",
        "Will you mentor Irene Soler?",
    ]
    assert subjects_to(lucia.email) == ["Will you mentor Tomás Gil?"]

    # --- Mario, Tomás's manager, approves with a comment ----------------------------------
    mario_page = open_browser()
    sign_in(mario_page, mario.email)
    menu_link(mario_page, "My mentoring", "Pairing approvals")
    expect(mario_page).to_have_url(re.compile(r"/matching/approvals/$"))
    expect(heading(mario_page)).to_have_text("Pairing approvals")
    to_approve = mario_page.get_by_test_id("pairing-to-approve")
    expect(to_approve).to_have_count(1)
    expect(to_approve).to_contain_text("Lucía Vidal would mentor Tomás Gil")
    # He is a mentor too: Irene's pairing waits for his own confirmation, apart.
    expect(mario_page.get_by_test_id("pairing-to-confirm")).to_contain_text(
        "Mario Rossi would mentor Irene Soler"
    )
    to_approve.get_by_role("link", name="Decide").click()

    expect(heading(mario_page)).to_have_text("A mentor for Tomás Gil")
    mario_page.get_by_role("group", name="Your decision").get_by_label(
        "Approve the pairing"
    ).check()
    field(mario_page, "Comment").fill(COMMENT)
    mario_page.get_by_role("button", name="Send my answer").click()

    expect(
        alert(mario_page, "Thank you. The pair starts once every approval is in.")
    ).to_be_visible()
    expect(mario_page.get_by_test_id("pairing-to-approve")).to_have_count(0)
    decided = mario_page.get_by_test_id("decided-pairing").filter(has_text="Tomás Gil")
    expect(decided).to_contain_text("Approved")
    expect(decided.get_by_test_id("pair-status")).to_have_text("Awaiting approval")
    pairing = program.mentorships.get(mentee=tomas)
    assert pairing.manager_decision == Mentorship.Decision.APPROVED
    assert pairing.manager_comment == COMMENT
    assert pairing.status == Mentorship.Status.AWAITING_APPROVAL

    # --- Lucía confirms on the same page; the pair starts ---------------------------------
    lucia_page = open_browser()
    sign_in(lucia_page, lucia.email)
    menu_link(lucia_page, "My mentoring", "Pairing approvals")
    expect(lucia_page.get_by_test_id("pairing-to-approve")).to_have_count(0)
    to_confirm = lucia_page.get_by_test_id("pairing-to-confirm")
    expect(to_confirm).to_have_count(1)
    expect(to_confirm).to_contain_text("Lucía Vidal would mentor Tomás Gil")
    to_confirm.get_by_role("link", name="Answer").click()

    expect(heading(lucia_page)).to_have_text("Will you mentor Tomás Gil?")
    lucia_page.get_by_role("group", name="Your decision").get_by_label(
        "Yes, I will mentor them"
    ).check()
    lucia_page.get_by_role("button", name="Send my answer").click()

    expect(
        alert(lucia_page, "Thank you. Every approval is in: the partnership has started.")
    ).to_be_visible()
    expect(lucia_page.get_by_test_id("nothing-waiting")).to_be_visible()
    lucia_decided = lucia_page.get_by_test_id("decided-pairing").filter(has_text="Tomás Gil")
    expect(lucia_decided).to_contain_text("Approved")
    lucia_decided.get_by_role("link", name="Active").click()

    expect(lucia_page).to_have_url(re.compile(rf"/matching/pairs/{pairing.code}/$"))
    expect(heading(lucia_page)).to_have_text("Lucía Vidal and Tomás Gil")
    expect(lucia_page.get_by_test_id("pair-status")).to_have_text("Active")
    expect(lucia_page.get_by_role("main")).to_contain_text("Proposed by HR")
    expect(lucia_page.get_by_test_id("deadline")).to_be_visible()
    approvals = lucia_page.get_by_test_id("approvals")
    expect(
        approvals.get_by_role("listitem").filter(has_text="The mentee's manager")
    ).to_contain_text("Approved")
    expect(approvals).to_contain_text(COMMENT)
    expect(approvals.get_by_role("listitem").filter(has_text="The mentor:")).to_contain_text(
        "Approved"
    )
    pairing.refresh_from_db()
    assert pairing.status == Mentorship.Status.ACTIVE
    started = f"Your mentoring partnership in {MANAGED_PROGRAM} has started"
    assert started in subjects_to(lucia.email)
    assert started in subjects_to(tomas.email)

    # --- Helena's pairs tab lists it as active --------------------------------------------
    page.get_by_role("link", name="Pairs", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/matching/programs/{program.slug}/pairs/$"))
    hr_rows = page.get_by_test_id("hr-pair")
    expect(hr_rows).to_have_count(3)
    tomas_pair = hr_rows.filter(has_text="Tomás Gil")
    expect(tomas_pair.get_by_test_id("pair-status")).to_have_text("Active")
    expect(tomas_pair).to_contain_text("Lucía Vidal")
    expect(tomas_pair).to_contain_text("Proposed by HR")
    for other in ("Irene Soler", "Diego Marín"):
        expect(hr_rows.filter(has_text=other).get_by_test_id("pair-status")).to_have_text(
            "Awaiting approval"
        )
