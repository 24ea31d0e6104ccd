"""Every route of success stories: the list, writing, consenting, and HR publishing."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("manage/<slug:slug>/stories/", views.stories_manage, name="stories_manage"),
    path("stories/", views.stories, name="stories"),
    path("stories/new/<uuid:code>/", views.story_new, name="story_new"),
    path("stories/<uuid:code>/", views.story_consent, name="story_consent"),
    path("stories/<uuid:code>/edit/", views.story_edit, name="story_edit"),
    path("stories/<uuid:code>/publish/", views.story_publish, name="story_publish"),
    path("stories/<uuid:code>/unpublish/", views.story_unpublish, name="story_unpublish"),
]
