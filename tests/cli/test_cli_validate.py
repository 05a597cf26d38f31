"""`axspa validate DIR`: exit 0 on good data, 1 with the problems (or their summary) on bad data."""

from __future__ import annotations

import pandas as pd

from axspa.cli import main


def _write(folder, patients: pd.DataFrame, visits: pd.DataFrame) -> None:
    patients.to_csv(folder / "patients.csv", index=False)
    visits.to_csv(folder / "visits.csv", index=False)


def test_validate_good_folder(tmp_path, patients_raw, visits_raw, capsys):
    _write(tmp_path, patients_raw, visits_raw)
    assert main(["validate", str(tmp_path)]) == 0
    assert "visits: 6 of 6 rows loaded" in capsys.readouterr().out


def test_validate_bad_folder_lists_every_problem(tmp_path, patients_raw, visits_raw, capsys):
    visits = visits_raw.copy()
    visits.loc[1, "basdai_q1"] = "11"
    visits.loc[3, "esr_mm_h"] = "-4"
    _write(tmp_path, patients_raw, visits)
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "visits.csv, row 2, patient P01, week 12: basdai_q1 must be a number in [0, 10]; got 11" in err
    assert "visits.csv, row 4, patient P02, week 4: esr_mm_h must be a number in [0, 200]" in err


def test_validate_lenient_writes_exclusions(tmp_path, patients_raw, visits_raw, capsys):
    visits = visits_raw.copy()
    visits.loc[1, "basdai_q1"] = "11"
    _write(tmp_path, patients_raw, visits)
    report = tmp_path / "excluded.csv"
    assert main(["validate", str(tmp_path), "--lenient", "--exclusions", str(report)]) == 1
    excluded = pd.read_csv(report)
    assert excluded[["row", "field", "rule"]].values.tolist() == [[2, "basdai_q1", "range"]]


def test_validate_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err
