"""Rows of labels under an Axes (n per visit, p-values, "favours" labels), laid out when the figure is drawn.

This module imports matplotlib at the top: the figure functions import it inside their bodies only, so that
importing :mod:`axspa.report` does not import matplotlib.

Where a label goes depends on the size of the drawn Axes and on the width of each text, which are known only
when the figure is drawn (the caller may pass an Axes of any size; constrained layout shrinks it). So the
rows are one artist, :class:`LabelRows`, that places its texts each time the Axes computes its tight bounding
box (as constrained layout and ``bbox_inches="tight"`` do) and each time it is drawn:

- the first row starts below the x axis' tick labels and label (and below the y label, should it reach so far);
- within a row, labels that would touch are moved to further lines (greedy first fit from the left, which
  uses the fewest lines for intervals on a line);
- rows are stacked downwards; a row's label is written left of the Axes and of the row's leftmost text;
- the Axes' legend, when the rows manage it, goes below the last row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from matplotlib import rcParams
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import XAxis
from matplotlib.backend_bases import RendererBase
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.ticker import Locator
from matplotlib.transforms import Bbox, ScaledTranslation, blended_transform_factory

__all__ = ["LabelRows", "VisitLocator", "first_fit_lines", "visit_axis"]

PAD_POINTS = 3.0
"""Space between two labels, between rows and between the axes and the first row, in points."""


def first_fit_lines(spans: Sequence[tuple[float, float]], gap: float) -> list[int]:
    """The line of each horizontal span so that no two spans on one line come closer than ``gap``.

    Spans are taken from left to right (by left edge) and each goes on the first line whose last span ends at
    least ``gap`` before it starts. For intervals this first fit uses the smallest possible number of lines.

    Examples
    --------
    Here (8, 18) starts before (0, 10) ends plus the gap, so it takes line 1; (9, 12) clashes with both and
    takes line 2; (20, 30) fits on line 0 again (10 + 1 <= 20).

    >>> first_fit_lines([(0, 10), (8, 18), (9, 12), (20, 30)], gap=1)
    [0, 1, 2, 0]
    """
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    ends: list[float] = []
    lines = [0] * len(spans)
    for i in order:
        left, right = spans[i]
        line = next((k for k, end in enumerate(ends) if end + gap <= left), len(ends))
        if line == len(ends):
            ends.append(right)
        else:
            ends[line] = right
        lines[i] = line
    return lines


@dataclass
class _Row:
    label: Text | None
    texts: list[Text] = field(default_factory=list)


class LabelRows(Artist):
    """Rows of labels under an Axes, placed at draw time so that no two labels overlap.

    Create it before any text of the Axes (it must come first among the Axes' children, so that it places
    its texts before the Axes measures them), then add rows with :meth:`add_row`.

    Parameters
    ----------
    ax : Axes
        The Axes the rows belong to; the artist adds itself to it.
    fontsize : float
        Size of the row texts and row labels, in points.
    legend_below : bool
        Move the Axes' legend (made with ``loc="upper center"``) below the last row.
    """

    def __init__(self, ax: Axes, *, fontsize: float = 7.0, legend_below: bool = False) -> None:
        super().__init__()
        self.fontsize = fontsize
        self.legend_below = legend_below
        self.rows: list[_Row] = []
        self._legend_anchor: tuple[float, float] | None = None
        self.set_clip_on(False)
        self.set_zorder(-1.0)  # drawn (placed) before the texts (zorder 3) and the legend (5)
        ax.add_artist(self)
        self._ax = ax

    def add_row(
        self,
        label: str | None,
        xs: Sequence[float] | npt.NDArray[np.float64],
        texts: Sequence[str],
        *,
        color: object = None,
        gid: str | None = None,
        ha: str | Sequence[str] = "center",
        dx_points: Sequence[float] | None = None,
    ) -> list[Text]:
        """Add a row: ``texts[i]`` at data x ``xs[i]`` (shifted by ``dx_points[i]``), ``label`` at the left.

        Returns the texts (the row label excluded); they are in ``ax.texts`` in the order given.
        """
        ax = self._ax
        has = ha if not isinstance(ha, str) else [ha] * len(texts)
        shifts = list(dx_points) if dx_points is not None else [0.0] * len(texts)
        style: dict[str, Any] = {"fontsize": self.fontsize, "color": color, "va": "top", "clip_on": False}
        row = _Row(ax.text(0.0, 0.0, label, transform=ax.transAxes, ha="right", **style) if label else None)
        base = blended_transform_factory(ax.transData, ax.transAxes)
        inches = ax.get_figure(root=True).dpi_scale_trans  # type: ignore[union-attr]
        for x, s, h, dx in zip(xs, texts, has, shifts, strict=True):
            transform = base + ScaledTranslation(dx / 72.0, 0.0, inches) if dx else base
            row.texts.append(ax.text(float(x), 0.0, s, transform=transform, ha=h, gid=gid, **style))
        self.rows.append(row)
        return row.texts

    def _layout(self, renderer: RendererBase) -> None:
        ax = self._ax
        box = ax.bbox
        if box.height <= 0 or box.width <= 0:
            return
        pad = float(cast(float, renderer.points_to_pixels(PAD_POINTS)))
        # Below the x axis' tick labels and label, and below the y label should it reach lower than the Axes.
        # (y tick labels cannot: the lowest reaches half a line below the Axes, the x tick labels further.)
        ylabel = ax.yaxis.label
        below = [ax.xaxis.get_tightbbox(renderer), ylabel.get_window_extent(renderer) if ylabel.get_visible() else None]
        top = min([box.y0, *(b.y0 for b in below if b is not None)]) - pad
        for row in self.rows:
            extents = [t.get_window_extent(renderer) for t in row.texts]
            lines = first_fit_lines([(e.x0, e.x1) for e in extents], gap=pad)
            measured = [*extents, *([row.label.get_window_extent(renderer)] if row.label is not None else [])]
            height = max(e.height for e in measured) + 1.0 if measured else 0.0
            for text, line in zip(row.texts, lines, strict=True):
                _move(text, y=(top - line * height - box.y0) / box.height)
            if row.label is not None:
                left = min([box.x0, *(e.x0 for e in extents)]) - pad
                _move(row.label, x=(left - box.x0) / box.width, y=(top - box.y0) / box.height)
            top -= (max(lines, default=0) + 1) * height + pad / 2
        legend = ax.get_legend()
        if self.legend_below and legend is not None:
            anchor = (0.5, (top - pad / 2 - box.y0) / box.height)
            if self._legend_anchor is None or abs(anchor[1] - self._legend_anchor[1]) > 1e-9:
                legend.set_bbox_to_anchor(anchor, transform=ax.transAxes)
                self._legend_anchor = anchor

    def get_tightbbox(self, renderer: RendererBase | None = None, *, for_layout_only: bool = False) -> Bbox | None:
        """Place the rows (the texts report their own extents); called by layout engines before drawing."""
        self._layout(renderer if renderer is not None else self._ax.get_figure(root=True)._get_renderer())  # type: ignore[union-attr]
        return None

    def draw(self, renderer: RendererBase) -> None:
        """Place the rows for the Axes as it is now; draws nothing itself."""
        if self.get_visible():
            self._layout(renderer)
        self.stale = False


def _move(text: Text, *, x: float | None = None, y: float | None = None) -> None:
    """Set a text's position, only where it changes (so a second draw does not mark the figure stale)."""
    old_x, old_y = text.get_position()
    new_x = old_x if x is None else x
    new_y = old_y if y is None else y
    if abs(new_x - old_x) > 1e-9 or abs(new_y - old_y) > 1e-9:
        text.set_position((new_x, new_y))


class VisitLocator(Locator):
    """Ticks at the visits, leaving out a visit whose label would run into its neighbour's.

    Week labels are short numerals; one is taken to be 0.64 em per digit wide (DejaVu Sans) and two must
    stand one em apart. From the left, a visit is kept when it is far enough from the last one kept; the
    last visit is always kept, in place of the kept visits just before it that it would run into.

    Parameters
    ----------
    weeks : sequence of float
        The visits.
    """

    def __init__(self, weeks: Sequence[float] | npt.NDArray[np.float64]) -> None:
        self.weeks = sorted({float(w) for w in weeks})

    def __call__(self) -> list[float]:
        axis = self.axis
        if not isinstance(axis, XAxis) or len(self.weeks) < 2:
            return list(self.weeks)
        ax = axis.axes
        lo, hi = ax.get_xlim()
        if hi == lo or ax.bbox.width <= 0:
            return list(self.weeks)
        px_per_week = ax.bbox.width / abs(hi - lo)
        # the default tick label size (asking the axis for its labels would call this locator again)
        size_px = FontProperties(size=rcParams["xtick.labelsize"]).get_size_in_points() * ax.figure.dpi / 72
        digits = max(len(f"{w:g}") for w in self.weeks)
        room = (0.64 * digits + 1.0) * size_px / px_per_week  # in weeks
        kept = [self.weeks[0]]
        for w in self.weeks[1:]:
            if w - kept[-1] >= room:
                kept.append(w)
        last = self.weeks[-1]
        if kept[-1] != last:
            while len(kept) > 1 and last - kept[-1] < room:
                kept.pop()
            kept.append(last)
        return kept


def visit_axis(ax: Axes, weeks: Sequence[float] | npt.NDArray[np.float64]) -> None:
    """The x axis of a figure over the visits: a tick at each visit that has room for its label, "Week"."""
    ax.xaxis.set_major_locator(VisitLocator(weeks))
    ax.margins(x=0.06)
    ax.set_xlabel("Week")
