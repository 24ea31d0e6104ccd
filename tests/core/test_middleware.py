"""Security headers on every page and invalid characters refused with a 400, never a 500."""

from __future__ import annotations

import pytest

from tests.factories import ProgramFactory, UserFactory

NUL = "\x00"


def _csp(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def test_every_page_has_a_strict_content_security_policy(client, hr_client, db):
    for response in (client.get("/accounts/login/"), hr_client.get("/"), hr_client.get("/nope/")):
        csp = _csp(response)
        assert csp["default-src"] == "'self'"
        assert csp["script-src"] == "'self'"
        assert "unsafe" not in csp["script-src"] and "unsafe" not in csp["default-src"]
        assert csp["object-src"] == "'none'"
        assert csp["frame-ancestors"] == "'none'"
        assert csp["base-uri"] == "'self'"
        assert csp["form-action"] == "'self'"
        assert "unsafe-inline" not in csp["style-src"]


def test_every_page_refuses_camera_microphone_and_location(client, db):
    policy = client.get("/accounts/login/").headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def test_pages_and_exports_for_a_signed_in_person_are_not_cached(client, hr_client, db):
    program = ProgramFactory(status="running")
    for url in ("/", "/programs/", f"/metrics/manage/{program.slug}/results/export/?format=csv"):
        response = hr_client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "private, no-store", url

    person = UserFactory()
    client.force_login(person)
    assert client.get("/programs/").headers["Cache-Control"] == "private, no-store"


# --- invalid characters ------------------------------------------------------------------

SEARCH_PAGES = [
    "/people/",
    "/programs/manage/{slug}/applications/",
    "/programs/{slug}/refer/",
    "/programs/",
    "/notifications/",
]


@pytest.mark.parametrize("url", SEARCH_PAGES)
def test_a_nul_byte_in_a_search_is_a_clear_400_not_a_500(hr_client, url):
    url = url.format(slug=ProgramFactory().slug)
    assert hr_client.get(url, {"q": "ana"}).status_code == 200

    response = hr_client.get(url, {"q": f"ana{NUL}"})

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_byte_anywhere_in_the_query_or_its_names_is_refused(hr_client, db):
    assert hr_client.get("/people/", {"page": f"1{NUL}"}).status_code == 400
    assert hr_client.get("/people/", {f"q{NUL}": "x"}).status_code == 400
    assert hr_client.get("/people/", {"q": "ana"}).status_code == 200


def test_the_400_page_speaks_the_person_s_language(client, db):
    client.force_login(UserFactory(language="es"))

    response = client.get("/programs/", {"q": NUL})

    assert response.status_code == 400
    assert "un carácter de control invisible" in response.content.decode()


def test_a_nul_byte_in_a_form_post_is_refused_and_nothing_is_saved(client, db):
    from programs.models import Application

    program = ProgramFactory()
    client.force_login(UserFactory())

    response = client.post(
        f"/programs/{program.slug}/apply/mentee/", {"motivation": f"Quiero{NUL} aprender"}
    )

    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_nul_byte_in_the_sign_in_form_is_a_400(client, db):
    response = client.post("/accounts/login/", {"login": f"a{NUL}@example.com", "password": "x"})

    assert response.status_code == 400


def test_an_anonymous_visitor_with_a_nul_byte_gets_the_400_page(client, db):
    response = client.get("/accounts/login/", {"next": f"/programs/{NUL}"})

    assert response.status_code == 400
