"""The accessibility statement: public, says how it is tested and whom to tell of a barrier."""

from __future__ import annotations

from tests.factories import UserFactory


def test_anyone_can_read_the_statement_from_the_sign_in_page(client, db):
    sign_in_page = client.get("/accounts/login/").content.decode()
    assert 'href="/accessibility/"' in sign_in_page

    response = client.get("/accessibility/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Declaración de accesibilidad" in html
    assert "axe-core" in html
    assert "Escribe a tu equipo de RR. HH." in html  # no names for strangers


def test_a_signed_in_person_is_told_which_hr_admins_to_write_to(client, mentee, hr_admin):
    UserFactory(email="gone.hr@example.com", hr=True, is_active=False)
    client.force_login(mentee)

    html = client.get("/accessibility/").content.decode()

    assert 'href="mailto:hr.admin@example.com"' in html
    assert "gone.hr@example.com" not in html


def test_a_configured_contact_replaces_the_hr_list(client, mentee, hr_admin, settings):
    settings.ACCESSIBILITY_CONTACT = "accesibilidad@example.com"
    client.force_login(mentee)

    html = client.get("/accessibility/").content.decode()

    assert 'href="mailto:accesibilidad@example.com"' in html
    assert "hr.admin@example.com" not in html


def test_the_statement_reads_in_english_for_an_english_reader(client, mentee):
    mentee.language = "en"
    mentee.save(update_fields=["language"])
    client.force_login(mentee)

    html = client.get("/accessibility/").content.decode()

    assert "Accessibility statement" in html
    assert "Known gaps" in html
