"""Reminders of the closing, with a frozen clock: each is sent once, however often the job runs."""

from __future__ import annotations

from notifications.models import Notification
from tests.goals.conftest import _at, _run_twice, _sent


def test_the_deadline_is_announced_14_days_ahead_and_the_closing_opens_at_it(pair, mentor, mentee):
    deadline = pair.deadline
    days = (deadline - pair.starts_on).days
    _run_twice(_at(pair, days - 15))
    assert _sent("goals.deadline_soon") == []
    _run_twice(_at(pair, days - 14))
    soon = f"soon-{deadline.isoformat()}"
    assert _sent("goals.deadline_soon") == sorted([(mentor.pk, soon), (mentee.pk, soon)])
    _run_twice(_at(pair, days - 3))
    assert len(_sent("goals.deadline_soon")) == 2
    _run_twice(_at(pair, days))
    closing = f"closing-{deadline.isoformat()}"
    assert _sent("goals.closing_due") == sorted([(mentor.pk, closing), (mentee.pk, closing)])
    notification = Notification.objects.filter(kind="goals.closing_due").first()
    assert notification.url == f"/goals/pairs/{pair.code}/closing/"
