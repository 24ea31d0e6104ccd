"""HR reviews applications and managers decide on their reports' participation."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from notifications.models import Notification
from programs.applications import services
from programs.models import (
    Application,
)
from tests.factories import (
    ApplicationFactory,
    ProgramFactory,
    UserFactory,
)
from tests.programs.applications.steps import _emails_to

APPROVED = Application.Status.APPROVED
DECLINED = Application.Status.DECLINED
WAITLISTED = Application.Status.WAITLISTED
PENDING = Application.ManagerDecision.PENDING


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
