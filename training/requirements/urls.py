from django.urls import path

from . import views

urlpatterns = [
    path("", views.my_training, name="my_training"),
    path("programs/<slug:slug>/", views.program_requirements, name="program_requirements"),
    path(
        "programs/<slug:slug>/requirements/<uuid:code>/",
        views.requirement_edit,
        name="requirement_edit",
    ),
    path(
        "programs/<slug:slug>/requirements/<uuid:code>/remove/",
        views.requirement_remove,
        name="requirement_remove",
    ),
    path("programs/<slug:slug>/progress/", views.progress, name="program_progress"),
    path("programs/<slug:slug>/progress.csv", views.progress_export, name="program_progress_csv"),
]
