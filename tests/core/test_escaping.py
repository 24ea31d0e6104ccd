"""What HR and people write comes back inert on every page and email that shows it.

Each test puts a script payload into every text field HR (or a person) authors, renders
the page a reader opens, and looks for the payload as live HTML. Escaped (`&lt;img`) or
stripped by the Markdown sanitiser is fine; an `<img ... onerror>` or `<script>` is not.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from core.calendar import ics_build
from core.emails import render_email
from programs.models import Question
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory
from tests.metrics.surveys.conftest import a_survey
from tests.training.conftest import enrol, make_module
from training.models import Question as CheckQuestion
from training.models import Section

PAYLOAD = "<img src=x onerror=alert(1)><script>alert(2)</script>\"'><b>"
LIVE = ("<img src=x", "<script>alert", "onerror=alert(1)>")


def assert_inert(html: str, where: str) -> None:
    for live in LIVE:
        assert live not in html, f"{where}: {live!r} is rendered as HTML"


def _hr_wrote_everything(program) -> None:
    """Every questionnaire text of `program`: text, help text, choices, translations."""
    for question in program.questions.all():
        question.text = PAYLOAD
        question.help_text = PAYLOAD
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            question.choices = [f"{PAYLOAD} 1", f"{PAYLOAD} 2"]
        question.translations = {
            "en": {"text": PAYLOAD, "help_text": PAYLOAD, "choices": question.choices}
        }
        question.save()


@pytest.mark.parametrize("role", ["mentee", "mentor"])
@pytest.mark.parametrize("language", ["es", "en"])
def test_the_application_form_shows_hr_questions_escaped(client, db, role, language):
    program = ProgramFactory(name=PAYLOAD, summary=PAYLOAD, description=PAYLOAD)
    _hr_wrote_everything(program)
    person = UserFactory(language=language)
    client.force_login(person)

    response = client.get(f"/programs/{program.slug}/apply/{role}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert_inert(html, "application form")
    # The help text is there, as text: the reader still sees what HR wrote.
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_an_application_with_errors_shows_hr_questions_escaped(client, db):
    program = ProgramFactory()
    _hr_wrote_everything(program)
    client.force_login(UserFactory())

    response = client.post(f"/programs/{program.slug}/apply/mentee/", {"motivation": PAYLOAD})

    assert response.status_code == 200
    assert_inert(response.content.decode(), "application form with errors")


def test_program_pages_show_what_hr_wrote_escaped_or_sanitised(client, hr_client, db):
    program = ProgramFactory(name=PAYLOAD, summary=PAYLOAD, description=PAYLOAD)
    _hr_wrote_everything(program)
    client.force_login(UserFactory())

    for url in ("/programs/", f"/programs/{program.slug}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)
    for url in (
        f"/programs/{program.slug}/",
        f"/programs/manage/{program.slug}/questionnaire/",
    ):
        response = hr_client.get(url)
        assert response.status_code in (200, 404), url
        assert_inert(response.content.decode(), f"HR {url}")


def test_hr_review_of_an_application_shows_answers_and_questions_escaped(hr_client, db):
    program = ProgramFactory()
    _hr_wrote_everything(program)
    person = UserFactory(first_name=PAYLOAD, last_name=PAYLOAD)
    ApplicationFactory(program=program, person=person, motivation=PAYLOAD)

    response = hr_client.get(f"/programs/manage/{program.slug}/applications/")

    assert_inert(response.content.decode(), "HR applications list")


def test_the_survey_form_shows_hr_questions_escaped(hr_client, hr_admin, mentee, mentor, db):
    from tests.goals.conftest import running_program

    program = running_program()
    survey = a_survey(program, active=False)
    survey.title = PAYLOAD
    survey.save()
    for question in survey.questions.all():
        question.text = PAYLOAD
        if question.kind in ("single", "multiple"):
            question.choices = [f"{PAYLOAD} 1", f"{PAYLOAD} 2"]
        question.save()

    for language in ("es", "en"):
        response = hr_client.get(
            f"/metrics/manage/survey/{survey.code}/preview/?language={language}"
        )
        assert response.status_code == 200
        assert_inert(response.content.decode(), f"survey preview ({language})")
    response = hr_client.get(f"/metrics/manage/survey/{survey.code}/")
    assert_inert(response.content.decode(), "survey page")


def test_a_training_module_shows_hr_text_escaped_or_sanitised(client, mentee, db):
    program = ProgramFactory(status="running")
    module = make_module(title=PAYLOAD, program=program, sections=0, questions=0)
    Section.objects.create(module=module, title=PAYLOAD, body=PAYLOAD, order=0)
    CheckQuestion.objects.create(
        module=module, text=PAYLOAD, choices=[PAYLOAD, f"{PAYLOAD} 2"], answer=0, order=0
    )
    enrol(program, mentee, "mentee")
    client.force_login(mentee)

    for url in (f"/training/modules/{module.code}/", f"/training/modules/{module.code}/check/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)


EMAILS_WITH_HR_TEXT = [
    "programs.appeal",
    "programs.recommendation_received",
    "programs.referral_received",
    "programs.application_received",
    "programs.application_approved",
    "programs.application_declined",
    "programs.application_waitlisted",
    "programs.participation_requested",
    "programs.participation_approved",
    "programs.participation_declined",
]


@pytest.mark.parametrize("kind", EMAILS_WITH_HR_TEXT)
def test_emails_show_what_hr_and_people_wrote_escaped(db, kind):
    """Program texts, names and HR's or a manager's message, all the payload."""
    program = ProgramFactory(name=PAYLOAD, summary=PAYLOAD, description=PAYLOAD)
    person = UserFactory(first_name=PAYLOAD, last_name=PAYLOAD)
    context = {
        "recipient": person,
        "program": program,
        "person": person,
        "by": person,
        "message": PAYLOAD,
        "reason": PAYLOAD,
        "comment": PAYLOAD,
        "url": "/x/",
        "decline_url": "/y/",
    }

    email = render_email(kind, context, language="es")

    assert_inert(email.html, f"{kind} (HTML)")
    assert "&lt;img src=x" in email.html
    assert "\n" not in email.subject  # no header injection through a subject


def test_a_calendar_file_cannot_be_given_extra_properties_or_events():
    starts = datetime(2031, 3, 3, 10, 30, tzinfo=UTC)
    injected = f"Sesión\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nATTENDEE:mailto:x@evil.test\r\n{PAYLOAD}"
    text = ics_build(
        uid="x@example.com",
        sequence=0,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        summary=injected,
        description=injected,
        location=injected,
    )

    calendar = Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert "ATTENDEE" not in events[0]
    assert str(events[0]["SUMMARY"]) == injected.replace("\r\n", "\n")
