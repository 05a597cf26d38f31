"""Imputation of missing outcomes within an analysis set, each method labelled wherever it is used.

Each imputation returns an :class:`Imputed` frame that carries its :class:`Imputation` (method,
label, definition) and flags every imputed value. Nothing here imputes silently: observed cases
are an explicit choice like any other.

References
----------
.. [1] ICH E9(R1) addendum on estimands and sensitivity analysis in clinical trials, 2019.
.. [2] European Medicines Agency. Guideline on missing data in confirmatory clinical trials.
   EMA/CPMP/EWP/1776/99 Rev. 1, 2010.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from axspa.analysis_sets import AnalysisSet, _check_visits
from axspa.errors import InputError
from axspa.options import ImputationMethod
from axspa.results import Result

__all__ = [
    "IMPUTATIONS",
    "Imputation",
    "Imputed",
    "bocf",
    "impute",
    "locf",
    "non_responder",
    "observed_cases",
]


@dataclass(frozen=True, slots=True, repr=False)
class Imputation(Result):
    """How missing outcomes were handled.

    Attributes
    ----------
    method : str
        ``"observed"``, ``"locf"``, ``"bocf"`` or ``"nri"``.
    label : str
        Human-readable name.
    definition : str
        The rule in words, for the methods section.
    """

    method: str
    label: str
    definition: str


IMPUTATIONS: Mapping[str, Imputation] = MappingProxyType(
    {
        "observed": Imputation(
            "observed",
            "Observed cases",
            "no imputation: each visit is summarised over the patients with a value at that visit",
        ),
        "locf": Imputation(
            "locf",
            "Last observation carried forward (LOCF)",
            "a missing value is replaced by the patient's last observed value at an earlier visit "
            "(baseline included); it stays missing if there is none",
        ),
        "bocf": Imputation(
            "bocf",
            "Baseline observation carried forward (BOCF)",
            "a missing post-baseline value is replaced by the patient's baseline value (so its change "
            "from baseline is zero); it stays missing if the baseline value is missing",
        ),
        "nri": Imputation(
            "nri",
            "Non-responder imputation (NRI)",
            "a patient without an evaluable response at a visit (withdrawn, visit missed or criterion "
            "not evaluable) counts as a non-responder",
        ),
    }
)
"""Every imputation method offered, by method key."""


@dataclass(frozen=True, slots=True, repr=False)
class Imputed(Result):
    """An analysis frame after imputation, with what was imputed.

    Attributes
    ----------
    frame : DataFrame
        One row per patient of the analysis set and per requested week (``patient_id``, ``week``,
        the requested columns, and for each column ``<column>_imputed``: True where the value was
        filled in by the imputation).
    imputation : Imputation
        The method, its label and definition.
    analysis_set : AnalysisSet
        The patients the frame covers.
    columns : tuple of str
        The outcome columns imputed.
    weeks : tuple of float
        The weeks the frame covers.
    """

    frame: pd.DataFrame
    imputation: Imputation
    analysis_set: AnalysisSet
    columns: tuple[str, ...]
    weeks: tuple[float, ...]
    n_imputed: Mapping[str, int] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The imputed analysis frame (a copy of :attr:`frame`)."""
        return self.frame.copy()

    @property
    def label(self) -> str:
        """The imputation's label."""
        return self.imputation.label

    def describe(self) -> str:
        """One line for a methods section."""
        counts = ", ".join(f"{c}: {k}" for c, k in self.n_imputed.items() if k)
        return (
            f"{self.imputation.label} on {self.analysis_set.label} (n = {self.analysis_set.n}): "
            f"{self.imputation.definition}. Values imputed: {counts or 'none'}."
        )


def _grid(
    visits: pd.DataFrame, analysis_set: AnalysisSet, columns: Sequence[str], weeks: Iterable[float] | None
) -> tuple[pd.DataFrame, tuple[float, ...]]:
    """Observed values on the full patient x week grid of the analysis set (NA where not observed)."""
    if not columns:
        raise InputError("name at least one column to impute")
    _check_visits(visits, columns)
    v = visits.loc[:, ["patient_id", "week", *columns]].copy()
    v["patient_id"] = v["patient_id"].astype(str)
    v["week"] = v["week"].astype(float)
    all_weeks = tuple(sorted(v["week"].unique().tolist()))
    target = all_weeks if weeks is None else tuple(sorted({float(w) for w in weeks}))
    if not target:
        raise InputError("no weeks to impute over: the visits frame is empty and no weeks were given")
    grid_weeks = tuple(sorted(set(all_weeks) | set(target)))
    index = pd.MultiIndex.from_product([list(analysis_set.patient_ids), list(grid_weeks)], names=["patient_id", "week"])
    full = v.set_index(["patient_id", "week"]).reindex(index).reset_index()
    return full, target


def _finish(
    full: pd.DataFrame,
    filled: pd.DataFrame,
    columns: Sequence[str],
    target: tuple[float, ...],
    method: str,
    analysis_set: AnalysisSet,
) -> Imputed:
    out = filled.loc[:, ["patient_id", "week"]].copy()
    counts: dict[str, int] = {}
    keep = out["week"].isin(target).to_numpy()
    for c in columns:
        out[c] = filled[c]
        flag = full[c].isna() & filled[c].notna()
        out[f"{c}_imputed"] = flag.astype(bool)
        counts[c] = int(flag[keep].sum())
    out = out.loc[keep].reset_index(drop=True)
    return Imputed(
        frame=out,
        imputation=IMPUTATIONS[method],
        analysis_set=analysis_set,
        columns=tuple(columns),
        weeks=target,
        n_imputed=counts,
    )


def observed_cases(
    visits: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    columns: Sequence[str],
    weeks: Iterable[float] | None = None,
) -> Imputed:
    """Observed cases: no value is filled in; missing stays missing.

    Parameters
    ----------
    visits : DataFrame
        Visits or scored visits with ``patient_id`` and ``week`` (weeks from the start of
        treatment), one row per patient and week; not modified.
    analysis_set : AnalysisSet
        The patients to cover; each gets one row per week even if not seen, and patients outside
        the set are left out.
    columns : sequence of str
        Outcome columns to carry (at least one), each a column of ``visits``.
    weeks : iterable of float, optional
        Weeks to cover; default every week present in ``visits``. A week no patient was seen at
        is allowed (its values are then all missing before imputation).

    Returns
    -------
    Imputed
        Labelled "Observed cases"; every ``<column>_imputed`` flag is False. Its frame has one
        row per patient of the set and per week, patients in the set's order, weeks ascending.

    Raises
    ------
    InputError
        If ``visits`` is not a DataFrame, lacks ``patient_id``, ``week`` or a requested column, has
        a visit without its week or two rows for one patient and week, or if ``columns`` is empty.

    Notes
    -----
    A summary over observed cases at a visit has as its denominator the patients seen at that
    visit, not the analysis set; say so wherever it is reported.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"patient_id": ["A", "A", "B"], "week": [0, 4, 0],
    ...                   "basdai": [6.0, 4.0, 5.0]})
    >>> s = AnalysisSet("s", "S", "all", ("A", "B"))
    >>> r = observed_cases(v, s, columns=["basdai"])
    >>> r.frame[["patient_id", "week", "basdai"]].values.tolist()
    [['A', 0.0, 6.0], ['A', 4.0, 4.0], ['B', 0.0, 5.0], ['B', 4.0, nan]]
    >>> r.label, r.n_imputed
    ('Observed cases', {'basdai': 0})
    """
    full, target = _grid(visits, analysis_set, list(columns), weeks)
    return _finish(full, full, list(columns), target, "observed", analysis_set)


def locf(
    visits: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    columns: Sequence[str],
    weeks: Iterable[float] | None = None,
) -> Imputed:
    r"""Last observation carried forward, within each patient, in week order.

    A value missing at a week is replaced by the last value observed at an earlier week (a
    baseline value counts). Values are never carried backwards.

    Parameters
    ----------
    visits : DataFrame
        Visits or scored visits with ``patient_id`` and ``week`` (weeks from the start of
        treatment), one row per patient and week; not modified.
    analysis_set : AnalysisSet
        The patients to cover; each gets one row per week even if not seen, and patients outside
        the set are left out.
    columns : sequence of str
        Outcome columns to carry (at least one), each a column of ``visits``.
    weeks : iterable of float, optional
        Weeks to cover; default every week present in ``visits``. A week no patient was seen at
        is allowed (its values are then all missing before imputation).

    Returns
    -------
    Imputed
        Labelled "Last observation carried forward (LOCF)"; ``<column>_imputed`` is True where a
        value was carried forward, and ``n_imputed`` counts them per column over the covered weeks.

    Raises
    ------
    InputError
        If ``visits`` is not a DataFrame, lacks ``patient_id``, ``week`` or a requested column, has
        a visit without its week or two rows for one patient and week, or if ``columns`` is empty.

    Notes
    -----
    For patient :math:`i` and week :math:`t`, with :math:`y_{is}` the value observed at week
    :math:`s` (all weeks of ``visits`` count, also those not covered),

    .. math:: \tilde y_{it} = y_{is^*}, \quad s^* = \max\{s \le t : y_{is} \text{ observed}\},

    and :math:`\tilde y_{it}` stays missing when no value is observed up to week :math:`t`. LOCF
    assumes the outcome would have stayed where it was last seen; the EMA guideline [1]_ describes
    when that is and is not conservative.

    References
    ----------
    .. [1] European Medicines Agency. Guideline on missing data in confirmatory clinical trials.
       EMA/CPMP/EWP/1776/99 Rev. 1, 2010.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"patient_id": ["A", "A", "B"], "week": [0, 4, 0],
    ...                   "basdai": [6.0, 4.0, 5.0]})
    >>> s = AnalysisSet("s", "S", "all", ("A", "B"))
    >>> r = locf(v, s, columns=["basdai"], weeks=[0, 4, 8])
    >>> r.frame["basdai"].tolist()
    [6.0, 4.0, 4.0, 5.0, 5.0, 5.0]
    >>> r.frame["basdai_imputed"].tolist()
    [False, False, True, False, True, True]
    """
    columns = list(columns)
    full, target = _grid(visits, analysis_set, columns, weeks)
    filled = full.copy()
    filled[columns] = full.groupby("patient_id", sort=False)[columns].ffill()
    return _finish(full, filled, columns, target, "locf", analysis_set)


def bocf(
    visits: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    columns: Sequence[str],
    weeks: Iterable[float] | None = None,
    baseline_week: float = 0,
) -> Imputed:
    r"""Baseline observation carried forward.

    A missing post-baseline value is replaced by the same column's value at ``baseline_week``.
    For a change column (``X_chg``, ``X_pchg``) the baseline row holds 0, so a carried-forward
    change is 0, as BOCF intends. Values before the baseline week are left as they are.

    Parameters
    ----------
    visits : DataFrame
        Visits or scored visits with ``patient_id`` and ``week`` (weeks from the start of
        treatment), one row per patient and week; not modified.
    analysis_set : AnalysisSet
        The patients to cover; each gets one row per week even if not seen, and patients outside
        the set are left out.
    columns : sequence of str
        Outcome columns to carry (at least one), each a column of ``visits``.
    weeks : iterable of float, optional
        Weeks to cover; default every week present in ``visits``. A week no patient was seen at
        is allowed (its values are then all missing before imputation).
    baseline_week : float, default 0
        The week whose value is carried forward; it must be a week of ``visits``.

    Returns
    -------
    Imputed
        Labelled "Baseline observation carried forward (BOCF)"; ``<column>_imputed`` is True
        where the baseline value was filled in.

    Raises
    ------
    InputError
        If ``baseline_week`` is not among the weeks of ``visits``, or
        ``visits`` is not a DataFrame, lacks ``patient_id``, ``week`` or a requested column, has
        a visit without its week or two rows for one patient and week, or ``columns`` is empty.

    Notes
    -----
    With :math:`b` the baseline week, for every week :math:`t > b`

    .. math:: \tilde y_{it} = y_{it} \text{ if observed, else } y_{ib},

    so a patient without a post-baseline value counts as unchanged from baseline. The EMA
    guideline [1]_ discusses BOCF among the single-imputation methods.

    References
    ----------
    .. [1] European Medicines Agency. Guideline on missing data in confirmatory clinical trials.
       EMA/CPMP/EWP/1776/99 Rev. 1, 2010.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"patient_id": ["A", "A", "B"], "week": [0, 4, 0],
    ...                   "basdai": [6.0, 4.0, 5.0]})
    >>> s = AnalysisSet("s", "S", "all", ("A", "B"))
    >>> r = bocf(v, s, columns=["basdai"], weeks=[4, 8])
    >>> r.frame[["patient_id", "week", "basdai", "basdai_imputed"]].values.tolist()
    [['A', 4.0, 4.0, False], ['A', 8.0, 6.0, True], ['B', 4.0, 5.0, True], ['B', 8.0, 5.0, True]]
    """
    columns = list(columns)
    full, target = _grid(visits, analysis_set, columns, weeks)
    if float(baseline_week) not in set(full["week"]):
        raise InputError(f"baseline_week {baseline_week} is not a week of the visits frame")
    base = full.loc[full["week"] == float(baseline_week)].set_index("patient_id")[columns]
    filled = full.copy()
    post = filled["week"] > float(baseline_week)
    for c in columns:
        fill = filled["patient_id"].map(base[c])
        filled[c] = filled[c].where(~(post & filled[c].isna()), fill)
    return _finish(full, filled, columns, target, "bocf", analysis_set)


def non_responder(
    visits: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    columns: Sequence[str],
    weeks: Iterable[float] | None = None,
) -> Imputed:
    r"""Non-responder imputation for binary response columns.

    A response that is missing (visit not done, patient withdrawn, or the criterion not
    evaluable) becomes False. The columns must hold booleans (nullable or not).

    Parameters
    ----------
    visits : DataFrame
        Visits or scored visits with ``patient_id`` and ``week`` (weeks from the start of
        treatment), one row per patient and week; not modified.
    analysis_set : AnalysisSet
        The patients to cover; each gets one row per week even if not seen, and patients outside
        the set are left out.
    columns : sequence of str
        Response columns (True, False or missing; at least one), each a column of ``visits``.
    weeks : iterable of float, optional
        Weeks to cover; default every week present in ``visits``. A week no patient was seen at
        is allowed (its values are then all missing before imputation).

    Returns
    -------
    Imputed
        Labelled "Non-responder imputation (NRI)"; the response columns hold True or False only
        (nullable ``boolean``), and ``<column>_imputed`` is True where a missing response became False.

    Raises
    ------
    InputError
        If a column holds anything other than True, False (or 1, 0) or missing, or
        ``visits`` is not a DataFrame, lacks ``patient_id``, ``week`` or a requested column, has
        a visit without its week or two rows for one patient and week, or ``columns`` is empty.

    Notes
    -----
    The response rate over the analysis set is then the number of observed responders divided
    by all patients of the set,

    .. math:: \hat p = \frac{\#\{i : \text{response observed and True}\}}{n_{\text{set}}},

    the conservative choice for a responder analysis: a patient who withdrew counts as a
    treatment failure [1]_.

    References
    ----------
    .. [1] European Medicines Agency. Guideline on missing data in confirmatory clinical trials.
       EMA/CPMP/EWP/1776/99 Rev. 1, 2010.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"patient_id": ["A", "B"], "week": [24, 24],
    ...                   "asas20": pd.array([True, pd.NA], dtype="boolean")})
    >>> s = AnalysisSet("s", "S", "all", ("A", "B", "C"))
    >>> r = non_responder(v, s, columns=["asas20"], weeks=[24])
    >>> r.frame["asas20"].tolist(), r.n_imputed["asas20"]
    ([True, False, False], 2)
    """
    columns = list(columns)
    full, target = _grid(visits, analysis_set, columns, weeks)
    filled = full.copy()
    for c in columns:
        col = full[c]
        ok = col.isna() | col.isin([True, False, 0, 1])
        if not ok.all():
            bad = col[~ok].unique().tolist()[:5]
            raise InputError(f"non-responder imputation needs a True/False column; {c!r} holds {bad}")
        filled[c] = col.astype("boolean").fillna(False)
    return _finish(full, filled, columns, target, "nri", analysis_set)


_IMPUTERS: Mapping[str, Callable[..., Imputed]] = MappingProxyType(
    {"observed": observed_cases, "locf": locf, "bocf": bocf, "nri": non_responder}
)


def impute(
    visits: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    method: ImputationMethod,
    columns: Sequence[str],
    weeks: Iterable[float] | None = None,
    **options: object,
) -> Imputed:
    """Dispatch to one imputation by its key: ``"observed"``, ``"locf"``, ``"bocf"`` or ``"nri"``.

    ``method`` has no default, so the choice is always explicit. ``options`` go to the method
    (``baseline_week`` for BOCF).

    Parameters
    ----------
    visits : DataFrame
        Visits or scored visits with ``patient_id`` and ``week`` (weeks from the start of
        treatment), one row per patient and week; not modified.
    analysis_set : AnalysisSet
        The patients to cover; each gets one row per week even if not seen, and patients outside
        the set are left out.
    method : {"observed", "locf", "bocf", "nri"}
        The imputation (the keys of :data:`IMPUTATIONS`): :func:`observed_cases`, :func:`locf`,
        :func:`bocf` or :func:`non_responder`.
    columns : sequence of str
        Outcome columns to carry (response columns for ``"nri"``).
    weeks : iterable of float, optional
        Weeks to cover; default every week present in ``visits``.
    **options
        Passed to the method: ``baseline_week`` (float, default 0) for ``"bocf"``; the other
        methods take none.

    Returns
    -------
    Imputed
        What the chosen method returns, carrying its :class:`Imputation` (method, label, definition).

    Raises
    ------
    InputError
        If ``method`` is unknown, or as the chosen method raises.
    TypeError
        If ``options`` holds an argument the method does not take.

    Examples
    --------
    In the reference study 13 patients were enrolled and 8 were seen at week 24; carrying the
    last CRP forward fills in the 5 who withdrew (T03, T06, T07 after adverse events, T08 and T12
    for lack of efficacy):

    >>> from axspa.analysis_sets import all_enrolled
    >>> from axspa.studies import thalidomide_2003
    >>> study = thalidomide_2003.load()
    >>> enrolled = all_enrolled(study.patients)
    >>> r = impute(study.visits, enrolled, method="locf", columns=["crp_mg_l"], weeks=[24])
    >>> r.label, len(r.frame), r.n_imputed
    ('Last observation carried forward (LOCF)', 13, {'crp_mg_l': 5})
    >>> r.frame.loc[r.frame["crp_mg_l_imputed"], "patient_id"].tolist()
    ['T03', 'T06', 'T07', 'T08', 'T12']
    """
    try:
        fn = _IMPUTERS[method]
    except KeyError:
        raise InputError(f"unknown imputation method {method!r}; expected one of {list(_IMPUTERS)}") from None
    return fn(visits, analysis_set, columns=columns, weeks=weeks, **options)
