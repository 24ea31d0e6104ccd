from django.urls import path

from . import views

urlpatterns = [
    path("pairs/<uuid:code>/closing/", views.closing, name="closing"),
    path("pairs/<uuid:code>/closing/close/", views.close, name="close"),
    path("pairs/<uuid:code>/extension/", views.extension_request, name="extension_request"),
]
