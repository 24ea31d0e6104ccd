from django.urls import path

from . import views

urlpatterns = [
    path("manage/<slug:slug>/funnel/", views.funnel, name="funnel"),
]
