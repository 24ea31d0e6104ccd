"""Spanish is the default language: every message must have its Spanish translation."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
SOURCES = [
    "core",
    "audit",
    "mentoring",
    "people",
    "notifications",
    "programs",
    "matching",
    "training",
    "goals",
    "metrics",
    "templates",
]


@pytest.fixture
def fresh_catalogue(tmp_path, settings, monkeypatch):
    """Extract every message from the sources and merge it into a copy of the catalogue."""
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is needed to extract messages; CI installs it")
    for name in SOURCES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "locale" / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(CATALOGUE, target / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["es"], verbosity=0, no_obsolete=True)
    return target / "django.po"


def test_every_message_has_a_spanish_translation(fresh_catalogue):
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(fresh_catalogue)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, (
        f"{result.stderr.strip()} — run `make messages-update` and translate the new "
        "entries in locale/es/LC_MESSAGES/django.po"
    )
