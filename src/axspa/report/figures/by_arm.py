"""Figures of a controlled trial: mean over the visits by arm, response rates by arm, a forest plot.

The functions take plain tidy frames (one row per arm and visit, or per comparison), checked on entry:
a missing column, a non-numeric value or a value out of its range is an :class:`~axspa.errors.InputError`
naming the column. Arms are drawn in the order of ``arm_labels`` (arm code -> label), each with its own
marker and line style as well as colour, so the figures read in greyscale; the points of the arms are
dodged slightly along x so that their bars do not overlap. Counts written under the plot (n, responders)
form a small table aligned with the visits, one row per arm, laid out when the figure is drawn so that
no two labels overlap.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from axspa.errors import InputError
from axspa.options import ERROR_BARS, ErrorBar
from axspa.report.figures._common import arm_groups, dodge, new_axes, require, series_style, tidy_frame
from axspa.report.format import fmt_num
from axspa.stats._validate import choice

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from axspa.report.figures._rows import LabelRows

__all__ = ["arm_mean_plot", "forest_plot", "response_rate_plot"]


def _whole(out: pd.DataFrame, name: str, column: str) -> None:
    values = out[column].to_numpy(dtype=float)
    present = ~np.isnan(values)
    require(
        out,
        name,
        present & ((values < 0) | (values != np.round(values))),
        f"column {column!r} must be a whole number >= 0",
    )


def _count_rows(
    rows: LabelRows, groups: list[tuple[int, str, pd.DataFrame]], colors: list[Any], header: str, text_of: Any
) -> None:
    """The table under the plot: a header row, then one row per arm with ``text_of(row)`` at each visit."""
    rows.add_row(header, [], [])
    for (_, label, frame), color in zip(groups, colors, strict=True):
        cells = [(w, text_of(r)) for w, r in zip(frame["week"], frame.itertuples(index=False), strict=True)]
        cells = [(w, t) for w, t in cells if t]
        rows.add_row(label, [w for w, _ in cells], [t for _, t in cells], color=color, gid="n")


def _arm_lines(
    ax: Axes,
    out: pd.DataFrame,
    groups: list[tuple[int, str, pd.DataFrame]],
    value: str,
    bounds: Any,
    *,
    scale: float,
    title: str | None,
) -> tuple[LabelRows, list[Any]]:
    """One dodged line with error bars per arm, the visit axis, title and legend; returns the label rows
    (made first, for the counts under the axis) and the arms' colours.

    ``bounds(frame)`` gives the lengths of the bars below and above ``frame[value]``; values and bars are
    multiplied by ``scale``. Visits with a missing value are left out of the line.
    """
    from axspa.report.figures._rows import LabelRows, visit_axis

    rows = LabelRows(ax)
    colors = []
    for (i, label, frame), offset in zip(groups, dodge(len(groups), out["week"].to_numpy(dtype=float)), strict=True):
        drawn = frame[frame[value].notna()]
        below, above = bounds(drawn)
        bars = ax.errorbar(
            drawn["week"].to_numpy(dtype=float) + offset,
            scale * drawn[value].to_numpy(dtype=float),
            yerr=[scale * np.asarray(below, dtype=float), scale * np.asarray(above, dtype=float)],
            capsize=2.5,
            label=label,
            **series_style(i),
        )
        colors.append(bars.lines[0].get_color())
    visit_axis(ax, out["week"].to_numpy(dtype=float))
    if title is not None:
        ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8, frameon=False)
    return rows, colors


def arm_mean_plot(
    summary: pd.DataFrame,
    *,
    arm_labels: Mapping[Any, str],
    spread: ErrorBar = "SD",
    ylabel: str | None = None,
    title: str | None = None,
    annotate_n: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Mean ± SD (or SE) of one measure at each visit, one line per arm on one Axes.

    Parameters
    ----------
    summary : DataFrame
        One row per arm and visit with the columns ``arm`` (code), ``week``, ``mean``, ``spread`` (the SD or
        the SE, as ``spread`` says) and ``n`` (patients with a value). A missing mean leaves the visit out of
        the line (its n is still written); a missing spread draws no bar.
    arm_labels : mapping
        Arm code -> label, in the order of drawing (the control arm usually first). Every arm of ``summary``
        must be in it; an arm of the mapping without rows is not drawn.
    spread : {"SD", "SE"}
        What the ``spread`` column holds; stated in the y label ("mean ± SD").
    ylabel : str, optional
        The measure, e.g. ``"BASDAI (0-10)"``; the y label is ``"<ylabel>, mean ± SD"``.
    title : str, optional
        Axes title (say the population and imputation); none by default.
    annotate_n : bool
        Write n per arm and visit under the plot, one row per arm, aligned with the visits.
    ax : Axes, optional
        Where to draw; a new one if omitted.

    Returns
    -------
    Axes
        ``ax.containers[i]`` is the ``ErrorbarContainer`` of the i-th arm drawn (its label the arm label);
        ``ax.containers[i].lines[0]`` holds the weeks (plus the arm's dodge offset) and the means. The
        texts with gid ``"n"`` are the counts, arm by arm and visit by visit.

    Raises
    ------
    InputError
        A missing column, a non-numeric value, a negative spread, an n that is not a whole number >= 0, an
        arm not in ``arm_labels``, two rows for one arm and visit, or ``spread`` not "SD" or "SE".

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"arm": ["P", "P", "A", "A"], "week": [0, 12, 0, 12],
    ...                         "mean": [6.1, 5.5, 6.0, 3.9], "spread": [1.5, 1.9, 1.4, 2.2], "n": [40, 37, 41, 39]})
    >>> ax = arm_mean_plot(summary, arm_labels={"P": "Placebo", "A": "Active"}, ylabel="BASDAI (0-10)")
    >>> ax.get_ylabel(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('BASDAI (0-10), mean ± SD', ['Placebo', 'Active'])
    """
    kind = cast(ErrorBar, choice("spread", spread, ERROR_BARS))
    name = "summary"
    columns = ("arm", "week", "mean", "spread", "n")
    out = tidy_frame(summary, name, columns, numeric=("week", "mean", "spread", "n"))
    require(out, name, out["spread"] < 0, "column 'spread' must be >= 0")
    require(out, name, out["n"].isna(), "column 'n' is missing")
    _whole(out, name, "n")
    groups = arm_groups(out, name, arm_labels, ["mean", "spread", "n"])
    ax = ax if ax is not None else new_axes()
    rows, colors = _arm_lines(ax, out, groups, "mean", lambda f: (f["spread"], f["spread"]), scale=1.0, title=title)
    if annotate_n:
        _count_rows(rows, groups, colors, "n", lambda r: f"{int(r.n)}")
    ax.set_ylabel(f"{ylabel}, mean ± {kind}" if ylabel else f"Mean ± {kind}")
    return ax


def response_rate_plot(
    rates: pd.DataFrame,
    *,
    arm_labels: Mapping[Any, str],
    ylabel: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Response rate (%) at each visit, one line per arm, with interval bars.

    Parameters
    ----------
    rates : DataFrame
        One row per arm and visit with the columns ``arm``, ``week``, ``rate``, ``low``, ``high`` (proportions
        in [0, 1], with low <= rate <= high; plotted as percent), and optionally ``responders`` and ``n``
        (written under the plot as "responders/n", or n alone). A missing rate leaves the visit out of the
        line; missing limits draw no bar.
    arm_labels : mapping
        Arm code -> label, in the order of drawing; every arm of ``rates`` must be in it.
    ylabel : str, optional
        Default ``"Responders, %"``; name the response, e.g. ``"ASAS20 responders, %"``.
    title : str, optional
        Axes title (say the imputation and the interval method); none by default.
    ax : Axes, optional
        Where to draw; a new one if omitted.

    Returns
    -------
    Axes
        ``ax.containers[i]`` is the ``ErrorbarContainer`` of the i-th arm drawn, in percent;
        ``ax.containers[i].lines[0]`` holds the weeks (plus the dodge offset) and the rates.

    Raises
    ------
    InputError
        A missing column, a non-numeric value, a proportion outside [0, 1], a rate outside its limits,
        responders above n, counts that are not whole numbers, an arm not in ``arm_labels``, or two rows
        for one arm and visit.
    """
    name = "rates"
    out = tidy_frame(
        rates, name, ("arm", "week", "rate", "low", "high"), numeric=("week", "rate", "low", "high", "responders", "n")
    )
    for column in ("rate", "low", "high"):
        require(out, name, (out[column] < 0) | (out[column] > 1), f"column {column!r} must be a proportion in [0, 1]")
    require(out, name, (out["low"] > out["rate"]) | (out["rate"] > out["high"]), "need low <= rate <= high")
    counts = [c for c in ("responders", "n") if c in out.columns]
    for column in counts:
        _whole(out, name, column)
    if len(counts) == 2:
        require(out, name, out["responders"] > out["n"], "column 'responders' exceeds column 'n'")
    groups = arm_groups(out, name, arm_labels, ["rate", "low", "high", *counts])
    ax = ax if ax is not None else new_axes()
    rows, colors = _arm_lines(
        ax, out, groups, "rate", lambda f: (f["rate"] - f["low"], f["high"] - f["rate"]), scale=100.0, title=title
    )
    if counts == ["responders", "n"]:
        _count_rows(rows, groups, colors, "Responders/n", _responders_text)
    elif counts:
        _count_rows(rows, groups, colors, counts[0], lambda r: _whole_text(getattr(r, counts[0])))
    ax.set_ylim(-3, 103)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(ylabel if ylabel is not None else "Responders, %")
    return ax


def _whole_text(x: float) -> str:
    return "" if math.isnan(x) else f"{int(x)}"


def _responders_text(r: Any) -> str:
    if math.isnan(r.responders) or math.isnan(r.n):
        return _whole_text(r.n) if math.isnan(r.responders) else ""
    return f"{int(r.responders)}/{int(r.n)}"


def _interval_text(estimate: float, low: float, high: float, digits: int) -> str:
    """``"17.6 (1.9 to 34.0)"``; says so where the interval or the estimate could not be estimated."""
    if math.isnan(estimate):
        return "not estimable"
    if math.isnan(low) or math.isnan(high):
        return f"{fmt_num(estimate, digits)} (interval not estimable)"
    return f"{fmt_num(estimate, digits)} ({fmt_num(low, digits)} to {fmt_num(high, digits)})"


def forest_plot(
    rows: pd.DataFrame,
    *,
    null: float = 0.0,
    xlabel: str = "Difference in response rate",
    percent: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
    favours: tuple[str, str] | None = None,
) -> Axes:
    """A forest plot: one comparison per row, its estimate and interval, a line at the null value.

    Parameters
    ----------
    rows : DataFrame
        One row per comparison, drawn top to bottom in frame order, with the columns ``label`` (text),
        ``estimate``, ``low``, ``high`` (numbers, with low <= estimate <= high where present) and optionally
        ``text`` (written at the right instead of the estimate and interval where not missing). A row with a
        missing limit is drawn as its point only and its text says "interval not estimable"; a row with no
        estimate (and no limits) is not drawn and its text says "not estimable".
    null : float
        Value of no difference, in the unit of ``rows`` (0 for a difference, 1 for a ratio).
    xlabel : str
        Label of the x axis; with ``percent`` it gets ``" (percentage points)"``.
    percent : bool
        The numbers are proportions or differences of proportions: draw and write them times 100, with one
        decimal. Otherwise they are drawn as given and written with two decimals.
    title : str, optional
        Axes title (say the interval method and level); none by default.
    ax : Axes, optional
        Where to draw; a new one, sized to the number of rows, if omitted.
    favours : (str, str), optional
        Who the two sides favour, e.g. ``("placebo", "active")``: written under the axis, left and right
        of the null value ("← Favours placebo", "Favours active →").

    Returns
    -------
    Axes
        ``ax.containers[0]`` is one ``ErrorbarContainer``: its ``lines[0]`` holds the estimates (x, times 100
        with ``percent``) against the row positions (y, the first row at the top); the y tick labels are the
        labels; the texts with gid ``"estimate"`` are the texts at the right, row by row; the vertical line
        at ``null`` has gid ``"null"``; the favours texts have gid ``"favours"``.

    Raises
    ------
    InputError
        A missing column, a non-numeric number, a label that is not text, limits that do not enclose the
        estimate, limits without an estimate, or ``favours`` not a pair of strings.

    Examples
    --------
    Fagerland, Lydersen and Laake (2015): 7/34 versus 1/34, Newcombe hybrid score interval.

    >>> import pandas as pd
    >>> ax = forest_plot(pd.DataFrame({"label": ["ASAS20"], "estimate": [0.176], "low": [0.019], "high": [0.34]}))
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "estimate"]
    ['17.6 (1.9 to 34.0)']
    """
    from axspa.report.figures._rows import LabelRows

    name = "rows"
    out = tidy_frame(rows, name, ("label", "estimate", "low", "high"), numeric=("estimate", "low", "high"))
    if not isinstance(null, int | float) or isinstance(null, bool) or not math.isfinite(null):
        raise InputError(f"null must be a finite number; got {null!r}")
    if favours is not None and (
        not isinstance(favours, tuple | list) or len(favours) != 2 or not all(isinstance(f, str) for f in favours)
    ):
        raise InputError(f"favours must be a pair of strings (left of null, right of null); got {favours!r}")
    require(out, name, ~out["label"].map(lambda v: isinstance(v, str) and v != ""), "column 'label' must be text")
    texts = out["text"] if "text" in out.columns else pd.Series([None] * len(out))
    require(
        out, name, ~texts.map(lambda v: v is None or isinstance(v, str) or pd.isna(v)), "column 'text' must be text"
    )
    est, low, high = (out[c].to_numpy(dtype=float) for c in ("estimate", "low", "high"))
    require(out, name, (low > est) | (est > high) | (low > high), "need low <= estimate <= high")
    require(out, name, np.isnan(est) & ~(np.isnan(low) & np.isnan(high)), "an interval is given without its estimate")
    scale, digits = (100.0, 1) if percent else (1.0, 2)
    k = len(out)
    ax = ax if ax is not None else new_axes(figsize=(7.0, 1.6 + 0.4 * k))
    below = LabelRows(ax, fontsize=8)
    y = np.arange(k - 1, -1, -1, dtype=float)
    ax.axvline(null * scale, color="0.45", linestyle="--", linewidth=0.8, gid="null")
    ax.errorbar(
        scale * est,
        y,
        xerr=[scale * (est - low), scale * (high - est)],
        fmt="s",
        color="black",
        markersize=5,
        capsize=3,
        linewidth=1.2,
    )
    at_right = ax.get_yaxis_transform()  # x in axes fraction, y in data
    for yi, e, lo, hi, t in zip(y, est, low, high, texts, strict=True):
        shown = t if isinstance(t, str) else _interval_text(e * scale, lo * scale, hi * scale, digits)
        ax.text(1.03, yi, shown, transform=at_right, ha="left", va="center", fontsize=8, gid="estimate", clip_on=False)
    ax.set_yticks(y, list(out["label"]), fontsize=9)
    ax.set_ylim(-0.6, k - 0.4)
    finite = np.concatenate([v[np.isfinite(v)] for v in (est, low, high)] + [np.array([null])]) * scale
    lo_x, hi_x = float(finite.min()), float(finite.max())
    pad = 0.08 * (hi_x - lo_x) if hi_x > lo_x else 1.0
    ax.set_xlim(lo_x - pad, hi_x + pad)
    ax.set_xlabel(f"{xlabel} (percentage points)" if percent else xlabel)
    if favours is not None:
        where = [null * scale, null * scale]
        words = [f"\u2190 Favours {favours[0]}", f"Favours {favours[1]} \u2192"]
        below.add_row(None, where, words, gid="favours", ha=["right", "left"], dx_points=[-4.0, 4.0])
    if title is not None:
        ax.set_title(title, fontsize=9)
    return ax
