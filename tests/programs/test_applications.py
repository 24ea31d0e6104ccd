"""Stage 2: employees apply, managers approve participation, HR reviews applications."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from notifications.models import Notification
from programs import applications as services
from programs.forms_applications import application_form_class
from programs.models import (
    Appeal,
    Application,
    Outreach,
    Program,
    Question,
    Recommendation,
    Referral,
)
from tests.factories import (
    ApplicationFactory,
    DepartmentFactory,
    ProgramFactory,
    SkillFactory,
    UserFactory,
)

APPROVED = Application.Status.APPROVED
DECLINED = Application.Status.DECLINED
WAITLISTED = Application.Status.WAITLISTED
PENDING = Application.ManagerDecision.PENDING


def _answers(program, role="mentee", skills=None) -> dict:
    """Valid answers to every question of `program` for `role`, in the stored format."""
    skills = skills if skills is not None else [SkillFactory(name="Negociación")]
    answers = {}
    for question in program.questions.filter(role=role):
        key = str(question.code)
        if question.kind == Question.Kind.SKILLS:
            answers[key] = [skill.pk for skill in skills]
        elif question.kind == Question.Kind.SINGLE:
            answers[key] = question.choices[0]
        elif question.kind == Question.Kind.MULTIPLE:
            answers[key] = question.choices[:2]
        elif question.kind == Question.Kind.SCALE:
            answers[key] = 4
        else:
            answers[key] = "Quiero aprender a liderar proyectos."
    return answers


def _apply(program, person, role="mentee", **kwargs):
    return services.application_submit(
        program=program,
        person=person,
        role=role,
        answers=kwargs.pop("answers", None) or _answers(program, role),
        motivation=kwargs.pop("motivation", "Quiero crecer."),
        **kwargs,
    )


def _one_of_each(program, role="mentee") -> dict[str, Question]:
    """A questionnaire with one question of each kind (text optional)."""
    specs = {
        "single": {"kind": "single", "choices": ["Mañanas", "Tardes"]},
        "multiple": {"kind": "multiple", "choices": ["Presencial", "Vídeo", "Teléfono"]},
        "skills": {"kind": "skills"},
        "scale": {"kind": "scale"},
        "text": {"kind": "text", "required": False},
    }
    return {
        name: Question.objects.create(
            program=program, role=role, text=f"Pregunta {name}", order=order, **spec
        )
        for order, (name, spec) in enumerate(specs.items())
    }


def _emails_to(person) -> list:
    return [message for message in mail.outbox if message.to == [person.email]]


# --- answers -----------------------------------------------------------------------


def test_valid_answers_are_stored_in_their_canonical_form(db):
    program = ProgramFactory(questionnaire=False)
    q = _one_of_each(program)
    python, sql = SkillFactory(name="Python"), SkillFactory(name="SQL")
    cleaned = services.answers_validate(
        program=program,
        role="mentee",
        answers={
            str(q["single"].code): "Tardes",
            str(q["multiple"].code): ["Teléfono", "Presencial"],
            str(q["skills"].code): [str(sql.pk), python.pk, sql.pk],
            str(q["scale"].code): "5",
            str(q["text"].code): "   ",
            "not-a-question": "ignored",
        },
    )
    assert cleaned == {
        str(q["single"].code): "Tardes",
        str(q["multiple"].code): ["Presencial", "Teléfono"],
        str(q["skills"].code): [sql.pk, python.pk],
        str(q["scale"].code): 5,
    }


def test_invalid_answers_are_reported_next_to_each_question(db):
    program = ProgramFactory(questionnaire=False)
    q = _one_of_each(program)
    with pytest.raises(ValidationError) as caught:
        services.answers_validate(
            program=program,
            role="mentee",
            answers={
                str(q["single"].code): "Noches",
                str(q["multiple"].code): ["Presencial", "Carta"],
                str(q["skills"].code): [987654],
                str(q["scale"].code): 6,
                str(q["text"].code): "x" * 2001,
            },
        )
    assert set(caught.value.error_dict) == {str(question.code) for question in q.values()}


def test_required_questions_need_an_answer_and_optional_ones_do_not(db):
    program = ProgramFactory(questionnaire=False)
    q = _one_of_each(program)
    with pytest.raises(ValidationError) as caught:
        services.answers_validate(program=program, role="mentee", answers={})
    assert set(caught.value.error_dict) == {
        str(q[name].code) for name in ("single", "multiple", "skills", "scale")
    }


def test_a_scale_answer_must_be_a_whole_number_from_one_to_five(db):
    program = ProgramFactory(questionnaire=False)
    scale = Question.objects.create(program=program, role="mentor", text="¿Cuánto?", kind="scale")
    for wrong in (0, 6, "tres", 2.5):
        with pytest.raises(ValidationError):
            services.answers_validate(
                program=program, role="mentor", answers={str(scale.code): wrong}
            )
    for right in (1, 5, "3"):
        services.answers_validate(program=program, role="mentor", answers={str(scale.code): right})


def test_the_form_asks_each_question_with_the_right_widget_and_shows_existing_answers(db):
    program = ProgramFactory(questionnaire=False)
    q = _one_of_each(program)
    skill = SkillFactory(name="Python")
    application = ApplicationFactory(
        program=program,
        answers={str(q["skills"].code): [skill.pk], str(q["scale"].code): 3},
        motivation="Aprender",
    )
    form = application_form_class(program, "mentee")(application=application)
    widgets = {
        name: type(form.fields[str(question.code)].widget).__name__ for name, question in q.items()
    }
    assert widgets == {
        "single": "RadioSelect",
        "multiple": "CheckboxSelectMultiple",
        "skills": "SelectMultiple",
        "scale": "RadioSelect",
        "text": "Textarea",
    }
    assert form.fields[str(q["skills"].code)].widget.attrs["size"] == 8
    assert form.fields[str(q["text"].code)].max_length == 2000
    assert form.initial[str(q["scale"].code)] == 3
    assert form.initial["motivation"] == "Aprender"
    assert f'value="{skill.pk}" selected' in str(form[str(q["skills"].code)])


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
    text = program.questions.get(role="mentee", kind="text")
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


# --- HR review ---------------------------------------------------------------------


def test_declining_needs_a_reason_that_the_applicant_reads_in_their_language(
    db, hr_admin, django_capture_on_commit_callbacks
):
    person = UserFactory(language="en")
    application = ApplicationFactory(person=person, program=ProgramFactory(name="Crece"))
    with pytest.raises(ValidationError):
        services.application_review(application=application, decision=DECLINED, by=hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_review(
            application=application,
            decision=DECLINED,
            reason="This cycle is for the sales area.",
            by=hr_admin,
        )
    application.refresh_from_db()
    assert (application.status, application.reviewed_by) == (DECLINED, hr_admin)
    assert application.reviewed_at is not None
    [email] = mail.outbox
    assert email.subject == "About your application to Crece"
    assert "This cycle is for the sales area." in email.body


def test_waitlisted_applicants_can_be_approved_later(
    db, hr_admin, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_review(application=application, decision=WAITLISTED, by=hr_admin)
        services.application_review(application=application, decision=APPROVED, by=hr_admin)
    application.refresh_from_db()
    assert application.status == APPROVED
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == {"programs.application_waitlisted", "programs.application_approved"}
    assert len(mail.outbox) == 2


def test_an_application_is_not_approved_before_the_manager_approves(db, hr_admin, mentee):
    application = ApplicationFactory(person=mentee, manager_decision=PENDING)
    with pytest.raises(ValidationError):
        services.application_review(application=application, decision=APPROVED, by=hr_admin)
    application.manager_decision = Application.ManagerDecision.DECLINED
    application.save()
    with pytest.raises(ValidationError):
        services.application_review(application=application, decision=APPROVED, by=hr_admin)
    services.application_review(
        application=application, decision=WAITLISTED, reason="", by=hr_admin
    )


def test_a_decided_application_is_not_reviewed_again(db, hr_admin):
    application = ApplicationFactory(status=APPROVED)
    for decision in (APPROVED, DECLINED, WAITLISTED):
        with pytest.raises(ValidationError):
            services.application_review(
                application=application, decision=decision, reason="x", by=hr_admin
            )


def test_two_admins_approving_the_same_application_notify_the_applicant_once(
    db, hr_admin, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    seen_by_first = Application.objects.get(pk=application.pk)
    seen_by_second = Application.objects.get(pk=application.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_review(application=seen_by_first, decision=APPROVED, by=hr_admin)
        with pytest.raises(ValidationError):
            services.application_review(
                application=seen_by_second, decision=APPROVED, by=UserFactory(hr=True)
            )
    assert len(mail.outbox) == 1


def test_bulk_approval_approves_what_it_can_and_says_why_it_skipped_the_rest(
    db, hr_admin, django_capture_on_commit_callbacks
):
    program = ProgramFactory()
    ready = ApplicationFactory.create_batch(2, program=program)
    waiting = ApplicationFactory(program=program, manager_decision=PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        approved, skipped = services.applications_bulk_approve(
            applications=[*ready, waiting], by=hr_admin
        )
    assert {a.pk for a in approved} == {a.pk for a in ready}
    assert [(a.pk, bool(reason)) for a, reason in skipped] == [(waiting.pk, True)]
    assert program.applications.filter(status=APPROVED).count() == 2
    assert len(mail.outbox) == 2


# --- manager -----------------------------------------------------------------------


def test_only_the_current_manager_decides_on_participation(db, mentee, manager):
    application = ApplicationFactory(person=mentee, manager_decision=PENDING)
    with pytest.raises(ValidationError):
        services.participation_decide(application=application, approve=True, by=UserFactory())
    services.participation_decide(application=application, approve=True, by=manager)
    application.refresh_from_db()
    assert application.manager_decision == Application.ManagerDecision.APPROVED
    assert application.manager_decided_by == manager
    with pytest.raises(ValidationError):
        services.participation_decide(
            application=application, approve=False, comment="No", by=manager
        )


def test_a_manager_who_declines_explains_why_and_the_application_closes(
    db, manager, django_capture_on_commit_callbacks
):
    person = UserFactory(language="en", manager=manager)
    application = ApplicationFactory(
        person=person, manager_decision=PENDING, program=ProgramFactory(name="Crece")
    )
    with pytest.raises(ValidationError):
        services.participation_decide(application=application, approve=False, by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_decide(
            application=application,
            approve=False,
            comment="We close the quarter; next cycle.",
            by=manager,
        )
    application.refresh_from_db()
    assert application.status == DECLINED
    assert application.manager_comment == "We close the quarter; next cycle."
    [email] = mail.outbox
    assert email.subject == "Your manager did not approve your participation in Crece"
    assert "We close the quarter; next cycle." in email.body


def test_after_the_manager_approves_hr_can_approve(
    db, hr_admin, manager, mentee, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(person=mentee, manager_decision=PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_decide(application=application, approve=True, by=manager)
    services.application_review(application=application, decision=APPROVED, by=hr_admin)
    assert Notification.objects.filter(
        recipient=mentee, kind="programs.participation_approved"
    ).exists()
    assert len(_emails_to(mentee)) == 1


# --- employee pages ----------------------------------------------------------------


def _post_data(program, role="mentee", **extra) -> dict:
    return {**_answers(program, role), "motivation": "Quiero aprender.", **extra}


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    program = ProgramFactory()
    application = ApplicationFactory(program=program)
    for url in [
        f"/programs/{program.slug}/apply/mentee/",
        "/programs/my/applications/",
        f"/programs/my/applications/{application.code}/edit/",
        f"/programs/my/applications/{application.code}/withdraw/",
        "/programs/my/team-approvals/",
        f"/programs/my/team-approvals/{application.code}/",
        f"/programs/manage/{program.slug}/applications/",
        f"/programs/manage/{program.slug}/applications/{application.code}/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/"), url


def test_an_employee_applies_through_the_form(client, mentee, django_capture_on_commit_callbacks):
    program = ProgramFactory()
    client.force_login(mentee)
    page = client.get(f"/programs/{program.slug}/apply/mentee/")
    assert page.status_code == 200
    for question in program.questions.filter(role="mentee"):
        assert question.text in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/programs/{program.slug}/apply/mentee/", _post_data(program))
    assert response.status_code == 302
    assert response.url == "/programs/my/applications/"
    application = Application.objects.get(person=mentee)
    assert application.role == "mentee"
    assert application.answers == _answers(program)
    assert len(_emails_to(mentee)) == 1


def test_a_form_with_a_missing_answer_is_shown_again(client, mentee):
    program = ProgramFactory()
    client.force_login(mentee)
    data = _post_data(program)
    skills = program.questions.get(role="mentee", kind="skills")
    del data[str(skills.code)]
    response = client.post(f"/programs/{program.slug}/apply/mentee/", data)
    assert response.status_code == 200
    assert str(skills.code) in response.context["form"].errors
    assert not Application.objects.exists()


def test_the_apply_page_explains_why_someone_cannot_apply(client, mentee):
    program = ProgramFactory()
    program.areas.set([DepartmentFactory(name="Ventas")])
    client.force_login(mentee)
    response = client.get(f"/programs/{program.slug}/apply/mentee/")
    assert response.status_code == 200
    assert response.context["form"] is None
    assert response.context["problems"]
    client.post(f"/programs/{program.slug}/apply/mentee/", _post_data(program))
    assert not Application.objects.exists()


def test_apply_pages_of_drafts_and_unknown_roles_do_not_exist(client, mentee):
    program = ProgramFactory()
    draft = ProgramFactory(status="draft")
    client.force_login(mentee)
    assert client.get(f"/programs/{draft.slug}/apply/mentee/").status_code == 404
    assert client.get(f"/programs/{program.slug}/apply/boss/").status_code == 404


def test_someone_who_already_applied_is_sent_to_their_applications(client, mentee):
    program = ProgramFactory()
    ApplicationFactory(program=program, person=mentee)
    client.force_login(mentee)
    response = client.get(f"/programs/{program.slug}/apply/mentor/")
    assert response.url == "/programs/my/applications/"


def test_the_program_page_links_to_the_application_form(client, mentee):
    program = ProgramFactory()
    client.force_login(mentee)
    assert (
        f"/programs/{program.slug}/apply/mentee/"
        in client.get(f"/programs/{program.slug}/").content.decode()
    )


def test_the_applicant_edits_from_my_applications(client, mentee):
    program = ProgramFactory()
    application = ApplicationFactory(program=program, person=mentee, answers=_answers(program))
    client.force_login(mentee)
    listing = client.get("/programs/my/applications/").content.decode()
    assert f"/programs/my/applications/{application.code}/edit/" in listing
    page = client.get(f"/programs/my/applications/{application.code}/edit/")
    assert page.status_code == 200
    response = client.post(
        f"/programs/my/applications/{application.code}/edit/",
        _post_data(program, motivation="Otra razón"),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.motivation == "Otra razón"


def test_an_application_that_can_no_longer_change_is_not_editable(client, mentee):
    application = ApplicationFactory(person=mentee, status=APPROVED)
    client.force_login(mentee)
    response = client.get(f"/programs/my/applications/{application.code}/edit/")
    assert response.url == "/programs/my/applications/"


def test_the_applicant_withdraws_after_confirming(client, mentee):
    application = ApplicationFactory(person=mentee)
    client.force_login(mentee)
    url = f"/programs/my/applications/{application.code}/withdraw/"
    assert client.get(url).status_code == 200
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert client.post(url).url == "/programs/my/applications/"
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_another_persons_application_is_not_found(client, mentee, outsider):
    application = ApplicationFactory(person=mentee)
    client.force_login(outsider)
    for url in [
        f"/programs/my/applications/{application.code}/edit/",
        f"/programs/my/applications/{application.code}/withdraw/",
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert str(application.program) not in client.get("/programs/my/applications/").content.decode()


def test_my_applications_shows_the_decision_and_keeps_constant_queries(
    client, mentee, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            ApplicationFactory(
                person=mentee,
                program=ProgramFactory(questionnaire=False, objective=False),
                manager_decision=Application.ManagerDecision.APPROVED,
                manager_decided_by=mentee.manager,
            )

    client.force_login(mentee)
    add(5)
    with django_assert_max_num_queries(20) as few:
        client.get("/programs/my/applications/")
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/programs/my/applications/")
    assert len(response.context["page"].object_list) == 25


# --- manager pages -----------------------------------------------------------------


def test_a_manager_sees_and_declines_a_team_members_request(
    client, manager, mentee, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(person=mentee, manager_decision=PENDING)
    other_team = ApplicationFactory(
        person=UserFactory(manager=UserFactory()), manager_decision=PENDING
    )
    client.force_login(manager)
    queue = client.get("/programs/my/team-approvals/")
    assert [a.pk for a in queue.context["waiting"]] == [application.pk]
    url = f"/programs/my/team-approvals/{application.code}/"
    assert client.get(url).status_code == 200
    assert client.get(f"/programs/my/team-approvals/{other_team.code}/").status_code == 404
    missing_comment = client.post(url, {"decision": "decline", "comment": ""})
    assert missing_comment.status_code == 200
    assert "comment" in missing_comment.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "decline", "comment": "Cierre de trimestre"})
    assert response.url == "/programs/my/team-approvals/"
    application.refresh_from_db()
    assert (application.status, application.manager_decision) == (DECLINED, "declined")
    assert len(_emails_to(mentee)) == 1
    queue = client.get("/programs/my/team-approvals/")
    assert queue.context["waiting"] == []
    assert [a.pk for a in queue.context["decided"]] == [application.pk]


def test_a_manager_approves_a_team_members_participation(client, manager, mentee):
    application = ApplicationFactory(person=mentee, manager_decision=PENDING)
    client.force_login(manager)
    client.post(f"/programs/my/team-approvals/{application.code}/", {"decision": "approve"})
    application.refresh_from_db()
    assert application.manager_decision == Application.ManagerDecision.APPROVED
    assert application.status == Application.Status.SUBMITTED


def test_people_who_are_not_the_manager_cannot_decide(client, mentee, outsider):
    application = ApplicationFactory(person=mentee, manager_decision=PENDING)
    client.force_login(outsider)
    assert client.get("/programs/my/team-approvals/").context["waiting"] == []
    url = f"/programs/my/team-approvals/{application.code}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    client.force_login(mentee)
    assert client.get(url).status_code == 404


# --- HR pages ----------------------------------------------------------------------


def test_hr_application_pages_refuse_other_employees(client, mentee):
    program = ProgramFactory()
    application = ApplicationFactory(program=program)
    client.force_login(mentee)
    for url in [
        f"/programs/manage/{program.slug}/applications/",
        f"/programs/manage/{program.slug}/applications/{application.code}/",
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/programs/manage/{program.slug}/applications/approve/",
        {"applications": [str(application.code)]},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_hr_filters_the_applications_by_status_role_and_name(hr_client):
    program = ProgramFactory()
    ana = ApplicationFactory(program=program, person=UserFactory(first_name="Ana"), role="mentor")
    luis = ApplicationFactory(program=program, person=UserFactory(first_name="Luis"))
    gone = ApplicationFactory(program=program, status=Application.Status.WITHDRAWN)
    late = ApplicationFactory(program=program, status=WAITLISTED)
    ApplicationFactory()  # another program
    url = f"/programs/manage/{program.slug}/applications/"

    def listed(query=""):
        return {a.pk for a in hr_client.get(f"{url}?{query}").context["page"].object_list}

    assert listed() == {ana.pk, luis.pk, late.pk}
    assert listed("status=withdrawn") == {gone.pk}
    assert listed("status=waitlisted") == {late.pk}
    assert listed("role=mentor") == {ana.pk}
    assert listed("q=luis") == {luis.pk}
    assert listed("status=nonsense") == {ana.pk, luis.pk, late.pk}


def test_the_queue_shows_how_each_applicant_came_and_the_managers_decision(hr_client, manager):
    program = ProgramFactory()
    recommended = UserFactory(manager=manager)
    invited = UserFactory()
    referred = UserFactory()
    Recommendation.objects.create(
        program=program,
        person=recommended,
        role="mentee",
        by=manager,
        message="Tiene mucho potencial",
    )
    Appeal.objects.create(program=program, person=invited, role="mentor", by=program.created_by)
    Referral.objects.create(
        program=program, person=referred, role="mentor", by=UserFactory(), message="Enseña muy bien"
    )
    ApplicationFactory(program=program, person=recommended, manager_decision=PENDING)
    ApplicationFactory(program=program, person=invited, role="mentor")
    ApplicationFactory(program=program, person=referred, role="mentor")
    page = hr_client.get(f"/programs/manage/{program.slug}/applications/")
    sources = {
        a.person_id: [s["kind"] for s in a.sources] for a in page.context["page"].object_list
    }
    assert sources == {
        recommended.pk: ["recommendation"],
        invited.pk: ["appeal"],
        referred.pk: ["referral"],
    }
    html = page.content.decode()
    assert "Tiene mucho potencial" in html
    assert "Enseña muy bien" in html
    assert str(manager) in html


def test_the_hr_queue_keeps_constant_queries(hr_client, django_assert_max_num_queries):
    program = ProgramFactory()

    def add(count):
        for _ in range(count):
            person = UserFactory(manager=UserFactory())
            ApplicationFactory(program=program, person=person, manager_decision=PENDING)
            Recommendation.objects.create(
                program=program, person=person, role="mentee", by=person.manager, message="Sí"
            )

    add(5)
    url = f"/programs/manage/{program.slug}/applications/"
    with django_assert_max_num_queries(25) as few:
        hr_client.get(url)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = hr_client.get(url)
    assert len(response.context["page"].object_list) == 25


def test_hr_bulk_approves_and_is_told_which_ones_were_skipped(
    hr_client, mentee, django_capture_on_commit_callbacks
):
    program = ProgramFactory()
    ready = ApplicationFactory(program=program)
    waiting = ApplicationFactory(program=program, person=mentee, manager_decision=PENDING)
    foreign = ApplicationFactory()
    url = f"/programs/manage/{program.slug}/applications/approve/"
    assert hr_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(
            url,
            {
                "applications": [str(ready.code), str(waiting.code), str(foreign.code), "nope"],
                "role": "mentee",
            },
            follow=True,
        )
    assert (
        response.redirect_chain[0][0]
        == f"/programs/manage/{program.slug}/applications/?role=mentee"
    )
    ready.refresh_from_db()
    waiting.refresh_from_db()
    foreign.refresh_from_db()
    assert (ready.status, waiting.status, foreign.status) == (APPROVED, "submitted", "submitted")
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and str(mentee) in warnings[0]
    assert [m.to for m in mail.outbox] == [[ready.person.email]]


def test_hr_reads_the_answers_and_declines_with_a_reason(
    hr_client, django_capture_on_commit_callbacks
):
    program = ProgramFactory(questionnaire=False)
    q = _one_of_each(program)
    skill = SkillFactory(name="Contabilidad analítica")
    application = ApplicationFactory(
        program=program,
        person=UserFactory(language="en"),
        answers={
            str(q["single"].code): "Tardes",
            str(q["multiple"].code): ["Presencial", "Vídeo"],
            str(q["skills"].code): [skill.pk],
            str(q["scale"].code): 4,
        },
        motivation="Me encanta enseñar",
    )
    url = f"/programs/manage/{program.slug}/applications/{application.code}/"
    page = hr_client.get(url)
    html = page.content.decode()
    for text in ("Contabilidad analítica", "Tardes", "Presencial", "Vídeo", "Me encanta enseñar"):
        assert text in html
    assert page.context["tabs"] and any(
        t["active"] and t["key"] == "applications" for t in page.context["tabs"]
    )

    no_reason = hr_client.post(url, {"decision": "declined", "reason": ""})
    assert "reason" in no_reason.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(url, {"decision": "declined", "reason": "Cupo completo"})
    assert response.url == f"/programs/manage/{program.slug}/applications/"
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (DECLINED, "Cupo completo")
    [email] = mail.outbox
    assert "Cupo completo" in email.body


def test_hr_cannot_approve_through_the_form_while_the_manager_has_not_decided(hr_client, mentee):
    program = ProgramFactory()
    application = ApplicationFactory(program=program, person=mentee, manager_decision=PENDING)
    url = f"/programs/manage/{program.slug}/applications/{application.code}/"
    page = hr_client.get(url)
    assert page.context["approve_problems"]
    response = hr_client.post(url, {"decision": "approved", "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_an_application_of_another_program_is_not_found_under_this_one(hr_client):
    program = ProgramFactory()
    foreign = ApplicationFactory()
    url = f"/programs/manage/{program.slug}/applications/{foreign.code}/"
    assert hr_client.get(url).status_code == 404


# --- concurrency -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reviews_of_one_application_notify_the_applicant_once():
    application = ApplicationFactory()
    reviews = [
        (UserFactory(hr=True), APPROVED),
        (UserFactory(hr=True), WAITLISTED),
        (UserFactory(hr=True), APPROVED),
    ]
    # Every admin read the application before anyone saved (the worst case for a race).
    stale = [Application.objects.get(pk=application.pk) for _ in reviews]
    barrier = threading.Barrier(len(reviews))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def review(index: int, together: bool) -> None:
        admin, decision = reviews[index]
        try:
            if together:
                barrier.wait()
            services.application_review(application=stale[index], decision=decision, by=admin)
            outcomes.append(decision)
        except ValidationError:
            outcomes.append("refused")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            if together:
                connection.close()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=review, args=(i, True)) for i in range(len(reviews))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        # SQLite takes one writer at a time (a second one fails instead of waiting),
        # so the same stale reviews run one after the other.
        for index in range(len(reviews)):
            review(index, together=False)

    assert errors == []
    sent = Notification.objects.filter(recipient=application.person)
    # Each decision that went through was told exactly once; the approval happened once.
    assert sent.count() == len([o for o in outcomes if o != "refused"]) >= 1
    assert sent.filter(kind="programs.application_approved").count() <= 1
    assert outcomes.count(APPROVED) <= 1
    assert len(mail.outbox) == sent.count()
