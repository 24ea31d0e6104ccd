from django.urls import path

from . import views

urlpatterns = [
    path("manage/<slug:slug>/personal-data/", views.personal_data, name="personal_data"),
]
