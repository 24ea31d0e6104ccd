"""Periodic reminders of required training, run by `notifications.services.dispatch_due`.

Registered from TrainingConfig.ready() so the producer runs in every process.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify, object_key
from programs.models import Application

from ..models import Requirement
from ..modules.selectors import ACTIVE_STATUSES, completions_of, pick, translations

DUE_KIND = "training.due_reminder"
# Reminder windows before a due date: a week ahead, then the day before (or on the day).
WEEK, DAY = 7, 1


def due_window(due_on: date, today: date) -> str | None:
    """Which reminder window `due_on` is in today ("week", "day"), or None."""
    days = (due_on - today).days
    if days < 0 or days > WEEK:
        return None
    return "day" if days <= DAY else "week"


def due_occasion(window: str, due_on: date) -> str:
    # One reminder per window and due date: moving a deadline earns a fresh reminder.
    return f"{window}-before-{due_on.isoformat()}"


def due_reminders(now: datetime) -> int:
    """Remind people of required modules they have not finished, a week and a day before.

    The window is set by the person's next deadline; the email lists everything still to
    do in that program, soonest first.
    """
    today = timezone.localdate(now)
    requirements = list(
        Requirement.objects.filter(
            program__status__in=ACTIVE_STATUSES,
            program__starts_on__gte=today - timedelta(days=365),
            program__starts_on__lte=today + timedelta(days=365 + WEEK),
        ).select_related("program", "module")
    )
    # Only programs with a deadline in a window need their people loaded.
    programs = {r.program_id: r.program for r in requirements if due_window(r.due_on, today)}
    if not programs:
        return 0
    by_enrolment: dict[tuple[int, str], list[Requirement]] = defaultdict(list)
    for requirement in sorted(requirements, key=lambda r: (r.due_on, r.pk)):
        if requirement.program_id in programs and requirement.due_on >= today:
            by_enrolment[(requirement.program_id, requirement.role)].append(requirement)
    enrolments = [
        application
        for application in Application.objects.enrolled()
        .filter(program_id__in=programs, person__is_active=True)
        .select_related("person")
        if (application.program_id, application.role) in by_enrolment
    ]
    families = {r.module.family for group in by_enrolment.values() for r in group}
    done = completions_of([a.person_id for a in enrolments], families)
    versions = translations(families)
    sent = 0
    for application in enrolments:
        application.program = programs[application.program_id]
        pending = [
            r
            for r in by_enrolment[(application.program_id, application.role)]
            if (application.person_id, r.module.family) not in done
        ]
        window = due_window(pending[0].due_on, today) if pending else None
        if window is None:
            continue
        first = pending[0].due_on
        occasion = due_occasion(window, first)
        # Skips rendering for people already reminded; notify's unique key is what
        # actually guarantees one reminder when two runs overlap.
        if Notification.objects.filter(
            kind=DUE_KIND,
            object_key=object_key(application),
            recipient_id=application.person_id,
            occasion=occasion,
        ).exists():
            continue
        language = application.person.language
        items = [
            {
                "module": pick(r.module, versions.get(r.module.family, []), language),
                "due_on": r.due_on,
            }
            for r in pending
        ]
        notification = notify(
            kind=DUE_KIND,
            recipient=application.person,
            target=application,
            occasion=occasion,
            context={
                "program": application.program,
                "items": items,
                "due_on": first,
                "days_left": (first - today).days,
            },
            url=reverse("training:my_training"),
        )
        sent += notification is not None
    return sent
