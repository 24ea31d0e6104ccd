"""The measurement app's routes: each feature declares its own, in its urls.py."""

from django.urls import include, path

app_name = "metrics"

urlpatterns = [
    path("", include("metrics.surveys.urls")),
    path("", include("metrics.feedback.urls")),
    path("", include("metrics.stories.urls")),
    path("", include("metrics.dashboards.urls")),
]
