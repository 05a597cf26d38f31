"""A synthetic randomised controlled trial: an anti-TNF-like drug against placebo (made-up patients).

80 invented patients, 40 per arm, randomised in permuted blocks of 4 stratified by prior TNF
inhibitor use, with visits at weeks 0, 2, 4, 8, 12 and 16 (primary), withdrawals, missed visits,
two randomised patients never treated, and adverse events by arm. No real trial or patient is
behind it and it has no published figures: it exists to test and show the controlled-trial
pipeline. A seeded generator outside the package (``python -m generators.synthetic_rct``)
rebuilds the files byte for byte; the data folder's README describes the model and the columns.
"""

from __future__ import annotations

from pathlib import Path

from axspa.io import LoadedStudy, load_study
from axspa.studies._locate import study_folder

__all__ = ["NAME", "folder", "load"]

NAME = "synthetic_rct"


def folder() -> Path:
    """The folder with the study's files (patients, visits, adverse events, ``study.toml``, README)."""
    return study_folder(NAME)


def load(*, strict: bool = True) -> LoadedStudy:
    """Load the synthetic trial into canonical frames (strict by default)."""
    return load_study(folder(), strict=strict, name=NAME)
