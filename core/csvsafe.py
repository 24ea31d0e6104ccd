"""Keep spreadsheet cells from running as formulas (CSV injection).

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@`
(and some of them also after a leading tab or carriage return) as a formula, so a job
title such as `=HYPERLINK(...)` typed by anyone could act on the machine of the HR
person who opens an export. Every CSV/XLSX export of the product writes its cells
through `neutralize`, and every import reads them through `unneutralize`, so an
exported file re-imports to exactly the same values.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_guarded(value: str) -> bool:
    """True for values that are apostrophes (any number, even none) and then a formula start.

    Values that already start with apostrophes and a formula character get one more,
    so that `unneutralize` can always take exactly one away: the pair is a bijection.
    """
    rest = value.lstrip("'")
    return rest.startswith(FORMULA_STARTS)


def neutralize(value: str) -> str:
    """`=SUM(A1)` becomes `'=SUM(A1)`, which spreadsheets show as text."""
    if value and _is_guarded(value):
        return "'" + value
    return value


def unneutralize(value: str) -> str:
    """Undo `neutralize`: `'=SUM(A1)` becomes `=SUM(A1)`; anything else is left alone."""
    if value.startswith("'") and _is_guarded(value[1:]):
        return value[1:]
    return value


def csv_download(stem: str) -> HttpResponse:
    """An empty CSV attachment named `<stem>-<today>.csv`, ready for `csv.writer`.

    It starts with a byte-order mark, which makes Excel read the accents as UTF-8.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.csv"'
    response.write("\ufeff")
    return response
