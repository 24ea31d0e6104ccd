"""Stage 5: closing reviews, closing the pair, extensions approved by HR, closing a program."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from goals.agreements.services import agreement_sign
from goals.closing import services as closing
from goals.closing.selectors import closing_available
from goals.models import Agreement, Extension, Meeting
from goals.plans import services as plans
from matching.models import Mentorship
from notifications.models import Notification
from programs.definition.services import program_closing_effects
from tests.goals.conftest import a_goal, a_meeting


def _near_deadline(pair, days=5):
    Mentorship.objects.filter(pk=pair.pk).update(
        deadline=timezone.localdate() + timedelta(days=days)
    )
    pair.refresh_from_db()
    return pair


def test_the_closing_review_opens_two_weeks_before_the_deadline(pair, mentor):
    goal = a_goal(pair)
    with pytest.raises(ValidationError, match="opens"):
        closing.closing_review_submit(
            mentorship=pair, by=mentor, ratings={goal.pk: "achieved"}, reflection="x"
        )
    _near_deadline(pair)
    assert closing_available(pair)


def test_both_rate_every_goal_and_reflect_then_the_pair_closes(pair, mentor, mentee):
    goal = a_goal(pair, target_date=timezone.localdate() + timedelta(days=3))
    dropped = a_goal(pair, target_date=timezone.localdate() + timedelta(days=3), title="Other")
    plans.goal_set_status(goal=dropped, by=mentor, version=dropped.version, status="dropped")
    _near_deadline(pair)
    upcoming = a_meeting(pair, starts_at=timezone.now() + timedelta(days=2))
    with pytest.raises(ValidationError, match="Rate every goal"):
        closing.closing_review_submit(mentorship=pair, by=mentor, ratings={}, reflection="Good")
    with pytest.raises(ValidationError) as caught:
        closing.closing_review_submit(
            mentorship=pair, by=mentor, ratings={goal.pk: "achieved"}, reflection=" "
        )
    assert "reflection" in caught.value.message_dict
    closing.closing_review_submit(
        mentorship=pair, by=mentor, ratings={goal.pk: "achieved"}, reflection="Proud of Pablo"
    )
    assert Notification.objects.filter(kind="goals.closing_submitted", recipient=mentee).exists()
    with pytest.raises(ValidationError, match="mentee has not finished"):
        closing.mentorship_close(mentorship=pair, by=mentor)
    closing.closing_review_submit(
        mentorship=pair, by=mentee, ratings={goal.pk: "partly"}, reflection="I learnt a lot"
    )
    closing.mentorship_close(mentorship=pair, by=mentee)
    pair.refresh_from_db()
    assert (pair.status, pair.ended_by) == ("completed", mentee)
    upcoming.refresh_from_db()
    assert upcoming.status == Meeting.Status.CANCELLED
    assert Notification.objects.filter(kind="goals.meeting_cancelled").count() == 2
    assert Notification.objects.filter(kind="goals.mentorship_closed", recipient=mentor).exists()
    with pytest.raises(ValidationError):
        closing.mentorship_close(mentorship=pair, by=mentee)


def test_closing_through_the_pages(client, pair, mentor, mentee):
    goal = a_goal(pair, target_date=timezone.localdate() + timedelta(days=3))
    _near_deadline(pair)
    url = f"/goals/pairs/{pair.code}/closing/"
    for person, rating in ((mentor, "achieved"), (mentee, "not")):
        client.force_login(person)
        response = client.post(url, {f"goal_{goal.pk}": rating, "reflection": "Thanks"})
        assert response.url == url
    page = client.get(url).content.decode()
    assert page.count('data-testid="closing-review"') == 2
    assert client.get(f"/goals/pairs/{pair.code}/closing/close/").status_code == 200
    response = client.post(f"/goals/pairs/{pair.code}/closing/close/")
    assert response.url == f"/matching/pairs/{pair.code}/"
    pair.refresh_from_db()
    assert pair.status == "completed"


def test_an_extension_needs_hr_approval_and_then_both_sign_again(
    pair, mentor, mentee, hr_admin, agreement
):
    for person in (mentor, mentee):
        agreement_sign(agreement=agreement, by=person, version=1)
    _near_deadline(pair)
    new = pair.deadline + timedelta(days=30)
    with pytest.raises(ValidationError) as caught:
        closing.extension_request(
            mentorship=pair,
            by=mentee,
            new_deadline=pair.program.ends_on + timedelta(days=1),
            reason="More time",
        )
    assert "new_deadline" in caught.value.message_dict
    extension = closing.extension_request(
        mentorship=pair, by=mentee, new_deadline=new, reason="We started late"
    )
    hr = pair.program.created_by
    told = Notification.objects.get(kind="goals.extension_requested")
    assert told.recipient == hr and told.url == f"/goals/extensions/{extension.code}/"
    with pytest.raises(ValidationError, match="already waiting"):
        closing.extension_request(mentorship=pair, by=mentor, new_deadline=new, reason="Again")
    with pytest.raises(ValidationError):
        closing.extension_decide(extension=extension, by=mentor, approve=True)
    closing.extension_decide(extension=extension, by=hr_admin, approve=True)
    pair.refresh_from_db()
    agreement = Agreement.objects.get(mentorship=pair)
    assert pair.deadline == new == agreement.deadline
    assert not agreement.is_signed and agreement.version == 2
    assert Notification.objects.filter(kind="goals.extension_decided").count() == 2
    with pytest.raises(ValidationError, match="already been decided"):
        closing.extension_decide(extension=extension, by=hr_admin, approve=False, comment="No")


def test_hr_declines_an_extension_with_a_reason(client, pair, mentee, hr_admin, mentor):
    _near_deadline(pair)
    deadline = pair.deadline
    client.force_login(mentee)
    response = client.post(
        f"/goals/pairs/{pair.code}/extension/",
        {"new_deadline": (deadline + timedelta(days=10)).isoformat(), "reason": "Holidays"},
    )
    assert response.url == f"/goals/pairs/{pair.code}/closing/"
    extension = Extension.objects.get()
    url = f"/goals/extensions/{extension.code}/"
    assert client.get(url).status_code == 403
    client.force_login(hr_admin)
    settings_page = client.get(f"/goals/programs/{pair.program.slug}/settings/")
    assert url in settings_page.content.decode()
    response = client.post(url, {"decision": "decline", "comment": ""})
    assert "comment" in response.context["form"].errors
    response = client.post(url, {"decision": "decline", "comment": "Program ends soon"})
    assert response.status_code == 302
    extension.refresh_from_db()
    pair.refresh_from_db()
    assert (extension.status, pair.deadline) == ("declined", deadline)


def test_closing_the_program_cancels_the_meetings_ahead(pair, hr_admin):
    meeting = a_meeting(pair)
    effects = program_closing_effects(pair.program)
    for effect in effects:
        effect.apply()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
