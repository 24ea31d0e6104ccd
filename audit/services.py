"""The one way to write to the audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import models, transaction

from .models import Entry

Action = Entry.Action


def _label(obj) -> str:
    if obj is None:
        return ""
    email = getattr(obj, "email", "")
    text = str(obj)
    return (f"{text} <{email}>" if email and email != text else text)[:400]


def _client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is written by the client unless a proxy we
    # control rewrites it (see docs/operations.md, "Audit log").
    address = (request.META.get("REMOTE_ADDR") or "").strip()
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


@transaction.atomic
def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    details: dict | None = None,
    request=None,
    person=None,
) -> Entry:
    """Record that `actor` did `action` (an `Entry.Action`) to `target`.

    `person` is the person the action concerns; it defaults to `target` when the target
    is a person. `request` gives where it came from (IP address and browser). Called
    inside the service's transaction, the entry is kept exactly when the change is.
    `actor` is None for the command line and periodic jobs.
    """
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    if person is None and target is not None and target._meta.label == settings.AUTH_USER_MODEL:
        person = target
    return Entry.objects.create(
        actor=actor,
        actor_label=_label(actor),
        action=action,
        person=person,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(getattr(target, "code", None) or target.pk) if target is not None else "",
        target_label=_label(target),
        details=details or {},
        ip_address=_client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:400],
    )
