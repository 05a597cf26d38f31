"""What every figure shares: a new Axes without pyplot, line styles readable in greyscale, the dodge of series
along x, and the check of the tidy frames the by-arm figures take. No matplotlib import at module level."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from axspa.errors import InputError
from axspa.stats.models._design import numeric_column

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "LINESTYLES",
    "MARKERS",
    "arm_groups",
    "dodge",
    "figure_of",
    "literal_text",
    "new_axes",
    "series_style",
    "tidy_frame",
]

MARKERS = ("o", "s", "^", "D", "v", "P")
"""Markers of successive series (arms, measures), so they differ without colour."""

LINESTYLES: tuple[Any, ...] = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)))
"""Line styles of successive series."""


def new_axes(*, figsize: tuple[float, float] = (6.4, 4.2)) -> Axes:
    """A fresh Axes on a new Figure made without pyplot (no global figure registry)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def figure_of(ax: Axes) -> Figure:
    """The figure an Axes belongs to (the root figure, for an Axes on a subfigure).

    Raises
    ------
    InputError
        If the Axes belongs to no figure (every Axes the figure functions make belongs to one).
    """
    fig = ax.get_figure(root=True)
    if fig is None:
        raise InputError("the Axes belongs to no figure")
    return fig


def literal_text(ax: Axes) -> Axes:
    """Show every text of ``ax``'s figure as written: no matplotlib mathtext.

    Titles, legends and tick labels carry data (patient ids, arm and measure labels); a ``$`` in one of them
    is a dollar sign, and a patient id such as ``$\\undefined{$`` must not fail when the figure is drawn. Every
    figure function returns its Axes through this function; :meth:`axspa.report.Figure.image_bytes` also
    draws with mathtext off, for the texts made at drawing time.
    """
    from matplotlib.text import Text

    for axis in (ax.xaxis, ax.yaxis):
        axis.get_ticklabels()  # makes the current tick labels, so they are switched off too
    for text in ax.figure.findobj(Text):
        text.set_parse_math(False)
    return ax


def series_style(i: int) -> dict[str, Any]:
    """Marker and line style of the ``i``-th series (0-based), cycling after six."""
    return {"marker": MARKERS[i % len(MARKERS)], "linestyle": LINESTYLES[i % len(LINESTYLES)], "markersize": 5}


def dodge(k: int, weeks: Sequence[float] | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Offsets along x (in weeks) of ``k`` series drawn at the same visits, so their error bars stand apart.

    The step between neighbouring series is 2% of the span of the visits, but at most half the smallest gap
    between two visits shared out among the series, so a dodged point stays nearer its own visit than any
    other. One series is not moved.

    Examples
    --------
    >>> dodge(2, [0, 2, 4, 8, 12, 16, 20, 24]).tolist()
    [-0.24, 0.24]
    >>> dodge(3, [0, 1]).tolist()
    [-0.02, 0.0, 0.02]
    """
    if k <= 1:
        return np.zeros(max(k, 0))
    visits = np.unique(np.asarray(weeks, dtype=float))
    span = float(visits[-1] - visits[0]) if len(visits) > 1 else 1.0
    gap = float(np.diff(visits).min()) if len(visits) > 1 else span
    step = min(0.02 * span, 0.5 * gap / k)
    return np.asarray((np.arange(k) - (k - 1) / 2) * step, dtype=np.float64)


def tidy_frame(
    frame: object, name: str, required: Sequence[str], numeric: Sequence[str], optional: Sequence[str] = ()
) -> pd.DataFrame:
    """Check a tidy input frame: a DataFrame with the ``required`` columns, ``numeric`` ones holding numbers.

    ``optional`` columns are checked as numbers when present and are in ``numeric``. Returns the frame with a
    fresh 0..n-1 index (a copy; the caller's frame is not changed), so messages can name rows by position.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"{name} must be a pandas DataFrame with columns {', '.join(required)}; got {type(frame).__name__}"
        )
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"{name} has no column {missing[0]!r}; it needs {', '.join(required)} "
            f"and has {', '.join(map(str, frame.columns))}"
        )
    if frame.empty:
        raise InputError(f"{name} has no rows")
    out = frame.reset_index(drop=True)
    for column in numeric:
        if column in out.columns:
            out[column] = numeric_column(out, column, name)
    return out


def _bad_rows(out: pd.DataFrame, mask: npt.NDArray[np.bool_] | pd.Series) -> str:
    rows = np.flatnonzero(np.asarray(mask, dtype=bool))[:5]
    return ", ".join(str(int(r)) for r in rows)


def require(out: pd.DataFrame, name: str, mask: npt.NDArray[np.bool_] | pd.Series, what: str) -> None:
    """Raise an InputError naming the first rows (by position) where ``mask`` is true."""
    if np.asarray(mask, dtype=bool).any():
        raise InputError(f"{name}: {what}; see rows {_bad_rows(out, mask)} (0-based positions)")


def arm_groups(
    out: pd.DataFrame, name: str, arm_labels: Mapping[Any, str], value_columns: Sequence[str]
) -> list[tuple[int, str, pd.DataFrame]]:
    """Split a tidy by-arm frame into (series index, label, rows by week) in the order of ``arm_labels``.

    Every arm of the frame must be in ``arm_labels``; an arm of the mapping without rows is left out (it keeps
    its index, so its style is the same as in the other figures of the report). Weeks must be present and
    there must be at most one row per arm and week.
    """
    if not isinstance(arm_labels, Mapping) or not arm_labels:
        raise InputError(f"arm_labels must be a non-empty mapping of arm code to label; got {arm_labels!r}")
    bad_labels = [k for k, v in arm_labels.items() if not isinstance(v, str) or not v]
    if bad_labels:
        raise InputError(f"arm_labels: the label of arm {bad_labels[0]!r} must be a non-empty string")
    require(out, name, out["arm"].isna(), "column 'arm' is missing")
    unknown = [a for a in dict.fromkeys(out["arm"]) if a not in arm_labels]
    if unknown:
        raise InputError(
            f"{name}: arm {unknown[0]!r} in column 'arm' is not in arm_labels "
            f"(known: {', '.join(map(repr, arm_labels))})"
        )
    require(out, name, out["week"].isna(), "column 'week' is missing")
    dup = out.duplicated(["arm", "week"], keep=False)
    if dup.any():
        first = out[dup].iloc[0]
        raise InputError(f"{name}: arm {first['arm']!r} has more than one row for week {first['week']:g}")
    groups = []
    for i, (code, label) in enumerate(arm_labels.items()):
        rows = out[out["arm"] == code].sort_values("week")
        if not rows.empty:
            groups.append((i, label, rows[["week", *value_columns]]))
    return groups
