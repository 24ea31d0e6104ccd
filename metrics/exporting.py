"""A program's results as CSV or XLSX: objectives, indicators, meetings per week, pairs at risk.

Both formats hold the same tables; every text cell goes through `csvsafe.neutralize`, so a
title typed as `=HYPERLINK(...)` shows as text in a spreadsheet instead of running.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

import xlsxwriter
from django.utils.translation import gettext as _

from core.csvsafe import neutralize
from programs.indicators import INDICATORS
from programs.models import Program

from .dashboards.selectors import STATUS_LABELS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralize(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def tables(program: Program, data: dict) -> list[tuple[str, list[str], list[list]]]:
    """[(sheet name, header, rows)] of a program dashboard's data."""
    objectives = [
        [
            row.objective.title,
            str(row.indicator.label),
            row.code,
            row.kind,
            row.value,
            row.target,
            row.expected,
            row.objective.target_date,
            str(STATUS_LABELS[row.status]),
            row.trend["label"] if row.trend else "",
        ]
        for row in data["objectives"]
    ]
    indicators = [
        [str(item.label), code, item.kind, data["values"].get(code), item.unit]
        for code, item in INDICATORS.items()
    ]
    weeks = [[day, count] for day, count in data["weeks"]]
    risks = [
        [
            item["pair"].mentor.get_full_name(),
            item["pair"].mentee.get_full_name(),
            item["pair"].start,
            "; ".join(reason["text"] for reason in item["reasons"]),
        ]
        for item in data["risks"]
    ]
    return [
        (
            _("Objectives"),
            [
                _("Objective"),
                _("Measured by"),
                _("Code"),
                _("Kind"),
                _("Value"),
                _("Target"),
                _("Expected by today"),
                _("Target date"),
                _("Status"),
                _("Trend"),
            ],
            objectives,
        ),
        (
            _("Indicators"),
            [_("Indicator"), _("Code"), _("Kind"), _("Value"), _("Unit")],
            indicators,
        ),
        (_("Meetings per week"), [_("Week starting"), _("Meetings held")], weeks),
        (_("Pairs at risk"), [_("Mentor"), _("Mentee"), _("Start"), _("Why")], risks),
    ]


def write_csv(out, sections: Iterable[tuple[str, list[str], list[list]]]) -> None:
    """One CSV: each table after a line with its name, tables separated by an empty line."""
    writer = csv.writer(out)
    for number, (name, header, rows) in enumerate(sections):
        if number:
            writer.writerow([])
        writer.writerow([_cell(name)])
        writer.writerow([_cell(h) for h in header])
        for row in rows:
            writer.writerow([_cell(value) for value in row])


def csv_text(program: Program, data: dict) -> str:
    out = io.StringIO()
    write_csv(out, tables(program, data))
    return out.getvalue()


def xlsx_bytes(program: Program, data: dict) -> bytes:
    """A workbook with a sheet per table; strings are never read as formulas or links."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        out,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = workbook.add_format({"bold": True})
    for name, header, rows in tables(program, data):
        sheet = workbook.add_worksheet(name[:31])
        sheet.write_row(0, 0, [_cell(h) for h in header], bold)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                value = _cell(value)
                if isinstance(value, str):
                    sheet.write_string(number, column, value)
                else:
                    sheet.write_number(number, column, float(value))
        sheet.set_column(0, max(0, len(header) - 1), 18)
        sheet.freeze_panes(1, 0)
    workbook.close()
    return out.getvalue()
