"""CSV outputs that a spreadsheet opens as data: no cell runs as a formula.

Spreadsheet programs (Excel, LibreOffice, Google Sheets) run a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (and a leading tab or carriage return can hide such a start), so a patient id or an
adverse-event term such as ``=HYPERLINK("http://...")`` in an output file would run when the file is opened
(CWE-1236, "CSV injection"). Every CSV file axspa writes for people to open (report tables, the exclusions
report, scored visits, ADaM data sets and their specification) goes through :func:`write_csv`.

The rule (:func:`neutralise_formulas`): a text cell, or a column name, that starts with one of those six
characters gets a single quote in front (``'=HYPERLINK(...)``), which spreadsheets show as text and do not
run; the original text follows the quote unchanged. Two kinds of text are left as they are, since no
spreadsheet runs them: a number written in full (``-1.5``, ``+3``, ``-2e-3``: the number syntax the loader
accepts), and a lone ``-`` (a missing value in the report's views). Numeric columns are never changed. The
canonical study files written by :func:`axspa.io.write_study` are data for axspa, not for people, and are
written as they are, so they load back unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO

import pandas as pd

__all__ = ["FORMULA_STARTS", "neutralise_formulas", "write_csv"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_KEEP = "-"


def _safe(value: object) -> object:
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if value == _KEEP or _NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` in which no text cell or column name starts a spreadsheet formula.

    Examples
    --------
    >>> frame = pd.DataFrame({"patient_id": ["=1+1", "@SUM(A1)", "P01", "-"], "change": ["-1.5", "-2 (0.3)", "+3",
    ...                       "\\tx"], "n": [-1, 2, 3, 4]})
    >>> neutralise_formulas(frame).to_dict(orient="list")  # doctest: +NORMALIZE_WHITESPACE
    {'patient_id': ["'=1+1", "'@SUM(A1)", 'P01', '-'], 'change': ['-1.5', "'-2 (0.3)", '+3', "'\\tx"],
     'n': [-1, 2, 3, 4]}
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].map(_safe, na_action="ignore")
    out.columns = pd.Index([_safe(c) for c in out.columns])
    return out


def write_csv(frame: pd.DataFrame, target: str | Path | IO[str]) -> None:
    """Write ``frame`` (without its index) as CSV after :func:`neutralise_formulas`."""
    neutralise_formulas(frame).to_csv(target, index=False)
