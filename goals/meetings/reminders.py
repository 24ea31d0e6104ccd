"""Periodic reminders of meetings: the day before a meeting, and when the pair stops meeting."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from matching.models import Mentorship

from ..common import pair_url
from ..models import Meeting
from ..reminding import already_sent, local_today, send_once
from .selectors import meeting_url

MEETING_AHEAD = timedelta(hours=24)
GAP_FACTOR = 1.5


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
    before = already_sent(kind, meetings)
    sent = 0
    for meeting in meetings:
        mentorship = meeting.mentorship
        for person in (mentorship.mentor, mentorship.mentee):
            sent += send_once(
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
    before = already_sent("goals.meeting_gap", pairs)
    sent = 0
    for pair in pairs:
        if pair.last_held is not None:
            since = timezone.localtime(pair.last_held).date()
        elif pair.starts_on is not None:
            since = pair.starts_on
        else:
            continue
        gap = (local_today(now) - since).days
        if gap < GAP_FACTOR * pair.cadence:
            continue
        for person in (pair.mentor, pair.mentee):
            sent += send_once(
                before,
                kind="goals.meeting_gap",
                recipient=person,
                target=pair,
                occasion=f"since-{since.isoformat()}",
                context={"mentorship": pair, "days": gap, "cadence": pair.cadence},
                url=pair_url(pair),
            )
    return sent
