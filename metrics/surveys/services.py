"""Every write of surveys: HR builds them, requests go out and are reminded, people answer.

HR builds surveys from a shipped template or from scratch: questions, schedules, status.
A survey's questions are frozen once someone answered it: a change then makes a new
version (a copy that takes over the schedules), and the answers stay with the version
they were given to. Requests already sent can still be answered on their own version.

A request is recorded under its unique key (survey, person, occurrence) in the same
transaction as its notification, so a repeated or concurrent run never asks twice; a
person answers through their personal link, once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from matching.models import Mentorship
from notifications.services import notify
from programs.models import Program

from ..models import Survey, SurveyAnswer, SurveyQuestion, SurveyRequest, SurveySchedule
from .selectors import (
    answer_url,
    languages,
    last_open_day,
    skills_worked_on,
    survey_has_answers,
    survey_intro,
    survey_questions,
    survey_title,
)
from .survey_templates import survey_template

K = SurveyQuestion.Kind
M = SurveyQuestion.Measures
CHOICE_KINDS = (K.SINGLE, K.MULTIPLE)
# What each measure can be read from: the indicators add these answers up.
MEASURE_KINDS = {
    M.SATISFACTION: (K.SCALE,),
    M.IMPACT: (K.SCALE,),
    M.RECOMMENDATION: (K.RECOMMEND,),
    M.SKILL_GROWTH: (K.SKILL_GROWTH,),
    M.IMPROVEMENT: (K.TEXT,),
}
MIN_CHOICES, MAX_CHOICES = 2, 20
TEXT_MAX = 3000
SCALES = {K.SCALE: (1, 5), K.RECOMMEND: (0, 10)}
REQUEST_KIND = "metrics.survey_request"
REMINDER_KIND = "metrics.survey_reminder"


def _texts_problems(texts: dict[str, dict], key: str, label: str) -> dict:
    base = (texts.get(languages()[0]) or {}).get(key, "").strip()
    if not base:
        return {f"{key}_{languages()[0]}": _("Write the %(what)s.") % {"what": label}}
    return {}


def _apply_survey_texts(survey: Survey, texts: dict[str, dict]) -> None:
    base = languages()[0]
    survey.title = texts[base]["title"].strip()
    survey.intro = texts[base].get("intro", "").strip()
    survey.translations = {
        code: {k: v.strip() for k, v in part.items() if v and v.strip()}
        for code, part in texts.items()
        if code in languages() and any(v and v.strip() for v in part.values())
    }


def _refuse_closed_program(program: Program) -> None:
    if program.status == Program.Status.CLOSED:
        raise ValidationError(_("This program is closed: its surveys can no longer change."))


@transaction.atomic
def survey_save(*, survey: Survey, texts: dict[str, dict], by) -> Survey:
    """Create or update a survey's type, title and introduction (in each language)."""
    _refuse_closed_program(survey.program)
    problems = _texts_problems(texts, "title", _("title"))
    if problems:
        raise ValidationError(problems)
    _apply_survey_texts(survey, texts)
    if survey.pk is None:
        survey.created_by = by
        survey.status = Survey.Status.DRAFT
    survey.full_clean(exclude=["program", "created_by"])
    survey.save()
    return survey


@transaction.atomic
def survey_from_template(*, program: Program, kind: str, by) -> Survey:
    """A draft survey with the template's questions (in every language) and schedule."""
    _refuse_closed_program(program)
    template = survey_template(kind)
    if template is None:
        raise ValidationError(_("There is no template of this type."))
    codes = languages()
    survey = Survey(program=program, kind=template.kind, created_by=by)
    _apply_survey_texts(
        survey,
        {
            code: {"title": template.title_in(code), "intro": template.intro_in(code)}
            for code in codes
        },
    )
    survey.save()
    for order, item in enumerate(template.questions):
        choices = item.get("choices") or {}
        SurveyQuestion.objects.create(
            survey=survey,
            order=order,
            kind=item["kind"],
            measures=item.get("measures", ""),
            required=item.get("required", True),
            text=item["text"].get(codes[0]) or next(iter(item["text"].values())),
            choices=choices.get(codes[0], []),
            translations={
                code: {
                    "text": item["text"][code],
                    **({"choices": choices[code]} if choices else {}),
                }
                for code in codes
                if code in item["text"]
            },
        )
    if template.schedule:
        SurveySchedule.objects.create(survey=survey, **template.schedule)
    return survey


def question_problems(question: SurveyQuestion) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    allowed = MEASURE_KINDS.get(question.measures)
    if allowed and question.kind not in allowed:
        problems["measures"] = [
            _("“%(measure)s” needs a question of type “%(kind)s”.")
            % {
                "measure": question.get_measures_display(),
                "kind": K(allowed[0]).label,
            }
        ]
    if question.kind in CHOICE_KINDS:
        count = len(question.choices)
        if not MIN_CHOICES <= count <= MAX_CHOICES or len(set(question.choices)) != count:
            problems["choices"] = [
                _("Write between %(min)d and %(max)d different choices, one per line.")
                % {"min": MIN_CHOICES, "max": MAX_CHOICES}
            ]
        for code, part in (question.translations or {}).items():
            if part.get("choices") and len(part["choices"]) != count:
                problems[f"choices_{code}"] = [
                    _("Write the same number of choices in every language, in the same order.")
                ]
    return problems


def _copy_question(source: SurveyQuestion, target: SurveyQuestion) -> None:
    for field in ("kind", "text", "choices", "translations", "required", "measures"):
        setattr(target, field, getattr(source, field))


def _lock(survey: Survey) -> Survey:
    locked = (
        Survey.objects.select_for_update(of=("self",)).select_related("program").get(pk=survey.pk)
    )
    if locked.status == Survey.Status.CLOSED:
        raise ValidationError(_("This survey is closed: reopen it before you change it."))
    _refuse_closed_program(locked.program)
    return locked


@transaction.atomic
def survey_new_version(*, survey: Survey, by) -> tuple[Survey, dict[int, SurveyQuestion]]:
    """Copy a survey whose answers must be kept: the copy takes over its schedules.

    The old version is closed to new requests; requests already sent stay open until their
    deadline and are answered on the version they were sent. Returns the copy and a map
    from each old question's id to its copy.
    """
    copy = Survey.objects.create(
        program=survey.program,
        kind=survey.kind,
        title=survey.title,
        intro=survey.intro,
        translations=survey.translations,
        status=survey.status,
        created_by=by,
    )
    mapping = {}
    for old in survey_questions(survey):
        new = SurveyQuestion(survey=copy, order=old.order)
        _copy_question(old, new)
        new.save()
        mapping[old.pk] = new
    SurveySchedule.objects.filter(survey=survey).update(survey=copy)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    return copy, mapping


@transaction.atomic
def question_save(*, question: SurveyQuestion, by) -> SurveyQuestion:
    """Add or change a question; on an answered survey this makes a new version first."""
    survey = _lock(question.survey)
    if question.kind not in CHOICE_KINDS:
        question.choices = []
        question.translations = {
            code: {k: v for k, v in part.items() if k != "choices"}
            for code, part in (question.translations or {}).items()
        }
    if question.measures and question.measures not in MEASURE_KINDS:
        question.measures = ""
    problems = question_problems(question)
    if problems:
        raise ValidationError(problems)
    if survey_has_answers(survey):
        survey, mapping = survey_new_version(survey=survey, by=by)
        if question.pk:
            target = mapping[question.pk]
            _copy_question(question, target)
            question = target
        else:
            question.survey = survey
    if question.pk is None:
        question.survey = survey
        question.order = (survey.questions.aggregate(last=Max("order"))["last"] or 0) + 1
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: SurveyQuestion, by) -> Survey:
    """Remove a question; on an answered survey, from a new version (its answers are kept)."""
    survey = _lock(question.survey)
    if survey_has_answers(survey):
        survey, mapping = survey_new_version(survey=survey, by=by)
        question = mapping[question.pk]
    question.delete()
    return survey


@transaction.atomic
def question_move(*, question: SurveyQuestion, direction: str) -> None:
    """Swap a question with its neighbour. The order does not change what answers mean."""
    survey = _lock(question.survey)
    questions = list(survey_questions(survey))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for order, item in enumerate(questions):
        if item.order != order:
            SurveyQuestion.objects.filter(pk=item.pk).update(order=order)


def schedule_problems(schedule: SurveySchedule) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if schedule.anchor == SurveySchedule.Anchor.FIXED and schedule.send_on is None:
        problems["send_on"] = [_("Choose the date the survey goes out.")]
    if not (schedule.to_mentors or schedule.to_mentees or schedule.to_managers):
        problems["to_mentors"] = [_("Choose who answers: mentors, mentees or managers.")]
    if schedule.remind_after_days >= schedule.open_days:
        problems["remind_after_days"] = [
            _("Remind before the survey closes: fewer days than it stays open.")
        ]
    return problems


@transaction.atomic
def schedule_save(*, schedule: SurveySchedule, today: date | None = None) -> SurveySchedule:
    """Add or change when a survey goes out. Who already got it is not asked again."""
    _lock(schedule.survey)
    if schedule.anchor != SurveySchedule.Anchor.FIXED:
        schedule.send_on = None
    problems = schedule_problems(schedule)
    if problems:
        raise ValidationError(problems)
    schedule.full_clean(exclude=["survey"])
    schedule.save()
    return schedule


@transaction.atomic
def schedule_delete(*, schedule: SurveySchedule) -> None:
    _lock(schedule.survey)
    schedule.delete()


def activation_problems(survey: Survey) -> list[str]:
    problems = []
    if survey.program.status == Program.Status.CLOSED:
        problems.append(_("This program is closed: its surveys can no longer change."))
    if not survey.questions.exists():
        problems.append(_("Add at least one question."))
    if not survey.schedules.exists():
        problems.append(_("Add at least one schedule: when the survey goes out, and to whom."))
    return problems


@transaction.atomic
def survey_set_status(*, survey: Survey, to: str, by) -> Survey:
    """Start sending (draft or closed → active) or stop (active → closed).

    Closing stops new requests and closes the open ones: their links say so.
    """
    survey = (
        Survey.objects.select_for_update(of=("self",)).select_related("program").get(pk=survey.pk)
    )
    if to == Survey.Status.ACTIVE and survey.status != Survey.Status.ACTIVE:
        problems = activation_problems(survey)
        if problems:
            raise ValidationError(problems)
    elif to == Survey.Status.CLOSED and survey.status == Survey.Status.ACTIVE:
        SurveyRequest.objects.filter(survey=survey, status=SurveyRequest.Status.OPEN).update(
            status=SurveyRequest.Status.CLOSED
        )
    else:
        raise ValidationError(
            _("This survey is already %(status)s.") % {"status": survey.get_status_display()}
        )
    survey.status = to
    survey.save(update_fields=["status", "updated_at"])
    return survey


# --- requests going out -----------------------------------------------------------------------


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _context(request: SurveyRequest) -> dict:
    language = request.person.language
    return {
        "request": request,
        "survey_title": survey_title(request.survey, language),
        "survey_intro": survey_intro(request.survey, language),
        "program": request.survey.program,
        "closes_on": last_open_day(request),
    }


def request_send(
    *,
    schedule: SurveySchedule,
    person,
    role: str,
    mentorship: Mentorship,
    occurrence: str,
    due: date,
) -> bool:
    """Record one request and send it, once; False when a concurrent run recorded it first."""
    try:
        with transaction.atomic():
            request = SurveyRequest.objects.create(
                survey=schedule.survey,
                schedule=schedule,
                person=person,
                mentorship=mentorship,
                role=role,
                occurrence=occurrence,
                closes_at=_midnight(due + timedelta(days=schedule.open_days)),
            )
            notify(
                kind=REQUEST_KIND,
                recipient=person,
                target=request,
                occasion="sent",
                context=_context(request),
                url=answer_url(request),
            )
    except IntegrityError:
        return False  # a concurrent run recorded this request first: it sends it
    return True


@transaction.atomic
def request_remind(*, request: SurveyRequest, now: datetime) -> bool:
    """Send the one reminder of an unanswered request; False if it was already claimed."""
    # The conditional UPDATE claims the reminder: of two overlapping runs, one sends.
    claimed = SurveyRequest.objects.filter(pk=request.pk, reminded_at__isnull=True).update(
        reminded_at=now
    )
    if not claimed:
        return False
    return (
        notify(
            kind=REMINDER_KIND,
            recipient=request.person,
            target=request,
            occasion="reminder",
            context=_context(request),
            url=answer_url(request),
        )
        is not None
    )


@transaction.atomic
def requests_close(now: datetime | None = None) -> int:
    """Requests past their deadline close; their links say so."""
    now = now or timezone.now()
    return SurveyRequest.objects.filter(
        status=SurveyRequest.Status.OPEN, closes_at__lte=now
    ).update(status=SurveyRequest.Status.CLOSED, updated_at=now)


# --- answering --------------------------------------------------------------------------------


def _number(value, low: int, high: int):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or not low <= number <= high:
        raise ValidationError(
            _("Choose a value from %(low)d to %(high)d.") % {"low": low, "high": high}
        )
    return number


def clean_answer(question: SurveyQuestion, value, skill_ids: list[int | None]):
    """The stored form of one answer, or None when left empty; ValidationError if invalid."""
    empty = value in (None, "", [], {})
    if empty:
        if question.required:
            raise ValidationError(_("This question needs an answer."))
        return None
    if question.kind in SCALES:
        return _number(value, *SCALES[question.kind])
    if question.kind == K.SINGLE:
        if value not in question.choices:
            raise ValidationError(_("Choose one of the options."))
        return value
    if question.kind == K.MULTIPLE:
        if not isinstance(value, list) or any(v not in question.choices for v in value):
            raise ValidationError(_("Choose among the options shown."))
        return [c for c in question.choices if c in value]
    if question.kind == K.TEXT:
        text = str(value).strip()
        if len(text) > TEXT_MAX:
            raise ValidationError(
                _("Keep your answer under %(limit)d characters.") % {"limit": TEXT_MAX}
            )
        if not text and question.required:
            raise ValidationError(_("This question needs an answer."))
        return text or None
    # Skill growth: one before / after pair for each skill worked on.
    rows = {row.get("skill"): row for row in value if isinstance(row, dict)}
    if set(rows) != set(skill_ids):
        raise ValidationError(_("Rate every skill, before and now."))
    return [
        {
            "skill": skill,
            "before": _number(rows[skill].get("before"), 1, 5),
            "after": _number(rows[skill].get("after"), 1, 5),
        }
        for skill in skill_ids
    ]


def _closed_error(request: SurveyRequest) -> ValidationError:
    if request.status == SurveyRequest.Status.ANSWERED:
        return ValidationError(_("You have already answered this survey. Thank you!"))
    return ValidationError(
        _("This survey closed on %(date)s, so it can no longer be answered.")
        % {"date": date_format(timezone.localtime(request.closes_at), "DATE_FORMAT")}
    )


@transaction.atomic
def survey_answer(*, request: SurveyRequest, by, answers: dict[int, object]) -> SurveyRequest:
    """Record the answers (question id → value) of `by` to their request, once."""
    if by.pk != request.person_id:
        raise ValidationError(_("Only the person this survey was sent to can answer it."))
    questions = list(survey_questions(request.survey))
    skill_ids = [skill.pk for skill in skills_worked_on(request)] or [None]
    cleaned, problems = {}, {}
    for question in questions:
        try:
            value = clean_answer(question, answers.get(question.pk), skill_ids)
        except ValidationError as exc:
            problems[f"q_{question.pk}"] = exc.messages
            continue
        if value is not None:
            cleaned[question.pk] = value
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    # The conditional UPDATE is the send-once of answers: of two tabs (or a reused link)
    # submitting at once, only the one that moves the request out of "open" records them.
    claimed = SurveyRequest.objects.filter(
        pk=request.pk, status=SurveyRequest.Status.OPEN, closes_at__gt=now
    ).update(status=SurveyRequest.Status.ANSWERED, answered_at=now, updated_at=now)
    if not claimed:
        request.refresh_from_db()
        raise _closed_error(request)
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(request=request, question_id=pk, value=value) for pk, value in cleaned.items()
    )
    request.status, request.answered_at = SurveyRequest.Status.ANSWERED, now
    return request
