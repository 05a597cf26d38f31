"""A study folder of Excel files loads like one of CSV files (the optional openpyxl reader)."""

from __future__ import annotations

import pandas as pd
import pytest

from axspa.io import load_study, validate_frames

pytest.importorskip("openpyxl", reason="Excel support is the optional 'excel' extra")


def test_excel_folder_loads_the_same_as_csv(tmp_path, patients_raw, visits_raw):
    patients_raw.to_excel(tmp_path / "patients.xlsx", index=False)
    visits_raw.to_excel(tmp_path / "visits.xlsx", index=False)
    from_excel = load_study(tmp_path)
    from_frames = validate_frames(patients_raw, visits_raw)
    pd.testing.assert_frame_equal(from_excel.patients, from_frames.patients)
    pd.testing.assert_frame_equal(from_excel.visits, from_frames.visits)


def test_excel_rows_are_reported_like_csv_rows(tmp_path, patients_raw, visits_raw):
    visits = visits_raw.copy()
    visits.loc[2, "basdai_q1"] = "11"
    patients_raw.to_excel(tmp_path / "patients.xlsx", index=False)
    visits.to_excel(tmp_path / "visits.xlsx", index=False)
    loaded = load_study(tmp_path, strict=False)
    assert loaded.exclusions[["source", "row", "field", "rule"]].values.tolist() == [
        ["visits.xlsx", 3, "basdai_q1", "range"]
    ]


def test_a_blank_row_has_the_same_number_in_a_workbook_and_in_a_csv_file(tmp_path, patients_raw, visits_raw):
    visits = pd.concat([visits_raw.iloc[:2], pd.DataFrame([{}]), visits_raw.iloc[2:]], ignore_index=True)
    visits.loc[3, "basdai_q1"] = "11"  # data row 4, after the blank row 3
    patients_raw.to_csv(tmp_path / "patients.csv", index=False)
    for suffix in ("xlsx", "csv"):
        (tmp_path / "visits.csv").unlink(missing_ok=True)
        (tmp_path / "visits.xlsx").unlink(missing_ok=True)
        path = tmp_path / f"visits.{suffix}"
        if suffix == "xlsx":
            visits.to_excel(path, index=False)
        else:  # the empty row as a blank line, as a text editor leaves it
            empty = "," * (visits.shape[1] - 1)
            path.write_text(visits.to_csv(index=False).replace(f"\n{empty}\n", "\n\n"), encoding="utf-8")
            assert "\n\n" in path.read_text(encoding="utf-8")
        loaded = load_study(tmp_path, strict=False)
        assert loaded.exclusions[["row", "rule"]].values.tolist() == [[3, "blank_row"], [4, "range"]], suffix
        assert loaded.exclusions["field"].tolist()[1] == "basdai_q1"
