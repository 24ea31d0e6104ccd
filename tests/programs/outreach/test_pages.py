"""HR's outreach pages: access, previewing and sending invitations, the list of every kind."""

from __future__ import annotations

from django.core import mail

from programs.models import Appeal, Application, Outreach, Recommendation, Referral
from programs.outreach import selectors, services
from tests.factories import (
    ApplicationFactory,
    DepartmentFactory,
    ProgramFactory,
    UserFactory,
)


def _appeal(program, person, by, role="mentor"):
    return Appeal.objects.create(program=program, person=person, by=by, role=role, message="Hola")


# --- HR pages ------------------------------------------------------------------------


def _hr_urls(program):
    return [
        f"/programs/manage/{program.slug}/outreach/",
        f"/programs/manage/{program.slug}/outreach/invite/",
        f"/programs/manage/{program.slug}/funnel/",
    ]


def test_hr_outreach_pages_refuse_non_hr_and_send_anonymous_to_sign_in(client, mentee):
    program = ProgramFactory()
    for url in _hr_urls(program):
        assert client.get(url).url.startswith("/accounts/login/"), url
    client.force_login(mentee)
    for url in _hr_urls(program):
        assert client.get(url).status_code == 403, url


def test_hr_previews_candidates_then_sends_and_a_resend_invites_nobody_again(
    hr_client, django_capture_on_commit_callbacks
):
    program = ProgramFactory()
    data = DepartmentFactory(name="Datos")
    picked, unticked = (UserFactory(department=data, job_title="Data engineer") for _ in range(2))
    UserFactory(department=DepartmentFactory(name="Ventas"))
    url = f"/programs/manage/{program.slug}/outreach/invite/"
    query = f"?role=mentor&departments={data.pk}&job_title=data"
    preview = hr_client.get(url + query)
    assert preview.context["total"] == 2
    assert all(person.ticked for person in preview.context["candidates"])
    assert str(picked.code) in preview.content.decode()
    post = {"role": "mentor", "people": [picked.code], "message": "Your SQL is legendary"}
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(url + query, post)
    assert response.url == f"/programs/manage/{program.slug}/outreach/?kind=appeal"
    appeal = Appeal.objects.get()
    assert (appeal.person, appeal.role, appeal.message) == (picked, "mentor", post["message"])
    assert [m.to for m in mail.outbox] == [[picked.email]]
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(url + query, post)
    assert Appeal.objects.count() == 1 and len(mail.outbox) == 1
    assert [p.pk for p in hr_client.get(url + query).context["candidates"]] == [unticked.pk]


def test_hr_cannot_send_without_ticking_anyone_or_writing_a_message(hr_client):
    program = ProgramFactory()
    UserFactory()
    url = f"/programs/manage/{program.slug}/outreach/invite/?role=mentee"
    response = hr_client.post(url, {"role": "mentee", "message": ""})
    assert response.status_code == 200
    assert set(response.context["send_form"].errors) == {"people", "message"}
    assert not Appeal.objects.exists()


def test_the_outreach_list_shows_every_kind_filters_and_keeps_its_queries(
    hr_client, hr_admin, manager, mentee, django_assert_max_num_queries
):
    program = ProgramFactory()
    other = ProgramFactory()

    def seed():
        person = UserFactory()
        _appeal(program, person, hr_admin)
        Recommendation.objects.create(
            program=program, person=person, by=manager, role="mentee", message="Potencial"
        )
        Referral.objects.create(
            program=program, person=person, by=mentee, role="mentor", status="declined"
        )
        _appeal(other, person, hr_admin)

    seed()
    url = f"/programs/manage/{program.slug}/outreach/"
    with django_assert_max_num_queries(15) as few:
        response = hr_client.get(url)
    assert response.context["page"].paginator.count == 3
    assert {item.kind for item in response.context["page"].object_list} == {
        "appeal",
        "recommendation",
        "referral",
    }
    for _ in range(9):
        seed()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = hr_client.get(url)
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.count == 30
    assert hr_client.get(url, {"kind": "referral"}).context["page"].paginator.count == 10
    assert hr_client.get(url, {"status": "declined"}).context["page"].paginator.count == 10
    page = hr_client.get(url, {"kind": "recommendation", "role": "mentee"})
    assert page.context["page"].paginator.count == 10
    assert "Potencial" in page.content.decode()


def test_the_invitation_preview_keeps_its_queries(hr_client, django_assert_max_num_queries):
    program = ProgramFactory()
    UserFactory.create_batch(2)
    url = f"/programs/manage/{program.slug}/outreach/invite/?role=mentor"
    with django_assert_max_num_queries(20) as few:
        hr_client.get(url)
    UserFactory.create_batch(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = hr_client.get(url)
    assert response.context["total"] >= 12


def test_the_program_page_offers_referrals_and_recommendations(client, manager, mentee):
    program = ProgramFactory()
    client.force_login(manager)
    page = client.get(program.get_absolute_url()).content.decode()
    assert f"/programs/{program.slug}/refer/" in page
    assert f"/programs/{program.slug}/recommend/" in page
    client.force_login(mentee)
    page = client.get(program.get_absolute_url()).content.decode()
    assert f"/programs/{program.slug}/refer/" in page
    assert f"/programs/{program.slug}/recommend/" not in page


def test_a_recommendation_shows_beside_the_application(db, manager, mentee):
    program = ProgramFactory()
    recommendation = services.recommendation_create(
        program=program, person=mentee, role="mentee", reason="Ready", by=manager
    )
    application = ApplicationFactory(program=program, person=mentee, role="mentee")
    services.outreach_mark_applied(application=application)
    found = selectors.outreach_for_applications(Application.objects.filter(pk=application.pk))
    assert [item.pk for item in found[application.pk]] == [recommendation.pk]
    assert found[application.pk][0].status == Outreach.Status.APPLIED
