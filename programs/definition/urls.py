from django.urls import path

from . import views

urlpatterns = [
    path("", views.program_list, name="list"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.program_create, name="create"),
    path("manage/<slug:slug>/", views.program_manage, name="manage"),
    path("manage/<slug:slug>/edit/", views.program_edit, name="edit"),
    path("manage/<slug:slug>/duplicate/", views.program_duplicate, name="duplicate"),
    path("manage/<slug:slug>/status/<str:to>/", views.program_transition, name="transition"),
    path("manage/<slug:slug>/objectives/new/", views.objective_create, name="objective_create"),
    path("manage/<slug:slug>/objectives/<int:pk>/", views.objective_edit, name="objective_edit"),
    path(
        "manage/<slug:slug>/objectives/<int:pk>/delete/",
        views.objective_delete,
        name="objective_delete",
    ),
    # Last: any other single segment is a program's page.
    path("<slug:slug>/", views.program_detail, name="detail"),
]
