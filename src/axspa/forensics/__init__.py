"""Forensic consistency checks of published summaries and reconstruction of paired data.

- :func:`grim`, :func:`grimmer`, :func:`debit`: can printed means and SDs arise from n values on a
  grid (Brown & Heathers 2017; Anaya 2016; Allard 2018; Heathers & Brown 2019)?
- :func:`effective_grid`, :func:`coarsest_consistent_grid`: the granularity of averaged scores, and
  the coarsest finer grid that reproduces figures the real grid cannot.
- :func:`p_lattice`: which Wilcoxon signed-rank configurations (non-zero count, R+, sidedness,
  method, zero handling, continuity correction) print as a reported p-value.
- :func:`reconstruct_paired`: paired samples on a grid that reproduce printed means, SDs and a
  signed-rank p-value under a named convention (SPRITE extended to paired data).
- :func:`reconstruct_two_arm`: two arms' values on a grid that reproduce printed per-arm means and SDs at
  baseline and follow-up and the between-arm ANCOVA p-values of the change; :func:`reconstruct_two_arm_counts`
  the same for counts printed as a total and a number of patients counted ("26 sites in 15 patients").
"""

from axspa.forensics.granularity import (
    DebitResult,
    GrimmerResult,
    GrimResult,
    coarsest_consistent_grid,
    debit,
    effective_grid,
    grim,
    grimmer,
)
from axspa.forensics.plattice import PLatticeMatch, PLatticeResult, SignedRankConvention, p_lattice
from axspa.forensics.reconstruct import PairedReconstruction, SearchProgress, reconstruct_paired
from axspa.forensics.two_arm import TwoArmReconstruction, reconstruct_two_arm, reconstruct_two_arm_counts

__all__ = [
    "DebitResult",
    "GrimResult",
    "GrimmerResult",
    "PLatticeMatch",
    "PLatticeResult",
    "PairedReconstruction",
    "SearchProgress",
    "SignedRankConvention",
    "TwoArmReconstruction",
    "coarsest_consistent_grid",
    "debit",
    "effective_grid",
    "grim",
    "grimmer",
    "p_lattice",
    "reconstruct_paired",
    "reconstruct_two_arm",
    "reconstruct_two_arm_counts",
]
