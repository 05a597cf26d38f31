"""The reference study's generator (outside the installed package) rebuilds its files byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from axspa.studies import thalidomide_2003 as reference
from generators.thalidomide_2003 import build

ROOT = Path(__file__).resolve().parents[2]
FILES = ("patients.csv", "visits.csv", "adverse_events.csv", "conventions.json")


@pytest.mark.slow
def test_generator_rebuilds_the_committed_files_byte_for_byte(tmp_path):
    build(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (reference.folder() / name).read_bytes(), name


def test_generator_runs_as_a_module_from_the_repository_root():
    done = subprocess.run(
        [sys.executable, "-m", "generators.thalidomide_2003", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Rebuild the reconstructed patient-level files of the reference study" in done.stdout
