r"""Unit conversion and censored laboratory values.

Laboratory results are converted once, at load, to the canonical unit of the measure
registry (:data:`axspa.measures.UNIT_ALIASES`). The factors follow from 1 L = 10 dL and 1 g = 1000 mg:

.. math::

    \text{CRP [mg/L]} = 10 \times \text{CRP [mg/dL]}, \qquad
    \text{IgA [g/L]} = \frac{\text{IgA [mg/dL]}}{100}

A value reported below a detection limit ("<5") is kept as the limit with a censored flag,
never dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from axspa.ingest.distinct import distinct_text, each_distinct_number
from axspa.ingest.missing import is_missing, missing_mask
from axspa.measures import UNIT_ALIASES

__all__ = [
    "CensoredValue",
    "censored_flag_column",
    "from_canonical",
    "parse_lab_series",
    "parse_lab_value",
    "parse_number",
    "to_canonical",
]

_CENSORED = re.compile(r"^\s*(<=?|≤)\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*$")


@dataclass(frozen=True)
class CensoredValue:
    """A laboratory value, possibly reported as below a detection limit.

    Attributes
    ----------
    value : float
        The numeric value; for a censored result, the detection limit.
    censored : bool
        True when the laboratory reported only that the value is below ``value``.
    """

    value: float
    censored: bool = False


def censored_flag_column(column: str) -> str:
    """Name of the flag column that marks censored values of ``column``."""
    return f"{column}_censored"


def parse_number(text: object) -> float:
    """A number written as text, by the rules of the frame engine (:func:`pandas.to_numeric`).

    Python's :class:`float` also takes digit-group underscores (``"1_0"``) and digits of other scripts
    (full-width ``"１０"``, Arabic-Indic); :func:`pandas.to_numeric`, which checks whole columns, takes
    neither, so both are refused here and the record engine accepts exactly the numbers the frame engine
    accepts. ``"inf"`` and ``"nan"`` are returned as such (the callers reject or treat them).

    Raises
    ------
    ValueError
        If ``text`` is not a number so written.

    Examples
    --------
    >>> parse_number(" -1.5e2 ")
    -150.0
    >>> parse_number("1_0")
    Traceback (most recent call last):
    ...
    ValueError: not a number: '1_0'
    """
    value = str(text)
    if not value.isascii() or "_" in value:
        raise ValueError(f"not a number: {text!r}")
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None


def parse_lab_value(raw: object) -> CensoredValue | None:
    """Parse one laboratory result: a number, a numeric string, or ``"<limit"``.

    Parameters
    ----------
    raw : object
        The value as received. ``None``, NaN and the tokens of
        :data:`axspa.ingest.missing.MISSING_TOKENS` mean not measured.

    Returns
    -------
    CensoredValue or None
        None when nothing was measured.

    Raises
    ------
    ValueError
        If ``raw`` is neither a number nor a censored string such as ``"<5"``.

    Examples
    --------
    >>> parse_lab_value("<5")
    CensoredValue(value=5.0, censored=True)
    >>> parse_lab_value(" 12.5 ")
    CensoredValue(value=12.5, censored=False)
    >>> parse_lab_value("") is None
    True
    """
    if is_missing(raw):
        return None
    if isinstance(raw, CensoredValue):
        return raw
    if isinstance(raw, bool):
        raise ValueError(f"expected a number or a censored value such as '<5'; got {raw!r}")
    if isinstance(raw, int | float | np.integer | np.floating):
        x = float(raw)
        return None if math.isnan(x) else CensoredValue(x)
    text = str(raw).strip()
    match = _CENSORED.match(text)
    if match:
        return CensoredValue(float(match.group(2)), censored=True)
    try:
        x = parse_number(raw)  # not the stripped text: the frame engine refuses "5\u00a0" too
    except ValueError:
        raise ValueError(f"expected a number or a censored value such as '<5'; got {raw!r}") from None
    if math.isnan(x):
        return None
    return CensoredValue(x)


def parse_lab_series(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Vectorized :func:`parse_lab_value` for a whole column.

    A column of strings is parsed once per distinct value (:mod:`axspa.ingest.distinct`).

    Returns
    -------
    values : Series of float
        Parsed values (the limit for censored ones), NaN where missing or unparseable.
    censored : Series of boolean
        True for ``"<limit"`` values.
    bad : Series of bool
        True where the raw value is present but neither numeric nor a censored string.
    """
    coded = distinct_text(raw)
    if coded is None or len(coded.values) > len(raw):
        return _parse_lab_cells(raw)
    return tuple(coded.spread(part, raw.index) for part in _parse_lab_cells(coded.values))  # type: ignore[return-value]


def _parse_lab_cells(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    index = raw.index
    if raw.dtype.kind in "fi":  # numbers already: nothing censored, nothing unparseable
        numbers = raw.to_numpy(dtype=np.float64, na_value=np.nan)
        none = np.zeros(len(raw), dtype=bool)
        return (
            pd.Series(numbers, index=index, copy=False),
            pd.Series(pd.arrays.BooleanArray(none, none.copy()), index=index, copy=False),
            pd.Series(none, index=index),
        )
    numeric = pd.to_numeric(raw, errors="coerce").astype("float64")
    present = raw.notna().to_numpy(dtype=bool)
    censored = np.zeros(len(raw), dtype=bool)
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        text = raw.astype("string").str.strip()
        present = present & ~missing_mask(raw).to_numpy(dtype=bool)
        limits = pd.to_numeric(text.str.extract(_CENSORED)[1], errors="coerce").astype("float64")
        censored = limits.notna().to_numpy(dtype=bool) & present
        numeric = numeric.where(~censored, limits)
    bad = present & numeric.isna().to_numpy(dtype=bool) & ~censored
    return numeric, pd.Series(censored, index=index, dtype="boolean"), pd.Series(bad, index=index)


def to_canonical(column: str, value: float) -> tuple[str, float]:
    r"""Convert a value given in an accepted alternative unit to its canonical column.

    Parameters
    ----------
    column : str
        The input column, e.g. ``"crp_mg_dl"``; a column without an alternative unit is returned as is.
    value : float
        The value in that column's unit.

    Returns
    -------
    tuple of (str, float)
        The canonical column and the value in its unit: :math:`x \cdot f`, :math:`f` the registry's
        factor (10 for CRP mg/dL, 1/100 for IgA mg/dL), rounded to 12 significant digits so that
        0.2 mg/dL is exactly 2.0 mg/L.

    Examples
    --------
    >>> to_canonical("crp_mg_dl", 0.2)
    ('crp_mg_l', 2.0)
    >>> to_canonical("iga_mg_dl", 496)
    ('iga_g_l', 4.96)
    >>> to_canonical("esr_mm_h", 30)
    ('esr_mm_h', 30)
    """
    alias = UNIT_ALIASES.get(column)
    if alias is None:
        return column, value
    return alias.canonical, _scale(value, alias.factor)


def series_to_canonical(column: str, values: pd.Series) -> pd.Series:
    """:func:`to_canonical` of a whole column of numbers (missing stays missing), each distinct value once.

    Examples
    --------
    >>> series_to_canonical("crp_mg_dl", pd.Series([0.2, None, 0.2, 1.3])).tolist()
    [2.0, nan, 2.0, 13.0]
    """
    numbers = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
    return pd.Series(each_distinct_number(numbers, lambda x: to_canonical(column, x)[1]), index=values.index)


def from_canonical(column: str, value: float) -> float:
    """Convert a canonical value to the unit of the alternative input ``column``.

    Parameters
    ----------
    column : str
        An alternative input column of the registry, e.g. ``"crp_mg_dl"``.
    value : float
        The value in the canonical unit.

    Returns
    -------
    float
        :math:`x / f`, the inverse of :func:`to_canonical`, rounded to 12 significant digits.

    Examples
    --------
    >>> from_canonical("crp_mg_dl", 60.8)
    6.08
    """
    alias = UNIT_ALIASES[column]
    return _scale(value, 1.0 / alias.factor)


def _scale(value: float, factor: float) -> float:
    # Unit factors are powers of ten: round to 12 significant digits so that 0.2 mg/dL
    # becomes exactly 2.0 mg/L rather than 2.0000000000000004.
    x = value * factor
    return float(f"{x:.12g}") if math.isfinite(x) else x
