"""axspa: analysis of clinical-trial and cohort data in axial spondyloarthritis.

The flow runs one way: files -> records (:mod:`axspa.models`) -> canonical frames
(:mod:`axspa.io`) -> scores (:mod:`axspa.indices`, :mod:`axspa.response`,
:func:`score_visits`) -> analysis sets and statistics (:mod:`axspa.stats`) -> reports.
"""

from axspa.derive import score_visits
from axspa.errors import (
    AxspaError,
    AxspaWarning,
    ComputationError,
    DataValidationError,
    InputError,
    PlausibilityWarning,
    Problem,
)
from axspa.indices import (
    asdas_crp,
    asdas_esr,
    asdas_state,
    basdai,
    basfi,
    basg,
    basmi_lin,
    inflammation,
)
from axspa.io import LoadedStudy, load_study, validate_frames, write_study
from axspa.measures import MEASURES, Measure, measure
from axspa.models import AdverseEvent, Patient, Study, Visit, visit_responses
from axspa.response import (
    asas20,
    asas40,
    asas_5of6,
    asas_paper_variant,
    asas_partial_remission,
    asdas_improvement,
    basdai50,
)

__version__ = "0.1.0"

__all__ = [
    "MEASURES",
    "AdverseEvent",
    "AxspaError",
    "AxspaWarning",
    "ComputationError",
    "DataValidationError",
    "InputError",
    "LoadedStudy",
    "Measure",
    "Patient",
    "PlausibilityWarning",
    "Problem",
    "Study",
    "Visit",
    "__version__",
    "asas20",
    "asas40",
    "asas_5of6",
    "asas_paper_variant",
    "asas_partial_remission",
    "asdas_crp",
    "asdas_esr",
    "asdas_improvement",
    "asdas_state",
    "basdai",
    "basdai50",
    "basfi",
    "basg",
    "basmi_lin",
    "inflammation",
    "load_study",
    "measure",
    "score_visits",
    "validate_frames",
    "visit_responses",
    "write_study",
]
