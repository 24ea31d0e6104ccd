"""Extension points of the directory (see `core.hooks`)."""

from __future__ import annotations

from collections.abc import Callable

from core.hooks import Hook

hr_role_granted: Hook[Callable[..., None]] = Hook(
    "people.hr_role_granted",
    """Called when someone becomes an HR admin, inside the transaction that grants the role.

    A listener receives keyword arguments `person` (the new HR admin), `by` (who granted the
    role) and `grant_id` (the id of the group membership: a new one at each grant, so a
    listener can key its work on it and a later grant after a revoke counts again). It
    returns nothing. The notifications app tells the person (`people.hr_role_granted`).
    """,
)
