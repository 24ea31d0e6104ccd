"""Every write of the dashboards: the daily snapshots of the indicators that draw the trends."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from programs.models import Program

from ..indicators import compute_many
from ..models import IndicatorSnapshot

# Programs whose indicators are recorded every day for the trends.
TRACKED_STATUSES = (Program.Status.RECRUITING, Program.Status.MATCHING, Program.Status.RUNNING)


@transaction.atomic
def snapshots_record(*, now: datetime | None = None, programs=None) -> int:
    """Record today's value of every indicator of each tracked program, once a day.

    Programs that already have today's snapshots are skipped, and the unique constraint
    (program, indicator, day) with `ignore_conflicts` makes a concurrent run harmless.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if programs is None:
        programs = Program.objects.filter(status__in=TRACKED_STATUSES)
    done = IndicatorSnapshot.objects.filter(day=today).values("program")
    programs = list(programs.exclude(pk__in=done))
    if not programs:
        return 0
    values = compute_many(programs, now=now)
    rows = [
        IndicatorSnapshot(
            program=program,
            indicator=code,
            day=today,
            value=None if value is None else Decimal(str(value)),
        )
        for program in programs
        for code, value in values[program.pk].items()
    ]
    IndicatorSnapshot.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
