"""The tables of a trial report, one module each: demographics, disposition, responses, outcomes, adverse events.

Every builder returns a :class:`~axspa.report.table.Table`: a tidy frame of unrounded numbers (one
statistic per row, with its population, denominator, imputation and method) and a formatted view made
from those numbers. Every builder takes the same argument order: the data frame first, then the
analysis set(s), then keyword-only options. Statistics come from :mod:`axspa.stats`; analysis sets
from :mod:`axspa.analysis_sets`; imputation from :mod:`axspa.imputation`; display names from
:func:`axspa.report.labels.label_of`.
"""

from axspa.report.labels import MEASURE_LABELS, RESPONSE_LABELS, label_of
from axspa.report.tables.adverse_events import adverse_event_table
from axspa.report.tables.demographics import demographics_table
from axspa.report.tables.disposition import disposition_table
from axspa.report.tables.outcomes import DEFAULT_MEASURES, outcomes_table
from axspa.report.tables.responses import DEFAULT_RESPONSES, response_table

__all__ = [
    "DEFAULT_MEASURES",
    "DEFAULT_RESPONSES",
    "MEASURE_LABELS",
    "RESPONSE_LABELS",
    "adverse_event_table",
    "demographics_table",
    "disposition_table",
    "label_of",
    "outcomes_table",
    "response_table",
]
