"""Argument checks shared by the statistics modules.

Every check raises :class:`axspa.errors.InputError` with a message that names the
argument, the value received and what was expected.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from axspa.errors import InputError

ALTERNATIVES = ("two-sided", "less", "greater")


def choice(name: str, value: object, allowed: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``allowed``; raise InputError otherwise."""
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        expected = ", ".join(repr(o) for o in options)
        raise InputError(f"{name} must be one of {expected}; got {value!r}")
    return value


def alternative(value: object) -> str:
    """Check the ``alternative`` argument."""
    return choice("alternative", value, ALTERNATIVES)


def confidence_level(value: object) -> float:
    """Check a confidence level: a number strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise InputError(f"confidence_level must be a number in (0, 1); got {value!r}")
    level = float(value)
    if not 0.0 < level < 1.0:
        raise InputError(f"confidence_level must be in (0, 1), e.g. 0.95; got {value!r}")
    return level


def flag(name: str, value: object) -> bool:
    """Check a boolean flag (``True`` or ``False``, numpy booleans accepted)."""
    if not isinstance(value, bool | np.bool_):
        raise InputError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def count(name: str, value: object, *, minimum: int = 0) -> int:
    """Check a whole number of at least ``minimum`` (floats with an integral value accepted)."""
    if isinstance(value, bool):
        raise InputError(f"{name} must be an integer >= {minimum}; got {value!r}")
    if isinstance(value, float | np.floating) and math.isfinite(value) and float(value).is_integer():
        value = int(value)
    if not isinstance(value, int | np.integer) or int(value) < minimum:
        raise InputError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def finite_array(name: str, value: Any, *, ndim: int = 1) -> npt.NDArray[np.float64]:
    """Convert ``value`` to a float array of ``ndim`` dimensions with finite entries only.

    Missing values are not dropped silently: an array with NaN or infinite entries is
    rejected with the positions of the offending entries.
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be an array of numbers; got {value!r:.80}") from exc
    if arr.ndim == 0 and ndim == 1:
        arr = arr.reshape(1)
    if arr.ndim != ndim:
        raise InputError(f"{name} must be {ndim}-dimensional; got an array of shape {arr.shape}")
    if arr.size == 0:
        raise InputError(f"{name} must not be empty; got an array of shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        where = [tuple(int(i) for i in idx) for idx in np.argwhere(bad)[:5]]
        shown = ", ".join(str(w[0]) if len(w) == 1 else str(w) for w in where)
        more = f" (and {int(bad.sum()) - len(where)} more)" if bad.sum() > len(where) else ""
        raise InputError(
            f"{name} must contain finite numbers only; got NaN or infinite values at position(s) "
            f"{shown}{more}. Drop incomplete pairs explicitly before testing"
        )
    return arr
