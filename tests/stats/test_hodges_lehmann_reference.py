"""Hodges-Lehmann estimate and exact interval against R's wilcox.test(conf.int = TRUE).

Inputs and expected values come from r/hodges_lehmann_reference.csv, written by
r/make_hodges_lehmann_reference.R (untied samples drawn in R with a fixed seed).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from axspa.stats import hodges_lehmann, wilcoxon_signed_rank

CSV = Path(__file__).parent / "r" / "hodges_lehmann_reference.csv"
with CSV.open(newline="") as fh:
    ROWS = list(csv.DictReader(fh))


def _id(row: dict[str, str]) -> str:
    return f"s{row['sample_id']}-n{row['n']}-{row['alternative']}-{row['confidence_level']}"


def test_reference_has_one_sided_and_two_sided_rows() -> None:
    assert len({r["sample_id"] for r in ROWS}) >= 90
    assert {r["alternative"] for r in ROWS} == {"two-sided", "less", "greater"}


@pytest.mark.filterwarnings("ignore::axspa.errors.ConfidenceLevelWarning")  # levels chosen to hit both cases
@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_hodges_lehmann_agrees_with_r(row: dict[str, str]) -> None:
    x = np.array(row["x"].split(";"), dtype=float)
    y = np.array(row["y"].split(";"), dtype=float)
    level = float(row["confidence_level"])
    res = hodges_lehmann(x, y, confidence_level=level, alternative=row["alternative"])
    assert res.estimate == pytest.approx(float(row["estimate"]), rel=1e-12, abs=1e-12)
    assert res.low == pytest.approx(float(row["low"]), rel=1e-12, abs=1e-12)
    assert res.high == pytest.approx(float(row["high"]), rel=1e-12, abs=1e-12)
    assert res.k == int(row["k"])
    assert res.achieved_confidence == pytest.approx(float(row["achieved_confidence"]), rel=1e-12, abs=1e-15)
    assert not res.ties
    # the test's result gives the same interval on the same sample
    via_test = wilcoxon_signed_rank(x, y, alternative=row["alternative"]).confidence_interval(level)
    assert (via_test.low, via_test.high, via_test.estimate) == (res.low, res.high, res.estimate)
