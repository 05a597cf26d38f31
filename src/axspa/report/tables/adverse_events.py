"""Adverse events: patients with each event, n and % of the analysis set (by arm in a controlled trial), and the
number of events."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet, excluding_withdrawals
from axspa.design import StudyDesign
from axspa.report.format import fmt_count_pct, fmt_num
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import (
    _arm_groups,
    _arm_headers,
    _groups,
    _need,
    _percent,
    _population_note,
    _set_note,
    _statistics,
)

__all__ = ["adverse_event_numbers", "adverse_event_table", "adverse_event_view"]


def adverse_event_table(
    adverse_events: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    weeks: tuple[float, float] | None = None,
    design: StudyDesign | None = None,
    patients: pd.DataFrame | None = None,
) -> Table:
    """Patients with each adverse event: n and % of the analysis set, and the number of events.

    Parameters
    ----------
    adverse_events : DataFrame
        Canonical adverse events (``patient_id``, ``term``; ``severity``, ``serious``, ``onset_week``
        used when present).
    analysis_set : AnalysisSet
        The denominator: every patient of the set, with or without events. In a controlled trial, the
        safety set (``controlled_sets(patients, design)["safety"]``).
    weeks : (float, float), optional
        Keep events with ``onset_week`` in this closed interval.
    design : StudyDesign, optional
        The study's design (``LoadedStudy.design``). With arms, the counts are given per arm of the
        set (the arm each patient is analysed in) with the set's patients in that arm as denominator,
        and in total; the view has one column per arm and a Total column. Without (None, or a design
        without arms) the set is counted as one group.
    patients : DataFrame, optional
        Canonical patients frame; when given, a row ``withdrawal`` counts the patients of the set who
        withdrew because of an adverse event (``status`` withdrawn, ``withdrawal_reason``
        ``adverse_event``).

    Returns
    -------
    Table
        Named ``"adverse_events"``; per term the statistics ``patients``, ``percent``, ``events``
        and, with a severity column, ``patients_severe``; first a row ``any`` (any event), with a
        ``serious`` column a row ``serious``, and with ``patients`` a row ``withdrawal`` (``patients``
        and ``percent`` only). By arm, each row is given per arm (``arm`` the arm's code) and in total
        (``"all"``), every term in every arm (0 where no patient of the arm had it).

    Raises
    ------
    InputError
        If a frame lacks a needed column, or the set and the design disagree on arms.
    """
    data = adverse_event_numbers(adverse_events, analysis_set, weeks=weeks, design=design, patients=patients)
    n = analysis_set.n
    window = "" if weeks is None else f", onset in weeks {fmt_num(weeks[0], None)} to {fmt_num(weeks[1], None)}"
    if design is None or not design.controlled:
        notes = [
            _set_note(analysis_set),
            f"Denominator: the {n} patients of the population; a patient counts once per term{window}.",
        ]
        title = f"Adverse events ({analysis_set.label}, n = {n})"
    else:
        notes = [
            _population_note(analysis_set, design),
            f"Denominators: the patients of the population in each arm (the n of its column); a patient "
            f"counts once per term{window}.",
        ]
        title = f"Adverse events by arm ({analysis_set.label}, n = {n})"
    if patients is not None:
        notes.append(
            "Leading to withdrawal: patients of the population who withdrew from the study because of an "
            "adverse event (withdrawal reason recorded in the patients' data)."
        )
    return Table(
        name="adverse_events",
        title=title,
        data=data,
        view=adverse_event_view(data, design=design),
        notes=tuple(notes),
    )


def adverse_event_numbers(
    adverse_events: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    weeks: tuple[float, float] | None = None,
    design: StudyDesign | None = None,
    patients: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The tidy, unrounded numbers of :func:`adverse_event_table` (see there)."""
    ae = _need(adverse_events, ["patient_id", "term"], "adverse events")
    ae = analysis_set.select(ae)
    if weeks is not None:
        _need(ae, ["onset_week"], "adverse events")
        onset = pd.to_numeric(ae["onset_week"], errors="coerce")
        ae = ae.loc[onset.between(float(weeks[0]), float(weeks[1]))]
    ae = ae.assign(patient_id=ae["patient_id"].astype(str), term=ae["term"].astype(str).str.strip())
    withdrew = _withdrew_for_adverse_event(patients) if patients is not None else None
    counts = ae.groupby("term")["patient_id"].nunique()
    terms = sorted(counts.index, key=lambda t: (-counts[t], t))
    rows: list[dict[str, Any]] = []
    for arm, part in _arm_groups(analysis_set, design) or [("", analysis_set)]:
        events = part.select(ae) if arm else ae
        base = dict(
            table="adverse_events",
            week=np.nan,
            population=analysis_set.label,
            arm=arm,
            denominator=part.n,
            imputation="none (events as reported)",
            method="patients with at least one event, and percent of the population",
        )
        rows += _event_rows(base, "any", "", events)
        if "serious" in events.columns:
            serious = events["serious"].astype("boolean").fillna(False).astype(bool)
            rows += _event_rows(base, "serious", "", events.loc[serious])
        if withdrew is not None:
            k = len(withdrew & set(part.patient_ids))
            head = {**base, "variable": "withdrawal", "level": "", "method": _WITHDRAWAL_METHOD}
            rows.append({**head, "statistic": "patients", "value": k})
            rows.append({**head, "statistic": "percent", "value": _percent(k, part.n)})
        for term in terms:
            rows += _event_rows(base, "term", term, events.loc[events["term"] == term])
    return tidy_frame(rows)


def _event_rows(base: dict[str, Any], variable: str, level: str, events: pd.DataFrame) -> list[dict[str, Any]]:
    """Patients with an event among ``events`` (n and percent of ``base["denominator"]``), the number of
    events and, with a severity column, the patients with a severe one."""
    k = events["patient_id"].nunique()
    stats = [("patients", k), ("percent", _percent(k, int(base["denominator"]))), ("events", len(events))]
    if "severity" in events.columns:
        severe_rows = (events["severity"].astype("string").str.lower() == "severe").fillna(False)
        stats.append(("patients_severe", events.loc[severe_rows.astype(bool), "patient_id"].nunique()))
    return [{**base, "variable": variable, "level": level, "statistic": s, "value": v} for s, v in stats]


_WITHDRAWAL_METHOD = "patients who withdrew because of an adverse event (withdrawal reason), and percent"


def _withdrew_for_adverse_event(patients: pd.DataFrame) -> set[str]:
    """Ids of the patients whose status is withdrawn and withdrawal reason ``adverse_event``."""
    stayed = excluding_withdrawals(patients, reasons=("adverse_event",))
    return set(patients["patient_id"].astype(str)) - set(stayed.patient_ids)


_ROW_LABELS = {
    "any": "Any adverse event",
    "serious": "Any serious adverse event",
    "withdrawal": "Adverse event leading to withdrawal",
}


def adverse_event_view(data: pd.DataFrame, *, design: StudyDesign | None = None) -> pd.DataFrame:
    """The formatted view of :func:`adverse_event_numbers`' tidy frame.

    Tidy rows by arm give one column per arm and a Total column (patients, n and %), headed by the
    labels of ``design`` (the arm codes without one) and the size of the set in the arm.
    """
    if (data["arm"] != "").any():
        return _view_by_arm(data, design)
    view: list[dict[str, str]] = []
    n = int(data["denominator"].iloc[0])
    for variable, level in _groups(data, "variable", "level"):
        st = _statistics(data, variable=variable, level=level)
        view.append(
            {
                "Adverse event": _ROW_LABELS.get(str(variable), str(level)),
                "Patients, n (%)": fmt_count_pct(int(st["patients"]), n),
                "Events": str(int(st["events"])) if "events" in st else "",
                "Patients with a severe event": str(int(st["patients_severe"])) if "patients_severe" in st else "",
            }
        )
    return pd.DataFrame(view, columns=["Adverse event", "Patients, n (%)", "Events", "Patients with a severe event"])


def _view_by_arm(data: pd.DataFrame, design: StudyDesign | None) -> pd.DataFrame:
    first = data.loc[(data["variable"] == "any") & (data["statistic"] == "patients")]
    columns = _arm_headers(first.assign(value=first["denominator"]), design)
    view: list[dict[str, str]] = []
    for variable, level in _groups(data, "variable", "level"):
        row = {"Adverse event": _ROW_LABELS.get(str(variable), str(level))}
        for arm, (header, n) in columns.items():
            row[header] = fmt_count_pct(int(_statistics(data, variable=variable, level=level, arm=arm)["patients"]), n)
        view.append(row)
    return pd.DataFrame(view, columns=["Adverse event", *(header for header, _ in columns.values())])
