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

personal_data: Hook[Callable[..., dict | None]] = Hook(
    "people.personal_data",
    """Asked for everything an app holds about one person, for the export of their data.

    A listener receives the `person` and returns `None` (nothing held) or a dict of
    JSON-able data (dates and UUIDs are fine) whose keys name the app's sections, e.g.
    `{"applications": [...]}`; each value is a list of dicts or a dict. It returns only
    what concerns that person: rows they own or are party to, never another person's
    free texts about them that they could not see in the app.
    """,
)

personal_data_erase: Hook[Callable[..., None]] = Hook(
    "people.personal_data_erase",
    """Called when HR erases a person, inside the erasure's transaction.

    A listener receives the `person` and replaces the free texts that person wrote in the
    app's rows with a neutral placeholder (`people.personal_data.ERASED_TEXT`). Rows stay,
    so pairs, counts and indicators keep counting; it returns nothing.
    """,
)

person_deactivated: Hook[Callable[..., None]] = Hook(
    "people.person_deactivated",
    """Called when HR deactivates someone, inside the transaction that saves them.

    A listener receives keyword arguments `person` (already saved as inactive) and `by` (the
    HR admin, or None). It returns nothing. Matching passes the mentor requests the person
    held on to each mentee's next choice and withdraws the requests they sent.
    """,
)
