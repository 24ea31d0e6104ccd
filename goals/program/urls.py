from django.urls import path

from . import views

urlpatterns = [
    path("extensions/<uuid:code>/", views.extension_decide, name="extension_decide"),
    path("programs/<slug:slug>/settings/", views.program_settings, name="program_settings"),
]
