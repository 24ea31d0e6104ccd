"""Extension points of stages 1–2 that later stages plug into (see `core.hooks`).

Later stages register in their `AppConfig.ready()`; this app never names them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise

from core.hooks import Hook


@dataclass(frozen=True)
class ClosingEffect:
    """What closing a program does to something a later stage owns (e.g. active pairs)."""

    count: int
    description: str
    apply: Callable[[], None]


@dataclass(frozen=True)
class Tab:
    """A tab of HR's program page: `url_name` is reversed with the program's slug."""

    key: str
    label: str | Promise
    url_name: str
    order: int
    only_for_mode: str | None = None  # a Program.MatchingMode value, or every mode


program_closing: Hook[Callable[..., ClosingEffect | None]] = Hook(
    "programs.program_closing",
    """Called with the program when HR is about to close it (the confirmation page) and when
    it closes. Returns None, or a `ClosingEffect` whose `description` HR reads before
    confirming and whose `apply()` runs inside the closing transaction.
    """,
)

program_page_sections: Hook[Callable[[HttpRequest, object], dict | None]] = Hook(
    "programs.program_page_sections",
    """Sections added to the employees' program page. Called with (request, program); returns
    None or a dict with the "template" to include and what it needs (given as `section`).
    """,
)


@dataclass(frozen=True)
class Action:
    """A link offered to an employee on the program page (a button)."""

    label: str | Promise
    url: str


application_actions: Hook[Callable[[object, object], list[Action]]] = Hook(
    "programs.application_actions",
    """Next steps offered on the program page to a person whose application was approved.
    Called with (program, application); returns the `Action` links that apply (for example
    the mentor catalogue for a mentee), or an empty list.
    """,
)

program_tabs: Hook[Tab] = Hook(
    "programs.program_tabs",
    """Tabs of HR's program page, shown in `order` when their URL reverses. Register `Tab`
    values; their `key` is what a view passes as the active tab.
    """,
)

status_change_warnings: Hook[Callable[[object, str], list[str]]] = Hook(
    "programs.status_change_warnings",
    """Called with (program, target status) on the confirmation page of a status change and
    again when it happens. Returns what HR should read before confirming (e.g. everyone still
    without a mentor when the program starts running), or an empty list. When any listener
    has something to say, HR must tick a confirmation before the change goes through.
    """,
)


@dataclass(frozen=True)
class PersonalDataExpiry:
    """The personal texts an app holds for one closed program, and how to delete them."""

    count: int  # texts that would go now (0 once they are gone)
    description: str  # what goes and what stays, read by HR before confirming
    apply: Callable[[], int]  # deletes them; returns how many texts it changed


program_personal_data_expire: Hook[Callable[..., PersonalDataExpiry | None]] = Hook(
    "programs.program_personal_data_expire",
    """Called with the `program` (closed) when its personal texts are about to be deleted:
    on HR's "delete now" page, and when its retention period has passed (the daily rule)
    or HR confirms. Returns None or a `PersonalDataExpiry`. Its `apply()` runs inside the
    program's transaction and replaces the free texts people wrote in that program with
    `people.personal_data.ERASED_TEXT`, keeping the rows, statuses, dates and ratings
    that counts and indicators need. It changes only texts not replaced yet, so running it
    twice changes nothing the second time (and returns 0).
    """,
)
