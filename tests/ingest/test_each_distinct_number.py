"""A function applied once per distinct number gives what applying it to every number gives."""

from __future__ import annotations

import math

import numpy as np
import pytest

from axspa.ingest.distinct import each_distinct_number


def _scale(x: float) -> float:  # the mapping's 0-100 mm to 0-10, rounded to 12 significant digits
    return float(f"{x / 10:.12g}")


@pytest.mark.parametrize(
    "numbers",
    [
        [45.0, math.nan, 3.0, 100.0, 0.0, -7.0, 45.0],  # whole numbers: looked up in a table
        [43.7, math.nan, 0.1, 43.7, 99.9],  # fractions: factorised
        [1.0, 2.0, 1e300],  # whole numbers too far apart for a table
        [1.0, math.inf, -math.inf, math.nan],  # not finite
        [math.nan, math.nan],
        [],
    ],
)
def test_once_per_distinct_value_equals_every_value(numbers: list[float]) -> None:
    values = np.array(numbers, dtype=np.float64)
    expected = [math.nan if math.isnan(x) else _scale(x) for x in numbers]  # the function on each value
    got = each_distinct_number(values, _scale).tolist()
    assert len(got) == len(expected)
    assert all((math.isnan(a) and math.isnan(b)) or a == b for a, b in zip(got, expected, strict=True))


def test_the_function_is_called_once_per_distinct_value() -> None:
    calls: list[float] = []
    each_distinct_number(np.array([43.7, 43.7, 0.1, np.nan, 0.1]), lambda x: calls.append(x) or x)
    assert sorted(calls) == [0.1, 43.7]


def _bits(values: np.ndarray) -> list[int | None]:
    """Each value's bits (sign of zero and last digit included); None for any NaN."""
    return [None if math.isnan(v) else int(b) for v, b in zip(values.tolist(), values.view(np.uint64), strict=True)]


@pytest.mark.parametrize(
    "numbers",
    [
        [45.0, math.nan, 3.0, 100.0, 0.0, 7.0, 45.0],
        [0.0, -0.0, 1.0, math.nan],  # minus zero reads the table at zero
        [-0.0, -0.0],
        [-30.0, -7.0, 0.0, 12.0],
        [43.7, math.nan, 0.1],  # fractions: no table, the arithmetic is not used
        [1.0, math.inf, math.nan],  # not finite
        [math.nan, math.nan],
        [],
    ],
)
@pytest.mark.parametrize(
    "arithmetic",
    [
        lambda a: a / 10 + 0.0,  # the same values as the rounded function on whole numbers
        lambda a: a / 10,  # -0.0 for minus zero, where the table gives 0.0: refused when zero is in range
        lambda a: a * 0.1,  # 0.30000000000000004 for 3: refused
        lambda a: a / 10 + 1e-12,  # off in the last digits: refused
        lambda a: np.zeros(len(a) - 1),  # a wrong shape: refused
    ],
)
def test_the_arithmetic_shortcut_gives_the_functions_values_bit_for_bit(numbers: list[float], arithmetic) -> None:
    values = np.array(numbers, dtype=np.float64)
    general = each_distinct_number(values, _scale)
    assert _bits(each_distinct_number(values, _scale, arithmetic)) == _bits(general)


def test_the_arithmetic_shortcut_is_taken_for_whole_numbers_when_it_agrees() -> None:
    used: list[int] = []

    def arithmetic(a: np.ndarray) -> np.ndarray:
        used.append(len(a))
        return a / 10 + 0.0

    out = each_distinct_number(np.array([45.0, np.nan, 3.0, 45.0]), _scale, arithmetic)
    assert out[[0, 2, 3]].tolist() == [4.5, 0.3, 4.5] and math.isnan(out[1])
    assert used == [43 + 1, 4]  # checked on 3..45 and NaN, then applied to the four values
    assert 0.3 == _scale(3.0) != 3.0 * 0.1  # the rounded function, not a multiplication
