"""Disposition: enrolled, completed, withdrawn by reason, and the analysis sets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet, all_enrolled
from axspa.report.format import fmt_count_pct, fmt_num
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import _need, _set_note
from axspa.schema import WithdrawalReason

__all__ = ["disposition_table"]


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
    frame = _need(patients, ["withdrawal_reason"], "patients")
    n = enrolled.n
    status = frame["status"].astype("string").str.strip().str.lower()
    reason = frame["withdrawal_reason"].astype("string").str.strip().str.lower()
    last = pd.to_numeric(frame["last_week"], errors="coerce") if "last_week" in frame else None
    rows: list[dict[str, Any]] = []
    view: list[dict[str, str]] = []
    base = dict(
        table="disposition",
        week=np.nan,
        population=enrolled.label,
        denominator=n,
        imputation="not applicable",
        method="count and percent of enrolled",
    )

    def add(variable: str, level: str, label: str, mask: pd.Series) -> None:
        k = int(mask.sum())
        rows.append({**base, "variable": variable, "level": level, "statistic": "count", "value": k})
        rows.append({**base, "variable": variable, "level": level, "statistic": "percent", "value": 100.0 * k / n})
        weeks = ""
        if last is not None and variable == "withdrawn" and k:
            lw = last[mask]
            lw = lw[lw.notna()]
            if len(lw):
                lo, hi = float(lw.min()), float(lw.max())
                for stat, v in (("min_last_week", lo), ("max_last_week", hi)):
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
                weeks = f"week {fmt_num(lo, None)}" + (f" to {fmt_num(hi, None)}" if hi != lo else "")
        view.append({"Patients": label, "n (%)": fmt_count_pct(k, n), "Last week on study": weeks})

    add("enrolled", "", "Enrolled (treated)", pd.Series(True, index=frame.index))
    add("completed", "", "Completed", status == "completed")
    add("withdrawn", "", "Withdrawn", status == "withdrawn")
    for key, text in _REASON_LABELS.items():
        mask = (status == "withdrawn") & (reason == key).fillna(False)
        add("withdrawn", key, f"  withdrawn: {text}", mask)
    unspecified = (status == "withdrawn") & reason.isna()
    if unspecified.any():
        add("withdrawn", "unspecified", "  withdrawn: reason not recorded", unspecified)
    notes = [_set_note(enrolled), f"Percentages are of the {n} enrolled patients."]
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
        view.append({"Patients": f"Analysis set: {s.label}", "n (%)": fmt_count_pct(s.n, n), "Last week on study": ""})
        notes.append(f"Analysis set {s.describe()}.")
    return Table(
        name="disposition",
        title=f"Disposition of the {n} enrolled patients",
        data=tidy_frame(rows),
        view=pd.DataFrame(view, columns=["Patients", "n (%)", "Last week on study"]),
        notes=tuple(notes),
    )
