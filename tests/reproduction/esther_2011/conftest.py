"""The ESTHER reproduction, built once: every published figure beside its recomputation."""

from __future__ import annotations

import pytest

from axspa.studies import esther_2011 as esther
from axspa.studies.controlled_reproduction import ControlledReproduction, Explained


@pytest.fixture(scope="session")
def esther_machinery() -> ControlledReproduction:
    return esther.reproduction()


@pytest.fixture(scope="session")
def esther_rows(esther_machinery: ControlledReproduction) -> dict[str, Explained]:
    # what esther.reproduce() returns, on the shared machinery
    return {r.comparison.id: r for r in esther_machinery.compare_all(esther.published_figures())}
