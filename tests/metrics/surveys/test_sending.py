"""Surveys go out on their schedules, with a frozen clock: once each, one reminder, closed at
the deadline; a new version asks nobody twice."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from matching.models import Mentorship
from metrics.models import SurveyAnswer, SurveyRequest
from metrics.surveys import services as survey_services
from metrics.surveys.reminders import requests_remind, requests_send_due
from metrics.surveys.services import requests_close, survey_answer
from notifications.models import Notification
from notifications.services import dispatch_due
from tests.factories import UserFactory
from tests.goals.conftest import active_pair
from tests.metrics.surveys.conftest import a_survey, answers_for


def _at(day, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _run_twice(moment) -> None:
    with time_machine.travel(moment, tick=False):
        dispatch_due()
        dispatch_due()


def _sent(kind: str) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "occasion"))


# --- schedules, with a frozen clock -----------------------------------------------------------


def test_each_request_goes_out_once_is_reminded_once_and_closes_at_its_deadline(
    pair, mentor, mentee
):
    survey = a_survey(pair.program, "pulse", offset_days=30, remind_after_days=4, open_days=10)
    start = pair.starts_on
    _run_twice(_at(start + timedelta(days=29)))
    assert not SurveyRequest.objects.exists()
    _run_twice(_at(start + timedelta(days=30)))
    requests = SurveyRequest.objects.filter(survey=survey)
    assert sorted(requests.values_list("person_id", "role")) == sorted(
        [(mentor.pk, "mentor"), (mentee.pk, "mentee")]
    )
    assert _sent("metrics.survey_request") == sorted([(mentor.pk, "sent"), (mentee.pk, "sent")])
    sent = Notification.objects.get(kind="metrics.survey_request", recipient=mentee)
    token = requests.get(person=mentee).token
    assert sent.url == f"/metrics/surveys/{token}/"
    assert "Pulso de la mentoría" in sent.subject  # the mentee reads Spanish
    # One reminder, four days later, to those who have not answered.
    answers = {
        q.pk: 4 if q.kind == "scale" else q.choices[0] for q in survey.questions.all() if q.required
    }
    with time_machine.travel(_at(start + timedelta(days=31)), tick=False):
        survey_answer(request=requests.get(person=mentor), by=mentor, answers=answers)
    _run_twice(_at(start + timedelta(days=33)))
    assert _sent("metrics.survey_reminder") == []
    _run_twice(_at(start + timedelta(days=34)))
    _run_twice(_at(start + timedelta(days=38)))
    assert _sent("metrics.survey_reminder") == [(mentee.pk, "reminder")]
    # Closed at the deadline: day 30 + 10 days open.
    _run_twice(_at(start + timedelta(days=39), hour=23))
    assert requests.get(person=mentee).status == "open"
    _run_twice(_at(start + timedelta(days=40), hour=0))
    assert requests.get(person=mentee).status == "closed"
    assert requests.get(person=mentor).status == "answered"
    _run_twice(_at(start + timedelta(days=45)))
    assert SurveyRequest.objects.count() == 2 and len(_sent("metrics.survey_request")) == 2


def test_the_request_email_carries_the_personal_link_in_the_readers_language(
    pair, mentor, django_capture_on_commit_callbacks
):
    mentor.language = "en"
    mentor.save()
    a_survey(pair.program, "pulse", offset_days=0)
    with (
        time_machine.travel(_at(pair.starts_on), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        requests_send_due()
    english = next(m for m in mail.outbox if m.to == [mentor.email])
    token = SurveyRequest.objects.get(person=mentor).token
    assert english.subject == "A short survey for you: Pulse check-in"
    assert f"/metrics/surveys/{token}/" in english.body
    spanish = next(m for m in mail.outbox if m.to == [pair.mentee.email])
    assert spanish.subject.endswith(": Pulso de la mentoría")


def test_a_fixed_date_asks_each_person_once_and_a_relative_one_asks_about_each_pair(
    program, mentor, mentee
):
    other = UserFactory()
    active_pair(program, mentor, mentee)
    active_pair(program, mentor, other)
    fixed = a_survey(
        program, "program", anchor="fixed", send_on=timezone.localdate(), to_managers=False
    )
    relative = a_survey(program, "pulse", offset_days=0)
    requests_send_due()
    assert SurveyRequest.objects.filter(survey=fixed, person=mentor).count() == 1
    assert SurveyRequest.objects.filter(survey=relative, person=mentor).count() == 2
    assert SurveyRequest.objects.filter(survey=fixed).count() == 3


def test_managers_are_asked_when_the_schedule_includes_them(pair, manager):
    survey = a_survey(pair.program, "pulse", offset_days=0, to_managers=True)
    requests_send_due()
    request = SurveyRequest.objects.get(survey=survey, person=manager)
    assert request.role == "manager" and request.mentorship == pair


def test_a_draft_or_closed_survey_and_ended_pairs_are_not_sent(pair):
    draft = a_survey(pair.program, "pulse", active=False, offset_days=0)
    requests_send_due()
    assert not SurveyRequest.objects.exists()
    survey_services.survey_set_status(survey=draft, to="active", by=pair.program.created_by)
    Mentorship.objects.filter(pk=pair.pk).update(status="ended_early")
    requests_send_due()
    assert not SurveyRequest.objects.exists()


def test_closing_a_survey_closes_its_open_requests(pair, mentee):
    survey = a_survey(pair.program, "pulse", offset_days=0)
    requests_send_due()
    survey_services.survey_set_status(survey=survey, to="closed", by=pair.program.created_by)
    assert set(SurveyRequest.objects.values_list("status", flat=True)) == {"closed"}
    assert requests_remind() == 0 and requests_close() == 0


def test_editing_an_answered_survey_makes_a_new_version_and_asks_nobody_twice(pair, mentor, mentee):
    survey = a_survey(pair.program, "final", offset_days=0)
    with time_machine.travel(_at(pair.deadline), tick=False):
        requests_send_due()
        request = SurveyRequest.objects.get(person=mentee)
        survey_answer(request=request, by=mentee, answers=answers_for(survey))
        question = survey.questions.get(measures="satisfaction")
        question.text = "¿Cómo valoras el programa?"
        saved = survey_services.question_save(question=question, by=pair.program.created_by)
        requests_send_due()
    assert saved.survey != survey and saved.survey.status == "active"
    survey.refresh_from_db()
    assert survey.status == "closed" and not survey.schedules.exists()
    assert survey.questions.get(measures="satisfaction").text.startswith("En conjunto")
    assert SurveyAnswer.objects.filter(question__survey=survey).count() >= 4
    assert SurveyRequest.objects.count() == 2  # nobody was asked again on the new version
    # The mentor's request, sent on the old version, can still be answered on it.
    with time_machine.travel(_at(pair.deadline, hour=12), tick=False):
        survey_answer(
            request=SurveyRequest.objects.get(person=mentor), by=mentor, answers=answers_for(survey)
        )
