"""Every route of surveys: HR's builder and results, the participant's answer page and list."""

from __future__ import annotations

from django.urls import path

from . import views

S = "manage/survey/<uuid:code>/"
urlpatterns = [
    path("manage/<slug:slug>/surveys/", views.surveys, name="surveys"),
    path("manage/<slug:slug>/surveys/new/", views.survey_new, name="survey_new"),
    path(
        "manage/<slug:slug>/surveys/from-template/<str:kind>/",
        views.survey_from_template,
        name="survey_from_template",
    ),
    path(S, views.survey_detail, name="survey_detail"),
    path(f"{S}edit/", views.survey_edit, name="survey_edit"),
    path(f"{S}status/<str:to>/", views.survey_status, name="survey_status"),
    path(f"{S}results/", views.survey_results_view, name="survey_results"),
    path(f"{S}preview/", views.survey_preview, name="survey_preview"),
    path(f"{S}questions/new/", views.question_new, name="question_new"),
    path(f"{S}questions/<uuid:question>/", views.question_edit, name="question_edit"),
    path(f"{S}questions/<uuid:question>/delete/", views.question_delete, name="question_delete"),
    path(
        f"{S}questions/<uuid:question>/move/<str:direction>/",
        views.question_move,
        name="question_move",
    ),
    path(f"{S}schedules/new/", views.schedule_new, name="schedule_new"),
    path(f"{S}schedules/<uuid:schedule>/", views.schedule_edit, name="schedule_edit"),
    path(f"{S}schedules/<uuid:schedule>/delete/", views.schedule_delete, name="schedule_delete"),
    path("surveys/", views.my_surveys, name="my_surveys"),
    path("surveys/<str:token>/", views.answer, name="answer"),
]
