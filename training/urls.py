from django.urls import include, path

app_name = "training"

urlpatterns = [
    path("", include("training.requirements.urls")),
    path("", include("training.modules.urls")),
    path("", include("training.workshops.urls")),
]
