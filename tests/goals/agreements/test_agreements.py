"""Stage 5: the mentoring agreement, its signatures, and HR's planning settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from goals.agreements.services import (
    agreement_open,
    agreement_sign,
    agreement_update,
    program_settings_for,
)
from goals.models import Agreement, AgreementSignature
from notifications.models import Notification
from tests.goals.conftest import a_goal, active_pair, running_program


def test_an_agreement_opens_when_a_pair_starts_from_the_program_template(
    db, mentor, mentee, django_capture_on_commit_callbacks
):
    program = running_program(meeting_every_days=7)
    settings = program_settings_for(program)
    settings.ground_rules = "- Puntualidad\n- Sinceridad"
    settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        pair = active_pair(program, mentor, mentee)
    agreement = Agreement.objects.get(mentorship=pair)
    assert agreement.ground_rules == "- Puntualidad\n- Sinceridad"
    assert agreement.cadence_days == 7
    assert agreement.deadline == pair.deadline
    assert not agreement.is_signed
    assert agreement_open(mentorship=pair) == agreement
    assert Agreement.objects.filter(mentorship=pair).count() == 1


def test_program_settings_are_created_once_with_defaults(db):
    program = running_program()
    settings = program_settings_for(program)
    assert settings.goals_due_days == 14
    assert settings.ground_rules.count("\n- ") == 4
    assert settings.confidentiality
    assert program_settings_for(program) == settings


def test_both_sign_and_the_dates_are_kept(agreement, pair, mentor, mentee):
    agreement_sign(agreement=agreement, by=mentor, version=agreement.version)
    agreement.refresh_from_db()
    assert agreement.mentor_signed_at and not agreement.is_signed
    told = Notification.objects.get(kind="goals.agreement_signed", recipient=mentee)
    assert told.url == f"/goals/pairs/{pair.code}/agreement/"
    agreement_sign(agreement=agreement, by=mentee, version=agreement.version)
    agreement.refresh_from_db()
    assert agreement.is_signed
    assert agreement.first_signed_at == agreement.mentee_signed_at
    assert AgreementSignature.objects.filter(agreement=agreement).count() == 2
    with pytest.raises(ValidationError, match="already signed"):
        agreement_sign(agreement=agreement, by=mentee, version=agreement.version)


def test_a_change_after_signing_asks_both_to_sign_again(agreement, mentor, mentee):
    for person in (mentor, mentee):
        agreement_sign(agreement=agreement, by=person, version=1)
    agreement.refresh_from_db()
    first_signed = agreement.first_signed_at
    agreement_update(agreement=agreement, by=mentee, version=1, cadence_days=7)
    agreement.refresh_from_db()
    assert (agreement.version, agreement.cadence_days) == (2, 7)
    assert agreement.mentor_signed_at is None and agreement.mentee_signed_at is None
    assert agreement.first_signed_at == first_signed
    assert AgreementSignature.objects.filter(agreement=agreement).count() == 2  # history kept
    assert Notification.objects.filter(kind="goals.agreement_changed", recipient=mentor).exists()
    with pytest.raises(ValidationError, match="changed while you were reading"):
        agreement_sign(agreement=agreement, by=mentor, version=1)


def test_saving_without_changes_keeps_the_signatures(agreement, mentor):
    agreement_sign(agreement=agreement, by=mentor, version=1)
    agreement.refresh_from_db()
    agreement_update(agreement=agreement, by=mentor, version=1, cadence_days=agreement.cadence_days)
    agreement.refresh_from_db()
    assert agreement.version == 1 and agreement.mentor_signed_at


def test_two_people_editing_the_agreement_the_second_is_told(agreement, mentor, mentee):
    agreement_update(agreement=agreement, by=mentor, version=1, ground_rules="- A")
    stale = Agreement.objects.get(pk=agreement.pk)
    stale.ground_rules = "- A"  # what the second person's page still shows
    with pytest.raises(ValidationError) as caught:
        agreement_update(agreement=agreement, by=mentee, version=1, ground_rules="- B")
    assert caught.value.code == "conflict"
    agreement.refresh_from_db()
    assert agreement.ground_rules == "- A"


def test_the_deadline_stays_within_the_program_and_after_the_goals(agreement, pair, mentor):
    program = pair.program
    with pytest.raises(ValidationError) as caught:
        agreement_update(
            agreement=agreement,
            by=mentor,
            version=1,
            deadline=program.ends_on + timedelta(days=1),
        )
    assert "deadline" in caught.value.message_dict
    a_goal(pair, target_date=timezone.localdate() + timedelta(days=90))
    with pytest.raises(ValidationError, match="target dates"):
        agreement_update(
            agreement=agreement,
            by=mentor,
            version=1,
            deadline=timezone.localdate() + timedelta(days=60),
        )
    new = timezone.localdate() + timedelta(days=120)
    agreement_update(agreement=agreement, by=mentor, version=1, deadline=new)
    pair.refresh_from_db()
    assert pair.deadline == new


def test_only_members_of_an_active_pair_edit_or_sign(agreement, pair, manager, hr_admin):
    for person in (manager, hr_admin):
        with pytest.raises(ValidationError):
            agreement_sign(agreement=agreement, by=person, version=1)
        with pytest.raises(ValidationError):
            agreement_update(agreement=agreement, by=person, version=1, cadence_days=7)
    pair.status = "completed"
    pair.save()
    with pytest.raises(ValidationError, match="not active"):
        agreement_sign(agreement=agreement, by=pair.mentor, version=1)


# --- pages -------------------------------------------------------------------------------


def test_agreement_pages_are_for_the_pair_and_hr_reads_them(
    client, pair, mentor, manager, hr_admin, outsider
):
    urls = [
        f"/goals/pairs/{pair.code}/agreement/",
        f"/goals/pairs/{pair.code}/agreement/edit/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    for person in (outsider, manager):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
        sign = client.post(f"/goals/pairs/{pair.code}/agreement/sign/", {"version": 1})
        assert sign.status_code == 404
    client.force_login(hr_admin)
    page = client.get(urls[0])
    assert page.status_code == 200
    assert "/agreement/sign/" not in page.content.decode()
    assert client.get(urls[1]).status_code == 404
    client.force_login(mentor)
    assert client.get(urls[1]).status_code == 200


def test_members_sign_and_edit_the_agreement_in_the_browser(client, pair, mentor, mentee):
    client.force_login(mentor)
    url = f"/goals/pairs/{pair.code}/agreement/"
    page = client.get(url).content.decode()
    assert "/agreement/sign/" in page
    response = client.post(f"/goals/pairs/{pair.code}/agreement/sign/", {"version": 1})
    assert response.url == url
    assert "/agreement/sign/" not in client.get(url).content.decode()
    agreement = Agreement.objects.get(mentorship=pair)
    response = client.post(
        f"/goals/pairs/{pair.code}/agreement/edit/",
        {
            "ground_rules": "<script>alert(1)</script>\n- **Be on time**",
            "cadence_days": 21,
            "meeting_format": "video",
            "confidentiality": "Just us.",
            "deadline": agreement.deadline.isoformat(),
            "version": 1,
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "<script>alert(1)" not in page  # sanitised away by the markdown filter
    assert "<strong>Be on time</strong>" in page
    agreement.refresh_from_db()
    assert (agreement.version, agreement.mentor_signed_at) == (2, None)
    # A stale form (version 1) is refused, and the form says why.
    response = client.post(
        f"/goals/pairs/{pair.code}/agreement/edit/",
        {
            "ground_rules": "- Other",
            "cadence_days": 7,
            "meeting_format": "video",
            "confidentiality": "Just us.",
            "deadline": agreement.deadline.isoformat(),
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    agreement.refresh_from_db()
    assert agreement.cadence_days == 21


def test_pages_read_a_pair_without_agreement_and_the_first_signature_opens_it(client, pair, mentor):
    """A pair from before agreements existed: no page writes on GET; signing opens it."""
    Agreement.objects.filter(mentorship=pair).delete()
    client.force_login(mentor)
    for url in (
        f"/matching/pairs/{pair.code}/",
        f"/goals/pairs/{pair.code}/agreement/",
        f"/goals/pairs/{pair.code}/agreement/edit/",
        f"/goals/pairs/{pair.code}/plan/",
    ):
        assert client.get(url).status_code == 200, url
    assert not Agreement.objects.filter(mentorship=pair).exists()

    response = client.post(f"/goals/pairs/{pair.code}/agreement/sign/", {"version": 1})

    assert response.status_code == 302
    agreement = Agreement.objects.get(mentorship=pair)
    assert agreement.mentor_signed_at is not None
