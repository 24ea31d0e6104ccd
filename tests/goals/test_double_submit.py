"""A create form sent twice (a double click, a replay) makes one object; the second lands on it."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.models import SubmittedForm
from goals.models import ActionStep, Goal, Meeting
from tests.goals.conftest import a_goal


def _meeting_form(token: str) -> dict:
    starts = timezone.localtime() + timedelta(days=3)
    return {
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 45,
        "mode": "video",
        "video_url": "https://meet.example.com/abc",
        "form_token": token,
    }


def _goal_form(token: str) -> dict:
    return {
        "title": "Present to the leadership team",
        "measure": "One presentation with good feedback",
        "target_date": (timezone.localdate() + timedelta(days=40)).isoformat(),
        "form_token": token,
    }


def _at_once(person, url: str, data: dict, times: int = 2) -> list:
    """`times` browsers of `person` send the same form at the same moment."""
    barrier = threading.Barrier(times)
    responses: list = []
    errors: list[BaseException] = []

    def send():
        client = Client()
        client.force_login(person)
        try:
            barrier.wait()
            responses.append(client.post(url, data))
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return responses


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_meeting_form_sent_twice_at_once_schedules_one_meeting_and_one_invite_each(pair):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    mail.outbox.clear()
    url = f"/goals/pairs/{pair.code}/meetings/new/"

    responses = _at_once(pair.mentor, url, _meeting_form(uuid.uuid4().hex))

    meeting = Meeting.objects.get(mentorship=pair)
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.url for r in responses} == {f"/goals/meetings/{meeting.code}/"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([pair.mentor.email, pair.mentee.email])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_goal_form_sent_three_times_at_once_saves_one_goal(pair):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    url = f"/goals/pairs/{pair.code}/goals/new/"

    responses = _at_once(pair.mentor, url, _goal_form(uuid.uuid4().hex), times=3)

    assert Goal.objects.filter(mentorship=pair).count() == 1
    assert {r.url for r in responses} == {f"/goals/pairs/{pair.code}/plan/"}


def test_a_replayed_goal_form_lands_on_the_plan_with_a_message(client, pair):
    client.force_login(pair.mentor)
    url = f"/goals/pairs/{pair.code}/goals/new/"
    data = _goal_form(uuid.uuid4().hex)
    client.post(url, data)

    again = client.post(url, data, follow=True)

    assert Goal.objects.filter(mentorship=pair).count() == 1
    assert again.redirect_chain == [(f"/goals/pairs/{pair.code}/plan/", 302)]
    assert (
        "Este formulario se envió dos veces" in again.content.decode()
    )  # the mentor reads Spanish


def test_each_rendering_of_a_form_carries_a_new_token_and_a_new_form_saves_again(client, pair):
    client.force_login(pair.mentor)
    url = f"/goals/pairs/{pair.code}/goals/new/"
    first, second = (client.get(url).context["form"]["form_token"].value() for _ in range(2))
    assert first and second and first != second

    client.post(url, _goal_form(str(first)))
    client.post(url, _goal_form(str(second)))

    assert Goal.objects.filter(mentorship=pair).count() == 2


def test_a_form_refused_for_bad_input_can_be_corrected_and_sent_with_its_token(client, pair):
    client.force_login(pair.mentor)
    url = f"/goals/pairs/{pair.code}/meetings/new/"
    data = _meeting_form(uuid.uuid4().hex)

    refused = client.post(url, {**data, "starts_at": "2000-01-01T10:00"})
    assert refused.status_code == 200
    assert not SubmittedForm.objects.exists()

    assert client.post(url, data).status_code == 302
    assert Meeting.objects.filter(mentorship=pair).count() == 1


def test_a_step_form_sent_twice_adds_one_step(client, pair):
    goal = a_goal(pair)
    client.force_login(pair.mentor)
    url = f"/goals/goals/{goal.code}/steps/new/"
    data = {
        "title": "Read the guide",
        "owner": "mentee",
        "due_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "status": "todo",
        "form_token": uuid.uuid4().hex,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert ActionStep.objects.filter(goal=goal).count() == 1
