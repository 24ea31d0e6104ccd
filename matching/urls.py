"""Routes of stage 3: each feature declares its own, in the `matching` namespace."""

from django.urls import include, path

from . import views

app_name = "matching"

urlpatterns = [
    *views.urlpatterns,
    path("", include("matching.catalogue.urls")),
    path("", include("matching.proposals.urls")),
]
