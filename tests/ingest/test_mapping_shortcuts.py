"""The mapping's shortcuts for a column of text give what its general path gives, on tricky columns."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from axspa.ingest.mapping import _cells_to_missing, _to_missing

TOKENS = frozenset({"n.a.", "not done", "-99", "1.0"})

COLUMNS = {
    "no token": ["P1", "P2", None, "P1", " P3 "],
    "tokens in any spelling and spacing": ["N.A.", " n.a. ", "x", "Not Done", "not  done", "n.a", None],
    "tokens that look like numbers": ["-99", "-99.0", " -99", "1.0", "1", "+1.0", "1.00"],
    "every value a token": ["n.a.", "N.A.", "not done", " NOT DONE "],
    "missing cells of every kind": [None, math.nan, pd.NA, "n.a.", "b"],
    "nothing but missing cells": [None, math.nan, None],
    "empty": [],
    "numbers among the text": ["n.a.", -99, 1.0, True, "x", 1],  # the general path: 1, 1.0 and True are one key
    "text 'nan' and 'inf'": ["nan", "inf", "-inf", "NaN", "n.a."],
    "runs of equal cells (a registry's visits)": [f"P{i // 10}" for i in range(5000)] + ["N.a."] * 3 + ["P1"],
}


CASES = [
    pytest.param(cells, dtype, id=f"{name}-{'object' if dtype is object else dtype}")
    for name, cells in COLUMNS.items()
    for dtype in (object, "str")
    if dtype is object or all(isinstance(c, str) or pd.isna(c) for c in cells)  # a str column holds only text
]


@pytest.mark.parametrize(("cells", "dtype"), CASES)
def test_missing_tokens_of_a_column_of_text_as_the_general_path_finds_them(cells: list[object], dtype) -> None:
    series = pd.Series(cells, dtype=dtype, index=pd.RangeIndex(len(cells)) + 7)
    expected = _cells_to_missing(series, TOKENS)
    got = _to_missing(series, TOKENS)
    pd.testing.assert_series_equal(got, expected)
    assert [type(v) for v in got.tolist()] == [type(v) for v in expected.tolist()]


def test_a_column_without_tokens_comes_back_as_it_was() -> None:
    series = pd.Series(["P1", "P2", None], dtype=object)
    assert _to_missing(series, TOKENS) is series


def test_tokens_found_are_set_missing_and_nothing_else() -> None:  # written out by hand
    series = pd.Series(["N.A.", " not done ", "-99.0", "x", None, "1.0"], dtype=object)
    assert _to_missing(series, TOKENS).tolist() == [None, None, "-99.0", "x", None, None]
    assert np.array_equal(_to_missing(series, TOKENS).isna().to_numpy(), [True, True, False, False, True, True])


def _recode(series: pd.Series) -> tuple[list[object], list[str]]:
    from pathlib import Path

    from axspa.ingest.mapping import Recode, TableMapping, _recode_column

    recode = Recode(values={"M": "male", "F": "female"}, patterns=((re.compile("(?i)^w"), "female"),))
    table = TableMapping(name="patients", file=Path("export.csv"))
    out, problems = _recode_column(
        series, recode, "sex", where="mapping file m.toml, [patients]", table=table, tokens=TOKENS
    )
    return [None if pd.isna(v) else v for v in out.tolist()], [p.message for p in problems]


RECODE_CELLS = [" M", "F", "n.a.", "N.A. ", None, "NA", "woman", "x", "male", "x ", "?", math.nan, "-99"]


def test_a_recode_on_distinct_values_gives_each_cells_value_and_the_rows_of_each_unrecoded_value() -> None:
    values, messages = _recode(pd.Series(RECODE_CELLS * 3, dtype=object))
    # by hand: tokens and missing cells are missing; stripped values recoded; "male" is already a target
    assert values == ["male", "female", None, None, None, None, "female", None, "male", None, None, None, None] * 3
    assert messages == [
        f"mapping file m.toml, [patients].recode.sex: value {v!r} of column sex is not recoded (export.csv, "
        f"{rows}); add it to the values or patterns of the recode"
        for v, rows in (("x", "6 rows: 8, 10, 21, 23, 34, ..."), ("?", "3 rows: 11, 24, 37"))
    ]


@pytest.mark.parametrize("cells", [RECODE_CELLS, [f" M{i % 3}" for i in range(5000)] + ["F", "n.a."], [None, None], []])
def test_a_recode_of_an_object_column_equals_the_cell_by_cell_recode_of_the_same_text(cells: list[object]) -> None:
    as_object = _recode(pd.Series(cells, dtype=object))
    as_str = _recode(pd.Series(cells, dtype="str"))  # the str dtype is recoded cell by cell
    assert as_object == as_str


def _dates(series: pd.Series) -> tuple[list[object], list[str]]:
    from pathlib import Path

    from axspa.ingest.mapping import TableMapping, _date_column

    table = TableMapping(name="visits", file=Path("export.csv"))
    out, problems = _date_column(series, "%d.%m.%Y", "visit_date", where="mapping file m.toml, [visits]", table=table)
    return [None if pd.isna(v) else v for v in out.tolist()], [p.message for p in problems]


DATE_CELLS = ["01.03.2024", " 15.03.2024", "2024-03-29 00:00:00", "31.02.2024", None, "NA", "x", "01.03.2024"]


def test_dates_read_once_per_distinct_value_give_each_cells_date_and_the_rows_of_each_bad_one() -> None:
    values, messages = _dates(pd.Series(DATE_CELLS * 2, dtype=object))
    # by hand: day.month.year to ISO; a workbook's date-time read as its date; 31 February and "x" are not dates
    assert values == ["2024-03-01", "2024-03-15", "2024-03-29", "31.02.2024", None, None, "x", "2024-03-01"] * 2
    assert messages == [
        f"mapping file m.toml, [visits].dates.visit_date: value {v!r} of column visit_date is not a date in the "
        f"format '%d.%m.%Y' (export.csv, {rows})"
        for v, rows in (("31.02.2024", "2 rows: 4, 12"), ("x", "2 rows: 7, 15"))
    ]


@pytest.mark.parametrize("cells", [DATE_CELLS, [f"{1 + i % 28:02d}.01.2024" for i in range(5000)] + ["y"], []])
def test_dates_of_an_object_column_equal_the_cell_by_cell_reading_of_the_same_text(cells: list[object]) -> None:
    assert _dates(pd.Series(cells, dtype=object)) == _dates(pd.Series(cells, dtype="str"))
