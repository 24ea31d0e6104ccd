"""A closed program's personal texts go N months after it ends: the daily rule."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from audit.models import Entry
from goals.models import Goal, Meeting
from matching.models import Mentorship
from metrics import indicators
from metrics.models import SuccessStory, SurveyAnswer
from notifications.models import Notification
from notifications.services import dispatch_due
from programs.models import Application, Program
from programs.retention.selectors import add_months, personal_data_delete_on
from tests.factories import UserFactory

from .conftest import stored_text


def _on(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(3)))


def _keep_for(program, months):
    Program.objects.filter(pk=program.pk).update(personal_data_months=months)
    program.refresh_from_db()
    return personal_data_delete_on(program)


def test_months_are_calendar_months_ending_on_the_last_day_when_shorter():
    from datetime import date

    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 6, 30), 120) == date(2036, 6, 30)


def test_nothing_goes_before_the_day_and_everything_personal_goes_on_it(world, hr_admin):
    program = world["program"]
    delete_on = _keep_for(program, 2)
    assert delete_on == add_months(program.ends_on, 2)

    dispatch_due(_on(delete_on - timedelta(days=1)))
    assert "SECRET" in stored_text()
    assert not Entry.objects.filter(action="program.personal_data_deleted").exists()

    dispatch_due(_on(delete_on))
    text = stored_text()
    assert "SECRET" not in text
    # What measurement needs, and what both members consented to publish, stays.
    for kept in ("KEPT-STORY", "KEPT-WORKED", "KEPT-IMPROVEMENT"):
        assert kept in text
    # Free-text answers go; choice answers stay.
    answers = Application.objects.get(program=program, role="mentee").answers
    assert answers == {
        code: "—" if str(value).startswith("SECRET") else value
        for code, value in world["answers"].items()
    }
    assert len(answers) == 2
    assert Mentorship.objects.get(pk=world["pair"].pk).status == "completed"
    assert Goal.objects.get(pk=world["goal"].pk).title == "—"
    assert set(
        SurveyAnswer.objects.filter(question__kind="scale").values_list("value", flat=True)
    ) == {4}
    assert SuccessStory.objects.get(title="KEPT-STORY").status == "published"
    entry = Entry.objects.get(action="program.personal_data_deleted")
    assert entry.actor is None and entry.target_label == program.name
    assert entry.details["count"] >= 25 and entry.details["months"] == 2
    # Every HR admin is told (the program's author is one too).
    told = Notification.objects.get(kind="programs.personal_data_deleted", recipient=hr_admin)
    assert Notification.objects.filter(kind="programs.personal_data_deleted").count() == 2
    assert "Mentoring 2026" in told.subject
    assert f"/programs/manage/{program.slug}/personal-data/" == told.url


def test_the_rule_twice_changes_nothing_and_records_nothing_more(world):
    delete_on = _keep_for(world["program"], 1)
    dispatch_due(_on(delete_on))
    snapshot = stored_text()
    dispatch_due(_on(delete_on) + timedelta(hours=2))
    dispatch_due(_on(delete_on + timedelta(days=1)))
    assert stored_text() == snapshot
    assert Entry.objects.filter(action="program.personal_data_deleted").count() == 1
    assert Notification.objects.filter(kind="programs.personal_data_deleted").count() == 2
    runs = Entry.objects.filter(
        action="retention.applied", details__rule="program_personal_data"
    ).order_by("created_at")
    assert [run.details["count"] for run in runs][-1] == 0


def test_a_text_written_after_the_deletion_goes_the_next_day(world, mentee):
    from metrics.models import Feedback

    delete_on = _keep_for(world["program"], 1)
    dispatch_due(_on(delete_on))
    Feedback.objects.create(program=world["program"], author=mentee, text="SECRET-LATE")
    dispatch_due(_on(delete_on + timedelta(days=1)))
    assert "SECRET" not in stored_text()
    assert Entry.objects.filter(action="program.personal_data_deleted").count() == 2


def test_programs_kept_until_hr_deletes_open_ones_and_early_days_are_left_alone(world, mentor):
    program = world["program"]
    assert program.personal_data_months is None
    far = _on(program.ends_on + timedelta(days=4000))
    dispatch_due(far)
    assert "SECRET" in stored_text()
    # Months chosen but the program is not closed: nothing goes, even long after its end.
    Program.objects.filter(pk=program.pk).update(status="running", personal_data_months=1)
    dispatch_due(far + timedelta(days=1))
    assert "SECRET" in stored_text()
    assert not Entry.objects.filter(action="program.personal_data_deleted").exists()


def test_only_the_program_due_loses_its_texts(world, hr_admin):
    from tests.goals.conftest import active_pair, running_program

    other = running_program(name="Next cohort")
    a, b = UserFactory(), UserFactory()
    pair = active_pair(other, a, b)
    Mentorship.objects.filter(pk=pair.pk).update(end_reason="OTHER-END-REASON")
    Program.objects.filter(pk=other.pk).update(status="closed", personal_data_months=120)
    delete_on = _keep_for(world["program"], 1)
    dispatch_due(_on(delete_on))
    assert "SECRET" not in stored_text()
    assert Mentorship.objects.get(pk=pair.pk).end_reason == "OTHER-END-REASON"


def test_indicators_count_the_same_after_the_deletion(world):
    program = world["program"]
    before = indicators.compute_all(program)
    meetings = Meeting.objects.filter(mentorship=world["pair"]).count()
    dispatch_due(_on(_keep_for(program, 1)))
    assert "SECRET" not in stored_text()
    assert indicators.compute_all(program) == before
    assert Meeting.objects.filter(mentorship=world["pair"]).count() == meetings
