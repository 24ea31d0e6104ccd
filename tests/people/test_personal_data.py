"""A person's right to their data and to erasure: HR downloads all of it, or erases it."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client

from audit.models import Entry
from goals.models import ClosingReview, Meeting, PrivateNote
from matching.models import MatchRequest, Mentorship
from metrics.models import Feedback, SuccessStory, SurveyAnswer
from notifications.models import Notification
from people.models import User
from programs.models import Application
from tests.goals.conftest import a_goal, a_meeting, active_pair, running_program
from tests.metrics.conftest import a_module, a_pulse
from training.models import Completion

MENTEE_TEXTS = [
    "MENTEE-MOTIVATION",
    "MENTEE-REQUEST-MESSAGE",
    "MENTEE-PRIVATE-NOTE",
    "MENTEE-REFLECTION",
    "MENTEE-FEEDBACK",
    "MENTEE-STORY",
]
OTHER_TEXTS = ["MENTOR-PRIVATE-NOTE", "MENTOR-REFLECTION", "OUTSIDER-FEEDBACK", "MENTOR-INBOX"]


@pytest.fixture
def world(mentor, mentee, outsider):
    program = running_program()
    pair = active_pair(program, mentor, mentee)
    Application.objects.filter(person=mentee).update(motivation="MENTEE-MOTIVATION")
    MatchRequest.objects.create(
        program=program,
        mentee=mentee,
        mentor=mentor,
        rank=1,
        message="MENTEE-REQUEST-MESSAGE",
        status="accepted",
        expires_at=program.created_at,
        mentorship=pair,
    )
    goal = a_goal(pair)
    meeting = a_meeting(pair)
    PrivateNote.objects.create(meeting=meeting, author=mentee, text="MENTEE-PRIVATE-NOTE")
    PrivateNote.objects.create(meeting=meeting, author=mentor, text="MENTOR-PRIVATE-NOTE")
    ClosingReview.objects.create(
        mentorship=pair, author=mentee, role="mentee", reflection="MENTEE-REFLECTION"
    )
    ClosingReview.objects.create(
        mentorship=pair, author=mentor, role="mentor", reflection="MENTOR-REFLECTION"
    )
    Feedback.objects.create(program=program, author=mentee, text="MENTEE-FEEDBACK")
    Feedback.objects.create(program=program, author=outsider, text="OUTSIDER-FEEDBACK")
    SuccessStory.objects.create(
        program=program,
        mentorship=pair,
        author=mentee,
        title="MENTEE-STORY",
        worked_on="MENTEE-STORY worked",
        what_changed="MENTEE-STORY changed",
    )
    Notification.objects.create(
        recipient=mentor, kind="test", subject="MENTOR-INBOX", text_body="MENTOR-INBOX"
    )
    Notification.objects.create(
        recipient=mentee, kind="test", subject="For the mentee", text_body="MENTEE-INBOX"
    )
    Completion.objects.create(
        person=mentee,
        module=a_module("Listening"),
        family=uuid.uuid4(),
        completed_at=pair.created_at,
    )
    a_pulse(pair, mentee, 2)
    return {"program": program, "pair": pair, "goal": goal, "meeting": meeting}


def _download(client, person):
    response = client.get(f"/people/{person.code}/personal-data.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["data.json", "index.html"]
    return (
        json.loads(archive.read("data.json")),
        archive.read("data.json").decode(),
        archive.read("index.html").decode(),
    )


# --- export -------------------------------------------------------------------------


def test_hr_downloads_everything_held_about_a_person_and_nothing_about_others(
    hr_client, world, mentee
):
    data, raw, html = _download(hr_client, mentee)
    sections = data["sections"]
    assert sections["people"]["profile"]["email"] == mentee.email
    assert {"programs", "matching", "goals", "training", "metrics", "notifications"} <= set(
        sections
    )
    assert sections["goals"]["goals"][0]["title"] == world["goal"].title
    assert sections["goals"]["meetings"][0]["agenda"] == "Talk about the plan"
    assert sections["training"]["completions"][0]["module__title"] == "Listening"
    assert len(sections["matching"]["pairs"]) == 1
    for text in MENTEE_TEXTS:
        assert text in raw
        assert text in html
    for text in OTHER_TEXTS:
        assert text not in raw
        assert text not in html


def test_survey_answers_are_listed_as_answered_without_their_content(hr_client, world, mentee):
    data, raw, _html = _download(hr_client, mentee)
    answered = data["sections"]["metrics"]["surveys_answered"]
    assert [row["survey__title"] for row in answered] == ["Pulse"]
    assert set(answered[0]) == {"survey__title", "answered_at"}
    assert "value" not in raw


def test_the_html_page_escapes_what_people_wrote(hr_client, world, mentee):
    Feedback.objects.filter(author=mentee).update(text="<script>alert(1)</script>")
    _data, _raw, html = _download(hr_client, mentee)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_a_person_with_nothing_yet_gets_a_zip_with_their_profile(hr_client, outsider):
    data, _raw, html = _download(hr_client, outsider)
    assert data["sections"]["people"]["profile"]["email"] == outsider.email
    assert data["sections"]["programs"]["applications"] == []
    assert "No se guarda nada." in html


def test_the_export_is_recorded_in_the_audit_log(hr_client, hr_admin, mentee):
    _download(hr_client, mentee)
    entry = Entry.objects.get(action="personal_data.exported")
    assert entry.actor == hr_admin
    assert entry.person == mentee


@pytest.mark.parametrize("path", ["personal-data.zip", "erase/"])
def test_only_hr_reaches_export_and_erasure(client, mentee, mentor, path):
    url = f"/people/{mentee.code}/{path}"
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(mentee)
    assert client.get(url).status_code == 403
    client.force_login(mentor)
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm_email": mentee.email}).status_code == 403
    assert User.objects.get(pk=mentee.pk).email == mentee.email
    assert not Entry.objects.filter(action__in=["personal_data.exported", "person.erased"])


@pytest.mark.parametrize("path", ["personal-data.zip", "erase/"])
def test_unknown_people_are_not_found(hr_client, path):
    assert hr_client.get(f"/people/{uuid.uuid4()}/{path}").status_code == 404


def test_the_person_page_offers_both_rights(hr_client, mentee):
    page = hr_client.get(f"/people/{mentee.code}/").content.decode()
    assert f"/people/{mentee.code}/personal-data.zip" in page
    assert f"/people/{mentee.code}/erase/" in page


# --- erasure ------------------------------------------------------------------------


def test_erasure_asks_for_the_email_and_changes_nothing_on_a_wrong_one(hr_client, world, mentee):
    page = hr_client.get(f"/people/{mentee.code}/erase/").content.decode()
    assert "Esto no se puede deshacer" in page
    response = hr_client.post(f"/people/{mentee.code}/erase/", {"confirm_email": "nope@x.com"})
    assert response.status_code == 200
    assert f"Escribe {mentee.email} tal cual para confirmar" in response.content.decode()
    assert User.objects.get(pk=mentee.pk).email == mentee.email
    assert Feedback.objects.get(author=mentee).text == "MENTEE-FEEDBACK"
    assert not Entry.objects.filter(action="person.erased")


def test_erasure_anonymises_the_person_and_their_texts_but_keeps_the_counts(
    hr_client, hr_admin, world, mentee, mentor
):
    name = mentee.get_full_name()
    Client().force_login(mentee)
    assert Session.objects.count() == 2
    answers_before = SurveyAnswer.objects.count()

    response = hr_client.post(
        f"/people/{mentee.code}/erase/", {"confirm_email": mentee.email.upper()}, follow=True
    )
    assert "se ha borrado. Sus parejas" in response.content.decode()

    erased = User.objects.get(pk=mentee.pk)
    assert erased.get_full_name() == "Persona borrada"
    assert erased.email.endswith("@erased.invalid") and "mentee" not in erased.email
    assert not erased.is_active and not erased.has_usable_password()
    assert erased.manager is None and erased.job_title == ""
    assert not erased.skills.exists()
    # Their sessions are ended; HR's is not.
    sessions = [s.get_decoded().get(SESSION_KEY) for s in Session.objects.all()]
    assert sessions == [str(hr_admin.pk)]
    # Everything they wrote is gone; what others wrote stays.
    assert Application.objects.get(person=erased).motivation == "—"
    assert MatchRequest.objects.get(mentee=erased).message == "—"
    assert PrivateNote.objects.get(author=erased).text == "—"
    assert PrivateNote.objects.get(author=mentor).text == "MENTOR-PRIVATE-NOTE"
    assert ClosingReview.objects.get(author=erased).reflection == "—"
    assert Feedback.objects.get(author=erased).text == "—"
    assert SuccessStory.objects.get(author=erased).worked_on == "—"
    assert set(
        Notification.objects.filter(recipient=erased).values_list("text_body", flat=True)
    ) == {""}
    assert Notification.objects.get(subject="MENTOR-INBOX").text_body == "MENTOR-INBOX"
    assert not Notification.objects.filter(recipient=erased, email_status="pending").exists()
    # Rows stay, so pairs, meetings and survey answers keep counting.
    assert Mentorship.objects.filter(mentee=erased, status="active").count() == 1
    assert Meeting.objects.filter(mentorship=world["pair"]).count() == 1
    assert SurveyAnswer.objects.count() == answers_before
    # Recorded; and the export now says nothing about who they were.
    assert Entry.objects.get(action="person.erased").actor == hr_admin
    _data, raw, _html = _download(hr_client, erased)
    for text in [*MENTEE_TEXTS, name, mentee.email]:
        assert text not in raw


def test_hr_admins_and_oneself_cannot_be_erased(hr_client, hr_admin, mentee):
    from people.services import hr_role_grant

    hr_role_grant(person=mentee, by=hr_admin)
    response = hr_client.post(f"/people/{mentee.code}/erase/", {"confirm_email": mentee.email})
    assert "Quítale primero ese rol" in response.content.decode()
    response = hr_client.post(f"/people/{hr_admin.code}/erase/", {"confirm_email": hr_admin.email})
    assert "No puedes borrarte a ti" in response.content.decode()
    assert User.objects.filter(is_active=True, pk__in=[mentee.pk, hr_admin.pk]).count() == 2


def test_an_erased_person_cannot_be_erased_twice(hr_client, mentee):
    hr_client.post(f"/people/{mentee.code}/erase/", {"confirm_email": mentee.email})
    erased = User.objects.get(pk=mentee.pk)
    page = hr_client.get(f"/people/{erased.code}/erase/").content.decode()
    assert "ya se ha borrado" in page
    response = hr_client.post(f"/people/{erased.code}/erase/", {"confirm_email": erased.email})
    assert "ya se ha borrado" in response.content.decode()
    assert Entry.objects.filter(action="person.erased").count() == 1


def test_the_export_runs_a_fixed_number_of_queries(
    hr_client, world, mentee, django_assert_max_num_queries
):
    # One query per section whatever the amount of data (31 measured with this world).
    for _ in range(5):
        Feedback.objects.create(program=world["program"], author=mentee, text="More")
        a_meeting(world["pair"])
    with django_assert_max_num_queries(31):
        _download(hr_client, mentee)


def test_erasure_replaces_their_free_text_survey_answers_without_shifting_the_batches(
    hr_client, world, mentee
):
    from metrics.models import SurveyQuestion, SurveyRequest
    from tests.factories import UserFactory

    pulse = SurveyAnswer.objects.get().question.survey
    text = SurveyQuestion.objects.create(survey=pulse, kind="text", text="Anything else?", order=9)
    people = [mentee, *(UserFactory() for _ in range(4))]
    for n, person in enumerate(people):
        request = SurveyRequest.objects.filter(person=person, survey=pulse).first()
        if request is None:
            request = SurveyRequest.objects.create(
                survey=pulse,
                person=person,
                role="mentee",
                occurrence=f"extra-{n}",
                status="answered",
                closes_at=world["program"].created_at,
                answered_at=world["program"].created_at,
            )
        SurveyAnswer.objects.create(request=request, question=text, value=f"ANSWER-{n}")
    url = f"/metrics/manage/survey/{pulse.code}/results/"
    before = hr_client.get(url).content.decode()
    assert "ANSWER-0" in before and "ANSWER-4" in before
    rows = SurveyAnswer.objects.count()

    hr_client.post(f"/people/{mentee.code}/erase/", {"confirm_email": mentee.email})

    assert SurveyAnswer.objects.count() == rows
    assert SurveyAnswer.objects.get(request__person=mentee, question=text).value == "—"
    assert SurveyAnswer.objects.get(request__person=mentee, question__kind="scale").value == 2
    after = hr_client.get(url).content.decode()
    assert "ANSWER-0" not in after
    assert all(f"ANSWER-{n}" in after for n in range(1, 5))
    assert 'data-testid="texts-deleted"' in after
