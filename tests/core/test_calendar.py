"""Calendar files (.ics): UTC times, escaped text, cancelled entries, refused input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from core.calendar import ics_build


def test_a_calendar_file_reads_back_with_utc_times_and_escaped_text(settings):
    settings.TIME_ZONE = "Europe/Madrid"
    starts = datetime(2031, 3, 3, 10, 30, tzinfo=ZoneInfo("Europe/Madrid"))
    text = ics_build(
        uid="infosession-abc@example.com",
        sequence=3,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        summary="Q&A; mentors, mentees\nand managers",
        description="Line one\nLine two, with; punctuation",
        location="Room 3, building B",
        url="https://meet.example.com/x",
        organizer_email="Mentoring <mentoring@example.com>",
        attendee_email="ana@example.com",
    )
    assert "\r\n" in text
    calendar = Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == "infosession-abc@example.com"
    assert event["SEQUENCE"] == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == datetime(2031, 3, 3, 9, 30, tzinfo=UTC)
    assert "DTSTART:20310303T093000Z" in text
    assert str(event["SUMMARY"]) == "Q&A; mentors, mentees\nand managers"
    assert str(event["LOCATION"]) == "Room 3, building B"
    assert str(event["ORGANIZER"]) == "mailto:mentoring@example.com"
    assert str(event["ATTENDEE"]) == "mailto:ana@example.com"


def test_a_cancel_calendar_file_marks_the_event_cancelled_and_bad_input_is_refused():
    starts = timezone.now()
    common = {
        "uid": "u@x",
        "sequence": 1,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "summary": "s",
    }
    calendar = Calendar.from_ical(ics_build(**common, method="CANCEL"))
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    with pytest.raises(ValueError):
        ics_build(**common, method="REPLY")
    with pytest.raises(ValueError):
        ics_build(**{**common, "starts_at": datetime(2031, 1, 1)})
