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

import numpy as np
import pandas as pd

from axspa.ingest.distinct import distinct_text

__all__ = ["MISSING_TOKENS", "is_missing", "missing_mask", "stripped_missing", "token_mask"]

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


def stripped_missing(texts: np.ndarray) -> np.ndarray:
    """:func:`is_missing` of strings already stripped of white space (None is missing), as a boolean array.

    Only a string no longer than the longest token is lower-cased and looked up.

    Examples
    --------
    >>> stripped_missing(np.array(["P001", "NA", None, "", "n/a"], dtype=object)).tolist()
    [False, True, True, True, True]
    """
    longest = _LONGEST_TOKEN
    found = [t is None or (len(t) <= longest and t.lower() in MISSING_TOKENS) for t in texts.tolist()]
    return np.array(found, dtype=bool)


_LONGEST_TOKEN = max(len(t) for t in MISSING_TOKENS)


def token_mask(values: pd.Series, tokens: Collection[str]) -> pd.Series:
    """Where a column of text (or None) is missing or, stripped and in lower case, one of ``tokens``.

    A value that is not a string is compared as its text (``-99`` matches the token ``"-99"``), as
    ``values.astype("string")`` writes it. One pass in Python over the values: a column of text is
    given here as its distinct values (:mod:`axspa.ingest.distinct`), so the pass is short.

    Examples
    --------
    >>> token_mask(pd.Series([" N.A. ", "5", None, -99]), {"n.a.", "-99"}).tolist()
    [True, False, True, True]
    """
    wanted = frozenset(tokens)
    cells = values.to_numpy(dtype=object)
    hits = [v.strip().lower() in wanted if type(v) is str else _other_is_token(v, wanted) for v in cells]
    return pd.Series(np.array(hits, dtype=bool), index=values.index, copy=False)


def _other_is_token(value: object, tokens: frozenset[str]) -> bool:
    """:func:`token_mask` of one value that is not a plain ``str``: missing, or its text is a token."""
    if isinstance(value, str):  # a subclass of str
        return str(value).strip().lower() in tokens
    if pd.api.types.is_scalar(value) and pd.isna(value):  # type: ignore[call-overload]
        return True
    text = pd.Series([value], dtype=object).astype("string").iloc[0]
    return pd.isna(text) or str(text).strip().lower() in tokens
