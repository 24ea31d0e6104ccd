"""HR changes a person's email, the person confirms it from the new address, and HR
reviews what happened in the audit log.

Two browsers: HR (reading English) and the person, who opens the link from the email
without being signed in. Everything after the directory exists is done through the pages.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from people.models import User
from tests.factories import PASSWORD, UserFactory

NEW = "pablo.navarro@newmail.example"


@pytest.fixture
def people(db):
    hr = UserFactory(
        email="helena@example.com", first_name="Helena", last_name="Ruiz", language="en", hr=True
    )
    person = UserFactory(
        email="pablo@example.com", first_name="Pablo", last_name="Navarro", language="en"
    )
    return hr, person


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión", exact=True).click()
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()


def alert(page: Page, text: str):
    return page.get_by_role("main").get_by_role("alert").filter(has_text=text)


def test_hr_changes_an_email_the_person_confirms_and_hr_reviews_the_audit_log(
    page: Page, open_browser, people
):
    hr, person = people
    hr_page, person_page = page, open_browser()

    # --- 1. HR changes Pablo's email; nothing changes yet ---------------------------------
    sign_in(hr_page, hr.email)
    hr_page.goto(f"/people/{person.code}/")
    hr_page.get_by_role("link", name="Edit", exact=True).click()
    hr_page.get_by_label(re.compile(r"^\s*Email\s*\*?\s*$")).fill(NEW)
    hr_page.get_by_role("button", name="Save").click()
    expect(alert(hr_page, f"We sent a confirmation link to {NEW}")).to_be_visible()
    expect(hr_page.get_by_test_id("email-change")).to_contain_text(NEW)
    assert User.objects.get(pk=person.pk).email == "pablo@example.com"
    [told] = [m for m in mail.outbox if m.to == ["pablo@example.com"]]
    assert NEW in told.body

    # --- 2. Pablo opens the link from his new mailbox and confirms -------------------------
    [link_mail] = [m for m in mail.outbox if m.to == [NEW]]
    path = re.search(r"https?://[^/\s]+(/people/email-changes/confirm/\S+/)", link_mail.body)[1]
    person_page.goto(path)
    person_page.get_by_role("button", name="Confirmar mi nuevo correo").click()
    expect(alert(person_page, NEW)).to_be_visible()
    sign_in(person_page, NEW)
    expect(person_page.get_by_test_id("greeting")).to_have_text("Hello, Pablo")

    # --- 3. HR reviews the audit log, from the menu -----------------------------------------
    hr_page.goto("/")
    menu = hr_page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name="HR", exact=True).click()
    menu.get_by_role("link", name="Audit log").click()
    expect(hr_page.get_by_role("heading", name="Audit log")).to_be_visible()
    hr_page.get_by_label("Action").select_option(label="Email change confirmed")
    hr_page.get_by_role("button", name="Filter").click()
    expect(hr_page.get_by_test_id("result-count")).to_have_text("1 entry")
    row = hr_page.get_by_role("row").filter(has_text="Email change confirmed")
    expect(row).to_contain_text("Pablo Navarro")
    hr_page.get_by_label("Action").select_option(label="Any action")
    hr_page.get_by_label("Person").fill("Navarro")
    hr_page.get_by_role("button", name="Filter").click()
    for action in ("Email change requested", "Email change confirmed", "Person's page opened"):
        expect(hr_page.get_by_role("row").filter(has_text=action).first).to_be_visible()
    with hr_page.expect_download() as download:
        hr_page.locator("#main").get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.startswith("audit-log-")
