"""Project-wide pages: home per role, language switch, health, error pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matching.pairs.selectors import mentoring_summary
from people import selectors as people_selectors
from people.models import User
from programs.models import Program

logger = logging.getLogger(__name__)


def home(request):
    user = request.user
    context = {
        "reports": people_selectors.direct_reports(user) if user.is_manager else None,
        "directory": people_selectors.directory_summary() if user.is_hr else None,
        "open_programs": Program.objects.open_for_applications()[:5],
        "mentoring": mentoring_summary(user),
    }
    return render(request, "home.html", context)


@login_not_required
def accessibility(request):
    """The accessibility statement: what is tested, known gaps, and whom to tell of a barrier."""
    contacts = []
    if request.user.is_authenticated and not settings.ACCESSIBILITY_CONTACT:
        contacts = list(User.objects.hr_admins().order_by("last_name", "first_name")[:5])
    return render(
        request,
        "accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT, "hr_contacts": contacts},
    )


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language; a signed-in person keeps it on their profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language", "updated_at"])
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


def _broker_status() -> str:
    broker = settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    if broker.startswith("filesystem://"):
        return "local"
    try:
        import redis

        redis.Redis.from_url(broker, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means the broker is down
        logger.warning("Broker check failed: %s", exc)
        return "error"
    return "ok"


@login_not_required
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means we cannot serve
        logger.error("Database check failed: %s", exc)
        database = "error"
    broker = _broker_status()
    can_serve = database == "ok"
    return JsonResponse(
        {
            "status": "ok"
            if can_serve and broker != "error"
            else ("degraded" if can_serve else "error"),
            "database": database,
            "broker": broker,
        },
        status=200 if can_serve else 503,
    )


@login_not_required
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def error_403(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def error_500(request):
    return render(request, "500.html", status=500)
