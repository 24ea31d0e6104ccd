from . import views_agreement, views_meetings, views_plan

app_name = "goals"

urlpatterns = [
    *views_agreement.urlpatterns,
    *views_plan.urlpatterns,
    *views_meetings.urlpatterns,
]
