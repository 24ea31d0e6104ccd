"""Writes of stage 2 applications: employees apply, HR reviews, managers approve participation.

Answers are stored as `{str(question.code): value}`: a choice string (single), a list of
choice strings (multiple), a list of skill ids (skills), an int 1–5 (scale) or a string
(text). Unanswered optional questions are left out.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from people.models import Skill

from ..definition.selectors import eligibility_problems
from ..models import Application, Program, Question, Role
from ..outreach.services import outreach_mark_applied
from .selectors import _as_list, _is_empty, has_active_application, role_questions

TEXT_MAX_LENGTH = 2000
MOTIVATION_MAX_LENGTH = 3000
SCALE = range(1, 6)
OPEN_STATUSES = (Application.Status.SUBMITTED, Application.Status.WAITLISTED)
REVIEW_DECISIONS = (
    Application.Status.APPROVED,
    Application.Status.DECLINED,
    Application.Status.WAITLISTED,
)


# --- answers -----------------------------------------------------------------------


def mentor_capacity_answer(program: Program, role: str, answers: dict) -> int | None:
    """How many mentees a mentor said they can take (the capacity question), if asked."""
    if role != Role.MENTOR:
        return None
    for question in program.questions.filter(role=role, criterion=Question.Criterion.CAPACITY):
        value = answers.get(str(question.code))
        if isinstance(value, str) and value.strip().isdigit():
            return max(1, min(int(value), 20))
    return None


def _clean_answer(question: Question, value, skill_ids: set[int]):
    """The stored form of one answer, or a ValidationError naming what is wrong."""
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        if not isinstance(value, str) or value not in question.choices:
            raise ValidationError(_("Choose one of the options."))
        return value
    if kind == Question.Kind.MULTIPLE:
        chosen = _as_list(value)
        if any(not isinstance(item, str) or item not in question.choices for item in chosen):
            raise ValidationError(_("Choose among the options shown."))
        return [choice for choice in question.choices if choice in chosen]
    if kind == Question.Kind.SKILLS:
        try:
            ids = [int(item) for item in _as_list(value)]
        except (TypeError, ValueError):
            raise ValidationError(_("Choose skills from the list.")) from None
        if any(pk not in skill_ids for pk in ids):
            raise ValidationError(_("One of the chosen skills no longer exists. Choose again."))
        return list(dict.fromkeys(ids))
    if kind == Question.Kind.SCALE:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Choose a value from 1 to 5.")) from None
        if number not in SCALE or (isinstance(value, float) and value != number):
            raise ValidationError(_("Choose a value from 1 to 5."))
        return number
    if not isinstance(value, str):
        raise ValidationError(_("Write your answer as text."))
    text = value.strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("Keep your answer under %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH}
        )
    return text


def answers_validate(*, program: Program, role: str, answers: dict) -> dict:
    """Check `answers` against the program's questions for `role`; return what to store.

    Errors are keyed by the answer key (the question's code), which is also the form
    field's name, so a form shows each one next to its question.
    """
    questions = role_questions(program, role)
    answers = answers or {}
    wanted_skills: set[int] = set()
    for question in questions:
        if question.kind == Question.Kind.SKILLS and not _is_empty(answers.get(str(question.code))):
            for item in _as_list(answers[str(question.code)]):
                with contextlib.suppress(TypeError, ValueError):
                    wanted_skills.add(int(item))
    skill_ids = (
        set(Skill.objects.filter(pk__in=wanted_skills).values_list("pk", flat=True))
        if wanted_skills
        else set()
    )
    cleaned: dict = {}
    errors: dict[str, list] = {}
    for question in questions:
        key = str(question.code)
        value = answers.get(key)
        if isinstance(value, str):
            value = value.strip()
        if _is_empty(value):
            if question.required:
                errors[key] = [ValidationError(_("This question needs an answer."))]
            continue
        try:
            answer = _clean_answer(question, value, skill_ids)
        except ValidationError as exc:
            errors[key] = [exc]
            continue
        if _is_empty(answer):
            if question.required:
                errors[key] = [ValidationError(_("This question needs an answer."))]
            continue
        cleaned[key] = answer
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- what a person may do with their application ----------------------------------


def application_can_edit(application: Application, today: date | None = None) -> bool:
    return application.status in OPEN_STATUSES and application.program.is_recruiting(today)


def application_can_withdraw(application: Application) -> bool:
    if application.status in OPEN_STATUSES:
        return True
    # Once matching starts an enrolment is part of the pairs; HR handles a late exit.
    return (
        application.status == Application.Status.APPROVED
        and application.program.status == Program.Status.RECRUITING
    )


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("program", "person", "person__manager")
        .get(pk=application.pk)
    )


def _my_applications_url() -> str:
    return reverse("programs:my_applications")


def _clean_motivation(motivation: str) -> str:
    motivation = (motivation or "").strip()
    if len(motivation) > MOTIVATION_MAX_LENGTH:
        raise ValidationError(
            {
                "motivation": _("Keep it under %(limit)d characters.")
                % {"limit": MOTIVATION_MAX_LENGTH}
            }
        )
    return motivation


def _manager_must_approve(program: Program, person, role: str) -> bool:
    manager = person.manager if person.manager_id else None
    return bool(
        program.manager_approval_required
        and role == Role.MENTEE
        and manager is not None
        and manager.is_active
    )


# --- applicant ---------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *, program: Program, person, role: str, answers: dict, motivation: str = ""
) -> Application:
    """Apply to `program` as `role`; the applicant (and their manager if asked) hear of it."""
    if role not in Role.values:
        raise ValidationError(_("Choose whether you apply as mentor or as mentee."))
    if not program.is_recruiting():
        raise ValidationError(_("Applications to this program are closed."))
    problems = eligibility_problems(program, person)
    if problems:
        raise ValidationError(problems)
    already = _("You have already applied to this program. You can change your application.")
    if has_active_application(program, person):
        raise ValidationError(already)
    cleaned = answers_validate(program=program, role=role, answers=answers)
    motivation = _clean_motivation(motivation)
    needs_manager = _manager_must_approve(program, person, role)
    application = Application(
        program=program,
        person=person,
        role=role,
        answers=cleaned,
        motivation=motivation,
        capacity=mentor_capacity_answer(program, role, cleaned),
        manager_decision=(
            Application.ManagerDecision.PENDING
            if needs_manager
            else Application.ManagerDecision.NOT_NEEDED
        ),
    )
    try:
        # Two submissions at once (double click, two tabs) both pass the check above;
        # the partial unique constraint lets one in and this turns the other into a message.
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(already) from None
    outreach_mark_applied(application=application)
    notify(
        kind="programs.application_received",
        recipient=person,
        target=application,
        context={"application": application, "program": program},
        url=_my_applications_url(),
    )
    if needs_manager:
        notify(
            kind="programs.participation_requested",
            recipient=person.manager,
            target=application,
            context={"application": application, "program": program, "person": person},
            url=reverse("programs:participation_queue"),
        )
    return application


def _check_owner(application: Application, person) -> None:
    if application.person_id != person.pk:
        raise ValidationError(_("Only the applicant can change this application."))


@transaction.atomic
def application_update(
    *, application: Application, person, answers: dict, motivation: str = ""
) -> Application:
    """The applicant changes their answers while recruitment is open."""
    _check_owner(application, person)
    application = _lock(application)
    if application.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This application is %(status)s and can no longer be changed.")
            % {"status": application.get_status_display()}
        )
    if not application.program.is_recruiting():
        raise ValidationError(_("Recruitment has closed, so applications can no longer change."))
    application.answers = answers_validate(
        program=application.program, role=application.role, answers=answers
    )
    application.motivation = _clean_motivation(motivation)
    application.capacity = mentor_capacity_answer(
        application.program, application.role, application.answers
    )
    application.save(update_fields=["answers", "motivation", "capacity", "updated_at"])
    return application


@transaction.atomic
def application_withdraw(*, application: Application, person) -> Application:
    """The applicant leaves; they may apply again later while recruitment is open."""
    _check_owner(application, person)
    # Locked so a withdrawal and an HR decision at the same moment happen one after the other.
    application = _lock(application)
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError(_("You have already withdrawn this application."))
    if not application_can_withdraw(application):
        raise ValidationError(
            _("This application is %(status)s and can no longer be withdrawn.")
            % {"status": application.get_status_display()}
        )
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    return application


# --- HR review ---------------------------------------------------------------------


def review_problems(application: Application, decision: str) -> list[str]:
    """Why HR cannot give `decision` to `application` now (empty when they can)."""
    if decision not in REVIEW_DECISIONS:
        return [_("Choose approve, decline or waiting list.")]
    if application.status not in OPEN_STATUSES:
        return [
            _("This application is already %(status)s.")
            % {"status": application.get_status_display()}
        ]
    if decision == application.status:
        return [
            _("This application is already %(status)s.")
            % {"status": application.get_status_display()}
        ]
    if decision == Application.Status.APPROVED:
        if application.manager_decision == Application.ManagerDecision.PENDING:
            return [_("The applicant's manager has not approved their participation yet.")]
        if application.manager_decision == Application.ManagerDecision.DECLINED:
            return [_("The applicant's manager declined their participation.")]
    return []


@transaction.atomic
def application_review(
    *, application: Application, decision: str, reason: str = "", by
) -> Application:
    """HR approves, declines (with a reason) or waitlists; the applicant is told once."""
    reason = (reason or "").strip()
    if decision == Application.Status.DECLINED and not reason:
        raise ValidationError({"reason": _("Tell the applicant why you decline.")})
    if len(reason) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep it under %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH}}
        )
    # Lock the row: two HR admins deciding at once act one after the other, and the
    # second sees the first's decision instead of notifying the applicant twice.
    application = _lock(application)
    problems = review_problems(application, decision)
    if problems:
        raise ValidationError(problems)
    application.status = decision
    application.decision_reason = reason
    application.reviewed_by = by
    application.reviewed_at = timezone.now()
    application.save(
        update_fields=["status", "decision_reason", "reviewed_by", "reviewed_at", "updated_at"]
    )
    notify(
        kind=f"programs.application_{decision}",
        recipient=application.person,
        target=application,
        context={"application": application, "program": application.program, "reason": reason},
        url=_my_applications_url(),
    )
    return application


def applications_bulk_approve(
    *, applications: Iterable[Application], by
) -> tuple[list[Application], list[tuple[Application, str]]]:
    """Approve each application that can be; the others come back with the reason why not.

    Not one transaction: each approval commits and tells its applicant on its own, and no
    application stays locked while the rest of the batch is decided.
    """
    approved: list[Application] = []
    skipped: list[tuple[Application, str]] = []
    for application in applications:
        try:
            approved.append(
                application_review(
                    application=application, decision=Application.Status.APPROVED, by=by
                )
            )
        except ValidationError as exc:
            skipped.append((application, " ".join(exc.messages)))
    return approved, skipped


# --- manager -----------------------------------------------------------------------


@transaction.atomic
def participation_decide(
    *, application: Application, approve: bool, comment: str = "", by
) -> Application:
    """The applicant's manager approves or declines their taking part (a decline is final)."""
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Tell your team member why you decline.")})
    if len(comment) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {"comment": _("Keep it under %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH}}
        )
    application = _lock(application)
    if application.person.manager_id != by.pk:
        raise ValidationError(_("Only the applicant's current manager can decide."))
    if application.manager_decision != Application.ManagerDecision.PENDING:
        raise ValidationError(
            _("This participation is no longer waiting for your decision (%(decision)s).")
            % {"decision": application.get_manager_decision_display()}
        )
    if application.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This application is %(status)s: there is nothing to decide.")
            % {"status": application.get_status_display()}
        )
    now = timezone.now()
    application.manager_comment = comment
    application.manager_decided_by = by
    application.manager_decided_at = now
    fields = ["manager_decision", "manager_comment", "manager_decided_by", "manager_decided_at"]
    if approve:
        application.manager_decision = Application.ManagerDecision.APPROVED
    else:
        application.manager_decision = Application.ManagerDecision.DECLINED
        application.status = Application.Status.DECLINED
        fields.append("status")
    application.save(update_fields=[*fields, "updated_at"])
    notify(
        kind=("programs.participation_approved" if approve else "programs.participation_declined"),
        recipient=application.person,
        target=application,
        context={
            "application": application,
            "program": application.program,
            "manager": by,
            "comment": comment,
        },
        url=_my_applications_url(),
    )
    return application


def personal_data_erase(*, person) -> None:
    """The `people.personal_data_erase` item: the texts the person wrote in applications."""
    from people.personal_data import ERASED_TEXT

    for application in Application.objects.filter(person=person).only("pk", "answers"):
        answers = {
            key: ERASED_TEXT if isinstance(value, str) else value
            for key, value in (application.answers or {}).items()
        }
        Application.objects.filter(pk=application.pk).update(answers=answers)
    Application.objects.filter(person=person).exclude(motivation="").update(motivation=ERASED_TEXT)
    Application.objects.filter(manager_decided_by=person).exclude(manager_comment="").update(
        manager_comment=ERASED_TEXT
    )


def personal_data_expiry(program: Program):
    """The `programs.program_personal_data_expire` item of stages 1–2: what people wrote
    when applying, what HR and managers wrote about them, and invitation messages.

    Choice, scale and skills answers stay (they are not free text and the recruitment
    funnel and matching reports read them), as do statuses and dates.
    """
    from people.personal_data import ERASED_TEXT

    from ..models import Appeal, Recommendation, Referral
    from ..retention.services import expiry

    text_codes = [
        str(code)
        for code in Question.objects.filter(program=program, kind=Question.Kind.TEXT).values_list(
            "code", flat=True
        )
    ]

    def answers_left():
        for application in Application.objects.filter(program=program).only("pk", "answers"):
            answers = application.answers or {}
            left = [
                code
                for code in text_codes
                if isinstance(answers.get(code), str) and answers[code] not in ("", ERASED_TEXT)
            ]
            if left:
                yield application, left

    def count() -> int:
        return sum(len(left) for _application, left in answers_left())

    def apply() -> int:
        changed = 0
        for application, left in list(answers_left()):
            answers = {**application.answers, **dict.fromkeys(left, ERASED_TEXT)}
            Application.objects.filter(pk=application.pk).update(answers=answers)
            changed += len(left)
        return changed

    applications = Application.objects.filter(program=program)
    return expiry(
        _(
            "Applications: answers to free-text questions, motivations, HR's decision reasons "
            "and managers' comments; messages of invitations, recommendations and referrals; "
            "the emails about them. Choice answers, statuses and dates stay."
        ),
        [
            (applications, "motivation"),
            (applications, "decision_reason"),
            (applications, "manager_comment"),
            (Appeal.objects.filter(program=program), "message"),
            (Recommendation.objects.filter(program=program), "message"),
            (Referral.objects.filter(program=program), "message"),
        ],
        emails_about=[
            applications,
            Appeal.objects.filter(program=program),
            Recommendation.objects.filter(program=program),
            Referral.objects.filter(program=program),
        ],
        extra_count=count,
        extra_apply=apply,
    )
