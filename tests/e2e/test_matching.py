"""Matching, end to end: a mentee chooses mentors from the catalogue, and HR proposes pairs.

1. Mentee choice: Pablo browses the mentor catalogue (best match first, with the "why"),
   asks two mentors in his order of preference, and Elena accepts in her own browser.
2. Managed: HR proposes pairs inside each area, never a mentee's own manager, publishes
   them; the mentee's manager approves and the mentor confirms, and the pair starts.

Everyone reads English on their profile (on a Spanish browser, so the sign-in page is
Spanish). The programs, the people and their approved applications exist beforehand;
everything else is done through the pages.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from matching.models import MatchRequest, Mentorship
from tests.e2e.conftest import TIMEOUT_MS, WATCH
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    DepartmentFactory,
    ProgramFactory,
    SkillFactory,
    UserFactory,
)

CHOICE_PROGRAM = "Grow in Sales"
MANAGED_PROGRAM = "Plant Know-how"
MESSAGE = "I want to prepare my first customer negotiations and present them to the board."
COMMENT = "Lucía knows the press line best; Tomás can spend Friday mornings with her."


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture
def open_browser(request, page, browser, live_server):
    """Open one more person's browser, watched like `page` (outside hosts, console errors)."""
    watch = request.node.stash[WATCH]
    contexts = []

    def open_one() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="es-ES")
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", watch.route)
        contexts.append(context)
        other = context.new_page()
        other.on("console", watch.console)
        other.on("pageerror", watch.page_error)
        return other

    yield open_one
    for context in contexts:
        context.close()


def sign_in(page: Page, email: str) -> None:
    """Sign in from the (Spanish) sign-in page, where any page of the app sends a stranger."""
    page.goto("/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión", exact=True).click()


def field(scope, label: str):
    """The form field whose label is exactly `label` (a required one carries a `*`)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def alert(page: Page, text: str):
    return page.get_by_role("main").get_by_role("alert").filter(has_text=text)


def menu_link(page: Page, menu: str, link: str) -> None:
    """Open a dropdown of the main menu and follow one of its links."""
    page.wait_for_load_state()  # the dropdowns need Bootstrap's script
    nav = page.get_by_role("navigation", name="Main menu")
    nav.get_by_role("button", name=menu, exact=True).click()
    nav.get_by_role("link", name=link, exact=True).click()


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def subjects_to(email: str) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [email]]


def _enrol(program, person, role, answers=None):
    return ApplicationFactory(
        program=program, person=person, role=role, status="approved", answers=answers or {}
    )


def _skills_answer(program, role: str, skills) -> dict:
    criterion = "skills_wanted" if role == "mentee" else "skills_offered"
    question = program.questions.get(role=role, criterion=criterion)
    return {str(question.code): [skill.pk for skill in skills]}


def _person(first: str, last: str, **kwargs):
    plain = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore").decode()
    email = f"{plain.lower()}@example.com"
    return UserFactory(email=email, first_name=first, last_name=last, language="en", **kwargs)


# --- 1. mentee choice ---------------------------------------------------------------------


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
    expect(cards.get_by_test_id("score")).to_have_text(["100", "50", "0"])
    best = cards.nth(0)
    expect(best.get_by_test_id("reason")).to_have_text(
        ["✓Met: Offers all 2 skills you want: Negotiation, Public speaking"]
    )
    expect(best).to_contain_text("Why they fit you")
    expect(best.get_by_test_id("places-left")).to_have_text("2 places left")
    expect(cards.nth(1).get_by_test_id("reason")).to_have_text(
        ["✓Met: Offers 1 of the 2 skills you want: Public speaking"]
    )
    # Nothing Carmen offers is on Pablo's list: her card has no "why" at all.
    expect(cards.nth(2).get_by_test_id("reason")).to_have_count(0)
    expect(cards.nth(2)).not_to_contain_text("Why they fit you")

    # --- Elena's page: the full "why" and what she answered -------------------------------
    best.get_by_role("link", name="Elena Ferrer").click()
    expect(heading(page)).to_have_text("Elena Ferrer")
    expect(page.get_by_role("main")).to_contain_text("Key account manager")
    expect(page.get_by_role("main").get_by_test_id("score")).to_have_text("100")
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
    assert f"Elena Ferrer is now your mentor in {CHOICE_PROGRAM}." in accepted[0].body
    assert f"/matching/pairs/{pair.code}/" in accepted[0].body


# --- 2. managed pairing -------------------------------------------------------------------


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
