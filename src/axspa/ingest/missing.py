"""The one set of tokens that mean "not recorded", for every column of every table.

A value is missing when it is ``None``, ``pandas.NA``, a float NaN, or a string that, stripped of
white space and lower-cased, is one of :data:`MISSING_TOKENS`: the empty string, ``"na"``,
``"n/a"`` and ``"nan"`` (what R, Excel and pandas write for a missing value). Anything else is a
value and must pass its column's rule. The same set applies to laboratory columns
(:mod:`axspa.units`) and to every other column (:mod:`axspa.ingest.columns`).
"""

from __future__ import annotations

import math
from collections.abc import Collection

import pandas as pd

from axspa.ingest.distinct import distinct_text

__all__ = ["MISSING_TOKENS", "is_missing", "missing_mask"]

MISSING_TOKENS: frozenset[str] = frozenset({"", "na", "n/a", "nan"})
"""Strings that mean "not recorded" (compared stripped and lower-cased)."""


def is_missing(raw: object) -> bool:
    """True if one raw value means "not recorded".

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), " ", "NA", "n/a", "0", 0.0)]
    [True, True, True, True, True, False, False]
    """
    if raw is None or raw is pd.NA:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and raw.strip().lower() in MISSING_TOKENS


def missing_mask(raw: pd.Series) -> pd.Series:
    """The vectorized :func:`is_missing` of a whole column (a boolean Series on its index).

    Examples
    --------
    >>> missing_mask(pd.Series(["1", "NA", None, " ", "<5"])).tolist()
    [False, True, True, True, False]
    """
    coded = distinct_text(raw)
    if coded is not None:  # a column of text: each distinct value looked at once
        return coded.spread(token_mask(coded.values, MISSING_TOKENS), raw.index)
    missing = raw.isna()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        missing = missing | token_mask(raw, MISSING_TOKENS)
    return missing.astype(bool)


def token_mask(values: pd.Series, tokens: Collection[str]) -> pd.Series:
    """Where a column of text (or None) is missing or, stripped and in lower case, one of ``tokens``.

    Examples
    --------
    >>> token_mask(pd.Series([" N.A. ", "5", None]), {"n.a."}).tolist()
    [True, False, True]
    """
    text = values.astype("string").str.strip().str.lower()
    return (text.isna() | text.isin(tokens).fillna(True)).astype(bool)
