"""Linear models of a continuous endpoint: ANCOVA (one visit) and MMRM (repeated visits), with LS means."""

from axspa.stats.models.ancova import AncovaResult, ancova
from axspa.stats.models.mmrm import MmrmConvergence, MmrmResult, mmrm

__all__ = ["AncovaResult", "MmrmConvergence", "MmrmResult", "ancova", "mmrm"]
