"""Stage 5: goals the mentor writes and the mentee agrees to, action steps, the plan pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from goals.models import ActionStep, Goal, GoalChange
from goals.plans import services as plans
from goals.plans.selectors import goal_progress, plan_summary
from notifications.models import Notification
from programs.models import Objective
from tests.factories import SkillFactory
from tests.goals.conftest import a_goal, a_step


def _today():
    return timezone.localdate()


# --- goals ---------------------------------------------------------------------------------


def test_the_mentor_writes_a_smart_goal_and_the_mentee_is_asked_to_review_it(pair, mentee):
    objective = pair.program.objectives.get()
    skill = SkillFactory(name="Facilitation")
    goal = a_goal(pair, objectives=[objective], skills=[skill], description="  Why  ")
    assert (goal.review, goal.status, goal.description) == ("proposed", "not_started", "Why")
    assert list(goal.objectives.all()) == [objective]
    assert list(goal.skills.all()) == [skill]
    notification = Notification.objects.get(kind="goals.goal_proposed", recipient=mentee)
    assert notification.url == f"/goals/pairs/{pair.code}/plan/"


def test_goals_need_what_how_and_a_date_within_the_partnership(pair):
    with pytest.raises(ValidationError) as caught:
        a_goal(pair, title="  ", measure="")
    assert set(caught.value.message_dict) == {"title", "measure"}
    for day in (pair.starts_on - timedelta(days=1), pair.deadline + timedelta(days=1)):
        with pytest.raises(ValidationError) as caught:
            a_goal(pair, target_date=day)
        assert "target_date" in caught.value.message_dict
    assert a_goal(pair, target_date=pair.deadline).target_date == pair.deadline


def test_goals_link_only_to_objectives_of_their_program(pair, db):
    from tests.goals.conftest import running_program

    other = Objective.objects.get(program=running_program())
    with pytest.raises(ValidationError) as caught:
        a_goal(pair, objectives=[other])
    assert "objectives" in caught.value.message_dict


def test_only_the_mentor_writes_goals(pair, mentee, manager):
    for person in (mentee, manager):
        with pytest.raises(ValidationError):
            plans.goal_create(
                mentorship=pair,
                by=person,
                title="x",
                measure="y",
                target_date=_today() + timedelta(days=5),
            )


def test_the_mentee_asks_for_changes_the_mentor_revises_and_the_mentee_agrees(pair, mentor, mentee):
    goal = a_goal(pair)
    with pytest.raises(ValidationError) as caught:
        plans.goal_review(goal=goal, by=mentee, version=goal.version, agree=False, comment=" ")
    assert "comment" in caught.value.message_dict
    plans.goal_review(
        goal=goal, by=mentee, version=goal.version, agree=False, comment="Make it measurable"
    )
    assert goal.review == "changes_requested"
    assert Notification.objects.filter(
        kind="goals.goal_changes_requested", recipient=mentor
    ).exists()
    plans.goal_update(goal=goal, by=mentor, version=goal.version, measure="Three meetings")
    assert (goal.review, goal.revision) == ("proposed", 2)
    assert Notification.objects.filter(
        kind="goals.goal_proposed", recipient=mentee, occasion="r2"
    ).exists()
    assert not GoalChange.objects.exists()  # not agreed yet: nothing to keep
    plans.goal_review(goal=goal, by=mentee, version=goal.version, agree=True)
    assert goal.review == "agreed" and goal.agreed_at
    with pytest.raises(ValidationError, match="already agreed"):
        plans.goal_review(goal=goal, by=mentee, version=goal.version, agree=True)


def test_the_mentee_cannot_agree_to_a_version_the_mentor_changed_meanwhile(pair, mentor, mentee):
    goal = a_goal(pair)
    read = goal.version
    plans.goal_update(goal=goal, by=mentor, version=read, title="Another goal")
    with pytest.raises(ValidationError, match="changed this goal"):
        plans.goal_review(goal=goal, by=mentee, version=read, agree=True)
    goal.refresh_from_db()
    assert goal.review == "proposed"


def test_after_agreement_every_change_is_kept_who_when_what(pair, mentor, mentee):
    goal = a_goal(pair)
    plans.goal_review(goal=goal, by=mentee, version=goal.version, agree=True)
    skill = SkillFactory(name="Negotiation")
    plans.goal_update(
        goal=goal, by=mentor, version=goal.version, title="A sharper goal", skills=[skill]
    )
    plans.goal_set_status(goal=goal, by=mentee, version=goal.version, status="in_progress")
    step = a_step(goal)
    plans.step_set_status(step=step, by=mentee, version=step.version, status="done")
    changes = list(GoalChange.objects.filter(goal=goal).order_by("pk"))
    assert [c.by for c in changes] == [mentor, mentee, mentor, mentee]
    assert [c.action for c in changes] == ["edited", "status", "step_added", "step_changed"]
    edited = changes[0].details
    assert {
        "field": "title",
        "before": "Lead the weekly planning meeting",
        "after": "A sharper goal",
    } in edited
    assert {"field": "skills", "before": "", "after": "Negotiation"} in edited
    assert changes[1].details == [
        {"field": "status", "before": "not_started", "after": "in_progress"}
    ]
    assert changes[2].step_title == "Read the facilitation guide"
    assert changes[3].details == [{"field": "step_status", "before": "todo", "after": "done"}]
    with translation.override("en"):
        assert changes[3].rows() == [{"label": "status", "before": "to do", "after": "done"}]
        assert changes[1].rows()[0]["after"] == "in progress"
    assert goal.review == "agreed"


def test_two_people_editing_the_same_goal_the_second_is_told(pair, mentor, mentee):
    goal = a_goal(pair)
    read = goal.version
    plans.goal_set_status(goal=goal, by=mentee, version=read, status="in_progress")
    with pytest.raises(ValidationError) as caught:
        plans.goal_update(goal=goal, by=mentor, version=read, title="Overwrite?")
    assert caught.value.code == "conflict"
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("Lead the weekly planning meeting", "in_progress")


# --- steps and progress -----------------------------------------------------------------------


def test_steps_have_an_owner_and_a_due_date_within_the_partnership(pair):
    goal = a_goal(pair)
    for day in (_today() - timedelta(days=1), pair.deadline + timedelta(days=1)):
        with pytest.raises(ValidationError) as caught:
            a_step(goal, due_on=day)
        assert "due_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        a_step(goal, owner="hr")
    assert "owner" in caught.value.message_dict


def test_progress_is_derived_from_the_steps(pair, mentee):
    goal = a_goal(pair)
    assert goal_progress(goal) == 0
    steps = [a_step(goal, title=f"Step {n}") for n in range(4)]
    plans.step_set_status(step=steps[0], by=mentee, version=1, status="done")
    plans.step_set_status(step=steps[1], by=mentee, version=1, status="dropped")
    goal.refresh_from_db()
    assert goal.status == "in_progress"  # the first step done started it
    assert goal_progress(goal) == 33
    steps[0].refresh_from_db()
    assert steps[0].completed_at is not None
    summary = plan_summary(pair)
    assert (summary.goals, summary.progress, summary.agreed) == (1, 33, 0)
    plans.goal_set_status(goal=goal, by=mentee, version=goal.version, status="achieved")
    assert plan_summary(pair).progress == 100


def test_two_people_editing_the_same_step_the_second_is_told(pair, mentor, mentee):
    step = a_step(a_goal(pair))
    plans.step_update(step=step, by=mentor, version=1, title="Read two guides")
    with pytest.raises(ValidationError) as caught:
        plans.step_update(step=step, by=mentee, version=1, status="done")
    assert caught.value.code == "conflict"
    step.refresh_from_db()
    assert (step.title, step.status) == ("Read two guides", "todo")


def test_a_finished_pair_is_read_only(pair):
    goal = a_goal(pair)
    pair.status = "completed"
    pair.save()
    with pytest.raises(ValidationError, match="not active"):
        a_step(goal)


# --- pages ---------------------------------------------------------------------------------


def test_plan_pages_are_for_the_pair_and_hr_reads_them(
    client, pair, mentor, manager, hr_admin, outsider
):
    goal = a_goal(pair)
    step = a_step(goal)
    read_urls = [f"/goals/pairs/{pair.code}/plan/", f"/goals/pairs/{pair.code}/plan/print/"]
    member_urls = [
        f"/goals/pairs/{pair.code}/goals/new/",
        f"/goals/goals/{goal.code}/edit/",
        f"/goals/goals/{goal.code}/review/",
        f"/goals/goals/{goal.code}/steps/new/",
        f"/goals/steps/{step.code}/edit/",
    ]
    for url in read_urls + member_urls:
        assert client.get(url).url.startswith("/accounts/login/"), url
    for person in (outsider, manager):
        client.force_login(person)
        for url in read_urls + member_urls:
            assert client.get(url).status_code == 404, (person, url)
        done = client.post(f"/goals/steps/{step.code}/status/", {"status": "done", "version": 1})
        assert done.status_code == 404
    client.force_login(hr_admin)
    for url in read_urls:
        assert client.get(url).status_code == 200
    for url in member_urls:
        assert client.get(url).status_code == 404
    client.force_login(mentor)
    for url in read_urls + member_urls[:2] + member_urls[3:]:
        assert client.get(url).status_code == 200, url


def test_the_mentor_adds_a_goal_and_a_step_through_the_pages(client, pair, mentor, mentee):
    client.force_login(mentor)
    objective = pair.program.objectives.get()
    response = client.post(
        f"/goals/pairs/{pair.code}/goals/new/",
        {
            "title": "<b>Lead</b> meetings",
            "measure": "Three   meetings",
            "target_date": (_today() + timedelta(days=30)).isoformat(),
            "objectives": [objective.pk],
        },
    )
    assert response.url == f"/goals/pairs/{pair.code}/plan/"
    goal = Goal.objects.get(mentorship=pair)
    assert goal.measure == "Three meetings"
    response = client.post(
        f"/goals/goals/{goal.code}/steps/new/",
        {
            "title": "Watch a meeting",
            "owner": "mentee",
            "due_on": (_today() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(f"/goals/pairs/{pair.code}/plan/").content.decode()
    assert "&lt;b&gt;Lead&lt;/b&gt; meetings" in page
    assert "Watch a meeting" in page
    # A date outside the partnership comes back with a message next to the field.
    response = client.post(
        f"/goals/pairs/{pair.code}/goals/new/",
        {
            "title": "Late",
            "measure": "x",
            "target_date": (pair.deadline + timedelta(days=1)).isoformat(),
        },
    )
    assert "target_date" in response.context["form"].errors
    # The mentee reviews; a mentee cannot write goals.
    client.force_login(mentee)
    assert client.get(f"/goals/pairs/{pair.code}/goals/new/").status_code == 302
    response = client.post(
        f"/goals/goals/{goal.code}/review/", {"decision": "agree", "version": goal.version}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.review == "agreed"
    step = goal.steps.get()
    client.post(f"/goals/steps/{step.code}/status/", {"status": "done", "version": step.version})
    step.refresh_from_db()
    assert step.status == "done"


def test_a_stale_step_form_is_refused_and_nothing_is_overwritten(client, pair, mentor, mentee):
    step = a_step(a_goal(pair))
    plans.step_update(step=step, by=mentee, version=1, title="Mentee's title")
    client.force_login(mentor)
    response = client.post(
        f"/goals/steps/{step.code}/edit/",
        {
            "title": "Mentor's title",
            "owner": "mentor",
            "due_on": step.due_on.isoformat(),
            "status": "todo",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    step.refresh_from_db()
    assert step.title == "Mentee's title"


def test_the_plan_page_keeps_its_queries_as_goals_and_steps_grow(
    client, pair, mentor, django_assert_max_num_queries
):
    def grow():
        goal = a_goal(pair, skills=[SkillFactory()], objectives=list(pair.program.objectives.all()))
        for n in range(3):
            a_step(goal, title=f"Step {n}")

    grow()
    client.force_login(mentor)
    url = f"/goals/pairs/{pair.code}/plan/"
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for _ in range(3):
        grow()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/goals/pairs/{pair.code}/plan/print/").status_code == 200


def test_the_goal_history_lists_changes_after_agreement(client, pair, mentor, mentee):
    goal = a_goal(pair)
    plans.goal_review(goal=goal, by=mentee, version=goal.version, agree=True)
    plans.goal_update(goal=goal, by=mentor, version=goal.version, title="<i>New</i> title")
    client.force_login(mentee)
    page = client.get(f"/goals/goals/{goal.code}/history/").content.decode()
    assert page.count('data-testid="change"') == 1
    assert "&lt;i&gt;New&lt;/i&gt; title" in page


def test_overdue_steps_are_marked_on_the_plan(client, pair, mentor):
    step = a_step(a_goal(pair), due_on=_today())
    ActionStep.objects.filter(pk=step.pk).update(due_on=_today() - timedelta(days=1))
    client.force_login(mentor)
    page = client.get(f"/goals/pairs/{pair.code}/plan/").content.decode()
    assert 'data-testid="overdue"' in page
