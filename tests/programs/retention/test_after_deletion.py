"""After the deletion: what participants and HR see on every page, export and report."""

from __future__ import annotations

import io
import zipfile

from django.core.management import call_command
from django.test import Client

from programs.retention.services import program_personal_data_delete


def _pages(world) -> dict[str, list[str]]:
    pair, goal, meeting = world["pair"], world["goal"], world["meeting"]
    program, survey = world["program"], world["survey"]
    member = [
        f"/matching/pairs/{pair.code}/",
        f"/goals/pairs/{pair.code}/plan/",
        f"/goals/pairs/{pair.code}/plan/print/",
        f"/goals/pairs/{pair.code}/agreement/",
        f"/goals/pairs/{pair.code}/closing/",
        f"/goals/goals/{goal.code}/history/",
        f"/goals/meetings/{meeting.code}/",
    ]
    hr = [
        f"/matching/pairs/{pair.code}/",
        f"/goals/pairs/{pair.code}/plan/",
        f"/metrics/manage/{program.slug}/feedback/",
        f"/metrics/manage/{program.slug}/stories/",
        f"/metrics/manage/survey/{survey.code}/results/",
        f"/metrics/manage/{program.slug}/results/export/?format=csv",
        f"/programs/manage/{program.slug}/applications/",
        f"/programs/manage/{program.slug}/outreach/",
    ]
    return {"mentee": member, "mentor": member, "hr": hr}


def _read(world, clients) -> dict[str, str]:
    seen = {}
    for who, urls in _pages(world).items():
        for url in urls:
            response = clients[who].get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            seen[f"{who} {url}"] = response.content.decode()
    zipped = clients["hr"].get(f"/people/{world['pair'].mentee.code}/personal-data.zip")
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    seen["mentee's data"] = archive.read("data.json").decode() + archive.read("index.html").decode()
    out = io.StringIO()
    call_command("program_report", world["program"].slug, stdout=out)
    seen["program_report"] = out.getvalue()
    return seen


def _clients(hr_client, mentor, mentee) -> dict[str, Client]:
    clients = {"hr": hr_client}
    for who, person in (("mentee", mentee), ("mentor", mentor)):
        clients[who] = Client()
        clients[who].force_login(person)
    return clients


def test_no_page_export_or_report_shows_a_deleted_text(hr_client, hr_admin, world, mentor, mentee):
    clients = _clients(hr_client, mentor, mentee)
    before = _read(world, clients)
    showing = [where for where, text in before.items() if "SECRET" in text]
    assert len(showing) >= 10, showing  # the texts were there to be seen

    program_personal_data_delete(
        program=world["program"], by=hr_admin, confirm_name=world["program"].name
    )

    after = _read(world, clients)
    assert [where for where, text in after.items() if "SECRET" in text] == []
    # The published story and HR's list of improvements stay readable.
    assert "KEPT-IMPROVEMENT" in after[f"hr /metrics/manage/{world['program'].slug}/feedback/"]
    assert "KEPT-STORY" in after[f"hr /metrics/manage/{world['program'].slug}/stories/"]


def test_the_pair_page_says_the_texts_were_deleted_and_what_remains(
    hr_client, hr_admin, world, mentor, mentee
):
    pair = world["pair"]
    clients = _clients(hr_client, mentor, mentee)
    page = clients["mentee"].get(f"/matching/pairs/{pair.code}/").content.decode()
    assert 'data-testid="personal-data-notice"' not in page  # kept until HR deletes them
    program_personal_data_delete(
        program=world["program"], by=hr_admin, confirm_name=world["program"].name
    )
    for who in ("mentee", "mentor", "hr"):
        page = clients[who].get(f"/matching/pairs/{pair.code}/").content.decode()
        assert "Los textos personales de este programa se borraron el" in page
        assert "lo que escribieron las personas se sustituye por «—»" in page


def test_participants_of_a_closed_program_are_told_the_date_in_advance(world, mentee):
    from programs.models import Program

    Program.objects.filter(pk=world["program"].pk).update(personal_data_months=3)
    client = Client()
    client.force_login(mentee)
    page = client.get(f"/matching/pairs/{world['pair'].code}/").content.decode()
    assert "3 meses después de que termine" in page


def test_survey_results_keep_every_figure_and_hide_only_the_deleted_texts(
    hr_client, hr_admin, world
):
    url = f"/metrics/manage/survey/{world['survey'].code}/results/"
    before = hr_client.get(url).content.decode()
    assert "SECRET-SURVEY-3" in before and "5 personas han respondido" in before
    program_personal_data_delete(
        program=world["program"], by=hr_admin, confirm_name=world["program"].name
    )
    after = hr_client.get(url).content.decode()
    assert "SECRET" not in after
    assert after.count("5 personas han respondido") == before.count("5 personas han respondido")
    assert "media 4" in after
    assert 'data-testid="texts-deleted"' in after
