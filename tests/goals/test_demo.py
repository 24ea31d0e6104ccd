"""Stage 5 demo data: signed agreements, goals, meetings, and reminders due right away."""

from __future__ import annotations

from django.core.management import call_command

from goals.demo import seed_goals
from goals.models import ActionStep, Agreement, Goal, Meeting
from matching.models import Mentorship
from notifications.models import Notification
from notifications.services import dispatch_due
from people.demo import DEMO_ACCOUNTS


def test_the_demo_has_plans_meetings_and_due_reminders_and_loads_twice(db):
    call_command("seed_demo", verbosity=0)  # seeds the goals stage too
    again = seed_goals(DEMO_ACCOUNTS)
    assert Goal.objects.exists() and Meeting.objects.exists()
    assert again == {"agreements": 0, "goals": 0, "steps": 0, "meetings": 0}

    demo = Mentorship.objects.get(mentee__email=DEMO_ACCOUNTS["mentee"], status="active")
    assert Agreement.objects.get(mentorship=demo).is_signed
    assert Goal.objects.filter(mentorship=demo, review="agreed").count() == 2
    assert any(s.is_overdue() for s in ActionStep.objects.filter(goal__mentorship=demo))
    assert Meeting.objects.filter(mentorship=demo, status="held").exclude(shared_notes="").exists()
    assert Meeting.objects.filter(mentorship=demo, status="scheduled").count() == 1
    assert Agreement.objects.filter(mentor_signed_at__isnull=False).count() >= 7

    dispatch_due()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {
        "goals.meeting_reminder",
        "goals.step_overdue",
        "goals.deadline_soon",
        "goals.goals_missing",
    } <= kinds
    before = Notification.objects.count()
    dispatch_due()
    assert Notification.objects.count() == before
