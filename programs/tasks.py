"""Background jobs of stages 1 and 2: thin wrappers that take ids and call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(soft_time_limit=300, time_limit=360)
def appeal_send_emails(appeal_ids: list[int]) -> int:
    """Email a batch of direct invitations; safe to run twice (each is recorded once)."""
    from .outreach import appeals_notify

    return appeals_notify(appeal_ids=appeal_ids)
