"""Surveys go out on their schedules: each request once, with a personal link; one reminder;
closed at the deadline. Run by `notifications.services.dispatch_due` (Celery beat).

The producers are registered in MetricsConfig.ready(). Each request and each reminder is
written by a service that claims it first (`request_send`, `request_remind`), so a repeated
or concurrent run never asks twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from matching.models import Mentorship
from programs.models import Program

from ..models import Survey, SurveyRequest, SurveySchedule
from .services import request_remind, request_send, requests_close

DEFAULT_REMIND_AFTER_DAYS = 5
Anchor = SurveySchedule.Anchor
Role = SurveyRequest.Role


@dataclass(frozen=True)
class Planned:
    person: object
    role: str
    mentorship: Mentorship
    occurrence: str
    due: date


def _today(now: datetime) -> date:
    return timezone.localtime(now).date()


def _recipients(schedule: SurveySchedule, pair: Mentorship) -> list[tuple[object, str]]:
    people = []
    if schedule.to_mentors:
        people.append((pair.mentor, Role.MENTOR))
    if schedule.to_mentees:
        people.append((pair.mentee, Role.MENTEE))
    manager = pair.mentee.manager
    if schedule.to_managers and manager is not None:
        people.append((manager, Role.MANAGER))
    return [(person, role) for person, role in people if person.is_active]


def planned_requests(schedule: SurveySchedule, today: date) -> list[Planned]:
    """Who should have this schedule's survey by `today`, while its window is still open.

    Relative schedules ask about each pair (a mentor of two mentees answers for each);
    a fixed date asks each person once. A window that passed is not sent late.
    """
    pairs = Mentorship.objects.filter(program_id=schedule.survey.program_id).select_related(
        "mentor", "mentee__manager"
    )
    window = timedelta(days=schedule.open_days)
    offset = timedelta(days=schedule.offset_days)
    if schedule.anchor == Anchor.PAIR_START:
        pairs = pairs.filter(
            status=Mentorship.Status.ACTIVE,
            starts_on__lte=today - offset,
            starts_on__gt=today - offset - window,
        )
    elif schedule.anchor == Anchor.PAIR_END:
        pairs = pairs.filter(
            status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.COMPLETED],
            deadline__lte=today - offset,
            deadline__gt=today - offset - window,
        )
    else:
        if not schedule.send_on <= today < schedule.send_on + window:
            return []
        pairs = pairs.filter(
            status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.COMPLETED],
            starts_on__lte=schedule.send_on,
        )
    planned: list[Planned] = []
    seen: set[int] = set()
    for pair in pairs.order_by("pk"):
        for person, role in _recipients(schedule, pair):
            if schedule.anchor == Anchor.FIXED:
                if person.pk in seen:
                    continue
                seen.add(person.pk)
                occurrence, due = f"s{schedule.pk}:fixed", schedule.send_on
            else:
                anchor = pair.starts_on if schedule.anchor == Anchor.PAIR_START else pair.deadline
                occurrence, due = f"s{schedule.pk}:pair:{pair.pk}", anchor + offset
            planned.append(Planned(person, role, pair, occurrence, due))
    return planned


def requests_send_due(now: datetime | None = None) -> int:
    """Create and send every request that is due; returns how many went out."""
    now = now or timezone.now()
    today = _today(now)
    schedules = (
        SurveySchedule.objects.filter(survey__status=Survey.Status.ACTIVE)
        .exclude(survey__program__status=Program.Status.DRAFT)
        .select_related("survey__program")
        .order_by("pk")
    )
    sent = 0
    for schedule in schedules:
        planned = planned_requests(schedule, today)
        if not planned:
            continue
        # Looked up across surveys: a new version of the survey keeps the schedule, and
        # its occurrences, so whoever answered the old version is not asked again.
        already = set(
            SurveyRequest.objects.filter(
                occurrence__in={item.occurrence for item in planned}
            ).values_list("person_id", "occurrence")
        )
        for item in planned:
            if (item.person.pk, item.occurrence) not in already:
                sent += request_send(
                    schedule=schedule,
                    person=item.person,
                    role=item.role,
                    mentorship=item.mentorship,
                    occurrence=item.occurrence,
                    due=item.due,
                )
    return sent


def requests_remind(now: datetime | None = None) -> int:
    """One reminder per unanswered request, N days after it was sent, before it closes."""
    now = now or timezone.now()
    candidates = SurveyRequest.objects.filter(
        status=SurveyRequest.Status.OPEN,
        reminded_at__isnull=True,
        closes_at__gt=now,
        created_at__lte=now - timedelta(days=1),
    ).select_related("schedule", "person", "survey__program")
    sent = 0
    for request in candidates:
        days = request.schedule.remind_after_days if request.schedule else DEFAULT_REMIND_AFTER_DAYS
        if request.created_at > now - timedelta(days=days):
            continue
        sent += request_remind(request=request, now=now)
    return sent


def close_survey_requests(now: datetime) -> int:
    return requests_close(now)


def send_survey_requests(now: datetime) -> int:
    return requests_send_due(now)


def remind_survey_requests(now: datetime) -> int:
    return requests_remind(now)
