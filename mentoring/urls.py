from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("language/", views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("people/", include("people.urls")),
    path("audit/", include("audit.urls")),
    path("programs/", include("programs.urls")),
    path("matching/", include("matching.urls")),
    path("training/", include("training.urls")),
    path("goals/", include("goals.urls")),
    path("metrics/", include("metrics.urls")),
    path("notifications/", include("notifications.urls")),
]
if settings.DJANGO_ADMIN:
    # Operators only; off in production unless DJANGO_ADMIN=true (docs/operations.md).
    urlpatterns.append(path("django-admin/", admin.site.urls))

handler403 = "mentoring.views.error_403"
handler404 = "mentoring.views.error_404"
handler500 = "mentoring.views.error_500"
