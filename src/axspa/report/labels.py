"""Display names of outcome and response columns in tables and figures: one function, :func:`label_of`."""

from __future__ import annotations

from collections.abc import Mapping

from axspa.measures import MEASURES

__all__ = ["MEASURE_LABELS", "RESPONSE_LABELS", "label_of"]


MEASURE_LABELS: Mapping[str, str] = {
    "basdai": "BASDAI (0-10)",
    "basfi": "BASFI (0-10)",
    "basg": "BAS-G (0-10)",
    "inflammation": "Inflammation (mean of BASDAI Q5, Q6)",
    "asdas_crp": "ASDAS-CRP",
    "asdas_esr": "ASDAS-ESR",
    "basmi_lin": "BASMI (linear)",
    "esr_mm_h": "ESR (mm/h)",
    "crp_mg_l": "CRP (mg/L)",
    "crp_mg_dl": "CRP (mg/dL)",
    "iga_g_l": "IgA (g/L)",
    "iga_mg_dl": "IgA (mg/dL)",
    "patient_global": "Patient global (0-10)",
    "back_pain": "Back pain (0-10)",
}
"""Display names of the outcome columns."""

RESPONSE_LABELS: Mapping[str, str] = {
    "asas20": "ASAS20",
    "asas40": "ASAS40",
    "asas_5of6": "ASAS 5/6",
    "asas_pr": "ASAS partial remission",
    "basdai50": "BASDAI50",
    "asdas_crp_cii": "ASDAS-CRP clinically important improvement",
    "asdas_crp_mi": "ASDAS-CRP major improvement",
    "asas20_paper": "ASAS20 (reference paper's wording)",
    "asas40_paper": "ASAS40 (reference paper's wording)",
}
"""Display names of the response columns."""


def label_of(column: str) -> str:
    """Display name of an outcome or response column."""
    if column in MEASURE_LABELS:
        return MEASURE_LABELS[column]
    if column in RESPONSE_LABELS:
        return RESPONSE_LABELS[column]
    if column in MEASURES:
        m = MEASURES[column]
        return f"{m.label} ({m.unit})"
    return column
