"""Retention: raw import files and full email bodies are not kept for ever."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import Entry
from notifications.models import Notification
from notifications.services import dispatch_due
from people.models import EmployeeImport


def _aged(obj, days: int):
    type(obj).objects.filter(pk=obj.pk).update(created_at=timezone.now() - timedelta(days=days))
    return obj


@pytest.fixture
def imports(hr_admin):
    def upload(days: int, applied: bool = False):
        batch = EmployeeImport.objects.create(
            uploaded_by=hr_admin,
            filename=f"{days}.csv",
            content=b"email\nana@example.com\n",
            applied_at=timezone.now() if applied else None,
        )
        return _aged(batch, days)

    return upload


def test_unapplied_import_files_go_after_seven_days_applied_and_recent_ones_stay(imports):
    old = imports(8)
    recent = imports(6)
    applied = imports(30, applied=True)
    dispatch_due()
    remaining = set(EmployeeImport.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, applied.pk}
    assert old.pk not in remaining


def test_email_bodies_are_emptied_after_ninety_days_but_pending_emails_stay(mentee):
    def sent(days: int, status: str = "sent"):
        note = Notification.objects.create(
            recipient=mentee,
            kind="test",
            subject=f"Subject {days}",
            occasion=str(days),
            text_body="Hello Pablo",
            html_body="<p>Hello Pablo</p>",
            email_status=status,
        )
        return _aged(note, days)

    old, recent = sent(91), sent(89)
    old_failed = sent(120, "failed")
    dispatch_due()
    old.refresh_from_db()
    recent.refresh_from_db()
    old_failed.refresh_from_db()
    assert (old.text_body, old.html_body, old.subject) == ("", "", "Subject 91")
    assert old_failed.text_body == ""
    assert recent.text_body == "Hello Pablo"


def test_each_rule_runs_once_a_day_and_each_run_is_in_the_audit_log(imports):
    imports(10)
    imports(12)
    dispatch_due()
    dispatch_due()
    runs = {e.details["rule"]: e for e in Entry.objects.filter(action="retention.applied")}
    assert set(runs) == {"import_files", "email_bodies", "program_personal_data"}
    assert runs["import_files"].details["count"] == 2
    assert runs["import_files"].actor is None
    assert runs["email_bodies"].details["count"] == 0
    # The next day it runs again.
    dispatch_due(timezone.now() + timedelta(days=1))
    assert Entry.objects.filter(action="retention.applied").count() == 6
