"""The report's methods say what loading left out or changed; its Data section lists each case."""

from __future__ import annotations

import pandas as pd

from axspa.report import analyze

from .data import write_synthetic_study


def test_values_set_missing_and_rows_excluded_are_said_in_the_methods_and_listed(tmp_path) -> None:
    folder = tmp_path / "study"
    write_synthetic_study(folder)
    patients = pd.read_csv(folder / "patients.csv", dtype=str)
    patients.loc[0, "disease_duration_years"] = "many"  # optional: set missing, the patient kept
    patients.to_csv(folder / "patients.csv", index=False)
    visits = pd.read_csv(folder / "visits.csv", dtype=str)
    visits.loc[len(visits) - 1, "week"] = "later"  # required: the row is excluded
    visits.to_csv(folder / "visits.csv", index=False)
    result = analyze(folder, None, strict=False, on_invalid="missing", progress=False)
    methods = " ".join(result.report.methods)
    assert "1 input row(s) were excluded at loading; see the Data section." in methods
    assert (
        "1 input value(s) were set missing at loading (lenient loading with on_invalid = missing), their rows "
        "kept; see the Data section." in methods
    )
    data = "\n".join(result.report.summary)
    assert "values set missing, their rows loaded (1)" in data and "got 'many'" in data
    assert result.study.patients["patient_id"].iloc[0] == patients["patient_id"].iloc[0]  # the patient is kept


def test_a_clean_study_says_nothing_about_loading(tmp_path) -> None:
    folder = tmp_path / "study"
    write_synthetic_study(folder)
    methods = " ".join(analyze(folder, None, progress=False).report.methods)
    assert "at loading" not in methods
