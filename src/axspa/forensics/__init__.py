"""Forensic consistency checks of published summaries and reconstruction of paired data.

- :func:`grim`, :func:`grimmer`, :func:`debit`: can printed means and SDs arise from n values on a
  grid (Brown & Heathers 2017; Anaya 2016; Allard 2018; Heathers & Brown 2019)?
- :func:`effective_grid`, :func:`coarsest_consistent_grid`: the granularity of averaged scores, and
  the coarsest finer grid that reproduces figures the real grid cannot.
- :func:`p_lattice`: which Wilcoxon signed-rank configurations (non-zero count, R+, sidedness,
  method, zero handling, continuity correction) print as a reported p-value.
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

__all__ = [
    "DebitResult",
    "GrimResult",
    "GrimmerResult",
    "PLatticeMatch",
    "PLatticeResult",
    "SignedRankConvention",
    "coarsest_consistent_grid",
    "debit",
    "effective_grid",
    "grim",
    "grimmer",
    "p_lattice",
]
