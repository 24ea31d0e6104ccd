"""A failed form, by keyboard: the error summary takes the focus and leads to the field."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.matching_steps import heading, sign_in
from tests.factories import UserFactory


def test_after_a_failed_submit_the_keyboard_starts_at_the_summary_and_reaches_the_field(page, db):
    hr = UserFactory(email="rrhh@example.com", hr=True)
    sign_in(page, hr.email)
    page.goto("/programs/manage/new/")
    assert heading(page).inner_text() == "Nuevo programa"

    page.get_by_role("button", name="Crear programa").press("Enter")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert "Corrige estos" in summary.inner_text()
    # Tab from the summary reaches its first link; Enter takes the focus to that field.
    page.keyboard.press("Tab")
    first_link = summary.get_by_role("link").first
    assert page.evaluate("document.activeElement.getAttribute('href')") == first_link.get_attribute(
        "href"
    )
    page.keyboard.press("Enter")
    expect(page.locator(first_link.get_attribute("href"))).to_be_focused()


def test_the_accessibility_statement_is_one_click_from_any_page(page, db):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accesibilidad").click()
    assert heading(page).inner_text() == "Declaración de accesibilidad"
