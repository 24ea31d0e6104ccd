"""Every route of the dashboards: a program's results and export, the overview, team, progress."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("manage/<slug:slug>/results/", views.program_dashboard, name="program_dashboard"),
    path("manage/<slug:slug>/results/export/", views.program_export, name="program_export"),
    path("results/", views.overview, name="overview"),
    path("team/", views.team, name="team"),
    path("my-progress/", views.my_progress, name="my_progress"),
]
