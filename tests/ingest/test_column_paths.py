"""A whole column checked at once (:meth:`Column.check_series`) agrees with the one-value rule
(:meth:`Column.check`) on every cell, whichever shortcut the column takes: numbers all in range
(two reductions), numbers with bad cells, text coded once per distinct value, mostly distinct ids."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
import pytest

from axspa.ingest.columns import Column, Kind, RuleError
from axspa.ingest.missing import token_mask

RULES = {
    "number": Column("basdai_q1", Kind.NUMBER, lower=0.0, upper=10.0, hint="A hint."),
    "required number": Column("week", Kind.NUMBER, required=True, lower=-104.0, upper=1040.0),
    "unbounded number": Column("x", Kind.NUMBER),
    "lab": Column("crp_mg_l", Kind.LAB, lower=0.0, upper=500.0),
    "id": Column("patient_id", Kind.ID, required=True),
    "category": Column("sex", Kind.CATEGORY, required=True, choices=("female", "male")),
}


def _numbers(rng: np.random.Generator, case: str, n: int) -> pd.Series:
    values = np.round(rng.uniform(0, 10, n), 1)
    if case in ("missing", "bad"):
        values[rng.random(n) < 0.2] = np.nan
    if case == "bad":
        values[rng.integers(0, n, 3)] = [-1.0, 10.5, np.inf]
    if case == "all missing":
        values[:] = np.nan
    if case == "integers":
        return pd.Series(rng.integers(0, 11, n))
    return pd.Series(values)


def _expected(rule: Column, cells: pd.Series) -> tuple[list[object], list[str | None]]:
    """Each cell through the one-value rule: its value (None if bad or missing) and its message (None if good)."""
    values: list[object] = []
    messages: list[str | None] = []
    for cell in cells.tolist():
        try:
            value = rule.check(cell)
        except RuleError as error:
            values.append(None)
            messages.append(str(error))
            continue
        values.append(getattr(value, "value", value))
        messages.append(None)
    return values, messages


def _assert_agrees(rule: Column, cells: pd.Series) -> None:
    checked = rule.check_series(cells)
    values, messages = _expected(rule, cells)
    got = [None if pd.isna(v) else v for v in checked.values.tolist()]
    assert got == values
    assert checked.bad.tolist() == [m is not None for m in messages]
    assert checked.messages.to_dict() == {i: m for i, m in enumerate(messages) if m is not None}
    assert checked.rules.index.equals(checked.messages.index)
    if rule.kind in (Kind.ID, Kind.TEXT):  # text stays Python objects, None where missing (the canonical form)
        assert checked.values.dtype == object


@pytest.mark.parametrize("case", ["clean", "missing", "bad", "all missing", "integers", "empty"])
@pytest.mark.parametrize("name", ["number", "required number", "unbounded number", "lab"])
def test_columns_of_numbers_agree_with_the_one_value_rule(name: str, case: str) -> None:
    rng = np.random.default_rng(zlib.crc32(f"{name}/{case}".encode()))  # the same cells in every run
    cells = _numbers(rng, case, 0 if case == "empty" else 300)
    _assert_agrees(RULES[name], cells)


def test_a_clean_lab_column_of_numbers_is_flagged_not_censored_where_present() -> None:
    checked = RULES["lab"].check_series(pd.Series([3.0, np.nan, 12.5]))
    assert checked.censored is not None
    assert checked.censored.tolist() == [False, pd.NA, False]
    assert str(checked.censored.dtype) == "boolean"


def test_unbounded_numbers_refuse_infinity_as_not_a_number() -> None:
    checked = RULES["unbounded number"].check_series(pd.Series([1.0, -np.inf]))
    assert checked.bad.tolist() == [False, True]
    assert checked.messages.tolist() == ["x must be a number; got -inf, which is not a number"]


@pytest.mark.parametrize(
    "cells",
    [
        [f"P{i:05d}" for i in range(200)],  # every value distinct
        [" P1", "P1 ", "NA", None, "", "n/a", "P2", "P1"],
        ["female", " Male", "FEMALE", "x", None, "nan", "male"],
        [1, 2.0, "3", None],  # mixed objects: the per-cell path
    ],
    ids=["distinct ids", "ids with tokens", "categories", "mixed"],
)
@pytest.mark.parametrize("name", ["id", "category"])
def test_columns_of_text_agree_with_the_one_value_rule(name: str, cells: list[object]) -> None:
    _assert_agrees(RULES[name], pd.Series(cells, dtype=object))


def test_token_mask_reads_a_cell_as_its_text() -> None:
    cells = pd.Series([" N.A. ", "5", None, np.nan, pd.NA, -99, -99.0, "-99", "NOT DONE  "], dtype=object)
    tokens = {"n.a.", "-99", "not done"}
    expected = [True, False, True, True, True, True, False, True, True]
    assert token_mask(cells, tokens).tolist() == expected
    assert token_mask(cells.astype("string"), tokens).tolist() == expected


@pytest.mark.parametrize("engine", ["frame", "records"])
def test_ids_that_differ_only_by_spaces_are_one_patient_across_tables(engine: str) -> None:
    """The cross-table rules reuse the column check's coding of patient_id, where " P1" and "P1 " are one id."""
    from axspa.io import validate_frames

    patients = pd.DataFrame(
        {
            "patient_id": ["P1", "P2"],
            "sex": ["male", "female"],
            "age_years": ["40", "50"],
            "status": ["withdrawn", "completed"],
            "withdrawal_reason": ["other", ""],
            "last_week": ["12", ""],
        }
    )
    visits = pd.DataFrame(
        {
            "patient_id": [" P1", "P1 ", "P1", "P2", "P2", "P3", "NA"],
            "week": ["0", "0", "4", "0", "16", "0", "4"],
        }
    )
    study = validate_frames(patients, visits, strict=False, engine=engine)
    rules = study.exclusions.set_index("row")["rule"].to_dict()
    assert rules == {1: "duplicate", 2: "duplicate", 6: "unknown_patient", 7: "required"}
    assert [(n.rule, n.patient_id) for n in study.notes] == [("last_week_after_last_visit", "P1")]
    assert study.visits["patient_id"].tolist() == ["P1", "P2", "P2"]


@pytest.mark.parametrize("layout", ["runs", "shuffled", "runs with NA", "mixed objects"])
def test_distinct_text_of_a_long_column_gives_back_every_cell(layout: str) -> None:
    """Coding by runs of equal cells (a column grouped by patient) gives each cell its own value back."""
    from axspa.ingest.distinct import distinct_text

    rng = np.random.default_rng(7)
    ids = [f"P{i:05d}" for i in range(1500)]
    cells: list[object] = [ids[i] for i in np.repeat(np.arange(1500), 4)]  # 6,000 cells in runs of 4
    cells[10:14] = [None] * 4
    cells[20] = np.nan
    cells[21] = "P00005"  # a value seen before, after a break
    if layout == "shuffled":
        cells = [cells[i] for i in rng.permutation(len(cells))]
    if layout == "runs with NA":
        cells[30:32] = [pd.NA, pd.NA]
    if layout == "mixed objects":
        cells[40] = 1
    coded = distinct_text(pd.Series(cells, dtype=object))
    if layout == "mixed objects":
        assert coded is None  # the rules tell 1 from "1": not coded
        return
    assert coded is not None
    back = coded.values.to_numpy(dtype=object)[coded.positions]
    assert [None if pd.isna(c) else c for c in cells] == back.tolist()
    assert len(coded.values) == len(set(back.tolist())) == 1500 + 1  # each id once, and None


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("side", ["above", "below"])
def test_the_median_rule_of_a_unit_slip_agrees_with_the_median(seed: int, side: str) -> None:
    """The count that spares sorting never changes the median rule's answer (even and odd counts, ties at the limit)."""
    from axspa.ingest.checks import _median_beyond

    rng = np.random.default_rng(seed)
    values = rng.choice([0.3, 0.5, 0.5, 0.7, np.nan], int(rng.integers(1, 12)))
    present = values[~np.isnan(values)]
    median = float(np.median(present)) if len(present) else np.nan
    expected = median if (median > 0.5 if side == "above" else median < 0.5) else None
    assert _median_beyond(values, side, 0.5) == expected
