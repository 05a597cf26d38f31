"""The tables of a trial report, one module each: demographics, disposition, responses, outcomes, adverse events;
for a controlled trial also responses by arm and change from baseline by arm.

Every table is made in two steps, each a public function of its module: ``<table>_numbers`` computes
the tidy frame of unrounded numbers (one statistic per row, with its population, denominator,
imputation and method), and ``<table>_view`` formats the view from that frame alone (rounding happens
only there). ``<table>_table`` does both and adds the title and notes, returning a
:class:`~axspa.report.table.Table`. Every builder takes the same argument order: the data frame first, then the
analysis set(s), then keyword-only options. Statistics come from :mod:`axspa.stats`; analysis sets
from :mod:`axspa.analysis_sets`; imputation from :mod:`axspa.imputation`; display names from
:func:`axspa.report.labels.label_of`.
"""

from axspa.report.labels import label_of
from axspa.report.tables.adverse_events import adverse_event_numbers, adverse_event_table, adverse_event_view
from axspa.report.tables.change_by_arm import (
    DEFAULT_CHANGE_MEASURES,
    change_by_arm_numbers,
    change_by_arm_table,
    change_by_arm_view,
)
from axspa.report.tables.demographics import demographics_numbers, demographics_table, demographics_view
from axspa.report.tables.disposition import disposition_numbers, disposition_table, disposition_view
from axspa.report.tables.outcomes import DEFAULT_MEASURES, outcomes_numbers, outcomes_table, outcomes_view
from axspa.report.tables.responses import DEFAULT_RESPONSES, response_numbers, response_table, response_view
from axspa.report.tables.responses_by_arm import (
    response_by_arm_numbers,
    response_by_arm_table,
    response_by_arm_view,
)

__all__ = [
    "DEFAULT_CHANGE_MEASURES",
    "DEFAULT_MEASURES",
    "DEFAULT_RESPONSES",
    "adverse_event_numbers",
    "adverse_event_table",
    "adverse_event_view",
    "change_by_arm_numbers",
    "change_by_arm_table",
    "change_by_arm_view",
    "demographics_numbers",
    "demographics_table",
    "demographics_view",
    "disposition_numbers",
    "disposition_table",
    "disposition_view",
    "label_of",
    "outcomes_numbers",
    "outcomes_table",
    "outcomes_view",
    "response_by_arm_numbers",
    "response_by_arm_table",
    "response_by_arm_view",
    "response_numbers",
    "response_table",
    "response_view",
]
