"""Find the folder of a bundled study, in an installed wheel or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

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
