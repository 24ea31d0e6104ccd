"""The embedded default (`make run`): a SQLite file written by several people at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_several_people_saving_at_once_on_sqlite_never_get_a_500(tmp_path: Path):
    # Its own process: the suite's database may be PostgreSQL, and SQLite settings are read
    # when Django starts.
    done = subprocess.run(
        [sys.executable, "-m", "tests.mentoring.sqlite_writers", str(tmp_path / "db.sqlite3")],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])

    assert result["errors"] == []
    assert result["statuses"] == {"GET 200": 30, "POST 302": 30}
    assert result["goals"] == 30
    assert result["agreements"] == 0  # the pair page never opened one on GET
    assert result["journal_mode"] == "wal"
