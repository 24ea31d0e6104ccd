from django.urls import path

from . import views

urlpatterns = [
    path("manage/<slug:slug>/sessions/", views.sessions, name="sessions"),
    path("manage/<slug:slug>/sessions/new/", views.session_create, name="session_create"),
    path("manage/<slug:slug>/sessions/<uuid:code>/", views.session_edit, name="session_edit"),
    path(
        "manage/<slug:slug>/sessions/<uuid:code>/cancel/",
        views.session_cancel,
        name="session_cancel",
    ),
    path(
        "manage/<slug:slug>/sessions/<uuid:code>/attendance/",
        views.session_attendance,
        name="session_attendance",
    ),
    path("sessions/<uuid:code>/register/", views.session_register, name="session_register"),
    path("sessions/<uuid:code>/unregister/", views.session_unregister, name="session_unregister"),
    path("sessions/<uuid:code>/invite.ics", views.session_ics, name="session_ics"),
]
