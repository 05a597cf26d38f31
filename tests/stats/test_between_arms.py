"""Between-arm statistics: method names, the 2x2 test chooser, options and input checks.

Reference values here are from R (commands given beside each) or written out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from axspa.errors import ComputationError, InputError
from axspa.stats import (
    TWO_BY_TWO_TESTS,
    ConfidenceInterval,
    cmh,
    mh_risk_difference,
    odds_ratio,
    risk_difference,
    risk_ratio,
    two_by_two_test,
    wilcoxon_rank_sum,
)


@pytest.mark.parametrize(
    ("test", "method", "pvalue"),
    [
        # R: fisher.test(matrix(c(7, 1, 27, 33), 2))$p.value
        ("fisher", "fisher", 0.0544001305),
        # R: chisq.test(matrix(c(7, 1, 27, 33), 2), correct = FALSE)$p.value
        ("chi-square", "chi-square", 0.02392584348),
        # R: chisq.test(matrix(c(7, 1, 27, 33), 2), correct = TRUE)$p.value
        ("chi-square-yates", "chi-square (Yates)", 0.05984529896),
    ],
)
def test_the_chooser_names_the_test_it_ran(test: str, method: str, pvalue: float) -> None:
    res = two_by_two_test(7, 34, 1, 34, test=test)
    assert res.method == method
    assert res.pvalue == pytest.approx(pvalue, rel=1e-6)


def test_unconditional_tests_take_the_arms_in_the_right_orientation() -> None:
    # arm 1 responds far more: "greater" (p1 > p2) must be significant, "less" not, as Fisher's test
    for test in TWO_BY_TWO_TESTS:
        if test.startswith("chi"):
            continue
        greater = two_by_two_test(9, 10, 2, 10, test=test, alternative="greater")
        less = two_by_two_test(9, 10, 2, 10, test=test, alternative="less")
        assert greater.pvalue < 0.01 < 0.9 < less.pvalue, test
    assert two_by_two_test(9, 10, 2, 10, test="barnard").method == "barnard (pooled)"
    assert two_by_two_test(9, 10, 2, 10, test="boschloo").method == "boschloo"


def test_chi_square_is_two_sided_only_and_never_switched() -> None:
    with pytest.raises(InputError, match=r"two-sided only; got alternative='less'"):
        two_by_two_test(7, 34, 1, 34, test="chi-square", alternative="less")
    with pytest.raises(InputError, match="test must be one of"):
        two_by_two_test(7, 34, 1, 34, test="auto")


def test_a_comparison_can_carry_its_named_test() -> None:
    rd = risk_difference(7, 34, 1, 34, test="fisher")
    assert rd.test == "fisher" and rd.pvalue == pytest.approx(0.0544001305, rel=1e-8)
    assert math.isnan(risk_difference(7, 34, 1, 34).pvalue)
    assert risk_ratio(7, 34, 1, 34, test="boschloo").test == "boschloo"
    assert odds_ratio(7, 34, 1, 34, test="chi-square-yates").test == "chi-square (Yates)"


def test_confidence_interval_at_the_result_level_and_at_another() -> None:
    rd = risk_difference(7, 34, 1, 34, method="wald")
    ci = rd.confidence_interval()
    assert isinstance(ci, ConfidenceInterval) and ci.method == "wald" and ci.confidence_level == 0.95
    low, high = ci
    assert (low, high) == (rd.low, rd.high)
    # hand calculation: d = 6/34 = 0.1764706, se = sqrt((7 * 27 + 1 * 33) / 34^3) = sqrt(222 / 39304)
    # = 0.0751550, z(0.90) = 1.6448536: 0.1764706 -/+ 0.1236191 = 0.0528515, 0.3000896
    ci90 = rd.confidence_interval(0.90)
    assert ci90.low == pytest.approx(0.0528515, abs=1e-7) and ci90.high == pytest.approx(0.3000896, abs=1e-7)
    assert risk_ratio(7, 34, 1, 34).confidence_interval(0.9).method == "katz"


def test_results_are_frozen_and_tabulate() -> None:
    rd = risk_difference(7, 34, 1, 34)
    with pytest.raises(AttributeError):
        rd.estimate = 0.0  # type: ignore[misc]
    frame = rd.to_frame()
    assert list(frame.columns[:3]) == ["measure", "estimate", "low"] and frame.shape[0] == 1
    assert "method='newcombe'" in repr(rd)
    res = wilcoxon_rank_sum([1.0, 2.0], [3.0, 4.0])
    assert "x" not in res.to_frame().columns


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: risk_difference(5, 4, 1, 10), r"x1 must be between 0 and n1=4; got x1=5"),
        (lambda: risk_difference(1, 0, 1, 10), r"n1 must be an integer >= 1; got 0"),
        (lambda: risk_difference(1.5, 4, 1, 10), r"x1 must be an integer >= 0; got 1.5"),
        (lambda: risk_difference(True, 4, 1, 10), r"x1 must be an integer >= 0; got True"),
        (lambda: risk_difference(1, 4, 1, 10, method="score"), r"method must be one of .*got 'score'"),
        (lambda: risk_difference(1, 4, 1, 10, confidence_level=95), r"confidence_level must be in \(0, 1\)"),
        (lambda: risk_ratio(0, 4, 1, 10), r"got x1=0 \(0/4 vs 1/10\)"),
        (lambda: odds_ratio(4, 4, 1, 10), r"non-zero cells; got \[\[4, 0\], \[1, 9\]\]"),
        (lambda: cmh([1, 2], [3, 4], [1], [5, 6]), r"one count per stratum each; got lengths"),
        (lambda: cmh([1, 5], [3, 4], [1, 1], [5, 6]), r"x1 must not exceed n1; got x1=5 > n1=4 in stratum 1"),
        (lambda: mh_risk_difference([1, 2], [3, 0], [1, 1], [5, 6]), r"n1 must be at least 1 .* stratum 1"),
        (lambda: mh_risk_difference([1, 2.5], [3, 4], [1, 1], [5, 6]), r"x1 must hold non-negative whole counts"),
        (lambda: wilcoxon_rank_sum([1, 2], ["3", 4]), r"y must .* real numbers"),
        (lambda: wilcoxon_rank_sum([1, np.nan], [3, 4]), r"x must contain finite numbers only; .* position\(s\) 1"),
        (lambda: wilcoxon_rank_sum([], [3, 4]), r"x must not be empty"),
        (lambda: wilcoxon_rank_sum([True, False], [1.0, 2.0]), r"x must be an array of real numbers; got booleans"),
        (lambda: wilcoxon_rank_sum([1, 2], [3, 4], method="permutation"), r"method must be one of"),
        (lambda: wilcoxon_rank_sum([1, 2], [3, 4], correction=1), r"correction must be True or False; got 1"),
        (lambda: wilcoxon_rank_sum([1, 2], [3, 4], alternative="two.sided"), r"alternative must be one of"),
        (lambda: wilcoxon_rank_sum([1, 2], [3, 4]).hodges_lehmann(1.0), r"confidence_level must be in"),
    ],
)
def test_input_errors_name_the_argument_and_the_value(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=message):
        call()


def test_rank_sum_method_is_recorded_and_auto_is_stated() -> None:
    small = wilcoxon_rank_sum(np.arange(5.0), np.arange(3.0, 9.0))
    assert small.method == "exact" and small.correction is False and math.isnan(small.z)
    big = wilcoxon_rank_sum(np.arange(150.0), np.arange(60.0, 210.0), correction=True)
    assert big.method == "asymptotic" and big.correction is True
    exact_cc = wilcoxon_rank_sum(np.arange(5.0), np.arange(3.0, 9.0), method="exact", correction=True)
    assert exact_cc.correction is False  # the exact method never uses one


def test_rank_sum_untied_small_sample_by_hand() -> None:
    # x = (1, 3), y = (2, 4, 5): W = 1 + 3 = 4; of the C(5, 2) = 10 rank pairs, sums <= 4 are {1,2}, {1,3}:
    # P(W <= 4) = 2/10; the mean is 6, so two-sided P(W <= 4) + P(W >= 8) = 0.2 + 0.2 = 0.4
    res = wilcoxon_rank_sum([1.0, 3.0], [2.0, 4.0, 5.0], method="exact")
    assert res.statistic == 4.0 and res.u == 1.0
    assert res.pvalue == pytest.approx(0.4, rel=1e-14)
    assert wilcoxon_rank_sum([1.0, 3.0], [2.0, 4.0, 5.0], method="exact", alternative="less").pvalue == pytest.approx(
        0.2, rel=1e-14
    )
    # differences x - y: -1, -3, -4, 1, -1, -2; sorted -4 -3 -2 -1 -1 1: median (-2 - 1)/2 = -1.5
    assert res.estimate == -1.5


def test_exact_rank_sum_refuses_a_table_too_large_rather_than_exhausting_memory() -> None:
    x = np.arange(500.0)
    with pytest.raises(ComputationError, match=r"samples of 500 and 500 .* use method='asymptotic'"):
        wilcoxon_rank_sum(x, x + 0.5, method="exact")
    assert wilcoxon_rank_sum(x, x + 0.5, method="auto").method == "asymptotic"


def test_rank_sum_all_values_equal_gives_p_one() -> None:
    for method in ("exact", "asymptotic"):
        res = wilcoxon_rank_sum([2.0, 2.0, 2.0], [2.0, 2.0], method=method)
        assert res.pvalue == 1.0 and res.estimate == 0.0


def test_shift_interval_without_ties_is_the_classical_one() -> None:
    # x = 1..5 + 10, y = 1..6 (untied): M = 30; R: qwilcox(0.025, 5, 6) = 4 (pwilcox(3, 5, 6) = 7/462 < 0.025),
    # and wilcox.test's interval is [D_(4), D_(30 - 4 + 1)] = [D_(4), D_(27)]. Differences (10 + i) - j for
    # i = 1..5, j = 1..6 range 5..14.
    x = np.arange(1.0, 6.0) + 10.0
    y = np.arange(1.0, 7.0)
    hl = wilcoxon_rank_sum(x, y, method="exact").hodges_lehmann(0.95)
    d = np.sort(np.subtract.outer(x, y).ravel())
    assert (hl.rank_low, hl.rank_high) == (4, 27)
    assert (hl.low, hl.high) == (d[3], d[26])
    # achieved confidence 1 - 2 P(U <= 3) = 1 - 2 * 7/462 (R: pwilcox(3, 5, 6) = 0.01515152)
    assert hl.achieved_confidence == pytest.approx(1 - 2 * 7 / 462, rel=1e-12)
    assert hl.confidence_interval().method == "exact conditional (inverted rank-sum test)"


def test_order_statistics_of_differences_by_selection_match_a_full_sort() -> None:
    from axspa.stats import _rank_sum_core

    rng = np.random.default_rng(7)
    for x, y in (
        (rng.normal(size=37), rng.normal(size=53)),
        (np.round(rng.normal(size=60), 1), np.round(rng.normal(size=41), 1)),
        (rng.integers(0, 3, 45).astype(float), rng.integers(0, 3, 38).astype(float)),  # massive ties
    ):
        brute = np.sort(np.subtract.outer(x, y).ravel())  # every difference listed and sorted
        ranks = [1, 17, brute.size // 2, brute.size // 2 + 1, brute.size]
        # direct_max=0 forces the selection (Monahan 1984) that never lists the differences
        expected = [float(brute[k - 1]) for k in ranks]
        assert _rank_sum_core.order_statistics(x, y, ranks, direct_max=0, distinct_max=0) == expected
        # the tie-weighted listing of distinct differences gives the same doubles
        assert _rank_sum_core.order_statistics(x, y, ranks, direct_max=0) == expected
