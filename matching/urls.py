"""Routes of stage 3: each feature declares its own, in the `matching` namespace."""

from django.urls import include, path

from . import views, views_catalogue

app_name = "matching"

urlpatterns = [
    *views.urlpatterns,
    *views_catalogue.urlpatterns,
    path("", include("matching.proposals.urls")),
]
