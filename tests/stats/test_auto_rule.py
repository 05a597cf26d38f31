"""The documented ``method="auto"`` rule of the signed-rank and rank-sum tests and their Hodges-Lehmann intervals.

Switch points: exact up to AUTO_EXACT_MAX_N (500) ranked differences and up to RANK_SUM_AUTO_EXACT_MAX_N (200)
observations in both arms, asymptotic above, the method used recorded in every result. Expected values are hand
calculations written out below, the definition (every Walsh average or difference listed and sorted by numpy),
or the exact method (exact and asymptotic must agree roughly at large n: stated tolerances).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from axspa.stats import (
    AUTO_EXACT_MAX_N,
    RANK_SUM_AUTO_EXACT_MAX_N,
    hodges_lehmann,
    wilcoxon_rank_sum,
    wilcoxon_signed_rank,
)


def test_switch_points_are_the_documented_sizes() -> None:
    assert (AUTO_EXACT_MAX_N, RANK_SUM_AUTO_EXACT_MAX_N) == (500, 200)


@pytest.mark.parametrize(("n", "expected"), [(AUTO_EXACT_MAX_N, "exact"), (AUTO_EXACT_MAX_N + 1, "asymptotic")])
def test_signed_rank_auto_switches_test_and_interval_at_the_stated_n(n: int, expected: str) -> None:
    d = np.round(np.random.default_rng(n).normal(-0.3, 1.0, size=n), 1)
    d[d == 0] = 0.1  # no zeros: n ranked differences
    res = wilcoxon_signed_rank(d, method="auto")
    assert (res.n, res.method) == (n, expected)
    ci = res.confidence_interval(method="auto")
    assert ci.method.startswith(expected)


@pytest.mark.parametrize(
    ("n", "expected"), [(RANK_SUM_AUTO_EXACT_MAX_N, "exact"), (RANK_SUM_AUTO_EXACT_MAX_N + 1, "asymptotic")]
)
def test_rank_sum_auto_switches_test_and_interval_at_the_stated_n(n: int, expected: str) -> None:
    rng = np.random.default_rng(n)
    x, y = np.round(rng.normal(0.3, 1, n // 2), 1), np.round(rng.normal(0, 1, n - n // 2), 1)
    res = wilcoxon_rank_sum(x, y, method="auto")
    assert res.method == expected
    assert res.hodges_lehmann(method="auto").method.startswith(expected)


def test_explicit_exact_stays_exact_above_the_switch_point() -> None:
    d = np.round(np.random.default_rng(1).normal(-0.3, 1.0, size=AUTO_EXACT_MAX_N + 100), 1)
    res = wilcoxon_signed_rank(d, method="exact")
    assert res.method == "exact"
    assert res.confidence_interval(method="exact").method == "exact (Bauer 1972)"
    rng = np.random.default_rng(2)
    rs = wilcoxon_rank_sum(rng.normal(size=110), rng.normal(size=110), method="exact")
    assert rs.method == "exact"
    assert rs.hodges_lehmann(method="exact").method == "exact conditional (inverted rank-sum test)"


def test_signed_rank_asymptotic_interval_by_hand() -> None:
    # Hollander & Wolfe (1973, p. 29f), n = 9 untied: E = 9*10/4 = 22.5, Var = 9*10*19/24 = 71.25,
    # sigma = 8.44097; k = ceil(22.5 - 1.959964 * 8.44097) = ceil(5.956) = 6, the exact k too (R's
    # qsignrank(0.025, 9) = 6: P(R+ <= 5) = 10/512 < 0.025 <= P(R+ <= 6) = 14/512), so the limits equal the
    # exact ones (R: 0.010, 0.786).
    x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    asym = hodges_lehmann(x, y, method="asymptotic")
    assert asym.k == 6
    assert (round(asym.low, 3), round(asym.high, 3)) == (0.01, 0.786)
    assert asym.method == "asymptotic (normal critical value, tie-corrected variance)"
    # achieved: 1 - 2 Phi((6 - 1 - 22.5) / 8.44097) = 1 - 2 Phi(-2.07322) = 1 - 2 * 0.019077
    assert asym.achieved_confidence == pytest.approx(1 - 2 * 0.019077, abs=2e-5)


def test_signed_rank_asymptotic_interval_uses_the_tie_corrected_variance() -> None:
    # |d| = 1, 1, 1, 1, 2, 2, 3, 4: midranks 2.5 x4, 5.5 x2, 7, 8; sum a^2 = 4*6.25 + 2*30.25 + 49 + 64
    # = 198.5, Var = 49.625 (untied: 8*9*17/24 = 51); E = 18; z(0.95) = 1.644854 (alternative two-sided,
    # level 0.90): 18 - 1.644854 * sqrt(49.625) = 18 - 11.5873 = 6.413, k = 7 (untied: 18 - 11.747 = 6.25, k = 7)
    d = [1.0, -1.0, 1.0, 1.0, 2.0, 2.0, 3.0, -4.0]
    res = hodges_lehmann(d, method="asymptotic", confidence_level=0.90)
    assert res.k == 7
    i, j = np.triu_indices(8)
    walsh = np.sort((np.array(d)[i] + np.array(d)[j]) / 2)  # the definition: all 36 averages sorted
    assert (res.low, res.high) == (walsh[6], walsh[36 - 7])
    # achieved: 1 - 2 Phi((7 - 1 - 18) / sqrt(49.625)) = 1 - 2 Phi(-1.70344) = 1 - 2 * 0.044244
    assert res.achieved_confidence == pytest.approx(1 - 2 * 0.044244, abs=2e-5)


def test_rank_sum_asymptotic_shift_interval_by_hand() -> None:
    # x = 2 4 4 5 7, y = 1 2 3 3: M = 20; ties 2 (x2), 3 (x2), 4 (x2): sum(t^3 - t) = 18;
    # Var = 20/12 * (10 - 18 / (9 * 8)) = 16.25, sigma = 4.03113; q_l = 10 - 1.959964 * 4.03113 = 2.0992,
    # k = 3: [D_(3), D_(18)]; achieved 1 - 2 Phi((3 - 1 - 10) / 4.03113) = 1 - 2 Phi(-1.98456) = 1 - 2 * 0.023598
    x, y = [2, 4, 4, 5, 7], [1, 2, 3, 3]
    hl = wilcoxon_rank_sum(x, y, method="asymptotic").hodges_lehmann(method="asymptotic")
    d = np.sort(np.subtract.outer(np.array(x, float), np.array(y, float)).ravel())
    assert (hl.rank_low, hl.rank_high) == (3, 18)
    assert (hl.low, hl.high) == (d[2], d[17])
    assert hl.achieved_confidence == pytest.approx(1 - 2 * 0.023598, abs=2e-5)
    assert hl.method == "asymptotic (normal critical value, tie-corrected variance)"


def test_rank_sum_asymptotic_interval_is_unbounded_when_no_shift_can_be_excluded() -> None:
    # M = 1: q_l = 0.5 - 1.96 * sqrt(1/12 * 3) < 1, so k < 1: no difference can be a limit
    hl = wilcoxon_rank_sum([1.0], [2.0]).hodges_lehmann(method="asymptotic")
    assert (hl.low, hl.high) == (-math.inf, math.inf)


def test_exact_and_asymptotic_agree_roughly_at_large_n() -> None:
    # tolerance: p-values within 10% of each other (relative) and 0.002 absolute; interval limits within
    # a tenth of the interval's width (the normal approximation is accurate to O(1/n) here)
    rng = np.random.default_rng(11)
    d = np.round(rng.normal(-0.1, 1.0, size=700), 1)
    ex, asy = wilcoxon_signed_rank(d, method="exact"), wilcoxon_signed_rank(d, method="asymptotic")
    assert asy.pvalue == pytest.approx(ex.pvalue, rel=0.1, abs=0.002)
    ci_ex, ci_asy = ex.confidence_interval(), ex.confidence_interval(method="asymptotic")
    width = ci_ex.high - ci_ex.low
    assert abs(ci_asy.low - ci_ex.low) <= 0.1 * width and abs(ci_asy.high - ci_ex.high) <= 0.1 * width
    assert ci_asy.estimate == ci_ex.estimate
    x, y = np.round(rng.normal(0.2, 1, 150), 1), np.round(rng.normal(0, 1, 150), 1)
    rex, rasy = wilcoxon_rank_sum(x, y, method="exact"), wilcoxon_rank_sum(x, y, method="asymptotic")
    assert rasy.pvalue == pytest.approx(rex.pvalue, rel=0.1, abs=0.002)
    s_ex, s_asy = rex.hodges_lehmann(), rex.hodges_lehmann(method="asymptotic")
    width = s_ex.high - s_ex.low
    assert abs(s_asy.low - s_ex.low) <= 0.1 * width and abs(s_asy.high - s_ex.high) <= 0.1 * width


def test_shift_estimate_by_selection_equals_the_median_of_all_differences() -> None:
    # 2,100 x 2,000 = 4.2 million differences: above the listing limit, so found by selection
    rng = np.random.default_rng(5)
    x, y = np.round(rng.normal(0.5, 1, 2100), 1), rng.normal(0, 1, 2000)
    res = wilcoxon_rank_sum(x, y, method="asymptotic")
    assert res.estimate == float(np.median(np.subtract.outer(x, y)))
