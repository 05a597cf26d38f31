"""Descriptive summaries and display rounding (expected values worked out by hand)."""

from __future__ import annotations

import math

import pytest

from axspa.errors import InputError
from axspa.stats import describe, round_half_away


def test_summary_by_hand() -> None:
    # 1, 2, 3, 4, 10: mean 4; squared deviations 9 + 4 + 1 + 0 + 36 = 50; SD = sqrt(50 / 4)
    s = describe([3, 1, 10, 2, 4])
    assert (s.n, s.n_missing, s.mean, s.median, s.min, s.max) == (5, 0, 4.0, 3.0, 1.0, 10.0)
    assert s.sd == pytest.approx(math.sqrt(12.5), rel=1e-15)
    # R type 7: positions 1 + 0.25 * 4 = 2 and 1 + 0.75 * 4 = 4 (1-based)
    assert (s.q1, s.q3) == (2.0, 4.0)
    # SAS PCTLDEF=5: n p = 1.25 -> x(2); n p = 3.75 -> x(4)
    sas = describe([3, 1, 10, 2, 4], quantile_method="averaged_inverted_cdf")
    assert (sas.q1, sas.q3, sas.quantile_method) == (2.0, 4.0, "averaged_inverted_cdf")
    # SPSS / Weibull: (n + 1) p = 1.5 -> 1.5; 4.5 -> 7.0
    spss = describe([3, 1, 10, 2, 4], quantile_method="weibull")
    assert (spss.q1, spss.q3) == (1.5, 7.0)


def test_missing_values_are_counted_not_hidden() -> None:
    s = describe([1.0, float("nan"), 3.0])
    assert (s.n, s.n_missing, s.mean) == (2, 1, 2.0)
    one = describe([5.0])
    assert one.n == 1 and math.isnan(one.sd) and one.mean == 5.0
    none = describe([float("nan")])
    assert none.n == 0 and none.n_missing == 1 and math.isnan(none.mean)
    assert describe([1.0, 2.0]).to_frame().shape == (1, 10)


def test_summary_errors() -> None:
    with pytest.raises(InputError, match=r"infinite values at position\(s\) 1$"):
        describe([1.0, float("inf")])
    with pytest.raises(InputError, match="quantile_method must be one of"):
        describe([1.0, 2.0], quantile_method="type7")


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (2.675, 2, "2.68"),  # binary 2.67499999...; Python's round gives 2.67
        (1.005, 2, "1.01"),  # Python's round gives 1.0
        (0.125, 2, "0.13"),  # exact tie in binary; banker's rounding gives 0.12
        (0.5, 0, "1"),
        (1.5, 0, "2"),
        (2.5, 0, "3"),  # banker's rounding gives 2
        (-2.5, 0, "-3"),
        (-0.125, 2, "-0.13"),
        (-0.001, 2, "0.00"),  # no negative zero
        (0.5, 2, "0.50"),  # trailing zeros kept
        (12345678901234.5, 0, "12345678901235"),
        (1e-7, 3, "0.000"),
        (0.0390625, 4, "0.0391"),
        (0.01953125, 5, "0.01953"),
    ],
)
def test_round_half_away_from_zero(value: float, decimals: int, shown: str) -> None:
    assert round_half_away(value, decimals) == shown


def test_round_half_away_missing_and_errors() -> None:
    assert round_half_away(float("nan"), 2) == ""
    assert round_half_away(float("nan"), 2, missing="NA") == "NA"
    with pytest.raises(InputError, match="decimals must be an integer >= 0; got -1"):
        round_half_away(1.0, -1)
    with pytest.raises(InputError, match="must be finite"):
        round_half_away(float("inf"), 1)
