"""Steps and data builders shared by the matching journeys (test_matching_*.py)."""

from __future__ import annotations

import re
import unicodedata

from django.core import mail
from playwright.sync_api import Page

from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    UserFactory,
)

# --- steps ------------------------------------------------------------------------------


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
