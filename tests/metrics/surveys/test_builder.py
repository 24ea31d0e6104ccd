"""Surveys: the shipped templates and HR's builder (questions, schedules, status, pages)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from metrics.models import Survey, SurveyAnswer, SurveySchedule
from metrics.surveys import services as survey_services
from metrics.surveys.survey_templates import survey_templates
from tests.metrics.surveys.conftest import a_survey, respond

# --- templates and the builder ----------------------------------------------------------------


def test_five_templates_ship_in_spanish_and_english():
    templates = {t.kind: t for t in survey_templates()}
    assert set(templates) == {"pulse", "midpoint", "final", "training", "program"}
    for template in templates.values():
        assert set(template.title) == {"es", "en"}
        for question in template.questions:
            assert set(question["text"]) == {"es", "en"}
            if "choices" in question:
                assert len(question["choices"]["es"]) == len(question["choices"]["en"]) >= 2
    final = [(q["kind"], q["measures"]) for q in templates["final"].questions]
    assert ("scale", "satisfaction") in final and ("scale", "impact") in final
    assert ("recommend", "recommendation") in final and ("skill_growth", "skill_growth") in final
    assert ("text", "improvement") in [
        (q["kind"], q["measures"]) for q in templates["program"].questions
    ]


def test_hr_starts_from_a_template_as_a_draft_in_both_languages(hr_client, program):
    response = hr_client.post(f"/metrics/manage/{program.slug}/surveys/from-template/final/")
    survey = Survey.objects.get()
    assert response.url == f"/metrics/manage/survey/{survey.code}/"
    assert survey.status == "draft" and survey.title == "Encuesta final"
    assert survey.translations["en"]["title"] == "Final survey"
    question = survey.questions.order_by("order").first()
    assert question.translations["en"]["text"].startswith("Overall, how satisfied")
    schedule = survey.schedules.get()
    assert (schedule.anchor, schedule.offset_days) == ("pair_end", 0)
    page = hr_client.get(response.url)
    assert page.status_code == 200 and "Encuesta final" in page.text
    empty = hr_client.get(f"/metrics/manage/survey/{survey.code}/results/")
    assert 'data-testid="no-answers"' in empty.text
    assert (
        hr_client.get(f"/metrics/manage/survey/{survey.code}/preview/?language=en").status_code
        == 200
    )


def test_hr_builds_a_survey_with_a_question_and_a_schedule_then_starts_sending(hr_client, program):
    hr_client.post(
        f"/metrics/manage/{program.slug}/surveys/new/",
        {"kind": "custom", "title_es": "Encuesta de equipo", "title_en": "Team survey"},
    )
    survey = Survey.objects.get()
    assert survey.translations == {
        "es": {"title": "Encuesta de equipo"},
        "en": {"title": "Team survey"},
    }
    response = hr_client.post(
        f"/metrics/manage/survey/{survey.code}/questions/new/",
        {
            "kind": "single",
            "measures": "",
            "required": "on",
            "text_es": "¿Cómo os organizáis?",
            "choices_es": "En persona\nPor vídeo",
            "text_en": "How do you meet?",
            "choices_en": "In person\nBy video",
        },
    )
    assert response.status_code == 302
    question = survey.questions.get()
    assert question.choices == ["En persona", "Por vídeo"]
    assert question.translations["en"] == {
        "text": "How do you meet?",
        "choices": ["In person", "By video"],
    }
    # A measure that the type of answer cannot give is refused next to the field.
    response = hr_client.post(
        f"/metrics/manage/survey/{survey.code}/questions/new/",
        {"kind": "text", "measures": "satisfaction", "text_es": "¿Qué tal?"},
    )
    assert response.status_code == 200 and survey.questions.count() == 1
    assert response.context["form"].errors["measures"]
    # Without a schedule it cannot start.
    hr_client.post(f"/metrics/manage/survey/{survey.code}/status/active/")
    survey.refresh_from_db()
    assert survey.status == "draft"
    hr_client.post(
        f"/metrics/manage/survey/{survey.code}/schedules/new/",
        {
            "anchor": "fixed",
            "offset_days": "0",
            "send_on": timezone.localdate().isoformat(),
            "to_mentors": "on",
            "remind_after_days": "3",
            "open_days": "7",
        },
    )
    assert survey.schedules.get().send_on == timezone.localdate()
    hr_client.post(f"/metrics/manage/survey/{survey.code}/status/active/")
    survey.refresh_from_db()
    assert survey.status == "active"


def test_a_schedule_needs_an_audience_a_date_when_fixed_and_a_reminder_before_it_closes(program):
    survey = a_survey(program, active=False)
    schedule = SurveySchedule(survey=survey, anchor="fixed", to_mentors=False, to_mentees=False)
    schedule.remind_after_days, schedule.open_days = 10, 10
    with pytest.raises(ValidationError) as error:
        survey_services.schedule_save(schedule=schedule)
    assert set(error.value.error_dict) == {"send_on", "to_mentors", "remind_after_days"}


def test_hr_survey_pages_send_anonymous_to_sign_in_and_refuse_other_roles(client, program, mentee):
    survey = a_survey(program)
    urls = [
        f"/metrics/manage/{program.slug}/surveys/",
        f"/metrics/manage/{program.slug}/surveys/new/",
        f"/metrics/manage/survey/{survey.code}/",
        f"/metrics/manage/survey/{survey.code}/results/",
        f"/metrics/manage/survey/{survey.code}/questions/new/",
        f"/metrics/manage/survey/{survey.code}/schedules/new/",
        f"/metrics/manage/survey/{survey.code}/status/closed/",
    ]
    for url in urls:
        assert client.get(url).url.startswith("/accounts/login/"), url
    client.force_login(mentee)
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_every_builder_page_renders_and_deleting_an_answered_question_keeps_its_answers(
    hr_client, pair, mentee
):
    survey = a_survey(pair.program, "final")
    respond(survey, mentee, pair)
    question = survey.questions.get(measures="impact")
    schedule = survey.schedules.get()
    base = f"/metrics/manage/survey/{survey.code}"
    for url in (
        f"{base}/",
        f"{base}/edit/",
        f"{base}/preview/",
        f"{base}/results/?by=role",
        f"{base}/status/closed/",
        f"{base}/questions/new/",
        f"{base}/questions/{question.code}/",
        f"{base}/questions/{question.code}/delete/",
        f"{base}/schedules/{schedule.code}/",
        f"{base}/schedules/{schedule.code}/delete/",
    ):
        assert hr_client.get(url).status_code == 200, url
    response = hr_client.post(f"{base}/questions/{question.code}/delete/")
    copy = Survey.objects.exclude(pk=survey.pk).get()
    assert response.url == f"/metrics/manage/survey/{copy.code}/"
    assert not copy.questions.filter(measures="impact").exists()
    assert SurveyAnswer.objects.filter(question=question).count() == 1
    assert hr_client.get(f"{base}/questions/{question.code}/").status_code == 200
    # The old version is closed: it can no longer change.
    hr_client.post(f"{base}/questions/{question.code}/", {"kind": "scale", "text_es": "Otra"})
    question.refresh_from_db()
    assert question.text != "Otra"
