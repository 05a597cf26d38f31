"""Checks and notes shared by the table builders."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet
from axspa.errors import InputError
from axspa.stats import DescriptiveSummary, describe


def _need(frame: object, columns: Iterable[str], what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{what} must be a pandas DataFrame; got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the {what} frame lacks column(s) {missing}; got {list(frame.columns)}")
    return frame


def _set_note(s: AnalysisSet) -> str:
    return f"Population: {s.describe()}."


def _statistics(data: pd.DataFrame, **where: object) -> dict[str, float]:
    """The statistics of the tidy rows whose columns equal ``where``, by statistic name."""
    mask = pd.Series(True, index=data.index)
    for column, value in where.items():
        mask &= data[column] == value
    rows = data.loc[mask]
    return dict(zip(rows["statistic"], rows["value"], strict=True))


def _groups(data: pd.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    """The distinct values of ``columns`` in the tidy rows, in order of first appearance."""
    return list(dict.fromkeys(zip(*(data[c] for c in columns), strict=True)))


def _summary(values: pd.Series) -> DescriptiveSummary:
    """:func:`axspa.stats.describe` of the values (NaN missing); no value at all gives n = 0 and NaN."""
    return describe(values if len(values) else np.array([np.nan]))
