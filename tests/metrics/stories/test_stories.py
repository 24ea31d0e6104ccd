"""Stage 6 success stories: written by the pair or HR, published only with both consents to
the exact text, taken down at once when consent is withdrawn or the text changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from metrics.models import SuccessStory
from metrics.stories import selectors, services
from notifications.models import Notification
from tests.factories import UserFactory
from tests.goals.conftest import active_pair, running_program

TEXT = {
    "title": "From first-time manager to confident leader",
    "worked_on": "Difficult conversations and **delegation**.",
    "what_changed": "I run team meetings without a script.",
    "quote": "I learned to listen first.",
}


@pytest.fixture
def program(db):
    return running_program()


@pytest.fixture
def pair(program, mentor, mentee):
    return active_pair(program, mentor, mentee)


@pytest.fixture
def story(pair, mentee):
    return services.story_create(mentorship=pair, by=mentee, **TEXT)


def consented(story):
    for person in (story.mentorship.mentor, story.mentorship.mentee):
        story = services.story_consent(story=story, by=person, version=story.version)
    return story


def test_a_member_writes_a_story_and_both_are_asked_to_consent(client, pair, mentee, mentor):
    client.force_login(mentee)
    response = client.post(f"/metrics/stories/new/{pair.code}/", TEXT)
    story = SuccessStory.objects.get()
    assert response.url == f"/metrics/stories/{story.code}/"
    assert (story.status, story.author, story.program) == ("awaiting_consent", mentee, pair.program)
    assert sorted(
        Notification.objects.filter(kind="metrics.story_consent").values_list(
            "recipient_id", "occasion"
        )
    ) == sorted([(mentor.pk, "v1"), (mentee.pk, "v1")])


def test_hr_writes_a_story_on_the_pairs_behalf(hr_client, hr_admin, pair):
    page = hr_client.get(f"/metrics/manage/{pair.program.slug}/stories/?pair={pair.code}")
    assert page.url == f"/metrics/stories/new/{pair.code}/"
    hr_client.post(page.url, TEXT)
    story = SuccessStory.objects.get()
    assert story.author == hr_admin and story.mentor_consent_at is None


def test_publishing_is_refused_without_both_consents(story, hr_admin, mentee):
    with pytest.raises(ValidationError, match="Both the mentor and the mentee"):
        services.story_publish(story=story, by=hr_admin, version=story.version)
    story = services.story_consent(story=story, by=mentee, version=story.version)
    assert story.status == "awaiting_consent"
    with pytest.raises(ValidationError, match="Both the mentor and the mentee"):
        services.story_publish(story=story, by=hr_admin, version=story.version)
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        SuccessStory.objects.filter(pk=story.pk).update(status="published")


def test_with_both_consents_hr_publishes_and_the_story_appears_for_everyone(
    client, story, hr_admin, outsider
):
    story = consented(story)
    assert story.status == "ready"
    assert Notification.objects.filter(
        kind="metrics.story_ready", recipient=story.program.created_by
    ).exists()
    story = services.story_publish(story=story, by=hr_admin, version=story.version)
    assert story.status == "published" and story.published_by == hr_admin
    client.force_login(outsider)
    page = client.get("/metrics/stories/")
    assert [s.pk for s in page.context["page"]] == [story.pk]
    assert list(selectors.stories_for_program(story.program)) == [story]


def test_withdrawing_consent_unpublishes_at_once_and_hr_is_told(client, story, hr_admin, mentor):
    story = services.story_publish(story=consented(story), by=hr_admin, version=story.version)
    client.force_login(mentor)
    client.post(f"/metrics/stories/{story.code}/", {"action": "withdraw", "version": story.version})
    story.refresh_from_db()
    assert story.status == "withdrawn" and story.mentor_consent_at is None
    assert not selectors.published_stories().exists()
    assert Notification.objects.filter(kind="metrics.story_withdrawn").exists()
    with pytest.raises(ValidationError):
        services.story_publish(story=story, by=hr_admin, version=story.version)
    # Consenting again makes it ready; HR publishes it again.
    story = services.story_consent(story=story, by=mentor, version=story.version)
    assert story.status == "ready"


def test_editing_after_consent_asks_both_again_and_takes_a_published_story_down(
    story, hr_admin, mentee
):
    story = services.story_publish(story=consented(story), by=hr_admin, version=story.version)
    old_version = story.version
    story = services.story_update(
        story=story, by=hr_admin, version=old_version, **{**TEXT, "quote": "Listen first."}
    )
    assert story.version == old_version + 1
    assert (story.status, story.mentor_consent_at, story.mentee_consent_at) == (
        "awaiting_consent",
        None,
        None,
    )
    assert Notification.objects.filter(kind="metrics.story_consent", occasion="v2").count() == 2
    # A consent given to the version read before the change is refused.
    with pytest.raises(ValidationError, match="changed while you were reading"):
        services.story_consent(story=story, by=mentee, version=old_version)
    # Saving the same text again changes nothing.
    same = services.story_update(
        story=story, by=hr_admin, version=story.version, **{**TEXT, "quote": "Listen first."}
    )
    assert same.version == story.version


def test_only_the_author_or_hr_edit_and_only_members_consent(client, story, mentor, hr_admin):
    with pytest.raises(ValidationError):
        services.story_update(story=story, by=mentor, version=story.version, **TEXT)
    with pytest.raises(ValidationError):
        services.story_consent(story=story, by=hr_admin, version=story.version)
    client.force_login(mentor)
    assert client.get(f"/metrics/stories/{story.code}/edit/").status_code == 403
    assert client.get(f"/metrics/stories/{story.code}/").status_code == 200


def test_outsiders_and_the_manager_cannot_open_an_unpublished_story_or_write_one(
    client, story, pair, manager, outsider
):
    for person in (manager, outsider):
        client.force_login(person)
        assert client.get(f"/metrics/stories/{story.code}/").status_code == 404
        assert client.get(f"/metrics/stories/{story.code}/edit/").status_code == 404
        assert client.get(f"/metrics/stories/new/{pair.code}/").status_code == 404
        assert client.get(f"/metrics/stories/{story.code}/publish/").status_code == 403
    client.logout()
    assert client.get("/metrics/stories/").url.startswith("/accounts/login/")


def test_hr_story_pages_refuse_other_roles(client, story, mentee):
    client.force_login(mentee)
    for url in (
        f"/metrics/manage/{story.program.slug}/stories/",
        f"/metrics/stories/{story.code}/publish/",
        f"/metrics/stories/{story.code}/unpublish/",
    ):
        assert client.get(url).status_code == 403, url


def test_hr_publishes_and_takes_down_from_the_browser(hr_client, story):
    story = consented(story)
    response = hr_client.post(f"/metrics/stories/{story.code}/publish/", {"version": story.version})
    assert response.url == f"/metrics/manage/{story.program.slug}/stories/"
    story.refresh_from_db()
    assert story.status == "published"
    hr_client.post(f"/metrics/stories/{story.code}/unpublish/", {"version": story.version})
    story.refresh_from_db()
    assert story.status == "ready" and story.mentor_consent_at is not None


def test_story_pages_keep_a_constant_number_of_queries(program, hr_client, hr_admin):
    reader = Client()
    reader.force_login(UserFactory())

    def counts() -> list[int]:
        found = []
        for who, url in (
            (hr_client, f"/metrics/manage/{program.slug}/stories/"),
            (reader, "/metrics/stories/"),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert who.get(url).status_code == 200
            found.append(len(queries))
        return found

    def published_story():
        pair = active_pair(program, UserFactory(), UserFactory())
        story = services.story_create(mentorship=pair, by=pair.mentee, **TEXT)
        services.story_publish(story=consented(story), by=hr_admin, version=story.version)

    published_story()
    before = counts()
    for _ in range(4):
        published_story()
    assert counts() == before


def test_story_pages_render_and_the_program_page_shows_published_stories(
    hr_client, story, hr_admin
):
    assert hr_client.get(f"/metrics/stories/{story.code}/edit/").status_code == 200
    assert hr_client.get(f"/metrics/stories/{story.code}/").status_code == 200
    assert hr_client.get(f"/metrics/stories/{story.code}/publish/").status_code == 200
    program = story.program
    page = hr_client.get(f"/programs/{program.slug}/").content.decode()
    assert 'data-testid="program-stories"' not in page
    story = services.story_publish(story=consented(story), by=hr_admin, version=story.version)
    html = hr_client.get(f"/programs/{program.slug}/").content.decode()
    assert 'data-testid="program-stories"' in html
    assert TEXT["title"] in html and "<strong>delegation</strong>" in html


def test_a_story_page_is_headed_by_the_story_title(client, story, mentor):
    client.force_login(mentor)
    html = client.get(f"/metrics/stories/{story.code}/").content.decode()
    assert f'<h1 class="h4">{story.title}</h1>' in html
    assert html.count("<h1") == 1


def test_a_story_form_sent_twice_saves_one_story(client, pair, mentee):
    client.force_login(mentee)
    data = {**TEXT, "form_token": "0b7e6f7c-51b1-4f57-9d3c-2f4f0c1a9e11"}
    first = client.post(f"/metrics/stories/new/{pair.code}/", data)
    again = client.post(f"/metrics/stories/new/{pair.code}/", data)
    story = SuccessStory.objects.get()
    assert first.url == again.url == f"/metrics/stories/{story.code}/"
