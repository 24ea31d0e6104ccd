"""Routes of stage 3: each feature declares its own, in the `matching` namespace."""

from django.urls import include, path

app_name = "matching"

urlpatterns = [
    path("", include("matching.pairs.urls")),
    path("", include("matching.catalogue.urls")),
    path("", include("matching.proposals.urls")),
]
