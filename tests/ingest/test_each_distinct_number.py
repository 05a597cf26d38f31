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
