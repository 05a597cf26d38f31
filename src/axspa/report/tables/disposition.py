"""Disposition: enrolled, completed, withdrawn by reason, and the analysis sets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet, all_enrolled
from axspa.ingest.columns import WithdrawalReason
from axspa.report.format import fmt_count_pct, fmt_num
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import _groups, _need, _set_note, _statistics

__all__ = ["disposition_numbers", "disposition_table", "disposition_view"]


_REASON_LABELS = {
    WithdrawalReason.ADVERSE_EVENT.value: "adverse event",
    WithdrawalReason.LACK_OF_EFFICACY.value: "lack of efficacy",
    WithdrawalReason.LOST_TO_FOLLOW_UP.value: "lost to follow-up",
    WithdrawalReason.OTHER.value: "other",
}


def disposition_table(patients: pd.DataFrame, sets: Sequence[AnalysisSet] = ()) -> Table:
    """Disposition: enrolled, completed, withdrawn by reason (with the weeks of withdrawal), and sets.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame (``status``, ``withdrawal_reason``, optionally ``last_week``).
    sets : sequence of AnalysisSet
        Analysis sets to list with their size and definition.

    Returns
    -------
    Table
        Named ``"disposition"``; percentages are of all enrolled patients.
    """
    enrolled = all_enrolled(patients)  # validates the frame
    data = disposition_numbers(patients, sets)
    notes = [_set_note(enrolled), f"Percentages are of the {enrolled.n} enrolled patients."]
    notes.extend(f"Analysis set {s.describe()}." for s in sets)
    return Table(
        name="disposition",
        title=f"Disposition of the {enrolled.n} enrolled patients",
        data=data,
        view=disposition_view(data, {s.name: s.label for s in sets}),
        notes=tuple(notes),
    )


def disposition_numbers(patients: pd.DataFrame, sets: Sequence[AnalysisSet] = ()) -> pd.DataFrame:
    """The tidy, unrounded numbers of :func:`disposition_table` (see there)."""
    enrolled = all_enrolled(patients)  # validates the frame
    frame = _need(patients, ["withdrawal_reason"], "patients")
    n = enrolled.n
    status = frame["status"].astype("string").str.strip().str.lower()
    reason = frame["withdrawal_reason"].astype("string").str.strip().str.lower()
    last = pd.to_numeric(frame["last_week"], errors="coerce") if "last_week" in frame else None
    rows: list[dict[str, Any]] = []
    base = dict(
        table="disposition",
        week=np.nan,
        population=enrolled.label,
        denominator=n,
        imputation="not applicable",
        method="count and percent of enrolled",
    )

    def add(variable: str, level: str, mask: pd.Series) -> None:
        k = int(mask.sum())
        rows.append({**base, "variable": variable, "level": level, "statistic": "count", "value": k})
        rows.append({**base, "variable": variable, "level": level, "statistic": "percent", "value": 100.0 * k / n})
        if last is not None and variable == "withdrawn" and k:
            lw = last[mask]
            lw = lw[lw.notna()]
            if len(lw):
                for stat, v in (("min_last_week", float(lw.min())), ("max_last_week", float(lw.max()))):
                    rows.append(
                        {
                            **base,
                            "variable": variable,
                            "level": level,
                            "statistic": stat,
                            "value": v,
                            "method": "last week on study, over the withdrawn patients",
                        }
                    )

    add("enrolled", "", pd.Series(True, index=frame.index))
    add("completed", "", status == "completed")
    add("withdrawn", "", status == "withdrawn")
    for key in _REASON_LABELS:
        add("withdrawn", key, (status == "withdrawn") & (reason == key).fillna(False))
    unspecified = (status == "withdrawn") & reason.isna()
    if unspecified.any():
        add("withdrawn", "unspecified", unspecified)
    for s in sets:
        rows.append(
            {
                **base,
                "variable": "analysis_set",
                "level": s.name,
                "statistic": "count",
                "value": s.n,
                "method": s.definition,
            }
        )
    return tidy_frame(rows)


_ROW_LABELS = {("enrolled", ""): "Enrolled (treated)", ("completed", ""): "Completed", ("withdrawn", ""): "Withdrawn"}


def disposition_view(data: pd.DataFrame, set_labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The formatted view of :func:`disposition_numbers`' tidy frame; ``set_labels`` names the sets."""
    view: list[dict[str, str]] = []
    n = int(data["denominator"].iloc[0])
    for variable, level in _groups(data, "variable", "level"):
        stats = _statistics(data, variable=variable, level=level)
        k = int(stats["count"])
        if variable == "analysis_set":
            label = f"Analysis set: {(set_labels or {}).get(str(level), level)}"
        else:
            reason = _REASON_LABELS.get(str(level), "reason not recorded")
            label = _ROW_LABELS.get((str(variable), str(level)), f"  withdrawn: {reason}")
        weeks = ""
        if "min_last_week" in stats:
            lo, hi = stats["min_last_week"], stats["max_last_week"]
            weeks = f"week {fmt_num(lo, None)}" + (f" to {fmt_num(hi, None)}" if hi != lo else "")
        view.append({"Patients": label, "n (%)": fmt_count_pct(k, n), "Last week on study": weeks})
    return pd.DataFrame(view, columns=["Patients", "n (%)", "Last week on study"])
