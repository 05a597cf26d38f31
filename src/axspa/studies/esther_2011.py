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
    from axspa.studies.controlled_reproduction import ControlledReproduction, Explained

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
    "reproduction",
    "write_reproduction",
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
    return reproduction().compare_all(published_figures())


def reproduction() -> ControlledReproduction:
    """The comparison machinery on the bundled files: its ``table`` (every published measure by arm, ANCOVA of the
    change at each week), ``compare`` and ``differences(week)`` (between-arm differences with intervals)."""
    from axspa.studies.controlled_reproduction import ControlledReproduction

    return ControlledReproduction(load(), conventions(), list(MEASURES))


def write_reproduction(
    out_dir: str | Path,
    *,
    progress: bool = True,
    machinery: ControlledReproduction | None = None,
    rows: list[Explained] | None = None,
) -> dict[str, Path]:
    """Reproduce ESTHER and write the report: the controlled-trial report plus the comparison with the paper.

    Runs :func:`axspa.report.analyze` on the bundled study (its controlled-trial report: demographics,
    disposition, responses by arm, change by arm), adds the change-by-arm ANCOVA table of every published measure
    the figures are read from and the published-versus-recomputed table (each figure that does not reproduce
    with its reason), and writes HTML, Markdown, CSV and figures into ``out_dir``. ``machinery`` and ``rows``:
    :func:`reproduction` and its ``compare_all`` of the published figures when they are at hand already (they are
    computed otherwise).
    """
    from dataclasses import replace

    from axspa.report import analyze, write_report
    from axspa.studies.controlled_reproduction import ControlledReproduction
    from axspa.studies.reproduction import _comparison_table

    study = load()
    analysis = analyze(
        study,
        None,
        progress=progress,
        title="ESTHER: etanercept versus sulfasalazine in early axial spondyloarthritis (Ann Rheum Dis "
        "2011;70:590-6), reproduced from reconstructed patient-level data",
    )
    reproduction = machinery if machinery is not None else ControlledReproduction(study, conventions(), list(MEASURES))
    rows = rows if rows is not None else reproduction.compare_all(published_figures())
    comparison = _comparison_table([r.comparison for r in rows])
    explained = [f"{r.comparison.id}: {r.explanation}" for r in rows if not r.comparison.match]
    ancova = conventions()["ancova"]
    report = replace(
        analysis.report,
        tables=[
            *analysis.report.tables,
            replace(
                reproduction.table,
                name="published_measures_by_arm",
                title="Every published measure by arm: observed means and SDs, ANCOVA of the change at each week "
                "(the paper's figures are read from here)",
            ),
            replace(comparison, notes=(*comparison.notes, *explained)),
        ],
        methods=[
            *analysis.report.methods,
            f"Reproduction: every figure of the paper (published.json, kept as printed) is compared at its printed "
            f"precision with the same figure read from the table of published measures: ANCOVA, {ancova['model']}; "
            f"{ancova['population']}; {ancova['p_method']}. Figures that do not reproduce are listed with the "
            "reason in the comparison table's notes.",
        ],
    )
    return write_report(report, out_dir)
