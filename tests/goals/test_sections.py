"""Stage 5 on the pair's page (matching's `pair_sections`), and what the manager sees there."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from goals.agreements.services import agreement_sign
from goals.meetings.services import meeting_log, private_note_save
from goals.plans import services as plans
from tests.goals.conftest import a_goal, a_meeting, a_step


@pytest.fixture
def busy_pair(pair, mentor, mentee, agreement):
    for person in (mentor, mentee):
        agreement_sign(agreement=agreement, by=person, version=1)
    goal = a_goal(pair)
    step = a_step(goal)
    plans.step_set_status(step=step, by=mentee, version=1, status="done")
    a_step(goal, title="Second step")
    meeting = a_meeting(pair, starts_at=timezone.now() + timedelta(hours=1), agenda="Agenda XYZ")
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        meeting_log(
            meeting=meeting,
            by=mentor,
            version=meeting.version,
            held=True,
            shared_notes="Shared notes XYZ",
            private_note="Private notes XYZ",
        )
    private_note_save(meeting=meeting, by=mentee, text="Mentee private XYZ")
    a_meeting(pair, agenda="Next agenda XYZ")
    return pair


def test_the_pair_page_shows_the_agreement_goals_and_meeting_rhythm(client, busy_pair, mentor):
    client.force_login(mentor)
    response = client.get(f"/matching/pairs/{busy_pair.code}/")
    page = response.content.decode()
    section = next(s for s in response.context["sections"] if s["template"].startswith("goals/"))
    assert section["agreement_signed"] is True
    assert (section["summary"].goals, section["summary"].progress) == (1, 50)
    assert section["rhythm"]["days"] == 0 and section["rhythm"]["cadence"] == 14
    assert section["next_meeting"] is not None
    assert 'data-testid="goals-section"' in page
    assert f"/goals/pairs/{busy_pair.code}/plan/" in page


def test_the_manager_sees_signed_goals_and_progress_but_never_notes(
    client, busy_pair, manager, django_assert_max_num_queries
):
    client.force_login(manager)
    response = client.get(f"/matching/pairs/{busy_pair.code}/")
    page = response.content.decode()
    section = next(s for s in response.context["sections"] if s["template"].startswith("goals/"))
    assert set(section) == {"template", "role", "agreement_signed", "summary", "active"}
    assert 'data-testid="agreement-status"' in page and 'data-testid="plan-progress"' in page
    for secret in ("XYZ", "/goals/meetings/", "/goals/pairs/"):
        assert secret not in page
    team = client.get("/metrics/team/").content.decode()
    assert busy_pair.mentee.get_full_name() in team
    assert "50 %" in team
    assert "XYZ" not in team
    for url in (
        f"/goals/pairs/{busy_pair.code}/plan/",
        f"/goals/pairs/{busy_pair.code}/meetings/",
        f"/goals/pairs/{busy_pair.code}/agreement/",
        f"/goals/pairs/{busy_pair.code}/closing/",
    ):
        assert client.get(url).status_code == 404
