"""Figures of a single-arm report: mean ± SD over the visits, individual trajectories, responder bars.

The plotted numbers come from the tables (:func:`~axspa.report.tables.outcomes_table`,
:func:`~axspa.report.tables.response_table`), so a figure always shows what its table says.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet
from axspa.errors import InputError
from axspa.imputation import impute
from axspa.report.figures._common import dodge, literal_text, new_axes, series_style
from axspa.report.format import fmt_num, fmt_p
from axspa.report.labels import label_of
from axspa.report.table import Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["SPAGHETTI_MAX_LINES", "mean_sd_plot", "responder_plot", "spaghetti_plot", "spaghetti_sample"]


def _check_table(table: Table, name: str) -> None:
    if not isinstance(table, Table) or table.name != name:
        got = table.name if isinstance(table, Table) else type(table).__name__
        raise InputError(f"expected a {name!r} table from axspa.report.tables; got {got!r}")


def mean_sd_plot(
    outcomes: Table,
    measures: str | Sequence[str],
    *,
    ax: Axes | None = None,
    annotate_n: bool = True,
    annotate_p: bool = True,
    title: str | None = None,
) -> Axes:
    """Mean ± SD of one or more measures at each visit, with n per visit and p against baseline.

    One line with SD error bars per measure (the table's ``visit`` rows: mean and SD over the
    patients with a value at that visit), measures dodged slightly along x and told apart by marker
    and line style as well as colour. Under the x axis, aligned with the visits, a row of n per
    visit and a row of the signed-rank p of each post-baseline visit against baseline (the table's
    ``paired`` rows, under the convention stated in the table's notes), one pair of rows per
    measure, labelled with the measure when there are several. The rows are laid out when the
    figure is drawn, so that no two labels overlap at any size of the Axes: labels that would touch
    go on a further line of their row.

    Parameters
    ----------
    outcomes : Table
        From :func:`~axspa.report.tables.outcomes_table`.
    measures : str or sequence of str
        Measure(s) as named in the table's ``variable`` column.
    ax : Axes, optional
        Where to draw; a new one if omitted.
    annotate_n, annotate_p : bool
        Write n per visit and p-values under the plot.
    title : str, optional
        Axes title; default the population and imputation.

    Returns
    -------
    Axes
        ``ax.lines`` (one per measure, labelled with the measure) hold the weeks and means; the
        error bars are in ``ax.containers``, one ``ErrorbarContainer`` per measure. The texts with
        gid ``"n"`` and ``"p"`` are the n and p rows, in the order of the measures and visits.

    Raises
    ------
    InputError
        If the table is not an outcomes table or lacks a measure.
    """
    from axspa.report.figures._rows import LabelRows, visit_axis

    _check_table(outcomes, "outcomes")
    names = [measures] if isinstance(measures, str) else list(measures)
    data = outcomes.data
    if ax is None:  # room under the plot for the rows of n and p, so the plot keeps its height
        ax = new_axes(figsize=(6.4, 4.2 + 0.2 * len(names) * (int(annotate_n) + int(annotate_p))))
    rows = LabelRows(ax, legend_below=len(names) > 1)
    all_weeks = sorted(data.loc[data["variable"].isin(names), "week"].dropna().unique())
    for i, (offset, m) in enumerate(zip(dodge(len(names), all_weeks), names, strict=True)):
        visits = data[(data["variable"] == m) & (data["level"] == "visit")]
        if visits.empty:
            raise InputError(f"the outcomes table has no measure {m!r}; it has {sorted(data['variable'].unique())}")
        wide = visits.pivot(index="week", columns="statistic", values="value").sort_index()
        wide = wide[wide["n"] > 0]
        weeks = wide.index.to_numpy(dtype=float)
        mean, sd = wide["mean"].to_numpy(dtype=float), wide["sd"].to_numpy(dtype=float)
        style = series_style(i) if len(names) > 1 else {"marker": "o"}
        bars = ax.errorbar(weeks + offset, mean, yerr=np.nan_to_num(sd), capsize=3, label=label_of(m), **style)
        color = bars.lines[0].get_color()
        paired = data[(data["variable"] == m) & (data["level"] == "paired") & (data["statistic"] == "pvalue")]
        pvalues = dict(zip(paired["week"], paired["value"], strict=True))
        row_label = label_of(m) if len(names) > 1 else None
        if annotate_n:
            rows.add_row(row_label, weeks, [f"n={int(k)}" for k in wide["n"]], color=color, gid="n")
            row_label = None
        if annotate_p:
            tested = [w for w in weeks if w in pvalues and np.isfinite(pvalues[w])]
            rows.add_row(row_label, tested, [f"p={fmt_p(pvalues[w])}" for w in tested], color=color, gid="p")
    visit_axis(ax, all_weeks)
    ax.margins(y=0.05)
    ax.set_ylabel("Mean ± SD" if len(names) > 1 else f"{label_of(names[0])}, mean ± SD")
    if title is None:
        population = outcomes.meta.get("population", data["population"].iloc[0])
        title = f"{population}; {data['imputation'].iloc[0]}"
        if annotate_p:
            title += f"\np: {outcomes.meta.get('test', 'see the table notes')}"
    ax.set_title(title, fontsize=9)
    if len(names) > 1:
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=len(names), frameon=False)
    return literal_text(ax)


SPAGHETTI_MAX_LINES = 50
"""Above this many patients with values, :func:`spaghetti_plot` draws a seeded random sample of this size."""


def spaghetti_sample(patient_ids: Sequence[str], *, max_lines: int = SPAGHETTI_MAX_LINES, seed: int = 0) -> list[str]:
    """The patients :func:`spaghetti_plot` draws: all up to ``max_lines``, else a seeded random sample of that many.

    The sample (``numpy.random.default_rng(seed).choice`` without replacement) keeps the given order.
    """
    ids = list(patient_ids)
    if len(ids) <= max_lines:
        return ids
    keep = np.sort(np.random.default_rng(seed).choice(len(ids), size=max_lines, replace=False))
    return [ids[i] for i in keep]


def spaghetti_plot(
    scored: pd.DataFrame,
    measure: str,
    analysis_set: AnalysisSet,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    max_lines: int = SPAGHETTI_MAX_LINES,
    seed: int = 0,
) -> Axes:
    """Each patient's observed values over the visits, one line per patient (a random sample above ``max_lines``).

    Only observed values are drawn (no imputation); a withdrawn patient's line stops at the last
    visit. Lines are labelled with the patient id, in the order of the analysis set. When more than
    ``max_lines`` patients (default :data:`SPAGHETTI_MAX_LINES`, 50) have values, a random sample of
    ``max_lines`` of them is drawn (:func:`spaghetti_sample`, seeded by ``seed``) and the title says so,
    so that the figure stays readable at any n.

    Returns
    -------
    Axes
        ``ax.lines[i]`` is the i-th patient drawn, in the order of ``analysis_set.patient_ids``
        (patients without any value are skipped and named in the title, or counted beyond ten).
    """
    imputed = impute(scored, analysis_set, method="observed", columns=[measure])
    frame = imputed.frame.dropna(subset=[measure])
    by_patient = {pid: rows for pid, rows in frame.groupby("patient_id", sort=False)}
    ax = ax if ax is not None else new_axes()
    missing = [pid for pid in analysis_set.patient_ids if pid not in by_patient]
    with_values = [pid for pid in analysis_set.patient_ids if pid in by_patient]
    drawn = spaghetti_sample(with_values, max_lines=max_lines, seed=seed)
    for pid in drawn:
        rows = by_patient[pid].sort_values("week")
        ax.plot(
            rows["week"].to_numpy(dtype=float),
            rows[measure].to_numpy(dtype=float),
            marker=".",
            linewidth=1,
            alpha=0.8,
            label=pid,
        )
    ax.set_xlabel("Week")
    ax.set_ylabel(label_of(measure))
    text = f"{analysis_set.label} (n = {analysis_set.n}); observed values, no imputation"
    if len(drawn) < len(with_values):
        text += f"; a random sample of {len(drawn)} of the {len(with_values)} patients with values (seed {seed})"
    if missing:
        text += f"; no values: {', '.join(missing)}" if len(missing) <= 10 else f"; {len(missing)} without values"
    ax.set_title(title if title is not None else text, fontsize=9)
    return literal_text(ax)


def responder_plot(responses: Table, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Responders (%) per response and population, with the confidence interval as error bars.

    Parameters
    ----------
    responses : Table
        From :func:`~axspa.report.tables.response_table`.

    Returns
    -------
    Axes
        One ``BarContainer`` per population in ``ax.containers`` (bars in the order of the
        responses), heights in percent; bars are annotated with responders/denominator.
    """
    _check_table(responses, "responses")
    data = responses.data
    wide = data.pivot_table(index=["population", "variable"], columns="statistic", values="value", sort=False)
    populations = list(dict.fromkeys(data["population"]))
    variables = list(dict.fromkeys(data["variable"]))
    from axspa.report.figures._rows import LabelRows

    ax = ax if ax is not None else new_axes()
    LabelRows(ax, legend_below=True)  # the legend under the response names, wherever they end
    width = 0.8 / len(populations)
    x = np.arange(len(variables), dtype=float)
    for i, pop in enumerate(populations):
        sub = wide.loc[pop].reindex(variables)
        pct = 100.0 * sub["proportion"].to_numpy(dtype=float)
        lo = 100.0 * sub["ci_low"].to_numpy(dtype=float)
        hi = 100.0 * sub["ci_high"].to_numpy(dtype=float)
        denominators = sub["denominator"].to_numpy(dtype=float)
        pos = x - 0.4 + width * (i + 0.5)
        n_text = "/".join(str(int(d)) for d in dict.fromkeys(denominators))
        ax.bar(pos, np.nan_to_num(pct), width=width * 0.95, label=f"{pop} (n = {n_text})", gid=f"bars:{pop}")
        ax.errorbar(
            pos,
            np.nan_to_num(pct),
            yerr=[np.nan_to_num(pct - lo), np.nan_to_num(hi - pct)],
            fmt="none",
            ecolor="black",
            capsize=2,
            linewidth=0.8,
        )
        for p, h, k, n in zip(pos, pct, sub["responders"].to_numpy(dtype=float), denominators, strict=True):
            ax.annotate(
                f"{int(k)}/{int(n)}",
                (p, np.nan_to_num(h)),
                textcoords="offset points",
                xytext=(0, 2),
                ha="center",
                va="bottom",
                fontsize=6,
            )
    # upright names, wrapped at spaces: rotated names' boxes run into each other
    names = [textwrap.fill(label_of(v), width=12, break_long_words=False) for v in variables]
    ax.set_xticks(x, names, fontsize=8)
    ax.set_ylim(0, 110)
    ax.set_ylabel("Responders, % (CI)")
    week = data["week"].iloc[0]
    imputation = data["imputation"].iloc[0]
    default = f"Week {fmt_num(week, None)}; {imputation}; {data['method'].iloc[0]}"
    ax.set_title(title if title is not None else default, fontsize=9)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=1, frameon=False)
    return literal_text(ax)
