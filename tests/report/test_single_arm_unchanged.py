"""The single-arm report of the reference study stays as it was before controlled trials were added.

The files under ``golden/thalidomide_2003`` were written by ``axspa.report.analyze`` on the bundled
reference study at the commit before arms entered the data contract (views, notes and methods verbatim,
tidy numbers to 17 significant digits). They guard the promise that a study without arms is analysed
exactly as before: any change to them must be a deliberate one, made by regenerating the files with
the snippet below and reviewing the diff::

    a = analyze(thalidomide_2003.load(), progress=False)
    for t in a.report.tables:
        t.view.to_csv(f"{t.name}.view.csv", index=False); t.data.to_csv(f"{t.name}.data.csv", index=False)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from axspa.report.pipeline import Analysis, analyze
from axspa.report.table import TIDY_COLUMNS
from axspa.studies import thalidomide_2003

GOLDEN = Path(__file__).parent / "golden" / "thalidomide_2003"
TABLES = ("demographics", "disposition", "responses", "outcomes", "adverse_events")


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyze(thalidomide_2003.load(), progress=False)


@pytest.mark.parametrize("name", TABLES)
def test_views_and_notes_unchanged(analysis: Analysis, name: str) -> None:
    table = analysis.tables[name]
    expected = pd.read_csv(GOLDEN / f"{name}.view.csv", dtype=str, keep_default_na=False)
    got = pd.read_csv(pd.io.common.StringIO(table.view.to_csv(index=False)), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(got, expected)
    assert list(table.notes) == (GOLDEN / f"{name}.notes.txt").read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize("name", TABLES)
def test_tidy_numbers_unchanged(analysis: Analysis, name: str) -> None:
    expected = pd.read_csv(GOLDEN / f"{name}.data.csv", dtype={"level": str}, keep_default_na=False)
    got = analysis.tables[name].data
    before = [c for c in TIDY_COLUMNS if c in expected.columns]
    assert len(got) == len(expected)
    for column in before:
        if column in ("value", "week", "denominator"):
            want = pd.to_numeric(expected[column].replace("", np.nan)).to_numpy(float)
            have = pd.to_numeric(got[column]).to_numpy(float)
            np.testing.assert_allclose(have, want, rtol=1e-13, atol=0, equal_nan=True, err_msg=column)
        else:
            assert got[column].astype(str).tolist() == expected[column].astype(str).tolist(), column


def test_methods_and_figures_unchanged(analysis: Analysis) -> None:
    assert list(analysis.report.methods) == (GOLDEN / "methods.txt").read_text(encoding="utf-8").split("\n")
    assert [f.name for f in analysis.report.figures] == [
        "figure1_indices",
        "figure2_laboratory",
        "trajectories_basdai",
        "responders",
    ]
