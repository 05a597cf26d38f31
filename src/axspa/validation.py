"""Vectorized validation of canonical tables, and the rules that span several records.

The per-column rules come from :mod:`axspa.schema` (and through it from the measure
registry), so this module and the Pydantic records in :mod:`axspa.models` accept and
reject the same values. Rules across records (unknown patients, duplicate visits, visits
after a withdrawal, a missing baseline) and across fields of one record (a withdrawal
without a reason) are written once here, over frames; the records call them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from axspa.errors import Problem
from axspa.schema import (
    ADVERSE_EVENTS,
    ALIAS_COLUMNS,
    PATIENTS,
    UNITLESS_LAB_NAMES,
    VISITS,
    Column,
    TableSpec,
    both_units_message,
)
from axspa.units import censored_flag_column, to_canonical

__all__ = [
    "TableCheck",
    "check_table",
    "cross_record_problems",
    "patient_field_problems",
]


@dataclass
class TableCheck:
    """The outcome of checking one table.

    Attributes
    ----------
    frame : DataFrame
        Converted values in canonical columns and units, one row per input row (bad
        values set to missing), in input order.
    problems : list of Problem
        Every problem found. ``Problem.row`` is the 1-based data row.
    bad_rows : ndarray of bool
        Rows with at least one problem.
    table_problems : list of Problem
        Problems about the table as a whole (unknown columns), which exclude no row.
    """

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    bad_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    table_problems: list[Problem] = field(default_factory=list)


def _ids(frame: pd.DataFrame, column: str) -> list[str | None]:
    if column not in frame:
        return [None] * len(frame)
    return [None if pd.isna(v) else str(v) for v in frame[column]]


def _weeks(frame: pd.DataFrame) -> list[float | None]:
    if "week" not in frame:
        return [None] * len(frame)
    numbers = pd.to_numeric(frame["week"], errors="coerce")
    return [None if pd.isna(v) else float(v) for v in numbers]


def check_table(raw: pd.DataFrame, spec: TableSpec, *, source: str | None = None) -> TableCheck:
    """Check every value of a table against its column rules, vectorized.

    Parameters
    ----------
    raw : DataFrame
        The table as read (strings or numbers).
    spec : TableSpec
        :data:`axspa.schema.PATIENTS`, :data:`~axspa.schema.VISITS` or
        :data:`~axspa.schema.ADVERSE_EVENTS`.
    source : str, optional
        Name of the file or table, used in messages.

    Returns
    -------
    TableCheck
    """
    source = source or spec.filename
    n = len(raw)
    raw = raw.reset_index(drop=True)
    ids = _ids(raw, "patient_id")
    weeks = _weeks(raw) if spec is VISITS else [None] * n
    problems: list[Problem] = []
    table_problems: list[Problem] = []
    bad = np.zeros(n, dtype=bool)
    out: dict[str, pd.Series] = {}

    def record(name: str, mask: np.ndarray, messages: Iterable[str], rules: Iterable[str] | str) -> None:
        positions = np.flatnonzero(mask)
        rule_list = [rules] * len(positions) if isinstance(rules, str) else list(rules)
        for i, message, rule in zip(positions, messages, rule_list, strict=True):
            problems.append(
                Problem(
                    rule=rule,
                    message=message,
                    field=name,
                    value=_plain(raw.at[i, name]),
                    source=source,
                    row=int(i) + 1,
                    patient_id=ids[i],
                    week=weeks[i],
                )
            )
        bad[mask] = True

    columns = dict(spec.columns)
    if spec is VISITS:
        for name, canonical_names in UNITLESS_LAB_NAMES.items():
            if name in raw:
                present = raw[name].notna().to_numpy()
                msg = f"{name} has no unit: name the column {' or '.join(canonical_names)}"
                record(
                    name,
                    present,
                    [f"{msg}; got {raw.at[i, name]!r}" for i in np.flatnonzero(present)],
                    "unit",
                )
        for alias, column in ALIAS_COLUMNS.items():
            if alias not in raw:
                continue
            canonical = to_canonical(alias, 1.0)[0]
            if canonical in raw:
                both = (raw[alias].notna() & raw[canonical].notna()).to_numpy()
                record(alias, both, [both_units_message(alias, canonical)] * int(both.sum()), "unit")
            checked = column.check_series(raw[alias])
            record(alias, checked.bad.to_numpy(), checked.messages[checked.bad], checked.rules[checked.bad])
            converted = checked.values.map(lambda v, a=alias: to_canonical(a, v)[1], na_action="ignore")
            base = out.get(canonical)
            out[canonical] = converted if base is None else base.fillna(converted)
            if checked.censored is not None:
                out[censored_flag_column(canonical)] = checked.censored
    for name, column in columns.items():
        if name not in raw:
            if column.required:
                table_problems.append(
                    Problem(
                        rule="missing_column",
                        message=f"required column {name} is missing",
                        field=name,
                        source=source,
                    )
                )
            continue
        checked = column.check_series(raw[name])
        record(name, checked.bad.to_numpy(), checked.messages[checked.bad], checked.rules[checked.bad])
        values = checked.values
        if name in out:  # filled from an alias column
            values = values.fillna(out[name]) if values.notna().any() else out[name]
        out[name] = values
        if checked.censored is not None:
            flag = censored_flag_column(name)
            prior = out.get(flag)
            out[flag] = checked.censored if prior is None else checked.censored.fillna(prior)
    known = set(columns) | set(UNITLESS_LAB_NAMES) | set(ALIAS_COLUMNS) if spec is VISITS else set(columns)
    known |= {censored_flag_column(c) for c in columns}
    for name in raw.columns:
        if name not in known:
            table_problems.append(
                Problem(
                    rule="unknown_column",
                    message=f"unknown column {name!r}; expected one of " + ", ".join(columns),
                    field=str(name),
                    source=source,
                )
            )
    frame = pd.DataFrame({name: out[name] for name in _ordered(out, columns)}, index=raw.index)
    if spec is PATIENTS:
        field_problems, field_bad = patient_field_problems(frame, source=source)
        problems.extend(field_problems)
        bad |= field_bad
    problems.sort(key=lambda p: p.row or 0)
    return TableCheck(frame=frame, problems=problems, bad_rows=bad, table_problems=table_problems)


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value


def _ordered(out: Mapping[str, pd.Series], columns: Mapping[str, Column]) -> list[str]:
    names = [c for c in columns if c in out]
    names += [censored_flag_column(c) for c in columns if censored_flag_column(c) in out]
    return names


def patient_field_problems(
    patients: pd.DataFrame, *, source: str | None = None
) -> tuple[list[Problem], np.ndarray]:
    """Rules across the fields of one patient row (disposition and durations).

    - A withdrawn patient needs a withdrawal_reason; a completer must have none.
    - The disease duration cannot exceed the age.

    Returns the problems and a mask of the rows concerned.
    """
    n = len(patients)
    bad = np.zeros(n, dtype=bool)
    problems: list[Problem] = []
    if n == 0:
        return problems, bad
    ids = _ids(patients, "patient_id")

    def col(name: str) -> pd.Series:
        return (
            patients[name] if name in patients else pd.Series([None] * n, index=patients.index, dtype=object)
        )

    status, reason = col("status"), col("withdrawal_reason")
    age = pd.to_numeric(col("age_years"), errors="coerce")
    duration = pd.to_numeric(col("disease_duration_years"), errors="coerce")
    rules = [
        (
            (status == "withdrawn") & reason.isna(),
            "withdrawal_reason",
            "withdrawal_reason is required when status is withdrawn; got no value",
        ),
        (
            (status == "completed") & reason.notna(),
            "withdrawal_reason",
            "withdrawal_reason must be empty when status is completed; got {value!r}",
        ),
        (
            duration > age,
            "disease_duration_years",
            "disease_duration_years must not exceed age_years ({age:g}); got {value:g}",
        ),
    ]
    for mask_series, name, template in rules:
        mask = mask_series.fillna(False).to_numpy(dtype=bool)
        for i in np.flatnonzero(mask):
            value = _plain(col(name).iloc[i])
            problems.append(
                Problem(
                    rule="consistency",
                    message=template.format(value=value, age=age.iloc[i]),
                    field=name,
                    value=value,
                    source=source,
                    row=int(i) + 1,
                    patient_id=ids[i],
                )
            )
        bad |= mask
    return problems, bad


@dataclass
class CrossRecordCheck:
    """Problems across tables, with the rows of each table they concern."""

    problems: list[Problem]
    bad_visits: np.ndarray
    bad_adverse_events: np.ndarray


def cross_record_problems(
    patients: pd.DataFrame,
    visits: pd.DataFrame,
    adverse_events: pd.DataFrame | None = None,
    *,
    baseline_week: float = 0,
    sources: Mapping[str, str] | None = None,
) -> CrossRecordCheck:
    """Rules that span records: unknown patients, duplicate visits, visits after withdrawal, baseline.

    Parameters
    ----------
    patients, visits, adverse_events : DataFrame
        Canonical tables (converted values).
    baseline_week : float
        The week of the baseline visit every patient must have.
    sources : mapping, optional
        File names by table name, for messages.

    Returns
    -------
    CrossRecordCheck
        A missing baseline concerns a patient, not a row: it is listed but marks no row.
    """
    names = {
        "patients": PATIENTS.filename,
        "visits": VISITS.filename,
        "adverse_events": ADVERSE_EVENTS.filename,
        **(sources or {}),
    }
    problems: list[Problem] = []
    aes = adverse_events if adverse_events is not None else pd.DataFrame({"patient_id": []})
    known = set(patients["patient_id"].dropna().astype(str)) if "patient_id" in patients else set()
    visit_ids = visits["patient_id"].astype("string")
    weeks = pd.to_numeric(visits["week"], errors="coerce")

    unknown = (~visit_ids.isin(known)).fillna(False).to_numpy(dtype=bool) & visit_ids.notna().to_numpy()
    for i in np.flatnonzero(unknown):
        problems.append(
            Problem(
                rule="unknown_patient",
                field="patient_id",
                value=visit_ids.iloc[i],
                message=f"patient_id {visit_ids.iloc[i]!r} is not in the patients table",
                source=names["visits"],
                row=int(i) + 1,
                patient_id=visit_ids.iloc[i],
                week=_opt(weeks.iloc[i]),
            )
        )
    key = pd.DataFrame({"patient_id": visit_ids, "week": weeks})
    duplicated = key.duplicated(keep=False).to_numpy() & key.notna().all(axis=1).to_numpy()
    for i in np.flatnonzero(duplicated):
        rows = (
            np.flatnonzero(
                duplicated
                & (key["patient_id"] == key.at[i, "patient_id"]).to_numpy()
                & (key["week"] == key.at[i, "week"]).to_numpy()
            )
            + 1
        )
        problems.append(
            Problem(
                rule="duplicate",
                field="week",
                value=_opt(weeks.iloc[i]),
                message=f"duplicate visit: patient {visit_ids.iloc[i]} has more than one visit "
                f"at week {_week_text(weeks.iloc[i])} (rows {', '.join(map(str, rows))})",
                source=names["visits"],
                row=int(i) + 1,
                patient_id=visit_ids.iloc[i],
                week=_opt(weeks.iloc[i]),
            )
        )

    after = np.zeros(len(visits), dtype=bool)
    if {"status", "last_week"} <= set(patients.columns):
        withdrawn = patients.loc[patients["status"] == "withdrawn"].dropna(subset=["last_week"])
        last = dict(
            zip(withdrawn["patient_id"].astype(str), withdrawn["last_week"].astype(float), strict=True)
        )
        limit = visit_ids.map(last).astype("float64")
        after = (weeks > limit).fillna(False).to_numpy(dtype=bool)
        for i in np.flatnonzero(after):
            problems.append(
                Problem(
                    rule="after_withdrawal",
                    field="week",
                    value=_opt(weeks.iloc[i]),
                    message=f"visit at week {_week_text(weeks.iloc[i])} is after the withdrawal of "
                    f"patient {visit_ids.iloc[i]} at week {_week_text(limit.iloc[i])}",
                    source=names["visits"],
                    row=int(i) + 1,
                    patient_id=visit_ids.iloc[i],
                    week=_opt(weeks.iloc[i]),
                )
            )

    with_baseline = set(visit_ids[(weeks == baseline_week).fillna(False)].dropna())
    for pid in sorted(known - with_baseline):
        problems.append(
            Problem(
                rule="baseline_missing",
                field="week",
                value=None,
                message=f"patient {pid} has no baseline visit (week {_week_text(baseline_week)})",
                source=names["visits"],
                patient_id=pid,
            )
        )

    ae_ids = aes["patient_id"].astype("string") if len(aes) else pd.Series([], dtype="string")
    ae_unknown = (~ae_ids.isin(known)).fillna(False).to_numpy(dtype=bool) & ae_ids.notna().to_numpy()
    for i in np.flatnonzero(ae_unknown):
        problems.append(
            Problem(
                rule="unknown_patient",
                field="patient_id",
                value=ae_ids.iloc[i],
                message=f"patient_id {ae_ids.iloc[i]!r} is not in the patients table",
                source=names["adverse_events"],
                row=int(i) + 1,
                patient_id=ae_ids.iloc[i],
            )
        )
    return CrossRecordCheck(
        problems=problems, bad_visits=unknown | duplicated | after, bad_adverse_events=ae_unknown
    )


def _opt(x: float) -> float | None:
    return None if pd.isna(x) else float(x)


def _week_text(x: float) -> str:
    if pd.isna(x):
        return "?"
    f = float(x)
    return str(int(f)) if f.is_integer() else str(f)
