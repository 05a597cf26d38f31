"""Bad input gives an error naming the field, the value, the row and the rule, on both paths.

The record path (Pydantic models) and the frame path (vectorized checks) must accept and
reject the same rows with the same messages.
"""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from axspa.errors import DataValidationError
from axspa.io import validate_frames
from axspa.models import Patient, Study, Visit


def _with_row(visits: pd.DataFrame, row: dict, at: int = 2) -> pd.DataFrame:
    top, bottom = visits.iloc[:at], visits.iloc[at:]
    return pd.concat([top, pd.DataFrame([row]), bottom], ignore_index=True)


# (case id, extra row, expected field, expected value text, expected rule, phrase in the message)
BAD_ROWS = [
    (
        "item above range",
        {"patient_id": "P01", "week": "4", "basdai_q1": "11"},
        "basdai_q1",
        "11",
        "range",
        "must be a number in [0, 10]; got 11",
    ),
    (
        "crp without unit",
        {"patient_id": "P01", "week": "4", "crp": "5"},
        "crp",
        "'5'",
        "unit",
        "crp has no unit: name the column crp_mg_l or crp_mg_dl",
    ),
    (
        "negative esr",
        {"patient_id": "P01", "week": "4", "esr_mm_h": "-2"},
        "esr_mm_h",
        "-2",
        "range",
        "esr_mm_h must be a number in [0, 200]",
    ),
    (
        "non-numeric item",
        {"patient_id": "P01", "week": "4", "basfi_q1": "abc"},
        "basfi_q1",
        "'abc'",
        "type",
        "which is not a number",
    ),
    ("week not a number", {"patient_id": "P01", "week": "two"}, "week", "'two'", "type", "week must be a number"),
    (
        "unknown patient",
        {"patient_id": "P77", "week": "0"},
        "patient_id",
        "'P77'",
        "unknown_patient",
        "is not in the patients table",
    ),
    (
        "duplicated patient-week",
        {"patient_id": "P01", "week": "12", "basdai_q1": "1"},
        "week",
        "12",
        "duplicate",
        "has more than one visit at week 12",
    ),
]


@pytest.mark.parametrize(("case", "row", "field", "value", "rule", "phrase"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
@pytest.mark.parametrize("engine", ["frame", "records"])
def test_strict_error_names_field_value_row_and_rule(
    patients_raw, visits_raw, engine, case, row, field, value, rule, phrase
):
    visits = _with_row(visits_raw, row)
    with pytest.raises(DataValidationError) as info:
        validate_frames(patients_raw, visits, engine=engine)
    problems = [p for p in info.value.problems if p.field == field]
    assert problems, str(info.value)
    problem = next(p for p in problems if p.row == 3)  # the inserted row is data row 3
    assert problem.rule == rule
    assert phrase in problem.message
    assert value in problem.message
    text = str(info.value)
    assert "row 3" in text and phrase in text
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(("case", "row", "field", "value", "rule", "phrase"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_frame_and_record_engines_agree(patients_raw, visits_raw, case, row, field, value, rule, phrase):
    visits = _with_row(visits_raw, row)
    by_frame = validate_frames(patients_raw, visits, strict=False, engine="frame")
    by_records = validate_frames(patients_raw, visits, strict=False, engine="records")
    pd.testing.assert_frame_equal(by_frame.exclusions, by_records.exclusions)
    pd.testing.assert_frame_equal(by_frame.visits, by_records.visits)
    pd.testing.assert_frame_equal(by_frame.patients, by_records.patients)


@pytest.mark.parametrize(
    ("values", "phrase"),
    [
        ({"basdai_q1": 11}, "basdai_q1 must be a number in [0, 10]; got 11"),
        ({"crp": 5}, "crp has no unit"),
        ({"esr_mm_h": -2}, "esr_mm_h must be a number in [0, 200]"),
        ({"basfi_q1": "abc"}, "basfi_q1 must be a number in [0, 10]; got 'abc', which is not a number"),
        ({"week": "two"}, "week must be a number in [-104, 1040]; got 'two'"),
    ],
)
def test_record_path_names_the_record_field_and_value(values, phrase):
    with pytest.raises(ValidationError) as info:
        Visit.model_validate({"patient_id": "P01", "week": 4, **values})
    message = str(info.value)
    assert phrase in message
    assert "patient P01" in message


def test_study_records_reject_duplicates_and_unknown_patients():
    patient = Patient(patient_id="P01", sex="male", age_years=30, status="completed")
    visits = [Visit(patient_id="P01", week=0), Visit(patient_id="P01", week=0), Visit(patient_id="P09", week=0)]
    with pytest.raises(ValidationError) as info:
        Study(patients=[patient], visits=visits)
    message = str(info.value)
    assert "duplicate visit: patient P01 has more than one visit at week 0 (rows 1, 2)" in message
    assert "patient_id 'P09' is not in the patients table" in message


def test_every_problem_is_reported_not_just_the_first(patients_raw, visits_raw):
    visits = visits_raw.copy()
    visits.loc[0, "basdai_q1"] = "12"
    visits.loc[1, "esr_mm_h"] = "-1"
    visits.loc[4, "basdai_q2"] = "n/a?"
    with pytest.raises(DataValidationError) as info:
        validate_frames(patients_raw, visits)
    row_problems = [p for p in info.value.problems if p.row is not None]
    assert sorted((p.row, p.field) for p in row_problems) == [(1, "basdai_q1"), (2, "esr_mm_h"), (5, "basdai_q2")]
    # Rows 1 and 5 are the baselines of P01 and P03: with them excluded, both lack a baseline,
    # which is reported too.
    assert [p.patient_id for p in info.value.problems if p.rule == "baseline_missing"] == ["P01", "P03"]


def test_visit_after_withdrawal_and_missing_baseline(patients_raw, visits_raw):
    visits = _with_row(visits_raw, {"patient_id": "P02", "week": "8"}, at=4)
    visits = visits[~((visits["patient_id"] == "P03") & (visits["week"] == "0"))]
    with pytest.raises(DataValidationError) as info:
        validate_frames(patients_raw, visits)
    rules = {p.rule: p for p in info.value.problems}
    assert "is after the withdrawal of patient P02 at week 4" in rules["after_withdrawal"].message
    assert rules["baseline_missing"].patient_id == "P03"


def test_patient_disposition_rules_on_both_paths(patients_raw, visits_raw):
    patients = patients_raw.copy()
    patients.loc[1, "withdrawal_reason"] = None
    for engine in ("frame", "records"):
        with pytest.raises(DataValidationError, match="withdrawal_reason is required when status is withdrawn"):
            validate_frames(patients, visits_raw, engine=engine)


@pytest.mark.parametrize("engine", ["frame", "records"])
def test_lenient_loads_n_minus_k_and_reports_exactly_k(patients_raw, visits_raw, engine):
    bad_rows = [
        {"patient_id": "P01", "week": "2", "basdai_q1": "11"},
        {"patient_id": "P01", "week": "3", "esr_mm_h": "-5"},
        {"patient_id": "P42", "week": "0"},
        {"patient_id": "P03", "week": "x"},
    ]
    visits = visits_raw
    for i, row in enumerate(bad_rows):
        visits = _with_row(visits, row, at=1 + 2 * i)
    n, k = len(visits), len(bad_rows)
    loaded = validate_frames(patients_raw, visits, strict=False, engine=engine)
    assert len(loaded.visits) == n - k
    excluded = loaded.excluded_rows
    assert len(excluded) == k
    assert excluded["row"].tolist() == [2, 4, 6, 8]
    assert excluded["reasons"].tolist() == [  # each names the field, the value and the rule
        "basdai_q1 must be a number in [0, 10]; got 11. Was it recorded on a 0-100 mm scale (divide by 10)?",
        "esr_mm_h must be a number in [0, 200] (or a censored value such as '<5'); got -5",
        "patient_id 'P42' is not in the patients table",
        "week must be a number in [-104, 1040]; got 'x', which is not a number",
    ]
    assert loaded.rows_read["visits"] == n


@pytest.mark.parametrize("engine", ["frame", "records"])
def test_duplicated_patient_excludes_both_rows_and_their_visits(patients_raw, visits_raw, engine):
    patients = pd.concat([patients_raw, patients_raw.iloc[[0]]], ignore_index=True)  # P01 twice
    loaded = validate_frames(patients, visits_raw, strict=False, engine=engine)
    assert loaded.patients["patient_id"].tolist() == ["P02", "P03"]
    patient_rows = loaded.exclusions[loaded.exclusions["source"] == "patients.csv"]
    assert patient_rows["row"].tolist() == [1, 4]
    assert set(patient_rows["rule"]) == {"duplicate"}
    visit_reasons = loaded.exclusions.loc[loaded.exclusions["source"] == "visits.csv", "message"]
    assert all("(its patient row was excluded)" in m for m in visit_reasons)
    assert len(visit_reasons) == 2  # P01's two visits


def test_study_records_reject_a_duplicated_patient():
    patient = Patient(patient_id="P01", sex="male", age_years=30, status="completed")
    with pytest.raises(ValidationError, match="patient_id 'P01' appears more than once"):
        Study(patients=[patient, patient], visits=[Visit(patient_id="P01", week=0)])
