"""Figures of a trial report.

Single-arm (:mod:`~axspa.report.figures.single_arm`): mean ± SD over the visits, individual trajectories,
responder bars. Controlled trials (:mod:`~axspa.report.figures.by_arm`): mean (SD or SE) over the visits by
arm, response rates over the visits by arm, and a forest plot of between-arm differences.

Each function takes ``ax=None`` and returns the matplotlib Axes it drew on. Without an Axes a new
:class:`matplotlib.figure.Figure` is made directly (no pyplot, so no global state and no display
backend is touched); save it with ``ax.figure.savefig(...)``. matplotlib is imported inside the
functions, so importing :mod:`axspa.report` does not import it. Labels written beside the data (n per
visit, p-values) are laid out when the figure is drawn, so that no two of them overlap.
"""

from axspa.report.figures._common import new_axes
from axspa.report.figures.by_arm import arm_mean_plot, forest_plot, response_rate_plot
from axspa.report.figures.single_arm import mean_sd_plot, responder_plot, spaghetti_plot

__all__ = [
    "arm_mean_plot",
    "forest_plot",
    "mean_sd_plot",
    "new_axes",
    "responder_plot",
    "response_rate_plot",
    "spaghetti_plot",
]
