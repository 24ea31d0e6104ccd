"""Settings come only from the environment; run Django in a child process to see them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PRINT = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: str(getattr(s, k, '')) for k in "
    "['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_USE_TLS', "
    "'EMAIL_FILE_PATH', 'TIME_ZONE', 'LANGUAGE_CODE', 'DEBUG']}))"
)


def run_django(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTEST_VERSION", "SECRET_KEY", "DEBUG", "EMAIL_URL"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="mentoring.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        env=clean,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = run_django(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "smtp://mailer:s3cret@smtp.example.com:587",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "smtp.example.com",
                "EMAIL_PORT": "587",
                "EMAIL_HOST_USER": "mailer",
            },
        ),
        ("consolemail://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "filemail:////tmp/mentoring-mail",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/tmp/mentoring-mail",
            },
        ),
    ],
)
def test_email_is_configured_from_email_url(url, expected):
    result = run_django(DEBUG="false", SECRET_KEY="x" * 50, EMAIL_URL=url)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert {key: values[key] for key in expected} == expected


def test_defaults_are_spanish_and_madrid_time():
    result = run_django(DEBUG="true")
    values = json.loads(result.stdout)
    assert values["LANGUAGE_CODE"] == "es"
    assert values["TIME_ZONE"] == "Europe/Madrid"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
