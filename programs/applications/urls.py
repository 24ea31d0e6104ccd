from django.urls import path

from . import views

urlpatterns = [
    path("my/applications/", views.my_applications, name="my_applications"),
    path("my/applications/<uuid:code>/edit/", views.application_edit, name="application_edit"),
    path(
        "my/applications/<uuid:code>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path("my/team-approvals/", views.participation_queue, name="participation_queue"),
    path("my/team-approvals/<uuid:code>/", views.participation_decide, name="participation_decide"),
    path("manage/<slug:slug>/applications/", views.applications, name="applications"),
    path(
        "manage/<slug:slug>/applications/approve/",
        views.applications_bulk_approve,
        name="applications_bulk_approve",
    ),
    path(
        "manage/<slug:slug>/applications/<uuid:code>/",
        views.application_review,
        name="application_review",
    ),
    path("<slug:slug>/apply/<str:role>/", views.apply, name="apply"),
]
