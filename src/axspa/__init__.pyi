"""Public names of axspa and the module each comes from (read by type checkers and, at run time, by
axspa._lazy.attach_stub: one list, two readers)."""

from axspa.analysis_sets import (
    AnalysisSet,
    all_enrolled,
    completers,
    excluding_withdrawals,
    per_protocol,
    seen_at,
    standard_sets,
)
from axspa.derive import score_visits
from axspa.errors import (
    AxspaError,
    AxspaWarning,
    ComputationError,
    ConfidenceLevelWarning,
    DataValidationError,
    InputError,
    PlausibilityWarning,
    Problem,
)
from axspa.imputation import IMPUTATIONS, Imputed, impute
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
from axspa.measures import MEASURES, Measure, lookup, measure
from axspa.models import AdverseEvent, Patient, Study, Visit, visit_responses
from axspa.report import AnalysisPlan, Table, analyze
from axspa.response import (
    asas20,
    asas40,
    asas_5of6,
    asas_paper_variant,
    asas_partial_remission,
    asdas_improvement,
    basdai50,
)
from axspa.stats import (
    SignedRankConvention,
    binomial_ci,
    hodges_lehmann,
    wilcoxon_signed_rank,
    wilcoxon_signed_rank_batch,
)

__version__: str

__all__ = [
    "IMPUTATIONS",
    "MEASURES",
    "AdverseEvent",
    "AnalysisPlan",
    "AnalysisSet",
    "AxspaError",
    "AxspaWarning",
    "ComputationError",
    "ConfidenceLevelWarning",
    "DataValidationError",
    "Imputed",
    "InputError",
    "LoadedStudy",
    "Measure",
    "Patient",
    "PlausibilityWarning",
    "Problem",
    "SignedRankConvention",
    "Study",
    "Table",
    "Visit",
    "__version__",
    "all_enrolled",
    "analyze",
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
    "binomial_ci",
    "completers",
    "excluding_withdrawals",
    "hodges_lehmann",
    "impute",
    "inflammation",
    "load_study",
    "lookup",
    "measure",
    "per_protocol",
    "score_visits",
    "seen_at",
    "standard_sets",
    "validate_frames",
    "visit_responses",
    "wilcoxon_signed_rank",
    "wilcoxon_signed_rank_batch",
    "write_study",
]
