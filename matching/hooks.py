"""Extension points of stage 3 that later stages plug into (see `core.hooks`).

Later stages register in their `AppConfig.ready()`; this app never names them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from core.hooks import Hook

pair_sections: Hook[Callable[[HttpRequest, object, str], dict | None]] = Hook(
    "matching.pair_sections",
    """Sections added to a pair's page (agreement, goals, meetings). Called with (request,
    mentorship, viewer role: "mentor", "mentee", "manager" or "hr"); returns None or a dict
    with the "template" to include and what that template needs (given as `section`).
    """,
)

matching_gates: Hook[Callable[[object, object, str], list[str]]] = Hook(
    "matching.matching_gates",
    """What keeps a person from requesting (mentee) or accepting (mentor) yet, when the
    program requires training first. Called with (program, person, role); returns the list
    of problems in words the person can act on (empty when nothing is missing).
    """,
)

mentorship_started: Hook[Callable[[object], None]] = Hook(
    "matching.mentorship_started",
    """Called with the mentorship once a pair has started and the transaction committed
    (goals opens the pair's agreement).
    """,
)

mentorship_ended: Hook[Callable[[object], None]] = Hook(
    "matching.mentorship_ended",
    """Called with the mentorship once a pair has ended early and the transaction committed
    (goals cancels its future meetings).
    """,
)
