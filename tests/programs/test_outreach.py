"""Stage 2 outreach: HR's direct invitations, managers' recommendations, colleague referrals."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from programs import outreach
from programs.models import Appeal, Application, Outreach, Recommendation, Referral
from programs.tasks import appeal_send_emails
from tests.factories import (
    ApplicationFactory,
    DepartmentFactory,
    ProgramFactory,
    SkillFactory,
    UserFactory,
)


def _today():
    return timezone.localdate()


def _appeal(program, person, by, role="mentor"):
    return Appeal.objects.create(program=program, person=person, by=by, role=role, message="Hola")


# --- candidates ----------------------------------------------------------------------


def test_candidates_match_hr_filters_within_the_programs_eligibility(db, hr_admin):
    engineering = DepartmentFactory(name="Ingeniería")
    platform = DepartmentFactory(name="Plataforma", parent=engineering)
    sales = DepartmentFactory(name="Ventas")
    python, sql = SkillFactory(name="Python"), SkillFactory(name="SQL")
    program = ProgramFactory(min_tenure_months=6)
    program.areas.add(engineering, sales)
    veteran = _today() - timedelta(days=900)
    ana = UserFactory(department=platform, job_title="Senior Engineer", hired_on=veteran)
    ana.skills.add(python)
    ben = UserFactory(department=engineering, job_title="Senior Analyst", hired_on=veteran)
    ben.skills.add(sql, python)
    UserFactory(department=platform, job_title="Senior Engineer", hired_on=_today())  # too new
    UserFactory(department=platform, job_title="Senior Engineer", hired_on=None)  # unknown
    UserFactory(department=platform, job_title="Senior", hired_on=veteran, is_active=False)
    UserFactory(department=DepartmentFactory(name="Legal"), hired_on=veteran)  # out of scope
    seller = UserFactory(department=sales, job_title="Account manager", hired_on=veteran)

    def found(**filters):
        return set(outreach.appeal_candidates(program=program, role="mentor", **filters))

    assert found() == {ana, ben, seller}
    assert found(departments=[engineering]) == {ana, ben}
    assert found(departments=[platform]) == {ana}
    assert found(skills=[python]) == {ana, ben}
    assert found(skills=[sql, python]) == {ana, ben}  # any of them, each person once
    assert found(job_title=" senior ") == {ana, ben}
    ana.hired_on = _today() - timedelta(days=300)
    ana.save()
    assert found(min_tenure_months=12) == {ben, seller}
    assert found(min_tenure_months=2) == {ana, ben, seller}  # the program's 6 still apply


def test_candidates_leave_out_people_already_invited_for_the_role_or_applied(db, hr_admin):
    program = ProgramFactory()
    invited, applied, withdrawn, free = UserFactory.create_batch(4)
    _appeal(program, invited, hr_admin, role="mentor")
    ApplicationFactory(program=program, person=applied, role="mentee")
    ApplicationFactory(program=program, person=withdrawn, role="mentor", status="withdrawn")
    mentors = set(outreach.appeal_candidates(program=program, role="mentor"))
    assert {free, withdrawn} <= mentors
    assert invited not in mentors and applied not in mentors
    assert invited in set(outreach.appeal_candidates(program=program, role="mentee"))


# --- sending -------------------------------------------------------------------------


def test_sending_twice_invites_nobody_twice(db, hr_admin, django_capture_on_commit_callbacks):
    program = ProgramFactory()
    people = UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        first = outreach.appeals_send(
            program=program, role="mentor", people=people, message="Te queremos", by=hr_admin
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = outreach.appeals_send(
            program=program, role="mentor", people=people, message="Te queremos", by=hr_admin
        )
    assert len(first) == 3 and second == []
    assert Appeal.objects.count() == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)


def test_an_appeal_needs_a_recruiting_program_and_a_personal_message(db, hr_admin):
    person = UserFactory()
    with translation.override("en"):
        with pytest.raises(ValidationError, match="personal message"):
            outreach.appeals_send(
                program=ProgramFactory(), role="mentor", people=[person], message=" ", by=hr_admin
            )
        with pytest.raises(ValidationError, match="not recruiting"):
            outreach.appeals_send(
                program=ProgramFactory(status="draft"),
                role="mentor",
                people=[person],
                message="Hola",
                by=hr_admin,
            )
    assert not Appeal.objects.exists()


def test_the_celery_task_emails_each_invitation_once_with_its_links(
    db, hr_admin, django_capture_on_commit_callbacks
):
    program = ProgramFactory(name="Crece")
    person = UserFactory(language="en", first_name="Ada")
    appeal = Appeal.objects.create(
        program=program, person=person, by=hr_admin, role="mentor", message="<b>You</b> & Python"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert appeal_send_emails.delay([appeal.pk]).get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert appeal_send_emails.delay([appeal.pk]).get() == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    html = email.alternatives[0][0]
    assert "Crece" in email.subject
    assert f"/programs/invitations/{appeal.token}/" in email.body
    assert f"/programs/invitations/{appeal.token}/decline/" in email.body
    assert "<b>You</b> & Python" in email.body  # plain text stays plain
    assert "&lt;b&gt;You&lt;/b&gt; &amp; Python" in html
    assert "<b>You</b>" not in html
    assert "Helena Ruiz" in email.body and program.summary in email.body


# --- the invited person's answer -----------------------------------------------------


def test_the_link_marks_the_invitation_opened_once_and_lands_on_the_program(
    client, hr_admin, mentor
):
    program = ProgramFactory()
    appeal = _appeal(program, mentor, hr_admin)
    client.force_login(mentor)
    with time_machine.travel(timezone.now(), tick=False):
        response = client.get(f"/programs/invitations/{appeal.token}/")
        first_opened = timezone.now()
    assert response.url == program.get_absolute_url()
    appeal.refresh_from_db()
    assert appeal.status == Outreach.Status.OPENED and appeal.opened_at == first_opened
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        client.get(f"/programs/invitations/{appeal.token}/")
    appeal.refresh_from_db()
    assert appeal.opened_at == first_opened
    assert client.get(response.url).status_code == 200


def test_only_the_invited_person_can_open_or_decline_an_invitation(
    client, hr_admin, mentor, outsider
):
    appeal = _appeal(ProgramFactory(), mentor, hr_admin)
    urls = [
        f"/programs/invitations/{appeal.token}/",
        f"/programs/invitations/{appeal.token}/decline/",
    ]
    for url in urls:
        assert client.get(url).url.startswith("/accounts/login/")
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(urls[1]).status_code == 404
    assert client.get("/programs/invitations/not-a-token/").status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == Outreach.Status.SENT and appeal.opened_at is None


def test_declining_is_confirmed_first_and_can_be_repeated_harmlessly(client, hr_admin, mentor):
    program = ProgramFactory()
    recommendation = Recommendation.objects.create(
        program=program, person=mentor, by=hr_admin, role="mentee", message="Sí"
    )
    client.force_login(mentor)
    url = f"/programs/invitations/{recommendation.token}/decline/"
    assert client.get(url).status_code == 200
    recommendation.refresh_from_db()
    assert recommendation.status == Outreach.Status.SENT
    assert client.post(url).url == program.get_absolute_url()
    recommendation.refresh_from_db()
    answered = recommendation.answered_at
    assert recommendation.status == Outreach.Status.DECLINED and answered
    client.post(url)
    assert outreach.outreach_decline(token=recommendation.token).answered_at == answered
    # Opening the link afterwards keeps the answer.
    client.get(f"/programs/invitations/{recommendation.token}/")
    recommendation.refresh_from_db()
    assert recommendation.status == Outreach.Status.DECLINED


def test_applying_answers_the_invitation_and_it_can_no_longer_be_declined(db, hr_admin, mentor):
    program = ProgramFactory()
    appeal = _appeal(program, mentor, hr_admin)
    outreach.outreach_open(token=appeal.token)
    application = ApplicationFactory(program=program, person=mentor, role="mentor")
    assert outreach.outreach_mark_applied(application=application) == 1
    appeal.refresh_from_db()
    assert appeal.status == Outreach.Status.APPLIED
    with translation.override("en"), pytest.raises(ValidationError, match="already applied"):
        outreach.outreach_decline(token=appeal.token)


# --- manager recommendations ---------------------------------------------------------


def test_a_manager_recommends_a_report_who_is_invited_with_the_reason(
    client, manager, mentee, django_capture_on_commit_callbacks
):
    program = ProgramFactory(name="Liderazgo")
    mentee.language = "en"
    mentee.save()
    client.force_login(manager)
    assert client.get(f"/programs/{program.slug}/recommend/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/programs/{program.slug}/recommend/",
            {"person": mentee.code, "role": "mentee", "reason": "Wants to lead <teams>"},
        )
    assert response.url == program.get_absolute_url()
    recommendation = Recommendation.objects.get()
    assert (recommendation.person, recommendation.by, recommendation.role) == (
        mentee,
        manager,
        "mentee",
    )
    assert recommendation.message == "Wants to lead <teams>"
    [email] = mail.outbox
    assert email.to == [mentee.email]
    assert "Marta Gil" in email.body and "Wants to lead <teams>" in email.body
    assert "Wants to lead &lt;teams&gt;" in email.alternatives[0][0]
    assert f"/programs/invitations/{recommendation.token}/" in email.body


def test_a_manager_cannot_recommend_someone_outside_their_team(client, manager, mentee, mentor):
    program = ProgramFactory()
    client.force_login(manager)
    response = client.post(
        f"/programs/{program.slug}/recommend/",
        {"person": mentor.code, "role": "mentor", "reason": "Great"},
    )
    assert response.status_code == 200 and response.context["form"].errors["person"]
    with translation.override("en"), pytest.raises(ValidationError, match="report to you"):
        outreach.recommendation_create(
            program=program, person=mentor, role="mentor", reason="Great", by=manager
        )
    assert not Recommendation.objects.exists()


def test_recommending_is_for_managers_only(client, mentee):
    program = ProgramFactory()
    url = f"/programs/{program.slug}/recommend/"
    assert client.get(url).url.startswith("/accounts/login/")
    client.force_login(mentee)
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"person": mentee.code, "role": "mentee", "reason": "x"}).status_code
        == 403
    )
    assert (
        client.get(f"/programs/{ProgramFactory(status='draft').slug}/recommend/").status_code == 404
    )


@pytest.mark.parametrize(
    "setup, message",
    [
        ("applied", "already applied"),
        ("twice", "already been recommended"),
        ("no_reason", "why you recommend"),
        ("out_of_scope", "cannot take part"),
        ("closed", "not recruiting"),
    ],
)
def test_recommendation_rules(db, manager, mentee, setup, message):
    program = ProgramFactory(status="matching" if setup == "closed" else "recruiting")
    reason = "" if setup == "no_reason" else "Ready to grow"
    if setup == "applied":
        ApplicationFactory(program=program, person=mentee, role="mentor")
    if setup == "twice":
        outreach.recommendation_create(
            program=program, person=mentee, role="mentee", reason="First", by=manager
        )
    if setup == "out_of_scope":
        program.areas.add(DepartmentFactory(name="Otra área"))
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        outreach.recommendation_create(
            program=program, person=mentee, role="mentee", reason=reason, by=manager
        )
    assert Recommendation.objects.count() == (1 if setup == "twice" else 0)


# --- colleague referrals -------------------------------------------------------------


def test_a_referral_invites_the_colleague_without_naming_the_referrer(
    client, mentee, mentor, django_capture_on_commit_callbacks
):
    program = ProgramFactory()
    mentor.language = "en"
    mentor.save()
    client.force_login(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/programs/{program.slug}/refer/",
            {"email": " Mentor@Example.com ", "reason": "Explains things with patience"},
            follow=True,
        )
    referral = Referral.objects.get()
    assert (referral.person, referral.by, referral.role) == (mentor, mentee, "mentor")
    [email] = mail.outbox
    assert email.to == [mentor.email]
    assert "Explains things with patience" in email.body
    assert "colleague" in email.body
    for text in (email.subject, email.body, email.alternatives[0][0]):
        assert "Pablo" not in text and "Navarro" not in text and mentee.email not in text
    # The referrer is thanked on the program page and told nothing else.
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == program.get_absolute_url()
    assert "Elena Ferrer" in page  # the thank-you names who they suggested
    assert referral.token not in page


def test_the_referrer_never_sees_the_outcome(client, mentee, mentor):
    program = ProgramFactory()
    referral = outreach.referral_create(program=program, person=mentor, reason="Great", by=mentee)
    outreach.outreach_decline(token=referral.token)
    client.force_login(mentee)
    for url in [
        program.get_absolute_url(),
        f"/programs/{program.slug}/refer/",
        f"/programs/invitations/{referral.token}/",
    ]:
        response = client.get(url)
        assert response.status_code in {200, 404}
        assert "Elena" not in response.content.decode(), url


def test_referral_rules(db, mentee, mentor):
    program = ProgramFactory()
    with translation.override("en"):
        with pytest.raises(ValidationError, match="cannot suggest yourself"):
            outreach.referral_create(program=program, person=mentee, reason="Me", by=mentee)
        outreach.referral_create(program=program, person=mentor, reason="Great", by=mentee)
        with pytest.raises(ValidationError, match="already suggested"):
            outreach.referral_create(program=program, person=mentor, reason="Again", by=mentee)
        applicant = UserFactory()
        ApplicationFactory(program=program, person=applicant, role="mentee")
        with pytest.raises(ValidationError, match="cannot be suggested"):
            outreach.referral_create(program=program, person=applicant, reason="Hi", by=mentee)
        with pytest.raises(ValidationError, match="why they would be a good mentor"):
            outreach.referral_create(program=program, person=applicant, reason=" ", by=mentee)
    assert Referral.objects.count() == 1


def test_a_second_colleague_suggesting_the_same_person_sends_no_second_email(
    db, mentee, mentor, outsider, django_capture_on_commit_callbacks
):
    program = ProgramFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = outreach.referral_create(program=program, person=mentor, reason="A", by=mentee)
        outreach.outreach_open(token=first.token)
        second = outreach.referral_create(program=program, person=mentor, reason="B", by=outsider)
    assert len(mail.outbox) == 1
    second.refresh_from_db()
    assert second.status == Outreach.Status.OPENED


def test_the_referral_page_finds_colleagues_by_name_but_not_oneself(client, mentee, mentor):
    program = ProgramFactory()
    client.force_login(mentee)
    response = client.get(f"/programs/{program.slug}/refer/", {"q": "Elena  Ferrer"})
    assert [p.email for p in response.context["matches"]] == [mentor.email]
    response = client.get(f"/programs/{program.slug}/refer/", {"q": "mentee@example.com"})
    assert response.context["matches"] == []
    response = client.get(f"/programs/{program.slug}/refer/", {"email": mentor.email})
    assert mentor.email in response.content.decode()


def test_an_unknown_email_is_refused_next_to_the_field(client, mentee):
    program = ProgramFactory()
    client.force_login(mentee)
    response = client.post(
        f"/programs/{program.slug}/refer/", {"email": "nobody@example.com", "reason": "x"}
    )
    assert response.context["form"].errors["email"]
    assert not Referral.objects.exists()


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
    recommendation = outreach.recommendation_create(
        program=program, person=mentee, role="mentee", reason="Ready", by=manager
    )
    application = ApplicationFactory(program=program, person=mentee, role="mentee")
    outreach.outreach_mark_applied(application=application)
    found = outreach.outreach_for_applications(Application.objects.filter(pk=application.pk))
    assert [item.pk for item in found[application.pk]] == [recommendation.pk]
    assert found[application.pk][0].status == Outreach.Status.APPLIED
