from django.urls import include, path

from . import views, views_library, views_program

app_name = "training"

urlpatterns = [
    *views.urlpatterns,
    *views_library.urlpatterns,
    *views_program.urlpatterns,
    path("", include("training.workshops.urls")),
]
