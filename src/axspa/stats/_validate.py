"""Argument checks shared by the statistics modules.

Every check raises :class:`axspa.errors.InputError` with a message that names the
argument, the value received and what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from axspa.errors import InputError
from axspa.options import ALTERNATIVES, Alternative


def choice(name: str, value: object, allowed: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``allowed``; raise InputError otherwise."""
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        expected = ", ".join(repr(o) for o in options)
        raise InputError(f"{name} must be one of {expected}; got {value!r}")
    return value


def alternative(value: object) -> Alternative:
    """Check the ``alternative`` argument."""
    return cast(Alternative, choice("alternative", value, ALTERNATIVES))


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


def _describe_value(value: Any) -> str:
    """A short description of a received value for an error message."""
    if value is None:
        return "None"
    if isinstance(value, str | bytes):
        return f"the string {value!r:.60}"
    dtype = getattr(value, "dtype", None)
    kind = type(value).__name__
    return f"a {kind} of dtype {dtype}" if dtype is not None else f"{value!r:.80}"


def _is_real_scalar(value: object) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    return isinstance(value, numbers.Real | Decimal | np.integer | np.floating)


def _object_to_float(name: str, arr: npt.NDArray[Any], *, missing_ok: bool) -> npt.NDArray[np.float64]:
    """Convert an object array element by element: real numbers only (None is missing if allowed)."""
    out = np.empty(arr.shape, dtype=np.float64)
    for idx, item in np.ndenumerate(arr):
        where = idx[0] if len(idx) == 1 else idx
        if item is None and missing_ok:
            out[idx] = np.nan
        elif _is_real_scalar(item):
            out[idx] = float(item)
        else:
            hint = "; use NaN for a missing value" if item is None else ""
            raise InputError(
                f"{name} must hold real numbers only; got {item!r:.40} ({type(item).__name__}) at position "
                f"{where}{hint}"
            )
    return out


def real_array(name: str, value: Any, *, ndim: int = 1, missing_ok: bool = False) -> npt.NDArray[np.float64]:
    """Convert ``value`` to a float array of ``ndim`` dimensions, accepting real numbers only.

    The rule, the same for every statistics function: integers and floats (numpy, Python,
    pandas numeric dtypes, ``Decimal`` and ``Fraction``) are accepted; booleans are refused
    (a flag is not a measurement: convert with ``astype(float)`` if that is meant), and so are
    strings (numeric strings too: they are never parsed), bytes, ``None``, dates and times,
    timedeltas, complex numbers and objects that are not real numbers. With ``missing_ok``
    NaN (and pandas' NA or ``None`` inside an array) marks a missing value; otherwise every
    entry must be finite and the positions of the offending entries are named.

    Raises
    ------
    InputError
        Naming the argument ``name``, what was received and where.
    """
    expected = f"{name} must be {'an' if ndim == 1 else 'a 2-D'} array of real numbers"
    if value is None or isinstance(value, str | bytes) or _is_scalar_text_or_time(value):
        raise InputError(f"{expected}; got {_describe_value(value)}")
    if isinstance(value, pd.Series | pd.Index | pd.DataFrame):
        value = _pandas_to_numpy(name, value, expected)
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested sequences
        raise InputError(f"{expected}; got {_describe_value(value)} ({exc})") from exc
    kind = arr.dtype.kind
    if kind == "b":
        raise InputError(
            f"{expected}; got booleans (dtype {arr.dtype}). A flag is not a measurement: convert with "
            "astype(float) if 0/1 values are meant"
        )
    if kind in "iuf":
        arr = arr.astype(np.float64, copy=False)
    elif kind == "O":
        arr = _object_to_float(name, arr, missing_ok=missing_ok)
    else:
        what = {
            "U": "strings",
            "S": "bytes",
            "M": "dates (datetime64)",
            "m": "time spans (timedelta64)",
            "c": "complex numbers",
        }.get(kind, f"values of dtype {arr.dtype}")
        first = ", ".join(repr(v) for v in arr.reshape(-1)[:3].tolist())
        raise InputError(
            f"{expected}; got {what} (dtype {arr.dtype}), starting {first}. Numeric strings are never parsed"
        )
    if arr.ndim == 0 and ndim == 1:
        arr = arr.reshape(1)
    if arr.ndim != ndim:
        raise InputError(f"{name} must be {ndim}-dimensional; got an array of shape {arr.shape}")
    if arr.size == 0:
        raise InputError(f"{name} must not be empty; got an array of shape {arr.shape}")
    bad = np.isinf(arr) if missing_ok else ~np.isfinite(arr)
    if bad.any():
        raise InputError(
            f"{name} must contain finite numbers{' or NaN (missing)' if missing_ok else ' only'}; got "
            f"{'infinite' if missing_ok else 'NaN or infinite'} values at position(s) {positions(bad)}"
            + ("" if missing_ok else ". Drop incomplete pairs explicitly before testing")
        )
    return arr


def finite_array(name: str, value: Any, *, ndim: int = 1) -> npt.NDArray[np.float64]:
    """Real numbers only (see :func:`real_array`), every entry finite."""
    return real_array(name, value, ndim=ndim)


def positions(mask: npt.NDArray[np.bool_], *, limit: int = 5) -> str:
    """The first ``limit`` positions where ``mask`` holds, as text (and how many more)."""
    where = [tuple(int(i) for i in idx) for idx in np.argwhere(mask)[:limit]]
    shown = ", ".join(str(w[0]) if len(w) == 1 else str(w) for w in where)
    total = int(mask.sum())
    return shown + (f" (and {total - len(where)} more)" if total > len(where) else "")


def _is_scalar_text_or_time(value: object) -> bool:
    return isinstance(value, np.str_ | np.bytes_ | np.datetime64 | np.timedelta64 | complex | np.complexfloating) or (
        isinstance(value, dt.date | dt.time | dt.timedelta)
    )


def _pandas_to_numpy(name: str, value: pd.Series | pd.Index | pd.DataFrame, expected: str) -> Any:
    """Numeric pandas data as float (NA to NaN); anything else is left for the dtype checks."""
    dtypes = list(value.dtypes) if isinstance(value, pd.DataFrame) else [value.dtype]
    if all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in dtypes):
        if any(pd.api.types.is_complex_dtype(t) for t in dtypes):
            raise InputError(f"{expected}; got complex numbers (dtype {dtypes[0]})")
        return value.to_numpy(dtype=np.float64, na_value=np.nan)
    if any(pd.api.types.is_bool_dtype(t) for t in dtypes):
        return value.to_numpy(dtype=bool, na_value=False)
    return value.to_numpy()


def real_scalar(name: str, value: object) -> float:
    """A finite real number (booleans, strings and None refused)."""
    if not _is_real_scalar(value) or not math.isfinite(float(value)):  # type: ignore[arg-type]
        raise InputError(f"{name} must be finite (a real number, not a string, boolean or None); got {value!r:.60}")
    return float(value)  # type: ignore[arg-type]
