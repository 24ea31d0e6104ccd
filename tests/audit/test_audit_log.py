"""The audit log: every HR change to people and roles, every read of personal results,
kept with who, when and from where; it cannot be edited; HR reads it on its own page."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import Entry, EntryIsFinal
from audit.services import audit_record
from people.models import EmployeeImport
from tests.factories import UserFactory
from tests.metrics.conftest import running_program
from tests.metrics.surveys.conftest import a_survey

A = Entry.Action
BROWSER = {"HTTP_USER_AGENT": "Firefox/128 (audit test)", "REMOTE_ADDR": "203.0.113.7"}


def person_form(person, **changes):
    data = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "department": person.department_id or "",
        "manager": person.manager_id or "",
        "location": person.location,
        "language": person.language,
        "is_active": "on" if person.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def entries(action):
    return list(Entry.objects.filter(action=action))


# --- what is recorded ------------------------------------------------------------------


def test_hr_changes_to_people_are_recorded_with_who_when_and_from_where(
    hr_client, hr_admin, mentee
):
    hr_client.post(f"/people/{mentee.code}/edit/", person_form(mentee, job_title="Lead"), **BROWSER)
    [edited] = entries(A.PERSON_EDITED)
    assert edited.actor == hr_admin and edited.person == mentee
    assert edited.details == {"fields": ["job_title"]}
    assert edited.ip_address == "203.0.113.7" and edited.user_agent.startswith("Firefox/128")
    assert abs(edited.created_at - timezone.now()) < timedelta(minutes=1)

    hr_client.post(f"/people/{mentee.code}/edit/", person_form(mentee, is_active=""), **BROWSER)
    [deactivated] = entries(A.PERSON_DEACTIVATED)
    assert deactivated.person == mentee

    hr_client.post(
        "/people/new/",
        person_form(mentee, email="new.person@example.com", first_name="Nueva"),
        **BROWSER,
    )
    [created] = entries(A.PERSON_CREATED)
    assert created.person.email == "new.person@example.com" and created.actor == hr_admin


def test_saving_the_form_without_changes_records_nothing(hr_client, mentee):
    hr_client.post(f"/people/{mentee.code}/edit/", person_form(mentee))
    assert not entries(A.PERSON_EDITED)


def test_hr_role_changes_imports_and_exports_are_recorded(hr_client, hr_admin, mentor):
    hr_client.post(f"/people/{mentor.code}/hr/grant/")
    hr_client.post(f"/people/{mentor.code}/hr/revoke/")
    assert [e.person for e in entries(A.HR_ROLE_GRANTED)] == [mentor]
    assert [e.person for e in entries(A.HR_ROLE_REVOKED)] == [mentor]

    hr_client.get("/people/export.csv")
    [exported] = entries(A.DIRECTORY_EXPORTED)
    assert exported.actor == hr_admin

    content = (
        "email,first_name,last_name,department\r\nana@example.com,Ana,Díaz,Ventas\r\n"
    ).encode()
    hr_client.post(
        "/people/import/", {"file": SimpleUploadedFile("plantilla.csv", content, "text/csv")}
    )
    batch = EmployeeImport.objects.get()
    hr_client.get(f"/people/import/{batch.code}/")
    assert not entries(A.IMPORT_CONFIRMED), "a preview changes nothing and is not an import"
    hr_client.post(f"/people/import/{batch.code}/confirm/")
    [imported] = entries(A.IMPORT_CONFIRMED)
    assert imported.details == {
        "file": "plantilla.csv",
        "created": 1,
        "updated": 0,
        "unchanged": 0,
    }


def test_the_command_line_is_recorded_as_the_system(db, mentor, tmp_path):
    from django.core.management import call_command

    call_command("grant_hr", mentor.email, stdout=io.StringIO())
    call_command("export_employees", str(tmp_path / "out.csv"), stdout=io.StringIO())
    [granted] = entries(A.HR_ROLE_GRANTED)
    assert granted.actor is None and granted.person == mentor
    assert entries(A.DIRECTORY_EXPORTED)[0].actor is None


def test_hr_reads_of_personal_results_are_recorded(hr_client, hr_admin, mentee):
    program = running_program()
    survey = a_survey(program, "final")
    urls = {
        A.PERSON_VIEWED: f"/people/{mentee.code}/",
        A.SURVEY_RESULTS_VIEWED: reverse("metrics:survey_results", args=[survey.code]),
        A.PROGRAM_RESULTS_VIEWED: reverse("metrics:program_dashboard", args=[program.slug]),
        A.PROGRAM_RESULTS_EXPORTED: reverse("metrics:program_export", args=[program.slug]),
        A.TRAINING_PROGRESS_EXPORTED: reverse("training:program_progress_csv", args=[program.slug]),
    }
    for action, url in urls.items():
        assert hr_client.get(url, **BROWSER).status_code == 200, url
        [entry] = entries(action)
        assert entry.actor == hr_admin and entry.ip_address == "203.0.113.7", action
    assert entries(A.PERSON_VIEWED)[0].person == mentee
    assert entries(A.SURVEY_RESULTS_VIEWED)[0].target_id == str(survey.code)


def test_a_refused_read_is_not_recorded_as_a_read(client, mentee, mentor):
    client.force_login(mentee)
    assert client.get(f"/people/{mentor.code}/").status_code == 403
    assert not Entry.objects.exists()


# --- it cannot be edited -----------------------------------------------------------------


def test_entries_cannot_be_changed_or_deleted(db, hr_admin):
    entry = audit_record(actor=hr_admin, action=A.DIRECTORY_EXPORTED)
    entry.target_label = "forged"
    with pytest.raises(EntryIsFinal):
        entry.save()
    with pytest.raises(EntryIsFinal):
        entry.delete()
    with pytest.raises(EntryIsFinal):
        Entry.objects.filter(pk=entry.pk).update(actor_label="someone else")
    with pytest.raises(EntryIsFinal):
        Entry.objects.all().delete()
    assert Entry.objects.get().actor_label == "Helena Ruiz <hr.admin@example.com>"
    assert not admin.site.is_registered(Entry)


def test_the_audit_pages_offer_no_way_to_write(hr_client, hr_admin):
    audit_record(actor=hr_admin, action=A.DIRECTORY_EXPORTED)
    for url in ("/audit/", "/audit/export.csv"):
        assert hr_client.post(url).status_code in (200, 405)
    assert Entry.objects.filter(action=A.DIRECTORY_EXPORTED).count() == 1


# --- the page ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/audit/", "/audit/export.csv"])
def test_only_hr_admins_read_the_log(client, db, mentee, url):
    assert client.get(url).url.startswith("/accounts/login/")
    client.force_login(mentee)
    assert client.get(url).status_code == 403


def test_the_log_filters_by_person_action_and_dates(hr_client, hr_admin, mentee, mentor):
    with time_machine.travel("2025-03-01 10:00 +01:00", tick=False):
        audit_record(actor=hr_admin, action=A.PERSON_EDITED, target=mentee)
    with time_machine.travel("2025-03-10 10:00 +01:00", tick=False):
        audit_record(actor=hr_admin, action=A.PERSON_VIEWED, target=mentor)
        audit_record(actor=mentor, action=A.DIRECTORY_EXPORTED)

    def shown(**query):
        page = hr_client.get("/audit/", query)
        assert page.status_code == 200
        return {(e.action, e.person_id) for e in page.context["page"].object_list}

    assert len(shown()) == 3
    assert shown(person="Navarro") == {(A.PERSON_EDITED, mentee.pk)}
    assert shown(person=str(mentor.code)) == {
        (A.PERSON_VIEWED, mentor.pk),
        (A.DIRECTORY_EXPORTED, None),  # the mentor acted
    }
    assert shown(action=A.PERSON_VIEWED) == {(A.PERSON_VIEWED, mentor.pk)}
    assert shown(since="2025-03-02") == {(A.PERSON_VIEWED, mentor.pk), (A.DIRECTORY_EXPORTED, None)}
    assert shown(until="2025-03-01") == {(A.PERSON_EDITED, mentee.pk)}
    page = hr_client.get("/audit/", {"since": "2025-03-10", "until": "2025-03-01"})
    assert page.context["form"].errors["until"]
    assert not page.context["page"].object_list


def test_the_log_paginates_in_a_constant_number_of_queries(
    hr_client, hr_admin, django_assert_max_num_queries
):
    people = UserFactory.create_batch(3)
    for person in people:
        audit_record(actor=hr_admin, action=A.PERSON_VIEWED, target=person)
    with django_assert_max_num_queries(20) as few:
        hr_client.get("/audit/")
    more = UserFactory.create_batch(60)
    for person in more:
        audit_record(actor=person, action=A.PERSON_EDITED, target=people[0])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = hr_client.get("/audit/")
    assert page.context["page"].paginator.num_pages == 2
    second = hr_client.get("/audit/", {"page": 2})
    assert len(second.context["page"].object_list) == 63 - 50


def test_the_csv_export_follows_the_filters_and_neutralises_formulas(hr_client, hr_admin):
    sly = UserFactory(first_name="=HYPERLINK(1)", last_name="Sly")
    audit_record(actor=hr_admin, action=A.PERSON_EDITED, target=sly)
    audit_record(actor=hr_admin, action=A.PERSON_VIEWED, target=sly)
    response = hr_client.get("/audit/export.csv", {"action": A.PERSON_EDITED})
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][3].startswith("'=HYPERLINK(1) Sly")
    assert rows[1][1] == "Helena Ruiz <hr.admin@example.com>"
    # Downloading the log is itself recorded.
    [exported] = entries(A.AUDIT_EXPORTED)
    assert exported.details == {"action": A.PERSON_EDITED}


def test_hr_finds_the_log_from_the_menu_and_from_a_persons_page(hr_client, mentee):
    assert 'href="/audit/"' in hr_client.get("/").text
    assert f'href="/audit/?person={mentee.code}"' in hr_client.get(f"/people/{mentee.code}/").text
