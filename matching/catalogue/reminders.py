"""Periodic work of the catalogue, registered with the notification mechanism in apps.py."""

from __future__ import annotations

from datetime import datetime

from .services import requests_expire


def expire_requests(now: datetime) -> int:
    return requests_expire(now)
