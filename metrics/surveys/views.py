"""Surveys: HR's builder and results, and the participant's answer page and list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import Action, audit_record
from core.access import hr_required
from core.forms import add_service_errors
from programs.access import get_program_for_hr, manage_context

from ..anonymity import MIN_GROUP
from ..models import Survey, SurveyQuestion, SurveySchedule
from . import selectors, services
from .forms import (
    AnswerForm,
    ConfirmForm,
    QuestionForm,
    ScheduleForm,
    SurveyForm,
    language_name,
)
from .selectors import (
    BREAKDOWNS,
    current_language,
    get_request_for_person,
    languages,
    last_open_day,
    question_choices,
    question_text,
    request_state,
    requests_for_person,
    schedule_audience,
    schedule_when,
    skills_worked_on,
    survey_breakdown,
    survey_intro,
    survey_questions,
    survey_results,
    survey_title,
)
from .services import survey_answer
from .survey_templates import survey_templates

PAGE_SIZE = 20


def _detail(survey: Survey, anchor: str = ""):
    url = reverse("metrics:survey_detail", args=[survey.code])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _context(survey: Survey, **extra) -> dict:
    return manage_context(survey.program, "surveys", survey=survey, **extra)


def _show_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@hr_required
def surveys(request, slug):
    program = get_program_for_hr(slug)
    language = current_language()
    found = list(selectors.surveys_for_program(program))
    for survey in found:
        survey.local_title = survey_title(survey, language)
    templates = [
        {"kind": t.kind, "title": t.title_in(language), "intro": t.intro_in(language)}
        for t in survey_templates()
    ]
    return render(
        request,
        "metrics/surveys/list.html",
        manage_context(program, "surveys", surveys=found, templates=templates),
    )


@hr_required
def survey_new(request, slug):
    program = get_program_for_hr(slug)
    survey = Survey(program=program, kind=Survey.Kind.CUSTOM)
    return _survey_form(request, survey)


@hr_required
def survey_edit(request, code):
    return _survey_form(request, selectors.get_survey_for_hr(code))


def _survey_form(request, survey: Survey):
    form = SurveyForm(request.POST or None, survey=survey)
    creating = survey.pk is None
    if request.method == "POST" and form.is_valid():
        survey.kind = form.cleaned_data["kind"]
        try:
            survey = services.survey_save(
                survey=survey, texts=form.texts_by_language(), by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Survey created: add its questions.") if creating else _("Survey saved.")
            )
            return _detail(survey)
    return render(
        request,
        "metrics/surveys/survey_form.html",
        manage_context(survey.program, "surveys", survey=survey, form=form, creating=creating),
    )


@hr_required
@require_POST
def survey_from_template(request, slug, kind):
    program = get_program_for_hr(slug)
    try:
        survey = services.survey_from_template(program=program, kind=kind, by=request.user)
    except ValidationError as exc:
        _show_errors(request, exc)
        return redirect("metrics:surveys", slug=program.slug)
    messages.success(
        request,
        _("Survey created from the template, in every language. Review it, then start sending."),
    )
    return _detail(survey)


@hr_required
def survey_detail(request, code):
    survey = selectors.get_survey_for_hr(code)
    language = current_language()
    questions = list(survey_questions(survey))
    for question in questions:
        question.local_text = question_text(question, language)
        question.local_choices = [label for _value, label in question_choices(question, language)]
    schedules = list(survey.schedules.all())
    for schedule in schedules:
        schedule.when, schedule.audience = schedule_when(schedule), schedule_audience(schedule)
    return render(
        request,
        "metrics/surveys/detail.html",
        _context(
            survey,
            title=survey_title(survey, language),
            intro=survey_intro(survey, language),
            questions=questions,
            schedules=schedules,
            counts=selectors.request_counts(survey),
            answered=selectors.survey_has_answers(survey),
            editable=survey.status != Survey.Status.CLOSED
            and survey.program.status != survey.program.Status.CLOSED,
            problems=services.activation_problems(survey)
            if survey.status != Survey.Status.ACTIVE
            else [],
        ),
    )


@hr_required
def survey_status(request, code, to):
    survey = selectors.get_survey_for_hr(code)
    if to not in (Survey.Status.ACTIVE, Survey.Status.CLOSED):
        raise Http404
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_set_status(survey=survey, to=to, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The survey is active: requests go out on its schedules.")
                if to == Survey.Status.ACTIVE
                else _("The survey is closed: no more requests go out and open ones closed."),
            )
            return _detail(survey)
    return render(
        request,
        "metrics/surveys/status_confirm.html",
        _context(survey, to=to, form=form, counts=selectors.request_counts(survey)),
    )


def _question(survey: Survey, code) -> SurveyQuestion:
    return get_object_or_404(survey.questions.all(), code=code)


@hr_required
def question_new(request, code):
    survey = selectors.get_survey_for_hr(code)
    return _question_form(request, survey, SurveyQuestion(survey=survey, kind="scale"))


@hr_required
def question_edit(request, code, question):
    survey = selectors.get_survey_for_hr(code)
    return _question_form(request, survey, _question(survey, question))


def _question_form(request, survey: Survey, question: SurveyQuestion):
    creating = question.pk is None
    form = QuestionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.question_save(question=form.apply(), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saved.survey_id != survey.pk:
                messages.warning(
                    request,
                    _(
                        "People had already answered this survey, so your change made a new "
                        "version. Earlier answers stay with the earlier version."
                    ),
                )
            else:
                messages.success(
                    request, _("Question added.") if creating else _("Question saved.")
                )
            return _detail(saved.survey, f"question-{saved.code}")
    return render(
        request,
        "metrics/surveys/question_form.html",
        _context(
            survey,
            form=form,
            question=question,
            creating=creating,
            answered=selectors.survey_has_answers(survey),
        ),
    )


@hr_required
def question_delete(request, code, question):
    survey = selectors.get_survey_for_hr(code)
    item = _question(survey, question)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            now = services.question_delete(question=item, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Question deleted."))
            return _detail(now)
    return render(
        request,
        "metrics/surveys/question_delete.html",
        _context(survey, question=item, form=form, answered=selectors.survey_has_answers(survey)),
    )


@hr_required
@require_POST
def question_move(request, code, question, direction):
    survey = selectors.get_survey_for_hr(code)
    item = _question(survey, question)
    if direction not in ("up", "down"):
        raise Http404
    try:
        services.question_move(question=item, direction=direction)
    except ValidationError as exc:
        _show_errors(request, exc)
    return _detail(survey, f"question-{item.code}")


@hr_required
def schedule_new(request, code):
    survey = selectors.get_survey_for_hr(code)
    return _schedule_form(request, survey, SurveySchedule(survey=survey))


@hr_required
def schedule_edit(request, code, schedule):
    survey = selectors.get_survey_for_hr(code)
    return _schedule_form(request, survey, get_object_or_404(survey.schedules.all(), code=schedule))


def _schedule_form(request, survey: Survey, schedule: SurveySchedule):
    creating = schedule.pk is None
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_save(schedule=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Schedule added.") if creating else _("Schedule saved."))
            return _detail(survey, "schedules")
    return render(
        request,
        "metrics/surveys/schedule_form.html",
        _context(survey, form=form, schedule=schedule, creating=creating),
    )


@hr_required
def schedule_delete(request, code, schedule):
    survey = selectors.get_survey_for_hr(code)
    item = get_object_or_404(survey.schedules.all(), code=schedule)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_delete(schedule=item)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Schedule deleted."))
            return _detail(survey, "schedules")
    return render(
        request, "metrics/surveys/schedule_delete.html", _context(survey, schedule=item, form=form)
    )


@hr_required
def survey_results_view(request, code):
    survey = selectors.get_survey_for_hr(code)
    audit_record(
        actor=request.user, action=Action.SURVEY_RESULTS_VIEWED, target=survey, request=request
    )
    by = request.GET.get("by", "department")
    if by not in BREAKDOWNS:
        by = "department"
    return render(
        request,
        "metrics/surveys/results.html",
        _context(
            survey,
            title=survey_title(survey),
            results=survey_results(survey),
            breakdown=survey_breakdown(survey, by),
            breakdowns=BREAKDOWNS,
        ),
    )


@hr_required
def survey_preview(request, code):
    """The survey as a participant reading `?language=` sees it (nothing is saved)."""
    survey = selectors.get_survey_for_hr(code)
    language = request.GET.get("language")
    if language not in languages():
        language = current_language()
    with translation.override(language):
        form = AnswerForm(questions=list(survey_questions(survey)), skills=[])
        title, intro = survey_title(survey), survey_intro(survey)
    return render(
        request,
        "metrics/surveys/preview.html",
        _context(
            survey,
            form=form,
            title=title,
            intro=intro,
            language=language,
            languages=[(code, language_name(code)) for code in languages()],
            min_group=MIN_GROUP,
        ),
    )


# --- participants -------------------------------------------------------------------------


def answer(request, token):
    survey_request = get_request_for_person(request.user, token)
    survey = survey_request.survey
    state = request_state(survey_request)
    form = None
    if state == "open":
        form = AnswerForm(
            request.POST or None,
            questions=list(survey_questions(survey)),
            skills=skills_worked_on(survey_request),
        )
        if request.method == "POST" and form.is_valid():
            try:
                survey_answer(request=survey_request, by=request.user, answers=form.answers())
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_service_error(field, [m for e in errors for m in e.messages])
                else:
                    _show_errors(request, exc)
                    return redirect("metrics:answer", token=token)
            else:
                messages.success(request, _("Thank you! Your answers were recorded."))
                return redirect("metrics:my_surveys")
    return render(
        request,
        "metrics/surveys/answer.html",
        {
            "survey_request": survey_request,
            "title": survey_title(survey),
            "intro": survey_intro(survey),
            "state": state,
            "form": form,
            "closes_on": last_open_day(survey_request),
            "min_group": MIN_GROUP,
        },
    )


def my_surveys(request):
    page = Paginator(requests_for_person(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    language = current_language()
    now = timezone.now()
    for item in page:
        item.local_title = survey_title(item.survey, language)
        item.state = request_state(item, now)
    return render(request, "metrics/surveys/mine.html", {"page": page})
