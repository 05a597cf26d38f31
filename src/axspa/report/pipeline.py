"""The whole pipeline on a study folder: load, score, analysis sets, tables, figures, report."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from axspa.analysis_sets import AnalysisSet, standard_sets
from axspa.errors import InputError
from axspa.imputation import IMPUTATIONS
from axspa.io import LoadedStudy, load_study
from axspa.measures import UNIT_ALIASES, MeasureKind, MeasureRegistry
from axspa.options import OnInvalid
from axspa.report.figures import mean_sd_plot, new_axes, responder_plot, spaghetti_plot
from axspa.report.figures._common import figure_of
from axspa.report.format import ROUNDING_NOTE, fmt_num, loading_notes
from axspa.report.plan import AnalysisPlan
from axspa.report.table import Table
from axspa.report.tables import (
    DEFAULT_MEASURES,
    adverse_event_table,
    demographics_table,
    disposition_table,
    label_of,
    outcomes_table,
    response_table,
)
from axspa.report.tables._common import Progress, _tick
from axspa.report.writer import Report, ReportFigure, write_report
from axspa.results import Result, compact
from axspa.stats import SignedRankConvention

__all__ = ["INDEX_MEASURES", "LAB_MEASURES", "Analysis", "analyze", "score"]

INDEX_MEASURES: tuple[str, ...] = ("basdai", "basfi", "basg")
"""Measures of the first mean ± SD figure (the reference paper's Figure 1), where present."""

LAB_MEASURES: tuple[str, ...] = ("esr_mm_h", "crp_mg_l", "iga_g_l")
"""Measures of the second figure (laboratory values, one panel each), where present."""


@dataclass(frozen=True, eq=False, slots=True, repr=False)
class Analysis(Result):
    """What :func:`analyze` produced.

    Attributes
    ----------
    study : LoadedStudy
        The loaded study (with its exclusions report).
    scored : DataFrame
        Scored visits.
    sets : dict
        Analysis sets by name.
    report : Report
        Tables, figures and methods.
    paths : dict
        Written files by kind (empty when nothing was written).
    plan : AnalysisPlan
        The choices the analysis was run with.
    """

    study: LoadedStudy
    scored: pd.DataFrame
    sets: Mapping[str, AnalysisSet]
    report: Report
    paths: Mapping[str, Path]
    plan: AnalysisPlan = field(default_factory=AnalysisPlan)

    def _summary_items(self) -> list[tuple[str, str]]:
        return [
            ("study", compact(self.study.name)),
            ("patients", str(len(self.study.patients))),
            ("scored", compact(self.scored)),
            ("sets", compact({name: s.n for name, s in self.sets.items()})),
            ("tables", compact([t.name for t in self.report.tables])),
            ("figures", compact([f.name for f in self.report.figures])),
            ("paths", compact({k: str(v) for k, v in self.paths.items()})),
        ]

    def to_frame(self) -> pd.DataFrame:
        """The tidy numbers of every table, stacked (columns :data:`axspa.report.table.TIDY_COLUMNS`)."""
        return pd.concat([t.data for t in self.report.tables], ignore_index=True)

    @property
    def tables(self) -> dict[str, Table]:
        """Tables by name."""
        return {t.name: t for t in self.report.tables}


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def terminal_ticker(progress: bool | Progress, stream: TextIO | None = None) -> Progress | None:
    """Progress within a long step (one line per table), or None: only with ``progress=True`` and only when
    ``stream`` (default ``sys.stderr``) is a terminal; quiet otherwise (files, pipes, a progress callable)."""
    out = sys.stderr if stream is None else stream
    if progress is not True or not out.isatty():
        return None

    def tick(message: str) -> None:
        print(f"axspa:   {message}", file=out, flush=True)

    return tick


def _require_something_to_analyse(study: LoadedStudy, weeks: list[float], baseline_week: float) -> None:
    """An :class:`InputError` saying what is empty, for a study that loads but holds nothing to analyse."""
    excluded = f"; {len(study.excluded_rows)} rows were excluded (see axspa validate)" if len(study.exclusions) else ""
    if study.patients.empty or study.visits.empty:
        empty = "no patient" if study.patients.empty else "no visit"
        raise InputError(f"study {study.name!r}: {empty} was loaded, so there is nothing to analyse{excluded}")
    if all(w == baseline_week for w in weeks):
        raise InputError(
            f"study {study.name!r}: every visit is at the baseline week {baseline_week:g}, so there is no change "
            f"from baseline to analyse{excluded}"
        )


@contextmanager
def _step(progress: Progress | None, text: str) -> Iterator[None]:
    start = time.perf_counter()
    if progress is not None:
        progress(f"axspa: {text} ...")
    yield
    if progress is not None:
        progress(f"axspa: {text} done ({time.perf_counter() - start:.1f} s)")


def score(visits: pd.DataFrame, *, baseline_week: float = 0, **options: Any) -> pd.DataFrame:
    """Scored visits for reporting: :func:`axspa.derive.score_visits` (``options`` go to it) with every
    visit column it does not make kept (laboratory values, a study's own measures)."""
    from axspa.derive import score_visits

    return score_visits(visits, baseline_week=baseline_week, keep=True, **options)


def analyze(
    source: str | Path | LoadedStudy,
    out_dir: str | Path | None = None,
    *,
    plan: AnalysisPlan | str | Path | None = None,
    strict: bool = True,
    title: str | None = None,
    progress: bool | Progress = True,
    mapping: str | Path | None = None,
    on_invalid: OnInvalid = "exclude",
    **options: Any,
) -> Analysis:
    """Run the whole analysis on a study in the canonical format and write the report.

    A single-arm study (no arms) gets the single-arm report: outcomes against baseline with the
    signed-rank test, responses in several analysis sets. A controlled trial (a study whose design has
    arms, :class:`axspa.design.StudyDesign`) gets the controlled-trial report of
    :func:`axspa.report.controlled.controlled_report`: tables and figures by arm, between-arm
    differences with their intervals and tests, a forest plot, efficacy in the full analysis set and
    adverse events in the safety set.

    Parameters
    ----------
    source : path or LoadedStudy
        A study folder (``patients.csv``, ``visits.csv``, optional ``adverse_events.csv``; read
        with :func:`axspa.io.load_study`) or an already loaded study.
    out_dir : path, optional
        Folder to write the report into (see :func:`axspa.report.writer.write_report`); nothing is
        written if omitted.
    plan : AnalysisPlan or path, optional
        Every analysis choice (populations, imputation, test convention, intervals, time points);
        a path is read with :meth:`AnalysisPlan.from_toml`. Default: :class:`AnalysisPlan`'s
        defaults. The plan is recorded in the report's methods section.
    strict : bool
        Loading mode: True raises on any invalid row; False loads the good rows and lists the others.
    title : str, optional
        Report title; default from the study name.
    progress : bool or callable
        True prints each step and its duration to stderr, and, when stderr is a terminal, each table
        within the long table step (:func:`terminal_ticker`); a callable receives the step messages.
    mapping : path, optional
        A mapping file for a study folder holding an export (:func:`axspa.io.load_study`).
    on_invalid : {"exclude", "missing"}
        With ``strict=False``: exclude a row with a bad value, or load it with the value set missing
        (:func:`axspa.io.load_study`).
    **options
        Fields of :class:`AnalysisPlan` (``week``, ``outcome_set``, ``test``, ``scoring``,
        ``control``, ...), overriding those of ``plan``.

    Returns
    -------
    Analysis

    Raises
    ------
    InputError
        If the study cannot be loaded, or an option is unknown.
    """
    if plan is None:
        plan = AnalysisPlan()
    elif not isinstance(plan, AnalysisPlan):
        plan = AnalysisPlan.from_toml(plan)
    plan = plan.updated(**options)
    baseline_week = plan.baseline_week
    report_progress: Progress | None = _stderr if progress is True else (progress or None)
    with _step(report_progress, "loading the study"):
        study = (
            source
            if isinstance(source, LoadedStudy)
            else load_study(source, strict=strict, baseline_week=baseline_week, mapping=mapping, on_invalid=on_invalid)
        )
    with _step(report_progress, "scoring the visits"):
        scored = score(study.visits, baseline_week=baseline_week, **dict(plan.scoring))
    weeks = sorted(pd.to_numeric(scored["week"]).astype(float).unique().tolist())
    _require_something_to_analyse(study, weeks, baseline_week)
    week = plan.week
    if week is None:
        week = study.design.primary_week if study.design.primary_week is not None else weeks[-1]
    elif float(week) not in weeks:
        raise InputError(f"week {week:g} is not a visit of this study; visits: {weeks}")
    summary = [line.strip().rstrip(":") for line in study.summary().splitlines()]
    if study.design.controlled or plan.control is not None:
        from axspa.report.controlled import controlled_report

        with _step(report_progress, "building the controlled-trial tables and figures"):
            parts = controlled_report(study, scored, plan, week=week, weeks=weeks, progress=terminal_ticker(progress))
        report = Report(
            title=title or f"{study.design.title or study.name}: analysis report",
            tables=parts.tables,
            figures=parts.figures,
            methods=parts.methods,
            summary=summary,
        )
        return _finish(study, scored, parts.sets, report, plan, out_dir, report_progress)
    sets = standard_sets(study.patients)
    test = plan.test
    primary = sets[plan.outcome_set]
    if primary.n == 0:
        others = [f"{s.name} (n = {s.n})" for s in sets.values() if s.n]
        raise InputError(
            f"study {study.name!r}: the analysis set {primary.name!r} ({primary.label}) is empty, so there is no "
            f"outcome to analyse; choose another with --population: {', '.join(others)}"
        )
    display_units = plan.display_units

    ticker = terminal_ticker(progress)
    with _step(report_progress, "building the tables"):
        _tick(ticker, "responses table")
        responses_t = response_table(
            scored,
            list(sets.values()),
            week=week,
            responses=plan.responses,
            imputation=plan.response_imputation,
            ci_method=plan.ci_method,
            confidence_level=plan.confidence_level,
        )
        outcomes_t = outcomes_table(
            scored,
            primary,
            measures=plan.measures
            if plan.measures is not None
            else [m for m in (*DEFAULT_MEASURES, *study.study_measures) if m in scored.columns] or None,
            imputation=plan.outcome_imputation,
            test=test,
            confidence_level=plan.confidence_level,
            display_units=display_units if display_units is not None else study.input_units,
            baseline_week=baseline_week,
            registry=study.registry,
            progress=ticker,
        )
        _tick(ticker, "demographics, disposition and adverse-event tables")
        tables = [
            demographics_table(study.patients, sets["enrolled"], center=plan.center, digits=plan.demographics_digits),
            disposition_table(study.patients, sets=list(sets.values())),
            responses_t,
            outcomes_t,
        ]
        if len(study.adverse_events):
            tables.append(adverse_event_table(study.adverse_events, sets["enrolled"]))
    with _step(report_progress, "drawing the figures"):
        figures = _figures(scored, responses_t, outcomes_t, sets["enrolled"], test, study.registry)
    methods = _methods(scored, study, sets, week, plan, primary, responses_t.data["method"].iloc[0])
    report = Report(
        title=title or f"{study.name}: analysis report",
        tables=tables,
        figures=figures,
        methods=methods,
        summary=summary,
    )
    return _finish(study, scored, sets, report, plan, out_dir, report_progress)


def _finish(
    study: LoadedStudy,
    scored: pd.DataFrame,
    sets: Mapping[str, AnalysisSet],
    report: Report,
    plan: AnalysisPlan,
    out_dir: str | Path | None,
    progress: Progress | None,
) -> Analysis:
    paths: dict[str, Path] = {}
    if out_dir is not None:
        with _step(progress, f"writing the report to {out_dir}"):
            paths = write_report(report, out_dir)
    return Analysis(study=study, scored=scored, sets=sets, report=report, paths=paths, plan=plan)


def _figures(
    scored: pd.DataFrame,
    responses: Table,
    outcomes: Table,
    everyone: AnalysisSet,
    test: SignedRankConvention,
    registry: MeasureRegistry,
) -> list[ReportFigure]:
    present = set(outcomes.data["variable"])
    population = outcomes.data["population"].iloc[0]
    imputation = outcomes.data["imputation"].iloc[0]
    context = f"{population}; {imputation}; p against baseline: {test.sentence()}"
    figures = []
    indices = [m for m in INDEX_MEASURES if m in present]
    if indices:
        ax = mean_sd_plot(outcomes, indices)
        figures.append(
            ReportFigure(
                "figure1_indices",
                f"Figure 1. {', '.join(label_of(m) for m in indices)}: mean ± SD per visit, n per visit; {context}.",
                figure_of(ax),
            )
        )
    variables = [m for m in outcomes.data["variable"].unique() if m in registry or m in UNIT_ALIASES]
    panels = {
        kind: [m for m in variables if registry.lookup(m).kind is kind] for kind in (MeasureKind.LAB, MeasureKind.STUDY)
    }
    captions = {
        MeasureKind.LAB: ("figure2_laboratory", "Figure 2. Laboratory values"),
        MeasureKind.STUDY: ("figure3_study_measures", "Figure 3. The study's own measures ({shown})"),
    }
    for kind, names in panels.items():
        if not names:
            continue
        from matplotlib.figure import Figure

        fig = Figure(figsize=(4.2 * len(names), 4.0), layout="constrained")
        for ax, m in zip(fig.subplots(1, len(names), squeeze=False)[0], names, strict=True):
            mean_sd_plot(outcomes, m, ax=ax, title="")
            ax.set_ylabel(f"{label_of(m, registry)}, mean ± SD")
        fig.suptitle(f"{population}; {imputation}\np: {outcomes.meta.get('test', test.short())}", fontsize=9)
        stem, caption = captions[kind]
        caption = caption.format(shown=", ".join(label_of(m, registry) for m in names))
        figures.append(ReportFigure(stem, f"{caption}: mean ± SD per visit, n per visit; {context}.", fig))
    main = next((m for m in ("basdai", *present) if m in scored.columns), None)
    if main is not None:
        ax = spaghetti_plot(scored, main, everyone, ax=new_axes())
        seen = scored["patient_id"].isin(everyone.patient_ids) & scored[main].notna()
        with_values = scored.loc[seen, "patient_id"].nunique()
        figures.append(
            ReportFigure(
                f"trajectories_{main}",
                f"Individual {label_of(main)} trajectories, {everyone.label} (n = {everyone.n}); observed values"
                + (
                    f"; a seeded random sample of {len(ax.lines)} of the {with_values} patients with values is drawn."
                    if len(ax.lines) < with_values
                    else "."
                ),
                figure_of(ax),
            )
        )
    ax = responder_plot(responses)
    figures.append(
        ReportFigure(
            "responders",
            f"Responders at week {fmt_num(responses.data['week'].iloc[0], None)} by population "
            f"({responses.data['imputation'].iloc[0]}); bars show the {responses.data['method'].iloc[0]}.",
            figure_of(ax),
        )
    )
    return figures


def _methods(
    scored: pd.DataFrame,
    study: LoadedStudy,
    sets: Mapping[str, AnalysisSet],
    week: float,
    plan: AnalysisPlan,
    primary: AnalysisSet,
    ci_text: str,
) -> list[str]:
    baseline_week, test = plan.baseline_week, plan.test
    response_imputation, outcome_imputation = plan.response_imputation, plan.outcome_imputation
    text = [
        "Analysis plan: " + "; ".join(plan.describe()) + ".",
        "Analysis populations: " + "; ".join(s.describe() for s in sets.values()) + ".",
        f"Baseline is week {fmt_num(baseline_week, None)}; responses are assessed at week "
        f"{fmt_num(week, None)} "
        f"in every population, with {IMPUTATIONS[response_imputation].label} "
        f"({IMPUTATIONS[response_imputation].definition}).",
        f"Continuous outcomes are analysed in {primary.label} (n = {primary.n}) with "
        f"{IMPUTATIONS[outcome_imputation].label} ({IMPUTATIONS[outcome_imputation].definition}).",
        f"Paired comparisons against baseline: {test.sentence()}. The Hodges-Lehmann estimate is the median "
        "of the Walsh averages of the differences, with its "
        + (
            "exact confidence interval (Bauer 1972)"
            if test.method == "exact" and test.preset is None
            else "exact confidence interval (Bauer 1972) where the test is exact and the asymptotic one (normal "
            "critical value, tie-corrected variance) where it is asymptotic; the method used is recorded per "
            "p-value and interval in the outcomes table"
        )
        + ", on the same sample and zero handling as the test.",
        f"Binomial proportions: {ci_text}. Standard deviations use n - 1.",
        ROUNDING_NOTE,
        "Indices and responses are computed per patient and visit by axspa.derive.score_visits (formulas "
        "and sources in axspa.indices and axspa.response) with the options: "
        + (", ".join(f"{k} = {v}" for k, v in scored.attrs.get("choices", {}).items()) or "not recorded")
        + ".",
    ]
    if not len(study.adverse_events):
        text.append("No adverse events were recorded in the study files, so there is no adverse-event table.")
    text += loading_notes(study)
    return text
