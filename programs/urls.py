from django.urls import include, path

app_name = "programs"

# The features' routes, tried in this order. The program page (`<slug:slug>/`, in definition)
# takes any single path segment, so no other feature may route one.
urlpatterns = [
    path("", include("programs.definition.urls")),
    path("", include("programs.questionnaire.urls")),
    path("", include("programs.sessions.urls")),
    path("", include("programs.outreach.urls")),
    path("", include("programs.funnel.urls")),
    path("", include("programs.applications.urls")),
    path("", include("programs.retention.urls")),
]
