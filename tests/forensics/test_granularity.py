"""GRIM, GRIMMER and DEBIT: published examples and cases worked out by hand in the comments."""

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axspa.errors import ComputationError, InputError
from axspa.forensics import coarsest_consistent_grid, debit, effective_grid, grim, grimmer

# ---------------------------------------------------------------- GRIM


def test_grim_brown_heathers_example_5_19_n28_is_inconsistent():
    # Brown & Heathers 2017: mean 5.19 from 28 integer answers. True means that print as 5.19
    # lie in [5.185, 5.195]; times 28: [145.18, 145.46], which holds no integer sum.
    # Neighbours: 145 / 28 = 5.17857 (prints 5.18) and 146 / 28 = 5.21429 (prints 5.21).
    r = grim(mean="5.19", n=28)
    assert r.consistent is False
    assert r.consistent_under == ()
    assert r.sums == ()
    assert r.nearest_below == Fraction(145, 28)
    assert r.nearest_above == Fraction(146, 28)
    assert "INCONSISTENT" in repr(r)


def test_grim_heathers_age_example_sum_251_of_12():
    # Heathers' example: ages of 12 students summing to 251 give 251 / 12 = 20.9167 -> "20.92".
    # "20.93" would need a sum in [20.925, 20.935] * 12 = [251.1, 251.22]: none.
    assert grim(mean="20.92", n=12).sums == (251,)
    assert grim(mean="20.93", n=12).consistent is False


def test_grim_trailing_zero_counts():
    # n = 7 integers. "3.1": [3.05, 3.15] * 7 = [21.35, 22.05] -> 22 (22 / 7 = 3.142857).
    # "3.10": [3.095, 3.105] * 7 = [21.665, 21.735] -> no integer.
    assert grim(mean="3.1", n=7).consistent is True
    assert grim(mean="3.10", n=7).consistent is False


def test_grim_tie_on_grid_tenths_depends_on_rounding_rule():
    # Eight values in tenths, mean "4.97": [4.965, 4.975] * 8 / 0.1 = [397.2, 398], so only the sum
    # 398 (in tenths), i.e. mean 39.8 / 8 = 4.975 exactly, a tie. Half up gives 4.98, half even gives
    # 4.98 (7 is odd), half down gives 4.97; truncation of 4.975 gives 4.97.
    r = grim(mean="4.97", n=8, grid="0.1")
    assert r.consistent is True
    assert r.consistent_under == ("half_down", "truncate")
    assert r.sums == (398,)
    assert grim(mean="4.97", n=8, grid="0.1", rounding="half_up").consistent is False
    assert grim(mean="4.97", n=8, grid="0.1", rounding=["half_even"]).consistent is False


def test_grim_truncation_only_case():
    # n = 3 integers, "0.66": nearest needs [0.655, 0.665] * 3 = [1.965, 1.995], no integer;
    # truncation needs [0.66, 0.67) * 3 = [1.98, 2.01), holding 2 (2 / 3 = 0.666... -> 0.66).
    r = grim(mean="0.66", n=3)
    assert r.consistent is False
    assert r.consistent_under == ("truncate",)
    assert grim(mean="0.66", n=3, rounding="any").consistent is True


def test_grim_respects_range():
    # Two integers with mean 10.5 (sum 21) are fine unless each is at most 10 (sum at most 20).
    assert grim(mean="10.5", n=2).consistent is True
    assert grim(mean="10.5", n=2, lower=0, upper=10).consistent is False


def test_grim_result_frame():
    frame = grim(mean="5.19", n=28).to_frame()
    assert list(frame["consistent"]) == [False]
    assert frame.loc[0, "nearest_below"] == pytest.approx(145 / 28)


# ---------------------------------------------------------------- GRIMMER


def test_grimmer_sd_one_from_five_values():
    # Mean 3.0, n = 5: sum K = 15. SD 1.00: V = 5 Q - K^2 must lie in 20 * [0.995^2, 1.005^2]
    # = [19.8005, 20.2005], so V = 20 and Q = (20 + 225) / 5 = 49, odd like K: e.g. 2, 2, 3, 4, 4
    # (squares 4 + 4 + 9 + 16 + 16 = 49).
    assert grimmer(mean="3.0", sd="1.00", n=5).consistent is True


def test_grimmer_sd_needs_integer_sum_of_squares():
    # SD 1.10: V in 20 * [1.095^2, 1.105^2] = [23.9805, 24.4205] -> V = 24, Q = 249 / 5: not an integer.
    r = grimmer(mean="3.0", sd="1.10", n=5)
    assert r.consistent is False
    assert r.grim_consistent is True
    # The reachable neighbours: Q = 49 (SD 1) and Q = 51 (V = 30, SD sqrt(30 / 20) = 1.22474).
    assert r.sd_below == pytest.approx(1.0)
    assert r.sd_above == pytest.approx(1.224744871)


def test_grimmer_parity_rule():
    # n = 4, mean "2.5": K = 10 (even). SD "0.82": V = 4 Q - 100 in 12 * [0.815^2, 0.825^2]
    # = [7.9707, 8.1675] -> V = 8, Q = 27: an integer but odd, and Q must be even like K
    # (four integers summing to 10: 1,2,3,4 -> 30; 2,2,3,3 -> 26; 1,3,3,3 -> 28; 2,2,2,4 -> 28; ...).
    assert grimmer(mean="2.5", sd="0.82", n=4).consistent is False
    # SD "0.58": V in 12 * [0.575^2, 0.585^2] = [3.9675, 4.1067] -> V = 4, Q = 26 (2, 2, 3, 3).
    assert grimmer(mean="2.5", sd="0.58", n=4).consistent is True


def test_grimmer_range_bounds_the_sd():
    # n = 4, mean "0.5": K = 2. SD "1.0": V in 12 * [0.95^2, 1.05^2] = [10.83, 13.23]; V = 12 gives
    # Q = 4 (even, like K): 2, 0, 0, 0 has SD sqrt(12 / 12) = 1. With values in [0, 1] the largest Q
    # for K = 2 is 2 (two ones), V = 4, SD 0.577.
    assert grimmer(mean="0.5", sd="1.0", n=4).consistent is True
    r = grimmer(mean="0.5", sd="1.0", n=4, lower=0, upper=1)
    assert r.consistent is False
    assert "parity" in r.reason


def test_grimmer_fails_when_mean_fails_grim():
    r = grimmer(mean="5.19", sd="1.00", n=28)
    assert (r.consistent, r.grim_consistent, r.reason) == (False, False, "the mean fails GRIM")
    assert list(r.to_frame()["reason"]) == ["the mean fails GRIM"]


# ---------------------------------------------------------------- DEBIT


def test_debit_seven_of_twenty():
    # 7 ones of 20: mean 0.35, sample variance 7 * 13 / (20 * 19) = 91 / 380 = 0.239474,
    # SD 0.489361 -> "0.49"; "0.50" is impossible. Population SD: sqrt(91 / 400) = 0.476970 -> "0.48".
    assert debit(mean="0.35", sd="0.49", n=20).counts == (7,)
    assert debit(mean="0.35", sd="0.50", n=20).consistent is False
    assert debit(mean="0.35", sd="0.48", n=20, ddof=0).consistent is True
    assert debit(mean="0.35", sd="0.48", n=20).consistent is False


def test_debit_mean_must_be_a_proportion():
    with pytest.raises(InputError, match="mean must be a proportion"):
        debit(mean="1.5", sd="0.5", n=10)


# ---------------------------------------------------------------- grids


def test_effective_grids_of_the_bath_indices():
    # BASDAI = (Q1 + Q2 + Q3 + Q4 + (Q5 + Q6) / 2) / 5 = 0.2 (Q1 + ... + Q4) + 0.1 (Q5 + Q6); items in
    # tenths q_i / 10 give BASDAI = (2 (q1 + ... + q4) + q5 + q6) / 100: steps of 0.01.
    basdai = [Fraction(1, 5)] * 4 + [Fraction(1, 10)] * 2
    assert effective_grid("0.1", weights=basdai) == Fraction(1, 100)
    assert effective_grid("0.1", k=10) == Fraction(1, 100)  # BASFI: sum of ten tenths / 10
    assert effective_grid("0.1", k=2) == Fraction(1, 20)  # BAS-G: mean of two items
    assert effective_grid(1, weights=["0.5", "0.75"]) == Fraction(1, 4)


def test_coarsest_grid_for_esr_week8():
    # Ten values with mean "70.03": sums in [70.025, 70.035] * 10 = [700.25, 700.35]. Grid 1 gives
    # integer sums, 0.5 multiples of 0.5, 0.2 multiples of 0.2 (700.2, 700.4): none fits; 0.1 gives 700.3.
    assert coarsest_consistent_grid(n=10, grid=1, means=["70.03"]) == Fraction(1, 10)
    # "69.5" with n = 8: [69.45, 69.55] * 8 = [555.6, 556.4] holds 556, so integers suffice.
    assert coarsest_consistent_grid(n=8, grid=1, means=["69.5"], sds=["21.2"]) == Fraction(1)
    with pytest.raises(ComputationError, match="no grid"):
        coarsest_consistent_grid(n=10, grid=1, means=["70.03"], divisors=[1, 2])


# ---------------------------------------------------------------- input errors


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mean": 5.19, "n": 28}, "mean must be the figure as printed"),
        ({"mean": "5.1.9", "n": 28}, "mean must be a plain decimal"),
        ({"mean": "5.19", "n": 0}, "n must be an integer >= 1"),
        ({"mean": "5.19", "n": 28, "grid": 0}, "grid must be positive"),
        ({"mean": "5.19", "n": 28, "rounding": "bankers"}, "rounding must be"),
        ({"mean": "5.19", "n": 28, "lower": 5, "upper": 1}, "lower must not exceed upper"),
    ],
)
def test_grim_input_errors(kwargs, message):
    with pytest.raises(InputError, match=message):
        grim(**kwargs)


def test_grimmer_input_errors():
    with pytest.raises(InputError, match="sd must be non-negative"):
        grimmer(mean="1.0", sd="-1.0", n=5)
    with pytest.raises(InputError, match="n must be an integer >= 2"):
        grimmer(mean="1.0", sd="1.0", n=1)
    with pytest.raises(InputError, match="ddof"):
        grimmer(mean="1.0", sd="1.0", n=5, ddof=2)
    with pytest.raises(InputError, match="exactly one of weights and k"):
        effective_grid("0.1")


# ---------------------------------------------------------------- properties: real data always pass


def _printed(value: Fraction, decimals: int, rounding: str, sqrt: bool = False) -> str:
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(value.numerator) / Decimal(value.denominator)
        if sqrt:
            d = d.sqrt()
        return str(d.quantize(Decimal(1).scaleb(-decimals), rounding=rounding))


@given(
    st.lists(st.integers(0, 20), min_size=2, max_size=30),
    st.sampled_from(["1", "0.1", "0.05"]),
    st.integers(0, 3),
    st.sampled_from([ROUND_HALF_UP, ROUND_HALF_EVEN]),
)
def test_summaries_of_real_samples_always_pass_grim_and_grimmer(units, grid, decimals, rounding):
    # A necessary condition must never reject figures computed from a real sample on the grid.
    g = Fraction(grid)
    values = [k * g for k in units]
    n = len(values)
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    m_txt, s_txt = _printed(mean, decimals, rounding), _printed(var, decimals, rounding, sqrt=True)
    kw = dict(n=n, grid=grid, lower=0, upper=20 * g)
    assert grim(mean=m_txt, **kw).consistent
    r = grimmer(mean=m_txt, sd=s_txt, **kw)
    assert r.consistent, r


@given(st.lists(st.integers(0, 1), min_size=2, max_size=60), st.integers(1, 3))
def test_summaries_of_real_binary_samples_always_pass_debit(bits, decimals):
    n, k = len(bits), sum(bits)
    mean = Fraction(k, n)
    var = Fraction(k * (n - k), n * (n - 1))
    r = debit(mean=_printed(mean, decimals, ROUND_HALF_UP), sd=_printed(var, decimals, ROUND_HALF_UP, sqrt=True), n=n)
    assert r.consistent and k in r.counts
