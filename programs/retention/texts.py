"""Replacing free texts for the retention rule: one helper that every app's item uses.

A text counts as gone once it is empty or holds `people.personal_data.ERASED_TEXT`, so
counting and replacing skip what is already gone and a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db.models import Q, QuerySet

from notifications.models import Notification
from notifications.services import object_key
from people.personal_data import ERASED_TEXT

from ..hooks import PersonalDataExpiry

TextFields = Sequence[tuple[QuerySet, str]]


def _left(queryset: QuerySet, field: str) -> QuerySet:
    return queryset.exclude(Q(**{field: ""}) | Q(**{field: ERASED_TEXT}))


def texts_left(fields: TextFields) -> int:
    """How many of these text fields still hold something."""
    return sum(_left(queryset, field).count() for queryset, field in fields)


def texts_erase(fields: TextFields) -> int:
    """Replace what these text fields still hold; returns how many texts changed."""
    return sum(_left(queryset, field).update(**{field: ERASED_TEXT}) for queryset, field in fields)


def _emails_about(querysets: Sequence[QuerySet]) -> QuerySet:
    """Notifications about these rows whose email body is still kept. An email being sent
    at this moment is left for the next run."""
    keys = [object_key(row) for queryset in querysets for row in queryset.only("pk")]
    return (
        Notification.objects.filter(object_key__in=keys)
        .exclude(email_status=Notification.EmailStatus.SENDING)
        .exclude(text_body="", html_body="", attachments=[])
    )


def _emails_clear(querysets: Sequence[QuerySet]) -> int:
    emails = _emails_about(querysets)
    # Months after the program closed, an email still waiting is one that never went out:
    # it is dropped rather than sent empty.
    emails.filter(
        email_status__in=[Notification.EmailStatus.PENDING, Notification.EmailStatus.FAILED]
    ).update(email_status=Notification.EmailStatus.NONE)
    return emails.update(text_body="", html_body="", attachments=[], last_error="")


def expiry(
    description: str,
    fields: TextFields,
    *,
    emails_about: Sequence[QuerySet] = (),
    extra_count: Callable[[], int] | None = None,
    extra_apply: Callable[[], int] | None = None,
) -> PersonalDataExpiry:
    """A `PersonalDataExpiry` over plain text fields, the bodies of the emails sent about
    the rows in `emails_about` (they quote the texts: a message, an agenda), and texts held
    in JSON (`extra_*`)."""

    def apply() -> int:
        emails = _emails_clear(emails_about)
        return texts_erase(fields) + emails + (extra_apply() if extra_apply else 0)

    return PersonalDataExpiry(
        count=texts_left(fields)
        + _emails_about(emails_about).count()
        + (extra_count() if extra_count else 0),
        description=description,
        apply=apply,
    )
