"""The day-before reminder of information sessions, run by `notifications.services.dispatch_due`.

Imported from ProgramsConfig.ready() so the producers are registered in every process.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from notifications.models import Notification
from notifications.services import notify, object_key

from ..models import InfoSession, Registration
from .selectors import OPEN_STATUSES

REMINDER_KIND = "programs.session_reminder"
REMINDER_AHEAD = timedelta(hours=24)


def reminder_occasion(session: InfoSession) -> str:
    # Tied to the start time: a session moved after its reminder went out gets a new one.
    return f"day-before-{session.starts_at.isoformat()}"


def session_reminders(now: datetime) -> int:
    """Remind registered people of sessions starting within the next 24 hours, once each."""
    sessions = InfoSession.objects.filter(
        cancelled_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_AHEAD,
        program__status__in=OPEN_STATUSES,
    ).select_related("program")
    sent = 0
    for session in sessions:
        occasion = reminder_occasion(session)
        # Skips rendering for people already reminded; notify's unique key is what
        # actually guarantees one reminder when two runs overlap.
        already = Notification.objects.filter(
            kind=REMINDER_KIND, object_key=object_key(session), occasion=occasion
        ).values("recipient_id")
        registrations = (
            session.registrations.filter(status=Registration.Status.REGISTERED)
            .exclude(person_id__in=already)
            .select_related("person")
        )
        for registration in registrations:
            notification = notify(
                kind=REMINDER_KIND,
                recipient=registration.person,
                target=session,
                occasion=occasion,
                context={
                    "session": session,
                    "program": session.program,
                    "registration": registration,
                    "time_zone": settings.TIME_ZONE,
                },
                url=f"{session.program.get_absolute_url()}#sessions",
            )
            sent += notification is not None
    return sent
