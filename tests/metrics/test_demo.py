"""The demo data of stage 6: answered surveys, and requests due right away."""

from __future__ import annotations

from metrics.models import Survey, SurveyQuestion, SurveyRequest
from metrics.surveys import selectors as survey_results
from notifications.models import Notification
from notifications.services import dispatch_due


def test_the_demo_has_answered_surveys_and_a_request_due_right_away(db):
    from django.core.management import call_command

    from metrics.demo import seed_metrics
    from people.demo import DEMO_ACCOUNTS

    call_command("seed_demo", verbosity=0)
    seed_metrics(DEMO_ACCOUNTS)
    again = seed_metrics(DEMO_ACCOUNTS)
    assert again["answers"] == 0
    running = Survey.objects.filter(program__slug="mandos-que-inspiran", status="active")
    answered = SurveyRequest.objects.filter(survey__in=running, status="answered")
    assert answered.values("person").distinct().count() >= 5
    career = SurveyRequest.objects.filter(
        survey__program__slug="impulsa-tu-carrera", status="answered"
    )
    assert 0 < career.count() < 5
    before = SurveyRequest.objects.count()
    dispatch_due()
    assert SurveyRequest.objects.count() > before
    assert Notification.objects.filter(kind="metrics.survey_request").exists()
    running_program_survey = running.filter(kind="midpoint").first()
    assert survey_results.survey_breakdown(running_program_survey, "role")["rows"]
    assert SurveyQuestion.objects.filter(survey=running_program_survey).exists()
