"""Stage 5: meetings with calendar invites, their log and notes, and the private calendar feed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from icalendar import Calendar

from goals.meetings.selectors import meeting_ics_uid
from goals.meetings.services import (
    NextStep,
    feed_for,
    meeting_cancel,
    meeting_log,
    meeting_update,
    private_note_save,
)
from goals.models import ActionStep, CalendarFeed, Meeting, PrivateNote
from notifications.models import Notification
from tests.goals.conftest import a_goal, a_meeting

HOSTILE = "Línea 1\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:pwned; a,b\\ <script>alert(1)</script>"


def _invites(meeting, kind):
    found = Notification.objects.filter(kind=kind, object_key=f"goals.meeting:{meeting.pk}")
    return {n.recipient_id: n for n in found}


def _event(ics_text: str):
    calendar = Calendar.from_ical(ics_text)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_scheduling_emails_both_an_ics_invite(
    pair, mentor, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = a_meeting(pair, mode="in_person", place="Sala 2", video_url="")
    invites = _invites(meeting, "goals.meeting_scheduled")
    assert set(invites) == {mentor.pk, mentee.pk}
    assert sorted(m.to[0] for m in mail.outbox if "invite.ics" in str(m.attachments)) == sorted(
        [mentor.email, mentee.email]
    )
    attachment = invites[mentee.pk].attachments[0]
    assert (attachment["filename"], attachment["mimetype"]) == ("invite.ics", "text/calendar")
    calendar, event = _event(attachment["content"])
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == meeting_ics_uid(meeting)
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=60)
    assert str(event["LOCATION"]) == "Sala 2"
    assert "mailto:mentee@example.com" in str(event["ATTENDEE"])


def test_a_meeting_is_scheduled_in_the_future_within_the_partnership(pair):
    for starts_at in (
        timezone.now() - timedelta(minutes=5),
        timezone.now() + timedelta(days=(pair.deadline - timezone.localdate()).days + 2),
    ):
        with pytest.raises(ValidationError) as caught:
            a_meeting(pair, starts_at=starts_at)
        assert "starts_at" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        a_meeting(pair, mode="in_person", place=" ")
    assert "place" in caught.value.message_dict
    for link in ("", "javascript:alert(1)"):
        with pytest.raises(ValidationError) as caught:
            a_meeting(pair, mode="video", video_url=link)
        assert "video_url" in caught.value.message_dict


def test_moving_a_meeting_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    pair, mentor, mentee
):
    meeting = a_meeting(pair)
    meeting_update(meeting=meeting, by=mentee, version=meeting.version, agenda="New agenda")
    assert meeting.ics_sequence == 0
    assert not _invites(meeting, "goals.meeting_updated")
    later = meeting.starts_at + timedelta(hours=2)
    meeting_update(meeting=meeting, by=mentee, version=meeting.version, starts_at=later)
    assert meeting.ics_sequence == 1
    invites = _invites(meeting, "goals.meeting_updated")
    assert set(invites) == {mentor.pk, mentee.pk}
    _, event = _event(invites[mentor.pk].attachments[0]["content"])
    assert str(event["UID"]) == meeting_ics_uid(meeting)
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == later.replace(microsecond=0)


def test_cancelling_sends_a_cancellation_for_the_same_event(pair, mentor, mentee):
    meeting = a_meeting(pair)
    meeting_cancel(meeting=meeting, by=mentor, version=meeting.version)
    assert (meeting.status, meeting.ics_sequence) == ("cancelled", 1)
    invites = _invites(meeting, "goals.meeting_cancelled")
    assert set(invites) == {mentor.pk, mentee.pk}
    calendar, event = _event(invites[mentee.pk].attachments[0]["content"])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == meeting_ics_uid(meeting)
    assert event["SEQUENCE"] == 1
    with pytest.raises(ValidationError):
        meeting_cancel(meeting=meeting, by=mentor, version=meeting.version)


def test_hostile_agenda_text_stays_text_in_the_ics_and_the_emails(pair, mentee):
    meeting = a_meeting(pair, agenda=HOSTILE)
    invite = _invites(meeting, "goals.meeting_scheduled")[mentee.pk]
    _, event = _event(invite.attachments[0]["content"])
    assert str(event["DESCRIPTION"]).startswith(HOSTILE.replace("\r\n", "\n"))
    assert "<script>alert(1)</script>" not in invite.html_body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in invite.html_body
    assert "<script>alert(1)</script>" in invite.text_body  # plain text is not HTML


def test_two_people_moving_the_same_meeting_the_second_is_told(pair, mentor, mentee):
    meeting = a_meeting(pair)
    read = meeting.version
    meeting_update(meeting=meeting, by=mentor, version=read, duration_minutes=30)
    with pytest.raises(ValidationError) as caught:
        meeting_update(meeting=meeting, by=mentee, version=read, duration_minutes=90)
    assert caught.value.code == "conflict"
    meeting.refresh_from_db()
    assert meeting.duration_minutes == 30


def test_after_the_meeting_it_is_logged_with_notes_and_next_steps(pair, mentor, mentee):
    goal = a_goal(pair)
    meeting = a_meeting(pair, starts_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ValidationError, match="not started"):
        meeting_log(meeting=meeting, by=mentor, version=meeting.version, held=True)
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        meeting_log(
            meeting=meeting,
            by=mentee,
            version=meeting.version,
            held=True,
            held_minutes=50,
            shared_notes=" We talked. ",
            private_note="Only mine",
            next_steps=[
                NextStep(
                    goal=goal,
                    title="Draft the agenda",
                    owner="mentee",
                    due_on=timezone.localdate() + timedelta(days=4),
                )
            ],
        )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_minutes, meeting.shared_notes) == (
        "held",
        50,
        "We talked.",
    )
    assert meeting.logged_by == mentee
    assert PrivateNote.objects.get(meeting=meeting).author == mentee
    step = ActionStep.objects.get(from_meeting=meeting)
    assert (step.goal, step.owner, step.title) == (goal, "mentee", "Draft the agenda")


def test_a_missed_meeting_has_no_duration(pair, mentor):
    meeting = a_meeting(pair, starts_at=timezone.now() + timedelta(hours=1))
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        meeting_log(
            meeting=meeting, by=mentor, version=meeting.version, held=False, held_minutes=40
        )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_minutes) == ("missed", None)


# --- pages ---------------------------------------------------------------------------------


def test_meeting_pages_are_for_the_pair_only(client, pair, manager, hr_admin, outsider, mentor):
    meeting = a_meeting(pair)
    member_urls = [
        f"/goals/pairs/{pair.code}/meetings/new/",
        f"/goals/meetings/{meeting.code}/",
        f"/goals/meetings/{meeting.code}/edit/",
        f"/goals/meetings/{meeting.code}/cancel/",
        f"/goals/meetings/{meeting.code}/invite.ics",
    ]
    listing = f"/goals/pairs/{pair.code}/meetings/"
    for url in [*member_urls, listing]:
        assert client.get(url).url.startswith("/accounts/login/")
    for person in (outsider, manager, hr_admin):
        client.force_login(person)
        for url in member_urls:
            assert client.get(url).status_code == 404, (person, url)
    assert client.get(listing).status_code == 200  # HR: dates and status only
    assert "Talk about the plan" not in client.get(listing).content.decode()
    client.force_login(manager)
    assert client.get(listing).status_code == 404
    client.force_login(mentor)
    for url in [*member_urls, listing]:
        assert client.get(url).status_code == 200, url


def test_private_notes_are_seen_by_their_author_only(client, pair, mentor, mentee, hr_admin):
    meeting = a_meeting(pair, starts_at=timezone.now() + timedelta(hours=1))
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        meeting_log(
            meeting=meeting,
            by=mentor,
            version=meeting.version,
            held=True,
            shared_notes="Shared between us",
            private_note="Secret of the mentor",
        )
    private_note_save(meeting=meeting, by=mentee, text="Secret of the mentee")
    url = f"/goals/meetings/{meeting.code}/"
    client.force_login(mentor)
    page = client.get(url).content.decode()
    assert "Secret of the mentor" in page and "Secret of the mentee" not in page
    assert "Shared between us" in page
    client.force_login(mentee)
    page = client.get(url).content.decode()
    assert "Secret of the mentee" in page and "Secret of the mentor" not in page
    client.post(f"/goals/meetings/{meeting.code}/private-note/", {"text": "Rewritten"})
    assert PrivateNote.objects.get(author=mentee).text == "Rewritten"
    client.post(f"/goals/meetings/{meeting.code}/private-note/", {"text": "x" * 20001})
    assert PrivateNote.objects.get(author=mentee).text == "Rewritten"
    client.force_login(hr_admin)
    for url in (f"/goals/pairs/{pair.code}/meetings/", f"/matching/pairs/{pair.code}/"):
        page = client.get(url).content.decode()
        assert "Secret of" not in page and "Shared between us" not in page


def test_scheduling_and_logging_through_the_pages(
    client, pair, mentor, mentee, django_capture_on_commit_callbacks
):
    goal = a_goal(pair)
    client.force_login(mentee)
    starts = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/goals/pairs/{pair.code}/meetings/new/",
            {
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": 45,
                "mode": "video",
                "video_url": "meet.example.com/abc",
                "agenda": "**Plan**",
            },
        )
    meeting = Meeting.objects.get(mentorship=pair)
    assert response.url == f"/goals/meetings/{meeting.code}/"
    assert (meeting.starts_at, meeting.video_url) == (starts, "https://meet.example.com/abc")
    assert len(mail.outbox) >= 2
    past = client.post(
        f"/goals/pairs/{pair.code}/meetings/new/",
        {
            "starts_at": "2000-01-01T10:00",
            "duration_minutes": 45,
            "mode": "video",
            "video_url": "https://meet.example.com/abc",
        },
    )
    assert "starts_at" in past.context["form"].errors
    with time_machine.travel(starts + timedelta(hours=1)):
        response = client.post(
            f"/goals/meetings/{meeting.code}/log/",
            {
                "outcome": "held",
                "held_minutes": 40,
                "shared_notes": "Good talk",
                "private_note": "",
                "version": meeting.version,
                "next-TOTAL_FORMS": 3,
                "next-INITIAL_FORMS": 0,
                "next-0-goal": goal.pk,
                "next-0-title": "Try it at the next team meeting",
                "next-0-owner": "mentee",
                "next-0-due_on": (starts + timedelta(days=5)).date().isoformat(),
                "next-1-title": "Half a next step",
            },
        )
        assert response.status_code == 200
        assert response.context["formset"].forms[1].errors
        response = client.post(
            f"/goals/meetings/{meeting.code}/log/",
            {
                "outcome": "held",
                "held_minutes": 40,
                "shared_notes": "Good talk",
                "version": meeting.version,
                "next-TOTAL_FORMS": 3,
                "next-INITIAL_FORMS": 0,
                "next-0-goal": goal.pk,
                "next-0-title": "Try it at the next team meeting",
                "next-0-owner": "mentee",
                "next-0-due_on": (starts + timedelta(days=5)).date().isoformat(),
            },
        )
        assert response.url == f"/goals/meetings/{meeting.code}/"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_minutes) == ("held", 40)
    assert goal.steps.get().title == "Try it at the next team meeting"


def test_the_meetings_page_keeps_its_queries(client, pair, mentor, django_assert_max_num_queries):
    a_meeting(pair)
    client.force_login(mentor)
    url = f"/goals/pairs/{pair.code}/meetings/"
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for days in range(4, 10):
        a_meeting(pair, starts_at=timezone.now() + timedelta(days=days))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_downloaded_ics_is_a_publish_of_the_same_event(client, pair, mentor):
    meeting = a_meeting(pair)
    client.force_login(mentor)
    response = client.get(f"/goals/meetings/{meeting.code}/invite.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar, event = _event(response.content.decode())
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == meeting_ics_uid(meeting)


# --- the calendar feed ------------------------------------------------------------------------


def test_the_feed_needs_only_its_secret_token_and_lists_the_persons_meetings(
    client, pair, mentor, mentee, outsider
):
    meeting = a_meeting(pair, agenda="Private agenda")
    cancelled = a_meeting(pair, starts_at=timezone.now() + timedelta(days=5))
    meeting_cancel(meeting=cancelled, by=mentor, version=cancelled.version)
    feed = feed_for(mentee)
    url = f"/goals/calendar/{feed.token}.ics"
    response = client.get(url)  # anonymous: calendar programs have no session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {meeting_ics_uid(meeting), meeting_ics_uid(cancelled)}
    assert str(events[meeting_ics_uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert events[meeting_ics_uid(cancelled)]["SEQUENCE"] == 1
    assert b"Private agenda" not in response.content
    assert client.get(f"/goals/calendar/{feed.token}x.ics").status_code == 404
    assert client.get("/goals/calendar/nothing.ics").status_code == 404
    outsider_feed = feed_for(outsider)
    empty = Calendar.from_ical(client.get(f"/goals/calendar/{outsider_feed.token}.ics").content)
    assert empty.walk("VEVENT") == []


def test_resetting_the_feed_makes_the_old_address_stop_working(client, mentee):
    client.force_login(mentee)
    page = client.get("/goals/calendar/")
    old = CalendarFeed.objects.get(person=mentee).token
    assert old in page.content.decode()
    assert client.get("/goals/calendar/reset/").status_code == 200
    assert client.post("/goals/calendar/reset/").url == "/goals/calendar/"
    new = CalendarFeed.objects.get(person=mentee).token
    assert new != old
    client.logout()
    assert client.get(f"/goals/calendar/{old}.ics").status_code == 404
    assert client.get(f"/goals/calendar/{new}.ics").status_code == 200


def test_an_inactive_persons_feed_is_gone(client, mentee):
    feed = feed_for(mentee)
    mentee.is_active = False
    mentee.save()
    assert client.get(f"/goals/calendar/{feed.token}.ics").status_code == 404


def test_the_invite_is_written_in_the_recipients_language(db, program, english):
    pair = english(program)
    meeting = a_meeting(pair)
    invite = _invites(meeting, "goals.meeting_scheduled")[pair.mentee_id]
    _, event = _event(invite.attachments[0]["content"])
    assert str(event["SUMMARY"]) == "Mentoring: Ann Mentor and Ben Mentee"
    with translation.override("en"):
        assert invite.subject.startswith("Mentoring meeting on")


def test_ending_a_pair_early_cancels_its_meetings_ahead(
    pair, mentor, django_capture_on_commit_callbacks
):
    from matching.pairs.services import mentorship_end_early

    meeting = a_meeting(pair)
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_end_early(mentorship=pair, reason="Changed teams", by=mentor)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
