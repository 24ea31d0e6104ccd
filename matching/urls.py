from . import views, views_catalogue, views_proposals

app_name = "matching"

urlpatterns = [
    *views.urlpatterns,
    *views_catalogue.urlpatterns,
    *views_proposals.urlpatterns,
]
