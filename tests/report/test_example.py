"""examples/analysis.py runs end to end on a study folder and prints the expected numbers."""

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
