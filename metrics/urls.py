from django.urls import include, path

from . import views_dashboards

app_name = "metrics"

urlpatterns = [
    path("", include("metrics.surveys.urls")),
    path("", include("metrics.feedback.urls")),
    path("", include("metrics.stories.urls")),
    *views_dashboards.urlpatterns,
]
