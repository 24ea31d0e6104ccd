"""Each demo role signs in, lands on its home page in Spanish, then switches to English."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from people.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_directory
from people.models import User

SIGN_IN_URL = re.compile(r"/accounts/login/(\?next=/)?$")
HOME_URL = re.compile(r"^http://[^/]+/$")
FIRST_NAMES = {"hr": "Helena", "manager": "Marta", "mentor": "Elena", "mentee": "Pablo"}
HOME_TEXT = {
    "es": {
        "greeting": "Hola, {}",
        "menu": "Menú principal",
        "directory": "RR. HH.",
        "organisation": "Tu organización",
        "team": "Mi equipo",
    },
    "en": {
        "greeting": "Hello, {}",
        "menu": "Main menu",
        "directory": "HR",
        "organisation": "Your organisation",
        "team": "My team",
    },
}
# allauth's own wording: it never says whether the account exists.
WRONG_CREDENTIALS = (
    "La dirección de correo electrónico o la contraseña que has indicado no son correctas."
)


def sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión", exact=True).click()


def expect_home(page: Page, role: str, language: str) -> None:
    text = HOME_TEXT[language]
    expect(page).to_have_url(HOME_URL)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_test_id("greeting")).to_have_text(text["greeting"].format(FIRST_NAMES[role]))

    menu = page.get_by_role("navigation", name=text["menu"])
    directory_menu = menu.get_by_role("button", name=text["directory"], exact=True)
    organisation = page.get_by_role("region", name=text["organisation"])
    if role == "hr":
        expect(directory_menu).to_be_visible()
        expect(organisation).to_be_visible()
    else:
        expect(directory_menu).to_have_count(0)
        expect(organisation).to_have_count(0)

    team_link = menu.get_by_role("button", name=text["team"], exact=True)
    team = page.get_by_role("region", name=text["team"])
    if role == "manager":
        expect(team_link).to_be_visible()
        expect(team).to_contain_text("Pablo Navarro Ruiz")
    else:
        expect(team_link).to_have_count(0)
        expect(team).to_have_count(0)


@pytest.mark.parametrize("role", ["hr", "manager", "mentor", "mentee"])
def test_each_demo_role_signs_in_in_spanish_and_switches_to_english(page: Page, role):
    seed_directory()
    email = DEMO_ACCOUNTS[role]

    page.goto("/")
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    sign_in(page, email, DEMO_PASSWORD)
    expect_home(page, role, "es")

    page.get_by_role("contentinfo").get_by_role("button", name="English").click()
    expect_home(page, role, "en")
    english = page.get_by_role("contentinfo").get_by_role("button", name="English")
    expect(english).to_have_attribute("aria-current", "true")

    # Without the cookie the browser asks for Spanish again: only the profile says English.
    page.context.clear_cookies(name=settings.LANGUAGE_COOKIE_NAME)
    page.reload()
    expect_home(page, role, "en")
    assert User.objects.get(email=email).language == "en"


def test_a_wrong_password_says_the_same_whether_or_not_the_account_exists(page: Page):
    seed_directory()
    for email in [DEMO_ACCOUNTS["mentee"], "nobody@example.com"]:
        page.goto("/")
        sign_in(page, email, "not-the-password")

        expect(page).to_have_url(SIGN_IN_URL)
        expect(page.get_by_role("main").locator(".alert-danger")).to_have_text(WRONG_CREDENTIALS)
        expect(page.get_by_label("Contraseña")).to_be_empty()

    page.goto("/")
    expect(page).to_have_url(SIGN_IN_URL)
