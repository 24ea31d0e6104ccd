"""Calendar files (.ics) for anything with a start and an end: information sessions, meetings.

Generic on purpose: it knows nothing about the models, so later stages reuse it. `event_ics`
and `ics_uid` build the entry of an event (see `programs.events.selectors.event_ics`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Mentoring platform//Mentoring//EN"
METHODS = {"REQUEST", "CANCEL", "PUBLISH"}


def _address(email: str, *, name: str = "", **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    for key, value in params.items():
        address.params[key.replace("_", "-").upper()] = value
    return address


def ics_build(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
    organizer_email: str = "",
    attendee_email: str = "",
    method: str = "REQUEST",
    cancelled: bool = False,
) -> str:
    """One VEVENT in a VCALENDAR, as text with CRLF line endings.

    `uid` must stay the same for the life of the event and `sequence` must grow with
    each change, so calendar programs update (or, with CANCEL, remove) the copy they
    already have instead of adding another. Times are written in UTC. REQUEST and
    CANCEL are scheduling messages for one attendee (RFC 5546); PUBLISH is a plain
    download. CANCEL always marks the event cancelled; `cancelled` does it for a
    PUBLISH download too. `organizer_email` may be a "Name <address>" string.
    """
    method = method.upper()
    if method not in METHODS:
        raise ValueError(f"Unsupported calendar method: {method}")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("Calendar times must be timezone-aware.")

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if cancelled or method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer_email:
        name, email = parseaddr(organizer_email)
        if "@" not in email:  # e.g. an unquoted comma in the display name
            found = re.search(r"<([^<>]+@[^<>]+)>", organizer_email)
            name, email = "", found.group(1) if found else organizer_email
        event.add("organizer", _address(email, name=name))
    if attendee_email:
        event.add(
            "attendee",
            _address(
                attendee_email,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp="FALSE",
            ),
        )
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


# --- events ------------------------------------------------------------------------


def ics_uid(prefix: str, event) -> str:
    """Stable for the life of the event, so every update replaces the same calendar entry."""
    host = urlsplit(settings.SITE_URL).hostname or "mentoring"
    return f"{prefix}-{event.code}@{host}"


def event_ics(event, *, uid: str, page_url: str, attendee=None, method: str = "REQUEST") -> str:
    """The event's calendar entry; REQUEST/CANCEL for one attendee, PUBLISH to download."""
    return ics_build(
        uid=uid,
        sequence=event.ics_sequence,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=f"{event.title} · {event.program.name}",
        description="\n\n".join(
            part for part in (event.description.strip(), event.video_url, page_url) if part
        ),
        location=event.place or event.video_url,
        url=event.video_url or page_url,
        organizer_email=settings.DEFAULT_FROM_EMAIL,
        attendee_email=attendee.email if attendee is not None else "",
        method=method,
        cancelled=event.cancelled_at is not None,
    )
