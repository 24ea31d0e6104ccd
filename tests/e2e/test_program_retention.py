"""HR deletes a closed program's personal texts now; the pair's members see what remains."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from people.models import User
from tests.e2e.test_identity import alert, sign_in
from tests.programs.retention.conftest import closed_world, stored_text


def test_hr_deletes_a_closed_programs_texts_and_the_mentee_sees_dashes(
    page: Page, open_browser, hr_admin, mentor, mentee
):
    world = closed_world(hr_admin, mentor, mentee)
    program, pair = world["program"], world["pair"]
    User.objects.filter(pk__in=[hr_admin.pk, mentee.pk]).update(language="en")
    sign_in(page, hr_admin.email)
    page.goto(f"/programs/manage/{program.slug}/")
    summary = page.get_by_test_id("personal-data-summary")
    expect(summary).to_contain_text("kept until HR deletes them")
    summary.get_by_role("link", name="See what goes or delete now").click()

    expect(page.get_by_test_id("what-goes")).to_contain_text("Agreements, goals and meetings")
    page.get_by_label("Type the program's name to confirm").fill("Another program")
    page.get_by_role("button", name="Delete personal texts now").click()
    field_error = page.locator(".invalid-feedback", has_text="This is not the program's name.")
    expect(field_error).to_be_visible()
    expect(page.locator("[data-error-summary]")).to_contain_text("This is not the program's name.")
    assert "SECRET" in stored_text()

    page.get_by_label("Type the program's name to confirm").fill("Mentoring 2026")
    page.get_by_role("button", name="Delete personal texts now").click()
    expect(alert(page, "The personal texts of “Mentoring 2026” were deleted")).to_be_visible()
    expect(page.get_by_test_id("nothing-left")).to_be_visible()
    assert "SECRET" not in stored_text()

    mentee_page = open_browser()
    sign_in(mentee_page, mentee.email)
    mentee_page.goto(f"/matching/pairs/{pair.code}/")
    expect(mentee_page.get_by_test_id("personal-data-notice")).to_contain_text(
        "The personal texts of this program were deleted on"
    )
    mentee_page.goto(f"/goals/pairs/{pair.code}/plan/")
    expect(mentee_page.get_by_role("main")).not_to_contain_text("SECRET")
    expect(mentee_page.get_by_role("main")).to_contain_text("—")
