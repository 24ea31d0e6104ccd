"""Every route of program feedback: HR's triage, a participant's suggestions, the improvements."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("manage/<slug:slug>/feedback/", views.feedback_triage, name="feedback_triage"),
    path("manage/<slug:slug>/feedback/<uuid:code>/", views.feedback_edit, name="feedback_edit"),
    path("programs/<slug:slug>/feedback/", views.feedback_new, name="feedback_new"),
    path("programs/<slug:slug>/improvements/", views.improvements, name="improvements"),
]
