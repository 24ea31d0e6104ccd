"""Stage 6 surveys: templates, the builder, schedules with a frozen clock, answering in the
reader's language, and what HR may see of the answers (the five-respondent rule)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from goals.plans import services as plans
from matching.models import Mentorship
from metrics import survey_results, survey_services
from metrics.answering import survey_answer
from metrics.models import Survey, SurveyAnswer, SurveyQuestion, SurveyRequest, SurveySchedule
from metrics.survey_templates import survey_templates
from metrics.surveys import requests_close, requests_remind, requests_send_due
from notifications.models import Notification
from notifications.services import dispatch_due
from tests.factories import DepartmentFactory, SkillFactory, UserFactory
from tests.goals.conftest import active_pair, running_program


@pytest.fixture
def program(db):
    return running_program()


@pytest.fixture
def pair(program, mentor, mentee):
    return active_pair(program, mentor, mentee)


def a_survey(program, kind="final", *, active=True, **schedule) -> Survey:
    survey = survey_services.survey_from_template(program=program, kind=kind, by=program.created_by)
    if schedule:
        survey.schedules.update(**schedule)
    if active:
        survey_services.survey_set_status(survey=survey, to="active", by=program.created_by)
    survey.refresh_from_db()
    return survey


def asked(survey, person, pair=None, *, role="mentee", occurrence=None) -> SurveyRequest:
    return SurveyRequest.objects.create(
        survey=survey,
        person=person,
        mentorship=pair,
        role=role,
        occurrence=occurrence or f"test:{person.pk}",
        closes_at=timezone.now() + timedelta(days=10),
    )


def answers_for(survey, *, satisfaction=4, recommend=9, impact=4, text="", skills=None):
    """Answers to the final template's questions, by question id."""
    by_kind = {}
    for question in survey.questions.all():
        if question.measures == "satisfaction":
            by_kind[question.pk] = satisfaction
        elif question.measures == "recommendation":
            by_kind[question.pk] = recommend
        elif question.measures == "impact":
            by_kind[question.pk] = impact
        elif question.kind == "skill_growth":
            by_kind[question.pk] = skills or [{"skill": None, "before": 2, "after": 4}]
        elif question.kind == "text" and question.measures == "":
            by_kind[question.pk] = text
    return by_kind


def respond(survey, person, pair=None, **values) -> SurveyRequest:
    request = asked(survey, person, pair)
    return survey_answer(request=request, by=person, answers=answers_for(survey, **values))


def _at(day, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _run_twice(moment) -> None:
    with time_machine.travel(moment, tick=False):
        dispatch_due()
        dispatch_due()


def _sent(kind: str) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "occasion"))


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
    assert survey_results.skill_growth(pair.program) == 2.5


def test_my_surveys_lists_only_my_own_requests(client, pair, mentor, mentee):
    survey = a_survey(pair.program, "final")
    asked(survey, mentee, pair)
    client.force_login(mentor)
    assert client.get("/metrics/surveys/").context["page"].object_list == []
    client.force_login(mentee)
    page = client.get("/metrics/surveys/")
    assert [item.person_id for item in page.context["page"]] == [mentee.pk]


# --- confidentiality -----------------------------------------------------------------------


def _people(program, count, department):
    found = []
    for _ in range(count):
        person = UserFactory(department=department)
        found.append(person)
    return found


def test_free_text_and_breakdowns_appear_only_for_five_respondents(hr_client, program):
    survey = a_survey(program, "final")
    sales = DepartmentFactory(name="Sales")
    people = _people(program, 5, sales)
    for number, person in enumerate(people[:4]):
        respond(survey, person, satisfaction=3 + number % 2, text=f"Idea {number}")
    results = survey_results.survey_results(survey)
    texts = [
        q
        for q in results["questions"]
        if q["question"].kind == "text" and not q["question"].measures
    ]
    assert texts[0]["texts"] is None and texts[0]["respondents"] == 4
    breakdown = survey_results.survey_breakdown(survey, "department")
    assert breakdown["rows"] == [] and breakdown["hidden"] == 4
    page = hr_client.get(f"/metrics/manage/survey/{survey.code}/results/")
    assert "Idea 0" not in page.text and 'data-testid="texts-hidden"' in page.text

    respond(survey, people[4], satisfaction=5, text="Idea 4")
    results = survey_results.survey_results(survey)
    texts = [
        q
        for q in results["questions"]
        if q["question"].kind == "text" and not q["question"].measures
    ]
    assert texts[0]["texts"] == ["Idea 0", "Idea 1", "Idea 2", "Idea 3", "Idea 4"]
    breakdown = survey_results.survey_breakdown(survey, "department")
    assert [(row["label"], row["respondents"]) for row in breakdown["rows"]] == [("Sales", 5)]
    assert breakdown["rows"][0]["averages"][0] == 3.8  # (3 + 4 + 3 + 4 + 5) / 5
    page = hr_client.get(f"/metrics/manage/survey/{survey.code}/results/?by=department")
    assert "Idea 4" in page.text and "Sales" in page.text
    for person in people:
        assert person.get_full_name() not in page.text


def test_a_small_rest_hides_one_more_group_so_it_cannot_be_worked_out(program):
    survey = a_survey(program, "final")
    big, small, other = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    for person in _people(program, 6, big) + _people(program, 2, small):
        respond(survey, person)
    assert survey_results.survey_breakdown(survey, "department")["rows"] == []
    for person in _people(program, 5, other):
        respond(survey, person)
    breakdown = survey_results.survey_breakdown(survey, "department")
    # The 2 of `small` alone would be total minus the shown groups: `other` (5) is hidden too.
    assert [row["respondents"] for row in breakdown["rows"]] == [6]
    assert breakdown["hidden"] == 7
    assert survey_results.survey_breakdown(survey, "pair")["rows"] == []


def test_the_partner_and_the_manager_never_see_an_answer(client, pair, mentor, manager):
    survey = a_survey(pair.program, "final")
    request = respond(survey, pair.mentee, pair, text="My mentor is often late")
    for person in (mentor, manager):
        client.force_login(person)
        assert client.get(f"/metrics/manage/survey/{survey.code}/results/").status_code == 403
        assert client.get(f"/metrics/surveys/{request.token}/").status_code == 404
        assert "often late" not in client.get("/metrics/surveys/").text
        assert "often late" not in client.get(f"/matching/pairs/{pair.code}/").text


# --- program values for the dashboards --------------------------------------------------------


def test_program_values_match_hand_computed_ones_in_a_fixed_number_of_queries(
    program, django_assert_num_queries
):
    assert survey_results.average_satisfaction(program) is None
    assert survey_results.recommendation_score(program) is None
    assert survey_results.skill_growth(program) is None
    assert survey_results.development_impact(program) is None
    assert survey_results.survey_response_rate(program) is None
    empty = survey_results.distributions(program)
    assert empty["respondents"] == 0 and sum(empty["satisfaction"].values()) == 0

    survey = a_survey(program, "final")
    rows = [(5, 10, 5, 1, 4), (4, 9, 4, 2, 3), (3, 7, 4, 3, 3), (2, 3, 2, 2, 2)]
    for satisfaction, recommend, impact, before, after in rows:
        respond(
            survey,
            UserFactory(),
            satisfaction=satisfaction,
            recommend=recommend,
            impact=impact,
            skills=[{"skill": None, "before": before, "after": after}],
        )
    asked(survey, UserFactory(), occurrence="unanswered")  # 4 answered out of 5 sent
    with django_assert_num_queries(1):
        assert survey_results.average_satisfaction(program) == 3.5
    with django_assert_num_queries(1):
        assert survey_results.recommendation_score(program) == 25.0  # 2 promoters, 1 detractor
    with django_assert_num_queries(1):
        assert survey_results.skill_growth(program) == 1.0  # (3 + 1 + 0 + 0) / 4
    with django_assert_num_queries(1):
        assert survey_results.development_impact(program) == 3.75
    with django_assert_num_queries(1):
        assert survey_results.survey_response_rate(program) == 80.0
    with django_assert_num_queries(2):
        found = survey_results.distributions(program)
    assert found["satisfaction"] == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}
    assert found["recommendation"][10] == 1 and found["recommendation"][3] == 1
    assert sum(found["recommendation"].values()) == 4 and found["respondents"] == 4


def test_hr_lists_and_results_keep_a_constant_number_of_queries(
    hr_client, program, django_assert_max_num_queries
):
    survey = a_survey(program, "final")
    respond(survey, UserFactory(), text="One")
    urls = [
        f"/metrics/manage/{program.slug}/surveys/",
        f"/metrics/manage/survey/{survey.code}/",
        f"/metrics/manage/survey/{survey.code}/results/",
        f"/metrics/manage/survey/{survey.code}/results/?by=pair",
    ]
    counted = {}
    for url in urls:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert hr_client.get(url).status_code == 200
        counted[url] = len(queries)
    for _ in range(3):
        a_survey(program, "pulse")
    department = DepartmentFactory()
    for person in _people(program, 8, department):
        respond(survey, person, text="More")
    for url in urls:
        with django_assert_max_num_queries(counted[url]):
            assert hr_client.get(url).status_code == 200


def test_the_demo_has_answered_surveys_and_a_request_due_right_away(db):
    from django.core.management import call_command

    from mentoring.demo import DEMO_ACCOUNTS
    from metrics.demo import seed_metrics

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
