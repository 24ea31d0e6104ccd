"""Success stories: written by a member of the pair (or HR for them), published by HR only
with both members' consent to the exact version published.

Any change to the text after someone consented asks both for consent again (and takes a
published story down); withdrawing consent takes it down at once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Mentorship
from notifications.services import notify
from people.models import User

from ..models import SuccessStory
from .selectors import RELATED, WRITABLE_PAIRS, S, can_edit, member_role, story_url

CONTENT = ("title", "worked_on", "what_changed", "quote")


def _clean(fields: dict) -> dict:
    cleaned = {key: (fields.get(key) or "").strip() for key in CONTENT}
    problems = {
        key: _("This field is required.")
        for key in ("title", "worked_on", "what_changed")
        if not cleaned[key]
    }
    if problems:
        raise ValidationError(problems)
    return cleaned


def _ask_consent(story: SuccessStory) -> None:
    """Both members are asked, once per version of the text."""
    for person in (story.mentorship.mentor, story.mentorship.mentee):
        notify(
            kind="metrics.story_consent",
            recipient=person,
            target=story,
            occasion=f"v{story.version}",
            context={"story": story, "author": story.author, "program": story.program},
            url=story_url(story),
        )


def _tell_hr(story: SuccessStory, kind: str, occasion: str) -> None:
    owner = story.program.created_by
    people = (
        [owner]
        if owner.is_active and owner.is_hr
        else list(User.objects.hr_admins().distinct().order_by("pk"))
    )
    for person in people:
        notify(
            kind=kind,
            recipient=person,
            target=story,
            occasion=occasion,
            context={"story": story, "program": story.program},
            url=reverse("metrics:stories_manage", args=[story.program.slug]),
        )


@transaction.atomic
def story_create(*, mentorship: Mentorship, by, **fields) -> SuccessStory:
    """A new story about a pair, waiting for both members' consent."""
    if not (getattr(by, "is_hr", False) or by.pk in (mentorship.mentor_id, mentorship.mentee_id)):
        raise ValidationError(_("Only the pair's members or HR can write its story."))
    if mentorship.status not in WRITABLE_PAIRS:
        raise ValidationError(_("Stories can only be written about active or completed pairs."))
    story = SuccessStory.objects.create(
        program_id=mentorship.program_id,
        mentorship=mentorship,
        author=by,
        status=S.AWAITING_CONSENT,
        **_clean(fields),
    )
    story.mentorship = mentorship
    _ask_consent(story)
    return story


def _lock(story: SuccessStory, version: int | None) -> SuccessStory:
    locked = (
        SuccessStory.objects.select_for_update(of=("self",))
        .select_related(*RELATED)
        .get(pk=story.pk)
    )
    if version is not None and version != locked.version:
        raise ValidationError(
            _("The story changed while you were reading it. Read it again, then decide."),
            code="conflict",
        )
    return locked


@transaction.atomic
def story_update(*, story: SuccessStory, by, version: int, **fields) -> SuccessStory:
    """Edit the text: after any change, both members consent again to the new version."""
    story = _lock(story, version)
    if not can_edit(story, by):
        raise ValidationError(_("Only HR or the story's author can change it."))
    cleaned = _clean(fields)
    if all(getattr(story, key) == value for key, value in cleaned.items()):
        return story
    was_published = story.status == S.PUBLISHED
    for key, value in cleaned.items():
        setattr(story, key, value)
    story.version += 1
    story.mentor_consent_at = story.mentee_consent_at = None
    story.status = S.AWAITING_CONSENT
    story.save()
    _ask_consent(story)
    if was_published:
        _tell_hr(story, "metrics.story_withdrawn", f"edited-v{story.version}")
    return story


@transaction.atomic
def story_consent(*, story: SuccessStory, by, version: int) -> SuccessStory:
    """A member agrees to publish this version; with both, HR may publish it."""
    story = _lock(story, version)
    role = member_role(story, by)
    if role is None:
        raise ValidationError(_("Only the pair's mentor and mentee consent to their story."))
    field = f"{role}_consent_at"
    if getattr(story, field) is None:
        setattr(story, field, timezone.now())
    both = story.mentor_consent_at and story.mentee_consent_at
    if story.status != S.PUBLISHED:
        story.status = S.READY if both else S.AWAITING_CONSENT
    story.save()
    if both:
        _tell_hr(story, "metrics.story_ready", f"v{story.version}")
    return story


@transaction.atomic
def story_withdraw(*, story: SuccessStory, by) -> SuccessStory:
    """A member withdraws consent (or declines): the story is unpublished at once."""
    story = _lock(story, None)
    role = member_role(story, by)
    if role is None:
        raise ValidationError(_("Only the pair's mentor and mentee consent to their story."))
    was_visible = story.status in (S.PUBLISHED, S.READY)
    setattr(story, f"{role}_consent_at", None)
    story.status = S.WITHDRAWN
    story.save()
    if was_visible:
        _tell_hr(story, "metrics.story_withdrawn", f"withdrawn-{timezone.now().isoformat()}")
    return story


@transaction.atomic
def story_publish(*, story: SuccessStory, by, version: int) -> SuccessStory:
    """HR publishes the version both members consented to; refused otherwise."""
    story = _lock(story, version)
    if not getattr(by, "is_hr", False):
        raise ValidationError(_("Only HR can publish stories."))
    if story.status == S.PUBLISHED:
        raise ValidationError(_("This story is already published."))
    if not (story.mentor_consent_at and story.mentee_consent_at):
        raise ValidationError(
            _("Both the mentor and the mentee must consent before the story is published.")
        )
    story.status = S.PUBLISHED
    story.published_at = timezone.now()
    story.published_by = by
    story.save()
    for person in (story.mentorship.mentor, story.mentorship.mentee):
        notify(
            kind="metrics.story_published",
            recipient=person,
            target=story,
            occasion=f"v{story.version}",
            context={"story": story, "program": story.program},
            url=reverse("metrics:stories"),
        )
    return story


@transaction.atomic
def story_unpublish(*, story: SuccessStory, by) -> SuccessStory:
    """HR takes a story down; the consents stay, so it can be published again."""
    story = _lock(story, None)
    if not getattr(by, "is_hr", False):
        raise ValidationError(_("Only HR can publish stories."))
    if story.status != S.PUBLISHED:
        raise ValidationError(_("This story is not published."))
    story.status = S.READY
    story.save()
    return story
