from django.urls import path

from ..events import views
from .views import SESSION_PAGES

pages = {"pages": SESSION_PAGES}

urlpatterns = [
    path("manage/<slug:slug>/sessions/", views.event_list, pages, name="sessions"),
    path("manage/<slug:slug>/sessions/new/", views.event_create, pages, name="session_create"),
    path("manage/<slug:slug>/sessions/<uuid:code>/", views.event_edit, pages, name="session_edit"),
    path(
        "manage/<slug:slug>/sessions/<uuid:code>/cancel/",
        views.event_cancel,
        pages,
        name="session_cancel",
    ),
    path(
        "manage/<slug:slug>/sessions/<uuid:code>/attendance/",
        views.event_attendance,
        pages,
        name="session_attendance",
    ),
    path("sessions/<uuid:code>/register/", views.event_register, pages, name="session_register"),
    path(
        "sessions/<uuid:code>/unregister/",
        views.event_unregister,
        pages,
        name="session_unregister",
    ),
    path("sessions/<uuid:code>/invite.ics", views.event_ics, pages, name="session_ics"),
]
