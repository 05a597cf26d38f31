"""Continuous outcomes by visit: mean ± SD, change from baseline, Hodges-Lehmann and signed-rank test."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet
from axspa.errors import ConfidenceLevelWarning, InputError
from axspa.imputation import Imputed, impute
from axspa.measures import MeasureRegistry
from axspa.options import CONTINUOUS_IMPUTATIONS, ContinuousImputation
from axspa.report.format import fmt_num, fmt_p
from axspa.report.labels import label_of
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import (
    Progress,
    _columns,
    _groups,
    _need,
    _set_note,
    _statistics,
    _summary,
    _tick,
)
from axspa.stats import SignedRankConvention
from axspa.units import from_canonical

__all__ = ["DEFAULT_MEASURES", "outcomes_numbers", "outcomes_table", "outcomes_view"]


DEFAULT_MEASURES: tuple[str, ...] = (
    "basdai",
    "basfi",
    "basg",
    "asdas_crp",
    "esr_mm_h",
    "crp_mg_l",
    "iga_g_l",
)
"""Outcomes shown by default (those present in the data)."""


def outcomes_table(
    scored: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    measures: Sequence[str] | None = None,
    weeks: Sequence[float] | None = None,
    baseline_week: float = 0,
    imputation: ContinuousImputation = "observed",
    test: SignedRankConvention | None = None,
    confidence_level: float = 0.95,
    display_units: Mapping[str, str] | None = None,
    digits: int = 2,
    registry: MeasureRegistry | None = None,
    progress: Progress | None = None,
) -> Table:
    """Continuous outcomes: mean ± SD at each visit, and each visit against baseline.

    For every measure and visit the table gives n, mean and SD over the patients with a value at
    that visit (the visit summary, which the mean ± SD figure plots), and over the patients with a
    value at both baseline and that visit (the paired sample): baseline and visit mean ± SD, the
    mean change ± SD, the Hodges-Lehmann estimate of the change with its exact confidence interval,
    and the Wilcoxon signed-rank statistic and p-value under the stated convention.

    Parameters
    ----------
    scored : DataFrame
        Scored visits (``patient_id``, ``week`` and the measure columns).
    analysis_set : AnalysisSet
        Patients analysed.
    measures : sequence of str, optional
        Outcome columns; default those of :data:`DEFAULT_MEASURES` present in ``scored``.
    weeks : sequence of float, optional
        Visits to show; default every week in ``scored``. The baseline week is always included.
    baseline_week : float
        The visit used as baseline.
    imputation : {"observed", "locf", "bocf"}
        How missing values are handled (see :mod:`axspa.imputation`).
    test : SignedRankConvention, optional
        Convention of the signed-rank test; default exact conditional, zeros dropped, no continuity
        correction, two-sided.
    confidence_level : float
        Of the Hodges-Lehmann interval.
    display_units : mapping, optional
        Show a canonical column in another accepted input unit, e.g. ``{"crp_mg_l": "crp_mg_dl"}``
        (converted with :func:`axspa.units.from_canonical`).
    digits : int
        Decimals of means and SDs in the view (p-values get 4).
    registry : MeasureRegistry, optional
        Where the labels come from: a study's registry (``LoadedStudy.registry``) also labels the
        measures the study declares; default the built-in registry.
    progress : callable, optional
        Called with a short line as each measure starts (exact tests and intervals of a large cohort take
        seconds per measure); default silent.

    Returns
    -------
    Table
        Named ``"outcomes"``. Tidy rows with level ``"visit"`` (n, mean, sd) and ``"paired"`` (n,
        baseline_mean, baseline_sd, mean, sd, change_mean, change_sd, hl_estimate, hl_ci_low,
        hl_ci_high, statistic, pvalue).

    Raises
    ------
    InputError
        If a column is missing, the baseline week or a requested week has no visits, or an
        option is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> from axspa.analysis_sets import AnalysisSet
    >>> scored = pd.DataFrame({"patient_id": ["A", "A", "B", "B", "C", "C"],
    ...                        "week": [0, 12, 0, 12, 0, 12],
    ...                        "basdai": [6.0, 3.0, 4.0, 2.0, 8.0, 5.0]})
    >>> s = AnalysisSet("all", "All", "every patient", ("A", "B", "C"))
    >>> t = outcomes_table(scored, s, measures=["basdai"])
    >>> t.value(week=12.0, level="paired", statistic="change_mean")
    -2.6666666666666665
    >>> t.value(week=12.0, level="paired", statistic="pvalue")
    0.25
    >>> t.view.loc[1, ["Change (paired)", "HL change (CI)", "p"]].tolist()
    ['-2.67 ± 0.58', '-2.75 (-3.00 to -2.00)', '0.2500']
    """
    test = test if test is not None else SignedRankConvention()
    data, imputed, measures = _compute(
        scored,
        analysis_set,
        measures=measures,
        weeks=weeks,
        baseline_week=baseline_week,
        imputation=imputation,
        test=test,
        confidence_level=confidence_level,
        display_units=display_units,
        progress=progress,
    )
    imp = imputed.imputation.label
    test_text = test.sentence()
    untested_rows = data.loc[(data["statistic"] == "hl_estimate") & data["value"].isna()]
    untested = [
        f"{label_of(v, registry)} week {fmt_num(w, None)}"
        for v, w in zip(untested_rows["variable"], untested_rows["week"], strict=True)
    ]
    notes = [
        _set_note(analysis_set),
        f"Missing values: {imputed.describe()}",
        "Visit columns: mean ± SD (n - 1) over the patients with a value at that visit. Baseline, visit "
        "and change columns: the paired sample with values at both baseline and that visit.",
        f"Change = visit minus baseline. HL: {_hl_note(data, confidence_level)}, on the same sample and zero "
        "handling as the test.",
        f"p: {test_text}.",
    ]
    asymptotic = _asymptotic_count(data)
    if asymptotic:
        notes.append(
            f"{ASYMPTOTIC_MARK} asymptotic (normal approximation with tie-corrected variance): {asymptotic} of "
            f"{int((data['statistic'] == 'pvalue').sum())} p-values and their HL intervals; unmarked ones are exact."
        )
    short = _short_intervals(data, confidence_level, registry)
    if short:
        notes.append(
            f"The exact HL interval cannot reach {fmt_num(100 * confidence_level, None)}% with so few paired "
            "changes; the widest interval is shown, with the confidence it has: " + "; ".join(short) + "."
        )
    if untested:
        notes.append("Not tested (every paired change is zero, or no paired patient): " + "; ".join(untested) + ".")
    for m, shown in dict(display_units or {}).items():
        if m in measures:
            notes.append(f"{label_of(shown, registry)} converted from the canonical {label_of(m, registry)}.")
    return Table(
        name="outcomes",
        title=f"Outcomes by visit ({analysis_set.label}, n = {analysis_set.n}; {imp})",
        data=data,
        view=outcomes_view(data, baseline_week=baseline_week, digits=digits, registry=registry),
        notes=tuple(notes),
        meta={"test": test.short(), "population": f"{analysis_set.label} (n = {analysis_set.n})"},
    )


def outcomes_numbers(
    scored: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    measures: Sequence[str] | None = None,
    weeks: Sequence[float] | None = None,
    baseline_week: float = 0,
    imputation: ContinuousImputation = "observed",
    test: SignedRankConvention | None = None,
    confidence_level: float = 0.95,
    display_units: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The tidy, unrounded numbers of :func:`outcomes_table` (see there)."""
    return _compute(
        scored,
        analysis_set,
        measures=measures,
        weeks=weeks,
        baseline_week=baseline_week,
        imputation=imputation,
        test=test if test is not None else SignedRankConvention(),
        confidence_level=confidence_level,
        display_units=display_units,
    )[0]


def _compute(
    scored: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    measures: Sequence[str] | None,
    weeks: Sequence[float] | None,
    baseline_week: float,
    imputation: ContinuousImputation,
    test: SignedRankConvention,
    confidence_level: float,
    display_units: Mapping[str, str] | None,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, Imputed, list[str]]:
    _need(scored, ["patient_id", "week"], "scored visits")
    if imputation not in CONTINUOUS_IMPUTATIONS:
        raise InputError(
            f"imputation for continuous outcomes must be one of {list(CONTINUOUS_IMPUTATIONS)}; got {imputation!r}"
        )
    measures = _columns(scored, measures, DEFAULT_MEASURES, "outcomes")
    all_weeks = sorted(pd.to_numeric(scored["week"]).astype(float).unique().tolist())
    wanted = sorted({float(w) for w in (all_weeks if weeks is None else weeks)} | {float(baseline_week)})
    if float(baseline_week) not in all_weeks:
        raise InputError(f"baseline_week {baseline_week:g} has no visits; weeks present: {all_weeks}")
    unknown = [w for w in wanted if w not in all_weeks]
    if unknown:
        raise InputError(f"weeks {unknown} have no visits; weeks present: {all_weeks}")
    imputed = impute(
        scored,
        analysis_set,
        method=imputation,
        columns=measures,
        weeks=wanted,
        **({"baseline_week": baseline_week} if imputation == "bocf" else {}),
    )
    frame = imputed.frame
    units = dict(display_units or {})
    rows: list[dict[str, Any]] = []
    imp = imputed.imputation.label
    test_text = test.sentence()
    for m in measures:
        _tick(progress, f"outcomes: {label_of(m)} (signed-rank tests and Hodges-Lehmann intervals by visit)")
        shown = units.get(m, m)
        values = frame[m].astype(float)
        if shown != m:
            values = values.map(lambda v, col=shown: from_canonical(col, v) if pd.notna(v) else v)
        table = frame.loc[:, ["patient_id", "week"]].assign(value=values.to_numpy())
        wide = table.pivot(index="patient_id", columns="week", values="value")
        base_values = wide[float(baseline_week)]
        for w in wanted:
            at = wide[w].dropna()
            s = _summary(at)
            common = dict(table="outcomes", variable=shown, week=w, population=analysis_set.label, imputation=imp)
            for stat, v in (("n", s.n), ("mean", s.mean), ("sd", s.sd)):
                rows.append(
                    {
                        **common,
                        "level": "visit",
                        "statistic": stat,
                        "value": v,
                        "denominator": s.n,
                        "method": "mean and SD (n - 1) over the patients with a value at the visit",
                    }
                )
            if w == float(baseline_week):
                continue
            both = pd.DataFrame({"base": base_values, "visit": wide[w]}).dropna()
            n = len(both)
            b, f = _summary(both["base"]), _summary(both["visit"])
            change = _summary(both["visit"] - both["base"])
            paired = dict(common, level="paired", denominator=n)
            desc = "over the patients with a value at baseline and at the visit"
            for stat, v in (
                ("n", n),
                ("baseline_mean", b.mean),
                ("baseline_sd", b.sd),
                ("mean", f.mean),
                ("sd", f.sd),
                ("change_mean", change.mean),
                ("change_sd", change.sd),
            ):
                rows.append({**paired, "statistic": stat, "value": v, "method": f"mean and SD (n - 1) {desc}"})
            if not (both["visit"] != both["base"]).any():
                reason = "not tested: no patient with a non-zero change (or no paired patient)"
                rows.extend(
                    {**paired, "statistic": k, "value": np.nan, "method": reason}
                    for k in ("hl_estimate", "statistic", "pvalue")
                )
            else:
                result = test.test(both["visit"].to_numpy(), both["base"].to_numpy())
                with warnings.catch_warnings():
                    # a level out of reach is said in the table's notes (see _short_intervals), not warned per cell
                    warnings.simplefilter("ignore", ConfidenceLevelWarning)
                    # the interval by the method the test used (exact, or asymptotic under "auto" above its n)
                    ci = result.confidence_interval(confidence_level=confidence_level, method=result.method)
                hl_method = f"{_hl_text(confidence_level, result.method)} of visit minus baseline; {test.zero_text()}"
                for stat, v in (
                    ("hl_estimate", ci.estimate),
                    ("hl_ci_low", ci.low),
                    ("hl_ci_high", ci.high),
                    ("hl_ci_achieved_confidence", ci.achieved_confidence),
                ):
                    rows.append({**paired, "statistic": stat, "value": v, "method": hl_method})
                p_method = f"{test_text}; method used: {result.method}; statistic = R+ (R's V)"
                for stat, v in (("statistic", result.statistic), ("pvalue", result.pvalue)):
                    rows.append({**paired, "statistic": stat, "value": v, "method": p_method})
    return tidy_frame(rows), imputed, measures


def _short_intervals(data: pd.DataFrame, confidence_level: float, registry: MeasureRegistry | None) -> list[str]:
    """Measure, week, n and achieved confidence of every HL interval that falls short of the level."""
    achieved = data.loc[data["statistic"] == "hl_ci_achieved_confidence"]
    short = achieved.loc[achieved["value"] < confidence_level - 1e-12]
    return [
        f"{label_of(str(v), registry)} week {fmt_num(float(w), None)} (n = {int(n)}, {fmt_num(100 * float(c), 1)}%)"
        for v, w, n, c in zip(short["variable"], short["week"], short["denominator"], short["value"], strict=True)
    ]


ASYMPTOTIC_MARK = "†"
"""Marks a p-value or interval in a view that the normal approximation gave (unmarked: exact)."""


def _hl_text(confidence_level: float, method: str) -> str:
    level = fmt_num(100 * confidence_level, None)
    if method == "exact":
        return f"Hodges-Lehmann estimate, exact {level}% CI"
    return f"Hodges-Lehmann estimate, asymptotic {level}% CI (normal critical value, tie-corrected variance)"


def _asymptotic_count(data: pd.DataFrame) -> int:
    """How many p-values of the tidy frame the normal approximation gave."""
    p = data.loc[data["statistic"] == "pvalue", "method"]
    return int(p.str.contains("method used: asymptotic", regex=False).sum())


def _hl_note(data: pd.DataFrame, confidence_level: float) -> str:
    """The HL intervals' method for the notes: as before when all are exact, else both methods and the rule."""
    level = fmt_num(100 * confidence_level, None)
    hl = data.loc[data["statistic"] == "hl_estimate", "method"]
    if not hl.str.contains("asymptotic", regex=False).any():
        return f"{_hl_text(confidence_level, 'exact')} (Bauer 1972)"
    return (
        f"Hodges-Lehmann estimate with its exact {level}% CI (Bauer 1972) where the test is exact, and the "
        f"asymptotic {level}% CI (normal critical value, tie-corrected variance) where it is asymptotic "
        f"({ASYMPTOTIC_MARK})"
    )


def _data_at(data: pd.DataFrame, measure: object, week: object) -> pd.DataFrame:
    """The tidy rows of one measure and visit."""
    return data.loc[(data["variable"] == measure) & (data["week"] == week)]


def outcomes_view(
    data: pd.DataFrame, *, baseline_week: float = 0, digits: int = 2, registry: MeasureRegistry | None = None
) -> pd.DataFrame:
    """The formatted view of :func:`outcomes_numbers`' tidy frame (means and SDs to ``digits``, p to 4;
    labels from ``registry``, default the built-in one)."""

    def ms(st: Mapping[str, float], mean: str = "mean", sd: str = "sd") -> str:
        return "-" if st["n"] == 0 else f"{fmt_num(st[mean], digits)} ± {fmt_num(st[sd], digits)}"

    view: list[dict[str, str]] = []
    for measure, week in _groups(data, "variable", "week"):
        visit = _statistics(data, variable=measure, week=week, level="visit")
        row = {
            "Measure": label_of(str(measure), registry),
            "Week": fmt_num(float(week), None),  # type: ignore[arg-type]
            "n at visit": str(int(visit["n"])),
            "Mean ± SD at visit": ms(visit),
            "n paired": "",
            "Baseline (paired)": "",
            "Visit (paired)": "",
            "Change (paired)": "",
            "HL change (CI)": "",
            "p": "",
        }
        if week == float(baseline_week):
            row["Week"] += " (baseline)"
            view.append(row)
            continue
        paired = _statistics(data, variable=measure, week=week, level="paired")
        row |= {
            "n paired": str(int(paired["n"])),
            "Baseline (paired)": ms(paired, "baseline_mean", "baseline_sd"),
            "Visit (paired)": ms(paired),
            "Change (paired)": ms(paired, "change_mean", "change_sd"),
        }
        if "hl_ci_low" in paired:
            mark = f" {ASYMPTOTIC_MARK}" if _asymptotic_count(_data_at(data, measure, week)) else ""
            row["HL change (CI)"] = (
                f"{fmt_num(paired['hl_estimate'], digits)} "
                f"({fmt_num(paired['hl_ci_low'], digits)} to {fmt_num(paired['hl_ci_high'], digits)}){mark}"
            )
            row["p"] = fmt_p(paired["pvalue"]) + mark
        view.append(row)
    return pd.DataFrame(view)
