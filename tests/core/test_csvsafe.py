from __future__ import annotations

import pytest

from core.csvsafe import neutralize, unneutralize


@pytest.mark.parametrize(
    "value",
    ["=SUM(A1)", "+34 600 000 000", "-lead", "@cmd", "\tindented", "\rreturn", "=", "-"],
)
def test_cells_a_spreadsheet_would_run_as_formulas_get_a_leading_apostrophe(value):
    assert neutralize(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["", "Ana", "Directora general", "ana@example.com", "1+1", "'quoted", "a=b"]
)
def test_ordinary_cells_are_left_alone(value):
    assert neutralize(value) == value
    assert unneutralize(value) == value


@pytest.mark.parametrize(
    "value",
    ["=SUM(A1)", "-lead", "'=already guarded", "''@twice", "'", "'plain", "", "Mentoría"],
)
def test_unneutralize_gives_back_exactly_what_was_neutralized(value):
    assert unneutralize(neutralize(value)) == value


def test_a_value_that_already_looks_guarded_keeps_its_apostrophe_after_a_round_trip():
    assert neutralize("'=x") == "''=x"
    assert unneutralize("''=x") == "'=x"
    assert unneutralize("'=x") == "=x"
