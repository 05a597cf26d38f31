"""Find the folder of a bundled study, in an installed wheel or in a source checkout."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from axspa.errors import AxspaError


def study_folder(name: str) -> Path:
    """The folder holding the files of bundled study ``name``.

    An installed wheel carries the files as package data (``axspa/_data/<name>``); a source
    checkout (an editable install) reads them from the repository's ``data/<name>``.
    """
    packaged = Path(str(resources.files("axspa"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "data" / name
    if checkout.is_dir():
        return checkout
    raise AxspaError(f"the files of bundled study {name!r} are missing from this installation")


def study_json(name: str, filename: str) -> dict[str, Any]:
    """The content of JSON file ``filename`` of bundled study ``name`` (``published.json``, ``conventions.json``)."""
    with open(study_folder(name) / filename, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def figures_frame(published: dict[str, Any]) -> pd.DataFrame:
    """The ``figures`` of a study's published.json as a frame indexed by id; ``printed`` keeps the printed string."""
    frame = pd.DataFrame(published["figures"])
    return frame.set_index("id", drop=False)
