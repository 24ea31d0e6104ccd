from __future__ import annotations

from django.conf import settings

from notifications.models import Notification


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"signup_open": bool(settings.SIGNUP_EMAIL_DOMAINS)}
    return {
        "unread_notifications": Notification.objects.for_user(user).unread().count(),
    }
