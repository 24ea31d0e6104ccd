from django.urls import include, path

from . import views_agreement

app_name = "goals"

urlpatterns = [
    path("", include("goals.agreements.urls")),
    *views_agreement.urlpatterns,
    path("", include("goals.plans.urls")),
    path("", include("goals.meetings.urls")),
    path("", include("goals.closing.urls")),
]
