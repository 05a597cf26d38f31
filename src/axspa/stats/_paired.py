"""Paired differences and the rounding that decides ties and zeros."""

from __future__ import annotations

from typing import Any

import numpy as np

from axspa.errors import InputError
from axspa.stats import _validate
from axspa.stats._signed_rank_core import BoolArray, FloatArray, rounding_keys

DEFAULT_DIGITS = 10
"""Significant digits (of the largest absolute input value) that decide ties and zeros."""

ZERO_METHODS = ("wilcox", "pratt")


def check_digits(digits: object) -> int | None:
    """``digits`` must be None (no rounding) or an integer from 1 to 15."""
    if digits is None:
        return None
    if isinstance(digits, bool) or not isinstance(digits, int | np.integer) or not 1 <= int(digits) <= 15:
        raise InputError(f"digits must be None or an integer from 1 to 15; got {digits!r}")
    return int(digits)


def differences(x: Any, y: Any, *, ndim: int) -> tuple[FloatArray, FloatArray]:
    """d = x - y (or x itself when y is None) and the scale of each sample.

    The scale is the largest absolute input value of a sample (row): the rounding grid for
    ties and zeros is set relative to it, so x - y float noise (0.3 - (0.1 + 0.2)) is zero.
    """
    xa = _validate.finite_array("x", x, ndim=ndim)
    if y is None:
        d = xa
        scale = np.max(np.abs(xa), axis=-1)
    else:
        ya = _validate.finite_array("y", y, ndim=ndim)
        if ya.shape != xa.shape:
            raise InputError(
                f"x and y must have the same shape (one pair per position); got {xa.shape} and {ya.shape}"
            )
        d = xa - ya
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
