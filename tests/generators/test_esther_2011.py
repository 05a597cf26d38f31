"""The ESTHER generator (outside the installed package) rebuilds its files byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from axspa.studies import esther_2011 as study
from generators.esther_2011 import build

ROOT = Path(__file__).resolve().parents[2]
FILES = ("patients.csv", "visits.csv", "conventions.json")


@pytest.mark.slow
def test_generator_rebuilds_the_committed_files_byte_for_byte(tmp_path):
    build(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (study.folder() / name).read_bytes(), name


def test_one_measure_rebuilds_as_committed(tmp_path):
    # The fast path: the patients and one measure (its own random stream) come out as committed.
    build(tmp_path, measures=["joint_count"])
    assert (tmp_path / "patients.csv").read_bytes() == (study.folder() / "patients.csv").read_bytes()
    rebuilt = json.loads((tmp_path / "joint_count.json").read_text(encoding="utf-8"))
    visits = pd.read_csv(study.folder() / "visits.csv", dtype={"patient_id": str})
    for arm, prefix in (("etanercept", "E"), ("sulfasalazine", "S")):
        for week, values in rebuilt[arm].items():
            rows = visits[visits["patient_id"].str.startswith(prefix) & (visits["week"] == int(week))]
            assert rows["joint_count"].tolist() == values, (arm, week)


def test_generator_runs_as_a_module_from_the_repository_root():
    done = subprocess.run(
        [sys.executable, "-m", "generators.esther_2011", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Rebuild the reconstructed patient-level files of the ESTHER trial" in done.stdout
