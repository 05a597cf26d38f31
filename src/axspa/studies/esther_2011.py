"""The second bundled study: ESTHER, etanercept versus sulfasalazine in early axial spondyloarthritis.

A randomised two-arm trial (etanercept n = 40, sulfasalazine n = 36, 48 weeks). The paper publishes only
summaries; axspa bundles a *reconstructed* patient-level data set: made-up patients whose per-arm means and SDs
at baseline, week 24 and week 48 print as the paper's, and whose between-arm ANCOVA p-values print as the
paper's wherever any data can give them. The patients are not real. See the data folder's README for how the
files were made, ``published.json`` for every figure as printed and ``conventions.json`` for the analysis
convention found and the figures no data set can reproduce.

References
----------
.. [1] Song IH, Hermann KG, Haibel H, et al. Effects of etanercept versus sulfasalazine in early axial
   spondyloarthritis on active inflammatory lesions as detected by whole-body MRI (ESTHER): a 48-week
   randomised controlled trial. Ann Rheum Dis 2011;70:590-6. doi:10.1136/ard.2010.139667
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from axspa.io import LoadedStudy, load_study

if TYPE_CHECKING:
    from axspa.studies.controlled_reproduction import Explained

from axspa.studies._locate import figures_frame, study_folder, study_json

__all__ = [
    "CITATION",
    "MEASURES",
    "NAME",
    "conventions",
    "folder",
    "load",
    "published",
    "published_figures",
    "reproduce",
]

MEASURES = (
    "basdai",
    "basfi",
    "patient_global",
    "physician_global",
    "joint_count",
    "enthesitis_score",
    "basmi",
    "eq5d",
    "asqol",
    "crp_mg_l",
    "mri_sij",
    "mri_spine",
    "mri_enthesitis",
    "mri_posterior_segments",
)
"""The measures of Table 3 and the MRI table whose per-patient values the bundled files hold."""

NAME = "esther_2011"
CITATION = (
    "Song IH, et al. Effects of etanercept versus sulfasalazine in early axial spondyloarthritis on active "
    "inflammatory lesions as detected by whole-body MRI (ESTHER): a 48-week randomised controlled trial. "
    "Ann Rheum Dis 2011;70:590-6."
)


def folder() -> Path:
    """The folder with the study's files (study.toml, patients, visits, published figures, conventions)."""
    return study_folder(NAME)


def load(*, strict: bool = True) -> LoadedStudy:
    """Load the reconstructed patient-level data (a controlled study: arms from study.toml), strict by default."""
    return load_study(folder(), strict=strict, name=NAME)


@cache
def published() -> dict[str, Any]:
    """Every figure of the paper that could be read, as printed, with where it appears (``published.json``).

    Examples
    --------
    >>> figures = {f["id"]: f for f in published()["figures"]}
    >>> figures["table3.basdai.week48.p"]["printed"], figures["table3.basdai.etanercept.week0.mean"]["printed"]
    ('0.001', '5.5')
    """
    return study_json(NAME, "published.json")


def conventions() -> dict[str, Any]:
    """How the reconstruction reproduces the figures (``conventions.json``): the ANCOVA convention, the grids,
    and the figures no data set can reproduce under it, each with the reason."""
    return study_json(NAME, "conventions.json")


def published_figures() -> pd.DataFrame:
    """The published figures as a frame, one row each; ``printed`` keeps the printed string."""
    return figures_frame(published())


def reproduce() -> list[Explained]:
    """Every published figure beside its recomputation from the bundled files, with why it differs when it does.

    Means, SDs and p-values are read from the change-by-arm table (ANCOVA of the change from baseline on arm and
    baseline over the full analysis set, at each week): :class:`axspa.studies.controlled_reproduction.
    ControlledReproduction`.
    """
    from axspa.studies.controlled_reproduction import ControlledReproduction

    return ControlledReproduction(load(), conventions(), list(MEASURES)).compare_all(published_figures())
