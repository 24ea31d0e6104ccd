"""Dashboards: a manager's team page and a participant's own progress."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goals.models import Meeting
from matching.models import Mentorship
from metrics.models import SurveyRequest
from tests.factories import UserFactory
from tests.metrics.conftest import (
    a_goal,
    a_meeting,
    a_pair,
    a_step,
    an_agreement,
    at,
    enrol,
    running_program,
)

pytestmark = pytest.mark.urls("tests.metrics.dashboards.urls")


# --- managers ------------------------------------------------------------------------------


def test_a_manager_sees_their_reports_participation_but_no_notes(
    db, frozen, client, manager, mentee, mentor
):
    program = running_program()
    enrol(program, mentee)
    enrol(program, mentor, "mentor")
    pair = a_pair(program, mentor, mentee, start=-30)
    an_agreement(pair, signed=-25)
    goal = a_goal(pair, agreed=-20)
    a_step(goal, status="done")
    a_step(goal)
    meeting = a_meeting(pair, day=-10)
    Meeting.objects.filter(pk=meeting.pk).update(shared_notes="Talked about a secret plan")
    # Another report mentors someone from another team: the pair's status, not its goals.
    other = UserFactory(manager=manager, first_name="Rita")
    enrol(program, other, "mentor")
    stranger = UserFactory(first_name="Sam")
    enrol(program, stranger)
    theirs = a_pair(program, other, stranger, start=-20)
    a_goal(theirs, status="achieved", agreed=-15)
    client.force_login(manager)
    response = client.get(reverse("metrics:team"))
    assert response.status_code == 200
    rows = {row["application"].person_id: row for row in response.context["rows"]}
    assert set(rows) == {mentee.pk, other.pk}
    mine = rows[mentee.pk]["pairs"][0]
    assert (mine["pair"].pk, mine["pair"].signed, mine["summary"].progress) == (pair.pk, True, 50)
    assert rows[other.pk]["pairs"][0]["summary"] is None
    body = response.content.decode()
    assert "secret plan" not in body
    assert reverse("matching:mentorship", args=[pair.code]) in body
    assert reverse("matching:mentorship", args=[theirs.code]) not in body
    assert "Sam" not in body


def test_the_team_page_is_for_managers_only(db, client, mentor):
    assert client.get(reverse("metrics:team")).status_code == 302
    client.force_login(mentor)
    assert client.get(reverse("metrics:team")).status_code == 403


def test_the_team_page_takes_the_same_queries_for_a_bigger_team(
    db, frozen, client, manager, django_assert_max_num_queries
):
    program = running_program()

    def report_in_a_pair():
        mentee = UserFactory(manager=manager)
        enrol(program, mentee)
        pair = a_pair(program, UserFactory(), mentee, start=-10)
        a_step(a_goal(pair))

    report_in_a_pair()
    client.force_login(manager)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("metrics:team"))
    for _ in range(4):
        report_in_a_pair()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("metrics:team"))


# --- participants ---------------------------------------------------------------------------


def test_a_participant_sees_their_pairs_training_and_surveys_to_answer(
    db, frozen, client, mentee, mentor
):
    program = running_program()
    enrol(program, mentee)
    enrol(program, mentor, "mentor")
    pair = a_pair(program, mentor, mentee, start=-30)
    goal = a_goal(pair, status="achieved", agreed=-20)
    a_step(goal, status="done")
    a_meeting(pair, day=-10)
    a_meeting(pair, day=-3)
    survey_request = _open_request(pair, mentee)
    # Someone else's pair in the same program does not show.
    other = a_pair(program, UserFactory(), UserFactory(), start=-5)
    client.force_login(mentee)
    response = client.get(reverse("metrics:my_progress"))
    assert response.status_code == 200
    pairs = response.context["pairs"]
    assert [p.pk for p in pairs] == [pair.pk]
    assert (pairs[0].held, pairs[0].summary.progress, pairs[0].role) == (2, 100, "mentee")
    assert [r.pk for r in response.context["surveys"]] == [survey_request.pk]
    body = response.content.decode()
    assert reverse("metrics:answer", args=[survey_request.token]) in body
    assert reverse("training:my_training") in body
    assert reverse("matching:mentorship", args=[other.code]) not in body


def test_my_progress_takes_the_same_queries_with_more_pairs_and_surveys(
    db, frozen, client, mentor, django_assert_max_num_queries
):
    program = running_program()
    enrol(program, mentor, "mentor")

    def another_mentee():
        mentee = UserFactory()
        enrol(program, mentee)
        pair = a_pair(program, mentor, mentee, start=-20)
        a_step(a_goal(pair))
        a_meeting(pair, day=-5)
        _open_request(pair, mentor)

    another_mentee()
    client.force_login(mentor)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("metrics:my_progress"))
    for _ in range(3):
        another_mentee()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("metrics:my_progress"))
    assert len(response.context["pairs"]) == 4
    assert len(response.context["surveys"]) == 4


def test_someone_outside_every_program_sees_an_empty_state(db, client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("metrics:my_progress"))
    assert response.status_code == 200
    assert response.context["any"] is False
    assert reverse("programs:list") in response.content.decode()


def _open_request(pair, person):
    from metrics.models import Survey

    survey = Survey.objects.create(
        program=pair.program,
        kind="midpoint",
        title="Midpoint",
        status="active",
        created_by=pair.program.created_by,
    )
    answered = Survey.objects.create(
        program=pair.program,
        kind="pulse",
        title="Pulse",
        status="active",
        created_by=pair.program.created_by,
    )
    SurveyRequest.objects.create(
        survey=answered,
        person=person,
        mentorship=pair,
        role="mentee",
        occurrence="done",
        status="answered",
        closes_at=at(5),
    )
    return SurveyRequest.objects.create(
        survey=survey,
        person=person,
        mentorship=pair,
        role="mentee",
        occurrence=f"pair:{pair.pk}",
        closes_at=at(7),
    )


def test_ended_pairs_keep_counting_in_the_participants_history(db, frozen, client, mentee):
    program = running_program()
    enrol(program, mentee)
    pair = a_pair(program, UserFactory(), mentee, start=-90, status="completed", ended=-2)
    client.force_login(mentee)
    response = client.get(reverse("metrics:my_progress"))
    assert [p.pk for p in response.context["pairs"]] == [pair.pk]
    assert Mentorship.objects.get(pk=pair.pk).status == "completed"
