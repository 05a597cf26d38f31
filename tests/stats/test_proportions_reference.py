"""Binomial intervals and 2x2 / paired tests against R.

Expected values come from r/binomial_ci_reference.csv and r/two_by_two_reference.csv,
written by r/make_proportions_reference.R (binom.test, prop.test, qbeta, fisher.test,
chisq.test, mcnemar.test).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from axspa.stats import binomial_ci, binomial_test, chi_square_2x2, fisher, mcnemar

HERE = Path(__file__).parent / "r"


def _read(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(newline="") as fh:
        return list(csv.DictReader(fh))


CI_ROWS = _read("binomial_ci_reference.csv")
TEST_ROWS = _read("two_by_two_reference.csv")


def test_reference_covers_every_method_and_test() -> None:
    # the parametrized tests below would be skipped, not failed, if a file lost its rows
    assert len(CI_ROWS) >= 2000 and {r["method"] for r in CI_ROWS} == {"clopper-pearson", "wilson", "jeffreys"}
    assert sum(r["successes"] == "0" for r in CI_ROWS) >= 50 and sum(r["successes"] == r["n"] for r in CI_ROWS) >= 50
    tests = {r["test"] for r in TEST_ROWS}
    assert len(TEST_ROWS) >= 1500 and {"fisher", "chi-square", "mcnemar-asymptotic", "mcnemar-exact"} <= tests
    assert sum(t.startswith("binomial-") for t in tests) == 3
    assert {r["alternative"] for r in TEST_ROWS} == {"two-sided", "less", "greater"}


def _close(ours: float, ref: float, rtol: float = 1e-12, atol: float = 1e-14) -> bool:
    return math.isclose(ours, ref, rel_tol=rtol, abs_tol=atol)


@pytest.mark.parametrize(
    "row", CI_ROWS, ids=lambda r: f"{r['method']}-{r['successes']}of{r['n']}-{r['confidence_level']}"
)
def test_binomial_ci_agrees_with_r(row: dict[str, str]) -> None:
    res = binomial_ci(
        int(row["successes"]),
        int(row["n"]),
        confidence_level=float(row["confidence_level"]),
        method=row["method"],
    )
    assert _close(res.low, float(row["low"]), rtol=1e-10), (res.low, row["low"])
    assert _close(res.high, float(row["high"]), rtol=1e-10), (res.high, row["high"])
    assert res.method == row["method"]


@pytest.mark.parametrize("row", TEST_ROWS, ids=lambda r: f"{r['test']}-{r['a']}.{r['b']}.{r['c']}.{r['d']}")
def test_two_by_two_agrees_with_r(row: dict[str, str]) -> None:
    tab = np.array([[int(row["a"]), int(row["b"])], [int(row["c"]), int(row["d"])]])
    test, alt, cc = row["test"], row["alternative"], row["correction"] == "TRUE"
    if test == "fisher":
        res = fisher(tab, alternative=alt)
    elif test == "chi-square":
        res = chi_square_2x2(tab, correction=cc)
    elif test == "mcnemar-asymptotic":
        res = mcnemar(tab, method="asymptotic", correction=cc)
    elif test == "mcnemar-exact":
        res = mcnemar(tab, method="exact")
    else:
        p0 = float(test.split("-")[1])
        bt = binomial_test(int(tab[0, 0]), int(tab[0].sum()), p=p0, alternative=alt)
        assert _close(bt.pvalue, float(row["pvalue"]), rtol=1e-10), (bt.pvalue, row["pvalue"])
        return
    assert _close(res.pvalue, float(row["pvalue"]), rtol=1e-10), (res.pvalue, row["pvalue"])
    if row["statistic"] != "NA":
        assert _close(res.statistic, float(row["statistic"]), rtol=1e-10)
