"""`analyze` on valid but unusual studies: a message saying what is empty, never a KeyError or IndexError."""

from __future__ import annotations

from pathlib import Path

import pytest

from axspa.errors import InputError
from axspa.report import analyze

PATIENTS = "patient_id,sex,age_years,status,withdrawal_reason,last_week\n"
ITEMS = ("basdai_q1", "basdai_q2", "basdai_q3", "basdai_q4", "basdai_q5", "basdai_q6", "patient_global", "back_pain")
VISITS = "patient_id,week," + ",".join(ITEMS) + ",crp_mg_l\n"


def _visit(patient: str, week: int, value: int) -> str:
    return f"{patient},{week}," + ",".join([str(value)] * (len(ITEMS) + 1)) + "\n"


def _study(tmp_path: Path, name: str, patients: str, visits: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "patients.csv").write_text(PATIENTS + patients)
    (folder / "visits.csv").write_text(VISITS + visits)
    return folder


WITHDRAWN = "A,male,40,withdrawn,other,12\nB,female,30,withdrawn,adverse_event,12\n"


def test_nobody_completed(tmp_path: Path) -> None:
    folder = _study(tmp_path, "s", WITHDRAWN, _visit("A", 0, 5) + _visit("A", 12, 3) + _visit("B", 0, 6))
    with pytest.raises(InputError) as info:
        analyze(folder, None, progress=False)
    assert str(info.value) == (
        "study 's': the analysis set 'completers' (Completers) is empty, so there is no outcome to analyse; "
        "choose another with --population: enrolled_minus_adverse_event (n = 1), enrolled (n = 2)"
    )


def test_only_baseline_visits(tmp_path: Path) -> None:
    completed = "A,male,40,completed,,\nB,female,30,completed,,\n"
    folder = _study(tmp_path, "s", completed, _visit("A", 0, 5) + _visit("B", 0, 6))
    with pytest.raises(InputError) as info:
        analyze(folder, None, progress=False)
    assert str(info.value) == (
        "study 's': every visit is at the baseline week 0, so there is no change from baseline to analyse"
    )


def test_no_visit_loaded(tmp_path: Path) -> None:
    folder = _study(tmp_path, "s", WITHDRAWN, _visit("A", 0, 55) + _visit("B", 0, 66))  # out of range: excluded
    with pytest.raises(InputError) as info:
        analyze(folder, None, strict=False, progress=False)
    assert str(info.value) == (
        "study 's': no visit was loaded, so there is nothing to analyse; 2 rows were excluded (see axspa validate)"
    )


def test_one_patient(tmp_path: Path) -> None:
    folder = _study(tmp_path, "s", "A,male,40,completed,,\n", _visit("A", 0, 5) + _visit("A", 12, 3))
    result = analyze(folder, None, progress=False)
    table = {t.name: t for t in result.report.tables}["outcomes"]
    assert table.value(variable="basdai", level="paired", statistic="n", week=12) == 1
