"""HR deletes a closed program's personal texts at once, after typing its name."""

from __future__ import annotations

import pytest

from audit.models import Entry
from notifications.models import Notification
from programs.models import Program
from tests.factories import ProgramFactory, UserFactory

from .conftest import stored_text


def _url(program) -> str:
    return f"/programs/manage/{program.slug}/personal-data/"


def test_the_page_lists_what_goes_with_counts_and_what_stays(hr_client, world):
    page = hr_client.get(_url(world["program"])).content.decode()
    assert "Qué se borra" in page and "Qué se conserva" in page
    for start in ("Solicitudes:", "Emparejamiento:", "Acuerdos, objetivos", "Medición:"):
        assert start in page
    from programs.retention.selectors import personal_data_expiries

    counts = [expiry.count for expiry in personal_data_expiries(world["program"])]
    # Matching: the request's message and reply, the mentor's comment, HR's override
    # reason, and the emails sent about the pair.
    assert len(counts) == 4 and counts[1] > 4
    for count in counts:
        assert f"quedan {count} textos" in page
    assert "se conservan hasta que RR. HH. los borre" in page
    assert "Borrar ahora los textos personales" in page


def test_a_wrong_name_deletes_nothing_and_says_what_to_type(hr_client, world):
    response = hr_client.post(_url(world["program"]), {"confirm_name": "Mentoring 2025"})
    assert response.status_code == 200
    assert "Ese no es el nombre del programa. Escribe «Mentoring 2026»" in response.content.decode()
    assert "SECRET" in stored_text()
    assert not Entry.objects.filter(action="program.personal_data_deleted").exists()


def test_the_right_name_deletes_records_and_tells_the_other_hr_admins(hr_client, hr_admin, world):
    program = world["program"]
    other_hr = program.created_by
    response = hr_client.post(_url(program), {"confirm_name": "  mentoring   2026 "}, follow=True)
    page = response.content.decode()
    assert "Se han borrado los textos personales de «Mentoring 2026»" in page
    assert "No queda nada por borrar." in page
    assert "Los textos personales de este programa se borraron el" in page
    assert "SECRET" not in stored_text()
    entry = Entry.objects.get(action="program.personal_data_deleted")
    assert entry.actor == hr_admin and entry.ip_address == "127.0.0.1"
    told = Notification.objects.filter(kind="programs.personal_data_deleted")
    assert [n.recipient for n in told] == [other_hr]
    assert "Helena" in told.get().text_body or "Ruiz" in told.get().text_body


def test_deleting_twice_changes_nothing_the_second_time(hr_client, world):
    program = world["program"]
    hr_client.post(_url(program), {"confirm_name": program.name})
    snapshot = stored_text()
    response = hr_client.post(_url(program), {"confirm_name": program.name})
    assert "Los textos personales de este programa ya se han borrado." in response.content.decode()
    assert stored_text() == snapshot
    assert Entry.objects.filter(action="program.personal_data_deleted").count() == 1


def test_an_open_program_cannot_be_deleted_by_hand(hr_client, world):
    program = world["program"]
    Program.objects.filter(pk=program.pk).update(status="running")
    page = hr_client.get(_url(program)).content.decode()
    assert "cuando el programa esté cerrado" in page
    assert 'name="confirm_name"' not in page
    hr_client.post(_url(program), {"confirm_name": program.name})
    assert "SECRET" in stored_text()

    from django.core.exceptions import ValidationError
    from django.utils import translation

    from programs.retention.services import program_personal_data_delete

    with translation.override("en"), pytest.raises(ValidationError, match="Close the program"):
        program_personal_data_delete(
            program=program, by=program.created_by, confirm_name=program.name
        )


def test_only_hr_reaches_the_page(client, world, mentee, mentor, outsider):
    program = world["program"]
    url = _url(program)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    for person in (mentee, mentor, outsider, mentee.manager):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url, {"confirm_name": program.name}).status_code == 403
    assert "SECRET" in stored_text()
    assert not Entry.objects.filter(action="program.personal_data_deleted").exists()


def test_an_unknown_program_is_not_found(hr_client, db):
    assert hr_client.get("/programs/manage/nope/personal-data/").status_code == 404


def test_the_overview_and_the_closing_page_say_when_texts_go(hr_client, db):
    program = ProgramFactory(status="running", personal_data_months=6)
    page = hr_client.get(f"/programs/manage/{program.slug}/").content.decode()
    assert 'data-testid="personal-data-summary"' in page
    assert "6 meses después de que termine" in page
    assert f"/programs/manage/{program.slug}/edit/" in page
    assert _url(program) in page
    page = hr_client.get(f"/programs/manage/{program.slug}/status/closed/").content.decode()
    assert "6 meses después de que termine" in page
    never = ProgramFactory(status="running")
    page = hr_client.get(f"/programs/manage/{never.slug}/").content.decode()
    assert "se conservan hasta que RR. HH. los borre" in page


def test_the_page_keeps_a_fixed_number_of_queries(hr_client, world, django_assert_max_num_queries):
    for _ in range(5):
        UserFactory()
    with django_assert_max_num_queries(60):
        assert hr_client.get(_url(world["program"])).status_code == 200
