"""Answering a survey through one's personal link: in the reader's language, once, before the
deadline, and only by the person it was sent to."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from goals.plans import services as plans
from metrics.models import SurveyAnswer, SurveyRequest
from metrics.surveys import selectors as survey_results
from metrics.surveys.reminders import requests_send_due
from metrics.surveys.services import survey_answer
from tests.factories import SkillFactory
from tests.metrics.surveys.conftest import a_survey, answers_for, asked, respond

# --- answering ---------------------------------------------------------------------------------


def test_the_answer_page_speaks_the_readers_language_and_stores_the_same_values(
    client, pair, mentor, mentee
):
    mentor.language = "en"
    mentor.save()
    survey = a_survey(pair.program, "pulse", offset_days=0)
    requests_send_due()
    single = survey.questions.get(kind="single")
    scale = survey.questions.get(kind="scale")
    for person, heading, choice in (
        (mentor, "Pulse check-in", "As often as we agreed"),
        (mentee, "Pulso de la mentoría", "Tanto como acordamos"),
    ):
        token = SurveyRequest.objects.get(person=person).token
        client.force_login(person)
        page = client.get(f"/metrics/surveys/{token}/")
        assert heading in page.text and choice in page.text
        response = client.post(
            f"/metrics/surveys/{token}/",
            {f"q_{scale.pk}": "5", f"q_{single.pk}": "Tanto como acordamos"},
        )
        assert response.url == "/metrics/surveys/"
    assert list(SurveyAnswer.objects.filter(question=single).values_list("value", flat=True)) == [
        "Tanto como acordamos",
        "Tanto como acordamos",
    ]


def test_a_required_answer_missing_or_out_of_range_is_refused(client, pair, mentee):
    survey = a_survey(pair.program, "pulse", offset_days=0)
    requests_send_due()
    token = SurveyRequest.objects.get(person=mentee).token
    scale = survey.questions.get(kind="scale")
    client.force_login(mentee)
    response = client.post(f"/metrics/surveys/{token}/", {f"q_{scale.pk}": "9"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not SurveyAnswer.objects.exists()
    with pytest.raises(ValidationError):
        survey_answer(
            request=SurveyRequest.objects.get(token=token), by=mentee, answers={scale.pk: 7}
        )


def test_answering_twice_or_after_the_deadline_is_refused(client, pair, mentee):
    survey = a_survey(pair.program, "final")
    request = respond(survey, mentee, pair)
    with pytest.raises(ValidationError, match="already answered"):
        survey_answer(request=request, by=mentee, answers=answers_for(survey))
    client.force_login(mentee)
    page = client.get(f"/metrics/surveys/{request.token}/")
    assert page.context["state"] == "answered"
    count = SurveyAnswer.objects.count()
    client.post(f"/metrics/surveys/{request.token}/", {})
    assert SurveyAnswer.objects.count() == count

    late = asked(survey, mentee, pair, occurrence="late")
    with time_machine.travel(late.closes_at + timedelta(minutes=1), tick=False):
        with translation.override("en"), pytest.raises(ValidationError, match="closed on"):
            survey_answer(request=late, by=mentee, answers=answers_for(survey))
        assert client.get(f"/metrics/surveys/{late.token}/").context["state"] == "closed"


def test_a_forged_or_someone_elses_link_is_not_found(
    client, pair, mentor, manager, outsider, hr_admin
):
    survey = a_survey(pair.program, "final")
    request = asked(survey, pair.mentee, pair)
    url = f"/metrics/surveys/{request.token}/"
    assert client.get(url).url.startswith("/accounts/login/")
    for person in (mentor, manager, outsider, hr_admin):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(pair.mentee)
    assert client.get("/metrics/surveys/not-a-real-token/").status_code == 404
    assert client.get(url).status_code == 200


def test_skill_growth_asks_before_and_after_for_the_skills_of_the_pairs_goals(client, pair, mentee):
    python, django = SkillFactory(name="Python"), SkillFactory(name="Django")
    plans.goal_create(
        mentorship=pair,
        by=pair.mentor,
        title="Ship a feature",
        measure="Merged",
        target_date=timezone.localdate() + timedelta(days=30),
        skills=[python, django],
    )
    survey = a_survey(pair.program, "final")
    request = asked(survey, mentee, pair)
    growth = survey.questions.get(kind="skill_growth")
    client.force_login(mentee)
    page = client.get(f"/metrics/surveys/{request.token}/")
    assert "Python" in page.text and "Django" in page.text
    data = {f"q_{pk}": value for pk, value in answers_for(survey).items() if pk != growth.pk}
    data.update(
        {
            f"q_{growth.pk}_{python.pk}_before": "2",
            f"q_{growth.pk}_{python.pk}_after": "4",
            f"q_{growth.pk}_{django.pk}_before": "1",
            f"q_{growth.pk}_{django.pk}_after": "4",
        }
    )
    client.post(f"/metrics/surveys/{request.token}/", data)
    value = SurveyAnswer.objects.get(question=growth).value
    assert value == [
        {"skill": django.pk, "before": 1, "after": 4},
        {"skill": python.pk, "before": 2, "after": 4},
    ]
    # One person's ratings: held back until five people have answered (metrics/anonymity.py).
    assert survey_results.skill_growth(pair.program) is None


def test_my_surveys_lists_only_my_own_requests(client, pair, mentor, mentee):
    survey = a_survey(pair.program, "final")
    asked(survey, mentee, pair)
    client.force_login(mentor)
    assert client.get("/metrics/surveys/").context["page"].object_list == []
    client.force_login(mentee)
    page = client.get("/metrics/surveys/")
    assert [item.person_id for item in page.context["page"]] == [mentee.pk]
