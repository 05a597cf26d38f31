"""Signed-rank p-values against R (coin, exactRankTests, wilcox.test).

Inputs and expected values both come from r/signed_rank_reference.csv, written by
r/make_signed_rank_reference.R (samples drawn in R with a fixed seed). Tolerances: 1e-12
relative for exact p-values, 1e-10 for asymptotic ones; p-values below 1e-15 are compared
on the log scale (absolute difference of the natural logs, same tolerances).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from axspa.stats import wilcoxon_signed_rank

CSV = Path(__file__).parent / "r" / "signed_rank_reference.csv"


def _rows() -> list[dict[str, str]]:
    with CSV.open(newline="") as fh:
        return list(csv.DictReader(fh))


ROWS = _rows()


def _ids(row: dict[str, str]) -> str:
    cc = "cc" if row["correction"] == "TRUE" else "nocc"
    parts = [f"s{row['sample_id']}", f"n{row['n_pairs']}", row["kind"], row["zero_method"], row["method"]]
    return "-".join([*parts, cc, row["alternative"]])


def test_reference_covers_the_required_grid() -> None:
    samples = {r["sample_id"] for r in ROWS}
    assert len(samples) >= 300
    ns = {int(r["n_pairs"]) for r in ROWS}
    assert min(ns) == 1 and max(ns) == 60
    combos = {(r["zero_method"], r["method"], r["correction"], r["alternative"]) for r in ROWS}
    assert len(combos) == 15  # 2 zero methods x (exact, asym) + wilcox asym with correction, x 3 sides
    kinds = {r["kind"] for r in ROWS}
    assert {"untied", "ties", "zeros"} <= kinds
    assert any(float(r["pvalue"]) < 1e-15 for r in ROWS)


def _close(ours: float, ref: float, rtol: float) -> bool:
    if ref < 1e-15:
        return ours > 0 and abs(math.log(ours) - math.log(ref)) <= rtol
    return abs(ours - ref) <= rtol * abs(ref)


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_signed_rank_agrees_with_r(row: dict[str, str]) -> None:
    x = np.array(row["x"].split(";"), dtype=float)
    y = np.array(row["y"].split(";"), dtype=float)
    res = wilcoxon_signed_rank(
        x,
        y,
        zero_method=row["zero_method"],
        method=row["method"],
        correction=row["correction"] == "TRUE",
        alternative=row["alternative"],
    )
    assert res.method == row["method"]
    assert res.statistic == pytest.approx(float(row["statistic"]), abs=1e-9)
    rtol = 1e-12 if row["method"] == "exact" else 1e-10
    ref = float(row["pvalue"])
    assert _close(res.pvalue, ref, rtol), (res.pvalue, ref)
    if ref < 1e-15:
        assert abs(res.log_pvalue - math.log(ref)) <= rtol
