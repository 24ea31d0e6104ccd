"""Matching, end to end, in a single-root organisation: HR sees the real areas under the root,
proposes pairs inside them, and a swap that would repeat a pairing declined before is refused
with the reason next to the row, until HR goes ahead explicitly with a reason that is kept.

Everyone reads English on their profile (on a Spanish browser, so the sign-in page is
Spanish). The organisation, the people, their approved applications and the earlier declined
pairing exist beforehand; everything else is done through the pages.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from audit.models import Entry
from matching.models import Mentorship
from tests.e2e.matching_steps import (
    _enrol,
    _person,
    _skills_answer,
    alert,
    heading,
    menu_link,
    sign_in,
)
from tests.factories import DepartmentFactory, ProgramFactory, SkillFactory

PROGRAM = "Plant Know-how"
EARLIER = "Plant Know-how 2025"
OVERRIDE = "Lucía moved to the night shift with Tomás; HR talked to both."


@pytest.fixture
def company(db):
    """One root (Company) with Maintenance and Sales under it. Lucía and Tomás were proposed
    as a pair last year and Lucía declined; Marco is the other maintenance mentor."""
    hydraulics, negotiation = SkillFactory(name="Hydraulics"), SkillFactory(name="Negotiation")
    root = DepartmentFactory(name="Company")
    maintenance = DepartmentFactory(name="Maintenance", parent=root)
    sales = DepartmentFactory(name="Sales", parent=root)
    hr = _person("Helena", "Ruiz", department=root, hr=True)
    program, earlier = (
        ProgramFactory(
            name=name,
            status=status,
            matching_mode="managed",
            focus="knowledge_transfer",
            mentor_capacity=1,
            min_score=0,
            created_by=hr,
        )
        for name, status in ((PROGRAM, "matching"), (EARLIER, "closed"))
    )
    people = {
        "hr": hr,
        "lucia": _person("Lucía", "Vidal", department=maintenance, job_title="Press operator"),
        "marco": _person("Marco", "Sanz", department=maintenance, job_title="Senior technician"),
        "sara": _person("Sara", "Ortega", department=sales, job_title="Sales engineer"),
        "tomas": _person("Tomás", "Gil", department=maintenance, job_title="Technician"),
        "irene": _person("Irene", "Soler", department=maintenance, job_title="Technician"),
        "diego": _person("Diego", "Marín", department=sales, job_title="Sales assistant"),
    }
    for key in ("lucia", "marco", "sara"):
        skills = [negotiation] if key == "sara" else [hydraulics]
        _enrol(program, people[key], "mentor", _skills_answer(program, "mentor", skills))
    for key in ("tomas", "irene", "diego"):
        skills = [negotiation] if key == "diego" else [hydraulics]
        _enrol(program, people[key], "mentee", _skills_answer(program, "mentee", skills))
    _enrol(earlier, people["lucia"], "mentor")
    _enrol(earlier, people["tomas"], "mentee")
    Mentorship.objects.create(
        program=earlier,
        mentor=people["lucia"],
        mentee=people["tomas"],
        status=Mentorship.Status.DECLINED,
        origin=Mentorship.Origin.HR_PROPOSAL,
    )
    return program, people


def test_hr_proposes_inside_real_areas_and_a_declined_pair_is_not_swapped_back(page: Page, company):
    program, people = company
    sign_in(page, people["hr"].email)
    menu_link(page, "HR", "Manage programs")
    page.get_by_role("link", name=PROGRAM, exact=True).click()
    expect(heading(page)).to_have_text(PROGRAM)
    page.get_by_role("link", name="Proposed pairs", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/matching/programs/{program.slug}/proposals/$"))

    # --- the areas are the departments under the single root, not the root itself ---------
    areas = page.get_by_test_id("areas")
    expect(areas).to_contain_text("each department at level 2 of the organisation chart")
    rows = areas.get_by_test_id("area")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_role("cell").nth(0)).to_have_text("Maintenance")
    expect(rows.nth(1).get_by_role("cell").nth(0)).to_have_text("Sales")
    expect(areas.get_by_test_id("area-problem").filter(has_text=re.compile(r"\S"))).to_have_count(0)

    # --- Helena proposes: every pair stays inside its area, no declined pair comes back ----
    page.get_by_role("button", name="Propose pairs").click()
    expect(alert(page, "3 pairs proposed.")).to_be_visible()
    drafts = page.get_by_test_id("draft")
    expect(drafts).to_have_count(3)
    for index in range(3):
        cells = drafts.nth(index).get_by_role("cell")
        area = cells.nth(3).inner_text().strip()
        assert area in {"Maintenance", "Sales"}
        assert cells.nth(1).inner_text().strip().endswith(f"· {area}")
        assert cells.nth(2).inner_text().strip().endswith(f"· {area}")
    tomas_row = drafts.filter(has_text="Tomás Gil")
    irene_row = drafts.filter(has_text="Irene Soler")
    expect(tomas_row.get_by_role("cell").nth(2)).to_contain_text("Marco Sanz")
    expect(irene_row.get_by_role("cell").nth(2)).to_contain_text("Lucía Vidal")

    # --- a swap would give Tomás back to Lucía: refused, the reason next to his row --------
    tomas_row.get_by_role("checkbox").check()
    irene_row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Swap the mentors of the two chosen pairs").click()
    expect(alert(page, "The mentors were not swapped: see why next to the pairs.")).to_be_visible()
    refusal = page.get_by_test_id("draft-refusal")
    expect(refusal).to_have_count(1)
    expect(refusal).to_contain_text(
        f"Lucía Vidal with Tomás Gil: This pairing was not approved in “{EARLIER}”: "
        "it is never proposed again."
    )
    expect(drafts.filter(has_text="Tomás Gil").get_by_role("cell").nth(2)).to_contain_text(
        "Marco Sanz"
    )
    assert not program.mentorships.filter(mentee=people["tomas"], mentor=people["lucia"]).exists()

    # --- Helena goes ahead explicitly, with a reason that is kept ---------------------------
    refusal.get_by_label(re.compile("Swap anyway: why make this pair")).fill(OVERRIDE)
    refusal.get_by_role("button", name="Swap anyway").click()
    expect(alert(page, "Mentors swapped")).to_be_visible()
    tomas_row = page.get_by_test_id("draft").filter(has_text="Tomás Gil")
    expect(tomas_row.get_by_role("cell").nth(2)).to_contain_text("Lucía Vidal")
    expect(tomas_row.get_by_test_id("override-reason")).to_contain_text(OVERRIDE)
    pair = program.mentorships.get(mentee=people["tomas"])
    assert (pair.mentor, pair.override_reason, pair.overridden_by) == (
        people["lucia"],
        OVERRIDE,
        people["hr"],
    )
    assert Entry.objects.filter(action=Entry.Action.PAIR_RULE_OVERRIDDEN).count() == 1
