"""Vectorized validation of canonical tables, and the rules that span several records.

The per-column rules come from :mod:`axspa.ingest.columns` (and through it from the measure
registry), so this module and the Pydantic records in :mod:`axspa.models` accept and
reject the same values. Rules across records (unknown patients, duplicate visits, visits
after a withdrawal, a missing baseline) and across fields of one record (a withdrawal
without a reason) are written once here, over frames; the records call them too.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import NoReturn

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from axspa.errors import InputError, PlausibilityWarning, Problem
from axspa.ingest.columns import (
    ADVERSE_EVENTS,
    ALIAS_COLUMNS,
    LAB_COLUMNS,
    PATIENTS,
    UNITLESS_LAB_NAMES,
    VISIT_COLUMNS,
    VISITS,
    Column,
    Kind,
    TableSpec,
    both_units_message,
    unitless_message,
)
from axspa.measures import MEASURES, MeasureKind
from axspa.units import censored_flag_column, parse_lab_series, series_to_canonical, to_canonical

__all__ = [
    "CRP_MG_DL_RULE",
    "CRP_MG_L_RULE",
    "MM_RULE",
    "SETTABLE_RULES",
    "CodedIds",
    "KeptWithMissing",
    "TableCheck",
    "TableChecker",
    "check_table",
    "conform",
    "cross_record_problems",
    "duplicate_visit_message",
    "flag_column",
    "keep_with_missing",
    "not_settable",
    "numeric_column",
    "parsed_numbers",
    "patient_field_problems",
    "plain_value",
    "repeated_coded_visits",
    "repeated_visits",
    "require_one_row_per_visit",
    "table_columns",
    "unit_slip_warnings",
    "warn_implausible",
]


@dataclass(frozen=True)
class CodedIds:
    """A column of ids factorized once: ``ids[codes[i]]`` is row i's id as text; code -1 where it has none.

    Made by the column check of ``patient_id`` (:attr:`TableCheck.patient_ids`) and reused by the
    rules across tables, so a million visit rows are hashed once.

    Attributes
    ----------
    codes : ndarray of int
        One code per row.
    ids : ndarray of object
        The distinct ids (strings), each once.
    """

    codes: np.ndarray
    ids: np.ndarray

    def rows(self, keep: np.ndarray) -> CodedIds:
        """The codes of the rows where ``keep`` is True (the same distinct ids)."""
        return CodedIds(self.codes[keep], self.ids)

    def per_row(self) -> np.ndarray:
        """Each row's id (None where it has none), as an object array."""
        return np.append(self.ids, np.array([None], dtype=object))[self.codes]


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
    patient_ids : CodedIds or None
        The frame's ``patient_id`` column factorized, when its check coded it (a column of text).
    """

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    bad_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    table_problems: list[Problem] = field(default_factory=list)
    patient_ids: CodedIds | None = None


def _ids(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column of ids as an object array: the value as text, None where missing."""
    if column not in frame:
        return np.full(len(frame), None, dtype=object)
    values = frame[column].to_numpy(dtype=object)
    missing = pd.isna(values)
    if infer_dtype(values, skipna=True) in ("string", "empty"):
        values = values.copy()
        values[missing] = None
        return values
    return np.array([None if m else str(v) for v, m in zip(values, missing, strict=True)], dtype=object)


def _coded_ids(frame: pd.DataFrame, column: str) -> CodedIds:
    """A column of ids factorized: the ids of :func:`_ids`, with the text made per distinct value (``1`` and
    ``"1"`` are one id)."""
    if column not in frame:
        return CodedIds(np.full(len(frame), -1, dtype=np.intp), np.empty(0, dtype=object))
    return _code_text(*pd.factorize(frame[column].to_numpy(dtype=object)))


def _code_text(codes: np.ndarray, distinct: object) -> CodedIds:
    """Codes into distinct values (-1: none) as :class:`CodedIds` of their text, merging values of one text."""
    values = np.asarray(distinct, dtype=object)
    if infer_dtype(values, skipna=True) not in ("string", "empty"):
        values = np.array([None if v is None else str(v) for v in values], dtype=object)
    present = ~pd.isna(values)
    kept = values[present]
    if len(set(kept.tolist())) == len(kept):  # distinct (the usual case): number the values present in order
        renumber = np.full(len(values) + 1, -1, dtype=np.intp)  # the last entry for code -1
        renumber[np.flatnonzero(present)] = np.arange(len(kept))
        return CodedIds(renumber[codes], kept)
    again, text = pd.factorize(values)  # two values of one text (" P1" and "P1" once stripped) become one
    return CodedIds(np.append(again, -1)[codes], np.asarray(text, dtype=object))  # code -1 reads the -1 appended


def _weeks(frame: pd.DataFrame) -> np.ndarray:
    """The week of each row as a float array (NaN where missing or not a number)."""
    if "week" not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame["week"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def check_table(raw: pd.DataFrame, spec: TableSpec, *, source: str | None = None) -> TableCheck:
    """Check every value of a table against its column rules, vectorized.

    Parameters
    ----------
    raw : DataFrame
        The table as read (strings or numbers).
    spec : TableSpec
        :data:`axspa.ingest.columns.PATIENTS`, :data:`~axspa.ingest.columns.VISITS` or
        :data:`~axspa.ingest.columns.ADVERSE_EVENTS`.
    source : str, optional
        Name of the file or table, used in messages.

    Returns
    -------
    TableCheck
    """
    source = source or spec.filename
    n = len(raw)
    raw = raw.reset_index(drop=True)
    problems: list[Problem] = []
    table_problems: list[Problem] = []
    bad = np.zeros(n, dtype=bool)
    out: dict[str, pd.Series] = {}
    parsed: dict[str, pd.Series] = {}  # laboratory values as parsed, for the unit-slip warnings
    place: list[np.ndarray] = []  # patient ids and weeks of the rows, made when a problem needs them
    patient_ids: CodedIds | None = None

    def record(name: str, mask: np.ndarray, messages: Iterable[str], rules: Iterable[str] | str) -> None:
        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        if not place:
            place.extend((_ids(raw, "patient_id"), _weeks(raw) if spec.name == VISITS.name else np.full(n, np.nan)))
        ids, weeks = place
        rule_list = [rules] * len(positions) if isinstance(rules, str) else list(rules)
        for i, message, rule in zip(positions, messages, rule_list, strict=True):
            problems.append(
                Problem(
                    rule=rule,
                    message=message,
                    field=name,
                    value=plain_value(raw.at[i, name]),
                    source=source,
                    row=int(i) + 1,
                    patient_id=ids[i],
                    week=_opt(weeks[i]),
                )
            )
        bad[mask] = True

    columns = dict(spec.columns)
    if spec.name == VISITS.name:
        for name in UNITLESS_LAB_NAMES:
            if name in raw:
                present = raw[name].notna().to_numpy()
                messages = [unitless_message(name, raw.at[i, name]) for i in np.flatnonzero(present)]
                record(name, present, messages, "unit")
        for alias, column in ALIAS_COLUMNS.items():
            if alias not in raw:
                continue
            canonical = to_canonical(alias, 1.0)[0]
            if canonical in raw:
                both = (raw[alias].notna() & raw[canonical].notna()).to_numpy()
                record(alias, both, [both_units_message(alias, canonical)] * int(both.sum()), "unit")
            checked = column.check_series(raw[alias])
            record(alias, checked.bad.to_numpy(), checked.messages, checked.rules)
            if checked.parsed is not None:
                parsed[alias] = checked.parsed
            converted = series_to_canonical(alias, checked.values)
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
        record(name, checked.bad.to_numpy(), checked.messages, checked.rules)
        if checked.parsed is not None:
            parsed[name] = checked.parsed
        if name == "patient_id" and checked.coded is not None:
            patient_ids = _code_text(*checked.coded)
        values = checked.values
        if name in out:  # filled from an alias column
            values = values.fillna(out[name]) if values.notna().any() else out[name]
        out[name] = values
        if checked.censored is not None:
            flag = censored_flag_column(name)
            censored = checked.censored
            if flag in raw:  # a flag written out earlier (write_study) is read back
                given = Column(flag, Kind.BOOLEAN).check_series(raw[flag])
                record(flag, given.bad.to_numpy(), given.messages, given.rules)
                censored = censored | given.values.fillna(False)
            prior = out.get(flag)
            out[flag] = censored if prior is None else censored.fillna(prior)
    known = set(columns) | set(UNITLESS_LAB_NAMES) | set(ALIAS_COLUMNS) if spec.name == VISITS.name else set(columns)
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
    text = [name for name, column in columns.items() if column.kind in (Kind.ID, Kind.TEXT) and name in raw]
    frame = _conform(out, raw.index, spec, text=text)
    if spec.name == VISITS.name:
        warn_implausible(raw, source, parsed)
    if spec.name == PATIENTS.name:  # on the rows whose values passed, as the records check them
        clean = np.flatnonzero(~bad)
        field_problems, field_bad = patient_field_problems(frame.iloc[clean] if bad.any() else frame, source=source)
        problems.extend(field_problems)
        bad[clean[field_bad]] = True
    problems.sort(key=lambda p: p.row or 0)
    return TableCheck(
        frame=frame, problems=problems, bad_rows=bad, table_problems=table_problems, patient_ids=patient_ids
    )


def plain_value(value: object) -> object:
    """A raw value as a problem lists it: a NumPy scalar as its Python value, None where missing (NaN, NA)."""
    if isinstance(value, np.generic):
        value = value.item()  # a missing number of a typed column is a NumPy NaN: missing, as in a text column
    if value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value


# Typical values, for catching a laboratory result entered in the wrong unit: (column, test on the
# column's median, what the median suggests). CRP: normal below 5 mg/L (0.5 mg/dL), rarely above
# 200 mg/L in spondyloarthritis; IgA: 0.7-4 g/L (70-400 mg/dL) in adults.
_UNIT_SLIPS = (  # (column, the median is implausible when "above" or "below" the limit, limit, meaning)
    ("crp_mg_dl", "above", 20.0, "a median CRP above 20 mg/dL (200 mg/L) suggests values in mg/L"),
    ("crp_mg_l", "below", 0.5, "a median CRP below 0.5 mg/L suggests values in mg/dL"),
    ("iga_mg_dl", "below", 20.0, "a median IgA below 20 mg/dL suggests values in g/L"),
    ("iga_g_l", "above", 20.0, "a median IgA above 20 g/L suggests values in mg/dL / 10 or another unit"),
)


def unit_slip_warnings(raw: pd.DataFrame) -> list[str]:
    """Messages for laboratory columns whose typical value suggests a unit slip.

    A CRP in mg/dL read as mg/L moves ASDAS-CRP by more than its clinically important change of
    1.1, yet stays inside the valid range, so range checks cannot catch it. These are warnings
    (:class:`axspa.PlausibilityWarning`), not errors: the values load as given.

    Examples
    --------
    >>> unit_slip_warnings(pd.DataFrame({"crp_mg_l": ["0.2", "0.4", "<0.1"]}))
    ['crp_mg_l: a median CRP below 0.5 mg/L suggests values in mg/dL (median 0.2)']
    """
    return _unit_slips({column: parse_lab_series(raw[column])[0] for column, *_ in _UNIT_SLIPS if column in raw}, raw)


def _median_beyond(values: np.ndarray, side: str, limit: float) -> float | None:
    """The median of the values present if it is above (``side="above"``) or below the limit, else None.

    The median (the mean of the two middle values for an even count) can be beyond the limit only if at least
    half of the values are: a count decides most columns without sorting them.
    """
    present = values[~np.isnan(values)]
    beyond = np.count_nonzero(present > limit if side == "above" else present < limit)
    if not len(present) or 2 * beyond < len(present):
        return None
    median = float(np.median(present))
    return median if (median > limit if side == "above" else median < limit) else None


def _unit_slips(parsed: Mapping[str, pd.Series], raw: pd.DataFrame) -> list[str]:
    """:func:`unit_slip_warnings` from the parsed values of the laboratory columns (NaN where none)."""
    messages = []
    for column, side, limit, meaning in _UNIT_SLIPS:
        if column not in parsed:
            continue
        median = _median_beyond(parsed[column].to_numpy(dtype=np.float64, na_value=np.nan), side, limit)
        if median is not None:
            messages.append(f"{column}: {meaning} (median {median:g})")
    if "crp_mg_l" in parsed and not any(m.startswith("crp_mg_l:") for m in messages):
        messages += _crp_in_mg_dl(parsed["crp_mg_l"].to_numpy(dtype=np.float64, na_value=np.nan), raw)
    if "crp_mg_dl" in parsed and not any(m.startswith("crp_mg_dl:") for m in messages):
        messages += _crp_in_mg_l(parsed["crp_mg_dl"].to_numpy(dtype=np.float64, na_value=np.nan), raw)
    return messages


# -- plausibility of values inside their range: units and scales, judged value by value ----------------------

CRP_MG_DL_RULE: Mapping[str, float] = MappingProxyType(
    {"min_values": 10, "high": 15.0, "max_share_high": 0.05, "low": 1.0, "min_share_low": 0.25}
)
"""Thresholds of the rule that reads a ``crp_mg_l`` column as mg/dL (:func:`warn_implausible`)."""

CRP_MG_L_RULE: Mapping[str, float] = MappingProxyType({"min_values": 10, "high": 15.0, "min_share_high": 0.25})
"""Thresholds of the rule that reads a ``crp_mg_dl`` column as mg/L (:func:`warn_implausible`)."""

MM_RULE: Mapping[str, float] = MappingProxyType(
    {"scale_upper": 10.0, "mm_upper": 100.0, "items_in_row": 2, "rows_of_patient": 2, "share_of_rows": 0.5}
)
"""Thresholds of the rules that read 0-10 rating items at or below 10 as 0-100 mm (:func:`warn_implausible`)."""

_EXAMPLES = 3


def warn_implausible(raw: pd.DataFrame, source: str, parsed: Mapping[str, pd.Series] | None = None) -> None:
    """Warn about values of a visits table that pass their range check but fit another unit or scale far better.

    Each finding is a :class:`~axspa.errors.PlausibilityWarning` naming the file, the column, the rule that
    decided, the counts and the first rows (patient, value); the values load as given. Both loading engines
    call it on the table as given, so they warn alike.

    Parameters
    ----------
    raw : DataFrame
        The visits table as read (strings or numbers), for the patient of each row.
    source : str
        The file name, for the messages.
    parsed : mapping, optional
        Column -> its values read as numbers (NaN where missing or not a number, out-of-range values kept),
        as the column checks give them (:attr:`axspa.ingest.columns.ColumnCheck.parsed`); read from ``raw``
        if omitted.

    Notes
    -----
    **CRP in mg/dL in a column named crp_mg_l** (thresholds :data:`CRP_MG_DL_RULE`). A median below
    0.5 is flagged by the median rule (:func:`unit_slip_warnings`). Otherwise the column is read as mg/dL when it
    has at least 10 values (a censored value counted at its limit), fewer than 5 % of them above 15, and at least
    25 % of them below 1. The rule looks at the two ends of the distribution, where the units part:

    - below 1: in mg/L this is under the lower reporting limit of conventional CRP assays (a few mg/L; only
      high-sensitivity assays report such values [1]_), so it is rare; in mg/dL it is below 10 mg/L, the normal to
      mildly raised range, where a quarter or more of the visits of any axSpA cohort lie, active or not;
    - above 15: in mg/L this is about the median of an active-disease cohort (baseline CRP of about 10-20 mg/L
      in the TNF-inhibitor trials), so a good share of the values exceed it; in mg/dL it is 150 mg/L, which a
      few visits in a hundred reach at most.

    A mg/dL column of an active cohort (median about 1-2) typically meets both conditions, a mg/L column of an
    active cohort typically neither, whatever the median. A low-activity cohort measured in mg/L by a
    high-sensitivity assay, with no value above 15, can meet them: the warning says "fit", not "is".

    **CRP in mg/L in a column named crp_mg_dl** (thresholds :data:`CRP_MG_L_RULE`), the mirror image: besides
    the median rule (above 20), at least 10 values with at least 25 % of them above 15, which in mg/dL is
    150 mg/L (a few visits in a hundred at most) and in mg/L about the median of an active cohort.

    **0-100 mm values at or below 10 in 0-10 rating items** (BASDAI, BASFI, BAS-G, patient global, back pain;
    thresholds :data:`MM_RULE`). A value above 10 is refused by the range check (with the mm hint), but an
    mm value at or below 10 (8 mm read as 8 cm) passes. Two rules find them, each naming the rows:

    - *row*: a visit row with two or more rating items in (10, 100] is on the mm scale (one such item may be
      a slipped decimal point, two are a scale), so its items in (0, 10] are mm too;
    - *patient*: an item of which a patient has at least two values, and at least half of the patient's values,
      in (10, 100] is on the mm scale for that patient, so the patient's other values of that item in (0, 10]
      are likely mm too (a patient is rated with one instrument through a study). Item by item, so a column
      in mm beside columns on 0-10 (a pain VAS in mm beside a BASDAI on 0-10) flags that column only.

    ``basdai_q6`` (morning stiffness) above 10 is more often minutes than mm (its own hint), so it is not
    counted as evidence; zero is zero on both scales and is never flagged. Everything is computed with whole
    array operations; the messages are built for the first rows only.

    References
    ----------
    .. [1] Machado P, Navarro-Compán V, Landewé R, van Gaalen FA, Roux C, van der Heijde D. Calculating the
       ASDAS if the conventional C-reactive protein level is below the limit of detection or if
       high-sensitivity C-reactive protein is used. Arthritis Rheumatol 2015;67:408-13.

    Examples
    --------
    >>> import warnings
    >>> visits = pd.DataFrame({"patient_id": ["A"], "week": [0], "basdai_q1": [45.0], "basdai_q2": [60.0],
    ...                        "basdai_q3": [7.0]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_implausible(visits, "visits.csv")
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    visits.csv: 1 visit row(s) on the 0-100 mm scale also hold rating items at or below 10, which pass the range
    check but are mm too (rule: a row with two or more rating items above 10 is on the mm scale): row 1 (patient
    A, week 0): basdai_q3 7, beside basdai_q1 45, basdai_q2 60. Divide them by 10 as well (a mapping file can
    declare the scale of a column) or correct them
    """
    if parsed is None:
        parsed = parsed_numbers(raw)
    messages = _unit_slips(parsed, raw) + _mm_in_ratings(parsed, raw)
    for message in messages:
        warnings.warn(f"{source}: {message}", PlausibilityWarning, stacklevel=3)


def parsed_numbers(raw: pd.DataFrame) -> dict[str, pd.Series]:
    """The laboratory and rating columns of a visits table read as numbers, as the column checks read them."""
    rules = {**VISIT_COLUMNS, **ALIAS_COLUMNS}
    wanted = [name for name, *_ in _UNIT_SLIPS] + list(_RATING_ITEMS)
    return {name: rules[name].check_series(raw[name]).parsed for name in wanted if name in raw}  # type: ignore[misc]


_RATING_ITEMS = tuple(m.name for m in MEASURES.values() if m.kind is MeasureKind.RATING and m.upper == 10)
_NOT_MM_EVIDENCE = frozenset({"basdai_q6"})  # above 10: minutes, more often than mm


def _place(ids: np.ndarray, weeks: np.ndarray, i: int) -> str:
    week = "" if np.isnan(weeks[i]) else f", week {_week_text(weeks[i])}"
    return f"row {i + 1} (patient {ids[i]}{week})"


def _crp_in_mg_dl(values: np.ndarray, raw: pd.DataFrame) -> list[str]:
    """The message of the mg/dL rule for a ``crp_mg_l`` column (see :func:`warn_implausible`), if it applies."""
    rule = CRP_MG_DL_RULE
    present = ~np.isnan(values)
    n = int(present.sum())
    if n < rule["min_values"]:
        return []
    low, high = present & (values < rule["low"]), present & (values > rule["high"])
    n_low, n_high = int(low.sum()), int(high.sum())
    if n_high >= rule["max_share_high"] * n or n_low < rule["min_share_low"] * n:
        return []
    ids = _ids(raw, "patient_id")
    examples = ", ".join(f"{values[i]:g} for patient {ids[i]} (row {i + 1})" for i in np.flatnonzero(low)[:_EXAMPLES])
    low_limit, high_limit = f"{rule['low']:g}", f"{rule['high']:g}"
    return [
        f"crp_mg_l: {n_low} of {n} values ({100 * n_low / n:.0f}%) are below {low_limit}, e.g. {examples}, and "
        f"{n_high} above {high_limit} (largest {np.nanmax(values):g}): the values fit mg/dL far better than mg/L "
        f"(rule: at least {100 * rule['min_share_low']:g}% of the values below {low_limit}, under the reporting "
        f"limit of standard assays in mg/L, and fewer than {100 * rule['max_share_high']:g}% above {high_limit}, "
        "which an active cohort exceeds often in mg/L and seldom in mg/dL). If they are mg/dL, name the column "
        "crp_mg_dl (or declare the unit in a mapping file)"
    ]


def _crp_in_mg_l(values: np.ndarray, raw: pd.DataFrame) -> list[str]:
    """The message of the mg/L rule for a ``crp_mg_dl`` column (see :func:`warn_implausible`), if it applies."""
    rule = CRP_MG_L_RULE
    present = ~np.isnan(values)
    n = int(present.sum())
    high = present & (values > rule["high"])
    n_high = int(high.sum())
    if n < rule["min_values"] or n_high < rule["min_share_high"] * n:
        return []
    ids = _ids(raw, "patient_id")
    examples = ", ".join(f"{values[i]:g} for patient {ids[i]} (row {i + 1})" for i in np.flatnonzero(high)[:_EXAMPLES])
    high_limit = f"{rule['high']:g}"
    return [
        f"crp_mg_dl: {n_high} of {n} values ({100 * n_high / n:.0f}%) are above {high_limit}, e.g. {examples}: the "
        f"values fit mg/L far better than mg/dL (rule: at least {100 * rule['min_share_high']:g}% of the values "
        f"above {high_limit}, which in mg/dL is {10 * rule['high']:g} mg/L, seldom reached, and in mg/L about the "
        "median of an active cohort). If they are mg/L, name the column crp_mg_l (or declare the unit in a mapping "
        "file)"
    ]


def _mm_in_ratings(parsed: Mapping[str, pd.Series], raw: pd.DataFrame) -> list[str]:
    """The messages of the two mm rules for the rating items (see :func:`warn_implausible`)."""
    names = [name for name in _RATING_ITEMS if name in parsed]
    if not names:
        return []
    rule = MM_RULE
    columns = [parsed[name].to_numpy(dtype=np.float64, na_value=np.nan) for name in names]
    with np.errstate(invalid="ignore"):  # a column above its scale is rare: look for one before building a matrix
        if not any(  # the largest value of each column (NaN skipped) above the scale
            c.size and np.fmax.reduce(c) > rule["scale_upper"]
            for c, n in zip(columns, names, strict=True)
            if n not in _NOT_MM_EVIDENCE
        ):
            return []
        values = np.column_stack(columns)
        mm = (values > rule["scale_upper"]) & (values <= rule["mm_upper"])
        mm[:, [name in _NOT_MM_EVIDENCE for name in names]] = False
        if not mm.any():
            return []
        small = (values > 0) & (values <= rule["scale_upper"])
    by_row: np.ndarray = (mm.sum(axis=1) >= rule["items_in_row"]) & small.any(axis=1)
    # the patient rule, item by item: counts per patient from the factorized ids, one pass per item
    ids = _ids(raw, "patient_id")
    code = pd.factorize(ids)[0]
    known = code >= 0
    size = max(int(code.max()) + 1, 1) if len(code) else 1
    by_patient_cells = np.zeros_like(small)
    for j in range(len(names)):
        if not mm[:, j].any():
            continue
        n_given = np.bincount(code[known & ~np.isnan(values[:, j])], minlength=size)
        n_mm = np.bincount(code[known & mm[:, j]], minlength=size)
        in_mm = (n_mm >= rule["rows_of_patient"]) & (n_mm >= rule["share_of_rows"] * n_given)
        by_patient_cells[:, j] = known & small[:, j] & in_mm[np.maximum(code, 0)]
    by_patient_cells[by_row] = False  # those rows are listed by the row rule
    by_patient = np.asarray(by_patient_cells.any(axis=1), dtype=bool)
    items = (values, names)
    place = (ids, _weeks(raw))
    messages = []
    if by_row.any():

        def beside(i: int) -> str:
            listed = [f"{names[j]} {values[i, j]:g}" for j in np.flatnonzero(mm[i])]
            return ", beside " + ", ".join(listed[:_EXAMPLES]) + (", ..." if len(listed) > _EXAMPLES else "")

        what = (
            "visit row(s) on the 0-100 mm scale also hold rating items at or below 10, which pass the range check "
            "but are mm too (rule: a row with two or more rating items above 10 is on the mm scale)"
        )
        messages.append(_mm_message(by_row, small, what, beside, items, place))
    if by_patient.any():

        def evidence(i: int) -> str:
            rows = np.flatnonzero((code == code[i]) & mm[:, by_patient_cells[i]].any(axis=1))
            listed = ", ".join(str(r + 1) for r in rows[:_EXAMPLES]) + (", ..." if len(rows) > _EXAMPLES else "")
            return f" (above 10 in the patient's rows {listed})"

        what = (
            "visit row(s) hold rating items at or below 10 of a patient who is rated in mm on those items, which "
            "pass the range check but are likely mm too (rule: an item with at least two values, and at least half "
            "of the patient's values, above 10 is on the mm scale for that patient)"
        )
        messages.append(_mm_message(by_patient, by_patient_cells, what, evidence, items, place))
    return messages


def _mm_message(
    flagged: np.ndarray,
    cells: np.ndarray,
    what: str,
    evidence: Callable[[int], str],
    items: tuple[np.ndarray, Sequence[str]],
    place: tuple[np.ndarray, np.ndarray],
) -> str:
    """The message of an mm rule: the count of its rows, then the first rows with their items and evidence."""
    values, names = items
    rows = np.flatnonzero(flagged)
    shown = [
        f"{_place(*place, int(i))}: "
        + ", ".join(f"{names[int(j)]} {values[i, j]:g}" for j in np.flatnonzero(cells[i]))
        + evidence(int(i))
        for i in rows[:_EXAMPLES]
    ]
    more = f"; and {len(rows) - _EXAMPLES} more" if len(rows) > _EXAMPLES else ""
    return (
        f"{len(rows)} {what}: {'; '.join(shown)}{more}. Divide them by 10 as well (a mapping file can declare the "
        "scale of a column) or correct them"
    )


def table_columns(spec: TableSpec) -> list[str]:
    """Every column of a canonical table, in order (censored flags of laboratory columns last)."""
    names = list(spec.columns)
    return names + [censored_flag_column(c) for c in names if c in LAB_COLUMNS]


def conform(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """A frame with exactly the canonical columns of ``spec``, in order, with canonical dtypes.

    Numbers are float64, booleans and censored flags the nullable ``boolean`` dtype,
    everything else Python objects (``None`` where missing). Absent columns are added empty.
    """
    return _conform(frame, frame.index, spec)


def _conform(
    columns: Mapping[str, pd.Series] | pd.DataFrame, index: pd.Index, spec: TableSpec, *, text: Collection[str] = ()
) -> pd.DataFrame:
    """:func:`conform` of columns given by name (each a Series on ``index``).

    ``text``: columns of text already in canonical form (object dtype, None where missing), as the checks
    of ID and TEXT columns give them; they are taken as they are.
    """
    out: dict[str, pd.Series] = {}
    for name in table_columns(spec):
        column = spec.columns.get(name)
        kind = column.kind if column is not None else Kind.BOOLEAN
        if name not in columns:
            if kind in (Kind.NUMBER, Kind.LAB):
                out[name] = pd.Series(np.nan, index=index, dtype="float64")
            elif kind is Kind.BOOLEAN:
                out[name] = pd.Series(pd.NA, index=index, dtype="boolean")
            else:
                out[name] = pd.Series(np.full(len(index), None, dtype=object), index=index)
            continue
        values = columns[name]
        if kind in (Kind.NUMBER, Kind.LAB):
            out[name] = (
                values if values.dtype == np.float64 else pd.to_numeric(values, errors="coerce").astype("float64")
            )
        elif kind is Kind.BOOLEAN:
            out[name] = values.astype("boolean")
        elif name in text:
            out[name] = values
        else:
            present = values.notna()
            out[name] = values.astype(object) if present.all() else values.astype(object).where(present, None)
    return pd.DataFrame(out, index=index, copy=False)  # one block per column: no copy of the data


def patient_field_problems(patients: pd.DataFrame, *, source: str | None = None) -> tuple[list[Problem], np.ndarray]:
    """Rules across the fields of one patient row (disposition and durations).

    - A withdrawn patient needs a withdrawal_reason; a completer or an ongoing patient must have none.
    - The disease duration cannot exceed the age.

    Returns the problems and a mask of the rows concerned. Row numbers are the frame's integer index + 1
    (so a filtered frame keeps the row numbers of its source), or positions + 1 for any other index.
    """
    n = len(patients)
    bad = np.zeros(n, dtype=bool)
    problems: list[Problem] = []
    if n == 0:
        return problems, bad
    ids = _ids(patients, "patient_id")
    rows = _row_numbers(patients)

    def col(name: str) -> pd.Series:
        return patients[name] if name in patients else pd.Series([None] * n, index=patients.index, dtype=object)

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
            status.isin(["completed", "ongoing"]) & reason.notna(),
            "withdrawal_reason",
            "withdrawal_reason must be empty when status is {status}; got {value!r}",
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
            value = plain_value(col(name).iloc[i])
            problems.append(
                Problem(
                    rule="consistency",
                    message=template.format(value=value, age=age.iloc[i], status=status.iloc[i]),
                    field=name,
                    value=value,
                    source=source,
                    row=int(rows[i]),
                    patient_id=ids[i],
                )
            )
        bad |= mask
    return problems, bad


@dataclass
class CrossRecordCheck:
    """Problems across tables, with the rows of each table they concern."""

    problems: list[Problem]
    bad_patients: np.ndarray
    bad_visits: np.ndarray
    bad_adverse_events: np.ndarray


def cross_record_problems(
    patients: pd.DataFrame,
    visits: pd.DataFrame,
    adverse_events: pd.DataFrame | None = None,
    *,
    baseline_week: float = 0,
    sources: Mapping[str, str] | None = None,
    coded_patient_ids: CodedIds | None = None,
    coded_visit_ids: CodedIds | None = None,
) -> CrossRecordCheck:
    """Rules that span records: duplicate patients, unknown patients, duplicate visits, visits after
    withdrawal, a missing baseline.

    Parameters
    ----------
    patients, visits, adverse_events : DataFrame
        Canonical tables (converted values).
    baseline_week : float
        The week of the baseline visit every patient must have.
    sources : mapping, optional
        File names by table name, for messages.
    coded_patient_ids, coded_visit_ids : CodedIds, optional
        The ``patient_id`` column of ``patients`` and of ``visits`` already factorized
        (:attr:`TableCheck.patient_ids` of the rows given); factorized here if omitted.

    Returns
    -------
    CrossRecordCheck
        A missing baseline concerns a patient, not a row: it is listed but marks no row.
        Row numbers are the frames' integer index + 1 (so a filtered frame keeps the row
        numbers of its source), or positions + 1 for any other index.
    """
    names = {
        "patients": PATIENTS.filename,
        "visits": VISITS.filename,
        "adverse_events": ADVERSE_EVENTS.filename,
        **(sources or {}),
    }
    problems: list[Problem] = []
    aes = adverse_events if adverse_events is not None else pd.DataFrame({"patient_id": []})
    patient_rows = _row_numbers(patients)
    coded_patients = coded_patient_ids if coded_patient_ids is not None else _coded_ids(patients, "patient_id")
    patient_ids = coded_patients.per_row()
    codes = coded_patients.codes
    rows_of_id = np.bincount(codes[codes >= 0], minlength=len(coded_patients.ids))  # rows per distinct id
    duplicated_ids = np.append(rows_of_id, 0)[codes] > 1  # code -1 (no id) reads the 0 appended
    for i in np.flatnonzero(duplicated_ids):
        pid = patient_ids[i]
        problems.append(
            Problem(
                rule="duplicate",
                field="patient_id",
                value=pid,
                source=names["patients"],
                row=int(patient_rows[i]),
                patient_id=pid,
                message=f"patient_id {pid!r} appears more than once in the patients table",
            )
        )
    # A duplicated patient is not known: which of its rows is right cannot be told.
    known_ids = coded_patients.ids[rows_of_id == 1]
    known = set(known_ids.tolist())
    visit_rows = _row_numbers(visits)
    coded = coded_visit_ids if coded_visit_ids is not None else _coded_ids(visits, "patient_id")
    code, distinct = coded.codes, coded.ids  # each distinct visit patient id is looked up once
    visit_ids = coded.per_row()
    weeks = pd.to_numeric(visits["week"], errors="coerce").to_numpy(dtype=float)

    def visit_problem(i: int | np.integer, rule: str, field: str, message: str) -> None:
        week = None if np.isnan(weeks[i]) else float(weeks[i])
        value = visit_ids[i] if field == "patient_id" else week
        problems.append(
            Problem(
                rule=rule,
                message=message,
                field=field,
                value=value,
                source=names["visits"],
                row=int(visit_rows[i]),
                patient_id=visit_ids[i],
                week=week,
            )
        )

    # code[i] is row i's id in distinct, -1 (the entry appended to each lookup) if none
    unknown = ~np.append(pd.Series(distinct, dtype=object).isin(known_ids).to_numpy(), True)[code]
    for i in np.flatnonzero(unknown):
        visit_problem(i, "unknown_patient", "patient_id", f"patient_id {visit_ids[i]!r} is not in the patients table")

    duplicated = repeated_coded_visits(code, weeks)
    repeated = np.flatnonzero(duplicated)
    for i in repeated:
        same = repeated[(visit_ids[repeated] == visit_ids[i]) & (weeks[repeated] == weeks[i])]
        visit_problem(i, "duplicate", "week", duplicate_visit_message(visit_ids[i], weeks[i], visit_rows[same]))

    after = np.zeros(len(visits), dtype=bool)
    if {"status", "last_week"} <= set(patients.columns):
        withdrawn = patients.loc[patients["status"] == "withdrawn"].dropna(subset=["last_week"])
        last = pd.Series(withdrawn["last_week"].astype(float).to_numpy(), index=withdrawn["patient_id"].astype(str))
        last = last[~last.index.duplicated(keep="last")]
        limits = pd.Series(distinct, dtype=object).map(last).to_numpy(dtype=float, na_value=np.nan)
        limit = np.append(limits, np.nan)[code]
        after = weeks > limit
        for i in np.flatnonzero(after):
            visit_problem(
                i,
                "after_withdrawal",
                "week",
                f"visit at week {_week_text(weeks[i])} is after the "
                f"withdrawal of patient {visit_ids[i]} at week {_week_text(limit[i])}",
            )

    with_baseline = set(visit_ids[weeks == baseline_week].tolist())
    for pid in sorted(known - with_baseline):
        problems.append(
            Problem(
                rule="baseline_missing",
                field="week",
                value=None,
                source=names["visits"],
                message=f"patient {pid} has no baseline visit (week {_week_text(baseline_week)})",
                patient_id=pid,
            )
        )

    ae_rows = _row_numbers(aes)
    ae_ids = _ids(aes, "patient_id")
    ae_unknown = ~pd.isna(ae_ids) & ~pd.Series(ae_ids, dtype=object).isin(known_ids).to_numpy()
    for i in np.flatnonzero(ae_unknown):
        problems.append(
            Problem(
                rule="unknown_patient",
                field="patient_id",
                value=ae_ids[i],
                message=f"patient_id {ae_ids[i]!r} is not in the patients table",
                source=names["adverse_events"],
                row=int(ae_rows[i]),
                patient_id=ae_ids[i],
            )
        )
    return CrossRecordCheck(
        problems=problems,
        bad_patients=duplicated_ids,
        bad_visits=unknown | duplicated | after,
        bad_adverse_events=ae_unknown,
    )


def repeated_visits(
    patient_id: pd.Series | np.ndarray | Sequence[object], week: pd.Series | np.ndarray | Sequence[object]
) -> np.ndarray:
    """Rows that break "one row per patient and week": every row whose (patient, week) occurs again.

    The one implementation of the rule, for the table checks, the derive tier and the analysis
    layer. Rows with a missing patient or week are never counted as repeated.

    Parameters
    ----------
    patient_id, week : array-like
        One value per row.

    Returns
    -------
    ndarray of bool

    Examples
    --------
    >>> repeated_visits(["P1", "P1", "P2", "P1"], [0, 4, 0, 4.0]).tolist()
    [False, True, False, True]
    """
    values = patient_id if isinstance(patient_id, pd.Series | np.ndarray) else np.asarray(patient_id, dtype=object)
    weeks = pd.to_numeric(pd.Series(week), errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return repeated_coded_visits(pd.factorize(values)[0], weeks)


def repeated_coded_visits(patient_codes: np.ndarray, weeks: np.ndarray) -> np.ndarray:
    """:func:`repeated_visits` of patients already coded as integers (``pandas.factorize``; -1 where missing).

    Parameters
    ----------
    patient_codes : ndarray of int
        One code per row, equal for the rows of one patient; negative where the patient is missing.
    weeks : ndarray of float
        One week per row, NaN where missing.

    Examples
    --------
    >>> repeated_coded_visits(np.array([0, 0, 1, 0, -1, -1]), np.array([0, 4, 0, 4, 2, 2.0])).tolist()
    [False, True, False, True, False, False]
    """
    ids = np.asarray(patient_codes)
    if _in_order(ids, weeks):  # rows sorted by patient, then week (as exports usually are): no pair repeats
        return np.zeros(len(ids), dtype=bool)
    week_codes, week_values = pd.factorize(weeks)
    known = (ids >= 0) & (week_codes >= 0)
    key = np.where(known, ids * max(len(week_values), 1) + week_codes, 0)
    counts = np.bincount(key[known], minlength=1)
    return known & (counts[np.minimum(key, len(counts) - 1)] > 1)


def _in_order(ids: np.ndarray, weeks: np.ndarray) -> bool:
    """Whether every row has a patient and a week, and (patient code, week) strictly increases from row to row.

    Then no (patient, week) pair occurs twice: a few passes over the arrays, no hashing.
    """
    if len(ids) < 2:
        return True
    if ids.min() < 0 or np.isnan(weeks).any():
        return False
    step = np.diff(ids)
    return bool(((step > 0) | ((step == 0) & (np.diff(weeks) > 0))).all())


def duplicate_visit_message(patient_id: object, week: float, rows: Iterable[object]) -> str:
    """The message for a repeated (patient, week): the one wording wherever the rule is checked."""
    listed = ", ".join(str(r) for r in rows)
    return (
        f"duplicate visit: patient {patient_id} has more than one visit at week {_week_text(week)} "
        f"(rows {listed}); visits must have one row per patient and week"
    )


def require_one_row_per_visit(visits: pd.DataFrame) -> None:
    """Raise if a (patient_id, week) pair occurs more than once in a visits frame.

    Rows are numbered by position (0-based) in the message.

    Raises
    ------
    InputError
        Naming the first repeated patient and week and every row that holds it.

    Examples
    --------
    >>> require_one_row_per_visit(pd.DataFrame({"patient_id": ["P1", "P1"], "week": [0, 0]}))
    Traceback (most recent call last):
    ...
    axspa.errors.InputError: row 0, patient P1, week 0: duplicate visit: patient P1 has more than one visit \
at week 0 (rows 0, 1); visits must have one row per patient and week
    """
    repeated = repeated_visits(visits["patient_id"], visits["week"])
    if not repeated.any():
        return
    first = int(np.flatnonzero(repeated)[0])
    ids = visits["patient_id"].to_numpy(dtype=object)
    weeks = pd.to_numeric(visits["week"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    same = np.flatnonzero(repeated & (ids == ids[first]) & (weeks == weeks[first]))
    week = float(weeks[first])
    _raise_at(visits, first, "week", week, duplicate_visit_message(ids[first], week, same), "duplicate")


def numeric_column(visits: pd.DataFrame, name: str, columns: Mapping[str, Column] | None = None) -> np.ndarray:
    """A visit column of a canonical frame as float64 (NaN where missing), checked by its column rule.

    The frame path's twin of :meth:`Column.check`: the same rule and the same message, placed by
    frame position, patient and week (the shape of :class:`~axspa.errors.Problem`). Censored
    strings (``"<5"``) are read by :func:`axspa.io.load_study`, not here: a canonical frame
    holds numbers.

    Parameters
    ----------
    visits : DataFrame
        A canonical visits frame with ``patient_id`` and ``week``.
    name : str
        The column.
    columns : mapping, optional
        The column rules (a study's :func:`~axspa.ingest.columns.visits_spec` columns); default
        :data:`~axspa.ingest.columns.VISIT_COLUMNS`. A column without a rule is only converted.

    Raises
    ------
    InputError
        For a value that is not a number or is out of range, e.g. ``"row 1, patient P03, week 8:
        basdai_q6 must be a number in [0, 10]; got 12. Was it recorded in minutes ...?"``.
    """
    col = visits[name]
    rule = (columns or VISIT_COLUMNS).get(name)
    try:
        values = col.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        unreadable = np.flatnonzero(np.isnan(values) & col.notna().to_numpy(dtype=bool))
        if len(unreadable):
            pos = int(unreadable[0])
            raw = col.iloc[pos]
            lower, upper = (rule.lower, rule.upper) if rule is not None else (None, None)
            number = Column(name, Kind.NUMBER, lower=lower, upper=upper)
            _raise_at(visits, pos, name, raw, number.number_message(raw), "type")
    if rule is not None:
        bad = (values < rule.lower) | (values > rule.upper) if rule.lower is not None else np.isinf(values)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            _raise_at(visits, pos, name, float(values[pos]), rule.range_message(float(values[pos])), "range")
    return values


def flag_column(visits: pd.DataFrame, name: str) -> np.ndarray:
    """A flag column of a canonical visits frame (such as ``crp_mg_l_censored``) as booleans, missing read as False.

    A flag is True or False (also 1 or 0, as numbers) or missing; each cell is read alone, so a column of
    mixed flag values (``True``, ``1.0``, ``None``) is read too.

    Raises
    ------
    InputError
        For the first other value, placed by frame position, patient and week as :func:`numeric_column`
        places its values: ``"row 1, patient A, week 4: crp_mg_l_censored must be True, False or missing;
        got 'maybe'"``.

    Examples
    --------
    >>> frame = pd.DataFrame({"patient_id": ["A", "A"], "week": [0, 4], "flag": [True, None]})
    >>> flag_column(frame, "flag").tolist()
    [True, False]
    """
    column = visits[name]
    try:
        return column.astype("boolean").fillna(False).to_numpy(dtype=bool)
    except (TypeError, ValueError):
        pass  # mixed kinds of flag (True and 1.0) or a value that is no flag: cell by cell
    cells = column.to_numpy(dtype=object)
    flags = np.zeros(len(cells), dtype=bool)
    for pos, value in enumerate(cells.tolist()):
        if isinstance(value, bool) or (isinstance(value, int | float) and value in (0, 1)):
            flags[pos] = bool(value)
        elif not (value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))):
            _raise_at(visits, pos, name, value, f"{name} must be True, False or missing; got {value!r}", "type")
    return flags


def _raise_at(visits: pd.DataFrame, pos: int, name: str, value: object, message: str, rule: str) -> NoReturn:
    week = pd.to_numeric(pd.Series([visits["week"].iloc[pos]]), errors="coerce").iloc[0]
    patient = visits["patient_id"].iloc[pos]
    raise InputError(
        str(
            Problem(
                rule=rule,
                message=message,
                field=name,
                value=value,
                row=pos,
                patient_id=None if pd.isna(patient) else str(patient),
                week=None if pd.isna(week) else float(week),
            )
        )
    )


def _row_numbers(frame: pd.DataFrame) -> np.ndarray:
    if pd.api.types.is_integer_dtype(frame.index.dtype):
        return frame.index.to_numpy(dtype=np.int64) + 1
    return np.arange(1, len(frame) + 1)


def _opt(x: float) -> float | None:
    return None if pd.isna(x) else float(x)


def _week_text(x: float) -> str:
    if pd.isna(x):
        return "?"
    f = float(x)
    return str(int(f)) if f.is_integer() else str(f)


# -- lenient loading that sets bad values missing ------------------------------------------------------------

SETTABLE_RULES = frozenset({"type", "range", "choice", "consistency"})
"""Rules about one value, whose problem ``on_invalid="missing"`` resolves by setting that value missing."""

TableChecker = Callable[[pd.DataFrame, TableSpec, str], tuple[pd.DataFrame, list[Problem], np.ndarray, list[Problem]]]
"""A loading engine's check of one table: (raw, spec, source) -> (frame, problems, bad rows, table notes)."""


def not_settable(problem: Problem, spec: TableSpec) -> str | None:
    """Why setting its value missing cannot resolve a problem (so its row stays excluded); None if it can.

    A value can be set missing when its rule concerns that value alone (:data:`SETTABLE_RULES`), a value
    was given, and the column is not required: a row is never kept without its ``patient_id``, its
    ``week`` or another required field (``sex``, ``age_years``, ``status``; an arm or stratum of a
    controlled trial; an adverse event's ``term``). A unit problem (a laboratory column without a unit,
    or given in two units) concerns the column, so no value of it is guessed away.

    Examples
    --------
    >>> not_settable(Problem(rule="range", message="", field="basdai_q1", value="11"), VISITS) is None
    True
    >>> not_settable(Problem(rule="type", message="", field="week", value="x"), VISITS)
    'week is required'
    """
    column = spec.columns.get(problem.field or "")
    if column is not None and column.required:
        return f"{problem.field} is required"
    if problem.rule == "unit":
        return "the unit of the column is in doubt"
    if problem.rule not in SETTABLE_RULES:
        return "it concerns the whole row"
    if problem.value is None:
        return f"{problem.field} is missing already"
    return None


@dataclass
class KeptWithMissing:
    """A table checked again with its bad values set missing (:func:`keep_with_missing`).

    Attributes
    ----------
    frame : DataFrame
        The checked frame, with the kept rows' values as checked again.
    problems : list of Problem
        The problems of the rows still excluded: those found first (a value set missing that still
        leaves the row excluded is listed among them) and those found on checking again, each that
        could not be set missing followed by why (``"(not set missing: week is required)"``).
    bad : ndarray of bool
        The rows still excluded.
    set_missing : list of Problem
        One problem per value set missing in a row that is kept, with its reason as found.
    """

    frame: pd.DataFrame
    problems: list[Problem]
    bad: np.ndarray
    set_missing: list[Problem]


def keep_with_missing(
    raw: pd.DataFrame,
    spec: TableSpec,
    source: str,
    checked: tuple[pd.DataFrame, list[Problem], np.ndarray],
    checker: TableChecker,
    *,
    rounds: int = 3,
) -> KeptWithMissing:
    """Keep the rows whose every problem can be set missing (``on_invalid="missing"``), with those values missing.

    Each such row is checked again by the same engine, with its bad values blanked in ``raw``, so the two
    engines keep the same rows with the same values: a row passes, or shows the problems that setting a
    value missing raises (a withdrawn patient whose withdrawal_reason was unreadable now has none) and
    stays excluded if any of them cannot be set missing (:func:`not_settable`). Only the rows concerned
    are checked again, at most ``rounds`` times.

    Parameters
    ----------
    raw : DataFrame
        The table as given to ``checker``.
    spec : TableSpec
        Its columns.
    source : str
        Its file name, for messages.
    checked : tuple
        ``checker``'s frame, problems and bad rows for ``raw``.
    checker : callable
        The engine's table check (:data:`TableChecker`).
    rounds : int
        Most times a row is checked again.

    Returns
    -------
    KeptWithMissing
    """
    frame, problems, bad = checked
    if not bad.any():
        return KeptWithMissing(frame, problems, bad, [])
    raw = raw.reset_index(drop=True)
    found: dict[int, list[Problem]] = {}  # 0-based row -> its problems so far
    for p in problems:
        if p.row is not None:
            found.setdefault(p.row - 1, []).append(p)
    kept: list[tuple[np.ndarray, pd.DataFrame]] = []  # rows kept in a round, and their checked values
    trying = [i for i, ps in found.items() if bad[i] and all(not_settable(p, spec) is None for p in ps)]
    for _ in range(rounds):
        if not trying:
            break
        rows = np.array(sorted(trying))
        blanked = raw.iloc[rows].reset_index(drop=True)
        position = {str(name): j for j, name in enumerate(blanked.columns)}
        for k, i in enumerate(rows):
            for p in found[int(i)]:
                if p.field in position:
                    blanked.iat[k, position[p.field]] = None
        with warnings.catch_warnings():  # the whole table has been looked at once already
            warnings.simplefilter("ignore", PlausibilityWarning)
            again, again_problems, again_bad, _ = checker(blanked, spec, source)
        for p in again_problems:
            i = int(rows[(p.row or 1) - 1])
            found[i].append(replace(p, row=i + 1))
        kept.append((rows[~again_bad], again[~again_bad]))
        trying = [i for i in rows[again_bad].tolist() if all(not_settable(p, spec) is None for p in found[i])]
    bad = bad.copy()
    frame = frame.copy() if kept else frame
    for at, values in kept:
        if not len(at):
            continue
        for name in frame.columns:
            column = frame[name].copy()
            column.iloc[at] = values[name].to_numpy()
            frame[name] = column
        bad[at] = False
    kept_rows = {int(i) for at, _ in kept for i in at}
    set_missing = sorted((p for i in kept_rows for p in found[i]), key=lambda p: p.row or 0)
    problems = [p for p in problems if p.row is None or (p.row - 1) not in found]
    for i, ps in found.items():
        if i in kept_rows:
            continue
        for p in ps:
            why = not_settable(p, spec)
            keep_message = why is None or p.rule == "required"
            problems.append(p if keep_message else replace(p, message=f"{p.message} (not set missing: {why})"))
    problems.sort(key=lambda p: p.row or 0)
    return KeptWithMissing(frame, problems, bad, set_missing)
