"""Paired differences and the rounding that decides ties and zeros."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from axspa.errors import InputError
from axspa.stats import _validate
from axspa.stats._signed_rank_core import BoolArray, FloatArray, rounding_keys

DEFAULT_DIGITS = 10
"""Significant digits (of the largest absolute input value) that decide ties and zeros."""


def check_digits(digits: object) -> int | None:
    """``digits`` must be None (no rounding) or an integer from 1 to 15."""
    if digits is None:
        return None
    if isinstance(digits, bool) or not isinstance(digits, int | np.integer) or not 1 <= int(digits) <= 15:
        raise InputError(f"digits must be None or an integer from 1 to 15; got {digits!r}")
    return int(digits)


def aligned_pairs(x: Any, y: Any) -> tuple[Any, Any]:
    """Pair two pandas objects by label; anything else is paired by position.

    The rule: when both ``x`` and ``y`` carry an index (two Series, or two DataFrames for
    the batch function), pairs are formed by label. Indexes that hold the same labels in another
    order are aligned to the order of ``x``; indexes that differ in their labels, or hold
    duplicate labels in a different arrangement, are an error that names the labels found on
    one side only, never a silent positional pairing. When either is a plain array or list,
    pairs are formed by position.
    """
    if not (isinstance(x, pd.Series | pd.DataFrame) and isinstance(y, pd.Series | pd.DataFrame)):
        return x, y
    if type(x) is not type(y):
        raise InputError(
            f"x and y must both be Series or both DataFrames to be paired by label; got "
            f"{type(x).__name__} and {type(y).__name__}"
        )
    axes = ("index",) if isinstance(x, pd.Series) else ("index", "columns")
    for axis in axes:
        xi, yi = getattr(x, axis), getattr(y, axis)
        if xi.equals(yi):
            continue
        if xi.has_duplicates or yi.has_duplicates:
            raise InputError(
                f"x and y are paired by their {axis} labels, but the labels differ and hold duplicates, so "
                "the pairs are ambiguous; make the labels unique (or pass arrays to pair by position)"
            )
        only_x, only_y = xi.difference(yi), yi.difference(xi)
        if len(only_x) or len(only_y):
            raise InputError(
                f"x and y are paired by their {axis} labels, and the labels differ: only in x "
                f"{list(only_x[:5])}{' ...' if len(only_x) > 5 else ''}, only in y {list(only_y[:5])}"
                f"{' ...' if len(only_y) > 5 else ''}. Keep the common pairs explicitly, e.g. "
                "x, y = x.align(y, join='inner'), or pass arrays to pair by position"
            )
        y = y.reindex(**{axis: xi})
    return x, y


def differences(x: Any, y: Any, *, ndim: int) -> tuple[FloatArray, FloatArray]:
    """d = x - y (or x itself when y is None) and the scale of each sample.

    ``x`` and ``y`` are checked by :func:`axspa.stats._validate.real_array` and paired by
    :func:`aligned_pairs`. A difference that overflows float64 is an error naming its position.
    The scale is the largest absolute input value of a sample (row): the rounding grid for
    ties and zeros is set relative to it, so x - y float noise (0.3 - (0.1 + 0.2)) is zero.
    """
    x, y = aligned_pairs(x, y)
    xa = _validate.finite_array("x", x, ndim=ndim)
    if y is None:
        d = xa
        scale = np.max(np.abs(xa), axis=-1)
    else:
        ya = _validate.finite_array("y", y, ndim=ndim)
        if ya.shape != xa.shape:
            raise InputError(f"x and y must have the same shape (one pair per position); got {xa.shape} and {ya.shape}")
        with np.errstate(over="ignore", invalid="ignore"):
            d = xa - ya
        overflow = ~np.isfinite(d)
        if overflow.any():
            first = tuple(np.argwhere(overflow)[0])
            raise InputError(
                f"x - y overflows the float64 range at position(s) {_validate.positions(overflow)} "
                f"(first: x = {float(xa[first])!r}, y = {float(ya[first])!r}); rescale the measurements before testing"
            )
        scale = np.maximum(np.max(np.abs(xa), axis=-1), np.max(np.abs(ya), axis=-1))
    return d, np.asarray(scale, dtype=np.float64)


def keys_and_zeros(d: FloatArray, scale: FloatArray, digits: int | None) -> tuple[FloatArray, BoolArray]:
    """Rounded differences (grid units) and the mask of zero differences."""
    keys = rounding_keys(d, scale, digits)
    return keys, keys == 0


def used_sample(d: FloatArray, zero: BoolArray, zero_method: str) -> FloatArray:
    """The differences a zero convention keeps: the non-zero ones (wilcox) or all (pratt).

    Zeros kept under Pratt's convention are set to exactly 0.0.
    """
    if zero_method == "wilcox":
        kept: FloatArray = d[~zero]
        return kept
    return np.where(zero, 0.0, d)
