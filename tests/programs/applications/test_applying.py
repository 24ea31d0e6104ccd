"""Employees apply once per program, change their answers while recruitment is open, withdraw."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from programs.applications import services
from programs.models import (
    Appeal,
    Application,
    Outreach,
    Program,
)
from tests.factories import (
    ApplicationFactory,
    DepartmentFactory,
    ProgramFactory,
    UserFactory,
)
from tests.programs.applications.steps import _answers, _emails_to

DECLINED = Application.Status.DECLINED
PENDING = Application.ManagerDecision.PENDING


def _apply(program, person, role="mentee", **kwargs):
    return services.application_submit(
        program=program,
        person=person,
        role=role,
        answers=kwargs.pop("answers", None) or _answers(program, role),
        motivation=kwargs.pop("motivation", "Quiero crecer."),
        **kwargs,
    )


# --- applying ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_eligible_employee_applies_and_gets_a_confirmation_in_english():
    program = ProgramFactory(name="Crece")
    person = UserFactory(language="en")
    appeal = Appeal.objects.create(
        program=program, person=person, role="mentee", by=program.created_by
    )

    application = _apply(program, person)

    assert application.status == Application.Status.SUBMITTED
    assert application.manager_decision == Application.ManagerDecision.NOT_NEEDED
    appeal.refresh_from_db()
    assert appeal.status == Outreach.Status.APPLIED
    [email] = mail.outbox
    assert email.to == [person.email]
    assert email.subject == "We have received your application to Crece"
    assert "/programs/my/applications/" in email.body


@pytest.mark.django_db(transaction=True)
def test_the_confirmation_is_written_in_spanish_for_a_spanish_speaker():
    program = ProgramFactory(name="Crece")
    person = UserFactory(language="es")
    _apply(program, person)
    [email] = mail.outbox
    assert email.subject == "Hemos recibido tu solicitud para Crece"


def test_people_outside_the_programs_areas_cannot_apply(db):
    program = ProgramFactory()
    program.areas.set([DepartmentFactory(name="Ventas")])
    with pytest.raises(ValidationError):
        _apply(program, UserFactory(department=DepartmentFactory(name="Finanzas")))
    assert not Application.objects.exists()


def test_nobody_applies_before_recruitment_opens_or_after_it_closes(db):
    program = ProgramFactory()
    person = UserFactory()
    after_closing = program.recruitment_closes + timedelta(days=1)
    with time_machine.travel(after_closing, tick=False), pytest.raises(ValidationError):
        _apply(program, person)
    program.status = Program.Status.MATCHING
    program.save()
    with pytest.raises(ValidationError):
        _apply(program, person)


def test_an_unknown_role_is_refused(db):
    program = ProgramFactory()
    with pytest.raises(ValidationError):
        services.application_submit(
            program=program, person=UserFactory(), role="boss", answers={}, motivation=""
        )


def test_a_person_applies_once_per_program(db):
    program = ProgramFactory()
    person = UserFactory()
    _apply(program, person)
    with pytest.raises(ValidationError):
        _apply(program, person, role="mentor")
    assert Application.objects.count() == 1


def test_a_second_submission_that_slips_past_the_check_gets_a_friendly_message(db, monkeypatch):
    program = ProgramFactory()
    person = UserFactory(language="en")
    _apply(program, person)
    # As if both requests had checked before either saved: the database constraint decides.
    monkeypatch.setattr(services, "has_active_application", lambda program, person: False)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _apply(program, person)
    assert caught.value.messages == [
        "You have already applied to this program. You can change your application."
    ]
    assert Application.objects.count() == 1


def test_a_mentee_asks_their_manager_when_the_program_requires_it(
    db, mentee, manager, django_capture_on_commit_callbacks
):
    program = ProgramFactory(manager_approval_required=True)
    with django_capture_on_commit_callbacks(execute=True):
        application = _apply(program, mentee)
    assert application.manager_decision == PENDING
    [request] = _emails_to(manager)
    assert "/programs/my/team-approvals/" in request.body
    assert str(mentee) in request.subject
    assert len(_emails_to(mentee)) == 1


def test_mentors_and_people_without_a_manager_need_no_manager_approval(db, mentee):
    program = ProgramFactory(manager_approval_required=True)
    assert _apply(program, mentee, role="mentor").manager_decision == "not_needed"
    assert _apply(program, UserFactory()).manager_decision == "not_needed"
    other = ProgramFactory(manager_approval_required=False)
    assert _apply(other, UserFactory(manager=UserFactory())).manager_decision == "not_needed"


# --- changing and withdrawing ------------------------------------------------------


def test_the_applicant_changes_answers_while_recruitment_is_open(db, mentee):
    program = ProgramFactory()
    application = _apply(program, mentee)
    answers = _answers(program)
    text = program.questions.filter(role="mentee", kind="text").order_by("order").first()
    answers[str(text.code)] = "Ahora quiero aprender a presentar."
    services.application_update(
        application=application, person=mentee, answers=answers, motivation="Nuevo motivo"
    )
    application.refresh_from_db()
    assert application.answers[str(text.code)] == "Ahora quiero aprender a presentar."
    assert application.motivation == "Nuevo motivo"


def test_only_the_applicant_changes_an_open_application_before_recruitment_closes(db, mentee):
    program = ProgramFactory()
    application = _apply(program, mentee)
    with pytest.raises(ValidationError):
        services.application_update(
            application=application, person=UserFactory(), answers=_answers(program)
        )
    after_closing = program.recruitment_closes + timedelta(days=1)
    with time_machine.travel(after_closing, tick=False), pytest.raises(ValidationError):
        services.application_update(
            application=application, person=mentee, answers=_answers(program)
        )
    Application.objects.filter(pk=application.pk).update(status=DECLINED)
    with pytest.raises(ValidationError):
        services.application_update(
            application=application, person=mentee, answers=_answers(program)
        )


def test_a_withdrawn_applicant_may_apply_again(db, mentee):
    program = ProgramFactory()
    application = _apply(program, mentee)
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, person=UserFactory())
    services.application_withdraw(application=application, person=mentee)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, person=mentee)
    assert _apply(program, mentee).status == Application.Status.SUBMITTED


def test_a_declined_application_cannot_be_withdrawn(db):
    application = ApplicationFactory(status=DECLINED)
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, person=application.person)
