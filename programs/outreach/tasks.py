"""Background jobs of outreach: thin wrappers that take ids and call a service."""

from __future__ import annotations

from celery import shared_task


# Named as before the move to this package, so jobs already queued still find it.
@shared_task(name="programs.tasks.appeal_send_emails", soft_time_limit=300, time_limit=360)
def appeal_send_emails(appeal_ids: list[int]) -> int:
    """Email a batch of direct invitations; safe to run twice (each is recorded once)."""
    from .services import appeals_notify

    return appeals_notify(appeal_ids=appeal_ids)
