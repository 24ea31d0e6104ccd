from . import views_dashboards, views_feedback, views_stories, views_surveys

app_name = "metrics"

urlpatterns = [
    *views_surveys.urlpatterns,
    *views_feedback.urlpatterns,
    *views_stories.urlpatterns,
    *views_dashboards.urlpatterns,
]
