"""Published figures versus the same figures recomputed from patient-level data.

Each figure of ``published.json`` names its population, statistic, measure and week; this
module recomputes it from the loaded study with axspa's public pipeline (load, score_visits,
analysis sets, statistics) and says whether it matches at the printed precision (rounding
half away from zero). A figure of a kind it cannot recompute is returned unmatched, never
dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from axspa import populations
from axspa.derive import score_visits
from axspa.errors import InputError
from axspa.io import LoadedStudy
from axspa.populations import AnalysisSet
from axspa.printed import format_like, matches_printed
from axspa.stats import SignedRankConvention
from axspa.units import from_canonical

if TYPE_CHECKING:
    from axspa.report import Table

__all__ = [
    "Comparison",
    "Reproduction",
    "analysis_set",
    "compare_figures",
    "population_ids",
    "response_rates",
    "scored_visits",
    "write_reproduction",
]

_STANDARD_AND_PAPER = "standard ASAS (Anderson 2001; Brandt 2004) and the paper's own wording"


@dataclass(frozen=True)
class Comparison:
    """One published figure and its recomputation.

    Attributes
    ----------
    id, source : str
        The figure's id and where it is printed (table, figure, text).
    published : str
        The figure as printed.
    recomputed : float or None
        The recomputed number, unrounded (None if this kind of figure is not recomputed).
    recomputed_text : str
        The recomputed number printed like the published one.
    match : bool
        Whether the two print the same.
    population : str
        The analysis population.
    n : int
        Patients in the population.
    convention : str
        How the number was recomputed (statistic, test convention, imputation).
    """

    id: str
    source: str
    published: str
    recomputed: float | None
    recomputed_text: str
    match: bool
    population: str
    n: int
    convention: str

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (for JSON output)."""
        return asdict(self)


def analysis_set(study: LoadedStudy, population: str) -> AnalysisSet:
    """The analysis set a population name of ``published.json`` stands for (:mod:`axspa.populations`).

    ``enrolled``: every patient; ``completers``; ``enrolled minus adverse-event withdrawals``:
    what the paper calls enrollers; ``on treatment at week 8``: patients with a visit at week 8;
    ``adverse-event withdrawals``: patients who withdrew because of an adverse event.
    """
    p = study.patients
    sets: Mapping[str, Callable[[], AnalysisSet]] = {
        "enrolled": lambda: populations.all_enrolled(p),
        "completers": lambda: populations.completers(p),
        "enrolled minus adverse-event withdrawals": lambda: populations.excluding_withdrawals(p),
        "on treatment at week 8": lambda: populations.seen_at(p, study.visits, week=8),
        "adverse-event withdrawals": lambda: populations.per_protocol(
            p,
            rule=lambda f: f["withdrawal_reason"] == "adverse_event",
            definition="withdrew for an adverse event",
            name="adverse_event_withdrawals",
            label="Adverse-event withdrawals",
        ),
    }
    if population not in sets:
        raise InputError(f"unknown population {population!r}; known: {', '.join(sets)}")
    return sets[population]()


def population_ids(study: LoadedStudy, population: str) -> list[str]:
    """Patient ids of a population named in ``published.json`` (see :func:`analysis_set`)."""
    return list(analysis_set(study, population).patient_ids)


def scored_visits(study: LoadedStudy) -> pd.DataFrame:
    """The study's visits scored as the paper did: BAS-G as the patient global, total back pain as pain.

    Laboratory values are added in the paper's units (CRP and IgA in mg/dL).
    """
    scores = score_visits(study.visits, patient_global="basg", pain="back_pain", keep=("esr_mm_h", *DISPLAY_UNITS))
    for canonical, shown in DISPLAY_UNITS.items():  # the unit factors live in axspa.measures.UNIT_ALIASES
        scores[shown] = scores.pop(canonical).map(lambda v, col=shown: from_canonical(col, v))
    return scores


class Reproduction:
    """Recomputes published figures from one study.

    Parameters
    ----------
    study : LoadedStudy
        The patient-level data.
    conventions : mapping, optional
        For each p-value figure id, the signed-rank convention to use: a mapping with
        ``method``, ``zero_method``, ``correction`` and ``alternative``. Figures without one
        use the exact test, zeros dropped, two-sided.
    """

    def __init__(self, study: LoadedStudy, conventions: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.study = study
        self.conventions = dict(conventions or {})
        self.scores = scored_visits(study)

    # -- figure kinds -----------------------------------------------------------------------------------
    def _patients(self, figure: Mapping[str, Any], ids: list[str]) -> tuple[float, str]:
        p = self.study.patients[self.study.patients["patient_id"].isin(ids)]
        statistic, measure = figure["statistic"], figure.get("measure")
        if statistic == "count":
            if measure is None:
                return float(len(p)), "number of patients"
            category = figure["category"]
            column = p[measure]
            if measure == "hla_b27":
                hits = column.fillna(False).astype(bool) if category == "positive" else ~column.fillna(True)
            else:
                hits = column == category
            return float(hits.sum()), f"patients with {measure} = {category}"
        return _describe(p[measure], statistic)

    def _at_week(self, measure: str, week: float, ids: list[str]) -> pd.Series:
        rows = self.scores[(self.scores["week"] == week) & self.scores["patient_id"].isin(ids)]
        return rows.set_index("patient_id")[measure]

    def _visit_statistic(self, figure: Mapping[str, Any], ids: list[str]) -> tuple[float, str]:
        values = self._at_week(figure["measure"], figure["week"], ids)
        value, text = _describe(values, figure["statistic"])
        return value, f"{text} at week {figure['week']:g}, observed cases (n = {values.notna().sum()})"

    def _p_value(self, figure: Mapping[str, Any], ids: list[str]) -> tuple[float, str]:
        measure, week = figure["measure"], figure["week"]
        pairs = pd.concat([self._at_week(measure, 0, ids), self._at_week(measure, week, ids)], axis=1).dropna()
        convention = SignedRankConvention(**self.conventions.get(figure["id"], {}))
        result = convention.test(pairs.iloc[:, 1].to_numpy(), pairs.iloc[:, 0].to_numpy())
        words = (
            f"Wilcoxon signed-rank, week {week:g} vs baseline, n = {len(pairs)} pairs ({result.n} non-zero"
            f"{', ties' if result.ties else ''}), R+ = {result.statistic:g}; {convention.describe()}"
        )
        return float(result.pvalue), words

    def _responders(self, figure: Mapping[str, Any], ids: list[str]) -> tuple[float, str]:
        week = figure.get("week", 24)
        rows = self.scores[(self.scores["week"] == week) & self.scores["patient_id"].isin(ids)]
        standard, paper = _responses(rows, figure["measure"])
        if "category" in figure:
            subtype = self.study.patients.set_index("patient_id")["subtype"]
            in_category = rows["patient_id"].map(subtype).eq(figure["category"]).to_numpy()
            standard, paper = standard & in_category, paper & in_category
        count_standard, count_paper = int(standard.sum()), int(paper.sum())
        value = float(count_standard) if count_standard == count_paper else float("nan")
        return value, (
            f"responders at week {week:g}: {count_standard} by the standard definition, "
            f"{count_paper} by the paper's wording ({_STANDARD_AND_PAPER})"
        )

    def _proportion(self, figure: Mapping[str, Any], ids: list[str]) -> tuple[float, str]:
        count, words = self._responders(figure, ids)
        return count, f"{words}; non-responder imputation over the population, denominator {len(ids)}"

    def _adverse_events(self, figure: Mapping[str, Any], ids: list[str]) -> tuple[float, str]:
        events = self.study.adverse_events
        events = events[events["patient_id"].isin(ids)]
        rule = []
        if "category" in figure:
            events = events[events["term"] == figure["category"]]
            rule.append(f"term = {figure['category']}")
        if "severity" in figure:
            events = events[events["severity"] == figure["severity"]]
            rule.append(f"severity = {figure['severity']}")
        if "serious" in figure:
            events = events[events["serious"].fillna(False).astype(bool) == bool(figure["serious"])]
            rule.append(f"serious = {figure['serious']}")
        return float(events["patient_id"].nunique()), f"patients with an event ({', '.join(rule)})"

    # -- dispatch -----------------------------------------------------------------------------------------
    def compare(self, figure: Mapping[str, Any]) -> Comparison:
        """Recompute one figure and compare it with its printed value."""
        figure = {str(k): v for k, v in figure.items() if not _is_missing(v)}
        ids = population_ids(self.study, figure["population"])
        measure, statistic = figure.get("measure"), figure["statistic"]
        printed = figure["printed"]
        if measure == "adverse_event":
            value, convention = self._adverse_events(figure, ids)
        elif statistic == "p_value":
            value, convention = self._p_value(figure, ids)
        elif statistic == "proportion":
            value, convention = self._proportion(figure, ids)
        elif measure in ("asas20", "asas40", "asas20_not_asas40"):
            value, convention = self._responders(figure, ids)
        elif "week" in figure:
            value, convention = self._visit_statistic(figure, ids)
        else:
            value, convention = self._patients(figure, ids)
        if statistic == "proportion" or "/" in printed:
            text, match = _fraction_text(value, len(ids), figure, printed)
        else:
            text = "" if np.isnan(value) else format_like(value, printed)
            match = not np.isnan(value) and matches_printed(value, printed)
        return Comparison(
            id=figure["id"],
            source=figure["source"],
            published=printed,
            recomputed=None if np.isnan(value) else value,
            recomputed_text=text,
            match=match,
            population=figure["population"],
            n=len(ids),
            convention=convention,
        )


def _fraction_text(count: float, n: int, figure: Mapping[str, Any], printed: str) -> tuple[str, bool]:
    """Figures printed as "8/10 (80)" or "7/8": numerator, denominator and the rounded percent."""
    if np.isnan(count):
        return "", False
    denominator = int(figure.get("denominator", n))
    head = f"{int(count)}/{denominator}"
    if "(" in printed:
        percent = printed.split("(")[1].rstrip(")").strip()
        text = f"{head} ({format_like(100 * count / denominator, percent)})"
    else:
        text = head
    return text, text == printed and denominator == n


def _responses(rows: pd.DataFrame, measure: str) -> tuple[np.ndarray, np.ndarray]:
    """Responders (missing counts as non-response) by the standard definition and the paper's wording."""

    def yes(column: str) -> np.ndarray:
        return rows[column].fillna(False).to_numpy(dtype=bool)

    if measure == "asas20_not_asas40":
        return yes("asas20") & ~yes("asas40"), yes("asas20_paper") & ~yes("asas40_paper")
    return yes(measure), yes(f"{measure}_paper")


def _describe(values: pd.Series, statistic: str) -> tuple[float, str]:
    x = values.dropna().astype(float)
    functions = {
        "mean": (lambda s: float(s.mean()), "mean"),
        "sd": (lambda s: float(s.std(ddof=1)), "SD (n - 1)"),
        "median": (lambda s: float(s.median()), "median"),
        "min": (lambda s: float(s.min()), "minimum"),
        "max": (lambda s: float(s.max()), "maximum"),
    }
    function, words = functions[statistic]
    return function(x), f"{words} of {values.name}"


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def compare_figures(
    study: LoadedStudy,
    figures: pd.DataFrame | list[Mapping[str, Any]],
    *,
    conventions: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Comparison]:
    """Recompute every figure and compare it with its printed value (see :class:`Reproduction`)."""
    records = figures.to_dict(orient="records") if isinstance(figures, pd.DataFrame) else figures
    rows = [{str(k): v for k, v in row.items()} for row in records]
    reproduction = Reproduction(study, conventions)
    return [reproduction.compare(figure) for figure in rows]


RATE_POPULATIONS = ("completers", "enrolled minus adverse-event withdrawals", "enrolled")
"""The three denominators of the response rate: 8/8, the paper's 8/10, and 8/13 over everyone treated."""


def response_rates(study: LoadedStudy, *, week: float = 24, confidence_level: float = 0.95) -> pd.DataFrame:
    """ASAS20 and ASAS40 response rates at ``week`` over three denominators, with exact intervals.

    Completers, the paper's "enrollers" (enrolled minus adverse-event withdrawals) and everyone
    treated, with non-responder imputation (a patient without a response at ``week`` counts as a
    non-responder; among completers nobody needs it). Intervals are Clopper-Pearson, from
    :func:`axspa.report.response_table`. One row per criterion and population.
    """
    from axspa.report import response_table

    sets = [analysis_set(study, name) for name in RATE_POPULATIONS]
    table = response_table(
        scored_visits(study),
        sets,
        week=week,
        responses=["asas20", "asas40"],
        imputation="nri",
        ci_method="clopper-pearson",
        confidence_level=confidence_level,
    )
    wide = table.data.pivot_table(
        index=["variable", "population"], columns="statistic", values="value", sort=False
    ).reset_index()
    wide["imputation"] = table.data["imputation"].iloc[0]
    wide["ci_method"] = table.data["method"].iloc[0]
    return wide.rename(columns={"variable": "criterion", "denominator": "n", "proportion": "rate"})[
        ["criterion", "population", "imputation", "responders", "n", "rate", "ci_low", "ci_high", "ci_method"]
    ].astype({"responders": int, "n": int})


DISPLAY_UNITS = {"crp_mg_l": "crp_mg_dl", "iga_g_l": "iga_mg_dl"}
"""The paper printed CRP and IgA in mg/dL."""


def _comparison_table(comparisons: list[Comparison]) -> Table:
    from axspa.report import Table
    from axspa.report.table import tidy_frame

    tidy = tidy_frame(
        {
            "table": "published_vs_recomputed",
            "variable": c.id,
            "level": c.published,
            "week": None,
            "statistic": "recomputed",
            "value": c.recomputed,
            "population": c.population,
            "denominator": c.n,
            "imputation": "observed cases",
            "method": c.convention,
        }
        for c in comparisons
    )
    view = pd.DataFrame(
        {
            "Figure": [c.id for c in comparisons],
            "Where": [c.source for c in comparisons],
            "Published": [c.published for c in comparisons],
            "Recomputed": [c.recomputed_text for c in comparisons],
            "Match": ["yes" if c.match else "NO" for c in comparisons],
            "Population (n)": [f"{c.population} ({c.n})" for c in comparisons],
            "How": [c.convention for c in comparisons],
        }
    )
    matched = sum(c.match for c in comparisons)
    return Table(
        name="published_vs_recomputed",
        title=f"Published versus recomputed: {matched} of {len(comparisons)} figures match at their printed precision",
        data=tidy,
        view=view,
        notes=(
            "A recomputed number matches when, rounded half away from zero to the printed decimals, it "
            "prints the same.",
            "The patient-level data are reconstructed, not real (see the data README).",
        ),
    )


def _audit_table(findings: list[Any]) -> Table:
    from axspa.report import Table
    from axspa.report.table import tidy_frame

    verdict = {True: "consistent", False: "FLAGGED", None: "note"}
    tidy = tidy_frame(
        {
            "table": "audit",
            "variable": f.check,
            "level": ", ".join(f.figures),
            "week": None,
            "statistic": "consistent",
            "value": float("nan") if f.consistent is None else float(f.consistent),
            "population": "",
            "denominator": None,
            "imputation": "",
            "method": f.detail,
        }
        for f in findings
    )
    view = pd.DataFrame(
        {
            "Check": [f.check for f in findings],
            "Verdict": [verdict[f.consistent] for f in findings],
            "Finding": [f.summary for f in findings],
            "Computation": [f.detail for f in findings],
        }
    )
    return Table(
        name="audit",
        title="Audit of the published figures alone (no patient data)",
        data=tidy,
        view=view,
        notes=("Computed from published.json only; the audit never changes a published figure.",),
    )


def write_reproduction(out_dir: str | Path, *, progress: bool = True) -> dict[str, Path]:
    """Reproduce the reference study and write the report: the full analysis plus the comparison.

    Runs :func:`axspa.report.analyze` on the bundled study as the paper analysed it (BAS-G as the
    patient global; CRP and IgA shown in mg/dL), adds the week-8 outcomes of the 10 patients on
    treatment at week 8 (under the convention recorded for those p-values), the
    published-versus-recomputed table and the audit, and writes HTML, Markdown, CSV and figures.
    """
    from axspa.forensics.audit import audit_figures
    from axspa.report import analyze, outcomes_table, write_report
    from axspa.studies import thalidomide_2003 as reference

    study = reference.load()
    analysis = analyze(
        study,
        None,
        scoring={"patient_global": "basg"},
        display_units=DISPLAY_UNITS,
        demographics_digits={"age_years": 0},
        progress=progress,
        title="Thalidomide in refractory ankylosing spondylitis (J Rheumatol 2003;30:2627-31), "
        "reproduced from reconstructed patient-level data",
    )
    conventions = reference.conventions()
    week8 = SignedRankConvention(**conventions["week8.basdai.p"])
    week8_table = outcomes_table(
        analysis.scored,
        analysis_set(study, "on treatment at week 8"),
        measures=["basdai", "esr_mm_h"],
        weeks=[0, 8],
        test=week8,
        display_units=DISPLAY_UNITS,
    )
    week8_table = replace(
        week8_table,
        name="outcomes_week8",
        title="Outcomes at week 8, patients on treatment at week 8 (the text's week-8 figures)",
    )
    comparisons = compare_figures(study, reference.published_figures(), conventions=conventions)
    report = replace(
        analysis.report,
        tables=[
            *analysis.report.tables,
            week8_table,
            _comparison_table(comparisons),
            _audit_table(audit_figures(reference.published())),
        ],
        methods=[
            *analysis.report.methods,
            "Reproduction: every figure of the paper (published.json, kept as printed) is recomputed from the "
            "reconstructed patient-level files and compared at its printed precision. P-values use the "
            "convention recorded per figure in conventions.json: "
            + "; ".join(f"{k}: {SignedRankConvention(**v).describe()}" for k, v in conventions.items())
            + ".",
        ],
    )
    return write_report(report, out_dir)
