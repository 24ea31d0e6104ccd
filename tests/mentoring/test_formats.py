"""Dates read day-month in both languages, with a 24-hour clock; ages say "ago"."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone, translation
from django.utils.formats import date_format, time_format

from notifications.models import Notification
from notifications.services import notify


def test_a_date_reads_day_month_year_in_spanish_and_in_english():
    day = date(2026, 12, 1)
    with translation.override("es"):
        assert date_format(day, "DATE_FORMAT") == "1 dic 2026"
        assert date_format(day, "SHORT_DATE_FORMAT") == "01/12/2026"
    with translation.override("en"):
        assert date_format(day, "DATE_FORMAT") == "1 Dec 2026"
        assert date_format(day, "SHORT_DATE_FORMAT") == "01/12/2026"  # not 12/01/2026


def test_times_use_the_24_hour_clock_in_english_too():
    moment = datetime(2026, 12, 1, 9, 0)
    with translation.override("en"):
        assert time_format(moment.time(), "TIME_FORMAT") == "09:00"  # not "9 a.m."
        assert date_format(moment, "DATETIME_FORMAT") == "1 Dec 2026, 09:00"


def test_a_notification_says_how_long_ago_it_came(client, mentee):
    notify(kind="matching.request_expired", recipient=mentee, target=None, context={}, url="/")
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=4))
    client.force_login(mentee)

    html = client.get("/notifications/").content.decode()
    assert "hace 4\xa0minutos" in html

    mentee.language = "en"
    mentee.save(update_fields=["language"])
    html = client.get("/notifications/").content.decode()
    assert "4\xa0minutes ago" in html
