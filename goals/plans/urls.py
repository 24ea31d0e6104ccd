from django.urls import path

from . import views

urlpatterns = [
    path("pairs/<uuid:code>/plan/", views.plan, name="plan"),
    path("pairs/<uuid:code>/plan/print/", views.plan_print, name="plan_print"),
    path("pairs/<uuid:code>/goals/new/", views.goal_create, name="goal_create"),
    path("goals/<uuid:code>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<uuid:code>/review/", views.goal_review, name="goal_review"),
    path("goals/<uuid:code>/status/", views.goal_status, name="goal_status"),
    path("goals/<uuid:code>/history/", views.goal_history, name="goal_history"),
    path("goals/<uuid:code>/steps/new/", views.step_create, name="step_create"),
    path("steps/<uuid:code>/edit/", views.step_edit, name="step_edit"),
    path("steps/<uuid:code>/status/", views.step_status, name="step_status"),
]
