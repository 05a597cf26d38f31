"""The input boundary: one message for one bad value from every entry point, one set of missing
tokens, one implementation of "one row per patient and week"."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from pydantic import ValidationError

from axspa.analysis_sets import standard_sets
from axspa.derive import score_visits
from axspa.errors import AxspaError, DataValidationError, InputError
from axspa.imputation import impute
from axspa.ingest.checks import check_table, repeated_visits, require_one_row_per_visit
from axspa.ingest.columns import VISITS
from axspa.ingest.missing import MISSING_TOKENS
from axspa.io import load_study
from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS, BASG_ITEMS
from axspa.models import Patient, RecordValidationError, Study, Visit
from axspa.units import parse_lab_value

# The message of the input boundary for basdai_q6 = 12, written out by hand: the rule (a number in
# [0, 10]), the value, and the likely cause (BASDAI Q6 recorded in minutes).
BAD_Q6 = (
    "basdai_q6 must be a number in [0, 10]; got 12. "
    "Was it recorded in minutes (0-120 minutes maps to 0-10 as minutes / 12)?"
)
ITEMS = (*BASDAI_ITEMS, *BASFI_ITEMS, *BASG_ITEMS, "patient_global", "back_pain")


def _visit(patient_id: str, week: int, **extra: float) -> dict[str, object]:
    row = {"patient_id": patient_id, "week": week, **dict.fromkeys(ITEMS, 4.0), "esr_mm_h": 20.0, "crp_mg_l": 5.0}
    return row | extra


def _write_study(folder, visits: list[dict[str, object]]) -> None:
    pd.DataFrame(
        {"patient_id": ["P01", "P03"], "sex": ["male", "female"], "age_years": [30, 25], "status": ["completed"] * 2}
    ).to_csv(folder / "patients.csv", index=False)
    pd.DataFrame(visits).to_csv(folder / "visits.csv", index=False)


def test_one_bad_value_gives_one_message_from_every_entry_point(tmp_path):
    rows = [_visit("P01", 0), _visit("P03", 0), _visit("P03", 8, basdai_q6=12.0)]
    _write_study(tmp_path, rows)

    with pytest.raises(DataValidationError) as loaded:
        load_study(tmp_path)
    with pytest.raises(InputError) as scored:
        score_visits(pd.DataFrame(rows))
    with pytest.raises(RecordValidationError) as record:
        Visit(**rows[2])

    # the same message, placed by each entry point: file row, frame row, record
    assert f"visits.csv, row 3, patient P03, week 8: {BAD_Q6}" in str(loaded.value)
    assert str(scored.value) == f"row 2, patient P03, week 8: {BAD_Q6}"
    assert f"patient P03, week 8: {BAD_Q6}" in str(record.value)


def test_record_errors_are_axspa_input_errors_and_pydantic_errors():
    with pytest.raises(RecordValidationError) as info:
        Visit.model_validate({"patient_id": "P01", "week": 0, "basdai_q6": 12})
    assert isinstance(info.value, AxspaError)
    assert isinstance(info.value, InputError)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ValidationError)
    field, value, message, rule = info.value.errors()[0]["ctx"]["problems"][0]
    assert (field, value, message, rule) == ("basdai_q6", 12, BAD_Q6, "range")


@pytest.mark.parametrize("token", ["", " ", "NA", "na", "N/A", "NaN", "nan"])
def test_one_set_of_missing_tokens_for_labs_and_items(token):
    raw = pd.DataFrame({"patient_id": ["P01"], "week": ["0"], "basdai_q1": [token], "crp_mg_l": [token]})
    checked = check_table(raw, VISITS)
    assert checked.problems == []
    assert pd.isna(checked.frame.loc[0, "basdai_q1"])
    assert pd.isna(checked.frame.loc[0, "crp_mg_l"])
    assert parse_lab_value(token) is None
    assert Visit(patient_id="P01", week=0, basdai_q1=token, crp_mg_l=token).basdai_q1 is None


def test_the_missing_tokens_are_the_documented_four():
    assert MISSING_TOKENS == {"", "na", "n/a", "nan"}


def test_a_word_that_is_not_a_missing_token_is_an_error_in_every_column():
    raw = pd.DataFrame({"patient_id": ["P01"], "week": ["0"], "basdai_q1": ["none"], "crp_mg_l": ["none"]})
    messages = [p.message for p in check_table(raw, VISITS).problems]
    assert messages == [
        "basdai_q1 must be a number in [0, 10]; got 'none', which is not a number",
        "crp_mg_l must be a number in [0, 500] (or a censored value such as '<5'); got 'none', which is not a number",
    ]


def test_one_row_per_patient_and_week_is_one_rule_everywhere():
    # P1 week 4 twice (4 and 4.0 are the same week); P2 week 4 once
    frame = pd.DataFrame({"patient_id": ["P1", "P1", "P2", "P1"], "week": [0, 4, 4, 4.0]})
    assert repeated_visits(frame["patient_id"], frame["week"]).tolist() == [False, True, False, True]
    expected = "duplicate visit: patient P1 has more than one visit at week 4 (rows 1, 3)"
    with pytest.raises(InputError, match="^" + re.escape(f"row 1, patient P1, week 4: {expected}")):
        require_one_row_per_visit(frame)

    rows = [_visit("A", 0), _visit("A", 4), _visit("A", 4)]
    with pytest.raises(InputError, match=r"duplicate visit: patient A has more than one visit at week 4 \(rows 1, 2\)"):
        score_visits(pd.DataFrame(rows))
    patients = pd.DataFrame({"patient_id": ["A"], "status": ["completed"], "withdrawal_reason": [None]})
    scored = pd.DataFrame(rows).assign(basdai=1.0)
    with pytest.raises(InputError, match=r"patient A has more than one visit at week 4 \(rows 1, 2\)"):
        impute(scored, standard_sets(patients)["enrolled"], method="observed", columns=["basdai"])


def test_study_record_errors_are_axspa_input_errors_too():
    patient = Patient(patient_id="P01", sex="male", age_years=30, status="completed")
    with pytest.raises(RecordValidationError, match="patient_id 'P01' appears more than once") as info:
        Study(patients=[patient, patient], visits=[Visit(patient_id="P01", week=0)])
    assert isinstance(info.value, AxspaError)
