"""Managers recommend their reports; colleagues refer mentors without learning the outcome."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from programs.models import Outreach, Recommendation, Referral
from programs.outreach import services
from tests.factories import (
    ApplicationFactory,
    DepartmentFactory,
    ProgramFactory,
    UserFactory,
)

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
        services.recommendation_create(
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
        services.recommendation_create(
            program=program, person=mentee, role="mentee", reason="First", by=manager
        )
    if setup == "out_of_scope":
        program.areas.add(DepartmentFactory(name="Otra área"))
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        services.recommendation_create(
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
    referral = services.referral_create(program=program, person=mentor, reason="Great", by=mentee)
    services.outreach_decline(token=referral.token)
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
            services.referral_create(program=program, person=mentee, reason="Me", by=mentee)
        services.referral_create(program=program, person=mentor, reason="Great", by=mentee)
        with pytest.raises(ValidationError, match="already suggested"):
            services.referral_create(program=program, person=mentor, reason="Again", by=mentee)
        applicant = UserFactory()
        ApplicationFactory(program=program, person=applicant, role="mentee")
        with pytest.raises(ValidationError, match="cannot be suggested"):
            services.referral_create(program=program, person=applicant, reason="Hi", by=mentee)
        with pytest.raises(ValidationError, match="why they would be a good mentor"):
            services.referral_create(program=program, person=applicant, reason=" ", by=mentee)
    assert Referral.objects.count() == 1


def test_a_second_colleague_suggesting_the_same_person_sends_no_second_email(
    db, mentee, mentor, outsider, django_capture_on_commit_callbacks
):
    program = ProgramFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.referral_create(program=program, person=mentor, reason="A", by=mentee)
        services.outreach_open(token=first.token)
        second = services.referral_create(program=program, person=mentor, reason="B", by=outsider)
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
