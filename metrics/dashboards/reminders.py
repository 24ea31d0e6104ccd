"""The dashboards' periodic producer: today's snapshot of every indicator, for the trends.
Run by `notifications.services.dispatch_due` (Celery beat); registered in MetricsConfig.ready().
"""

from __future__ import annotations

from datetime import datetime

from .services import snapshots_record


def record_snapshots(now: datetime) -> int:
    return snapshots_record(now=now)
