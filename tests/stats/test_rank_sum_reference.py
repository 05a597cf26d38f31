"""The two-sample rank-sum test and the Hodges-Lehmann shift against R.

Expected values come from r/rank_sum_reference.csv, written by r/make_rank_sum_reference.R:
coin::wilcox_test(distribution = "exact") for the exact conditional p-values (ties kept),
coin's conf.int = TRUE for the shift estimate and its exact interval, and stats::wilcox.test(exact =
FALSE) for the asymptotic p-values with and without the continuity correction: 240 samples, many
with heavy ties, and four large samples (up to 100 + 100, ties to one decimal). Tolerances (relative):
1e-9 for exact p-values, the estimate and the interval limits, 1e-7 for asymptotic p-values.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import rankdata

from axspa.stats import wilcoxon_rank_sum
from axspa.stats._rank_sum_core import SubsetSumDistribution, doubled_midranks

ALL_ROWS = list(csv.DictReader((Path(__file__).parent / "r" / "rank_sum_reference.csv").open(newline="")))
ROWS = [r for r in ALL_ROWS if r["kind"] != "large"]
LARGE = [r for r in ALL_ROWS if r["kind"] == "large"]  # 60 + 80 up to 100 + 100, ties to one decimal
ALTERNATIVES = (("two-sided", "two_sided"), ("less", "less"), ("greater", "greater"))


def _sample(row: dict[str, str], key: str) -> np.ndarray:
    return np.array([float(v) for v in row[key].split(";")])


def _rel(ours: float, ref: float) -> float:
    if ours == ref:
        return 0.0
    return abs(ours - ref) / abs(ref) if ref != 0 else abs(ours)


def test_the_reference_covers_heavy_ties_and_enough_samples() -> None:
    assert len(ROWS) >= 200
    assert sum(r["kind"] == "heavy" for r in ROWS) >= 50


def test_exact_pvalues_agree_with_coin() -> None:
    worst = 0.0
    for row in ROWS:
        x, y = _sample(row, "x"), _sample(row, "y")
        for alt, key in ALTERNATIVES:
            res = wilcoxon_rank_sum(x, y, method="exact", alternative=alt)
            assert res.method == "exact" and res.statistic == float(row["statistic"])
            err = _rel(res.pvalue, float(row[f"p_exact_{key}"]))
            assert err <= 1e-9, (row["case"], alt, res.pvalue, row[f"p_exact_{key}"])
            worst = max(worst, err)
    print(f"exact p-values: largest relative difference {worst:.2e}")


def test_asymptotic_pvalues_agree_with_wilcox_test() -> None:
    for row in ROWS:
        x, y = _sample(row, "x"), _sample(row, "y")
        for alt, key in ALTERNATIVES:
            for cc, prefix in ((False, "p_asymptotic_"), (True, "p_asymptotic_cc_")):
                res = wilcoxon_rank_sum(x, y, method="asymptotic", correction=cc, alternative=alt)
                assert res.method == "asymptotic" and res.correction is cc
                assert _rel(res.pvalue, float(row[prefix + key])) <= 1e-7, (row["case"], alt, cc)


def test_shift_estimate_and_exact_interval_agree_with_coin() -> None:
    na_rows = 0
    for row in ROWS:
        x, y = _sample(row, "x"), _sample(row, "y")
        hl = wilcoxon_rank_sum(x, y, method="exact").hodges_lehmann(float(row["confidence_level"]))
        assert _rel(hl.estimate, float(row["estimate"])) <= 1e-9, (row["case"], hl.estimate, row["estimate"])
        if row["low"] == "NA":
            # coin gives no interval when a critical value lies beyond its step function; then the
            # limit on that side is the smallest or largest difference, or infinite
            na_rows += 1
            d = np.subtract.outer(x, y)
            assert hl.low in (-math.inf, d.min()) or hl.high in (math.inf, d.max()), row["case"]
            continue
        assert _rel(hl.low, float(row["low"])) <= 1e-9, (row["case"], hl.low, row["low"])
        assert _rel(hl.high, float(row["high"])) <= 1e-9, (row["case"], hl.high, row["high"])
    assert na_rows < 0.2 * len(ROWS)


@pytest.mark.parametrize("level", [0.9, 0.95])
def test_achieved_confidence_is_at_least_the_level(level: float) -> None:
    for row in ROWS[:60]:
        hl = wilcoxon_rank_sum(_sample(row, "x"), _sample(row, "y"), method="exact").hodges_lehmann(level)
        assert hl.achieved_confidence >= level - 1e-12, row["case"]


def test_large_tied_samples_agree_with_coin() -> None:
    assert len(LARGE) == 4
    for row in LARGE:
        x, y = _sample(row, "x"), _sample(row, "y")
        for alt, key in ALTERNATIVES:
            res = wilcoxon_rank_sum(x, y, method="exact", alternative=alt)
            assert _rel(res.pvalue, float(row[f"p_exact_{key}"])) <= 1e-9, (row["case"], alt)
        hl = res.hodges_lehmann(0.95)
        assert _rel(hl.estimate, float(row["estimate"])) <= 1e-9
        assert _rel(hl.low, float(row["low"])) <= 1e-9 and _rel(hl.high, float(row["high"])) <= 1e-9, row["case"]


def test_symmetric_null_distributions_read_one_table_and_agree_with_coin() -> None:
    # With equal arms (the complement of an n1-subset is another n1-subset) or midranks symmetric about
    # their centre (no ties, or a mirror-image tie pattern) the null distribution is symmetric and both
    # tails are read from one table; with unequal arms and an asymmetric tie pattern two tables are built.
    kinds = {"equal arms": 0, "mirror-image midranks": 0, "asymmetric": 0}
    for row in ALL_ROWS:
        x, y = _sample(row, "x"), _sample(row, "y")
        dist = SubsetSumDistribution(doubled_midranks(x, y), x.size)
        mirror = np.array_equal(
            np.sort(x.size + y.size + 1 - rankdata(np.concatenate([x, y]))), np.sort(rankdata(np.concatenate([x, y])))
        )
        kind = "equal arms" if x.size == y.size else "mirror-image midranks" if mirror else "asymmetric"
        kinds[kind] += 1
        assert dist.symmetric is (kind != "asymmetric"), row["case"]
        for alt, key in ALTERNATIVES:
            res = wilcoxon_rank_sum(x, y, method="exact", alternative=alt)
            assert _rel(res.pvalue, float(row[f"p_exact_{key}"])) <= 1e-9, (row["case"], kind, alt)
    assert min(kinds.values()) >= 10, kinds
