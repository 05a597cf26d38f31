"""Continuous outcomes by visit: mean ± SD, change from baseline, Hodges-Lehmann and signed-rank test."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet
from axspa.errors import InputError
from axspa.imputation import impute
from axspa.report.format import fmt_num, fmt_p
from axspa.report.labels import label_of
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import _need, _set_note
from axspa.stats import SignedRankConvention
from axspa.stats import describe as stats_summary
from axspa.units import from_canonical

__all__ = ["DEFAULT_MEASURES", "outcomes_table"]


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
    imputation: str = "observed",
    test: SignedRankConvention | None = None,
    confidence_level: float = 0.95,
    display_units: Mapping[str, str] | None = None,
    digits: int = 2,
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
    _need(scored, ["patient_id", "week"], "scored visits")
    if imputation not in ("observed", "locf", "bocf"):
        raise InputError(f"imputation for continuous outcomes must be observed, locf or bocf; got {imputation!r}")
    test = test if test is not None else SignedRankConvention()
    if measures is None:
        measures = [m for m in DEFAULT_MEASURES if m in scored.columns]
        if not measures:
            raise InputError(f"the scored visits hold none of the outcomes {list(DEFAULT_MEASURES)}")
    measures = list(measures)
    _need(scored, measures, "scored visits")
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
    view: list[dict[str, str]] = []
    imp = imputed.imputation.label
    test_text = test.sentence()
    hl_text = f"Hodges-Lehmann estimate, exact {fmt_num(100 * confidence_level, None)}% CI"
    untested: list[str] = []
    for m in measures:
        shown = units.get(m, m)
        values = frame[m].astype(float)
        if shown != m:
            values = values.map(lambda v, col=shown: from_canonical(col, v) if pd.notna(v) else v)
        table = frame.loc[:, ["patient_id", "week"]].assign(value=values.to_numpy())
        wide = table.pivot(index="patient_id", columns="week", values="value")
        base_values = wide[float(baseline_week)]
        for w in wanted:
            at = wide[w].dropna()
            s = stats_summary(at)
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
                view.append(_outcome_view(shown, w, s, None, None, digits))
                continue
            both = pd.DataFrame({"base": base_values, "visit": wide[w]}).dropna()
            n = len(both)
            b, f = stats_summary(both["base"]), stats_summary(both["visit"])
            change = stats_summary(both["visit"] - both["base"])
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
            tested = None
            if not (both["visit"] != both["base"]).any():
                untested.append(f"{label_of(shown)} week {fmt_num(w, None)}")
                reason = "not tested: no patient with a non-zero change (or no paired patient)"
                rows.extend(
                    {**paired, "statistic": k, "value": np.nan, "method": reason}
                    for k in ("hl_estimate", "statistic", "pvalue")
                )
            else:
                result = test.test(both["visit"].to_numpy(), both["base"].to_numpy())
                ci = result.confidence_interval(confidence_level=confidence_level)
                hl_method = f"{hl_text} of visit minus baseline; {test.zero_text()}"
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
                tested = (result.pvalue, ci)
            view.append(_outcome_view(shown, w, s, (n, b, f, change), tested, digits))
    notes = [
        _set_note(analysis_set),
        f"Missing values: {imputed.describe()}",
        "Visit columns: mean ± SD (n - 1) over the patients with a value at that visit. Baseline, visit "
        "and change columns: the paired sample with values at both baseline and that visit.",
        f"Change = visit minus baseline. HL: {hl_text} (Bauer 1972), on the same sample and zero handling as the test.",
        f"p: {test_text}.",
    ]
    if untested:
        notes.append("Not tested (every paired change is zero, or no paired patient): " + "; ".join(untested) + ".")
    for m, shown in units.items():
        if m in measures:
            notes.append(f"{label_of(shown)} converted from the canonical {label_of(m)}.")
    return Table(
        name="outcomes",
        title=f"Outcomes by visit ({analysis_set.label}, n = {analysis_set.n}; {imp})",
        data=tidy_frame(rows),
        view=pd.DataFrame(view),
        notes=tuple(notes),
        meta={"test": test.short(), "population": f"{analysis_set.label} (n = {analysis_set.n})"},
    )


def _outcome_view(
    measure: str,
    week: float,
    visit: Any,
    paired: tuple[int, Any, Any, Any] | None,
    tested: tuple[float, Any] | None,
    digits: int,
) -> dict[str, str]:
    def ms(s: Any) -> str:
        return "-" if s.n == 0 else f"{fmt_num(s.mean, digits)} ± {fmt_num(s.sd, digits)}"

    row = {
        "Measure": label_of(measure),
        "Week": fmt_num(week, None),
        "n at visit": str(visit.n),
        "Mean ± SD at visit": ms(visit),
        "n paired": "",
        "Baseline (paired)": "",
        "Visit (paired)": "",
        "Change (paired)": "",
        "HL change (CI)": "",
        "p": "",
    }
    if paired is None:  # the baseline visit
        row["Week"] += " (baseline)"
        return row
    n, b, f, change = paired
    row |= {
        "n paired": str(n),
        "Baseline (paired)": ms(b),
        "Visit (paired)": ms(f),
        "Change (paired)": ms(change),
    }
    if tested is not None:
        pvalue, ci = tested
        row["HL change (CI)"] = (
            f"{fmt_num(ci.estimate, digits)} ({fmt_num(ci.low, digits)} to {fmt_num(ci.high, digits)})"
        )
        row["p"] = fmt_p(pvalue)
    return row
