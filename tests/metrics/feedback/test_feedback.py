"""Stage 6 feedback: participants give it at any time, HR triages it and lists the
improvements made, which participants see (without who asked)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from metrics.feedback.services import feedback_give, feedback_triage
from metrics.models import Feedback
from notifications.models import Notification
from tests.factories import ApplicationFactory, UserFactory
from tests.goals.conftest import active_pair, running_program


@pytest.fixture
def program(db):
    return running_program()


@pytest.fixture
def pair(program, mentor, mentee):
    return active_pair(program, mentor, mentee)


def test_a_participant_gives_feedback_and_sees_its_status(client, pair, mentee):
    client.force_login(mentee)
    url = f"/metrics/programs/{pair.program.slug}/feedback/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "  More examples in the training, please.  "})
    assert response.url == url
    item = Feedback.objects.get()
    assert (item.author, item.text, item.status) == (
        mentee,
        "More examples in the training, please.",
        "new",
    )
    assert list(client.get(url).context["mine"]) == [item]


def test_an_enrolled_person_not_yet_paired_may_give_feedback(program):
    person = UserFactory()
    ApplicationFactory(program=program, person=person, status="approved")
    assert feedback_give(program=program, author=person, text="Hello").status == "new"


def test_outsiders_and_managers_cannot_give_feedback_or_read_improvements(
    client, pair, outsider, manager
):
    urls = [
        f"/metrics/programs/{pair.program.slug}/feedback/",
        f"/metrics/programs/{pair.program.slug}/improvements/",
    ]
    for url in urls:
        assert client.get(url).url.startswith("/accounts/login/")
    for person in (outsider, manager):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, url
    with pytest.raises(ValidationError):
        feedback_give(program=pair.program, author=outsider, text="Let me in")


def test_empty_or_too_long_feedback_is_refused(pair, mentee):
    with pytest.raises(ValidationError):
        feedback_give(program=pair.program, author=mentee, text="   ")
    with pytest.raises(ValidationError):
        feedback_give(program=pair.program, author=mentee, text="x" * 4001)


def test_hr_triages_done_needs_the_improvement_and_its_author_is_told(
    hr_client, hr_admin, pair, mentee
):
    item = feedback_give(program=pair.program, author=mentee, text="The guide is only in Spanish")
    url = f"/metrics/manage/{pair.program.slug}/feedback/{item.code}/"
    response = hr_client.post(url, {"status": "done", "improvement": ""})
    assert response.status_code == 200 and response.context["form"].errors["improvement"]
    hr_client.post(url, {"status": "planned", "improvement": ""})
    item.refresh_from_db()
    assert item.status == "planned" and item.done_at is None
    response = hr_client.post(url, {"status": "done", "improvement": "The guide is in English too"})
    assert response.url == f"/metrics/manage/{pair.program.slug}/feedback/"
    item.refresh_from_db()
    assert item.status == "done" and item.done_at is not None
    told = Notification.objects.get(kind="metrics.feedback_done")
    assert told.recipient == mentee
    assert told.url == f"/metrics/programs/{pair.program.slug}/improvements/"
    # Saving again does not tell them twice.
    feedback_triage(
        feedback=item, status="done", improvement="The guide is in English too", by=hr_admin
    )
    assert Notification.objects.filter(kind="metrics.feedback_done").count() == 1


def test_participants_see_the_improvements_without_who_asked(
    client, pair, mentee, mentor, hr_admin
):
    item = feedback_give(program=pair.program, author=mentee, text="Guide in English")
    feedback_triage(feedback=item, status="done", improvement="Guide translated", by=hr_admin)
    feedback_give(program=pair.program, author=mentee, text="Group sessions")
    client.force_login(mentor)
    page = client.get(f"/metrics/programs/{pair.program.slug}/improvements/")
    assert [i.improvement for i in page.context["page"]] == ["Guide translated"]
    assert mentee.get_full_name() not in page.text and "Group sessions" not in page.text


def test_the_triage_list_filters_by_status_and_refuses_non_hr(hr_client, pair, mentee):
    for text in ("A", "B", "C"):
        feedback_give(program=pair.program, author=mentee, text=text)
    Feedback.objects.filter(text="B").update(status="planned")
    url = f"/metrics/manage/{pair.program.slug}/feedback/"
    page = hr_client.get(url)
    assert page.context["counts"] == {
        "total": 3,
        "new": 2,
        "planned": 1,
        "done": 0,
        "dismissed": 0,
    }
    assert [i.text for i in hr_client.get(url + "?status=planned").context["page"]] == ["B"]
    client = Client()
    assert client.get(url).url.startswith("/accounts/login/")
    client.force_login(mentee)
    assert client.get(url).status_code == 403
    item = Feedback.objects.first()
    assert client.get(f"{url}{item.code}/").status_code == 403


def test_feedback_pages_keep_a_constant_number_of_queries(hr_client, pair, mentee, hr_admin):
    client = Client()

    def counts() -> dict[str, int]:
        found = {}
        for who, url in (
            (hr_client, f"/metrics/manage/{pair.program.slug}/feedback/"),
            (client, f"/metrics/programs/{pair.program.slug}/improvements/"),
            (client, f"/metrics/programs/{pair.program.slug}/feedback/"),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert who.get(url).status_code == 200
            found[url] = len(queries)
        return found

    client.force_login(mentee)
    first = feedback_give(program=pair.program, author=mentee, text="First")
    feedback_triage(feedback=first, status="done", improvement="Done first", by=hr_admin)
    before = counts()
    for number in range(6):
        author = UserFactory()
        ApplicationFactory(program=pair.program, person=author, status="approved")
        item = feedback_give(program=pair.program, author=author, text=f"Idea {number}")
        feedback_triage(feedback=item, status="done", improvement=f"Done {number}", by=hr_admin)
    assert counts() == before
