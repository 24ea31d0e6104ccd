"""The routes of one kind of event, for the kind's own urls.py: its paths, its URL names."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views


def event_urls(pages: views.EventPages, *, hr: str, people: str) -> list[URLPattern]:
    """HR's pages below `hr` (which takes the program's slug), people's below `people`.

    Each route is named after `pages.urls`, without the namespace its app's urls.py gives.
    """
    names = pages.urls
    kwargs = {"pages": pages}

    def route(suffix: str, view, name: str) -> URLPattern:
        return path(suffix, view, kwargs, name=name.rpartition(":")[2])

    return [
        route(hr, views.event_list, names.list),
        route(f"{hr}new/", views.event_create, names.new),
        route(f"{hr}<uuid:code>/", views.event_edit, names.edit),
        route(f"{hr}<uuid:code>/cancel/", views.event_cancel, names.cancel),
        route(f"{hr}<uuid:code>/attendance/", views.event_attendance, names.attendance),
        route(f"{people}<uuid:code>/register/", views.event_register, names.register),
        route(f"{people}<uuid:code>/unregister/", views.event_unregister, names.unregister),
        route(f"{people}<uuid:code>/invite.ics", views.event_ics, names.ics),
    ]
