"""Linear models of a continuous endpoint: ANCOVA (one visit) and MMRM (repeated visits), with LS means."""

from axspa.stats.models._covariance import COVARIANCE_STRUCTURES
from axspa.stats.models.ancova import ANCOVA_INTERVALS, AncovaResult, ancova
from axspa.stats.models.mmrm import MMRM_DF_METHODS, MmrmConvergence, MmrmResult, mmrm

__all__ = [
    "ANCOVA_INTERVALS",
    "COVARIANCE_STRUCTURES",
    "MMRM_DF_METHODS",
    "AncovaResult",
    "MmrmConvergence",
    "MmrmResult",
    "ancova",
    "mmrm",
]
