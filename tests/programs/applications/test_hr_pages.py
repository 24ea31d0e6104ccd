"""HR's application pages: access, filters, how each applicant came, review and bulk approval."""

from __future__ import annotations

from django.core import mail

from programs.models import (
    Appeal,
    Application,
    Question,
    Recommendation,
    Referral,
)
from tests.factories import (
    ApplicationFactory,
    ProgramFactory,
    SkillFactory,
    UserFactory,
)

APPROVED = Application.Status.APPROVED
DECLINED = Application.Status.DECLINED
WAITLISTED = Application.Status.WAITLISTED
PENDING = Application.ManagerDecision.PENDING


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
    luis = ApplicationFactory(program=program, person=UserFactory(first_name="Luisandro"))
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
    assert listed("q=luisandro") == {luis.pk}
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
