"""The ESTHER reproduction, built once: every published figure beside its recomputation."""

from __future__ import annotations

import pytest

from axspa.studies import esther_2011 as esther
from axspa.studies.controlled_reproduction import Explained


@pytest.fixture(scope="session")
def esther_rows() -> dict[str, Explained]:
    return {r.comparison.id: r for r in esther.reproduce()}
