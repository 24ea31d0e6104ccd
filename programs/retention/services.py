"""Writes of the retention rule: deleting a closed program's personal texts.

Every app that holds texts people wrote in a program answers
`programs.hooks.program_personal_data_expire`; this module runs them for one program in
one transaction, records it in the audit log and tells HR. The daily rule
(`programs_personal_data_expire`) does it for every closed program whose end plus the
months HR chose has passed; HR may also do it at once ("delete now").
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from notifications.models import Notification
from notifications.services import notify, object_key
from people.models import User
from people.personal_data import ERASED_TEXT

from ..hooks import PersonalDataExpiry
from ..models import Program
from .selectors import personal_data_deleted_at, personal_data_expiries, programs_due

logger = logging.getLogger(__name__)

# --- replacing texts: the helpers every app's `program_personal_data_expire` item uses ---
# A text counts as gone once it is empty or holds `ERASED_TEXT`, so counting and replacing
# skip what is already gone and a second run changes nothing.

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


# --- deleting a program's texts -------------------------------------------------------


def _purge(*, program: Program, by: User | None, request=None) -> int | None:
    """Run every app's item; record and tell HR when something changed or on the first
    run. Returns the number of texts changed, or None when there was nothing to do."""
    already = personal_data_deleted_at(program) is not None
    changed = {expiry.description: expiry.apply() for expiry in personal_data_expiries(program)}
    count = sum(changed.values())
    if already and not count:
        return None
    entry = audit_record(
        actor=by,
        action=Action.PROGRAM_PERSONAL_DATA_DELETED,
        target=program,
        details={"count": count, "months": program.personal_data_months},
        request=request,
    )
    recipients = User.objects.hr_admins().exclude(pk__in=[by.pk] if by else [])
    for recipient in recipients:
        notify(
            kind="programs.personal_data_deleted",
            recipient=recipient,
            target=program,
            occasion=f"entry-{entry.pk}",
            context={"program": program, "count": count, "by": by},
            url=reverse("programs:personal_data", args=[program.slug]),
        )
    return count


def _names_match(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


@transaction.atomic
def program_personal_data_delete(
    *, program: Program, by: User, confirm_name: str, request=None
) -> int:
    """HR deletes a closed program's personal texts now, having typed its name.

    Returns how many texts were replaced. Raises `ValidationError` when the program is
    not closed, the name does not match, or nothing is left to delete.
    """
    # Lock the program so HR's click and the daily rule do not both record a deletion.
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.status != Program.Status.CLOSED:
        raise ValidationError(
            _("Only a closed program's personal texts can be deleted. Close the program first.")
        )
    if not _names_match(confirm_name or "", program.name):
        raise ValidationError(
            {
                "confirm_name": _("This is not the program's name. Type “%(name)s” to confirm.")
                % {"name": program.name}
            }
        )
    count = _purge(program=program, by=by, request=request)
    if count is None:
        raise ValidationError(_("The personal texts of this program have already been deleted."))
    return count


def programs_personal_data_expire(*, now: datetime) -> int:
    """The daily rule: delete the personal texts of every closed program whose end plus
    `personal_data_months` has passed. Each program in its own transaction, so one that
    fails is logged and retried the next day without holding back the others. Texts
    written after a deletion go on the next run; a run with nothing to do records
    nothing. Returns how many texts were replaced."""
    total = 0
    for program in programs_due(timezone.localdate(now)):
        try:
            with transaction.atomic():
                locked = Program.objects.select_for_update().get(pk=program.pk)
                if locked.status != Program.Status.CLOSED:
                    continue
                total += _purge(program=locked, by=None) or 0
        except Exception:
            logger.exception("Retention of %s's personal texts failed", program.slug)
    return total
