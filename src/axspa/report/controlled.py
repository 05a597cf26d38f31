"""The report of a controlled trial: tables by arm, figures by arm, a forest plot and the methods text.

:func:`axspa.report.analyze` calls :func:`controlled_report` for a study whose design has arms
(:class:`axspa.design.StudyDesign`). Efficacy is analysed in the full analysis set (every randomised
patient in the arm of randomisation), adverse events in the safety set; every test, interval, model
and population is named in the tables' notes and in the methods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from axspa.analysis_sets import AnalysisSet, controlled_sets, per_protocol
from axspa.design import StudyDesign
from axspa.errors import InputError
from axspa.imputation import IMPUTATIONS
from axspa.io import LoadedStudy
from axspa.measures import MeasureRegistry
from axspa.report.figures import arm_mean_plot, forest_plot, new_axes, response_rate_plot
from axspa.report.figures._common import figure_of
from axspa.report.format import ROUNDING_NOTE, fmt_num, loading_notes
from axspa.report.labels import RISK_DIFFERENCE_NAMES, TWO_BY_TWO_TEST_NAMES, label_of
from axspa.report.plan import AnalysisPlan
from axspa.report.table import Table
from axspa.report.tables import (
    adverse_event_table,
    change_by_arm_table,
    demographics_table,
    disposition_table,
    response_by_arm_table,
)
from axspa.report.tables._common import Progress, _tick
from axspa.report.tables.change_by_arm import RANK_SUM_METHOD_TEXT
from axspa.report.writer import ReportFigure

__all__ = ["CHANGE_MEASURES", "ControlledReport", "controlled_report"]

CHANGE_MEASURES: tuple[str, ...] = ("basdai", "basfi", "basg", "asdas_crp")
"""Continuous indices whose change from baseline is compared between arms (those present), before the
study's own measures."""


@dataclass(frozen=True, slots=True)
class ControlledReport:
    """The parts of a controlled trial's report (assembled into a :class:`~axspa.report.writer.Report`)."""

    sets: Mapping[str, AnalysisSet]
    tables: list[Table]
    figures: list[ReportFigure]
    methods: list[str]
    design: StudyDesign


def controlled_report(
    study: LoadedStudy,
    scored: pd.DataFrame,
    plan: AnalysisPlan,
    *,
    week: float,
    weeks: Sequence[float],
    progress: Progress | None = None,
) -> ControlledReport:
    """Tables, figures and methods of a controlled trial.

    Parameters
    ----------
    study : LoadedStudy
        A study with arms (``study.design.controlled``).
    scored : DataFrame
        Its scored visits (:func:`axspa.report.pipeline.score`).
    plan : AnalysisPlan
        The analysis choices; ``plan.control`` overrides the study file's control arm.
    week : float
        The primary time point (responses in the forest plot).
    weeks : sequence of float
        Every visit week of the study.
    progress : callable, optional
        Called with a short line as each table (and each measure of the change table) starts; default silent.

    Returns
    -------
    ControlledReport

    Raises
    ------
    InputError
        If the study has no arms or no control arm is named.
    """
    design = study.design.with_control(plan.control)
    control = design.require_control()
    sets = controlled_sets(study.patients, design)
    if plan.per_protocol is not None:
        sets["per_protocol"] = _per_protocol(study.patients, plan.per_protocol)
    fas = sets["fas"]
    post = [w for w in weeks if w > plan.baseline_week]
    _tick(progress, "responses by arm")
    responses = response_by_arm_table(
        scored,
        fas,
        design,
        weeks=post,
        responses=plan.responses,
        imputation=plan.response_imputation,
        ci_method=plan.ci_method,
        difference_method=plan.difference_method,
        test=plan.response_test,
        confidence_level=plan.confidence_level,
    )
    measures = plan.measures if plan.measures is not None else _change_measures(scored, study)
    change = change_by_arm_table(
        scored,
        fas,
        design,
        measures=measures,
        baseline_week=plan.baseline_week,
        model=plan.change_model,
        confidence_level=plan.confidence_level,
        rank_sum_method=plan.rank_sum_method,
        patients=study.patients,
        registry=study.registry,
        progress=progress,
    )
    _tick(progress, "baseline characteristics, disposition and adverse events by arm")
    tables = [
        demographics_table(study.patients, fas, design=design, center=plan.center, digits=plan.demographics_digits),
        disposition_table(study.patients, sets=list(sets.values()), design=design),
        responses,
        change,
    ]
    if len(study.adverse_events):
        tables.append(adverse_event_table(study.adverse_events, sets["safety"], design=design, patients=study.patients))
    _tick(progress, "figures by arm")
    figures = _figures(responses, change, design, week=week, registry=study.registry)
    methods = _methods(study, design, sets, plan, week=week, control=control, tables=tables)
    return ControlledReport(sets=sets, tables=tables, figures=figures, methods=methods, design=design)


def _per_protocol(patients: pd.DataFrame, stated: Mapping[str, str]) -> AnalysisSet:
    """The per-protocol set of the plan's stated rule, evaluated on the patient columns."""
    rule = stated["rule"]

    def mask(frame: pd.DataFrame) -> object:
        try:
            return frame.eval(rule)
        except Exception as exc:  # pandas raises many kinds for a bad expression; name the rule instead
            raise InputError(
                f"analysis plan: the per-protocol rule {rule!r} cannot be evaluated on the patient columns "
                f"({', '.join(frame.columns)}): {exc}"
            ) from None

    return per_protocol(patients, rule=mask, definition=f"{stated['definition']} (rule: {rule})")


def _change_measures(scored: pd.DataFrame, study: LoadedStudy) -> list[str]:
    return [m for m in (*CHANGE_MEASURES, *study.study_measures) if m in scored.columns and scored[m].notna().any()]


def _rows(table: Table, **where: object) -> pd.DataFrame:
    data = table.data
    mask = pd.Series(True, index=data.index)
    for column, value in where.items():
        mask &= data[column] == value
    return data[mask]


def _wide(table: Table, statistics: Sequence[str], **where: object) -> pd.DataFrame:
    """Per-arm rows of ``table`` as one row per (variable, arm, week) with a column per statistic."""
    data = _rows(table, **where)
    data = data[data["statistic"].isin(statistics)]
    wide = data.pivot_table(index=["variable", "arm", "week"], columns="statistic", values="value", dropna=False)
    order = {v: i for i, v in enumerate(dict.fromkeys(data["variable"]))}
    wide = wide.reset_index()
    return wide.sort_values(
        ["variable", "week"], key=lambda c: c.map(order) if c.name == "variable" else c, kind="stable"
    )


def _figures(
    responses: Table, change: Table, design: StudyDesign, *, week: float, registry: MeasureRegistry
) -> list[ReportFigure]:
    labels = design.arm_labels
    figures = []
    means = _wide(change, ["n", "mean", "sd"])
    means = means[means["arm"].isin(design.codes)]
    for number, measure in enumerate(dict.fromkeys(means["variable"]), start=1):
        summary = means[means["variable"] == measure].rename(columns={"sd": "spread"})
        ax = arm_mean_plot(
            summary[["arm", "week", "mean", "spread", "n"]],
            arm_labels=labels,
            spread="SD",
            ylabel=label_of(measure, registry),
            title="",
            ax=new_axes(),
        )
        figures.append(
            ReportFigure(
                f"figure{number}_{measure}_by_arm",
                f"Figure {number}. {label_of(measure, registry)} by arm: observed mean ± SD per visit, with the "
                "number of patients per arm and visit; full analysis set, observed cases.",
                figure_of(ax),
            )
        )
    rates = _wide(responses, ["rate", "ci_low", "ci_high", "responders", "n"])
    rates = rates[rates["arm"].isin(design.codes)]
    first = next(iter(dict.fromkeys(rates["variable"])), None)
    if first is not None:
        shown = rates[rates["variable"] == first].rename(columns={"ci_low": "low", "ci_high": "high"})
        ax = response_rate_plot(
            shown[["arm", "week", "rate", "low", "high", "responders", "n"]],
            arm_labels=labels,
            ylabel=f"{label_of(first)} responders (%)",
            title="",
            ax=new_axes(),
        )
        method = _rows(responses, variable=first, statistic="ci_low")["method"].iloc[0]
        figures.append(
            ReportFigure(
                "responders_by_arm",
                f"{label_of(first)} response rate by arm and visit with the {method} interval; "
                f"full analysis set, {responses.data['imputation'].iloc[0]}.",
                figure_of(ax),
            )
        )
    figures += _forest(responses, design, week=week)
    return figures


def _forest(responses: Table, design: StudyDesign, *, week: float) -> list[ReportFigure]:
    figures = []
    for arm in design.experimental:
        comparison = f"{arm} vs {design.require_control()}"
        rows = _wide(responses, ["difference", "difference_ci_low", "difference_ci_high"], arm=comparison, week=week)
        if rows.empty:
            continue
        order = list(dict.fromkeys(_rows(responses, arm=comparison)["variable"]))
        rows = rows.set_index("variable").reindex(order).reset_index()
        frame = pd.DataFrame(
            {
                "label": [label_of(v) for v in rows["variable"]],
                "estimate": rows["difference"],
                "low": rows["difference_ci_low"],
                "high": rows["difference_ci_high"],
            }
        )
        method = _rows(responses, arm=comparison, statistic="difference_ci_low")["method"].iloc[0]
        ax = forest_plot(
            frame,
            xlabel=f"Difference in response rate, {design.label(arm)} minus {design.label(design.require_control())}",
            title="",
            favours=(design.label(design.require_control()), design.label(arm)),
            ax=new_axes(figsize=(7.0, 0.6 * len(frame) + 1.6)),
        )
        figures.append(
            ReportFigure(
                f"forest_{arm}_vs_{design.require_control()}",
                f"Differences in response rates at week {fmt_num(week, None)}, {design.comparison_label(arm)}, "
                f"with the {method} interval; full analysis set, {responses.data['imputation'].iloc[0]}.",
                figure_of(ax),
            )
        )
    return figures


def _methods(
    study: LoadedStudy,
    design: StudyDesign,
    sets: Mapping[str, AnalysisSet],
    plan: AnalysisPlan,
    *,
    week: float,
    control: str,
    tables: Sequence[Table],
) -> list[str]:
    arms = "; ".join(
        f"{a.label} ({a.code}, n = {sets['fas'].arms.count(a.code)} randomised)"
        + (", the control arm" if a.code == control else "")
        for a in design.arms
    )
    strata = (
        f" Randomisation was stratified by {', '.join(design.strata)} (as recorded in the data)."
        if design.strata
        else ""
    )
    imputation = IMPUTATIONS[plan.response_imputation]
    text = [
        "Analysis plan: " + "; ".join(plan.describe(controlled=True)) + ".",
        f"Design: a controlled trial with {len(design.arms)} arms: {arms}.{strata}",
        "Analysis populations: " + "; ".join(s.describe() for s in sets.values()) + ".",
        f"Baseline is week {fmt_num(plan.baseline_week, None)}; the primary time point is week {fmt_num(week, None)}.",
        f"Efficacy is analysed in the full analysis set. Responses per arm and visit with {imputation.label} "
        f"({imputation.definition}); each arm is compared with the control arm by the difference of response "
        f"rates with the {RISK_DIFFERENCE_NAMES[plan.difference_method]} interval and by "
        f"{TWO_BY_TWO_TEST_NAMES[plan.response_test]}.",
        "Change from baseline of the continuous measures is compared between arms by the model named in its "
        "table (change_model = " + plan.change_model + "), with the Wilcoxon rank-sum test of change and the "
        "Hodges-Lehmann shift with its interval as the small-sample alternative: "
        + RANK_SUM_METHOD_TEXT[plan.rank_sum_method]
        + "; the method used is recorded with every p-value and interval.",
        "Baseline characteristics are described by arm without tests of baseline differences (CONSORT 2010).",
    ]
    if len(study.adverse_events):
        text.append("Adverse events are counted per patient in the safety set, by arm.")
    else:
        text.append("No adverse events were recorded in the study files, so there is no adverse-event table.")
    text += [f"{t.title}: " + " ".join(t.notes) for t in tables if t.name in ("responses_by_arm", "change_by_arm")]
    text.append(ROUNDING_NOTE)
    text += loading_notes(study)
    return text
