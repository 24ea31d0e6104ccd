from django.urls import include, path

from . import views_dashboards, views_feedback, views_stories

app_name = "metrics"

urlpatterns = [
    path("", include("metrics.surveys.urls")),
    *views_feedback.urlpatterns,
    *views_stories.urlpatterns,
    *views_dashboards.urlpatterns,
]
