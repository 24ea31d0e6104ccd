from django.urls import include, path

from . import views_applications

app_name = "programs"

# The features' routes, in the order they are tried.
urlpatterns = [
    path("", include("programs.definition.urls")),
    path("", include("programs.questionnaire.urls")),
    path("", include("programs.sessions.urls")),
    path("", include("programs.outreach.urls")),
    path("", include("programs.funnel.urls")),
    *views_applications.urlpatterns,
]
