"""Which visit column feeds which domain of ASDAS and of the ASAS response criteria.

The one mapping read by the frame path (:func:`axspa.derive.score_visits`), the record path
(:class:`axspa.models.Visit`, :func:`axspa.models.visit_responses`) and the tests. Values name
columns of a visits frame or quantities derived from them (``basfi``, ``inflammation``, ``basg``).

References
----------
.. [1] Lukas C, Landewé R, Sieper J, et al. Development of an ASAS-endorsed disease activity score
   (ASDAS) in patients with ankylosing spondylitis. Ann Rheum Dis 2009;68:18-24.
.. [2] Sieper J, Rudwaleit M, Baraliakos X, et al. The Assessment of SpondyloArthritis
   international Society (ASAS) handbook. Ann Rheum Dis 2009;68 Suppl 2:ii1-44.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "ASAS_5OF6_DOMAINS",
    "ASAS_DOMAINS",
    "ASDAS_ITEMS",
    "ASDAS_LABS",
    "BASG_ARGUMENTS",
    "PAPER_STIFFNESS",
    "asas_domains",
]

ASDAS_ITEMS: Mapping[str, str] = MappingProxyType(
    {"back_pain": "basdai_q2", "stiffness_duration": "basdai_q6", "peripheral_pain": "basdai_q3"}
)
"""ASDAS argument -> the visit column that feeds it [1]_. The patient global is a study's choice
(``ASAS_DOMAINS["patient_global"]``, or BAS-G), the same item as the ASAS patient global domain."""

ASDAS_LABS: Mapping[str, str] = MappingProxyType({"asdas_crp": "crp_mg_l", "asdas_esr": "esr_mm_h"})
"""ASDAS version -> its laboratory column (CRP in mg/L, ESR in mm/h)."""

ASAS_DOMAINS: Mapping[str, str] = MappingProxyType(
    {"patient_global": "patient_global", "pain": "back_pain", "function": "basfi", "inflammation": "inflammation"}
)
"""ASAS domain -> its column by default [2]_: patient global, total back pain, BASFI and the
inflammation domain (mean of BASDAI Q5 and Q6). :func:`asas_domains` applies a study's choices."""

ASAS_5OF6_DOMAINS: Mapping[str, str] = MappingProxyType({"crp": "crp_mg_l", "lateral_flexion": "lateral_flexion_cm"})
"""The two further domains of ASAS 5/6 -> their columns (CRP in mg/L; lateral spinal flexion)."""

PAPER_STIFFNESS: Mapping[str, str] = MappingProxyType({"inflammation": "inflammation", "basdai_q5": "basdai_q5"})
"""The reference study's "morning stiffness" domain, by option of ``paper_stiffness``, -> its column."""

BASG_ARGUMENTS: Mapping[str, str] = MappingProxyType({"basg_week": "week", "basg_6m": "six_months"})
"""BAS-G item column -> argument of :func:`axspa.indices.basg`."""


def asas_domains(*, patient_global: str = "patient_global", pain: str = "back_pain") -> dict[str, str]:
    """ASAS domain -> column, with a study's choice of patient global and pain item.

    Parameters
    ----------
    patient_global : str, default "patient_global"
        The patient global column, or ``"basg"`` for a study that used BAS-G.
    pain : str, default "back_pain"
        The pain column (total back pain, or ``"basdai_q2"``).

    Examples
    --------
    >>> asas_domains(patient_global="basg")
    {'patient_global': 'basg', 'pain': 'back_pain', 'function': 'basfi', 'inflammation': 'inflammation'}
    """
    return {**ASAS_DOMAINS, "patient_global": patient_global, "pain": pain}
