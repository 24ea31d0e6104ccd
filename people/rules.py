"""Object permissions of the directory (django-rules predicates)."""

from __future__ import annotations

import rules


@rules.predicate
def is_hr(user) -> bool:
    return bool(user and user.is_authenticated and user.is_hr)


@rules.predicate
def is_manager(user) -> bool:
    return bool(user and user.is_authenticated and user.is_manager)


rules.add_perm("people.manage_directory", is_hr)
rules.add_perm("people.grant_hr", is_hr)
