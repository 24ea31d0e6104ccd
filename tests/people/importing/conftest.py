"""Helpers for the employee-file tests: the sample file, files built row by row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.utils import translation

SAMPLE = Path(__file__).parent.parent / "data" / "employees.csv"  # shared/samples/employees.csv
HEADER = "email,first_name,last_name,department,job_title,manager_email,location,languages,skills"
SPANISH_HEADER = (
    "correo;nombre;apellidos;departamento;puesto;correo_responsable;ubicacion;idiomas;competencias"
)


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in their English source text, whatever the default language."""
    with translation.override("en"):
        yield


def employee_file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows, ""]).encode()


def problems(plan) -> list[str]:
    return [str(error) for error in plan.errors]


def spanish_excel(data: bytes) -> str:
    """The sample as Spanish Excel saves it: Spanish headers, semicolons, CRLF."""
    rows = list(csv.reader(io.StringIO(data.decode())))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(SPANISH_HEADER.split(";"))
    writer.writerows(rows[1:])
    return out.getvalue()
