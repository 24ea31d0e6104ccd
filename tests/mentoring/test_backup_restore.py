"""bin/backup and bin/restore round-trip the demo organisation through a fresh database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

ROOT = Path(settings.BASE_DIR)


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("bin/backup and bin/restore work on PostgreSQL (CI runs it)")


def url_for(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def row_counts(cursor) -> dict[str, int]:
    tables = connection.introspection.table_names(cursor)
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def script(*args: str, database_url: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    with connection.cursor() as cursor:
        cursor.execute(drop)
    yield name
    with connection.cursor() as cursor:
        cursor.execute(drop)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_demo_data_survives_backup_and_restore_into_a_fresh_database(tmp_path, fresh_database):
    _needs_postgres()
    call_command("seed_demo", verbosity=0)
    with connection.cursor() as cursor:
        before = row_counts(cursor)
    assert before["people_user"] > 100

    dump = tmp_path / "nightly" / "mentoring.dump"
    backup = script("bin/backup", str(dump), database_url=url_for(connection.settings_dict["NAME"]))
    assert backup.returncode == 0, backup.stderr
    assert dump.exists() and not dump.with_name("mentoring.dump.partial").exists()

    restore = script("bin/restore", str(dump), url_for(fresh_database))
    assert restore.returncode == 0, restore.stderr
    assert f"people_user\t{before['people_user']}" in restore.stdout

    restored_settings = {**connection.settings_dict, "NAME": fresh_database}
    restored = type(connections["default"])(restored_settings, alias="restored")
    try:
        with restored.cursor() as cursor:
            after = row_counts(cursor)
    finally:
        restored.close()
    assert after == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data(tmp_path):
    _needs_postgres()
    call_command("seed_demo", verbosity=0)
    name = connection.settings_dict["NAME"]
    dump = tmp_path / "mentoring.dump"
    assert script("bin/backup", str(dump), database_url=url_for(name)).returncode == 0
    with connection.cursor() as cursor:
        users = row_counts(cursor)["people_user"]

    refused = script("bin/restore", str(dump), url_for(name))
    assert refused.returncode == 1
    assert f"database {name} is not empty: restore only into a fresh database" in refused.stderr
    with connection.cursor() as cursor:
        assert row_counts(cursor)["people_user"] == users


def test_backup_without_a_postgres_database_says_what_is_missing(tmp_path):
    result = script("bin/backup", str(tmp_path / "x.dump"), database_url="sqlite:///x")
    assert result.returncode == 1
    assert "DATABASE_URL must be a postgres:// URL" in result.stderr
    assert not (tmp_path / "x.dump").exists()
