"""Compute tier: the disease indices (BASDAI, BASFI, BAS-G, ASAS inflammation, ASDAS, BASMIlin).

Every function takes its clinical inputs by keyword, as scalars or one-dimensional array-likes
(lists, NumPy arrays, pandas Series; missing values as ``NaN``, ``None`` or ``pd.NA``), and returns a
pandas Series named after the index. When an input is a Series its index is kept; scalars broadcast
against arrays, and a lone scalar call returns a one-element Series. Inputs are never modified.

Values outside the valid range of the measure registry (:mod:`axspa.measures`) raise
:class:`~axspa.errors.InputError` naming the argument, the value, its position and the expected range.
A missing input gives a missing score (no proration). Each function cites its own sources; the list below
gathers them for the module.

References
----------
.. [1] Garrett S, Jenkinson T, Kennedy LG, Whitelock H, Gaisford P, Calin A. A new approach to defining disease
   status in ankylosing spondylitis: the Bath Ankylosing Spondylitis Disease Activity Index. J Rheumatol
   1994;21:2286-91.
.. [2] Calin A, Garrett S, Whitelock H, et al. A new approach to defining functional ability in ankylosing
   spondylitis: the development of the Bath Ankylosing Spondylitis Functional Index. J Rheumatol 1994;21:2281-5.
.. [3] Jones SD, Steiner A, Garrett SL, Calin A. The Bath Ankylosing Spondylitis Patient Global Score (BAS-G). Br J
   Rheumatol 1996;35:66-71.
.. [4] Anderson JJ, Baron G, van der Heijde D, Felson DT, Dougados M. Ankylosing spondylitis assessment group
   preliminary definition of short-term improvement in ankylosing spondylitis. Arthritis Rheum 2001;44:1876-86.
.. [5] Lukas C, Landewé R, Sieper J, et al. Development of an ASAS-endorsed disease activity score (ASDAS) in
   patients with ankylosing spondylitis. Ann Rheum Dis 2009;68:18-24.
.. [6] van der Heijde D, Lie E, Kvien TK, et al. ASDAS, a highly discriminatory ASAS-endorsed disease activity score
   in patients with ankylosing spondylitis. Ann Rheum Dis 2009;68:1811-8.
.. [7] Machado P, Landewé R, Lie E, et al. Ankylosing Spondylitis Disease Activity Score (ASDAS): defining cut-off
   values for disease activity states and improvement scores. Ann Rheum Dis 2011;70:47-53.
.. [8] Machado P, Navarro-Compán V, Landewé R, van Gaalen FA, Roux C, van der Heijde D. Calculating the Ankylosing
   Spondylitis Disease Activity Score if the conventional C-reactive protein level is below the limit of detection
   or if high-sensitivity C-reactive protein is used. Arthritis Rheumatol 2015;67:408-13.
.. [9] Machado PM, Landewé R, van der Heijde D. Ankylosing Spondylitis Disease Activity Score (ASDAS): 2018 update
   of the nomenclature for disease activity states. Ann Rheum Dis 2018;77:1539-40.
.. [10] van der Heijde D, Landewé R, Feldtkeller E. Proposal of a linear definition of the Bath Ankylosing
   Spondylitis Metrology Index (BASMI) and comparison with the 2-step and 10-step definitions. Ann Rheum Dis
   2008;67:489-93.
.. [11] Sieper J, Rudwaleit M, Baraliakos X, et al. The Assessment of SpondyloArthritis international Society (ASAS)
   handbook: a guide to assess spondyloarthritis. Ann Rheum Dis 2009;68 Suppl 2:ii1-44.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from axspa.errors import InputError
from axspa.measures import DERIVED, MEASURES

__all__ = [
    "ASDAS_COEFFICIENTS",
    "ASDAS_STATES",
    "ASDAS_STATE_DTYPE",
    "CRP_FLOOR_MG_L",
    "NOT_COLLECTED",
    "TOLERANCE",
    "AsdasCoefficients",
    "asdas_crp",
    "asdas_esr",
    "asdas_state",
    "basdai",
    "basfi",
    "basg",
    "basmi_lin",
    "inflammation",
    "stiffness_duration_from_minutes",
]

TOLERANCE = 1e-9
"""Absolute tolerance of every threshold comparison (cut-offs and response criteria).

Binary floating point cannot represent most decimal values: 5.5 - 4.4 is 1.0999999999999996, so a
20 % / 1.1-unit improvement would miss an inclusive threshold by 4e-16. Inclusive comparisons are
made as ``x >= t - TOLERANCE``, strict ones as ``x > t + TOLERANCE``. Clinical inputs are recorded
to at most two or three decimals, far coarser than 1e-9, so the tolerance never changes a genuine
comparison.
"""

CRP_FLOOR_MG_L = 2.0
"""CRP (mg/L) below which ASDAS-CRP uses 2 mg/L (Machado et al. 2015, reference [8] of this module)."""

ASDAS_STATES: tuple[str, ...] = DERIVED["asdas_crp_state"].levels
"""ASDAS disease activity states, best first, with the 2018 names (Machado et al. 2018, reference [9] of this
module); read from the registry: ``("inactive", "low", "high", "very high")``."""

ASDAS_STATE_DTYPE = pd.CategoricalDtype(list(ASDAS_STATES), ordered=True)
"""The ordered categorical dtype of :func:`asdas_state` results."""

ArrayLike = Any
"""A scalar or a one-dimensional array-like of numbers (list, NumPy array, pandas Series)."""

Bounds = tuple[float, float]
_SCALE_0_10: Bounds = (0.0, 10.0)


def _bounds(name: str) -> Bounds:
    m = MEASURES[name]
    return (m.lower, m.upper)


# --------------------------------------------------------------------------------------------------
# input handling shared by the compute tier


def _to_float(name: str, x: ArrayLike) -> tuple[np.ndarray, pd.Index | None]:
    """One argument as a float64 array (NaN for missing) and its index if it was a Series."""
    if isinstance(x, pd.Series):
        try:
            return x.to_numpy(dtype=np.float64, na_value=np.nan), x.index
        except (TypeError, ValueError):
            return _object_to_float(name, x.to_numpy(dtype=object)), x.index
    if x is None or x is pd.NA:
        return np.array([np.nan]), None
    arr = np.asarray(x)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise InputError(f"{name} must be a scalar or one-dimensional; got an array of shape {arr.shape}")
    if arr.dtype.kind in "fiub":
        return np.asarray(arr, dtype=np.float64), None  # no copy when already float64; never written to
    if not isinstance(x, np.ndarray):  # a mixed list: keep its elements as given, not as strings
        arr = np.asarray(x, dtype=object).reshape(len(arr))
    return _object_to_float(name, arr), None


def _object_to_float(name: str, arr: np.ndarray) -> np.ndarray:
    out = np.empty(len(arr), dtype=np.float64)
    for i, v in enumerate(arr):
        v = v.item() if isinstance(v, np.generic) else v
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            out[i] = np.nan
            continue
        try:
            if isinstance(v, str | bytes):  # text such as "<5" or "5" is a loading problem, not a number
                raise TypeError
            out[i] = float(v)
        except (TypeError, ValueError):
            raise InputError(f"{name} must be numeric; got {v!r} at position {i}") from None
    return out


def _coerce(
    inputs: Mapping[str, ArrayLike], bounds: Mapping[str, Bounds]
) -> tuple[dict[str, np.ndarray], pd.Index | None]:
    """Convert, broadcast and range-check keyword inputs.

    Returns float64 arrays of one common length (scalars are broadcast; NaN marks a missing value)
    and the index of the Series inputs (all Series inputs must share one index), or None.

    Raises
    ------
    InputError
        For a non-numeric value, arrays of different lengths, Series with different indices, or a
        value outside its bounds (the message names the argument, value, position and range).
    """
    arrays: dict[str, np.ndarray] = {}
    index: pd.Index | None = None
    index_owner = ""
    length: int | None = None
    length_owner = ""
    scalars: list[str] = []
    for name, x in inputs.items():
        values, idx = _to_float(name, x)
        if idx is not None:
            if index is None:
                index, index_owner = idx, name
            elif not (idx is index or idx.equals(index)):
                raise InputError(
                    f"{name} and {index_owner} are Series with different indices; "
                    "align them first (for example with .reindex)"
                )
        is_scalar = idx is None and np.ndim(x) == 0
        if is_scalar:
            scalars.append(name)
        elif length is None:
            length, length_owner = len(values), name
        elif len(values) != length:
            raise InputError(
                f"{name} has length {len(values)}; expected length {length} (the length of {length_owner})"
            )
        arrays[name] = values
    if length is not None:
        for name in scalars:
            arrays[name] = np.full(length, arrays[name][0])
    for name, values in arrays.items():
        lo, hi = bounds[name]
        bad = (values < lo) | (values > hi)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            where = f"position {pos}"
            if index is not None and length is not None:
                where += f" (index label {index[pos]!r})"
            raise InputError(f"{name} must be in [{lo:g}, {hi:g}]; got {float(values[pos])!r} at {where}")
    return arrays, index


def _series(values: np.ndarray, index: pd.Index | None, name: str) -> pd.Series:
    return pd.Series(values, index=index, name=name, copy=False)


def _mean(arrays: Mapping[str, np.ndarray]) -> np.ndarray:
    """Mean of equally weighted inputs; NaN if any input is NaN (strict, no proration)."""
    total = np.zeros_like(next(iter(arrays.values())))
    for values in arrays.values():
        total = total + values
    return total / len(arrays)


# --------------------------------------------------------------------------------------------------
# patient-reported indices


def basdai(*, q1: ArrayLike, q2: ArrayLike, q3: ArrayLike, q4: ArrayLike, q5: ArrayLike, q6: ArrayLike) -> pd.Series:
    r"""Bath Ankylosing Spondylitis Disease Activity Index.

    Parameters
    ----------
    q1, q2, q3, q4, q5, q6 : scalar or array-like, 0-10 (higher = worse)
        BASDAI items for the last week: Q1 fatigue, Q2 neck, back or hip pain, Q3 peripheral joint pain
        or swelling, Q4 enthesitis (tenderness), Q5 morning stiffness severity, Q6 morning stiffness
        duration (0 = none, 5 = 1 hour, 10 = 2 hours or more). A 0-100 mm VAS is divided by 10 first.

    Returns
    -------
    pandas.Series
        ``basdai``, 0-10, float; NaN where any item is missing.

    Raises
    ------
    InputError
        If an item is outside [0, 10] or the inputs have different lengths.

    Notes
    -----
    The index of [1]_:

    .. math::

        \mathrm{BASDAI} = \frac{Q_1 + Q_2 + Q_3 + Q_4 + (Q_5 + Q_6)/2}{5}

    The two stiffness items share one fifth of the weight (the plain mean of six items would double-weight
    stiffness). A missing item makes the score missing; no proration.

    References
    ----------
    .. [1] Garrett S, Jenkinson T, Kennedy LG, Whitelock H, Gaisford P, Calin A. A new approach to defining disease
       status in ankylosing spondylitis: the Bath Ankylosing Spondylitis Disease Activity Index. J Rheumatol
       1994;21:2286-91.

    Examples
    --------
    >>> basdai(q1=2, q2=10, q3=7, q4=1, q5=9, q6=3).round(3).tolist()
    [5.2]
    >>> basdai(q1=[2, 2], q2=[7, 7], q3=[1, 1], q4=[4, None], q5=[9, 9], q6=[6, 6]).round(3).tolist()
    [4.3, nan]
    """
    items = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6}
    a, index = _coerce(items, dict.fromkeys(items, _SCALE_0_10))
    values = (a["q1"] + a["q2"] + a["q3"] + a["q4"] + (a["q5"] + a["q6"]) / 2) / 5
    return _series(values, index, "basdai")


def basfi(
    *,
    q1: ArrayLike,
    q2: ArrayLike,
    q3: ArrayLike,
    q4: ArrayLike,
    q5: ArrayLike,
    q6: ArrayLike,
    q7: ArrayLike,
    q8: ArrayLike,
    q9: ArrayLike,
    q10: ArrayLike,
) -> pd.Series:
    r"""Bath Ankylosing Spondylitis Functional Index.

    Parameters
    ----------
    q1, ..., q10 : scalar or array-like, 0-10 (higher = worse)
        BASFI items (socks, pen, high shelf, chair, floor, standing 10 min, steps, looking over the
        shoulder, physically demanding activities, a full day's activities).

    Returns
    -------
    pandas.Series
        ``basfi``, 0-10; NaN where any item is missing.

    Raises
    ------
    InputError
        If an item is outside [0, 10] or the inputs have different lengths.

    Notes
    -----
    The index of [1]_, the mean of the ten items:

    .. math::

        \mathrm{BASFI} = \frac{1}{10} \sum_{i=1}^{10} Q_i

    A missing item makes the score missing (no proration).

    References
    ----------
    .. [1] Calin A, Garrett S, Whitelock H, et al. A new approach to defining functional ability in ankylosing
       spondylitis: the development of the Bath Ankylosing Spondylitis Functional Index. J Rheumatol 1994;21:2281-5.

    Examples
    --------
    >>> basfi(q1=0, q2=1, q3=2, q4=3, q5=4, q6=5, q7=6, q8=7, q9=8, q10=9).tolist()
    [4.5]
    """
    items = {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5, "q6": q6, "q7": q7, "q8": q8, "q9": q9}
    items["q10"] = q10
    a, index = _coerce(items, dict.fromkeys(items, _SCALE_0_10))
    return _series(_mean(a), index, "basfi")


NOT_COLLECTED: Any = type("NotCollected", (), {"__repr__": lambda self: "NOT_COLLECTED"})()
"""Default of an optional instrument item that a study did not collect (distinct from a missing value)."""


def basg(*, week: ArrayLike = NOT_COLLECTED, six_months: ArrayLike = NOT_COLLECTED) -> pd.Series:
    r"""Bath Ankylosing Spondylitis Patient Global Score (BAS-G).

    Parameters
    ----------
    week : scalar or array-like, 0-10, optional
        Effect of the disease on well-being over the last week (higher = worse).
    six_months : scalar or array-like, 0-10, optional
        Effect of the disease on well-being over the last 6 months. Leave an item out only when the
        study did not collect it; a value that is missing (None, NaN) gives a missing score.

    Returns
    -------
    pandas.Series
        The mean of the two items, named ``basg``. When only one item is given (a study that collected
        one), the score is that item and the Series is labelled ``basg_week_only`` or
        ``basg_6m_only``.

    Raises
    ------
    InputError
        If neither item is given, or an item is outside [0, 10].

    Notes
    -----
    .. math::

        \text{BAS-G} = \frac{\text{week} + \text{six\_months}}{2}

    The mean of the two items is a convention of later use, which axspa follows; it is not part of the
    instrument's definition. [1]_ designed and validated BAS-G as two separate 0-10 ratings of the effect
    of the disease on well-being, over the last week and over the last six months, and reported them
    separately (the two scores differed significantly, and each has its own test-retest reliability).
    Pass a single item (the other left out) to analyse that item alone. A missing item gives a missing
    score. BAS-G measures well-being; it is not the ASAS patient global assessment of disease activity.
    A study that used BAS-G as its patient global must say so (see :func:`axspa.derive.score_visits`).

    References
    ----------
    .. [1] Jones SD, Steiner A, Garrett SL, Calin A. The Bath Ankylosing Spondylitis Patient Global Score (BAS-G).
       Br J Rheumatol 1996;35:66-71.

    Examples
    --------
    >>> basg(week=6, six_months=7).tolist()
    [6.5]
    >>> basg(week=[3.0]).name
    'basg_week_only'
    >>> basg(week=None, six_months=None).tolist()
    [nan]
    """
    given = {k: v for k, v in {"week": week, "six_months": six_months}.items() if v is not NOT_COLLECTED}
    if not given:
        raise InputError("basg needs at least one item: week, six_months or both; got neither")
    a, index = _coerce(given, dict.fromkeys(given, _SCALE_0_10))
    if len(a) == 2:
        return _series(_mean(a), index, "basg")
    (only,) = a
    return _series(a[only].copy(), index, "basg_week_only" if only == "week" else "basg_6m_only")


def inflammation(*, q5: ArrayLike, q6: ArrayLike) -> pd.Series:
    r"""ASAS inflammation domain: the mean of BASDAI Q5 and Q6.

    Parameters
    ----------
    q5 : scalar or array-like, 0-10
        BASDAI Q5, morning stiffness severity.
    q6 : scalar or array-like, 0-10
        BASDAI Q6, morning stiffness duration (0 = none, 10 = 2 hours or more).

    Returns
    -------
    pandas.Series
        ``inflammation``, 0-10; NaN if either item is missing.

    Notes
    -----
    The inflammation domain of the ASAS response criteria [1]_:

    .. math::

        \text{inflammation} = \frac{Q_5 + Q_6}{2}

    It is the "morning stiffness" domain of the reference study too, unless that study is read as using
    Q5 alone.

    References
    ----------
    .. [1] Anderson JJ, Baron G, van der Heijde D, Felson DT, Dougados M. Ankylosing spondylitis assessment group
       preliminary definition of short-term improvement in ankylosing spondylitis. Arthritis Rheum 2001;44:1876-86.

    Examples
    --------
    >>> inflammation(q5=9, q6=4).tolist()
    [6.5]
    """
    a, index = _coerce({"q5": q5, "q6": q6}, {"q5": _SCALE_0_10, "q6": _SCALE_0_10})
    return _series(_mean(a), index, "inflammation")


def stiffness_duration_from_minutes(*, minutes: ArrayLike) -> pd.Series:
    r"""BASDAI Q6 (morning stiffness duration, 0-10) from a duration recorded in minutes.

    Parameters
    ----------
    minutes : scalar or array-like, 0-1440
        Duration of morning stiffness in minutes.

    Returns
    -------
    pandas.Series
        ``basdai_q6`` on the 0-10 scale.

    Notes
    -----
    The BASDAI duration scale reads 0 = none, 5 = 1 hour, 10 = 2 hours or more [1]_, so

    .. math::

        Q_6 = \frac{\min(\text{minutes}, 120)}{12}

    A helper for data recorded in minutes, never applied by default.

    References
    ----------
    .. [1] Garrett S, Jenkinson T, Kennedy LG, Whitelock H, Gaisford P, Calin A. A new approach to defining disease
       status in ankylosing spondylitis: the Bath Ankylosing Spondylitis Disease Activity Index. J Rheumatol
       1994;21:2286-91.

    Examples
    --------
    >>> stiffness_duration_from_minutes(minutes=[0, 30, 60, 120, 180]).tolist()
    [0.0, 2.5, 5.0, 10.0, 10.0]
    """
    a, index = _coerce({"minutes": minutes}, {"minutes": (0.0, 1440.0)})
    return _series(np.minimum(a["minutes"], 120.0) / 12.0, index, "basdai_q6")


# --------------------------------------------------------------------------------------------------
# ASDAS


@dataclass(frozen=True)
class AsdasCoefficients:
    """Weights of one ASDAS formula: four patient items and the inflammation-marker term."""

    back_pain: float
    stiffness_duration: float
    patient_global: float
    peripheral_pain: float
    marker: float


ASDAS_COEFFICIENTS: MappingProxyType[str, MappingProxyType[str, AsdasCoefficients]] = MappingProxyType(
    {
        "crp": MappingProxyType(
            {
                "published": AsdasCoefficients(0.121, 0.058, 0.110, 0.073, 0.579),
                "two_decimal": AsdasCoefficients(0.12, 0.06, 0.11, 0.07, 0.58),
            }
        ),
        "esr": MappingProxyType(
            {
                "published": AsdasCoefficients(0.079, 0.069, 0.113, 0.086, 0.293),
                "two_decimal": AsdasCoefficients(0.08, 0.07, 0.11, 0.09, 0.29),
            }
        ),
    }
)
"""ASDAS weights by marker and set: ``"published"`` (three decimals, Lukas et al. 2009 and van der Heijde et al.
2009, references [5] and [6] of this module; the default) and ``"two_decimal"`` (the rounded set that circulates;
a compatibility option only).

How far the rounded set moves a score: the shift is linear in the four 0-10 items and monotone in the marker term,
so its extremes lie at the corners of the admissible ranges (items 0 or 10; CRP 0-500 mg/L, ESR 0-200 mm/h).

- ASDAS-CRP: weight changes -0.001 (back pain), +0.002 (duration), 0 (global), -0.003 (peripheral),
  +0.001 (ln(CRP + 1), at most ln 501 = 6.217). Largest fall: -0.01 - 0.03 = -0.040 (back and peripheral pain
  10, duration 0, CRP 0; with the 2 mg/L floor -0.040 + 0.001 ln 3 = -0.039). Largest rise: 0.02 + 0.0062 =
  +0.026. So at most about 0.04.
- ASDAS-ESR: weight changes +0.001, +0.001, -0.003, +0.004, -0.003 (sqrt(ESR), at most sqrt 200 = 14.14).
  Largest fall: -0.03 - 0.003 x 14.14 = -0.072 (global 10, ESR 200, the others 0). Largest rise:
  0.01 + 0.01 + 0.04 = +0.060. So at most about 0.07.

tests/indices/test_indices.py checks both bounds."""

CoefficientSet = Literal["published", "two_decimal"]


def _asdas(
    marker: Literal["crp", "esr"],
    coefficients: CoefficientSet,
    items: Mapping[str, np.ndarray],
    marker_term: np.ndarray,
) -> np.ndarray:
    sets = ASDAS_COEFFICIENTS[marker]
    if coefficients not in sets:
        raise InputError(f"coefficients must be one of {sorted(sets)}; got {coefficients!r}")
    c = sets[coefficients]
    return (
        c.back_pain * items["back_pain"]
        + c.stiffness_duration * items["stiffness_duration"]
        + c.patient_global * items["patient_global"]
        + c.peripheral_pain * items["peripheral_pain"]
        + c.marker * marker_term
    )


_ASDAS_ITEMS = ("back_pain", "stiffness_duration", "patient_global", "peripheral_pain")


def asdas_crp(
    *,
    back_pain: ArrayLike,
    stiffness_duration: ArrayLike,
    patient_global: ArrayLike,
    peripheral_pain: ArrayLike,
    crp_mg_l: ArrayLike,
    crp_censored: ArrayLike = None,
    crp_floor: bool = True,
    coefficients: CoefficientSet = "published",
) -> pd.Series:
    r"""Ankylosing Spondylitis Disease Activity Score with C-reactive protein (ASDAS-CRP).

    Parameters
    ----------
    back_pain : scalar or array-like, 0-10
        Back pain, BASDAI Q2 (neck, back or hip pain).
    stiffness_duration : scalar or array-like, 0-10
        Duration of morning stiffness, BASDAI Q6 (not Q5, the severity).
    patient_global : scalar or array-like, 0-10
        ASAS patient global assessment of disease activity.
    peripheral_pain : scalar or array-like, 0-10
        Peripheral pain or swelling, BASDAI Q3.
    crp_mg_l : scalar or array-like, mg/L, 0-500
        C-reactive protein in **mg/L** (mg/dL x 10). For a censored result ("<5") give the detection
        limit and flag it in ``crp_censored``.
    crp_censored : scalar or array-like of bool, optional
        True where the laboratory reported CRP below its detection limit. Missing counts as False.
    crp_floor : bool, default True
        Replace CRP below 2 mg/L, and every censored CRP, by 2 mg/L [3]_. With
        ``crp_floor=False`` the value is used as given (for a censored result, its detection limit).
    coefficients : {"published", "two_decimal"}, default "published"
        The published three-decimal weights, or the rounded two-decimal set (compatibility only).

    Returns
    -------
    pandas.Series
        ``asdas_crp``, unrounded; NaN where any input is missing. With the floor the lowest possible
        score is 0.579 ln 3 = 0.636.

    Raises
    ------
    InputError
        For an item outside [0, 10], CRP outside [0, 500] mg/L, an unknown coefficient set or inputs
        of different lengths.

    Notes
    -----
    The score of [1]_ and [2]_, with CRP in mg/L:

    .. math::

        \text{ASDAS-CRP} = 0.121\,\text{back pain} + 0.058\,\text{stiffness duration}
            + 0.110\,\text{patient global} + 0.073\,\text{peripheral pain} + 0.579 \ln(\text{CRP} + 1)

    CRP below 2 mg/L (or below the detection limit) is set to 2 mg/L [3]_. Compute per patient, never from
    group means. The state is :func:`asdas_state` of the unrounded score. The rounded two-decimal weights
    move the score by at most about 0.04 (see :data:`ASDAS_COEFFICIENTS`).

    References
    ----------
    .. [1] Lukas C, Landewé R, Sieper J, et al. Development of an ASAS-endorsed disease activity score (ASDAS) in
       patients with ankylosing spondylitis. Ann Rheum Dis 2009;68:18-24.
    .. [2] van der Heijde D, Lie E, Kvien TK, et al. ASDAS, a highly discriminatory ASAS-endorsed disease activity
       score in patients with ankylosing spondylitis. Ann Rheum Dis 2009;68:1811-8.
    .. [3] Machado P, Navarro-Compán V, Landewé R, van Gaalen FA, Roux C, van der Heijde D. Calculating the
       Ankylosing Spondylitis Disease Activity Score if the conventional C-reactive protein level is below the limit
       of detection or if high-sensitivity C-reactive protein is used. Arthritis Rheumatol 2015;67:408-13.

    Examples
    --------
    >>> asdas_crp(back_pain=6, stiffness_duration=5, patient_global=6, peripheral_pain=4,
    ...           crp_mg_l=10).round(3).tolist()
    [3.356]
    >>> asdas_crp(back_pain=5, stiffness_duration=5, patient_global=5, peripheral_pain=5,
    ...           crp_mg_l=[0.5, 5.0], crp_censored=[False, True]).round(3).tolist()
    [2.446, 2.446]
    """
    inputs = {
        "back_pain": back_pain,
        "stiffness_duration": stiffness_duration,
        "patient_global": patient_global,
        "peripheral_pain": peripheral_pain,
        "crp_mg_l": crp_mg_l,
    }
    bounds = dict.fromkeys(_ASDAS_ITEMS, _SCALE_0_10) | {"crp_mg_l": _bounds("crp_mg_l")}
    if crp_censored is not None:
        inputs["crp_censored"] = crp_censored
        bounds["crp_censored"] = (0.0, 1.0)
    a, index = _coerce(inputs, bounds)
    crp = a["crp_mg_l"]
    if crp_floor:
        floored = crp < CRP_FLOOR_MG_L
        if "crp_censored" in a:
            floored = floored | (a["crp_censored"] == 1.0)
        crp = np.where(floored & ~np.isnan(crp), CRP_FLOOR_MG_L, crp)
    return _series(_asdas("crp", coefficients, a, np.log1p(crp)), index, "asdas_crp")


def asdas_esr(
    *,
    back_pain: ArrayLike,
    stiffness_duration: ArrayLike,
    patient_global: ArrayLike,
    peripheral_pain: ArrayLike,
    esr_mm_h: ArrayLike,
    coefficients: CoefficientSet = "published",
) -> pd.Series:
    r"""Ankylosing Spondylitis Disease Activity Score with erythrocyte sedimentation rate (ASDAS-ESR).

    Parameters
    ----------
    back_pain, stiffness_duration, patient_global, peripheral_pain : scalar or array-like, 0-10
        As in :func:`asdas_crp` (BASDAI Q2, BASDAI Q6, ASAS patient global, BASDAI Q3).
    esr_mm_h : scalar or array-like, mm/h, 0-200
        Erythrocyte sedimentation rate.
    coefficients : {"published", "two_decimal"}, default "published"
        The published three-decimal weights, or the rounded two-decimal set (compatibility only).

    Returns
    -------
    pandas.Series
        ``asdas_esr``, unrounded; NaN where any input is missing.

    Raises
    ------
    InputError
        For an item outside [0, 10], ESR outside [0, 200] mm/h or inputs of different lengths.

    Notes
    -----
    The score of [1]_, with ESR in mm/h:

    .. math::

        \text{ASDAS-ESR} = 0.079\,\text{back pain} + 0.069\,\text{stiffness duration}
            + 0.113\,\text{patient global} + 0.086\,\text{peripheral pain} + 0.293 \sqrt{\text{ESR}}

    ASAS prefers ASDAS-CRP [2]_. The rounded two-decimal weights move the score by at most about 0.07
    (see :data:`ASDAS_COEFFICIENTS`).

    References
    ----------
    .. [1] Lukas C, Landewé R, Sieper J, et al. Development of an ASAS-endorsed disease activity score (ASDAS) in
       patients with ankylosing spondylitis. Ann Rheum Dis 2009;68:18-24.
    .. [2] van der Heijde D, Lie E, Kvien TK, et al. ASDAS, a highly discriminatory ASAS-endorsed disease activity
       score in patients with ankylosing spondylitis. Ann Rheum Dis 2009;68:1811-8.

    Examples
    --------
    >>> asdas_esr(back_pain=6, stiffness_duration=5, patient_global=6, peripheral_pain=4,
    ...           esr_mm_h=25).round(3).tolist()
    [3.306]
    """
    inputs = {
        "back_pain": back_pain,
        "stiffness_duration": stiffness_duration,
        "patient_global": patient_global,
        "peripheral_pain": peripheral_pain,
        "esr_mm_h": esr_mm_h,
    }
    bounds = dict.fromkeys(_ASDAS_ITEMS, _SCALE_0_10) | {"esr_mm_h": _bounds("esr_mm_h")}
    a, index = _coerce(inputs, bounds)
    return _series(_asdas("esr", coefficients, a, np.sqrt(a["esr_mm_h"])), index, "asdas_esr")


_ASDAS_CUTOFFS = (1.3, 2.1, 3.5)


def asdas_state(*, score: ArrayLike) -> pd.Series:
    r"""ASDAS disease activity state of an (unrounded) ASDAS score.

    Parameters
    ----------
    score : scalar or array-like
        ASDAS-CRP or ASDAS-ESR, not rounded.

    Returns
    -------
    pandas.Series
        Ordered categorical ``asdas_state`` with categories ``inactive < low < high < very high``;
        missing where the score is missing.

    Notes
    -----
    The cut-offs of [1]_, with the names of [2]_ ("low" was called "moderate" before 2018):

    .. math::

        \text{state} = \begin{cases}
            \text{inactive} & s < 1.3 \\
            \text{low} & 1.3 \le s < 2.1 \\
            \text{high} & 2.1 \le s \le 3.5 \\
            \text{very high} & s > 3.5
        \end{cases}

    Cut-offs are compared within :data:`TOLERANCE`, so a score that equals a cut-off up to floating-point
    error falls on the cut-off's side of the rule.

    References
    ----------
    .. [1] Machado P, Landewé R, Lie E, et al. Ankylosing Spondylitis Disease Activity Score (ASDAS): defining cut-
       off values for disease activity states and improvement scores. Ann Rheum Dis 2011;70:47-53.
    .. [2] Machado PM, Landewé R, van der Heijde D. Ankylosing Spondylitis Disease Activity Score (ASDAS): 2018
       update of the nomenclature for disease activity states. Ann Rheum Dis 2018;77:1539-40.

    Examples
    --------
    >>> asdas_state(score=[1.29, 1.3, 2.1, 3.5, 3.51, None]).tolist()
    ['inactive', 'low', 'high', 'high', 'very high', nan]
    """
    a, index = _coerce({"score": score}, {"score": (0.0, 10.0)})
    s = a["score"]
    inactive, low, high = _ASDAS_CUTOFFS
    codes = np.select(
        [np.isnan(s), s < inactive - TOLERANCE, s < low - TOLERANCE, s <= high + TOLERANCE],
        [-1, 0, 1, 2],
        default=3,
    ).astype(np.int8)
    cat = pd.Categorical.from_codes(codes, dtype=ASDAS_STATE_DTYPE)
    return pd.Series(cat, index=index, name="asdas_state")


# --------------------------------------------------------------------------------------------------
# BASMI


_BASMI_LIN: MappingProxyType[str, tuple[float, float]] = MappingProxyType(
    {
        # component: (value A giving score 0, signed cm or degrees per score point); S = (A - a0) / step
        "lateral_flexion_cm": (21.1, -2.1),
        "tragus_to_wall_cm": (8.0, 3.0),
        "schober_cm": (7.4, -0.7),
        "intermalleolar_cm": (124.5, -10.0),
        "cervical_rotation_deg": (89.3, -8.5),
    }
)


def basmi_lin(
    *,
    lateral_flexion_cm: ArrayLike,
    tragus_to_wall_cm: ArrayLike,
    schober_cm: ArrayLike,
    intermalleolar_cm: ArrayLike,
    cervical_rotation_deg: ArrayLike,
) -> pd.Series:
    r"""Linear Bath Ankylosing Spondylitis Metrology Index (BASMIlin).

    Parameters
    ----------
    lateral_flexion_cm : scalar or array-like, cm
        Lateral lumbar flexion, mean of left and right (higher = better).
    tragus_to_wall_cm : scalar or array-like, cm
        Tragus-to-wall distance, mean of left and right (lower = better).
    schober_cm : scalar or array-like, cm
        Modified Schober test, 10 cm variant: the increase in cm (higher = better).
    intermalleolar_cm : scalar or array-like, cm
        Intermalleolar distance (higher = better).
    cervical_rotation_deg : scalar or array-like, degrees
        Cervical rotation, mean of left and right (higher = better).

    Returns
    -------
    pandas.Series
        ``basmi_lin``, 0-10; NaN where any component is missing.

    Notes
    -----
    Each component's measurement :math:`A` gives a score clamped to [0, 10] [1]_, [2]_:

    .. math::

        S_\text{lateral flexion} = \frac{21.1 - A}{2.1}, \quad
        S_\text{tragus to wall} = \frac{A - 8}{3}, \quad
        S_\text{Schober} = \frac{7.4 - A}{0.7},

        S_\text{intermalleolar} = \frac{124.5 - A}{10}, \quad
        S_\text{cervical rotation} = \frac{89.3 - A}{8.5}, \qquad
        \mathrm{BASMI_{lin}} = \frac{1}{5} \sum \min(\max(S, 0), 10)

    The Schober formula is for the 10 cm modified Schober; do not pass a 15 cm variant.

    References
    ----------
    .. [1] van der Heijde D, Landewé R, Feldtkeller E. Proposal of a linear definition of the Bath Ankylosing
       Spondylitis Metrology Index (BASMI) and comparison with the 2-step and 10-step definitions. Ann Rheum Dis
       2008;67:489-93.
    .. [2] Sieper J, Rudwaleit M, Baraliakos X, et al. The Assessment of SpondyloArthritis international Society
       (ASAS) handbook: a guide to assess spondyloarthritis. Ann Rheum Dis 2009;68 Suppl 2:ii1-44.

    Examples
    --------
    >>> basmi_lin(lateral_flexion_cm=10, tragus_to_wall_cm=15, schober_cm=4, intermalleolar_cm=100,
    ...           cervical_rotation_deg=60).round(3).tolist()
    [3.675]
    """
    inputs = {
        "lateral_flexion_cm": lateral_flexion_cm,
        "tragus_to_wall_cm": tragus_to_wall_cm,
        "schober_cm": schober_cm,
        "intermalleolar_cm": intermalleolar_cm,
        "cervical_rotation_deg": cervical_rotation_deg,
    }
    a, index = _coerce(inputs, {k: _bounds(k) for k in inputs})
    scores = {k: np.clip((a[k] - a0) / step, 0.0, 10.0) for k, (a0, step) in _BASMI_LIN.items()}
    return _series(_mean(scores), index, "basmi_lin")
