"""Helpers shared by the reproduction tests."""

from __future__ import annotations

import pandas as pd


def values_at(scores: pd.DataFrame, ids: list[str], measure: str, week: float) -> pd.Series:
    """One measure at one week for the given patients, indexed by patient, in the order of ``ids``."""
    rows = scores[(scores["week"] == week) & scores["patient_id"].isin(ids)]
    return rows.set_index("patient_id")[measure].reindex(ids)
