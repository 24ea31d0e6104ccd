from django.urls import include, path

app_name = "goals"

urlpatterns = [
    path("", include("goals.agreements.urls")),
    path("", include("goals.closing.urls")),
    path("", include("goals.program.urls")),
    path("", include("goals.plans.urls")),
    path("", include("goals.meetings.urls")),
]
