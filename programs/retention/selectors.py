"""Reads of the retention rule for closed programs' personal texts."""

from __future__ import annotations

import calendar
from datetime import date, datetime

from audit.models import Entry

from ..hooks import PersonalDataExpiry, program_personal_data_expire
from ..models import Program


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months, on the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def personal_data_delete_on(program: Program) -> date | None:
    """The day the rule deletes the program's personal texts: its end plus the months HR
    chose. None when HR keeps them until deleting them by hand."""
    if program.personal_data_months is None:
        return None
    return add_months(program.ends_on, program.personal_data_months)


def personal_data_deleted_at(program: Program) -> datetime | None:
    """When the program's personal texts were last deleted (from the audit log)."""
    entry = (
        Entry.objects.filter(
            action=Entry.Action.PROGRAM_PERSONAL_DATA_DELETED,
            target_type=Program._meta.label_lower,
            target_id=str(program.code),
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return entry.created_at if entry else None


def personal_data_expiries(program: Program) -> list[PersonalDataExpiry]:
    """What each app would delete for the program now, in stage order."""
    return [expiry for expiry in (item(program) for item in program_personal_data_expire) if expiry]


def programs_due(today: date) -> list[Program]:
    """Closed programs whose retention period has passed by `today`."""
    candidates = Program.objects.filter(
        status=Program.Status.CLOSED, personal_data_months__isnull=False, ends_on__lt=today
    )
    return [program for program in candidates if personal_data_delete_on(program) <= today]


def retention_summary(program: Program) -> dict:
    """What HR and participants are told about the program's personal texts."""
    return {
        "months": program.personal_data_months,
        "delete_on": personal_data_delete_on(program),
        "deleted_at": personal_data_deleted_at(program),
        "closed": program.status == Program.Status.CLOSED,
    }
