"""reconstruct_two_arm: every returned sample is re-checked here independently of the search (exact
rational means and SDs, printed by Decimal rounding), and its ANCOVA p-value by axspa.stats.ancova
(validated against R lm + emmeans in tests/stats). The hand-made targets come from data sets written
out below, whose figures R computed (r/two_arm_ancova.R, output in r/two_arm_ancova.out)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from axspa.errors import InputError
from axspa.forensics import SearchProgress, TwoArmReconstruction, reconstruct_two_arm, reconstruct_two_arm_counts
from axspa.forensics.two_arm import ancova_pvalue_of_pairing
from axspa.stats import ancova

R_OUT = Path(__file__).parent / "r" / "two_arm_ancova.out"


def _mean_sd(values: tuple[float, ...]) -> tuple[Fraction, Fraction]:
    xs = [Fraction(str(v)) for v in values]
    m = sum(xs, Fraction(0)) / len(xs)
    var = sum(((x - m) ** 2 for x in xs), Fraction(0)) / (len(xs) - 1)
    return m, var


def _prints(value: Fraction, text: str) -> bool:
    decimals = len(text.split(".")[1]) if "." in text else 0
    q = Decimal(1).scaleb(-decimals)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(q, ROUND_HALF_UP) == Decimal(text)


def _sd_prints(var: Fraction, text: str) -> bool:
    return _prints(Fraction(Decimal(float(var) ** 0.5)), text)


def _check(r: TwoArmReconstruction, means, sds, p, grid: Fraction, lower: float, upper: float) -> None:
    assert r.found, r.reason
    for arm in r.arms:
        for week, values in r.values[arm].items():
            assert all((Fraction(str(v)) / grid).denominator == 1 and lower <= v <= upper for v in values)
            m, var = _mean_sd(values)
            assert _prints(m, means[arm][week]), (arm, week, float(m), means[arm][week])
            assert _sd_prints(var, sds[arm][week]), (arm, week, float(var) ** 0.5, sds[arm][week])
    base = r.weeks[0]
    for week, text in p.items():
        rows = [
            {"arm": arm, "base": b, "chg": f - b}
            for arm in r.arms
            for b, f in zip(r.values[arm][base], r.values[arm][week], strict=True)
        ]
        fit = ancova(pd.DataFrame(rows), outcome="chg", treatment="arm", covariates=["base"], reference=r.arms[1])
        pv = float(fit.differences["pvalue"].iloc[0])
        assert pv == pytest.approx(r.pvalues[week], rel=1e-9, abs=1e-15)
        if text.startswith("<"):
            assert pv < float(text[1:])
        else:
            assert _prints(Fraction(pv), text), (week, pv, text)


# The hand-made data set "five" (r/two_arm_ancova.R): R prints arm A baseline 5.4 (2.70185121722), follow-up
# 3.4 (1.94935886896); arm B baseline 5.6 (2.07364413533), follow-up 5.4 (2.07364413533); p 0.0160434993322.
FIVE_MEANS = {"A": {0: "5.4", 8: "3.4"}, "B": {0: "5.6", 8: "5.4"}}
FIVE_SDS = {"A": {0: "2.70", 8: "1.95"}, "B": {0: "2.07", 8: "2.07"}}
FIVE_P = {8: "0.016"}


def test_r_reference_values_are_the_ones_used():
    text = R_OUT.read_text()
    assert "five p_followup=0.0160434993322" in text
    assert "five arm=A mean_x=5.4 sd_x=2.70185121722 mean_y=3.4 sd_y=1.94935886896" in text
    assert "doctest p_followup=0.116157528348" in text


def test_pvalue_of_a_pairing_matches_r_lm():
    # r/two_arm_ancova.out: "five p_followup=0.0160434993322" (R 4, summary(lm(y ~ arm + x))).
    p = ancova_pvalue_of_pairing([[2, 4, 5, 7, 9], [3, 4, 6, 7, 8]], [[1, 2, 4, 4, 6], [3, 5, 4, 7, 8]])
    assert p == pytest.approx(0.0160434993322, rel=1e-10)


def test_finds_a_sample_for_the_hand_made_target():
    r = reconstruct_two_arm(
        n={"A": 5, "B": 5}, grid=1, lower=0, upper=10, means=FIVE_MEANS, sds=FIVE_SDS, p=FIVE_P, seed=3
    )
    _check(r, FIVE_MEANS, FIVE_SDS, FIVE_P, Fraction(1), 0, 10)
    frame = r.to_frame()
    assert list(frame.columns) == ["arm", "patient", "week0", "week8"]
    assert len(frame) == 10
    assert "found" in repr(r)


def test_two_follow_up_weeks_and_a_less_than_p():
    # Six whole-number scores per arm: A 3..8 -> 0..5 and B 3..8 -> 2..7 (means 5.5, 2.5, 4.5, SDs sqrt(3.5)
    # = 1.8708); paired in order the residuals are 0, so p = 0 < 0.001 is reachable. Week 24 has no p-value.
    means = {"A": {0: "5.5", 12: "2.5", 24: "3.0"}, "B": {0: "5.5", 12: "4.5", 24: "5.0"}}
    sds = {"A": {0: "1.87", 12: "1.87", 24: "2.0"}, "B": {0: "1.87", 12: "1.87", 24: "2.0"}}
    p = {12: "<0.001", 24: None}
    r = reconstruct_two_arm(n={"A": 6, "B": 6}, grid=1, lower=0, upper=10, means=means, sds=sds, p=p, seed=1)
    _check(r, means, sds, {12: "<0.001"}, Fraction(1), 0, 10)
    assert set(r.pvalues) == {12.0, 24.0}


def test_deterministic_under_a_seed():
    kw = dict(n={"A": 5, "B": 5}, grid=1, lower=0, upper=10, means=FIVE_MEANS, sds=FIVE_SDS, p=FIVE_P)
    a = reconstruct_two_arm(seed=7, **kw)
    b = reconstruct_two_arm(seed=7, **kw)
    c = reconstruct_two_arm(seed=np.random.default_rng(7), **kw)
    assert a.found and a.values == b.values == c.values


def test_grimmer_failure_is_reported_as_impossible():
    # 2.35 x 6 = 14.1: no sum of six whole numbers gives a mean printing as 2.35 (GRIM).
    means = {"A": {0: "2.35", 8: "3.4"}, "B": {0: "5.6", 8: "5.4"}}
    r = reconstruct_two_arm(
        n={"A": 6, "B": 6}, grid=1, lower=0, upper=10, means=means,
        sds={"A": {0: "1.00", 8: "1.95"}, "B": FIVE_SDS["B"]}, p=FIVE_P,
    )  # fmt: skip
    assert not r.found
    assert r.reason.startswith("impossible: arm 'A' at week 0")
    assert "GRIMMER" in r.reason
    assert r.to_frame().empty
    assert "NOT FOUND" in repr(r)


def test_p_out_of_reach_of_any_pairing_is_reported():
    # Both arms start from 3..8 (same baseline mean) and end at 0..5 and 2..7: the adjusted difference is
    # always -2 and its SE is largest with no correlation, sqrt(17.5 * 2 / 9 * (1/6 + 1/6)) = 1.1386 (t = 1.757,
    # p = 0.113 on 9 df), so no pairing reaches p = 0.90.
    means = {"A": {0: "5.5", 12: "2.5"}, "B": {0: "5.5", 12: "4.5"}}
    sds = {"A": {0: "1.87", 12: "1.87"}, "B": {0: "1.87", 12: "1.87"}}
    r = reconstruct_two_arm(n={"A": 6, "B": 6}, grid=1, lower=0, upper=10, means=means, sds=sds, p={12: "0.90"})
    assert not r.found
    assert r.reason.startswith("no solution under this convention: at week 12")
    assert r.restarts == 0


def test_progress_callable_receives_reports():
    seen: list[SearchProgress] = []
    r = reconstruct_two_arm(
        n={"A": 5, "B": 5}, grid=1, lower=0, upper=10, means=FIVE_MEANS, sds=FIVE_SDS, p=FIVE_P,
        seed=3, progress=seen.append, progress_every=1,
    )  # fmt: skip
    assert r.found
    assert seen and all(isinstance(s, SearchProgress) for s in seen)


@pytest.mark.parametrize(
    "kw, message",
    [
        (dict(n={"A": 5}), "exactly two arms"),
        (dict(p={9: "0.01"}), "one p-value for each follow-up week"),
        (dict(p_method="z"), "p_method must be one of"),
        (dict(grid=0), "grid"),
        (dict(p={8: 0.016}), "printed p-value"),
    ],
)
def test_input_errors(kw, message):
    args = dict(n={"A": 5, "B": 5}, grid=1, lower=0, upper=10, means=FIVE_MEANS, sds=FIVE_SDS, p=FIVE_P)
    with pytest.raises(InputError, match=message):
        reconstruct_two_arm(**(args | kw))


# ---------------------------------------------------------------- counts ("10 sites in 4 patients")

# The hand-made data set "counts" (r/two_arm_ancova.R): A 0,0,1,2,3,4 -> 0,0,0,1,1,2 (10 in 4 -> 4 in 3),
# B 0,1,1,2,3,3 -> 0,1,2,2,3,3 (10 in 5 -> 11 in 5); R: p = 0.00199598168243, printed "0.002".
COUNT_TOTALS = {"A": {0: 10, 6: 4}, "B": {0: 10, 6: 11}}
COUNT_POSITIVES = {"A": {0: 4, 6: 3}, "B": {0: 5, 6: 5}}


def test_counts_reference_value_is_the_one_used():
    assert "counts p_followup=0.00199598168243" in R_OUT.read_text()


def test_counts_found_for_the_hand_made_target():
    r = reconstruct_two_arm_counts(
        n={"A": 6, "B": 6}, upper=4, totals=COUNT_TOTALS, positives=COUNT_POSITIVES, p={6: "0.002"}, seed=2
    )
    assert r.found, r.reason
    for arm in r.arms:
        for week, values in r.values[arm].items():
            assert all(float(v).is_integer() and 0 <= v <= 4 for v in values)
            assert sum(values) == COUNT_TOTALS[arm][int(week)]
            assert sum(v > 0 for v in values) == COUNT_POSITIVES[arm][int(week)]
    rows = [
        {"arm": arm, "base": b, "chg": f - b}
        for arm in r.arms
        for b, f in zip(r.values[arm][0.0], r.values[arm][6.0], strict=True)
    ]
    fit = ancova(pd.DataFrame(rows), outcome="chg", treatment="arm", covariates=["base"], reference="B")
    assert _prints(Fraction(float(fit.differences["pvalue"].iloc[0])), "0.002")


def test_counts_that_cannot_be_spread_are_impossible():
    # 13 sites in 2 patients with at most 6 each: 12 at the most.
    r = reconstruct_two_arm_counts(
        n={"A": 6, "B": 6}, upper=6, totals={"A": {0: 13, 6: 4}, "B": COUNT_TOTALS["B"]},
        positives={"A": {0: 2, 6: 3}, "B": COUNT_POSITIVES["B"]}, p={6: "0.002"},
    )  # fmt: skip
    assert not r.found
    assert r.reason == "impossible: arm 'A' at week 0: a total of 13 over 2 of 6 patients with 1 to 6 each"


def test_accept_is_applied_at_every_week():
    # Only draws whose first arm holds a zero count at baseline and whose second arm has no count above 3 at
    # week 6 (11 sites over 5 patients) are accepted.
    seen = []

    def accept(week, a, b):
        seen.append(week)
        return a.count(0) >= 1 if week == 0 else max(b) <= 3

    r = reconstruct_two_arm_counts(
        n={"A": 6, "B": 6}, upper=4, totals=COUNT_TOTALS, positives=COUNT_POSITIVES, p={6: None}, seed=5,
        accept=accept,
    )  # fmt: skip
    assert r.found and 0 in r.values["A"][0.0] and max(r.values["B"][6.0]) <= 3
    assert {0.0, 6.0} <= set(seen)
