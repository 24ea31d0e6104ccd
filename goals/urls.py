from django.urls import include, path

from . import views_agreement, views_meetings, views_plan

app_name = "goals"

urlpatterns = [
    path("", include("goals.agreements.urls")),
    *views_agreement.urlpatterns,
    *views_plan.urlpatterns,
    *views_meetings.urlpatterns,
]
