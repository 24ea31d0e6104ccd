"""Middleware every page goes through: invalid characters and the privacy headers.

The Content-Security-Policy itself comes from django-csp (`CONTENT_SECURITY_POLICY` in the
settings); these add what it does not cover.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

# Features no page of the platform uses: the browser refuses them to any script or frame.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

# What a signed-in person downloads or reads may hold personal data: pages, exports and
# calendar files are never kept by the browser or a shared cache.
PRIVATE_TYPES = (
    "text/html",
    "text/csv",
    "text/calendar",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/json",
    "application/zip",
)

INVALID_CHARACTERS = ("\x00",)


def _has_invalid(data) -> bool:
    for key, values in data.lists():
        for text in (key, *values):
            if isinstance(text, str) and any(c in text for c in INVALID_CHARACTERS):
                return True
    return False


class InvalidCharactersMiddleware:
    """A NUL byte in a query parameter or form field gets a 400 page, never a 500.

    PostgreSQL cannot store or compare text holding a NUL byte ("A string literal cannot
    contain NUL (0x00) characters"), so a `?q=%00` reaching a filter would crash the page.
    No person types one; the 400 page says what was wrong, in the person's language.
    Uploaded files are not inspected: only the form fields of a request are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_invalid(request.GET) or (request.method == "POST" and _has_invalid(request.POST)):
            response = TemplateResponse(
                request, "400.html", {"invalid_characters": True}, status=400
            )
            return response.render()
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: private, no-store` on personal ones.

    Personal means: for a signed-in person and a page, an export or a calendar file. Static
    files are served by WhiteNoise before this middleware and keep their long cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if user is not None and user.is_authenticated and content_type in PRIVATE_TYPES:
            response.headers["Cache-Control"] = "private, no-store"
        return response
