"""Forensic consistency checks of published summaries and reconstruction of paired data.

- :func:`grim`, :func:`grimmer`, :func:`debit`: can printed means and SDs arise from n values on a
  grid (Brown & Heathers 2017; Anaya 2016; Allard 2018; Heathers & Brown 2019)?
- :func:`effective_grid`, :func:`coarsest_consistent_grid`: the granularity of averaged scores, and
  the coarsest finer grid that reproduces figures the real grid cannot.
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

__all__ = [
    "DebitResult",
    "GrimResult",
    "GrimmerResult",
    "coarsest_consistent_grid",
    "debit",
    "effective_grid",
    "grim",
    "grimmer",
]
