"""Text handled once per distinct value: the fast way to check a column of strings.

A column read from a file holds few distinct strings compared with its length (a 0-10 item on the
0.1 grid has at most 101; a million visits have a hundred thousand patient ids). Every rule of
:mod:`axspa.ingest.columns` is a function of one cell, so a column of strings is checked by applying
the rule to its distinct values and spreading the outcome back to the cells. The result is the
same as checking every cell; only the string work is done once per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype, is_string_dtype

__all__ = ["DistinctText", "distinct_cells", "distinct_text", "map_cells"]


@dataclass(frozen=True)
class DistinctText:
    """A column of strings as its distinct values and, per cell, the position of its value.

    Attributes
    ----------
    values : Series
        The distinct strings (object dtype, fresh index), then one missing value (``None``) standing
        for every missing cell.
    positions : ndarray of int
        For each cell of the column, the position of its value in ``values``.
    """

    values: pd.Series
    positions: np.ndarray

    def spread(self, distinct: pd.Series, index: pd.Index) -> pd.Series:
        """A result computed on :attr:`values` (same order), spread back to the column's cells."""
        return distinct.iloc[self.positions].set_axis(index)


def distinct_text(raw: pd.Series) -> DistinctText | None:
    """The distinct values of a column of strings, or None if the column holds anything but strings.

    A column of mixed objects (numbers, booleans and strings) is not coded: ``1``, ``1.0`` and
    ``True`` are equal as keys but not as raw values, and the rules tell them apart.

    Examples
    --------
    >>> coded = distinct_text(pd.Series(["5", "<3", None, "5"]))
    >>> coded.values.tolist(), coded.positions.tolist()
    (['5', '<3', None], [0, 1, 2, 0])
    >>> distinct_text(pd.Series([1.5, 2.0])) is None
    True
    """
    if not is_string_dtype(raw.dtype):
        return None
    codes, uniques = _factorize(raw.to_numpy(dtype=object))
    # any value that is not a string is a distinct value of its own (no string equals it): checking the distinct
    # values checks the column
    if raw.dtype == object and infer_dtype(uniques, skipna=True) not in ("string", "empty"):
        return None
    positions = np.where(codes < 0, len(uniques), codes)
    values = pd.Series([*uniques.tolist(), None], dtype=object)
    return DistinctText(values=values, positions=positions)


def _factorize(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pandas.factorize`` of an object array (-1 where missing), hashing one cell per run of equal cells.

    A registry's visits come grouped by patient: a million rows hold a hundred thousand runs of one id.
    Equal neighbours are found by comparing cells (no hashing); only the first cell of each run is
    factorized. A column without long runs (a sample of its first cells says so) is factorized whole.
    """
    n = len(cells)
    starts = _run_starts(cells)
    if starts is None:
        codes, uniques = pd.factorize(cells, use_na_sentinel=True)
        return codes, np.asarray(uniques, dtype=object)
    run_codes, uniques = pd.factorize(cells[starts], use_na_sentinel=True)
    return np.repeat(run_codes, np.diff(starts, append=n)), np.asarray(uniques, dtype=object)


def _run_starts(cells: np.ndarray) -> np.ndarray | None:
    """Where each run of equal cells of an object array starts; None for a column without long runs.

    A sample of the first cells decides: a column whose sample is not in runs is looked at whole.
    """
    n = len(cells)
    sample = cells[: min(n, _RUN_SAMPLE)]
    try:
        runs_in_sample = 1 + int(np.count_nonzero(sample[1:] != sample[:-1])) if n > 1 else n
    except (TypeError, ValueError):  # cells that do not compare as booleans (pandas.NA)
        runs_in_sample = len(sample)
    if n < _RUN_SAMPLE or runs_in_sample > len(sample) // 2:
        return None
    head = np.empty(n, dtype=bool)
    head[0] = True
    try:
        np.not_equal(cells[1:], cells[:-1], out=head[1:])
    except (TypeError, ValueError):
        return None
    return np.flatnonzero(head)


def distinct_cells(cells: np.ndarray) -> set[object]:
    """The distinct cells of an object array (a column grouped in runs: one cell per run is hashed).

    Cells are told apart as a ``set`` tells them apart (``1``, ``1.0`` and ``True`` are one).

    Examples
    --------
    >>> sorted(distinct_cells(np.array(["b", "a", "b"], dtype=object)))
    ['a', 'b']
    """
    starts = _run_starts(cells)
    return set((cells if starts is None else cells[starts]).tolist())


_RUN_SAMPLE = 4096
"""Cells compared to decide whether a column comes in runs of equal values."""


def each_distinct_number(
    numbers: np.ndarray,
    function: Callable[[float], float],
    arithmetic: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """``function`` applied to every number of a float array, called once per distinct value; NaN stays NaN.

    Whole numbers spanning at most :data:`_TABLE_MAX` values (a 0-100 mm line) take the function's value from a
    table of every whole number between the smallest and the largest (no hashing of the column).

    Parameters
    ----------
    numbers : ndarray of float
        The values.
    function : callable
        The function of one number.
    arithmetic : callable, optional
        The same function written as element-wise arithmetic on an array (``lambda a: a / 10``), which may
        differ from ``function`` (it does not round, say). It is used on the whole array only for whole
        numbers, and only when it gives, bit for bit, the table's every value (and the value of ``-0.0``,
        and NaN for NaN): then the result is the table's, without looking each number up.

    Examples
    --------
    >>> each_distinct_number(np.array([0.2, np.nan, 0.2, 1.3]), lambda x: 10 * x).tolist()
    [2.0, nan, 2.0, 13.0]
    >>> each_distinct_number(np.array([45.0, np.nan]), lambda x: float(f"{x / 10:.12g}"), lambda a: a / 10).tolist()
    [4.5, nan]
    """
    if numbers.size:
        smallest, largest = np.fmin.reduce(numbers), np.fmax.reduce(numbers)  # NaN skipped
        span = largest - smallest
        if np.isfinite(span) and span <= _TABLE_MAX and _whole(numbers):
            # whole numbers (a 0-100 mm line): a table of the function's values, and NaN after its end
            low, size = int(smallest), int(span) + 1
            table = np.array([*(function(float(v)) for v in range(low, low + size)), np.nan], dtype=np.float64)
            if arithmetic is not None and _same_as_table(arithmetic, table, low):
                return arithmetic(numbers)
            at = np.subtract(numbers, low)
            np.nan_to_num(at, copy=False, nan=size)  # a missing value reads the NaN at the end
            return table[at.astype(np.intp)]
    present = ~np.isnan(numbers)
    values = numbers[present]
    out = np.full(numbers.size, np.nan)
    where, distinct = pd.factorize(values)
    out[present] = np.array([function(x) for x in distinct.tolist()], dtype=np.float64)[where]
    return out


def _same_as_table(arithmetic: Callable[[np.ndarray], np.ndarray], table: np.ndarray, low: int) -> bool:
    """Whether ``arithmetic`` gives, bit for bit, every value of a table of whole numbers from ``low`` (then NaN).

    Zero is also tried as ``-0.0``, which the table reads at ``0``; every NaN counts as the same.
    """
    size = table.size - 1
    points, expected = np.arange(low, low + size, dtype=np.float64), table[:size]
    if low <= 0 < low + size:
        points, expected = np.append(points, -0.0), np.append(expected, table[-low])
    points, expected = np.append(points, np.nan), np.append(expected, np.nan)
    got = np.asarray(arithmetic(points), dtype=np.float64)
    if got.shape != expected.shape:
        return False
    nan = np.isnan(expected)
    return bool(
        np.array_equal(np.isnan(got), nan) and np.array_equal(got[~nan].view(np.uint64), expected[~nan].view(np.uint64))
    )


def _whole(numbers: np.ndarray) -> bool:
    """Whether every number of a float array that is not NaN is a whole number (the array holds no infinity)."""
    differs = np.not_equal(np.trunc(numbers), numbers)  # True at a fraction and at NaN
    not_whole = int(np.count_nonzero(differs))
    return not_whole == int(np.count_nonzero(np.isnan(numbers, out=differs)))


_TABLE_MAX = 100_000
"""Whole numbers spanning at most this many values are looked up in a table of the function's values."""


def map_cells(raw: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """``raw.map(function)`` (missing cells passed as ``None``), calling ``function`` once per distinct string.

    Examples
    --------
    >>> map_cells(pd.Series([" A", "b", None, " A"]), lambda v: None if v is None else v.strip().lower()).tolist()
    ['a', 'b', None, 'a']
    """
    coded = distinct_text(raw)
    if coded is None:
        return raw.map(lambda v: function(None if pd.isna(v) else v)).astype(object)
    once = pd.Series([function(v) for v in coded.values], dtype=object)
    return coded.spread(once, raw.index)
