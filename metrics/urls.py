from django.urls import include, path

from . import views_dashboards, views_stories

app_name = "metrics"

urlpatterns = [
    path("", include("metrics.surveys.urls")),
    path("", include("metrics.feedback.urls")),
    *views_stories.urlpatterns,
    *views_dashboards.urlpatterns,
]
