"""Bad input to the statistics functions: each case raises (or warns) naming the argument and the value.

The rule (axspa.stats._validate.real_array): real numbers only; booleans, strings (numeric ones
too), bytes, None, dates, timedeltas, complex numbers and non-numeric objects are errors; two
pandas objects are paired by label, never silently by position.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from axspa.errors import ConfidenceLevelWarning, InputError
from axspa.stats import (
    describe,
    fisher,
    hodges_lehmann,
    matched_pairs_rank_biserial,
    round_half_away,
    signed_rank_exact_pvalue,
    signed_rank_null_distribution,
    walsh_averages,
    walsh_median,
    wilcoxon_signed_rank,
    wilcoxon_signed_rank_batch,
)

W = wilcoxon_signed_rank


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("123", r"x must be an array of real numbers; got the string '123'"),
        (["1", "2", "-3"], r"x must be an array of real numbers; got strings \(dtype <U2\), starting '1', '2', '-3'"),
        (np.array(["2024-01-01", "2024-02-01"], dtype="datetime64[D]"), r"x .*got dates \(datetime64\)"),
        (np.array([1, 2], dtype="timedelta64[D]"), r"x .*got time spans \(timedelta64\)"),
        (np.array([1 + 2j, 3 + 0j]), r"x .*got complex numbers"),
        (None, r"x must be an array of real numbers; got None"),
        ([1.0, None, 2.0], r"x must hold real numbers only; got None \(NoneType\) at position 1"),
        ([1.0, "2", 3.0], r"x must be an array of real numbers; got strings"),
        (np.array([True, False, True]), r"x .*got booleans \(dtype bool\)"),
        (pd.Series(["1", "2"]), r"x must hold real numbers only; got '1' \(str\) at position 0"),
        (pd.Series([True, False]), r"x .*got booleans"),
    ],
    ids=[
        "string",
        "numeric-strings",
        "datetime64",
        "timedelta64",
        "complex",
        "None",
        "None-inside",
        "string-inside",
        "bool",
        "series-of-strings",
        "series-of-bool",
    ],
)
def test_signed_rank_refuses_non_real_x(value: object, pattern: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's ComplexWarning must not be what the user sees
        with pytest.raises(InputError, match=pattern):
            W(value)


def test_y_is_named_when_it_is_the_bad_one() -> None:
    with pytest.raises(
        InputError, match=r"^y must be an array of real numbers; got strings \(dtype <U32\), starting '0.0', '1.0', 'b'"
    ):
        W([1.0, 2.0, 3.0], [0.0, 1.0, "b"])


def test_series_are_paired_by_label() -> None:
    # by label every difference is +1 (five positive, tied): exact two-sided p = 2 / 2^5 = 0.0625
    x = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=["a", "b", "c", "d", "e"])
    y = pd.Series([4.0, 3.0, 2.0, 1.0, 0.0], index=["e", "d", "c", "b", "a"])
    res = W(x, y, method="exact")
    assert res.pvalue == 0.0625
    assert res.statistic == 15.0
    # by position the differences would be -3, -1, 1, 3, 5: a different test
    assert W(x.to_numpy(), y.to_numpy(), method="exact").pvalue != 0.0625
    assert hodges_lehmann(x, y, confidence_level=0.93).estimate == 1.0


def test_series_with_different_labels_are_an_error() -> None:
    x = pd.Series([1.0, 2.0, 3.0], index=["P1", "P2", "P3"])
    y = pd.Series([0.0, 1.0, 1.0], index=["P1", "P2", "P4"])
    with pytest.raises(InputError, match=r"labels differ: only in x \['P3'\], only in y \['P4'\]"):
        W(x, y)


def test_series_with_duplicate_labels_in_another_order_are_an_error() -> None:
    x = pd.Series([1.0, 2.0, 3.0], index=["P1", "P1", "P2"])
    y = pd.Series([0.0, 1.0, 1.0], index=["P2", "P1", "P1"])
    with pytest.raises(InputError, match="duplicates"):
        W(x, y)


def test_series_and_array_pair_by_position() -> None:
    x = pd.Series([3.0, 5.0, 8.0], index=[10, 20, 30])
    assert W(x, [1.0, 1.0, 1.0]).statistic == 6.0  # differences 2, 4, 7: all positive, R+ = 1 + 2 + 3


def test_overflow_in_the_difference_is_an_error_naming_the_position() -> None:
    pattern = r"x - y overflows the float64 range at position\(s\) 0 \(first: x = 1e\+308, y = -1e\+308\)"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarning on the way
        with pytest.raises(InputError, match=pattern):
            W([1e308, 2, 3], [-1e308, 1, 1])
        with pytest.raises(InputError, match=pattern):  # the interval names x and y too, not an inner 'd'
            hodges_lehmann([1e308, 2, 3], [-1e308, 1, 1])


def test_hodges_lehmann_near_the_float_limit_is_finite() -> None:
    # Walsh averages of [1.0, 1.2, 1.4, 1.6, 1.7] e308, computed by hand: the 15 averages (a + b) / 2 are
    # 1.0 1.1 1.2 1.3 1.35 1.2 1.3 1.4 1.45 1.4 1.5 1.55 1.6 1.65 1.7; sorted, the 8th is 1.4 -> estimate 1.4e308
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConfidenceLevelWarning)
        res = hodges_lehmann([1.0e308, 1.2e308, 1.4e308, 1.6e308, 1.7e308])
    assert res.estimate == pytest.approx(1.4e308, rel=1e-15)
    assert (res.low, res.high) == (1.0e308, 1.7e308)  # n = 5: k = 1, the widest interval
    assert walsh_median([1.7e308, 1.7e308]) == 1.7e308


def test_unachievable_confidence_level_warns() -> None:
    # n = 5: the widest interval has confidence 1 - 2 / 2^5 = 0.9375 < 0.95 (R warns likewise)
    with pytest.warns(ConfidenceLevelWarning, match=r"confidence_level=0.95 is not achievable .* n = 5 .*0\.9375"):
        res = hodges_lehmann([1.0, 2.0, 4.0, 8.0, 16.0])
    assert res.achieved_confidence == 0.9375


def test_markedly_conservative_interval_warns() -> None:
    # n = 6: subsets of {1..6} with sum q = 0, 1, 2, 3, 4: 1, 1, 1, 2, 2 of 64, so P(R+ <= q) = 1, 2, 3, 5, 7 / 64.
    # 0.95 (tail 1.6/64): k = 1, achieved 1 - 2 * 1/64 = 0.96875 (0.01875 above: no warning);
    # 0.80 (tail 6.4/64): k = 4, achieved 1 - 2 * 5/64 = 0.84375 (0.04375 above: warning)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert hodges_lehmann([1.0, 2.0, 4.0, 8.0, 16.0, 32.0]).achieved_confidence == 0.96875
    with pytest.warns(ConfidenceLevelWarning, match=r"has confidence 0\.84375, more than 0\.02 above"):
        res = hodges_lehmann([1.0, 2.0, 4.0, 8.0, 16.0, 32.0], confidence_level=0.8)
    assert res.k == 4


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: walsh_averages("1 2 3"), r"^d must be an array of real numbers; got the string"),
        (lambda: walsh_median([1.0, None]), r"^d must hold real numbers only; got None"),
        (lambda: hodges_lehmann(None), r"^x must be an array of real numbers; got None"),
        (lambda: matched_pairs_rank_biserial(["1", "2"]), r"^x must be an array of real numbers; got strings"),
        (lambda: wilcoxon_signed_rank_batch([["1", "2"], ["3", "4"]]), r"^x must be a 2-D array of real numbers"),
        (lambda: signed_rank_null_distribution(ranks=["1", "2"]), r"^ranks must be an array of real numbers"),
        (
            lambda: signed_rank_exact_pvalue("40", n=9),
            r"^statistic must be finite \(a real number, not a string, boolean or None\); "
            r"got '40'",
        ),
        (lambda: describe(["1.5", "2"]), r"^values must be an array of real numbers; got strings"),
        (lambda: describe(np.array([1 + 1j])), r"^values must be an array of real numbers; got complex"),
        (lambda: round_half_away("2.5"), r"^value must be finite \(a real number, not a string"),
        (lambda: fisher([["3", "1"], ["1", "3"]]), r"^table must be a 2-D array of real numbers; got strings"),
    ],
    ids=[
        "walsh_averages",
        "walsh_median",
        "hodges_lehmann",
        "rank_biserial",
        "batch",
        "null_distribution",
        "exact_pvalue",
        "describe-strings",
        "describe-complex",
        "round_half_away",
        "fisher",
    ],
)
def test_every_public_function_checks_its_input(call: object, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        call()  # type: ignore[operator]


def test_describe_takes_none_and_pandas_na_as_missing() -> None:
    s = describe([1.0, None, 3.0])
    assert (s.n, s.n_missing, s.mean) == (2, 1, 2.0)
    s = describe(pd.Series([1.0, pd.NA, 5.0], dtype="Float64"))
    assert (s.n, s.n_missing, s.mean) == (2, 1, 3.0)


def test_dataframes_are_paired_by_label_in_the_batch() -> None:
    x = pd.DataFrame([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], index=["r1", "r2"], columns=["a", "b", "c"])
    y = x.loc[["r2", "r1"], ["c", "b", "a"]] - 1.0  # the same cells minus one, rows and columns reordered
    res = wilcoxon_signed_rank_batch(x, y, method="exact")
    assert res.pvalue.tolist() == [0.25, 0.25]  # three differences of +1: 2 / 2^3 each


def test_effect_size_names_a_wrong_result_type() -> None:
    from axspa.stats import signed_rank_z_effect_size

    with pytest.raises(InputError, match=r"^result must be a WilcoxonSignedRankResult .*; got float"):
        signed_rank_z_effect_size(0.5, n_basis="pairs")  # type: ignore[arg-type]
