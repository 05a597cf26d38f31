"""Derive tier: a canonical visits frame in, a new frame of indices, changes and responses out.

:func:`score_visits` is a composition of three small steps, each a frame in and a new frame out
(never modifying or re-sorting its input):

1. :func:`score_indices` -- the indices and ASDAS states of each visit;
2. :func:`add_change` -- each index at the patient's baseline, and its change and % change;
3. :func:`add_responses` -- the response criteria against baseline.

The formulas live in the compute tier (:mod:`axspa.indices`, :mod:`axspa.response`); which visit
column feeds which domain in :mod:`axspa.domains`; names, labels and ranges in the registry
(:mod:`axspa.measures`); the value checks and their messages at the input boundary
(:mod:`axspa.ingest.checks`). This module only picks the columns, finds each patient's baseline row
and assembles the result, all vectorized.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from axspa import indices, response
from axspa.domains import ASAS_5OF6_DOMAINS, ASDAS_ITEMS, ASDAS_LABS, BASG_ARGUMENTS, PAPER_STIFFNESS, asas_domains
from axspa.errors import InputError
from axspa.indices import CoefficientSet
from axspa.ingest.checks import flag_column, numeric_column, repeated_coded_visits, require_one_row_per_visit
from axspa.measures import (
    BASDAI_ITEMS,
    BASFI_ITEMS,
    BASG_ITEMS,
    BASMI_COMPONENTS,
    CHANGE_SUFFIXES,
    DERIVED,
    MeasureKind,
)

__all__ = ["INDEX_COLUMNS", "RESPONSE_COLUMNS", "add_change", "add_responses", "score_indices", "score_visits"]

INDEX_COLUMNS: tuple[str, ...] = tuple(n for n, m in DERIVED.items() if m.kind is MeasureKind.SCORE)
"""Indices scored per visit (registry order); each also gets ``_base``, ``_chg`` and ``_pchg`` columns."""

RESPONSE_COLUMNS: tuple[str, ...] = tuple(n for n, m in DERIVED.items() if m.kind is MeasureKind.RESPONSE)
"""Response columns (nullable boolean) of :func:`score_visits`, in output order (registry order)."""

_REQUIRED = ("patient_id", "week", *BASDAI_ITEMS, *BASFI_ITEMS, "esr_mm_h", "crp_mg_l")
_CENSORED = "crp_mg_l_censored"

Keep = bool | str | Iterable[str]
"""Input columns to carry into a result: True (all), False (none), or column names."""


def _frame(visits: object) -> pd.DataFrame:
    if not isinstance(visits, pd.DataFrame):
        raise InputError(f"visits must be a pandas DataFrame; got {type(visits).__name__}")
    return visits


def _need(frame: pd.DataFrame, columns: Iterable[str], what: str = "visits") -> None:
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise InputError(f"{what} lacks required column(s): {', '.join(absent)}")


def _kept(visits: pd.DataFrame, keep: Keep, made: Iterable[str]) -> list[str]:
    """Input columns to carry into a result, in input order (never one the step makes itself)."""
    made = set(made) | {"patient_id", "week"}
    if keep is True:
        return [c for c in visits.columns if c not in made]
    if keep is False:
        return []
    wanted = [keep] if isinstance(keep, str) else list(keep)
    _need(visits, wanted)
    return [c for c in visits.columns if c in set(wanted) and c not in made]


def _assemble(visits: pd.DataFrame, columns: dict[str, object], keep: Keep) -> pd.DataFrame:
    """A new frame on the input's index: patient_id, week, the new columns, then the kept ones."""
    # plain arrays (copied), so that a duplicated index label cannot trigger alignment
    out: dict[str, object] = {k: visits[k].array.copy() for k in ("patient_id", "week")}
    out |= columns
    out |= {c: visits[c].array.copy() for c in _kept(visits, keep, columns)}
    return pd.DataFrame(out, index=visits.index, copy=False)  # the arrays are new; no need to copy


def _patient_codes(visits: pd.DataFrame) -> np.ndarray:
    """Each row's patient as an integer code (-1 where patient_id is missing), after the one-row-per-visit check.

    The patients are factorized once; the check reads the codes (the same rule on the same partition)
    and only a frame that breaks it is checked again by :func:`require_one_row_per_visit`, for its message.
    """
    codes = pd.factorize(visits["patient_id"])[0]
    weeks = pd.to_numeric(visits["week"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    if repeated_coded_visits(codes, weeks).any():
        require_one_row_per_visit(visits)
    return codes


class _Baseline:
    """Each row's baseline value of a column, from its patient's row at the baseline week."""

    def __init__(self, c: _Columns, baseline_week: float) -> None:
        missing = np.flatnonzero(c.patients < 0)
        if len(missing):
            raise InputError(f"patient_id must not be missing; got a missing value in row {int(missing[0])}")
        at_base = np.flatnonzero(c["week"] == baseline_week)
        first = np.full(int(c.patients.max(initial=-1)) + 1, -1, dtype=np.int64)
        first[c.patients[at_base]] = at_base
        self.row = first[c.patients]
        self.has = self.row >= 0
        self.values: dict[str, np.ndarray] = {}

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.where(self.has, x[self.row], np.nan)

    def of(self, name: str, x: np.ndarray) -> np.ndarray:
        """The baseline of column ``name`` (values ``x``), computed once per column."""
        if name not in self.values:
            self.values[name] = self(x)
        return self.values[name]


def _censored(visits: pd.DataFrame) -> np.ndarray | None:
    return flag_column(visits, _CENSORED) if _CENSORED in visits.columns else None


def _require_items(visits: pd.DataFrame, patient_global: str, *more: str) -> list[str]:
    """Check that the items of the indices (and ``more``) are present; return the BAS-G items present."""
    basg_items = [c for c in BASG_ITEMS if c in visits.columns]
    needed = [*_REQUIRED, *([] if patient_global == "basg" else [patient_global]), *more]
    absent = [c for c in needed if c not in visits.columns] + ([] if basg_items else [" or ".join(BASG_ITEMS)])
    if absent:
        raise InputError(f"visits lacks required column(s): {', '.join(absent)}")
    return basg_items


def _checked(visits: pd.DataFrame) -> _Columns:
    """The visits frame after the checks every step shares (a frame, one row per patient and week),
    as a :class:`_Columns` with its patient codes."""
    visits = _frame(visits)
    _need(visits, ("patient_id", "week"))
    return _Columns(visits, _patient_codes(visits))


class _Columns:
    """The numeric columns of a frame, each converted and checked once, and those earlier steps made."""

    def __init__(self, frame: pd.DataFrame, patients: np.ndarray) -> None:
        self.frame = frame
        self.patients = patients
        self.values: dict[str, np.ndarray] = {}
        self.flags: dict[str, np.ndarray | None] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.values or name in self.frame.columns

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.values:
            self.values[name] = numeric_column(self.frame, name)
        return self.values[name]

    def get(self, name: str, default: np.ndarray) -> np.ndarray:
        return self[name] if name in self else default

    def censored(self) -> np.ndarray | None:
        """The CRP censoring flags (missing read as False), or None without that column; read once."""
        if _CENSORED not in self.flags:
            self.flags[_CENSORED] = _censored(self.frame)
        return self.flags[_CENSORED]


# --------------------------------------------------------------------------------------------------
# step 1: indices


def score_indices(
    visits: pd.DataFrame,
    *,
    patient_global: str = "patient_global",
    asdas_coefficients: CoefficientSet = "published",
    crp_floor: bool = True,
    keep: Keep = False,
) -> pd.DataFrame:
    """The indices and ASDAS states of every visit (step 1 of :func:`score_visits`).

    Parameters
    ----------
    visits : pandas.DataFrame
        Canonical visits frame (see :func:`score_visits`). Never modified or re-sorted.
    patient_global, asdas_coefficients, crp_floor
        As in :func:`score_visits`.
    keep : bool, str or iterable of str, default False
        Input columns to carry into the result: True for all, or their names (e.g. ``"crp_mg_l"``).

    Returns
    -------
    pandas.DataFrame
        A new frame with the input's index and row order: ``patient_id``, ``week``, ``basdai``,
        ``basfi``, ``basg``, ``inflammation``, ``asdas_crp``, ``asdas_esr``, ``asdas_crp_state``,
        ``asdas_esr_state``, ``basmi_lin`` (when all five BASMI components are present), then the
        kept columns.

    Examples
    --------
    >>> visits = pd.DataFrame({"patient_id": ["P1"], "week": [0],
    ...     **{q: [5.0] for q in BASDAI_ITEMS + BASFI_ITEMS + BASG_ITEMS},
    ...     "patient_global": [6.0], "esr_mm_h": [40], "crp_mg_l": [15.0]})
    >>> score_indices(visits, keep="crp_mg_l")[["basdai", "asdas_crp_state", "crp_mg_l"]]
       basdai asdas_crp_state  crp_mg_l
    0     5.0       very high      15.0
    """
    c = _checked(visits)
    basg_items = _require_items(c.frame, patient_global)
    columns = _indices(c, basg_items, patient_global, asdas_coefficients, crp_floor)
    return _assemble(c.frame, columns, keep)


def _indices(
    c: _Columns, basg_items: Sequence[str], patient_global: str, coefficients: CoefficientSet, crp_floor: bool
) -> dict[str, object]:
    q = [c[name] for name in BASDAI_ITEMS]
    s: dict[str, np.ndarray] = {
        "basdai": indices.basdai(q1=q[0], q2=q[1], q3=q[2], q4=q[3], q5=q[4], q6=q[5]).to_numpy(),
        "basfi": indices.basfi(**{f"q{i}": c[n] for i, n in enumerate(BASFI_ITEMS, start=1)}).to_numpy(),
        "basg": indices.basg(**{BASG_ARGUMENTS[col]: c[col] for col in basg_items}).to_numpy(),
        "inflammation": indices.inflammation(q5=q[4], q6=q[5]).to_numpy(),
    }
    asdas_items = {arg: c[col] for arg, col in ASDAS_ITEMS.items()}
    asdas_items["patient_global"] = s["basg"] if patient_global == "basg" else c[patient_global]
    s["asdas_crp"] = indices.asdas_crp(
        **asdas_items,
        crp_mg_l=c[ASDAS_LABS["asdas_crp"]],
        crp_censored=c.censored(),
        crp_floor=crp_floor,
        coefficients=coefficients,
    ).to_numpy()
    s["asdas_esr"] = indices.asdas_esr(
        **asdas_items, esr_mm_h=c[ASDAS_LABS["asdas_esr"]], coefficients=coefficients
    ).to_numpy()
    if all(name in c for name in BASMI_COMPONENTS):
        s["basmi_lin"] = indices.basmi_lin(**{name: c[name] for name in BASMI_COMPONENTS}).to_numpy()
    c.values |= s  # later steps read the indices from here
    columns: dict[str, object] = dict(s)
    for name in ASDAS_LABS:
        columns[f"{name}_state"] = indices.asdas_state(score=s[name]).array
    return columns


# --------------------------------------------------------------------------------------------------
# step 2: baseline and change


def add_change(
    scored: pd.DataFrame,
    *,
    baseline_week: float = 0,
    columns: Sequence[str] | None = None,
    keep: Keep = True,
) -> pd.DataFrame:
    """Each index at the patient's baseline, its change and % change (step 2 of :func:`score_visits`).

    Parameters
    ----------
    scored : pandas.DataFrame
        A frame with ``patient_id``, ``week`` and the columns to compare with baseline, e.g. the
        result of :func:`score_indices`. Never modified or re-sorted.
    baseline_week : float, default 0
        The week of each patient's baseline row (none: missing baseline values).
    columns : sequence of str, optional
        The columns to compare; default every index of :data:`INDEX_COLUMNS` present.
    keep : bool, str or iterable of str, default True
        Input columns to carry into the result (all by default).

    Returns
    -------
    pandas.DataFrame
        A new frame: ``patient_id``, ``week``; for each column X: ``X_base``, ``X_chg``
        (X - X_base) and ``X_pchg`` (100 (X - X_base) / X_base, missing when X_base is 0); then the
        kept columns.

    Examples
    --------
    >>> frame = pd.DataFrame({"patient_id": ["P1", "P1"], "week": [0, 12], "basdai": [5.0, 2.0]})
    >>> add_change(frame)
      patient_id  week  basdai_base  basdai_chg  basdai_pchg  basdai
    0         P1     0          5.0         0.0          0.0     5.0
    1         P1    12          5.0        -3.0        -60.0     2.0
    """
    c = _checked(scored)
    names = [n for n in INDEX_COLUMNS if n in c.frame.columns] if columns is None else list(columns)
    _need(c.frame, names, "the scored frame")
    return _assemble(c.frame, _changes(c, _Baseline(c, baseline_week), names), keep)


def _changes(c: _Columns, base: _Baseline, names: Sequence[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    suffix = dict(zip(("base", "chg", "pchg"), CHANGE_SUFFIXES, strict=True))
    for name in names:
        x = c[name]
        b = base.of(name, x)
        chg = x - b
        out |= {
            f"{name}{suffix['base']}": b,
            f"{name}{suffix['chg']}": chg,
            f"{name}{suffix['pchg']}": np.divide(100.0 * chg, b, out=np.full_like(chg, np.nan), where=b != 0),
        }
    return out


# --------------------------------------------------------------------------------------------------
# step 3: responses


def add_responses(
    scored: pd.DataFrame,
    *,
    baseline_week: float = 0,
    patient_global: str = "patient_global",
    pain: str = "back_pain",
    partial_remission_inclusive: bool = True,
    paper_min_domains: int = 4,
    paper_stiffness: Literal["inflammation", "basdai_q5"] = "inflammation",
    keep: Keep = True,
) -> pd.DataFrame:
    """The response criteria of every visit against its patient's baseline (step 3 of :func:`score_visits`).

    Parameters
    ----------
    scored : pandas.DataFrame
        A frame with ``patient_id``, ``week``, the indices (``basdai``, ``basfi``,
        ``inflammation``, ``asdas_crp``; ``basg`` when it is the patient global) and the visit
        columns of the domains (:mod:`axspa.domains`): the patient global and pain columns,
        ``crp_mg_l`` (with ``crp_mg_l_censored`` if any) and, optionally, ``lateral_flexion_cm``
        and ``basdai_q5``. For example :func:`score_indices` with ``keep=True``. Never modified.
    baseline_week, patient_global, pain, partial_remission_inclusive, paper_min_domains, paper_stiffness
        As in :func:`score_visits`.
    keep : bool, str or iterable of str, default True
        Input columns to carry into the result (all by default).

    Returns
    -------
    pandas.DataFrame
        A new frame: ``patient_id``, ``week``, the nullable boolean responses of
        :data:`RESPONSE_COLUMNS`, then the kept columns. A row whose patient has no baseline row
        has missing change-based responses; the baseline row itself is never a response.
    """
    c = _checked(scored)
    _check_paper_stiffness(paper_stiffness)
    domain_columns = asas_domains(patient_global=patient_global, pain=pain)
    _need(c.frame, [*domain_columns.values(), "basdai", "asdas_crp", ASAS_5OF6_DOMAINS["crp"]])
    columns = _responses(
        c,
        _Baseline(c, baseline_week),
        domain_columns,
        partial_remission_inclusive,
        paper_min_domains,
        paper_stiffness,
    )
    return _assemble(c.frame, columns, keep)


def _check_paper_stiffness(paper_stiffness: str) -> None:
    if paper_stiffness not in PAPER_STIFFNESS:
        raise InputError(f"paper_stiffness must be 'inflammation' or 'basdai_q5'; got {paper_stiffness!r}")


def _responses(
    c: _Columns,
    at_base: _Baseline,
    domain_columns: Mapping[str, str],
    partial_remission_inclusive: bool,
    paper_min_domains: int,
    paper_stiffness: str,
) -> dict[str, object]:
    nan = np.full(len(c.frame), np.nan)
    columns = {
        **domain_columns,
        "crp": ASAS_5OF6_DOMAINS["crp"],
        "lateral_flexion": ASAS_5OF6_DOMAINS["lateral_flexion"],
        "stiffness": PAPER_STIFFNESS[paper_stiffness],
        "basdai": "basdai",
        "asdas": "asdas_crp",
    }
    optional = {"lateral_flexion", "stiffness"}  # an absent column is an unknown domain
    values: dict[str, np.ndarray] = {}
    for domain, col in columns.items():
        now = c.get(col, nan) if domain in optional else c[col]
        values |= {f"{domain}_base": at_base.of(col, now), f"{domain}_fu": now}
    censored = c.censored()
    if censored is not None:
        values |= {"crp_base_censored": at_base(censored.astype(np.float64)), "crp_fu_censored": censored}
    # every domain is checked once and its worst and best cases computed once, for all criteria
    criteria = response._Criteria(values, tuple(columns))
    results = {
        "asas20": criteria.asas20(),
        "asas40": criteria.asas40(),
        "asas_5of6": criteria.asas_5of6(),
        "basdai50": criteria.basdai50(),
        "asdas_crp_cii": criteria.asdas_improvement("clinically_important"),
        "asdas_crp_mi": criteria.asdas_improvement("major"),
        "asas20_paper": criteria.paper_variant(0.2, paper_min_domains),
        "asas40_paper": criteria.paper_variant(0.4, paper_min_domains),
    }
    # a change needs a baseline row: without one every change-based response is missing
    no_base = ~at_base.has
    out = {name: pd.arrays.BooleanArray(value, missing | no_base) for name, (value, missing) in results.items()}
    out["asas_pr"] = pd.arrays.BooleanArray(*criteria.partial_remission(2.0, partial_remission_inclusive))
    return {name: out[name] for name in RESPONSE_COLUMNS}


# --------------------------------------------------------------------------------------------------
# the composition


def score_visits(
    visits: pd.DataFrame,
    *,
    baseline_week: float = 0,
    patient_global: str = "patient_global",
    pain: str = "back_pain",
    partial_remission_inclusive: bool = True,
    asdas_coefficients: CoefficientSet = "published",
    crp_floor: bool = True,
    paper_min_domains: int = 4,
    paper_stiffness: Literal["inflammation", "basdai_q5"] = "inflammation",
    keep: Keep = False,
) -> pd.DataFrame:
    """Score every visit: indices, their changes from baseline, and the response criteria.

    Parameters
    ----------
    visits : pandas.DataFrame
        Canonical visits frame, one row per patient and week: ``patient_id``, ``week``,
        ``basdai_q1``..``basdai_q6``, ``basfi_q1``..``basfi_q10``, ``basg_week`` and/or ``basg_6m``,
        ``esr_mm_h``, ``crp_mg_l`` (**mg/L**), the columns named by ``patient_global`` and ``pain``;
        optional ``crp_mg_l_censored`` (nullable boolean), ``lateral_flexion_cm`` and the other BASMI
        components. Never modified or re-sorted.
    baseline_week : float, default 0
        The week of each patient's baseline row. A patient with no row at that week gets missing
        baseline values and missing (NA) responses; more than one is an error.
    patient_global : str, default "patient_global"
        The ASAS patient global domain (also used in ASDAS): a column name, or ``"basg"`` for the BAS-G
        score, for a study that used BAS-G as its patient global (as the reference study did).
    pain : str, default "back_pain"
        The column of the ASAS pain domain: total back pain, or ``"basdai_q2"`` as an alternative.
        ASDAS always uses BASDAI Q2 as its back pain item.
    partial_remission_inclusive : bool, default True
        ASAS partial remission as every domain ``<= 2`` (default) or ``< 2``.
    asdas_coefficients : {"published", "two_decimal"}, default "published"
        ASDAS weights; the two-decimal set is a compatibility option only.
    crp_floor : bool, default True
        Replace CRP below 2 mg/L, and censored CRP, by 2 mg/L in ASDAS-CRP (Machado 2015).
    paper_min_domains : int, default 4
        ``min_domains`` of the reference study's variant (:func:`axspa.response.asas_paper_variant`):
        "more than 3 of 4" read literally is 4; 3 is the reading its results table suggests.
    paper_stiffness : {"inflammation", "basdai_q5"}, default "inflammation"
        The variant's "morning stiffness" domain: the mean of BASDAI Q5 and Q6, or Q5 alone.
    keep : bool, str or iterable of str, default False
        Input columns to carry into the result after the scores, e.g. ``("crp_mg_l", "esr_mm_h")``,
        or True for every input column the result does not already hold.

    Returns
    -------
    pandas.DataFrame
        A new frame with the input's index and row order: ``patient_id``, ``week``; for each index
        X in basdai, basfi, basg, inflammation, asdas_crp, asdas_esr and (when all five BASMI
        components are present) basmi_lin: ``X``, ``X_base``, ``X_chg`` (X - X_base) and ``X_pchg``
        (100 (X - X_base) / X_base, missing when X_base is 0); ``asdas_crp_state`` and
        ``asdas_esr_state`` (ordered categorical); and the nullable boolean responses ``asas20``,
        ``asas40``, ``asas_5of6``, ``asas_pr``, ``basdai50``, ``asdas_crp_cii``, ``asdas_crp_mi``,
        ``asas20_paper`` and ``asas40_paper``; then the ``keep`` columns. ``attrs["choices"]``
        records the options used.

    Raises
    ------
    InputError
        For a missing required column, a missing patient_id, a value outside its range (the message
        of the input boundary, :mod:`axspa.ingest.checks`, placed by row, patient and week), or a
        patient with two rows at one week.

    Notes
    -----
    The composition of :func:`score_indices`, :func:`add_change` and :func:`add_responses`.
    Each row is compared with its own patient's baseline row (the baseline row itself has change 0
    and is never a response). ASAS 5/6 uses ``crp_mg_l`` (with ``crp_mg_l_censored``) and
    ``lateral_flexion_cm``; without that column spinal mobility is an unknown domain. BAS-G is the
    mean of ``basg_week`` and ``basg_6m``, or the single item when only one column exists. The
    formulas and their sources are in :mod:`axspa.indices` and :mod:`axspa.response`; missing domains
    follow their three-valued rule.

    Examples
    --------
    >>> visits = pd.DataFrame({"patient_id": ["P1", "P1"], "week": [0, 12],
    ...     **{q: [5.0, 2.0] for q in BASDAI_ITEMS + BASFI_ITEMS + BASG_ITEMS},
    ...     "patient_global": [6.0, 3.0], "back_pain": [7.0, 3.0], "esr_mm_h": [40, 12],
    ...     "crp_mg_l": [15.0, 1.0]})
    >>> scores = score_visits(visits)
    >>> scores[["basdai", "basdai_chg", "asas20", "asas40", "asdas_crp_state"]]
       basdai  basdai_chg  asas20  asas40 asdas_crp_state
    0     5.0         0.0   False   False       very high
    1     2.0        -3.0    True    True             low
    """
    c = _checked(visits)
    visits = c.frame
    basg_items = tuple(_require_items(visits, patient_global, pain))
    _check_paper_stiffness(paper_stiffness)
    made = _indices(c, basg_items, patient_global, asdas_coefficients, crp_floor)
    at_base = _Baseline(c, baseline_week)
    names = [name for name in INDEX_COLUMNS if name in made]
    made |= _changes(c, at_base, names)
    domain_columns = asas_domains(patient_global=patient_global, pain=pain)
    made |= _responses(c, at_base, domain_columns, partial_remission_inclusive, paper_min_domains, paper_stiffness)
    order: list[str] = []
    for name in names:
        order += [name, *(f"{name}{suffix}" for suffix in CHANGE_SUFFIXES)]
        if f"{name}_state" in made:
            order.append(f"{name}_state")
    frame = _assemble(visits, {k: made[k] for k in [*order, *RESPONSE_COLUMNS]}, keep)
    frame.attrs["choices"] = {
        "baseline_week": baseline_week,
        "patient_global": patient_global,
        "pain": pain,
        "basg_items": basg_items,
        "partial_remission": "<= 2" if partial_remission_inclusive else "< 2",
        "asdas_coefficients": asdas_coefficients,
        "crp_floor": crp_floor,
        "paper_min_domains": paper_min_domains,
        "paper_stiffness": paper_stiffness,
    }
    return frame
