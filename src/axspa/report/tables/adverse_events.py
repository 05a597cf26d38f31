"""Adverse events: patients with each event, n and % of the analysis set, and the number of events."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet
from axspa.report.format import fmt_count_pct, fmt_num
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import _groups, _need, _set_note, _statistics

__all__ = ["adverse_event_numbers", "adverse_event_table", "adverse_event_view"]


def adverse_event_table(
    adverse_events: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    weeks: tuple[float, float] | None = None,
) -> Table:
    """Patients with each adverse event: n and % of the analysis set, and the number of events.

    Parameters
    ----------
    adverse_events : DataFrame
        Canonical adverse events (``patient_id``, ``term``; ``severity``, ``serious``, ``onset_week``
        used when present).
    analysis_set : AnalysisSet
        The denominator: every patient of the set, with or without events.
    weeks : (float, float), optional
        Keep events with ``onset_week`` in this closed interval.

    Returns
    -------
    Table
        Named ``"adverse_events"``; per term the statistics ``patients``, ``percent``, ``events``
        and, with a severity column, ``patients_severe``; first a row ``any`` (any event) and,
        with a ``serious`` column, a row ``serious``.
    """
    data = adverse_event_numbers(adverse_events, analysis_set, weeks=weeks)
    n = analysis_set.n
    window = "" if weeks is None else f", onset in weeks {fmt_num(weeks[0], None)} to {fmt_num(weeks[1], None)}"
    notes = [
        _set_note(analysis_set),
        f"Denominator: the {n} patients of the population; a patient counts once per term{window}.",
    ]
    return Table(
        name="adverse_events",
        title=f"Adverse events ({analysis_set.label}, n = {n})",
        data=data,
        view=adverse_event_view(data),
        notes=tuple(notes),
    )


def adverse_event_numbers(
    adverse_events: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    weeks: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """The tidy, unrounded numbers of :func:`adverse_event_table` (see there)."""
    ae = _need(adverse_events, ["patient_id", "term"], "adverse events")
    ae = analysis_set.select(ae)
    if weeks is not None:
        _need(ae, ["onset_week"], "adverse events")
        onset = pd.to_numeric(ae["onset_week"], errors="coerce")
        ae = ae.loc[onset.between(float(weeks[0]), float(weeks[1]))]
    ae = ae.assign(patient_id=ae["patient_id"].astype(str), term=ae["term"].astype(str).str.strip())
    n = analysis_set.n
    rows: list[dict[str, Any]] = []
    base = dict(
        table="adverse_events",
        week=np.nan,
        population=analysis_set.label,
        denominator=n,
        imputation="none (events as reported)",
        method="patients with at least one event, and percent of the population",
    )

    def add(variable: str, level: str, events: pd.DataFrame) -> None:
        k = events["patient_id"].nunique()
        stats = [("patients", k), ("percent", 100.0 * k / n if n else np.nan), ("events", len(events))]
        if "severity" in events.columns:
            severe_rows = (events["severity"].astype("string").str.lower() == "severe").fillna(False)
            stats.append(("patients_severe", events.loc[severe_rows.astype(bool), "patient_id"].nunique()))
        rows.extend({**base, "variable": variable, "level": level, "statistic": s, "value": v} for s, v in stats)

    add("any", "", ae)
    if "serious" in ae.columns:
        serious = ae["serious"].astype("boolean").fillna(False).astype(bool)
        add("serious", "", ae.loc[serious])
    counts = ae.groupby("term")["patient_id"].nunique().sort_values(ascending=False, kind="stable")
    for term in sorted(counts.index, key=lambda t: (-counts[t], t)):
        add("term", term, ae.loc[ae["term"] == term])
    return tidy_frame(rows)


_ROW_LABELS = {"any": "Any adverse event", "serious": "Any serious adverse event"}


def adverse_event_view(data: pd.DataFrame) -> pd.DataFrame:
    """The formatted view of :func:`adverse_event_numbers`' tidy frame."""
    view: list[dict[str, str]] = []
    n = int(data["denominator"].iloc[0])
    for variable, level in _groups(data, "variable", "level"):
        st = _statistics(data, variable=variable, level=level)
        view.append(
            {
                "Adverse event": _ROW_LABELS.get(str(variable), str(level)),
                "Patients, n (%)": fmt_count_pct(int(st["patients"]), n),
                "Events": str(int(st["events"])),
                "Patients with a severe event": str(int(st["patients_severe"])) if "patients_severe" in st else "",
            }
        )
    return pd.DataFrame(view, columns=["Adverse event", "Patients, n (%)", "Events", "Patients with a severe event"])
