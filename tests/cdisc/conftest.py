"""Fixtures of the CDISC tests (the studies are described in cdisc_study.py)."""

from __future__ import annotations

import pytest
from cdisc_study import build_controlled, build_reference, write_controlled_study

from axspa.cdisc import Adam
from axspa.io import LoadedStudy, load_study


@pytest.fixture(scope="session")
def controlled_study(tmp_path_factory: pytest.TempPathFactory) -> LoadedStudy:
    return load_study(write_controlled_study(tmp_path_factory.mktemp("trial")), name="small_trial")


@pytest.fixture(scope="session")
def controlled(tmp_path_factory: pytest.TempPathFactory) -> Adam:
    return build_controlled(tmp_path_factory.mktemp("trial_adam"))


@pytest.fixture(scope="session")
def reference() -> Adam:
    return build_reference()
