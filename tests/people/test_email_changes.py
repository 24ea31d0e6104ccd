"""A changed email is confirmed from the new address and announced to the old one; another
HR admin's email needs a second HR admin; an email or role change ends other sessions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail

from audit.models import Entry
from people import services
from people.models import EmailChange, User
from tests.audit.test_audit_log import person_form
from tests.factories import UserFactory

A = Entry.Action
NEW = "pablo.personal@example.net"


@pytest.fixture(autouse=True)
def emails_sent_on_commit(monkeypatch, django_capture_on_commit_callbacks):
    """Each request commits as in production, so the emails it queues are sent."""
    from django.test import Client

    for method in ("get", "post"):
        original = getattr(Client, method)

        def committed(self, *args, _original=original, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return _original(self, *args, **kwargs)

        monkeypatch.setattr(Client, method, committed)


@pytest.fixture
def browser(db):
    """A second browser, beside `hr_client` (which is the `client` fixture itself)."""
    from django.test import Client

    return Client()


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/people/email-changes/confirm/[^\s]+/)", message.body)[1]


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def request_change(hr_client, person, new=NEW):
    return hr_client.post(f"/people/{person.code}/edit/", person_form(person, email=new))


def test_the_email_changes_only_when_the_new_address_confirms(hr_client, browser, mentee):
    response = request_change(hr_client, mentee)
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.email == "mentee@example.com", "nothing changes before the confirmation"
    change = EmailChange.objects.get(person=mentee)
    assert change.status == EmailChange.Status.AWAITING_CONFIRMATION

    [told] = sent_to("mentee@example.com")
    assert NEW in told.body and "mentee@example.com" in told.body
    [link_mail] = sent_to(NEW)
    link = link_in(link_mail)
    assert "confirm" in link_mail.subject.lower() or "confirma" in link_mail.subject.lower()

    page = browser.get(link)  # not signed in: the link is the proof
    assert page.status_code == 200 and NEW in page.text
    mentee.refresh_from_db()
    assert mentee.email == "mentee@example.com", "opening the link does not confirm"

    browser.post(link)
    mentee.refresh_from_db()
    assert mentee.email == NEW
    assert list(EmailAddress.objects.filter(user=mentee).values_list("email", flat=True)) == [NEW]
    assert len(sent_to("mentee@example.com")) == 2, "the old address hears it is done"
    assert browser.post(link).status_code == 400, "a link works once"
    assert [e.action for e in Entry.objects.filter(person=mentee).order_by("pk")] == [
        A.EMAIL_CHANGE_REQUESTED,
        A.EMAIL_CHANGE_CONFIRMED,
    ]


def test_a_password_reset_goes_to_the_old_address_until_the_change_is_confirmed(
    hr_client, browser, mentee
):
    request_change(hr_client, mentee)
    mail.outbox.clear()
    browser.post("/accounts/password/reset/", {"email": NEW})
    assert not any("/password/reset/key/" in m.body for m in mail.outbox)
    browser.post("/accounts/password/reset/", {"email": "mentee@example.com"})
    [reset] = [m for m in mail.outbox if "/password/reset/key/" in m.body]
    assert reset.to == ["mentee@example.com"]


def test_a_forged_or_expired_link_changes_nothing(hr_client, browser, mentee, monkeypatch):
    request_change(hr_client, mentee)
    link = link_in(sent_to(NEW)[0])
    assert browser.post(link.replace(":", "x", 1)).status_code == 400
    monkeypatch.setattr(services, "EMAIL_CHANGE_MAX_AGE", timedelta(seconds=-1))
    assert browser.post(link).status_code == 400
    mentee.refresh_from_db()
    assert mentee.email == "mentee@example.com"


def test_another_hr_admins_email_needs_a_second_hr_admin(hr_client, hr_admin, browser):
    target = UserFactory(email="bea@example.com", first_name="Bea", hr=True)
    second = UserFactory(email="carlos@example.com", first_name="Carlos", hr=True)
    request_change(hr_client, target)
    change = EmailChange.objects.get(person=target)
    assert change.status == EmailChange.Status.AWAITING_APPROVAL
    assert not sent_to(NEW), "no link before a second HR admin approves"
    assert sent_to("bea@example.com") and sent_to("carlos@example.com")
    assert not sent_to("hr.admin@example.com")

    # The one who asked cannot approve their own request, by page or by form.
    for url in (f"/people/email-changes/{change.code}/approve/",):
        assert hr_client.get(url).status_code == 403
        assert hr_client.post(url).status_code == 403
    with pytest.raises(services.ValidationError):
        services.email_change_approve(change=change, by=hr_admin)
    change.refresh_from_db()
    assert change.status == EmailChange.Status.AWAITING_APPROVAL

    # The other HR admins see it pending, with the buttons to decide.
    browser.force_login(second)
    assert "bea@example.com → " + NEW in browser.get("/people/").text
    detail = browser.get(f"/people/{target.code}/").text
    assert f"/people/email-changes/{change.code}/approve/" in detail
    browser.post(f"/people/email-changes/{change.code}/approve/")
    change.refresh_from_db()
    assert change.status == EmailChange.Status.AWAITING_CONFIRMATION
    assert change.approved_by == second
    link = link_in(sent_to(NEW)[0])
    browser.logout()
    browser.post(link)
    target.refresh_from_db()
    assert target.email == NEW
    actions = set(Entry.objects.filter(person=target).values_list("action", flat=True))
    assert {A.EMAIL_CHANGE_REQUESTED, A.EMAIL_CHANGE_APPROVED, A.EMAIL_CHANGE_CONFIRMED} <= actions


def test_a_rejected_change_sends_no_link_and_tells_the_old_address(hr_client, browser):
    target = UserFactory(email="bea@example.com", hr=True)
    second = UserFactory(hr=True)
    request_change(hr_client, target)
    change = EmailChange.objects.get()
    browser.force_login(second)
    before = len(sent_to("bea@example.com"))  # told, and asked to decide as an HR admin
    assert browser.get(f"/people/email-changes/{change.code}/reject/").status_code == 200
    browser.post(f"/people/email-changes/{change.code}/reject/")
    change.refresh_from_db()
    assert change.status == EmailChange.Status.REJECTED
    assert not sent_to(NEW)
    assert len(sent_to("bea@example.com")) == before + 1
    assert browser.post(f"/people/email-changes/{change.code}/approve/").status_code == 404


def test_hr_changing_their_own_email_needs_only_the_new_address(hr_client, hr_admin):
    request_change(hr_client, hr_admin)
    assert EmailChange.objects.get().status == EmailChange.Status.AWAITING_CONFIRMATION
    assert sent_to(NEW)


def test_hr_cancels_a_pending_change_and_the_link_stops_working(hr_client, browser, mentee):
    request_change(hr_client, mentee)
    link = link_in(sent_to(NEW)[0])
    change = EmailChange.objects.get()
    hr_client.post(f"/people/email-changes/{change.code}/cancel/")
    assert browser.post(link).status_code == 400
    mentee.refresh_from_db()
    assert mentee.email == "mentee@example.com"


def test_an_address_taken_meanwhile_is_not_given_to_the_person(hr_client, browser, mentee):
    request_change(hr_client, mentee)
    link = link_in(sent_to(NEW)[0])
    User.objects.create_user(NEW, first_name="Other", last_name="Person")
    assert browser.post(link).status_code == 400
    mentee.refresh_from_db()
    assert mentee.email == "mentee@example.com"


def test_the_same_new_address_cannot_wait_for_two_people(hr_client, mentee, mentor):
    request_change(hr_client, mentee)
    response = request_change(hr_client, mentor)
    assert response.status_code == 200 and response.context["form"].errors["email"]
    mentor.refresh_from_db()
    assert mentor.email == "mentor@example.com" and EmailChange.objects.count() == 1


@pytest.mark.parametrize("decision", ["approve", "reject", "cancel", "resend"])
def test_only_hr_decides_on_email_changes(client, hr_admin, mentee, mentor, decision):
    change = services.email_change_request(person=mentee, new_email=NEW, by=hr_admin)
    url = f"/people/email-changes/{change.code}/{decision}/"
    assert client.get(url).url.startswith("/accounts/login/")
    client.force_login(mentor)
    assert client.post(url).status_code == 403
    change.refresh_from_db()
    assert change.status == EmailChange.Status.AWAITING_CONFIRMATION


# --- sessions --------------------------------------------------------------------------


def _signed_in(client, person):
    client.force_login(person)
    return client.session.session_key


def test_confirming_an_email_ends_the_persons_other_sessions(hr_client, browser, mentee):
    from django.test import Client

    elsewhere = Client()
    elsewhere_key = _signed_in(elsewhere, mentee)
    own_key = _signed_in(browser, mentee)
    request_change(hr_client, mentee)
    browser.post(link_in(sent_to(NEW)[0]))
    assert not Session.objects.filter(session_key=elsewhere_key).exists()
    assert Session.objects.filter(session_key=own_key).exists(), "the confirming browser stays"
    assert elsewhere.get("/").status_code == 302
    [ended] = Entry.objects.filter(action=A.SESSIONS_ENDED)
    assert ended.details == {"sessions": 1, "reason": "email changed"}


@pytest.mark.parametrize("action", ["grant", "revoke"])
def test_a_role_change_ends_the_persons_sessions(hr_client, browser, mentor, action):
    if action == "revoke":
        services.hr_role_grant(person=mentor, by=None)
    key = _signed_in(browser, mentor)
    hr_key = hr_client.session.session_key
    hr_client.post(f"/people/{mentor.code}/hr/{action}/")
    assert not Session.objects.filter(session_key=key).exists()
    assert Session.objects.filter(session_key=hr_key).exists()


def test_deactivating_a_person_ends_their_sessions(hr_client, browser, mentee):
    key = _signed_in(browser, mentee)
    hr_client.post(f"/people/{mentee.code}/edit/", person_form(mentee, is_active=""))
    assert not Session.objects.filter(session_key=key).exists()


# --- the employee file -------------------------------------------------------------------


def _import(text: str) -> None:
    from people.importing.services import employees_import

    header = "email,first_name,last_name,department,job_title\r\n"
    employees_import(data=(header + text).encode())


def test_an_import_cannot_change_an_hr_admins_email_or_role(hr_admin, manager):
    """The file matches people by email: a new email is a new person, never a change."""
    _import("helena.personal@example.net,Helena,Ruiz,RR. HH.,Directora\r\n")
    hr_admin.refresh_from_db()
    assert hr_admin.email == "hr.admin@example.com" and hr_admin.is_hr
    newcomer = User.objects.get(email="helena.personal@example.net")
    assert not newcomer.is_hr and not newcomer.has_usable_password()
    assert not EmailChange.objects.exists()

    _import("HR.Admin@Example.com,Helena,Ruiz,RR. HH.,Directora\r\n")
    admin = User.objects.get(pk=hr_admin.pk)
    assert admin.email == "hr.admin@example.com" and admin.is_hr and admin.job_title == "Directora"
    assert admin.has_usable_password()


def test_hr_sees_the_pending_change_and_the_current_email_stays_in_use(hr_client, mentee):
    request_change(hr_client, mentee)
    page = hr_client.get(f"/people/{mentee.code}/").text
    assert 'data-testid="email-change"' in page and NEW in page
    assert "mentee@example.com" in page


def test_removing_an_hr_admins_role_does_not_skip_the_second_admin(hr_client, browser):
    """The takeover: remove another HR admin's role, then change their email at once."""
    target = UserFactory(email="bea@example.com", first_name="Bea", hr=True)
    UserFactory(email="carlos@example.com", hr=True)
    hr_client.post(f"/people/{target.code}/hr/revoke/")
    target.refresh_from_db()
    assert not target.is_hr
    request_change(hr_client, target)
    change = EmailChange.objects.get(person=target)
    assert change.status == EmailChange.Status.AWAITING_APPROVAL
    assert not sent_to(NEW), "no link before a second HR admin approves"
    assert Entry.objects.get(action=A.EMAIL_CHANGE_REQUESTED).details["needs_approval"] is True


def test_a_deactivated_hr_admins_email_still_needs_a_second_admin(hr_admin):
    target = UserFactory(email="bea@example.com", hr=True)
    User.objects.filter(pk=target.pk).update(is_active=False)
    change = services.email_change_request(person=target, new_email=NEW, by=hr_admin)
    assert change.status == EmailChange.Status.AWAITING_APPROVAL


def test_thirty_days_after_losing_the_role_an_email_change_is_ordinary(hr_admin):
    import time_machine
    from django.utils import timezone

    target = UserFactory(email="bea@example.com", hr=True)
    services.hr_role_revoke(person=target, by=hr_admin)
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        change = services.email_change_request(person=target, new_email=NEW, by=hr_admin)
        assert change.status == EmailChange.Status.AWAITING_APPROVAL
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        change = services.email_change_request(person=target, new_email=NEW, by=hr_admin)
        assert change.status == EmailChange.Status.AWAITING_CONFIRMATION
