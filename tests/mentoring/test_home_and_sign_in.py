from __future__ import annotations

import pytest
from django.test import override_settings

from tests.factories import PASSWORD, UserFactory


def test_the_home_page_requires_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"


def test_a_person_signs_in_with_email_and_password_and_lands_home(client, mentee):
    response = client.post(
        "/accounts/login/", {"login": "MENTEE@example.com", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Hola, Pablo" in response.content.decode()


def test_a_wrong_password_gives_the_same_message_as_an_unknown_account(client, mentee):
    wrong = client.post("/accounts/login/", {"login": mentee.email, "password": "nope-nope"})
    unknown = client.post(
        "/accounts/login/", {"login": "ghost@example.com", "password": "nope-nope"}
    )
    assert wrong.status_code == unknown.status_code == 200
    wrong_errors = wrong.context["form"].non_field_errors()
    assert wrong_errors == unknown.context["form"].non_field_errors()
    assert "no son correct" in wrong_errors[0]


def test_inactive_people_cannot_sign_in(client, db):
    UserFactory(email="left@example.com", is_active=False)
    response = client.post("/accounts/login/", {"login": "left@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)


def test_sign_up_is_closed_by_default(client, db):
    response = client.get("/accounts/signup/")
    assert "cerrado" in response.content.decode().lower()
    client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "x" * 12, "password2": "x" * 12},
    )
    from people.models import User

    assert not User.objects.filter(email="new@example.com").exists()


@override_settings(SIGNUP_EMAIL_DOMAINS=["acme.es"])
def test_sign_up_opens_only_for_listed_domains(client, db):
    from people.models import User

    password = "a-long-enough-passphrase-42"
    refused = client.post(
        "/accounts/signup/",
        {"email": "someone@gmail.com", "password1": password, "password2": password},
    )
    assert "acme.es" in refused.context["form"].errors["email"][0]
    client.post(
        "/accounts/signup/", {"email": "ana@ACME.es", "password1": password, "password2": password}
    )
    assert User.objects.filter(email="ana@acme.es").exists()


def test_each_role_sees_its_own_home(client, hr_admin, manager, mentee):
    client.force_login(hr_admin)
    hr_home = client.get("/").content.decode()
    assert "Tu organización" in hr_home
    assert "/people/" in hr_home

    client.force_login(manager)
    manager_home = client.get("/").content.decode()
    assert "Mi equipo" in manager_home
    assert mentee.get_full_name() in manager_home
    assert "Tu organización" not in manager_home

    client.force_login(mentee)
    mentee_home = client.get("/").content.decode()
    assert "Mi equipo" not in mentee_home
    assert "/people/import/" not in mentee_home


def test_switching_language_is_remembered_on_the_profile(client, mentee):
    client.force_login(mentee)
    client.post("/language/", {"language": "en", "next": "/"})
    mentee.refresh_from_db()
    assert mentee.language == "en"
    client.cookies.clear()
    client.force_login(mentee)
    assert "Hello, Pablo" in client.get("/").content.decode()


def test_an_anonymous_visitor_switches_language_with_a_cookie(client, db):
    response = client.post("/language/", {"language": "en", "next": "/accounts/login/"})
    assert response.url == "/accounts/login/"
    assert "Sign In" in client.get("/accounts/login/").content.decode()


def test_the_language_switch_never_redirects_off_site(client, db):
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response.url == "/"


def test_unknown_pages_get_a_friendly_404(client, mentee):
    client.force_login(mentee)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "No encontramos esta página" in response.content.decode()


@pytest.mark.parametrize("language, text", [("es", "Hola"), ("en", "Hello")])
def test_home_is_complete_in_both_languages(client, mentee, language, text):
    mentee.language = language
    mentee.save()
    client.force_login(mentee)
    assert f"{text}, Pablo" in client.get("/").content.decode()
