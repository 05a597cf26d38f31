"""Derive tier: a canonical visits frame in, a new frame of indices, changes and responses out.

The formulas live in the compute tier (:mod:`axspa.indices`, :mod:`axspa.response`); this module only
picks the columns, finds each patient's baseline row and assembles the result, all vectorized.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from axspa import indices, response
from axspa.errors import InputError
from axspa.indices import CoefficientSet
from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS, BASG_ITEMS, BASMI_COMPONENTS, MEASURES

__all__ = ["INDEX_COLUMNS", "RESPONSE_COLUMNS", "score_visits"]

INDEX_COLUMNS: tuple[str, ...] = (
    "basdai",
    "basfi",
    "basg",
    "inflammation",
    "asdas_crp",
    "asdas_esr",
    "basmi_lin",
)
"""Indices scored per visit; each also gets ``_base``, ``_chg`` and ``_pchg`` columns."""

RESPONSE_COLUMNS: tuple[str, ...] = (
    "asas20",
    "asas40",
    "asas_5of6",
    "asas_pr",
    "basdai50",
    "asdas_crp_cii",
    "asdas_crp_mi",
    "asas20_paper",
    "asas40_paper",
)
"""Response columns (nullable boolean) of :func:`score_visits`, in output order."""

_BASG_ARGS = {"basg_week": "week", "basg_6m": "six_months"}
_REQUIRED = ("patient_id", "week", *BASDAI_ITEMS, *BASFI_ITEMS, "esr_mm_h", "crp_mg_l")


def _float_column(visits: pd.DataFrame, name: str) -> np.ndarray:
    """A column as float64 (NaN for missing), checked against the registry range, with row context."""
    col = visits[name]
    try:
        values = col.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        pos = int(np.flatnonzero(np.isnan(values) & col.notna().to_numpy())[0])
        raise InputError(f"{name} must be numeric; got {col.iloc[pos]!r} in " + _where(visits, pos)) from None
    m = MEASURES.get(name)
    if m is not None:
        bad = (values < m.lower) | (values > m.upper)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{name} must be in {m.range_text()} ({m.unit}); got {float(values[pos])!r} in "
                + _where(visits, pos)
            )
    return values


def _where(visits: pd.DataFrame, pos: int) -> str:
    week, patient = visits["week"].iloc[pos], visits["patient_id"].iloc[pos]
    week = week.item() if isinstance(week, np.generic) else week
    return f"row {pos} (patient {patient!r}, week {week!r})"


def _baseline_rows(visits: pd.DataFrame, baseline_week: float) -> np.ndarray:
    """For every row, the position of its patient's baseline row, or -1 if the patient has none."""
    patient = visits["patient_id"]
    if patient.isna().any():
        pos = int(np.flatnonzero(patient.isna().to_numpy())[0])
        raise InputError(f"patient_id must not be missing; got a missing value in row {pos}")
    codes, uniques = pd.factorize(patient)
    week = _float_column(visits, "week")
    at_base = np.flatnonzero(week == baseline_week)
    counts = np.bincount(codes[at_base], minlength=len(uniques))
    if (counts > 1).any():
        dup = uniques[int(np.flatnonzero(counts > 1)[0])]
        raise InputError(
            f"each patient needs at most one baseline row (week {baseline_week!r}); "
            f"patient {dup!r} has {int(counts.max())}"
        )
    first = np.full(len(uniques), -1, dtype=np.int64)
    first[codes[at_base]] = at_base
    return first[codes]


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

    Returns
    -------
    pandas.DataFrame
        A new frame with the input's index and row order: ``patient_id``, ``week``; for each index
        X in basdai, basfi, basg, inflammation, asdas_crp, asdas_esr and (when all five BASMI
        components are present) basmi_lin: ``X``, ``X_base``, ``X_chg`` (X - X_base) and ``X_pchg``
        (100 (X - X_base) / X_base, missing when X_base is 0); ``asdas_crp_state`` and
        ``asdas_esr_state`` (ordered categorical); and the nullable boolean responses ``asas20``,
        ``asas40``, ``asas_5of6``, ``asas_pr``, ``basdai50``, ``asdas_crp_cii``, ``asdas_crp_mi``,
        ``asas20_paper`` and ``asas40_paper``. ``attrs["choices"]`` records the options used.

    Raises
    ------
    InputError
        For a missing required column, a missing patient_id, a value outside its range (naming the
        column, value, row, patient and week), or a patient with two baseline rows.

    Notes
    -----
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
    if not isinstance(visits, pd.DataFrame):
        raise InputError(f"visits must be a pandas DataFrame; got {type(visits).__name__}")
    basg_items = [c for c in BASG_ITEMS if c in visits.columns]
    needed = [*_REQUIRED, *([] if patient_global == "basg" else [patient_global]), pain]
    absent = [c for c in needed if c not in visits.columns]
    if not basg_items:
        absent.append(" or ".join(BASG_ITEMS))
    if absent:
        raise InputError(f"visits lacks required column(s): {', '.join(absent)}")
    if paper_stiffness not in ("inflammation", "basdai_q5"):
        raise InputError(f"paper_stiffness must be 'inflammation' or 'basdai_q5'; got {paper_stiffness!r}")

    base_row = _baseline_rows(visits, baseline_week)
    has_base = base_row >= 0
    used = [*BASDAI_ITEMS, *BASFI_ITEMS, *basg_items, "esr_mm_h", "crp_mg_l", pain]
    used += [c for c in ("lateral_flexion_cm", *BASMI_COMPONENTS) if c in visits.columns]
    if patient_global != "basg":
        used.append(patient_global)
    c = {name: _float_column(visits, name) for name in dict.fromkeys(used)}
    censored = None
    if "crp_mg_l_censored" in visits.columns:
        try:
            flags = visits["crp_mg_l_censored"].astype("boolean")
        except (TypeError, ValueError):
            raise InputError("crp_mg_l_censored must hold True, False or missing values") from None
        censored = flags.fillna(False).to_numpy(dtype=bool)

    q = [c[name] for name in BASDAI_ITEMS]
    s: dict[str, np.ndarray] = {
        "basdai": indices.basdai(q1=q[0], q2=q[1], q3=q[2], q4=q[3], q5=q[4], q6=q[5]).to_numpy(),
        "basfi": indices.basfi(**{f"q{i}": c[n] for i, n in enumerate(BASFI_ITEMS, start=1)}).to_numpy(),
        "basg": indices.basg(**{_BASG_ARGS[col]: c[col] for col in basg_items}).to_numpy(),
        "inflammation": indices.inflammation(q5=q[4], q6=q[5]).to_numpy(),
    }
    pg = s["basg"] if patient_global == "basg" else c[patient_global]
    asdas_items = {
        "back_pain": q[1],
        "stiffness_duration": q[5],
        "patient_global": pg,
        "peripheral_pain": q[2],
    }
    s["asdas_crp"] = indices.asdas_crp(
        **asdas_items,
        crp_mg_l=c["crp_mg_l"],
        crp_censored=censored,
        crp_floor=crp_floor,
        coefficients=asdas_coefficients,
    ).to_numpy()
    s["asdas_esr"] = indices.asdas_esr(
        **asdas_items, esr_mm_h=c["esr_mm_h"], coefficients=asdas_coefficients
    ).to_numpy()
    if all(name in c for name in BASMI_COMPONENTS):
        s["basmi_lin"] = indices.basmi_lin(**{name: c[name] for name in BASMI_COMPONENTS}).to_numpy()

    def at_base(x: np.ndarray) -> np.ndarray:
        return np.where(has_base, x[base_row], np.nan)

    # plain arrays (copied), so that a duplicated index label cannot trigger alignment
    out: dict[str, object] = {k: visits[k].array.copy() for k in ("patient_id", "week")}
    for name, x in s.items():
        b = at_base(x)
        chg = x - b
        out |= {
            name: x,
            f"{name}_base": b,
            f"{name}_chg": chg,
            f"{name}_pchg": np.divide(100.0 * chg, b, out=np.full_like(chg, np.nan), where=b != 0),
        }
        if name.startswith("asdas_"):
            out[f"{name}_state"] = indices.asdas_state(score=x).array

    now = {"patient_global": pg, "pain": c[pain], "function": s["basfi"], "inflammation": s["inflammation"]}
    domains = {f"{k}_fu": v for k, v in now.items()} | {f"{k}_base": at_base(v) for k, v in now.items()}
    crp_flags = {}
    if censored is not None:
        crp_flags = {"crp_base_censored": at_base(censored.astype(np.float64)), "crp_fu_censored": censored}
    flexion = c.get("lateral_flexion_cm", np.full(len(visits), np.nan))
    stiffness = s["inflammation"] if paper_stiffness == "inflammation" else q[4]
    paper = {k: v for k, v in domains.items() if not k.startswith("inflammation")}
    paper |= {"stiffness_base": at_base(stiffness), "stiffness_fu": stiffness}
    resp = {
        "asas20": response.asas20(**domains),
        "asas40": response.asas40(**domains),
        "asas_5of6": response.asas_5of6(
            **domains,
            crp_base=at_base(c["crp_mg_l"]),
            crp_fu=c["crp_mg_l"],
            lateral_flexion_base=at_base(flexion),
            lateral_flexion_fu=flexion,
            **crp_flags,
        ),
        "basdai50": response.basdai50(basdai_base=out["basdai_base"], basdai_fu=s["basdai"]),
        "asdas_crp_cii": response.asdas_improvement(
            asdas_base=out["asdas_crp_base"], asdas_fu=s["asdas_crp"]
        ),
        "asdas_crp_mi": response.asdas_improvement(
            asdas_base=out["asdas_crp_base"], asdas_fu=s["asdas_crp"], level="major"
        ),
        "asas20_paper": response.asas_paper_variant(**paper, threshold=0.2, min_domains=paper_min_domains),
        "asas40_paper": response.asas_paper_variant(**paper, threshold=0.4, min_domains=paper_min_domains),
    }
    # a change needs a baseline row: without one every change-based response is missing
    resp = {name: r.where(has_base) for name, r in resp.items()}
    resp["asas_pr"] = response.asas_partial_remission(
        **now, cutoff=2.0, inclusive=partial_remission_inclusive
    )
    out |= {name: resp[name].array for name in RESPONSE_COLUMNS}

    frame = pd.DataFrame(out, index=visits.index, copy=False)  # the arrays are new; no need to copy
    frame.attrs["choices"] = {
        "baseline_week": baseline_week,
        "patient_global": patient_global,
        "pain": pain,
        "basg_items": tuple(basg_items),
        "partial_remission": "<= 2" if partial_remission_inclusive else "< 2",
        "asdas_coefficients": asdas_coefficients,
        "crp_floor": crp_floor,
        "paper_min_domains": paper_min_domains,
        "paper_stiffness": paper_stiffness,
    }
    return frame
