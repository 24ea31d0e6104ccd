"""Reads of success stories: who may open a story or write one, and the published ones."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from matching.access import pairs_visible_to, viewer_role
from matching.models import Mentorship

from ..models import SuccessStory

S = SuccessStory.Status
WRITABLE_PAIRS = (Mentorship.Status.ACTIVE, Mentorship.Status.COMPLETED)
RELATED = ("program", "mentorship__mentor", "mentorship__mentee", "author", "published_by")


def story_url(story: SuccessStory) -> str:
    return reverse("metrics:story_consent", args=[story.code])


def member_role(story: SuccessStory, user) -> str | None:
    if user.pk == story.mentorship.mentor_id:
        return "mentor"
    if user.pk == story.mentorship.mentee_id:
        return "mentee"
    return None


def get_pair_for_story(user, code) -> Mentorship:
    """A pair a story can be written about: by its members or HR (the manager gets 404)."""
    pair = get_object_or_404(
        pairs_visible_to(user).select_related("program", "mentor", "mentee"), code=code
    )
    if viewer_role(user, pair) not in ("mentor", "mentee", "hr"):
        raise Http404
    return pair


def get_story_for_user(user, code) -> SuccessStory:
    """A story its pair's members and HR may open before it is published; 404 otherwise."""
    story = get_object_or_404(SuccessStory.objects.select_related(*RELATED), code=code)
    if not (getattr(user, "is_hr", False) or member_role(story, user)):
        raise Http404
    return story


def can_edit(story: SuccessStory, user) -> bool:
    is_author = user.pk == story.author_id and member_role(story, user) is not None
    return getattr(user, "is_hr", False) or is_author


def published_stories() -> QuerySet[SuccessStory]:
    return SuccessStory.objects.filter(status=S.PUBLISHED).select_related(*RELATED)


def stories_for_program(program) -> QuerySet[SuccessStory]:
    """The program's published stories, newest first, for its public page."""
    return published_stories().filter(program=program).order_by("-published_at", "-pk")


def stories_of_user(user) -> QuerySet[SuccessStory]:
    """The stories about the user's own pairs, whatever their status."""
    return (
        SuccessStory.objects.filter(Q(mentorship__mentor=user) | Q(mentorship__mentee=user))
        .select_related(*RELATED)
        .order_by("-updated_at")
    )


def pairs_to_write_about(user) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user), status__in=WRITABLE_PAIRS)
        .select_related("program", "mentor", "mentee")
        .order_by("-starts_on", "-pk")
    )
