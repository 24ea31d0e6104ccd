from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(soft_time_limit=60, time_limit=90)
def send_notification_email(notification_id: int) -> bool:
    return services.notification_send_email(notification_id)


@shared_task(soft_time_limit=600, time_limit=660)
def dispatch_due() -> dict[str, int]:
    return services.dispatch_due()
