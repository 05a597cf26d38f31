"""The reference study: thalidomide in refractory ankylosing spondylitis.

The paper publishes only summaries. axspa bundles a *reconstructed* patient-level data set:
made-up patients whose every published figure comes out right when axspa's own pipeline
runs on them. The patients are not real. See the data folder's README for how the files
were made and ``published.json`` for every figure as printed.

References
----------
.. [1] Thalidomide in the treatment of refractory ankylosing spondylitis.
   J Rheumatol 2003;30:2627-31.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from axspa.io import LoadedStudy, load_study
from axspa.studies._locate import figures_frame, study_folder, study_json

__all__ = ["CITATION", "NAME", "conventions", "folder", "load", "published", "published_figures"]

NAME = "thalidomide_2003"
CITATION = "Thalidomide in the treatment of refractory ankylosing spondylitis. J Rheumatol 2003;30:2627-31."


def folder() -> Path:
    """The folder with the study's files (patients, visits, adverse events, published figures)."""
    return study_folder(NAME)


def load(*, strict: bool = True) -> LoadedStudy:
    """Load the reconstructed patient-level data into canonical frames (strict by default)."""
    return load_study(folder(), strict=strict, name=NAME)


@cache
def published() -> dict[str, Any]:
    """Every published figure of the paper, as printed, with where it appears (``published.json``).

    Examples
    --------
    >>> figures = {f["id"]: f for f in published()["figures"]}
    >>> figures["week24.basdai.week24.mean"]["printed"], figures["week24.basdai.p"]["population"]
    ('3.1', 'completers')
    """
    return study_json(NAME, "published.json")


def conventions() -> dict[str, dict[str, Any]]:
    """The signed-rank convention each published p-value was reconstructed under (``conventions.json``).

    Keys are figure ids; values hold ``method``, ``zero_method``, ``alternative`` and
    ``correction``, the arguments of :func:`axspa.stats.wilcoxon_signed_rank`.
    """
    data: dict[str, dict[str, Any]] = study_json(NAME, "conventions.json")["p_value_conventions"]
    return data


def published_figures() -> pd.DataFrame:
    """The published figures as a frame, one row each; ``printed`` keeps the printed string."""
    return figures_frame(published())
