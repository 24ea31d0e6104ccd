"""HR's direct invitations: who may be invited, sending once, and the invited person's answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from programs.models import Appeal, Outreach, Recommendation
from programs.outreach import selectors, services
from programs.outreach.tasks import appeal_send_emails
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
        return set(selectors.appeal_candidates(program=program, role="mentor", **filters))

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
    mentors = set(selectors.appeal_candidates(program=program, role="mentor"))
    assert {free, withdrawn} <= mentors
    assert invited not in mentors and applied not in mentors
    assert invited in set(selectors.appeal_candidates(program=program, role="mentee"))


# --- sending -------------------------------------------------------------------------


def test_sending_twice_invites_nobody_twice(db, hr_admin, django_capture_on_commit_callbacks):
    program = ProgramFactory()
    people = UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.appeals_send(
            program=program, role="mentor", people=people, message="Te queremos", by=hr_admin
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.appeals_send(
            program=program, role="mentor", people=people, message="Te queremos", by=hr_admin
        )
    assert len(first) == 3 and second == []
    assert Appeal.objects.count() == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)


def test_an_appeal_needs_a_recruiting_program_and_a_personal_message(db, hr_admin):
    person = UserFactory()
    with translation.override("en"):
        with pytest.raises(ValidationError, match="personal message"):
            services.appeals_send(
                program=ProgramFactory(), role="mentor", people=[person], message=" ", by=hr_admin
            )
        with pytest.raises(ValidationError, match="not recruiting"):
            services.appeals_send(
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
    assert services.outreach_decline(token=recommendation.token).answered_at == answered
    # Opening the link afterwards keeps the answer.
    client.get(f"/programs/invitations/{recommendation.token}/")
    recommendation.refresh_from_db()
    assert recommendation.status == Outreach.Status.DECLINED


def test_applying_answers_the_invitation_and_it_can_no_longer_be_declined(db, hr_admin, mentor):
    program = ProgramFactory()
    appeal = _appeal(program, mentor, hr_admin)
    services.outreach_open(token=appeal.token)
    application = ApplicationFactory(program=program, person=mentor, role="mentor")
    assert services.outreach_mark_applied(application=application) == 1
    appeal.refresh_from_db()
    assert appeal.status == Outreach.Status.APPLIED
    with translation.override("en"), pytest.raises(ValidationError, match="already applied"):
        services.outreach_decline(token=appeal.token)
