from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_mark_all_read, name="mark_all_read"),
    path("failed/", views.failed_emails, name="failed"),
    path("failed/<uuid:code>/send-again/", views.failed_email_retry, name="failed_retry"),
    path("<uuid:code>/", views.notification_open, name="open"),
]
