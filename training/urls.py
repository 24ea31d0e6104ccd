from django.urls import include, path

from . import views, views_program

app_name = "training"

urlpatterns = [
    *views.urlpatterns,
    path("", include("training.modules.urls")),
    *views_program.urlpatterns,
    path("", include("training.workshops.urls")),
]
