"""Signed-rank test: worked examples, conventions, presets, far tails, batch and errors.

Expected values come from published examples (Hollander & Wolfe), hand calculations written
out below, R (the reference CSV written by r/make_signed_rank_reference.R) and scipy (an
independent implementation, for conventions R lacks).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
import scipy.stats as sps

from axspa.errors import InputError
from axspa.stats import (
    hodges_lehmann,
    matched_pairs_rank_biserial,
    signed_rank_exact_pvalue,
    signed_rank_null_distribution,
    wilcoxon_signed_rank,
    wilcoxon_signed_rank_batch,
)

# Hollander & Wolfe (1973, p. 29f): Hamilton depression scale factor at the first (x) and
# second (y) visit; the example of R's ?wilcox.test. Published: V = 40, one-sided p = 0.01953;
# HL 0.46, 95 % CI [0.010, 0.786] with achieved coverage 0.961.
HW_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
HW_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


def test_hollander_wolfe_example() -> None:
    res = wilcoxon_signed_rank(HW_X, HW_Y, method="exact")
    assert res.statistic == 40.0
    assert res.r_minus == 5.0
    assert res.n == 9 and res.n_zero == 0 and not res.ties
    # 10 of the 512 sign patterns give R+ >= 40: one-sided 10/512, two-sided 20/512
    assert res.pvalue == 20 / 512
    assert round(res.pvalue, 5) == 0.03906
    greater = wilcoxon_signed_rank(HW_X, HW_Y, method="exact", alternative="greater")
    assert greater.pvalue == 10 / 512
    assert round(greater.pvalue, 5) == 0.01953
    hl = res.confidence_interval(0.95)
    assert round(hl.estimate, 2) == 0.46
    assert (round(hl.low, 3), round(hl.high, 3)) == (0.010, 0.786)
    assert round(hl.achieved_confidence, 3) == 0.961
    assert res.hodges_lehmann() == hl.estimate


def test_rank_biserial_by_hand() -> None:
    # HW data: R+ = 40, R- = 5, so r = 35 / 45
    assert wilcoxon_signed_rank(HW_X, HW_Y).rank_biserial() == pytest.approx(35 / 45)
    assert matched_pairs_rank_biserial(HW_X, HW_Y) == pytest.approx(35 / 45)
    # d = 1, -2, 3 (ranks 1, 2, 3): (4 - 2) / 6
    assert matched_pairs_rank_biserial([1, -2, 3]) == pytest.approx(1 / 3)
    # Pratt: d = 0, 1, -2 -> ranks 1, 2, 3, zero's rank dropped: (2 - 3) / 5
    assert matched_pairs_rank_biserial([0, 1, -2], zero_method="pratt") == pytest.approx(-0.2)


def test_small_case_by_hand_with_point_probability_and_mid_p() -> None:
    # d = 1, 2, 3: R+ = 6 is reached only by the all-positive pattern: P = 1/8
    res = wilcoxon_signed_rank([1, 2, 3], method="exact", alternative="greater")
    assert res.pvalue == 1 / 8 and res.point_probability == 1 / 8
    assert res.mid_pvalue() == 1 / 16
    two = wilcoxon_signed_rank([1, 2, 3], method="exact")
    assert two.pvalue == 1 / 4 and two.mid_pvalue() == 1 / 8
    # d = 1, -2, 3: R+ = 4; P(R+ = 4) = 1/8 (pattern {1, 3}), P(R+ >= 4) = 3/8 ({1,3}, {2,3}, {1,2,3})
    mid = wilcoxon_signed_rank([1, -2, 3], method="exact", alternative="greater")
    assert (mid.pvalue, mid.point_probability, mid.mid_pvalue()) == (3 / 8, 1 / 8, 5 / 16)
    # d = 1, -2, -3, 4: R+ = 5 = S / 2, the centre: p = 1 and mid-p = 1
    centre = wilcoxon_signed_rank([1, -2, -3, 4], method="exact")  # R+ = 5 = S / 2
    assert centre.pvalue == 1.0 and centre.mid_pvalue() == 1.0
    with pytest.raises(InputError, match="exact method"):
        wilcoxon_signed_rank([1, -2, 3], method="asymptotic").mid_pvalue()


def test_ties_and_zeros_by_hand() -> None:
    # d = 0, 1, -1, 2: wilcox drops the zero; |d| = 1, 1, 2 -> ranks 1.5, 1.5, 3; R+ = 4.5
    # 8 patterns of signs on scores (1.5, 1.5, 3): sums 0, 1.5, 1.5, 3, 3, 4.5, 4.5, 6
    res = wilcoxon_signed_rank([0, 1, -1, 2], method="exact", alternative="greater")
    assert (res.statistic, res.n, res.n_zero, res.ties) == (4.5, 3, 1, True)
    assert res.pvalue == 3 / 8 and res.point_probability == 2 / 8
    # Pratt: ranks of |0, 1, -1, 2| are 1, 2.5, 2.5, 4; zero dropped: scores 2.5, 2.5, 4, R+ = 6.5
    # sums: 0, 2.5, 2.5, 4, 5, 6.5, 6.5, 9 -> P(R+ >= 6.5) = 3/8
    pr = wilcoxon_signed_rank([0, 1, -1, 2], zero_method="pratt", method="exact", alternative="greater")
    assert (pr.statistic, pr.n, pr.n_zero) == (6.5, 4, 1)
    assert pr.pvalue == 3 / 8


def test_asymptotic_by_hand() -> None:
    # d = 1, 2, 3, -4: R+ = 6, E = 5, Var = (1 + 4 + 9 + 16) / 4 = 7.5
    res = wilcoxon_signed_rank([1, 2, 3, -4], method="asymptotic")
    assert res.z == pytest.approx(1 / math.sqrt(7.5), rel=1e-15)
    assert res.pvalue == pytest.approx(2 * sps.norm.sf(1 / math.sqrt(7.5)), rel=1e-14)
    cc = wilcoxon_signed_rank([1, 2, 3, -4], method="asymptotic", correction=True)
    assert cc.z == pytest.approx(0.5 / math.sqrt(7.5), rel=1e-15)
    assert cc.correction and not res.correction
    assert math.isnan(res.point_probability)


def test_pratt_asymptotic_with_correction_matches_scipy() -> None:
    # R has no Pratt + continuity correction; scipy's wilcoxon is an independent implementation
    rng = np.random.default_rng(7)
    for _ in range(20):
        d = np.round(rng.normal(0.5, 2, size=int(rng.integers(5, 40))))
        if not d.any():
            continue
        for alt in ("two-sided", "less", "greater"):
            ours = wilcoxon_signed_rank(d, zero_method="pratt", method="asymptotic", correction=True, alternative=alt)
            ref = sps.wilcoxon(d, zero_method="pratt", method="asymptotic", correction=True, alternative=alt)
            assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10)


def test_far_tail_in_log_space() -> None:
    # all positive: only the all-positive sign pattern reaches R+ = S, p = 2^-n
    n = 1500
    res = wilcoxon_signed_rank(np.arange(1.0, n + 1), method="exact", alternative="greater")
    assert res.pvalue == 0.0  # below the smallest double
    assert res.log_pvalue == pytest.approx(-n * math.log(2), rel=1e-14)
    # with ties as well: still one pattern
    tied = np.repeat(np.arange(1.0, 301), 4)
    res = wilcoxon_signed_rank(tied, method="exact", alternative="greater")
    assert res.ties and res.log_pvalue == pytest.approx(-1200 * math.log(2), rel=1e-14)
    # n = 1100 untied, R+ <= 3: the subsets {}, {1}, {2}, {3}, {1, 2}: p = 5 / 2^1100
    p = signed_rank_exact_pvalue(3, n=1100, alternative="less")
    assert p.log_pvalue == pytest.approx(math.log(5) - 1100 * math.log(2), rel=1e-14)
    assert p.point_probability == 0.0  # 2 / 2^1100 underflows


def test_presets_reproduce_r_from_the_reference_csv() -> None:
    path = Path(__file__).parent / "r" / "signed_rank_reference.csv"
    with path.open(newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["zero_method"] == "wilcox" and r["alternative"] == "two-sided"]
    by_sample: dict[str, dict[tuple[str, str], dict[str, str]]] = {}
    for r in rows:
        by_sample.setdefault(r["sample_id"], {})[(r["method"], r["correction"])] = r
    checked = {"exact": 0, "asymptotic": 0}
    for refs in by_sample.values():
        any_row = next(iter(refs.values()))
        x = np.array(any_row["x"].split(";"), dtype=float)
        y = np.array(any_row["y"].split(";"), dtype=float)
        res = wilcoxon_signed_rank(x, y, preset="R")
        d = x - y
        nz = d[d != 0]
        clean = nz.size == d.size and np.unique(np.abs(nz)).size == nz.size
        expected = refs[("exact", "FALSE")] if clean and nz.size < 50 else refs[("asymptotic", "TRUE")]
        assert res.method == expected["method"]
        assert res.pvalue == pytest.approx(float(expected["pvalue"]), rel=1e-10)
        spss = wilcoxon_signed_rank(x, y, preset="SPSS")
        assert spss.method == "asymptotic" and not spss.correction
        assert spss.pvalue == pytest.approx(float(refs[("asymptotic", "FALSE")]["pvalue"]), rel=1e-10)
        checked[res.method] += 1
    assert checked["exact"] > 50 and checked["asymptotic"] > 50


@pytest.mark.parametrize(
    "d",
    [
        [1.0, 2.0, -3.0, 4.0, 5.0, 6.0, 7.5, -8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, -15.0],  # exact untied
        [2.0, 2.0, -1.0, 3.0, 0.0, 4.0],  # n <= 13 with ties and zeros: scipy's full permutation
        list(np.round(np.linspace(-3, 8, 30))),  # n > 13 with ties: normal, no correction
        list(np.arange(1.0, 61.0) * np.tile([1.0, -1.0, 1.0], 20)),  # n > 50: normal
    ],
)
def test_scipy_preset_matches_scipy(d: list[float]) -> None:
    ours = wilcoxon_signed_rank(d, preset="scipy")
    ref = sps.wilcoxon(d, zero_method="wilcox", method="auto", correction=False)
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-12)


def test_preset_records_method_and_refuses_extra_conventions() -> None:
    res = wilcoxon_signed_rank([2, 2, -1, 3, 0, 4], preset="R")
    assert (res.preset, res.method, res.correction, res.zero_method) == ("R", "asymptotic", True, "wilcox")
    with pytest.raises(InputError, match="preset='R' fixes"):
        wilcoxon_signed_rank([1, 2, 3], preset="R", correction=True)
    with pytest.raises(InputError, match="preset must be one of"):
        wilcoxon_signed_rank([1, 2, 3], preset="SAS")


def test_auto_rule_is_recorded() -> None:
    assert wilcoxon_signed_rank(np.arange(1.0, 501)).method == "exact"
    assert wilcoxon_signed_rank(np.arange(1.0, 502)).method == "asymptotic"


def test_digits_decide_zeros_and_ties_despite_float_noise() -> None:
    x = [0.3, 1.1, 2.2, 0.7]
    y = [0.1 + 0.2, 0.1, 0.2, 0.9]  # 0.3 - (0.1 + 0.2) = -5.6e-17 in floats
    res = wilcoxon_signed_rank(x, y, method="exact")
    assert res.n_zero == 1 and res.n == 3
    raw = wilcoxon_signed_rank(x, y, method="exact", digits=None)
    assert raw.n_zero == 0 and raw.n == 4
    # 0.7 - 0.5 and 0.4 - 0.2 are both 0.2 in decimal, not in binary
    tie = wilcoxon_signed_rank([0.7, 0.4, 5.0], [0.5, 0.2, 1.0], method="exact")
    assert tie.ties
    assert not wilcoxon_signed_rank([0.7, 0.4, 5.0], [0.5, 0.2, 1.0], method="exact", digits=None).ties


def test_result_frame_and_repr() -> None:
    res = wilcoxon_signed_rank(HW_X, HW_Y)
    frame = res.to_frame()
    assert frame.shape[0] == 1
    assert {"statistic", "pvalue", "method", "zero_method", "correction", "n", "n_zero"} <= set(frame.columns)
    assert "sample" not in frame.columns
    assert frame.loc[0, "pvalue"] == res.pvalue
    text = repr(res)
    assert text.startswith("WilcoxonSignedRankResult(") and "method='exact'" in text
    with pytest.raises(AttributeError):
        res.pvalue = 0.5  # type: ignore[misc]


def test_confidence_interval_uses_the_tests_zero_handling() -> None:
    d = [0.0, 0.0, 1.5, 2.0, -0.5, 3.0, 4.5, 2.5]
    w = wilcoxon_signed_rank(d).confidence_interval()
    p = wilcoxon_signed_rank(d, zero_method="pratt").confidence_interval()
    assert (w.n, p.n) == (6, 8)
    assert w.estimate == hodges_lehmann(d).estimate
    assert p.estimate == hodges_lehmann(d, zero_method="pratt").estimate
    assert w.zero_method == "wilcox" and p.zero_method == "pratt"


def test_null_distribution() -> None:
    dist = signed_rank_null_distribution(n=10)
    assert dist.pmf.sum() == pytest.approx(1.0, abs=1e-15)
    assert np.allclose(dist.pmf, dist.pmf[::-1])  # symmetric about n(n+1)/4
    assert dist.support[-1] == 55.0
    # P(R+ <= 3) for n = 10: subsets {}, {1}, {2}, {3}, {1, 2}
    assert dist.cdf(3) == 5 / 1024
    assert dist.sf(52) == 5 / 1024
    tied = signed_rank_null_distribution(ranks=[1.5, 1.5, 3])
    assert tied.pmf.tolist() == [1 / 8, 2 / 8, 2 / 8, 2 / 8, 1 / 8]
    with pytest.raises(InputError, match="exactly one of n"):
        signed_rank_null_distribution()
    with pytest.raises(InputError, match="multiples of 1/2"):
        signed_rank_null_distribution(ranks=[1.25, 2])


def test_exact_pvalue_function_matches_the_test() -> None:
    res = wilcoxon_signed_rank([0, 1, -1, 2, 2, 5, -3], method="exact", alternative="less")
    ranks = [1.5, 1.5, 3.5, 3.5, 6, 5]
    alone = signed_rank_exact_pvalue(res.statistic, ranks=ranks, alternative="less")
    assert alone.pvalue == res.pvalue and alone.point_probability == res.point_probability


def test_batch_matches_single_calls() -> None:
    rng = np.random.default_rng(3)
    d = np.round(rng.normal(0.4, 1.5, size=(60, 12)))
    d[0] = 0.0  # a row with nothing to test
    for zm in ("wilcox", "pratt"):
        for method in ("exact", "asymptotic"):
            for alt in ("two-sided", "less", "greater"):
                batch = wilcoxon_signed_rank_batch(d, zero_method=zm, method=method, alternative=alt)
                assert math.isnan(batch.pvalue[0]) and math.isnan(batch.statistic[0])
                for i in range(1, d.shape[0]):
                    one = wilcoxon_signed_rank(d[i], zero_method=zm, method=method, alternative=alt)
                    assert batch.statistic[i] == one.statistic
                    assert batch.pvalue[i] == pytest.approx(one.pvalue, rel=1e-13)
                    assert batch.method[i] == one.method and batch.n[i] == one.n
                    if method == "exact":
                        assert batch.point_probability[i] == pytest.approx(one.point_probability, rel=1e-13)
    frame = wilcoxon_signed_rank_batch(d, method="exact").to_frame()
    assert frame.shape == (60, 14)
    assert "samples=60" in repr(wilcoxon_signed_rank_batch(d))


def test_batch_presets_decide_per_row() -> None:
    d = np.array([[1.0, 2.0, -3.0, 4.0, 5.0], [1.0, 1.0, -3.0, 4.0, 5.0]])
    res = wilcoxon_signed_rank_batch(d, preset="R")
    assert list(res.method) == ["exact", "asymptotic"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": []}, "x must not be empty"),
        ({"x": [1.0, float("nan"), 2.0]}, "finite numbers only; got NaN or infinite values at position"),
        ({"x": [1, 2], "y": [1, 2, 3]}, "x and y must have the same shape"),
        ({"x": [0.0, 0.0]}, "all 2 differences are zero"),
        (
            {"x": [1, 2], "zero_method": "zsplit"},
            "zero_method must be one of 'wilcox', 'pratt'; got 'zsplit'",
        ),
        ({"x": [1, 2], "method": "permutation"}, "method must be one of"),
        ({"x": [1, 2], "alternative": "two.sided"}, "alternative must be one of"),
        ({"x": [1, 2], "correction": "yes"}, "correction must be True or False; got 'yes'"),
        ({"x": [1, 2], "digits": 0}, "digits must be None or an integer from 1 to 15; got 0"),
        ({"x": [[1, 2]]}, "x must be 1-dimensional"),
    ],
)
def test_input_errors_name_argument_and_value(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        wilcoxon_signed_rank(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        wilcoxon_signed_rank(**kwargs)  # type: ignore[arg-type]


def test_batch_with_long_distributions_matches_single_calls() -> None:
    # n = 160: support too long for the row-vectorized path, so patterns are built one at a time
    rng = np.random.default_rng(5)
    tied = np.round(rng.normal(0.3, 1.0, size=(4, 160)) * 3)
    untied = rng.normal(0.2, 1.0, size=(4, 160))
    for d in (tied, untied):
        for alt in ("two-sided", "less", "greater"):
            batch = wilcoxon_signed_rank_batch(d, method="exact", alternative=alt)
            for i in range(d.shape[0]):
                one = wilcoxon_signed_rank(d[i], method="exact", alternative=alt)
                assert batch.pvalue[i] == pytest.approx(one.pvalue, rel=1e-12)
                assert batch.point_probability[i] == pytest.approx(one.point_probability, rel=1e-12)
