"""Periodic producers: each stage registers a function that notifies whatever is due.

A producer takes the current time and calls `notifications.services.notify` for each
reminder that is due; `notify` records it under its unique key, so a producer may
run as often as it likes without sending anything twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Producer = Callable[[datetime], object]

_producers: dict[str, Producer] = {}


def register(name: str) -> Callable[[Producer], Producer]:
    def decorator(func: Producer) -> Producer:
        _producers[name] = func
        return func

    return decorator


def unregister(name: str) -> None:
    _producers.pop(name, None)


def producers() -> dict[str, Producer]:
    return dict(_producers)
