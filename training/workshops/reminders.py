"""Periodic reminders of workshops, run by `notifications.services.dispatch_due`.

Registered from TrainingConfig.ready() so the producer runs in every process.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify, object_key

from ..models import Workshop, WorkshopRegistration
from ..modules.selectors import ACTIVE_STATUSES

WORKSHOP_KIND = "training.workshop_reminder"


def workshop_reminder_occasion(workshop: Workshop) -> str:
    return f"day-before-{workshop.starts_at.isoformat()}"


def workshop_reminders(now: datetime) -> int:
    """Remind registered people of workshops starting within the next 24 hours, once each."""
    workshops = Workshop.objects.filter(
        cancelled_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=24),
        program__status__in=ACTIVE_STATUSES,
    ).select_related("program")
    sent = 0
    for workshop in workshops:
        occasion = workshop_reminder_occasion(workshop)
        already = Notification.objects.filter(
            kind=WORKSHOP_KIND, object_key=object_key(workshop), occasion=occasion
        ).values("recipient_id")
        registrations = (
            workshop.registrations.filter(status=WorkshopRegistration.Status.REGISTERED)
            .exclude(person_id__in=already)
            .select_related("person")
        )
        for registration in registrations:
            notification = notify(
                kind=WORKSHOP_KIND,
                recipient=registration.person,
                target=workshop,
                occasion=occasion,
                context={
                    "session": workshop,
                    "workshop": workshop,
                    "program": workshop.program,
                    "time_zone": settings.TIME_ZONE,
                },
                url=reverse("training:my_training") + "#workshops",
            )
            sent += notification is not None
    return sent
