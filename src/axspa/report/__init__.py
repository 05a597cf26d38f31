"""From data to paper: tables, figures and the written report.

Every table is a :class:`Table` (tidy unrounded numbers plus a formatted view); figures take
``ax=None`` and return the Axes; :func:`analyze` runs the whole pipeline on a study folder.
"""

from axspa.report.figures import (
    arm_mean_plot,
    forest_plot,
    mean_sd_plot,
    responder_plot,
    response_rate_plot,
    spaghetti_plot,
)
from axspa.report.pipeline import Analysis, analyze
from axspa.report.plan import AnalysisPlan
from axspa.report.table import Table
from axspa.report.tables import (
    adverse_event_table,
    change_by_arm_table,
    demographics_table,
    disposition_table,
    outcomes_table,
    response_by_arm_table,
    response_table,
)
from axspa.report.writer import Report, ReportFigure, render_html, render_markdown, write_report

__all__ = [
    "Analysis",
    "AnalysisPlan",
    "Report",
    "ReportFigure",
    "Table",
    "adverse_event_table",
    "analyze",
    "arm_mean_plot",
    "change_by_arm_table",
    "demographics_table",
    "disposition_table",
    "forest_plot",
    "mean_sd_plot",
    "outcomes_table",
    "render_html",
    "render_markdown",
    "responder_plot",
    "response_by_arm_table",
    "response_rate_plot",
    "response_table",
    "spaghetti_plot",
    "write_report",
]
