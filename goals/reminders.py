"""Periodic reminders of stage 5, run by `notifications.services.dispatch_due` (Celery beat).

Imported from GoalsConfig.ready() so the producers are registered in every process. Each
reminder's occasion is tied to the date it is about, so it is sent once, and again only
when that date moves; `notify`'s unique key makes overlapping runs harmless.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from matching.models import Mentorship
from notifications.models import Notification
from notifications.services import notify, object_key

from .agreements.services import program_settings_for
from .closing.selectors import closing_url
from .common import hr_contacts, pair_url, plan_url
from .meetings.selectors import meeting_url
from .models import ActionStep, ClosingReview, Meeting

MEETING_AHEAD = timedelta(hours=24)
STEP_DUE_AHEAD_DAYS = 2
DEADLINE_AHEAD_DAYS = 14
GAP_FACTOR = 1.5


def _already(kind: str, targets) -> set[tuple[str, str, int]]:
    """(object key, occasion, recipient) already recorded: skips rendering emails again."""
    keys = [object_key(t) for t in targets]
    if not keys:
        return set()
    return set(
        Notification.objects.filter(kind=kind, object_key__in=keys).values_list(
            "object_key", "occasion", "recipient_id"
        )
    )


def _send(sent_before, *, kind, recipient, target, occasion, **kwargs) -> int:
    if (object_key(target), occasion, recipient.pk) in sent_before:
        return 0
    return (
        notify(kind=kind, recipient=recipient, target=target, occasion=occasion, **kwargs)
        is not None
    )


def _today(now: datetime):
    return timezone.localtime(now).date()


def meeting_reminders(now: datetime) -> int:
    """Both members, the day before a meeting (within the next 24 hours)."""
    kind = "goals.meeting_reminder"
    meetings = list(
        Meeting.objects.scheduled()
        .filter(
            starts_at__gt=now,
            starts_at__lte=now + MEETING_AHEAD,
            mentorship__status=Mentorship.Status.ACTIVE,
        )
        .select_related("mentorship__mentor", "mentorship__mentee", "mentorship__program")
    )
    before = _already(kind, meetings)
    sent = 0
    for meeting in meetings:
        mentorship = meeting.mentorship
        for person in (mentorship.mentor, mentorship.mentee):
            sent += _send(
                before,
                kind=kind,
                recipient=person,
                target=meeting,
                occasion=f"day-before-{meeting.starts_at.isoformat()}",
                context={
                    "meeting": meeting,
                    "mentorship": mentorship,
                    "time_zone": settings.TIME_ZONE,
                },
                url=meeting_url(meeting),
            )
    return sent


def goals_missing(now: datetime) -> int:
    """The mentor, N days after the start without goals; again with HR copied after 2N."""
    today = _today(now)
    pairs = list(
        Mentorship.objects.active()
        .filter(starts_on__isnull=False, starts_on__lte=today)
        .annotate(goal_count=Count("goals"))
        .filter(goal_count=0)
        .select_related("program__created_by", "mentor", "mentee")
    )
    before = _already("goals.goals_missing", pairs) | _already("goals.goals_missing_hr", pairs)
    days_by_program: dict[int, int] = {}
    sent = 0
    for pair in pairs:
        if pair.program_id not in days_by_program:
            days_by_program[pair.program_id] = program_settings_for(pair.program).goals_due_days
        n = days_by_program[pair.program_id]
        waited = (today - pair.starts_on).days
        context = {"mentorship": pair, "days": waited, "due_days": n}
        if waited >= n:
            sent += _send(
                before,
                kind="goals.goals_missing",
                recipient=pair.mentor,
                target=pair,
                occasion=f"after-{n}-days",
                context=context,
                url=plan_url(pair),
            )
        if waited >= 2 * n:
            sent += _send(
                before,
                kind="goals.goals_missing",
                recipient=pair.mentor,
                target=pair,
                occasion=f"after-{2 * n}-days",
                context=context,
                url=plan_url(pair),
            )
            for person in hr_contacts(pair.program):
                sent += _send(
                    before,
                    kind="goals.goals_missing_hr",
                    recipient=person,
                    target=pair,
                    occasion=f"after-{2 * n}-days",
                    context=context,
                    url=pair_url(pair),
                )
    return sent


def step_reminders(now: datetime) -> int:
    """The step's owner, two days before it is due, and once when it is overdue."""
    today = _today(now)
    steps = list(
        ActionStep.objects.pending()
        .filter(
            due_on__lte=today + timedelta(days=STEP_DUE_AHEAD_DAYS),
            goal__mentorship__status=Mentorship.Status.ACTIVE,
        )
        .exclude(goal__status__in=["achieved", "dropped"])
        .select_related("goal__mentorship__mentor", "goal__mentorship__mentee")
    )
    before = _already("goals.step_due", steps) | _already("goals.step_overdue", steps)
    sent = 0
    for step in steps:
        mentorship = step.goal.mentorship
        owner = mentorship.mentor if step.owner == ActionStep.Owner.MENTOR else mentorship.mentee
        overdue = step.due_on < today
        sent += _send(
            before,
            kind="goals.step_overdue" if overdue else "goals.step_due",
            recipient=owner,
            target=step,
            occasion=f"{'overdue' if overdue else 'due'}-{step.due_on.isoformat()}",
            context={"step": step, "goal": step.goal, "mentorship": mentorship},
            url=plan_url(mentorship),
        )
    return sent


def meeting_gap(now: datetime) -> int:
    """Both members, when no meeting was held for 1.5 times the agreed cadence."""
    pairs = list(
        Mentorship.objects.active()
        .annotate(
            last_held=Max("meetings__starts_at", filter=Q(meetings__status=Meeting.Status.HELD)),
            ahead=Count(
                "meetings",
                filter=Q(meetings__status=Meeting.Status.SCHEDULED, meetings__starts_at__gt=now),
            ),
            cadence=Coalesce(F("agreement__cadence_days"), F("program__meeting_every_days")),
        )
        .filter(ahead=0)
        .select_related("mentor", "mentee")
    )
    before = _already("goals.meeting_gap", pairs)
    sent = 0
    for pair in pairs:
        if pair.last_held is not None:
            since = timezone.localtime(pair.last_held).date()
        elif pair.starts_on is not None:
            since = pair.starts_on
        else:
            continue
        gap = (_today(now) - since).days
        if gap < GAP_FACTOR * pair.cadence:
            continue
        for person in (pair.mentor, pair.mentee):
            sent += _send(
                before,
                kind="goals.meeting_gap",
                recipient=person,
                target=pair,
                occasion=f"since-{since.isoformat()}",
                context={"mentorship": pair, "days": gap, "cadence": pair.cadence},
                url=pair_url(pair),
            )
    return sent


def deadline_reminders(now: datetime) -> int:
    """Both members 14 days before the deadline; at the deadline, the closing review."""
    today = _today(now)
    pairs = list(
        Mentorship.objects.active()
        .filter(deadline__isnull=False, deadline__lte=today + timedelta(days=DEADLINE_AHEAD_DAYS))
        .select_related("mentor", "mentee")
    )
    before = _already("goals.deadline_soon", pairs) | _already("goals.closing_due", pairs)
    reviewed = set(
        ClosingReview.objects.filter(mentorship__in=pairs).values_list("mentorship_id", "role")
    )
    sent = 0
    for pair in pairs:
        closing = pair.deadline <= today
        for person, role in ((pair.mentor, "mentor"), (pair.mentee, "mentee")):
            if closing and (pair.pk, role) in reviewed:
                continue
            sent += _send(
                before,
                kind="goals.closing_due" if closing else "goals.deadline_soon",
                recipient=person,
                target=pair,
                occasion=f"{'closing' if closing else 'soon'}-{pair.deadline.isoformat()}",
                context={"mentorship": pair, "days": (pair.deadline - today).days},
                url=closing_url(pair),
            )
    return sent
