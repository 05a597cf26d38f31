"""The example scripts run end to end and print the expected numbers."""

import subprocess
import sys
from pathlib import Path

import pytest

from .data import write_synthetic_study

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "analysis.py"


@pytest.mark.slow
def test_example_script_runs(tmp_path):
    write_synthetic_study(tmp_path / "study")
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), str(tmp_path / "study"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # Hand values (tests/report/data.py): BASDAI changes -3, -1, 0, -4 among the 4 completers;
    # zero dropped, R+ = 0 of 3: p = 2/8; HL = median of Walsh averages = -2.75. ASAS20 3 of 6 (NRI).
    assert "BASDAI week 0 -> 26 (n = 4): p = 0.2500, HL = -2.75" in done.stdout
    assert "ASAS20, Non-responder imputation (NRI): 3/6" in done.stdout
    assert (tmp_path / "out" / "report.html").exists()
    assert (tmp_path / "out" / "figures" / "basdai_basfi.png").exists()


@pytest.mark.slow
def test_controlled_trial_example_runs_on_the_bundled_synthetic_trial():
    script = EXAMPLE.parent / "controlled_trial.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    # Counts from data/synthetic_rct (ASAS by the published definitions in plain pandas, in
    # tests/report/test_controlled_report.py): ASAS20 23 and 10 of 40, ASAS40 16 and 4 of 40, so the
    # differences are 13/40 = 0.325 and 12/40 = 0.300; 2 of 80 never treated; 69 completed.
    assert "Full analysis set (n = 80)" in done.stdout
    assert "Safety set (n = 78)" in done.stdout
    assert "Completers (n = 69)" in done.stdout
    assert "ASAS20 week 16: 23/40 vs 10/40; difference 0.325" in done.stdout
    assert "ASAS40 week 16: 16/40 vs 4/40; difference 0.300" in done.stdout
