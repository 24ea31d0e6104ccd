from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from people.models import Department, User

SAMPLE = Path(__file__).parent / "data" / "employees.csv"  # shared/samples/employees.csv
HEADER = "email,first_name,last_name,department,job_title,manager_email,location,languages,skills"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        f"{HEADER}\n"
        "ana@example.com,Ana,Díaz,Ventas,,,,,\n"
        "juan@@x,Juan,Gil,Ventas,,,,,\n"
        "\n"
        "eva@example.com,Eva,,Ventas,,,,klingon,\n",
        encoding="utf-8",
    )
    return path


def test_importing_the_sample_prints_a_summary_and_fills_the_directory(db):
    out, err = run("import_employees", str(SAMPLE))

    assert out == "8 created, 0 updated, 0 unchanged.\n"
    assert err == ""
    assert User.objects.count() == 8


def test_importing_the_same_file_again_reports_everyone_unchanged(db):
    run("import_employees", str(SAMPLE))

    out, _err = run("import_employees", str(SAMPLE))

    assert out == "0 created, 0 updated, 8 unchanged.\n"
    assert User.objects.count() == 8


def test_a_dry_run_counts_the_changes_and_writes_nothing(db):
    out, _err = run("import_employees", str(SAMPLE), "--dry-run")

    assert out == "8 created, 0 updated, 0 unchanged (dry run: nothing was written).\n"
    assert User.objects.count() == 0
    assert Department.objects.count() == 0


@pytest.mark.parametrize("options", [[], ["--dry-run"]])
def test_a_file_with_problems_prints_one_line_each_and_exits_with_status_1(db, bad_file, options):
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_employees", str(bad_file), *options, stdout=io.StringIO(), stderr=err)

    assert failure.value.returncode == 1
    assert str(failure.value) == f"3 problems in {bad_file}; nothing was imported."
    assert err.getvalue().splitlines() == [
        "line 3: “juan@@x” is not a valid email address.",
        "line 5: The last name is missing.",
        "line 5: “klingon” is not a language we recognise. Use a code such as “es” or a "
        "name such as “Spanish”.",
    ]
    assert User.objects.count() == 0  # not even Ana, whose row was right


def test_a_file_that_cannot_be_read_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.csv"):
        run("import_employees", str(tmp_path / "missing.csv"))


def test_the_command_line_exits_with_status_1_and_the_problems_on_stderr(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes("correo;nombre\r\nana@example.com;Ana\r\n".encode("cp1252"))

    result = subprocess.run(
        [sys.executable, "manage.py", "import_employees", str(path), "--dry-run"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "LANGUAGE_CODE": "en"},
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "line 1: The first line must name the columns; these required ones are missing: "
        "last_name, department."
    )
    assert "nothing was imported" in result.stderr.splitlines()[-1]
