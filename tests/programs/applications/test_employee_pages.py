"""Applications through the employees' and managers' pages."""

from __future__ import annotations

from programs.models import (
    Application,
)
from tests.factories import (
    ApplicationFactory,
    DepartmentFactory,
    ProgramFactory,
    UserFactory,
)
from tests.programs.applications.steps import _answers, _emails_to

APPROVED = Application.Status.APPROVED
DECLINED = Application.Status.DECLINED
PENDING = Application.ManagerDecision.PENDING


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
