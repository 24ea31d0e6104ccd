from django.urls import path

from . import views

urlpatterns = [
    path("manage/<slug:slug>/questions/", views.questions, name="questions"),
    path(
        "manage/<slug:slug>/questions/new/<str:role>/",
        views.question_create,
        name="question_create",
    ),
    path(
        "manage/<slug:slug>/questions/restore/<str:role>/",
        views.questions_restore,
        name="questions_restore",
    ),
    path("manage/<slug:slug>/questions/<uuid:code>/", views.question_edit, name="question_edit"),
    path(
        "manage/<slug:slug>/questions/<uuid:code>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path(
        "manage/<slug:slug>/questions/<uuid:code>/move/<str:direction>/",
        views.question_move,
        name="question_move",
    ),
]
