from django.urls import path

from . import views

urlpatterns = [
    path("pairs/<uuid:code>/meetings/", views.meetings, name="meetings"),
    path("pairs/<uuid:code>/meetings/new/", views.meeting_schedule, name="meeting_schedule"),
    path("meetings/<uuid:code>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:code>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:code>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<uuid:code>/log/", views.meeting_log, name="meeting_log"),
    path("meetings/<uuid:code>/private-note/", views.private_note, name="private_note"),
    path("meetings/<uuid:code>/invite.ics", views.meeting_ics, name="meeting_ics"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
