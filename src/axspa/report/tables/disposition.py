"""Disposition: enrolled (or randomised and treated, by arm), completed, ongoing, withdrawn by reason, analysis sets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet, all_enrolled, controlled_sets
from axspa.design import StudyDesign
from axspa.ingest.columns import WithdrawalReason
from axspa.report.format import fmt_count_pct, fmt_num
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import (
    TOTAL,
    _arm_groups,
    _arm_headers,
    _groups,
    _need,
    _percent,
    _population_note,
    _set_note,
    _statistics,
)

__all__ = ["disposition_numbers", "disposition_table", "disposition_view"]


_REASON_LABELS = {
    WithdrawalReason.ADVERSE_EVENT.value: "adverse event",
    WithdrawalReason.LACK_OF_EFFICACY.value: "lack of efficacy",
    WithdrawalReason.LOST_TO_FOLLOW_UP.value: "lost to follow-up",
    WithdrawalReason.OTHER.value: "other",
}


def disposition_table(
    patients: pd.DataFrame, sets: Sequence[AnalysisSet] = (), *, design: StudyDesign | None = None
) -> Table:
    """Disposition: enrolled, completed, ongoing, withdrawn by reason (with the weeks of withdrawal), and sets.

    An "ongoing" row (patients still on study: a registry or cohort) appears when any patient is ongoing.

    In a controlled trial (a ``design`` with arms), the CONSORT flow by arm and in total: randomised,
    treated (received any study drug), completed, withdrawn (discontinued) in total and by reason,
    and the size of each analysis set in each arm.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame (``status``, ``withdrawal_reason``, optionally ``last_week``; in a
        controlled trial ``arm`` and optionally ``treated``).
    sets : sequence of AnalysisSet
        Analysis sets to list with their size and definition. In a controlled trial they must carry
        arms; none given lists the sets of :func:`axspa.analysis_sets.controlled_sets` (full analysis
        set, safety set, completers).
    design : StudyDesign, optional
        The study's design (``LoadedStudy.design``). With arms, the table has one column per arm (in
        the design's order, headed by the arm's label and the number randomised to it) and a Total
        column. Without (None, or a design without arms) the patients are counted as one group.

    Returns
    -------
    Table
        Named ``"disposition"``; percentages are of all enrolled patients, or in a controlled trial of
        the patients randomised to the arm (``arm`` the arm's code; ``"all"`` for the total).
        ``treated`` is missing (NaN) when the data have no ``treated`` column.

    Raises
    ------
    InputError
        If the patients frame is invalid, or the sets or patients and the design disagree on arms.

    References
    ----------
    .. [1] Schulz KF, Altman DG, Moher D, for the CONSORT Group. CONSORT 2010 statement: updated
       guidelines for reporting parallel group randomised trials. BMJ 2010;340:c332 (item 13, the flow
       diagram).
    """
    if design is not None and design.controlled:
        return _disposition_by_arm(patients, sets, design)
    enrolled = all_enrolled(patients)  # validates the frame
    data = disposition_numbers(patients, sets, design=design)
    notes = [_set_note(enrolled), f"Percentages are of the {enrolled.n} enrolled patients."]
    notes.extend(f"Analysis set {s.describe()}." for s in sets)
    return Table(
        name="disposition",
        title=f"Disposition of the {enrolled.n} enrolled patients",
        data=data,
        view=disposition_view(data, {s.name: s.label for s in sets}),
        notes=tuple(notes),
    )


def _disposition_by_arm(patients: pd.DataFrame, sets: Sequence[AnalysisSet], design: StudyDesign) -> Table:
    standard = controlled_sets(patients, design)  # validates the frame and its arms
    sets = list(sets) or list(standard.values())
    fas = standard["fas"]
    data = disposition_numbers(patients, sets, design=design)
    if "treated" in patients.columns:
        treated = "Treated: patients who received any study drug (the patients' 'treated' column)."
    else:
        treated = (
            "Treated: not recorded (the data have no 'treated' column), so the table does not say how many "
            "randomised patients received study drug."
        )
    notes = [
        _population_note(fas, design),
        "Percentages are of the patients randomised to each arm (the n of its column).",
        treated,
        "Withdrawn: patients who discontinued the study before its planned end, by the reason recorded.",
    ]
    notes.extend(f"Analysis set {s.describe()}." for s in sets)
    return Table(
        name="disposition",
        title=f"Disposition by arm of the {fas.n} randomised patients",
        data=data,
        view=disposition_view(data, {s.name: s.label for s in sets}, design=design),
        notes=tuple(notes),
    )


def disposition_numbers(
    patients: pd.DataFrame, sets: Sequence[AnalysisSet] = (), *, design: StudyDesign | None = None
) -> pd.DataFrame:
    """The tidy, unrounded numbers of :func:`disposition_table` (see there)."""
    if design is not None and design.controlled:
        return _numbers_by_arm(patients, sets, design)
    enrolled = all_enrolled(patients)  # validates the frame
    frame = _need(patients, ["withdrawal_reason"], "patients")
    base = dict(
        table="disposition",
        week=np.nan,
        population=enrolled.label,
        denominator=enrolled.n,
        imputation="not applicable",
        method="count and percent of enrolled",
    )
    flow = _Flow(frame)
    rows = flow.count(base, "enrolled", pd.Series(True, index=frame.index))
    rows += flow.status_rows(base, frame.index)
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


def _numbers_by_arm(patients: pd.DataFrame, sets: Sequence[AnalysisSet], design: StudyDesign) -> pd.DataFrame:
    standard = controlled_sets(patients, design)  # validates the frame and its arms
    fas = standard["fas"]
    frame = _need(patients, ["withdrawal_reason"], "patients")
    flow = _Flow(frame)
    treated = patients["treated"].astype("boolean").fillna(False) if "treated" in patients.columns else None
    ids = frame["patient_id"].astype(str)
    rows: list[dict[str, Any]] = []
    parts = dict(_arm_groups(fas, design) or [])
    split = [(s, s.by_arm(design)) for s in list(sets) or list(standard.values())]
    for arm, part in parts.items():
        base = dict(
            table="disposition",
            week=np.nan,
            population=fas.label,
            arm=arm,
            denominator=part.n,
            imputation="not applicable",
            method="count and percent of randomised",
        )
        index = frame.index[ids.isin(part.patient_ids).to_numpy()]
        rows += flow.count(base, "randomised", pd.Series(True, index=index))
        if treated is None:
            rows.append(
                {
                    **base,
                    "variable": "treated",
                    "level": "",
                    "statistic": "count",
                    "value": np.nan,
                    "method": "not recorded (the data have no 'treated' column)",
                }
            )
        else:
            rows += flow.count(base, "treated", treated.loc[index].astype(bool))
        rows += flow.status_rows(base, index)
        for s, by_arm in split:
            k = s.n if arm == TOTAL else by_arm[arm].n
            row = {**base, "variable": "analysis_set", "level": s.name, "method": s.definition}
            rows.append({**row, "statistic": "count", "value": k})
            rows.append({**row, "statistic": "percent", "value": _percent(k, part.n)})
    return tidy_frame(rows)


class _Flow:
    """Counts of the patients frame's status and withdrawal reason over a group of its rows."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.status = frame["status"].astype("string").str.strip().str.lower()
        self.reason = frame["withdrawal_reason"].astype("string").str.strip().str.lower()
        self.last = pd.to_numeric(frame["last_week"], errors="coerce") if "last_week" in frame else None
        # a row for withdrawals without a reason when any patient has one, in every arm alike
        self.unspecified = bool(((self.status == "withdrawn") & self.reason.isna()).any())
        # a row for patients still on study (a registry or cohort) when any patient is, in every arm alike
        self.ongoing = bool((self.status == "ongoing").any())

    def count(self, base: dict[str, Any], variable: str, mask: pd.Series, level: str = "") -> list[dict[str, Any]]:
        """Count and percent of ``base["denominator"]`` for the True rows of ``mask`` (and, for
        withdrawals, the first and last week on study)."""
        n = int(base["denominator"])
        k = int(mask.sum())
        head = {**base, "variable": variable, "level": level}
        rows = [{**head, "statistic": "count", "value": k}, {**head, "statistic": "percent", "value": _percent(k, n)}]
        if self.last is not None and variable == "withdrawn" and k:
            lw = self.last.loc[mask.index][mask.to_numpy(dtype=bool)]
            lw = lw[lw.notna()]
            if len(lw):
                method = "last week on study, over the withdrawn patients"
                rows.append({**head, "statistic": "min_last_week", "value": float(lw.min()), "method": method})
                rows.append({**head, "statistic": "max_last_week", "value": float(lw.max()), "method": method})
        return rows

    def status_rows(self, base: dict[str, Any], index: pd.Index) -> list[dict[str, Any]]:
        """Completed, ongoing (when any patient is), withdrawn, and withdrawn by reason, over the rows ``index``."""
        status, reason = self.status.loc[index], self.reason.loc[index]
        withdrawn = status == "withdrawn"
        rows = self.count(base, "completed", status == "completed")
        if self.ongoing:
            rows += self.count(base, "ongoing", status == "ongoing")
        rows += self.count(base, "withdrawn", withdrawn)
        for key in _REASON_LABELS:
            rows += self.count(base, "withdrawn", withdrawn & (reason == key).fillna(False), key)
        if self.unspecified:
            rows += self.count(base, "withdrawn", withdrawn & reason.isna(), "unspecified")
        return rows


_ROW_LABELS = {
    ("enrolled", ""): "Enrolled (treated)",
    ("randomised", ""): "Randomised",
    ("treated", ""): "Treated (received any study drug)",
    ("completed", ""): "Completed",
    ("ongoing", ""): "Ongoing (still on study)",
    ("withdrawn", ""): "Withdrawn",
}


def disposition_view(
    data: pd.DataFrame, set_labels: Mapping[str, str] | None = None, *, design: StudyDesign | None = None
) -> pd.DataFrame:
    """The formatted view of :func:`disposition_numbers`' tidy frame; ``set_labels`` names the sets.

    Tidy rows by arm give one column per arm and a Total column, headed by the labels of ``design``
    (the arm codes without one) and the number randomised.
    """
    if (data["arm"] != "").any():
        return _view_by_arm(data, set_labels or {}, design)
    view: list[dict[str, str]] = []
    n = int(data["denominator"].iloc[0])
    for variable, level in _groups(data, "variable", "level"):
        stats = _statistics(data, variable=variable, level=level)
        weeks = ""
        if "min_last_week" in stats:
            lo, hi = stats["min_last_week"], stats["max_last_week"]
            weeks = f"week {fmt_num(lo, None)}" + (f" to {fmt_num(hi, None)}" if hi != lo else "")
        view.append(
            {
                "Patients": _row_label(str(variable), str(level), set_labels or {}),
                "n (%)": fmt_count_pct(int(stats["count"]), n),
                "Last week on study": weeks,
            }
        )
    return pd.DataFrame(view, columns=["Patients", "n (%)", "Last week on study"])


def _view_by_arm(data: pd.DataFrame, set_labels: Mapping[str, str], design: StudyDesign | None) -> pd.DataFrame:
    columns = _arm_headers(data.loc[(data["variable"] == "randomised") & (data["statistic"] == "count")], design)
    view: list[dict[str, str]] = []
    for variable, level in _groups(data, "variable", "level"):
        row = {"Patients": _row_label(str(variable), str(level), set_labels)}
        for arm, (header, n) in columns.items():
            k = _statistics(data, variable=variable, level=level, arm=arm)["count"]
            row[header] = "not recorded" if np.isnan(k) else fmt_count_pct(int(k), n)
        view.append(row)
    return pd.DataFrame(view, columns=["Patients", *(header for header, _ in columns.values())])


def _row_label(variable: str, level: str, set_labels: Mapping[str, str]) -> str:
    if variable == "analysis_set":
        return f"Analysis set: {set_labels.get(level, level)}"
    reason = _REASON_LABELS.get(level, "reason not recorded")
    return _ROW_LABELS.get((variable, level), f"  withdrawn: {reason}")
