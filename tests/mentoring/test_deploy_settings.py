"""Production settings: HTTPS on by default, `check --deploy` clean, admin off.

Each test runs Django in a child process with the documented production environment
(docs/operations.md, "Configuration"), since the settings are read once at start-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def documented_production() -> dict[str, str]:
    """.env.example as shipped, with a real-looking key and a throw-away database."""
    values = {}
    for line in (Path(settings.BASE_DIR) / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    values.update(
        SECRET_KEY="k3y-" + "a1B2c3D4e5F6g7H8i9J0" * 3,
        DATABASE_URL="sqlite:////tmp/mm-deploy-check.sqlite3",
    )
    for key in ("REDIS_URL", "CACHE_URL"):
        values.pop(key)
    return values


PRODUCTION = documented_production()
DROP = {
    "PYTEST_VERSION",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/e2e/conftest.py for Playwright, never deployed
    "DEBUG",
    "SECRET_KEY",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "BEHIND_PROXY",
    "DJANGO_ADMIN",
    "ALLOWED_HOSTS",
    "REDIS_URL",
    "CELERY_TASK_ALWAYS_EAGER",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in DROP}
    clean.update(DJANGO_SETTINGS_MODULE="mentoring.settings", **env)
    return subprocess.run(
        [sys.executable, *args], env=clean, cwd=settings.BASE_DIR, capture_output=True, text=True
    )


SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k, None) for k in ["
    "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'LANGUAGE_COOKIE_SECURE', "
    "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'DJANGO_ADMIN']}))"
)


def shown(**env: str) -> dict:
    result = run(["-c", SHOW], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_prints_no_warning_with_the_documented_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "?:" not in result.stderr, result.stderr
    assert "System check identified no issues" in result.stdout


def test_with_debug_off_https_is_on_by_default_without_any_https_variable():
    values = shown(DEBUG="false", SECRET_KEY="x" * 50)
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000


def test_the_forwarded_proto_header_is_trusted_only_behind_a_declared_proxy():
    # A client reaching gunicorn directly could write X-Forwarded-Proto: https itself.
    assert shown(DEBUG="false", SECRET_KEY="x" * 50)["SECURE_PROXY_SSL_HEADER"] is None
    behind = shown(DEBUG="false", SECRET_KEY="x" * 50, BEHIND_PROXY="true")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_a_plain_http_trial_can_turn_https_off_explicitly():
    values = shown(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        SECURE_COOKIES="false",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
    )
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_development_keeps_plain_http_and_the_admin():
    values = shown(DEBUG="true")
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["DJANGO_ADMIN"] is True


GET = (
    "import json, django; django.setup(); from django.test import Client; "
    "from django.test.utils import setup_test_environment; setup_test_environment(); "
    "c = Client(); r = c.get({path!r}, HTTP_HOST='mentoring.example.com'{extra}); "
    "print(json.dumps([r.status_code, r.get('Location', ''), "
    "r.get('Strict-Transport-Security', '')]))"
)


def get(path: str, secure: bool = False, **env: str) -> list:
    extra = ", HTTP_X_FORWARDED_PROTO='https'" if secure else ""
    result = run(["-c", GET.format(path=path, extra=extra)], **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_but_the_health_check_still_answers_over_http():
    status, location, _ = get("/accounts/login/")
    assert status == 301 and location == "https://mentoring.example.com/accounts/login/"
    status, _, _ = get("/healthz")
    assert status == 200


def test_https_pages_carry_hsts_behind_the_proxy():
    status, _, hsts = get("/accounts/login/", secure=True)
    assert status == 200
    assert "max-age=31536000" in hsts


def test_the_django_admin_is_not_served_in_production_unless_asked_for():
    status, _, _ = get("/django-admin/login/", secure=True)
    assert status == 404
    status, _, _ = get("/django-admin/login/", secure=True, DJANGO_ADMIN="true")
    assert status == 200
