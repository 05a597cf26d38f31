r"""Change from baseline per arm and visit in a controlled trial, with the between-arm comparison.

Three layers of numbers, each named in the table: the observed values and changes per arm and visit (mean and SD);
the model-based comparison, a mixed model for repeated measures (MMRM) over the post-baseline visits or an ANCOVA
at each visit, giving LS means per arm and their differences against the control arm; and, as the small-sample
alternative without a model, the exact Wilcoxon rank-sum test of change at each visit with the Hodges-Lehmann
shift and its exact interval.

References
----------
.. [1] Mallinckrodt CH, Lane PW, Schnell D, Peng Y, Mancuso JP. Recommendations for the primary analysis of
   continuous endpoints in longitudinal clinical trials. Drug Inf J 2008;42:303-319.
.. [2] European Medicines Agency. Guideline on adjustment for baseline covariates in clinical trials.
   EMA/CHMP/295050/2013, 2015.
.. [3] Hodges JL, Lehmann EL. Estimates of location based on rank tests. Ann Math Stat 1963;34:598-611.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet
from axspa.design import StudyDesign
from axspa.errors import ComputationError, InputError
from axspa.imputation import IMPUTATIONS, impute
from axspa.measures import MeasureRegistry
from axspa.options import CHANGE_MODELS, COVARIANCE_STRUCTURES, ChangeModel, CovarianceStructure, SignedRankMethod
from axspa.report.format import fmt_num, fmt_p
from axspa.report.labels import label_of
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import (
    Progress,
    _arm_parts,
    _arms_note,
    _columns,
    _groups,
    _level,
    _need,
    _option,
    _set_note,
    _statistics,
    _summary,
    _tick,
    _weeks,
)
from axspa.report.tables.outcomes import ASYMPTOTIC_MARK
from axspa.stats import RANK_SUM_AUTO_EXACT_MAX_N, ancova, mmrm, wilcoxon_rank_sum
from axspa.stats.rank_sum import RANK_SUM_METHODS

__all__ = ["DEFAULT_CHANGE_MEASURES", "change_by_arm_numbers", "change_by_arm_table", "change_by_arm_view"]

_NAME = "change_by_arm"

DEFAULT_CHANGE_MEASURES: tuple[str, ...] = ("basdai", "basfi", "basg", "asdas_crp")
"""Continuous indices compared between arms by default (those present in the data)."""

_OBSERVED = IMPUTATIONS["observed"].label
_MMRM_MISSING = "None: MMRM on all observed visits (missing at random)"
_VALUE_METHOD = "mean and SD (n - 1) of the observed values of the arm at the visit"
_CHANGE_METHOD = (
    "mean and SD (n - 1) of the change from baseline (visit minus baseline) over the patients of the arm with a "
    "value at baseline and at the visit"
)


@dataclass
class _Run:
    """What one computation gives besides the tidy rows: the model used and the notes it calls for."""

    model: str
    strata: tuple[str, ...]
    not_fitted: list[str] = field(default_factory=list)
    not_tested: list[str] = field(default_factory=list)
    no_baseline: list[str] = field(default_factory=list)


def change_by_arm_table(
    scored: pd.DataFrame,
    population: AnalysisSet,
    design: StudyDesign,
    *,
    measures: Sequence[str] | None = None,
    baseline_week: float = 0,
    weeks: Sequence[float] | None = None,
    model: ChangeModel = "auto",
    covariance: CovarianceStructure = "unstructured",
    confidence_level: float = 0.95,
    rank_sum: bool = True,
    rank_sum_method: SignedRankMethod = "auto",
    patients: pd.DataFrame | None = None,
    digits: int = 2,
    registry: MeasureRegistry | None = None,
    progress: Progress | None = None,
) -> Table:
    r"""Change from baseline per arm and visit, and each experimental arm against the control arm.

    Parameters
    ----------
    scored : DataFrame
        Scored visits: ``patient_id``, ``week`` and the numeric measure columns.
    population : AnalysisSet
        The analysis set, carrying each patient's arm (:func:`axspa.analysis_sets.controlled_sets`; the full
        analysis set for the primary analysis).
    design : StudyDesign
        The study's design: arms in display order, the control arm and the stratification factors.
    measures : sequence of str, optional
        Numeric columns (a study's own measures too); default those of :data:`DEFAULT_CHANGE_MEASURES` present
        in ``scored`` (BASDAI, BASFI, BAS-G, ASDAS-CRP).
    baseline_week : float
        The baseline visit.
    weeks : sequence of float, optional
        Post-baseline visits; default every visit after ``baseline_week`` in ``scored``.
    model : {"auto", "mmrm", "ancova"}
        ``"auto"``: an MMRM over the visits when there are at least two post-baseline visits, an ANCOVA at a single
        one. ``"mmrm"``: the MMRM (at least two visits). ``"ancova"``: an ANCOVA at each visit separately.
    covariance : {"unstructured", "compound_symmetry", "heterogeneous_ar1"}
        Within-patient covariance of the MMRM (default unstructured).
    confidence_level : float
        Of every interval, in (0, 1).
    rank_sum : bool
        Also give the Wilcoxon rank-sum test of change at each visit with the Hodges-Lehmann shift and its
        interval (default True).
    rank_sum_method : {"auto", "exact", "asymptotic"}
        Method of the rank-sum test and of the shift's interval. ``"auto"`` (default): exact conditional given
        ties when the two arms hold at most ``RANK_SUM_AUTO_EXACT_MAX_N`` (200) changes at the visit, where the
        exact test and interval take about 35 ms each, normal approximation with tie-corrected variance above;
        ``"exact"`` at any size. Each row's ``method`` records the method used.
    patients : DataFrame, optional
        Patients frame with ``patient_id`` and the design's strata columns; needed when the design has strata
        and ``scored`` does not carry them.
    digits : int
        Decimals of means, SDs, LS means and differences in the view (p-values get 4).
    registry : MeasureRegistry, optional
        Where measure labels come from (a study's registry also labels its own measures).
    progress : callable, optional
        Called with a short line as each measure starts (the models and tests of a registry-size cohort take
        seconds per measure); default silent.

    Returns
    -------
    Table
        Named ``"change_by_arm"``. Tidy rows per measure, arm and visit: ``n``, ``mean``, ``sd`` (observed
        values), ``chg_n``, ``chg_mean``, ``chg_sd`` (observed change), ``lsmean``, ``lsmean_se`` (model); per
        comparison (``arm`` ``"<code> vs <control code>"``) and visit: ``difference``, ``difference_se``,
        ``difference_ci_low``, ``difference_ci_high``, ``df``, ``pvalue`` (model), and with ``rank_sum``:
        ``rank_sum_pvalue``, ``shift``, ``shift_ci_low``, ``shift_ci_high``, ``shift_ci_achieved_confidence``.
        Each row's ``method`` names how it was obtained and ``imputation`` how missing values were handled.

    Raises
    ------
    InputError
        A missing or non-numeric column, a week that is not a visit or not after baseline, an unknown option,
        ``model="mmrm"`` with one post-baseline visit, a study without arms or control arm, a population without
        arms or with an empty arm, strata that cannot be found or are missing for a patient.

    Notes
    -----
    MMRM (:func:`axspa.stats.mmrm`, [1]_): for patient :math:`i` at visit :math:`j`, with baseline :math:`x_i`,

    .. math::

        y_{ij} - x_i = \mu + \tau_{a(i)} + \nu_j + (\tau\nu)_{a(i)j} + \beta x_i + (\beta\nu)_j x_i
                       [+ \text{strata}] + e_{ij}, \qquad e_i \sim N(0, \Sigma),

    :math:`\Sigma` unstructured by default, fitted by REML on every observed post-baseline visit of the patients
    with a baseline value (missing at random, nothing imputed); Satterthwaite degrees of freedom. ANCOVA
    (:func:`axspa.stats.ancova`, [2]_) at a visit: :math:`y_i - x_i = \mu + \tau_{a(i)} + \beta x_i
    [+ \text{strata}] + \varepsilon_i` over the patients with a value at baseline and at the visit (observed
    cases), t intervals on the residual degrees of freedom. LS means at the mean baseline of the rows analysed,
    strata averaged with equal weights. A model that does not converge, or cannot be fitted to the data (a visit
    with fewer than two changes, a singular design), gives no rows: the notes say which and why.

    Rank-sum (:func:`axspa.stats.wilcoxon_rank_sum`): the two-sided test of the changes observed at the visit
    in the arm against the control arm, exact conditional given ties or asymptotic by ``rank_sum_method``; the
    shift is the median of all pairwise differences [3]_ (by selection, never listing them), its interval by
    the same method as the test (an infinite limit when the arms are too small to exclude any shift on that
    side at the level).

    Examples
    --------
    >>> import pandas as pd
    >>> from axspa.analysis_sets import AnalysisSet
    >>> from axspa.design import Arm, StudyDesign
    >>> d = StudyDesign(arms=(Arm("active", "Active"), Arm("placebo", "Placebo")), control="placebo")
    >>> ids = ["A1", "A2", "A3", "P1", "P2", "P3"]
    >>> fas = AnalysisSet("fas", "FAS", "all randomised", tuple(ids), arms=("active",) * 3 + ("placebo",) * 3)
    >>> scored = pd.DataFrame({"patient_id": ids * 2, "week": [0] * 6 + [12] * 6,
    ...                        "basdai": [6.0, 5.0, 7.0, 6.0, 5.0, 7.0, 3.0, 3.5, 4.0, 5.5, 5.0, 6.0]})
    >>> t = change_by_arm_table(scored, fas, d, measures=["basdai"])
    >>> t.value(arm="active", week=12.0, statistic="chg_mean")
    -2.5
    >>> round(t.value(arm="active vs placebo", week=12.0, statistic="difference"), 4)
    -2.0
    """
    data, run = _compute(
        scored,
        population,
        design,
        measures=measures,
        baseline_week=baseline_week,
        weeks=weeks,
        model=model,
        covariance=covariance,
        confidence_level=confidence_level,
        rank_sum=rank_sum,
        rank_sum_method=rank_sum_method,
        patients=patients,
        progress=progress,
    )
    parts = population.by_arm(design)
    level = fmt_num(100 * confidence_level, None)
    strata = f" + {' + '.join(run.strata)} (stratification factors)" if run.strata else ""
    notes = [
        _set_note(population) + f" By arm: {_arms_note(parts, design)}.",
        f"Observed values: mean ± SD (n - 1) over the patients of the arm with a value at the visit (observed "
        f"cases, nothing imputed). Change = visit minus baseline (week {fmt_num(baseline_week, None)}), over the "
        "patients with a value at both.",
    ]
    if run.model == "mmrm":
        notes.append(
            "LS mean change and difference: mixed model for repeated measures (MMRM), fitted by REML: change = arm "
            f"+ visit + arm × visit + baseline + baseline × visit{strata}, {covariance.replace('_', ' ')} "
            "covariance of the visits within a patient, Satterthwaite degrees of freedom, t intervals "
            f"({level}%). LS means at the mean baseline"
            + (", strata averaged with equal weights" if run.strata else "")
            + ". Missing data: every observed post-baseline visit of each patient with a baseline value is used and "
            "none is imputed (valid when data are missing at random)."
        )
    else:
        notes.append(
            f"LS mean change and difference: ANCOVA (ordinary least squares) at each visit: change = arm + "
            f"baseline{strata}, t intervals ({level}%) and p on the residual degrees of freedom. LS means at the "
            "mean baseline" + (", strata averaged with equal weights" if run.strata else "") + ". Missing data: "
            "observed cases at the visit (patients with a value at baseline and at the visit); nothing imputed."
        )
    if rank_sum:
        asymptotic = int(data["method"].str.startswith(_ASYMPTOTIC_TEST).sum())
        tested = int((data["statistic"] == "rank_sum_pvalue").sum())
        notes.append(
            "HL shift and rank-sum p (the small-sample alternative, no model): Wilcoxon rank-sum test, two-sided, "
            "of the change at each visit, arm against the control arm, observed cases; Hodges-Lehmann shift = "
            f"median of all pairwise differences (arm minus control), {level}% interval by inverting the test (an "
            f"infinite limit: too few patients to exclude any shift on that side). Method: "
            f"{RANK_SUM_METHOD_TEXT[rank_sum_method]}"
            + (
                f"; {ASYMPTOTIC_MARK} marks the {asymptotic} of {tested} p-values and intervals that are asymptotic, "
                "unmarked ones are exact."
                if asymptotic
                else "; every p-value and interval here is exact."
            )
        )
    notes.append(
        "Differences and shifts: arm minus control arm; a negative change is an improvement for "
        "measures where lower is better."
    )
    notes.extend(run.not_fitted)
    notes.extend(run.not_tested)
    if run.no_baseline:
        notes.append("No baseline value, so not in the change analyses: " + "; ".join(run.no_baseline) + ".")
    return Table(
        name=_NAME,
        title=f"Change from baseline by arm ({population.label}; {'MMRM' if run.model == 'mmrm' else 'ANCOVA'})",
        data=data,
        view=change_by_arm_view(data, design, baseline_week=baseline_week, digits=digits, registry=registry),
        notes=tuple(notes),
        meta={"population": f"{population.label} (n = {population.n})", "model": run.model.upper()},
    )


def change_by_arm_numbers(
    scored: pd.DataFrame,
    population: AnalysisSet,
    design: StudyDesign,
    *,
    measures: Sequence[str] | None = None,
    baseline_week: float = 0,
    weeks: Sequence[float] | None = None,
    model: ChangeModel = "auto",
    covariance: CovarianceStructure = "unstructured",
    confidence_level: float = 0.95,
    rank_sum: bool = True,
    rank_sum_method: SignedRankMethod = "auto",
    patients: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The tidy, unrounded numbers of :func:`change_by_arm_table` (see there)."""
    return _compute(
        scored,
        population,
        design,
        measures=measures,
        baseline_week=baseline_week,
        weeks=weeks,
        model=model,
        covariance=covariance,
        confidence_level=confidence_level,
        rank_sum=rank_sum,
        rank_sum_method=rank_sum_method,
        patients=patients,
    )[0]


def _compute(
    scored: pd.DataFrame,
    population: AnalysisSet,
    design: StudyDesign,
    *,
    measures: Sequence[str] | None,
    baseline_week: float,
    weeks: Sequence[float] | None,
    model: ChangeModel,
    covariance: CovarianceStructure,
    confidence_level: float,
    rank_sum: bool,
    rank_sum_method: SignedRankMethod = "auto",
    patients: pd.DataFrame | None,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, _Run]:
    _need(scored, ["patient_id", "week"], "scored visits")
    _option("model", model, CHANGE_MODELS)
    _option("covariance", covariance, COVARIANCE_STRUCTURES)
    _option("rank_sum", rank_sum, (True, False))
    _option("rank_sum_method", rank_sum_method, RANK_SUM_METHODS)
    level = _level(confidence_level)
    parts = _arm_parts(population, design, "change_by_arm_table")
    measures = _measures(scored, measures)
    base_week = _weeks(scored, [baseline_week], "baseline_week")[0]
    if weeks is None:
        post = sorted(w for w in set(pd.to_numeric(scored["week"]).astype(float)) if w > base_week)
        if not post:
            raise InputError(f"the scored visits have no visit after baseline_week {base_week:g}")
    else:
        post = sorted(_weeks(scored, weeks, "weeks"))
        early = [w for w in post if w <= base_week]
        if early:
            raise InputError(f"weeks must be after baseline_week {base_week:g}; got {early}")
    chosen = model if model != "auto" else ("mmrm" if len(post) >= 2 else "ancova")
    if chosen == "mmrm" and len(post) < 2:
        raise InputError(f"model='mmrm' needs at least two post-baseline visits; got week {post[0]:g} only")
    strata = _strata(scored, population, design, patients)
    run = _Run(model=chosen, strata=tuple(strata.columns))
    frame = impute(scored, population, method="observed", columns=measures, weeks=[base_week, *post]).frame
    arm_of = population.arm_of()
    rows: list[dict[str, Any]] = []
    for m in measures:
        _tick(progress, f"change from baseline by arm: {label_of(m)} ({chosen}{', rank-sum' if rank_sum else ''})")
        wide = frame.pivot(index="patient_id", columns="week", values=m).reindex(list(population.patient_ids))
        base = wide[base_week].astype(float)
        common = dict(table=_NAME, variable=m, level="", population=population.label)
        for w in [base_week, *post]:
            for code, part in parts.items():
                ids = list(part.patient_ids)
                at = _summary(wide.loc[ids, w].dropna().astype(float))
                cell = {**common, "week": w, "arm": code, "imputation": _OBSERVED}
                rows.extend(
                    {**cell, "statistic": k, "value": v, "denominator": at.n, "method": _VALUE_METHOD}
                    for k, v in (("n", at.n), ("mean", at.mean), ("sd", at.sd))
                )
                if w != base_week:
                    chg = _summary((wide.loc[ids, w].astype(float) - base.loc[ids]).dropna())
                    rows.extend(
                        {**cell, "statistic": k, "value": v, "denominator": chg.n, "method": _CHANGE_METHOD}
                        for k, v in (("chg_n", chg.n), ("chg_mean", chg.mean), ("chg_sd", chg.sd))
                    )
        long = pd.DataFrame(
            {
                "patient_id": np.repeat(wide.index.to_numpy(), len(post)),
                "arm": np.repeat([arm_of[p] for p in wide.index], len(post)),
                "week": np.tile(np.array(post, dtype=float), len(wide)),
                "baseline": np.repeat(base.to_numpy(), len(post)),
                "change": (wide[post].to_numpy(dtype=float) - base.to_numpy()[:, None]).ravel(),
            }
        )
        lost = long.loc[long["baseline"].isna() & wide[post].notna().to_numpy().ravel(), "patient_id"].nunique()
        if lost:
            run.no_baseline.append(f"{label_of(m)}: {lost} patient(s)")
        long = long.dropna(subset=["baseline", "change"]).join(strata, on="patient_id").reset_index(drop=True)
        rows.extend(_model_rows(long, m, common, run, design=design, covariance=covariance, level=level))
        if rank_sum:
            rows.extend(
                _rank_sum_rows(long, m, common, run, design=design, post=post, level=level, method=rank_sum_method)
            )
    return tidy_frame(rows), run


def _measures(scored: pd.DataFrame, measures: Sequence[str] | None) -> list[str]:
    """The measure columns: given, or the default ones present; each numeric."""
    chosen = _columns(scored, measures, DEFAULT_CHANGE_MEASURES, "measures")
    for m in chosen:
        dtype = scored[m].dtype
        if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
            raise InputError(f"measure {m!r} must be a numeric column (NaN for missing); got dtype {dtype}")
    return chosen


def _strata(
    scored: pd.DataFrame, population: AnalysisSet, design: StudyDesign, patients: pd.DataFrame | None
) -> pd.DataFrame:
    """The design's strata per patient of the population (index patient_id; no column without strata)."""
    strata = list(design.strata)
    ids = pd.Index(list(population.patient_ids), name="patient_id")
    if not strata:
        return pd.DataFrame(index=ids)
    if patients is not None:
        _need(patients, ["patient_id", *strata], "patients")
        source = patients.assign(patient_id=patients["patient_id"].astype(str)).drop_duplicates("patient_id")
    elif all(s in scored.columns for s in strata):
        source = scored.assign(patient_id=scored["patient_id"].astype(str)).dropna(subset=strata)
        source = source.drop_duplicates("patient_id")
    else:
        raise InputError(
            f"the design is stratified by {strata}, which the scored visits do not hold: pass the patients frame "
            "(patients=...) with these columns"
        )
    values = source.set_index("patient_id")[strata].reindex(ids).astype("string")
    missing = values.index[values.isna().any(axis=1)].tolist()
    if missing:
        raise InputError(f"stratification factor(s) {strata} missing for patient(s) {missing[:10]}")
    return values.astype(object)


def _model_rows(
    long: pd.DataFrame,
    measure: str,
    common: Mapping[str, Any],
    run: _Run,
    *,
    design: StudyDesign,
    covariance: CovarianceStructure,
    level: float,
) -> list[dict[str, Any]]:
    """LS means per arm and visit and their differences against the control arm, or a note why there are none."""
    control = design.require_control()
    strata = list(run.strata)
    words = " + strata" if strata else ""
    fits: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, str, str]] = []
    if run.model == "mmrm":
        try:
            res = mmrm(
                long,
                outcome="change",
                subject="patient_id",
                visit="week",
                treatment="arm",
                covariates=strata,
                baseline="baseline",
                covariance=covariance,
                df="satterthwaite",
                reference=control,
                confidence_level=level,
            )
        except (ComputationError, InputError) as exc:
            run.not_fitted.append(f"{label_of(measure)}: the MMRM was not fitted, so no LS means are shown: {exc}")
            return []
        method = f"{res.method}; change ~ arm * visit + baseline * visit{words}"
        fits.append((res.lsmeans, res.differences, long, method, _MMRM_MISSING))
    else:
        for w in sorted(set(long["week"].astype(float))):
            at = long.loc[long["week"] == w]
            try:
                res_a = ancova(
                    at,
                    outcome="change",
                    treatment="arm",
                    covariates=["baseline"],
                    strata=strata,
                    reference=control,
                    confidence_level=level,
                )
            except (ComputationError, InputError) as exc:
                run.not_fitted.append(
                    f"{label_of(measure)} week {fmt_num(w, None)}: the ANCOVA was not fitted, so no LS means "
                    f"are shown: {exc}"
                )
                continue
            method = f"{res_a.method}; change ~ arm + baseline{words} at the visit"
            fits.append((res_a.lsmeans.assign(week=w), res_a.differences.assign(week=w), at, method, _OBSERVED))
    rows: list[dict[str, Any]] = []
    for lsmeans, differences, used, method, imputation in fits:
        size = used.groupby("arm")["patient_id"].nunique()
        cell = {**common, "imputation": imputation, "method": method}
        for r in lsmeans.to_dict("records"):
            n = int(size.get(r["arm"], 0))
            rows.extend(
                {**cell, "week": float(r["week"]), "arm": r["arm"], "statistic": k, "value": r[key], "denominator": n}
                for k, key in (("lsmean", "estimate"), ("lsmean_se", "se"))
            )
        for r in differences.to_dict("records"):
            n = int(size.get(r["arm"], 0) + size.get(control, 0))
            rows.extend(
                {
                    **cell,
                    "week": float(r["week"]),
                    "arm": f"{r['arm']} vs {control}",
                    "statistic": k,
                    "value": r[key],
                    "denominator": n,
                }
                for k, key in (
                    ("difference", "estimate"),
                    ("difference_se", "se"),
                    ("difference_ci_low", "low"),
                    ("difference_ci_high", "high"),
                    ("df", "df"),
                    ("pvalue", "pvalue"),
                )
            )
    return rows


def _rank_sum_rows(
    long: pd.DataFrame,
    measure: str,
    common: Mapping[str, Any],
    run: _Run,
    *,
    design: StudyDesign,
    post: Sequence[float],
    level: float,
    method: str,
) -> list[dict[str, Any]]:
    """The rank-sum test of change and the Hodges-Lehmann shift, per comparison and visit."""
    control = design.require_control()
    pct = fmt_num(100 * level, None)
    rows: list[dict[str, Any]] = []
    for code in design.experimental:
        for w in post:
            at = long.loc[long["week"] == w]
            x = at.loc[at["arm"] == code, "change"].to_numpy(dtype=float)
            y = at.loc[at["arm"] == control, "change"].to_numpy(dtype=float)
            where = f"{label_of(measure)} week {fmt_num(w, None)}, {design.comparison_label(code)}"
            if not (x.size and y.size):
                run.not_tested.append(f"Rank-sum test not done ({where}): no observed change in an arm.")
                continue
            try:
                res = wilcoxon_rank_sum(x, y, method=method)
                hl = res.hodges_lehmann(level, method=res.method)  # the interval by the method the test used
            except ComputationError as exc:
                run.not_tested.append(f"Rank-sum test not done ({where}): {exc}")
                continue
            cell = {
                **common,
                "week": w,
                "arm": f"{code} vs {control}",
                "denominator": x.size + y.size,
                "imputation": _OBSERVED,
            }
            if res.method == "exact":
                test_text = "Wilcoxon rank-sum test of change, exact conditional distribution given ties, two-sided"
                shift_text = (
                    f"Hodges-Lehmann shift of change ({code} minus {control}), exact {pct}% CI by inverting the "
                    "rank-sum test"
                )
            else:
                test_text = f"{_ASYMPTOTIC_TEST}, normal approximation with tie-corrected variance, two-sided"
                shift_text = (
                    f"Hodges-Lehmann shift of change ({code} minus {control}), asymptotic {pct}% CI by inverting "
                    "the rank-sum test (normal critical value, tie-corrected variance)"
                )
            rows.append({**cell, "statistic": "rank_sum_pvalue", "value": res.pvalue, "method": test_text})
            rows.extend(
                {**cell, "statistic": k, "value": v, "method": shift_text}
                for k, v in (
                    ("shift", hl.estimate),
                    ("shift_ci_low", hl.low),
                    ("shift_ci_high", hl.high),
                    ("shift_ci_achieved_confidence", hl.achieved_confidence),
                )
            )
    return rows


_ASYMPTOTIC_TEST = "Wilcoxon rank-sum test of change (asymptotic)"

RANK_SUM_METHOD_TEXT: dict[str, str] = {
    "auto": (
        f"'auto', the exact Wilcoxon rank-sum test (conditional distribution given ties) when the two arms hold at "
        f"most {RANK_SUM_AUTO_EXACT_MAX_N} changes at the visit, the normal approximation with tie-corrected "
        "variance above"
    ),
    "exact": "the exact Wilcoxon rank-sum test (conditional distribution given ties) at every size",
    "asymptotic": "the normal approximation with tie-corrected variance, no continuity correction",
}
"""The rank-sum method of the plan in words, for the table notes and the methods."""


def _limit(x: float, digits: int) -> str:
    """A confidence limit: infinite ones written out (an exact interval can be open on one side)."""
    if np.isinf(x):
        return "-inf" if x < 0 else "inf"
    return fmt_num(x, digits)


def change_by_arm_view(
    data: pd.DataFrame,
    design: StudyDesign,
    *,
    baseline_week: float = 0,
    digits: int = 2,
    registry: MeasureRegistry | None = None,
) -> pd.DataFrame:
    """The formatted view of :func:`change_by_arm_numbers`' tidy frame.

    One row per measure and visit. Per arm: the observed mean ± SD (n), the observed change ± SD (n) and the LS
    mean change (SE); the model used; per comparison: the LS mean difference (CI) and its p, the Hodges-Lehmann
    shift (CI) and the rank-sum p (headed by the comparison's labels when there is more than one comparison).
    """
    control = design.require_control()
    several = len(design.experimental) > 1

    def ms(st: Mapping[str, float], mean: str, sd: str, n: str) -> str:
        if n not in st:
            return ""
        if st[n] == 0:
            return "- (0)"
        return f"{fmt_num(st[mean], digits)} ± {fmt_num(st[sd], digits)} ({int(st[n])})"

    def est_ci(st: Mapping[str, float], est: str, low: str, high: str) -> str:
        if est not in st:
            return ""
        return f"{fmt_num(st[est], digits)} ({_limit(st[low], digits)} to {_limit(st[high], digits)})"

    view: list[dict[str, str]] = []
    for measure, week in _groups(data, "variable", "week"):
        here = data.loc[(data["variable"] == measure) & (data["week"] == week)]
        is_base = float(week) == float(baseline_week)  # type: ignore[arg-type]
        row = {
            "Measure": label_of(str(measure), registry),
            "Week": fmt_num(float(week), None) + (" (baseline)" if is_base else ""),  # type: ignore[arg-type]
        }
        for code in design.codes:
            st = _statistics(here, arm=code)
            label = design.label(code)
            row[f"{label}: mean ± SD (n)"] = ms(st, "mean", "sd", "n")
            row[f"{label}: change ± SD (n)"] = ms(st, "chg_mean", "chg_sd", "chg_n")
            row[f"{label}: LS mean change (SE)"] = (
                f"{fmt_num(st['lsmean'], digits)} ({fmt_num(st['lsmean_se'], digits)})" if "lsmean" in st else ""
            )
        fitted = here.loc[here["statistic"] == "lsmean", "method"]
        row["Model"] = "" if is_base else (str(fitted.iloc[0]).split(" ")[0] if len(fitted) else "not fitted")
        for code in design.experimental:
            st = _statistics(here, arm=f"{code} vs {control}")
            prefix = f"{design.comparison_label(code)}: " if several else ""
            row[f"{prefix}LS mean difference (CI)"] = est_ci(
                st, "difference", "difference_ci_low", "difference_ci_high"
            )
            row[f"{prefix}p (model)"] = fmt_p(st["pvalue"]) if "pvalue" in st else ""
            tested = here.loc[(here["arm"] == f"{code} vs {control}") & (here["statistic"] == "rank_sum_pvalue")]
            mark = f" {ASYMPTOTIC_MARK}" if tested["method"].str.startswith(_ASYMPTOTIC_TEST).any() else ""
            row[f"{prefix}HL shift (CI)"] = est_ci(st, "shift", "shift_ci_low", "shift_ci_high") + (
                mark if "shift" in st else ""
            )
            row[f"{prefix}p (rank-sum)"] = fmt_p(st["rank_sum_pvalue"]) + mark if "rank_sum_pvalue" in st else ""
        view.append(row)
    return pd.DataFrame(view)
