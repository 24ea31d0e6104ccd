"""HR downloads a person's data, then erases the person, through the pages."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from people.models import User
from tests.e2e.test_identity import alert, sign_in
from tests.factories import UserFactory


@pytest.fixture
def people(db):
    hr = UserFactory(
        email="helena@example.com", first_name="Helena", last_name="Ruiz", language="en", hr=True
    )
    person = UserFactory(
        email="pablo@example.com", first_name="Pablo", last_name="Navarro", language="en"
    )
    return hr, person


def test_hr_downloads_a_persons_data_then_erases_them(page: Page, people, tmp_path):
    hr, person = people
    sign_in(page, hr.email)
    page.goto(f"/people/{person.code}/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download their data").click()
    path = tmp_path / "data.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
        assert "Pablo" in archive.read("index.html").decode()
    assert data["sections"]["people"]["profile"]["email"] == "pablo@example.com"

    page.get_by_role("link", name="Erase", exact=True).click()
    page.get_by_label(re.compile("Type the person's email")).fill("someone@example.com")
    page.get_by_role("button", name="Erase for good").click()
    # Next to the field, and in the error summary that takes the focus.
    field_error = page.locator(".invalid-feedback", has_text="Type pablo@example.com exactly")
    expect(field_error).to_be_visible()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        "Type pablo@example.com exactly to confirm"
    )
    assert User.objects.get(pk=person.pk).first_name == "Pablo"

    page.get_by_label(re.compile("Type the person's email")).fill("pablo@example.com")
    page.get_by_role("button", name="Erase for good").click()
    expect(alert(page, "Pablo Navarro has been erased")).to_be_visible()
    erased = User.objects.get(pk=person.pk)
    assert not erased.is_active and erased.email.endswith("@erased.invalid")
    expect(page.get_by_role("main")).not_to_contain_text("pablo@example.com")
