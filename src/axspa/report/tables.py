"""The tables of a trial report: demographics, disposition, responses, outcomes, adverse events.

Every builder returns a :class:`~axspa.report.table.Table`: a tidy frame of unrounded numbers (one
statistic per row, with its population, denominator, imputation and method) and a formatted view.
Statistics come from :mod:`axspa.stats`; analysis sets and imputation from :mod:`axspa.populations`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from axspa.errors import InputError
from axspa.ingest.columns import Subtype, WithdrawalReason
from axspa.measures import MeasureRegistry
from axspa.measures import label as registry_label
from axspa.populations import IMPUTATIONS, AnalysisSet, all_enrolled, impute
from axspa.report.format import fmt_count_pct, fmt_num, fmt_p
from axspa.report.table import Table, tidy_frame
from axspa.stats import SignedRankConvention
from axspa.stats import binomial_ci as stats_binomial_ci
from axspa.stats import describe as stats_summary
from axspa.units import from_canonical

__all__ = [
    "DEFAULT_MEASURES",
    "DEFAULT_RESPONSES",
    "SignedRankConvention",
    "adverse_event_table",
    "demographics_table",
    "disposition_table",
    "outcomes_table",
    "response_table",
]

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

DEFAULT_RESPONSES: tuple[str, ...] = ("asas20", "asas40", "asas_5of6", "asas_pr", "basdai50")
"""Responses shown by default (those present in the data)."""

_DEMOGRAPHIC_NUMBERS = {"age_years": "Age (years)", "disease_duration_years": "Disease duration (years)"}
_DEMOGRAPHIC_CATEGORIES = {"sex": "Sex", "hla_b27": "HLA-B27", "subtype": "Subtype"}
_NO_IMPUTATION = "none (baseline characteristics as recorded)"




def signed_rank(x: np.ndarray, y: np.ndarray, convention: SignedRankConvention) -> Any:
    """Run :func:`axspa.stats.wilcoxon_signed_rank` on paired ``x`` (visit) and ``y`` (baseline)."""
    return convention.test(x, y)


def binomial_ci(x: int, n: int, *, method: str, confidence_level: float) -> tuple[float, float]:
    """Confidence interval of ``x / n`` from :func:`axspa.stats.binomial_ci`; NaN when ``n`` is 0."""
    if n == 0:
        return (float("nan"), float("nan"))
    ci = stats_binomial_ci(x, n, method=method, confidence_level=confidence_level)
    return ci.low, ci.high


def label_of(column: str, registry: MeasureRegistry | None = None) -> str:
    """Display name of a column, from the measure registry (:func:`axspa.measures.label`)."""
    return registry_label(column, registry)


def _need(frame: object, columns: Iterable[str], what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{what} must be a pandas DataFrame; got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the {what} frame lacks column(s) {missing}; got {list(frame.columns)}")
    return frame


def _set_note(s: AnalysisSet) -> str:
    return f"Population: {s.describe()}."


# --------------------------------------------------------------------------------------------------
# Table 1: demographics
# --------------------------------------------------------------------------------------------------


def demographics_table(
    patients: pd.DataFrame,
    analysis_set: AnalysisSet | None = None,
    *,
    center: str | Mapping[str, str] = "mean",
    spread: str | Mapping[str, str] = "range",
    digits: int | Mapping[str, int] = 1,
) -> Table:
    """Table 1: age, disease duration, sex, HLA-B27 and subtype.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame.
    analysis_set : AnalysisSet, optional
        Whom to describe; default every enrolled patient.
    center : {"mean", "median"} or mapping
        Central value of the numeric variables; a mapping sets it per variable
        (``{"disease_duration_years": "median"}``), the rest taking ``"mean"``.
    spread : {"range", "sd"} or mapping
        Spread shown next to it, in the same way.
    digits : int or mapping
        Decimals of the numeric summaries in the view; a mapping sets them per variable
        (``{"age_years": 0}``), the rest taking 1.

    Returns
    -------
    Table
        Named ``"demographics"``; tidy rows hold n, the center, and min and max or SD of each
        numeric variable, and count and percent (of the analysis set) of each category.

    Raises
    ------
    InputError
        If ``center`` or ``spread`` is not recognised, or the patients frame is invalid.
    """
    aset = analysis_set if analysis_set is not None else all_enrolled(patients)
    frame = aset.select(_need(patients, ["patient_id"], "patients"))
    denominator = aset.n
    rows: list[dict[str, Any]] = []
    view: list[dict[str, str]] = []
    notes: list[str] = [_set_note(aset), f"Percentages are of the {denominator} patients of the population."]

    def choice(arg: str | Mapping[str, str], var: str, allowed: tuple[str, ...], default: str) -> str:
        value = arg.get(var, default) if isinstance(arg, Mapping) else arg
        if value not in allowed:
            raise InputError(f"{var}: expected one of {list(allowed)}; got {value!r}")
        return value

    for var, label in _DEMOGRAPHIC_NUMBERS.items():
        if var not in frame.columns:
            continue
        c = choice(center, var, ("mean", "median"), "mean")
        sp = choice(spread, var, ("range", "sd"), "range")
        s = stats_summary(pd.to_numeric(frame[var], errors="coerce"))
        dg = digits.get(var, 1) if isinstance(digits, Mapping) else digits
        method = f"{c} ({'range' if sp == 'range' else 'SD, n - 1'}); missing values excluded"
        base = dict(
            table="demographics",
            variable=var,
            level="",
            week=np.nan,
            population=aset.label,
            denominator=s.n,
            imputation=_NO_IMPUTATION,
            method=method,
        )
        wanted = {"n": s.n, c: getattr(s, c)}
        if sp == "range":
            wanted |= {"min": s.min, "max": s.max}
        else:
            wanted["sd"] = s.sd
        rows.extend({**base, "statistic": k, "value": v} for k, v in wanted.items())
        if sp == "range":
            text = f"{fmt_num(getattr(s, c), dg)} ({fmt_num(s.min, dg)} to {fmt_num(s.max, dg)})"
        else:
            text = f"{fmt_num(getattr(s, c), dg)} ± {fmt_num(s.sd, dg)}"
        view.append(
            {
                "Characteristic": f"{label}, {c} ({'range' if sp == 'range' else 'SD'})",
                "Value": text,
                "n": str(s.n),
            }
        )
        if s.n < denominator:
            notes.append(f"{label}: {denominator - s.n} missing value(s), excluded from its summary.")

    for var, label in _DEMOGRAPHIC_CATEGORIES.items():
        if var not in frame.columns:
            continue
        values = frame[var]
        if var == "hla_b27":
            values = values.map({True: "positive", False: "negative"}, na_action="ignore")
        values = values.astype("string").fillna("missing")
        counts = values.value_counts(sort=False)
        # every subtype of the data contract is listed, with 0 where nobody has it
        known = [t.value for t in Subtype] if var == "subtype" else []
        levels = known + sorted((x for x in counts.index if x not in known), key=lambda x: (x == "missing", str(x)))
        for level in levels:
            k = int(counts.get(level, 0))
            base = dict(
                table="demographics",
                variable=var,
                level=str(level),
                week=np.nan,
                population=aset.label,
                denominator=denominator,
                imputation=_NO_IMPUTATION,
                method="count and percent of the population",
            )
            rows.append({**base, "statistic": "count", "value": k})
            rows.append({**base, "statistic": "percent", "value": 100.0 * k / denominator})
            view.append(
                {
                    "Characteristic": f"{label}: {level}, n (%)",
                    "Value": fmt_count_pct(k, denominator),
                    "n": str(denominator),
                }
            )
    return Table(
        name="demographics",
        title=f"Table 1. Baseline characteristics ({aset.label}, n = {denominator})",
        data=tidy_frame(rows),
        view=pd.DataFrame(view, columns=["Characteristic", "Value", "n"]),
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------------------------------
# Disposition
# --------------------------------------------------------------------------------------------------

_REASON_LABELS = {
    WithdrawalReason.ADVERSE_EVENT.value: "adverse event",
    WithdrawalReason.LACK_OF_EFFICACY.value: "lack of efficacy",
    WithdrawalReason.LOST_TO_FOLLOW_UP.value: "lost to follow-up",
    WithdrawalReason.OTHER.value: "other",
}


def disposition_table(patients: pd.DataFrame, *, sets: Sequence[AnalysisSet] = ()) -> Table:
    """Disposition: enrolled, completed, withdrawn by reason (with the weeks of withdrawal), and sets.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame (``status``, ``withdrawal_reason``, optionally ``last_week``).
    sets : sequence of AnalysisSet
        Analysis sets to list with their size and definition.

    Returns
    -------
    Table
        Named ``"disposition"``; percentages are of all enrolled patients.
    """
    enrolled = all_enrolled(patients)  # validates the frame
    frame = _need(patients, ["withdrawal_reason"], "patients")
    n = enrolled.n
    status = frame["status"].astype("string").str.strip().str.lower()
    reason = frame["withdrawal_reason"].astype("string").str.strip().str.lower()
    last = pd.to_numeric(frame["last_week"], errors="coerce") if "last_week" in frame else None
    rows: list[dict[str, Any]] = []
    view: list[dict[str, str]] = []
    base = dict(
        table="disposition",
        week=np.nan,
        population=enrolled.label,
        denominator=n,
        imputation="not applicable",
        method="count and percent of enrolled",
    )

    def add(variable: str, level: str, label: str, mask: pd.Series) -> None:
        k = int(mask.sum())
        rows.append({**base, "variable": variable, "level": level, "statistic": "count", "value": k})
        rows.append({**base, "variable": variable, "level": level, "statistic": "percent", "value": 100.0 * k / n})
        weeks = ""
        if last is not None and variable == "withdrawn" and k:
            lw = last[mask]
            lw = lw[lw.notna()]
            if len(lw):
                lo, hi = float(lw.min()), float(lw.max())
                for stat, v in (("min_last_week", lo), ("max_last_week", hi)):
                    rows.append(
                        {
                            **base,
                            "variable": variable,
                            "level": level,
                            "statistic": stat,
                            "value": v,
                            "method": "last week on study, over the withdrawn patients",
                        }
                    )
                weeks = f"week {fmt_num(lo, None)}" + (f" to {fmt_num(hi, None)}" if hi != lo else "")
        view.append({"Patients": label, "n (%)": fmt_count_pct(k, n), "Last week on study": weeks})

    add("enrolled", "", "Enrolled (treated)", pd.Series(True, index=frame.index))
    add("completed", "", "Completed", status == "completed")
    add("withdrawn", "", "Withdrawn", status == "withdrawn")
    for key, text in _REASON_LABELS.items():
        mask = (status == "withdrawn") & (reason == key).fillna(False)
        add("withdrawn", key, f"  withdrawn: {text}", mask)
    unspecified = (status == "withdrawn") & reason.isna()
    if unspecified.any():
        add("withdrawn", "unspecified", "  withdrawn: reason not recorded", unspecified)
    notes = [_set_note(enrolled), f"Percentages are of the {n} enrolled patients."]
    for s in sets:
        rows.append(
            {
                **base,
                "variable": "analysis_set",
                "level": s.name,
                "statistic": "count",
                "value": s.n,
                "method": s.definition,
            }
        )
        view.append({"Patients": f"Analysis set: {s.label}", "n (%)": fmt_count_pct(s.n, n), "Last week on study": ""})
        notes.append(f"Analysis set {s.describe()}.")
    return Table(
        name="disposition",
        title=f"Disposition of the {n} enrolled patients",
        data=tidy_frame(rows),
        view=pd.DataFrame(view, columns=["Patients", "n (%)", "Last week on study"]),
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------------------------------
# Responses
# --------------------------------------------------------------------------------------------------

_CI_METHODS = {"clopper-pearson": "Clopper-Pearson exact", "wilson": "Wilson score", "jeffreys": "Jeffreys"}


def response_table(
    scored: pd.DataFrame,
    sets: Sequence[AnalysisSet],
    *,
    week: float,
    responses: Sequence[str] | None = None,
    imputation: str = "nri",
    ci_method: str = "clopper-pearson",
    confidence_level: float = 0.95,
) -> Table:
    """Responders at one week, per analysis set, with binomial confidence intervals.

    Parameters
    ----------
    scored : DataFrame
        Scored visits: ``patient_id``, ``week`` and nullable-boolean response columns.
    sets : sequence of AnalysisSet
        The populations to show side by side (for example completers, enrolled minus
        adverse-event withdrawals, all enrolled).
    week : float
        The visit at which response is assessed.
    responses : sequence of str, optional
        Response columns; default those of :data:`DEFAULT_RESPONSES` present in ``scored``.
    imputation : {"nri", "observed"}
        ``"nri"``: every patient of the set is in the denominator and a missing response counts
        as non-response. ``"observed"``: the denominator is the patients with an evaluable response
        at ``week``.
    ci_method : {"clopper-pearson", "wilson", "jeffreys"}
        Confidence interval for the proportion.
    confidence_level : float
        In (0, 1).

    Returns
    -------
    Table
        Named ``"responses"``; tidy statistics ``responders``, ``denominator``, ``proportion``,
        ``ci_low``, ``ci_high`` per set and response.

    Raises
    ------
    InputError
        If a response column is missing, ``sets`` is empty, a method is unknown, or ``week`` is
        not a visit.

    Examples
    --------
    Three patients, two seen at week 24 (one responder), one withdrawn earlier:

    >>> import pandas as pd
    >>> from axspa.populations import AnalysisSet
    >>> scored = pd.DataFrame({"patient_id": ["A", "B", "C"], "week": [24, 24, 8],
    ...                        "asas20": pd.array([True, False, False], dtype="boolean")})
    >>> everyone = AnalysisSet("all", "All treated", "every patient", ("A", "B", "C"))
    >>> t = response_table(scored, [everyone], week=24, responses=["asas20"])
    >>> t.value(statistic="responders"), t.value(statistic="denominator")
    (1.0, 3.0)
    >>> t.view.iloc[0].tolist()
    ['ASAS20', 'All treated (n = 3)', '1/3', '33.3', '0.8 to 90.6', '1 / 0']
    """
    _need(scored, ["patient_id", "week"], "scored visits")
    if not sets:
        raise InputError("response_table needs at least one analysis set")
    if imputation not in ("nri", "observed"):
        raise InputError(f"imputation for responses must be 'nri' or 'observed'; got {imputation!r}")
    if ci_method not in _CI_METHODS:
        raise InputError(f"ci_method must be one of {list(_CI_METHODS)}; got {ci_method!r}")
    visit_weeks = set(pd.to_numeric(scored["week"]).astype(float))
    if float(week) not in visit_weeks:
        raise InputError(f"week {week:g} is not a visit in the scored frame; visits: {sorted(visit_weeks)}")
    if responses is None:
        responses = [r for r in DEFAULT_RESPONSES if r in scored.columns]
        if not responses:
            raise InputError(f"the scored visits hold none of the responses {list(DEFAULT_RESPONSES)}")
    responses = list(responses)
    _need(scored, responses, "scored visits")
    ci_text = f"{_CI_METHODS[ci_method]} {fmt_num(100 * confidence_level, None)}% CI"
    rows: list[dict[str, Any]] = []
    view: list[dict[str, str]] = []
    imp = IMPUTATIONS[imputation]
    at_week = scored.loc[pd.to_numeric(scored["week"]).astype(float) == float(week)]
    at_week = at_week.assign(patient_id=at_week["patient_id"].astype(str)).set_index("patient_id")
    never: list[str] = []
    missing_head = "Imputed as non-responders" if imputation == "nri" else "Left out"
    for s in sets:
        imputed = impute(scored, s, method=imputation, columns=responses, weeks=[week])
        frame = imputed.frame
        seen = at_week.index.intersection(list(s.patient_ids))
        for r in responses:
            values = frame[r].dropna().astype(bool)
            x, n = int(values.sum()), len(values)
            no_visit = s.n - len(seen)
            not_evaluable = int(at_week.loc[seen, r].isna().sum())
            lo, hi = binomial_ci(x, n, method=ci_method, confidence_level=confidence_level)
            base = dict(
                table="responses",
                variable=r,
                level="",
                week=float(week),
                population=s.label,
                denominator=n,
                imputation=imp.label,
                method=ci_text,
            )
            for stat, v in (
                ("responders", x),
                ("denominator", n),
                ("proportion", x / n if n else np.nan),
                ("ci_low", lo),
                ("ci_high", hi),
                ("no_visit", no_visit),
                ("not_evaluable", not_evaluable),
            ):
                rows.append({**base, "statistic": stat, "value": v})
            if not_evaluable == len(seen) and len(seen) and label_of(r) not in never:
                never.append(label_of(r))
            view.append(
                {
                    "Response": label_of(r),
                    "Population": f"{s.label} (n = {s.n})",
                    "Responders / denominator": f"{x}/{n}",
                    "%": fmt_num(100.0 * x / n, 1) if n else "-",
                    ci_text: (f"{fmt_num(100 * lo, 1)} to {fmt_num(100 * hi, 1)}" if n else "-"),
                    f"{missing_head}: no visit / not evaluable": f"{no_visit} / {not_evaluable}",
                }
            )
    notes = [_set_note(s) for s in sets]
    notes.append(f"Response assessed at week {fmt_num(week, None)}; imputation: {imp.label} ({imp.definition}).")
    notes.append(f"Confidence intervals: {ci_text} for a binomial proportion, in percent.")
    notes.append(
        "Not evaluable: a visit at that week whose criterion is unknown because a domain is missing "
        f"({'counted as non-response' if imputation == 'nri' else 'left out of the denominator'})."
    )
    if never:
        notes.append(
            f"Not evaluable for any patient seen at week {fmt_num(week, None)}: {', '.join(never)}; a domain is "
            "missing throughout (check the scoring options, e.g. which column is the patient global)."
        )
    return Table(
        name="responses",
        title=f"Responses at week {fmt_num(week, None)} by analysis population",
        data=tidy_frame(rows),
        view=pd.DataFrame(view),
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------------------------------
# Continuous outcomes
# --------------------------------------------------------------------------------------------------


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
        How missing values are handled (see :mod:`axspa.populations`).
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
    >>> from axspa.populations import AnalysisSet
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
                result = signed_rank(both["visit"].to_numpy(), both["base"].to_numpy(), test)
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


# --------------------------------------------------------------------------------------------------
# Adverse events
# --------------------------------------------------------------------------------------------------


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
    ae = _need(adverse_events, ["patient_id", "term"], "adverse events")
    ae = analysis_set.select(ae)
    if weeks is not None:
        _need(ae, ["onset_week"], "adverse events")
        onset = pd.to_numeric(ae["onset_week"], errors="coerce")
        ae = ae.loc[onset.between(float(weeks[0]), float(weeks[1]))]
    ae = ae.assign(patient_id=ae["patient_id"].astype(str), term=ae["term"].astype(str).str.strip())
    n = analysis_set.n
    rows: list[dict[str, Any]] = []
    view: list[dict[str, str]] = []
    base = dict(
        table="adverse_events",
        week=np.nan,
        population=analysis_set.label,
        denominator=n,
        imputation="none (events as reported)",
        method="patients with at least one event, and percent of the population",
    )

    def add(variable: str, level: str, label: str, events: pd.DataFrame) -> None:
        k = events["patient_id"].nunique()
        stats = [("patients", k), ("percent", 100.0 * k / n if n else np.nan), ("events", len(events))]
        severe = ""
        if "severity" in events.columns:
            severe_rows = (events["severity"].astype("string").str.lower() == "severe").fillna(False)
            ks = events.loc[severe_rows.astype(bool), "patient_id"].nunique()
            stats.append(("patients_severe", ks))
            severe = str(ks)
        rows.extend({**base, "variable": variable, "level": level, "statistic": s, "value": v} for s, v in stats)
        view.append(
            {
                "Adverse event": label,
                "Patients, n (%)": fmt_count_pct(k, n),
                "Events": str(len(events)),
                "Patients with a severe event": severe,
            }
        )

    add("any", "", "Any adverse event", ae)
    if "serious" in ae.columns:
        serious = ae["serious"].astype("boolean").fillna(False).astype(bool)
        add("serious", "", "Any serious adverse event", ae.loc[serious])
    counts = ae.groupby("term")["patient_id"].nunique().sort_values(ascending=False, kind="stable")
    for term in sorted(counts.index, key=lambda t: (-counts[t], t)):
        add("term", term, term, ae.loc[ae["term"] == term])
    window = "" if weeks is None else f", onset in weeks {fmt_num(weeks[0], None)} to {fmt_num(weeks[1], None)}"
    notes = [
        _set_note(analysis_set),
        f"Denominator: the {n} patients of the population; a patient counts once per term{window}.",
    ]
    return Table(
        name="adverse_events",
        title=f"Adverse events ({analysis_set.label}, n = {n})",
        data=tidy_frame(rows),
        view=pd.DataFrame(view, columns=["Adverse event", "Patients, n (%)", "Events", "Patients with a severe event"]),
        notes=tuple(notes),
    )
