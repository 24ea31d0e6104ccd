from django.urls import include, path

from . import views_applications, views_outreach, views_sessions

app_name = "programs"

# The features' routes, in the order they are tried.
urlpatterns = [
    path("", include("programs.definition.urls")),
    path("", include("programs.questionnaire.urls")),
    *views_sessions.urlpatterns,
    *views_outreach.urlpatterns,
    *views_applications.urlpatterns,
]
