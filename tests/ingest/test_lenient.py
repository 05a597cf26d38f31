"""Lenient loading keeps its promise (issue 13, item 5), on both loading engines.

- A table without a required column is an error in strict and lenient mode, whatever ``on_invalid``.
- ``on_invalid="exclude"`` (the default) excludes a row with a bad value; ``on_invalid="missing"`` loads it
  with the value missing, unless the row cannot be without it (a required field), and lists the value.
- A patient excluded for a bad field takes its visits with it only as listed follow-ons that name the cause.

Every expected message below is written out by hand from the rules stated in the docstrings of
:func:`axspa.io.validate_frames` and :func:`axspa.ingest.checks.not_settable`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from malformed_studies import CASES, Case

from axspa.cli import main
from axspa.errors import DataValidationError, InputError
from axspa.io import _problem_of, load_study, validate_frames

ENGINES = ["frame", "records"]

CHOICES = "adverse_event, lack_of_efficacy, lost_to_follow_up, other"
BOOLEAN = "true or false (yes/no, 1/0, positive/negative)"


@pytest.fixture
def patients() -> pd.DataFrame:
    """P01 clean; P02 withdrawn with an unreadable reason and hla_b27 '-'; P03 sex 'x' (required);
    P04 with an unreadable last_week and a disease duration longer than its age."""
    return pd.DataFrame(
        {
            "patient_id": ["P01", "P02", "P03", "P04"],
            "sex": ["male", "male", "x", "female"],
            "age_years": ["30", "41", "25", "50"],
            "disease_duration_years": ["10", "12.5", "3", "60"],
            "hla_b27": ["yes", "-", "no", "no"],
            "status": ["completed", "withdrawn", "completed", "completed"],
            "withdrawal_reason": [None, "bored", None, None],
            "last_week": ["24", "4", "24", "abc"],
        }
    )


@pytest.fixture
def visits() -> pd.DataFrame:
    """Row 2: basdai_q1 44 (out of range); row 3: basfi_q1 'x'; row 8: week 'y' (required)."""
    rows = [
        ("P01", "0", "5", "1"),
        ("P01", "12", "44", "2"),
        ("P02", "0", "7", "x"),
        ("P02", "4", "6", "1"),
        ("P03", "0", "3", "1"),
        ("P03", "12", "2", "1"),
        ("P04", "0", "2", "1"),
        ("P04", "y", "2", "1"),
    ]
    return pd.DataFrame(rows, columns=["patient_id", "week", "basdai_q1", "basfi_q1"])


@pytest.fixture
def adverse_events() -> pd.DataFrame:
    return pd.DataFrame(
        {"patient_id": ["P01", "P03"], "term": ["headache", "nausea"], "severity": ["terrible", "mild"]}
    )


# -- a missing required column ------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("strict", "on_invalid"),
    [(True, "exclude"), (False, "exclude"), (False, "missing")],
    ids=["strict", "lenient", "missing"],
)
@pytest.mark.parametrize(
    ("table", "column", "expected"),
    [
        ("patients", "sex", "patients.csv: required column sex is missing"),
        ("visits", "week", "visits.csv: required column week is missing"),
        ("adverse_events", "term", "adverse_events.csv: required column term is missing"),
    ],
)
def test_a_missing_required_column_is_an_error_in_every_mode(
    patients, visits, adverse_events, engine, strict, on_invalid, table, column, expected
):
    tables = {"patients": patients, "visits": visits, "adverse_events": adverse_events}
    tables[table] = tables[table].drop(columns=column)
    with pytest.raises(DataValidationError) as raised:
        validate_frames(**tables, strict=strict, on_invalid=on_invalid, engine=engine)
    assert [str(p) for p in raised.value.problems] == [expected]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_file_without_a_required_column_is_an_error_when_loaded_leniently(tmp_path, patients, visits, engine):
    patients.to_csv(tmp_path / "patients.csv", index=False)
    visits.drop(columns="patient_id").to_csv(tmp_path / "visits.csv", index=False)
    with pytest.raises(DataValidationError, match=r"visits\.csv: required column patient_id is missing"):
        load_study(tmp_path, strict=False, on_invalid="missing", engine=engine)


# -- on_invalid="exclude": the patient's visits are follow-ons naming the cause ------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_excluded_patient_takes_its_visits_only_as_follow_ons_naming_the_cause(patients, visits, engine):
    loaded = validate_frames(patients, visits, strict=False, engine=engine)
    assert loaded.patients["patient_id"].tolist() == ["P01"]
    p03 = loaded.exclusions[(loaded.exclusions["source"] == "visits.csv") & (loaded.exclusions["patient_id"] == "P03")]
    assert p03["row"].tolist() == [5, 6]
    assert p03["rule"].tolist() == ["unknown_patient", "unknown_patient"]
    assert set(p03["message"]) == {
        "patient_id 'P03' is not in the patients table (its patient row was excluded): patients.csv row 3: "
        "sex must be one of male, female; got 'x'"
    }
    p02 = loaded.exclusions[(loaded.exclusions["source"] == "visits.csv") & (loaded.exclusions["row"] == 4)]
    assert p02["message"].tolist() == [
        "patient_id 'P02' is not in the patients table (its patient row was excluded): patients.csv row 2: "
        f"hla_b27 must be {BOOLEAN}; got '-'"
    ]


# -- on_invalid="missing" ------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_sets_bad_optional_values_missing_and_lists_them(patients, visits, adverse_events, engine):
    loaded = validate_frames(patients, visits, adverse_events, strict=False, on_invalid="missing", engine=engine)
    # P04 stays, without its last_week and its disease duration; P01's week 12 stays without basdai_q1
    assert loaded.patients["patient_id"].tolist() == ["P01", "P04"]
    assert loaded.patients["last_week"].isna().tolist() == [False, True]
    assert loaded.patients["disease_duration_years"].tolist()[0] == 10.0
    assert pd.isna(loaded.patients["disease_duration_years"].tolist()[1])
    assert loaded.visits[["patient_id", "week"]].values.tolist() == [["P01", 0.0], ["P01", 12.0], ["P04", 0.0]]
    assert loaded.visits["basdai_q1"].isna().tolist() == [False, True, False]
    assert loaded.adverse_events["severity"].tolist() == [None]  # P01's 'terrible'; P03's event follows P03
    assert loaded.exclusions.loc[loaded.exclusions["source"] == "adverse_events.csv", "message"].tolist() == [
        "patient_id 'P03' is not in the patients table (its patient row was excluded): patients.csv row 3: "
        "sex must be one of male, female; got 'x' (not set missing: sex is required)"
    ]
    assert [str(p) for p in _problems(loaded.set_missing)] == [
        "adverse_events.csv, row 1, patient P01: severity must be one of mild, moderate, severe; got 'terrible'",
        "patients.csv, row 4, patient P04: last_week must be a number in [-104, 1040]; got 'abc', which is not a "
        "number",
        "patients.csv, row 4, patient P04: disease_duration_years must not exceed age_years (50); got 60",
        "visits.csv, row 2, patient P01, week 12: basdai_q1 must be a number in [0, 10]; got 44. Was it recorded "
        "on a 0-100 mm scale (divide by 10)?",
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_still_excludes_rows_that_cannot_be_without_the_value_and_says_why(patients, visits, engine):
    loaded = validate_frames(patients, visits, strict=False, on_invalid="missing", engine=engine)
    excluded = loaded.excluded_rows
    reasons = {(source, row): text for source, row, text in excluded[["source", "row", "reasons"]].values.tolist()}
    assert reasons[("patients.csv", 3)] == "sex must be one of male, female; got 'x' (not set missing: sex is required)"
    assert reasons[("visits.csv", 8)] == (
        "week must be a number in [-104, 1040]; got 'y', which is not a number (not set missing: week is required)"
    )
    # P02: hla_b27 and the reason could go missing, but a withdrawn patient without a reason cannot load
    assert reasons[("patients.csv", 2)] == (
        f"hla_b27 must be {BOOLEAN}; got '-'; withdrawal_reason must be one of {CHOICES}; got 'bored'; "
        "withdrawal_reason is required when status is withdrawn; got no value (not set missing: withdrawal_reason "
        "is missing already)"
    )
    # its visits are follow-ons naming the problem that excluded it; row 3's own bad value is listed too
    assert reasons[("visits.csv", 3)] == (
        "patient_id 'P02' is not in the patients table (its patient row was excluded): patients.csv row 2: "
        "withdrawal_reason is required when status is withdrawn; got no value (not set missing: withdrawal_reason "
        "is missing already); basfi_q1 must be a number in [0, 10]; got 'x', which is not a number"
    )
    assert reasons[("visits.csv", 5)] == (
        "patient_id 'P03' is not in the patients table (its patient row was excluded): patients.csv row 3: "
        "sex must be one of male, female; got 'x' (not set missing: sex is required)"
    )
    assert sorted(reasons) == [
        ("patients.csv", 2),
        ("patients.csv", 3),
        ("visits.csv", 3),
        ("visits.csv", 4),
        ("visits.csv", 5),
        ("visits.csv", 6),
        ("visits.csv", 8),
    ]


@pytest.mark.parametrize("read", ["frames", "files"])
def test_the_two_engines_load_the_same_study(patients, visits, adverse_events, read, tmp_path):
    if read == "files":  # the frame engine reads numbers with the C parser, the record engine text
        for name, table in (("patients", patients), ("visits", visits), ("adverse_events", adverse_events)):
            table.to_csv(tmp_path / f"{name}.csv", index=False)
        frame, records = (
            load_study(tmp_path, name="study", strict=False, on_invalid="missing", engine=engine) for engine in ENGINES
        )
    else:
        frame, records = (
            validate_frames(patients, visits, adverse_events, strict=False, on_invalid="missing", engine=engine)
            for engine in ENGINES
        )
    assert len(frame.set_missing) == 4 and len(frame.excluded_rows) == 8
    for table in ("patients", "visits", "adverse_events", "exclusions", "set_missing"):
        pd.testing.assert_frame_equal(getattr(frame, table), getattr(records, table))


def test_summary_lists_the_values_set_missing(patients, visits):
    summary = validate_frames(patients.iloc[[0, 3]], visits.iloc[[0, 1, 6]], strict=False, on_invalid="missing")
    assert summary.summary() == "\n".join(
        [
            "study 'study':",
            "  patients: 2 of 2 rows loaded",
            "  visits: 3 of 3 rows loaded",
            "  adverse_events: 0 of 0 rows loaded",
            "  values set missing, their rows loaded (3):",
            "    patients.csv, row 2, patient P04: last_week must be a number in [-104, 1040]; got 'abc', which is not "
            "a number",
            "    patients.csv, row 2, patient P04: disease_duration_years must not exceed age_years (50); got 60",
            "    visits.csv, row 2, patient P01, week 12: basdai_q1 must be a number in [0, 10]; got 44. Was it "
            "recorded on a 0-100 mm scale (divide by 10)?",
        ]
    )
    assert "values_set_missing=3" in repr(summary)


def test_exclude_is_the_default_and_loads_no_bad_row(patients, visits):
    loaded = validate_frames(patients, visits, strict=False)
    assert loaded.patients["patient_id"].tolist() == ["P01"]
    assert loaded.visits[["patient_id", "week"]].values.tolist() == [["P01", 0.0]]
    assert loaded.set_missing.empty


def test_on_invalid_is_checked(patients, visits):
    with pytest.raises(InputError, match="on_invalid='missing' chooses what lenient loading does"):
        validate_frames(patients, visits, on_invalid="missing")
    with pytest.raises(InputError, match="on_invalid must be one of 'exclude', 'missing'; got 'drop'"):
        validate_frames(patients, visits, strict=False, on_invalid="drop")  # type: ignore[arg-type]


# -- the command line ----------------------------------------------------------------------------------------


def _folder(tmp_path: Path, patients: pd.DataFrame, visits: pd.DataFrame) -> str:
    patients.to_csv(tmp_path / "patients.csv", index=False)
    visits.to_csv(tmp_path / "visits.csv", index=False)
    return str(tmp_path)


def test_cli_on_invalid_missing_lists_both_and_writes_what_became_of_each_row(tmp_path, patients, visits, capsys):
    folder = _folder(tmp_path, patients, visits)
    report = tmp_path / "report.csv"
    status = main(["validate", folder, "--lenient", "--on-invalid", "missing", "--exclusions", str(report)])
    assert status == 1
    out = capsys.readouterr().out
    assert "  visits: 3 of 8 rows loaded\n" in out
    assert "  values set missing, their rows loaded (3):\n" in out
    written = pd.read_csv(report)
    # excluded: patients row 2 (3 problems), row 3 (1); visits rows 3 (2), 4, 5, 6, 8 (1 each)
    assert written.groupby("action").size().to_dict() == {"excluded": 10, "set missing": 3}


@pytest.mark.parametrize("command", [["validate"], ["analyze", "--quiet"], ["adam", "--out", "adam"]])
def test_cli_on_invalid_needs_lenient(tmp_path, patients, visits, capsys, command):
    folder = _folder(tmp_path, patients, visits)
    assert main([command[0], folder, *command[1:], "--on-invalid", "missing"]) == 2
    assert capsys.readouterr().err == (
        "axspa: --on-invalid missing chooses what --lenient does with a bad value; add --lenient\n"
    )


def _problems(table: pd.DataFrame) -> list[object]:
    return [_problem_of(row) for row in table.to_dict("records")]


# -- the corpus of malformed folders, loaded with on_invalid="missing" ---------------------------------------

REQUIRED = {"patients": ("patient_id", "sex", "age_years", "status"), "visits": ("patient_id", "week")}


@pytest.mark.parametrize("case", [c for c in CASES if c.error is None and not c.same], ids=lambda c: c.name)
def test_malformed_folders_with_missing_load_no_required_gap_and_the_engines_agree(case: Case, tmp_path: Path):
    folder, outside = tmp_path / "study", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    case.build(folder, outside)
    outcomes = []
    for engine in ENGINES:
        try:
            outcomes.append(load_study(folder, strict=False, on_invalid="missing", engine=engine))
        except DataValidationError as exc:  # a missing required column
            outcomes.append(exc)
    frame, records = outcomes
    assert type(frame) is type(records)
    if isinstance(frame, DataValidationError):
        assert str(frame) == str(records)
        return
    for table, columns in REQUIRED.items():
        assert not getattr(frame, table)[list(columns)].isna().any().any(), table
    for table in ("patients", "visits", "adverse_events", "exclusions", "set_missing"):
        pd.testing.assert_frame_equal(getattr(frame, table), getattr(records, table), check_dtype=False)
    # every row read is loaded or excluded, and a value set missing belongs to a loaded row
    counts = frame.to_frame()
    excluded = frame.excluded_rows.groupby("source").size()
    assert (counts["read"] - counts["loaded"]).sum() == excluded.sum()
    excluded_rows = set(zip(frame.excluded_rows["source"], frame.excluded_rows["row"], strict=True))
    assert not excluded_rows & set(zip(frame.set_missing["source"], frame.set_missing["row"], strict=True))


# -- a blank line is a row: the rows after it keep the numbers a spreadsheet shows ---------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_a_blank_line_between_rows_is_a_listed_row_and_the_rows_after_it_keep_their_number(tmp_path, engine):
    # visits.csv by hand: data row 1 P01 week 0; row 2 a blank line; row 3 P01 week 12 with basdai_q1 44
    # (out of [0, 10]); the blank line after the last row ends the file and is no row
    (tmp_path / "patients.csv").write_text("patient_id,sex,age_years,status\nP01,male,30,completed\n")
    (tmp_path / "visits.csv").write_text("patient_id,week,basdai_q1\nP01,0,5\n\nP01,12,44\n\n")
    loaded = load_study(tmp_path, strict=False, engine=engine)
    assert loaded.rows_read == {"patients": 1, "visits": 3, "adverse_events": 0}
    # the blank row is listed once, as what it is, not once per required column it lacks
    assert loaded.exclusions[["source", "row", "rule", "message"]].values.tolist() == [
        ["visits.csv", 2, "blank_row", "the row is empty (every field blank; a blank line?); delete it"],
        [
            "visits.csv",
            3,
            "range",
            "basdai_q1 must be a number in [0, 10]; got 44. Was it recorded on a 0-100 mm scale (divide by 10)?",
        ],
    ]
    assert loaded.visits[["patient_id", "week"]].values.tolist() == [["P01", 0.0]]


@pytest.mark.parametrize("engine", ENGINES)
def test_strict_loading_names_a_blank_row_once_and_a_row_of_missing_ids_as_before(tmp_path, engine):
    # visits.csv by hand: row 1 fine; row 2 a row of empty fields (",,", as a spreadsheet writes an empty row);
    # row 3 has a basdai value but neither patient_id nor week: not blank, so each missing column is named
    (tmp_path / "patients.csv").write_text("patient_id,sex,age_years,status\nP01,male,30,completed\n")
    (tmp_path / "visits.csv").write_text("patient_id,week,basdai_q1\nP01,0,5\n,,\n,,4\n")
    with pytest.raises(DataValidationError) as caught:
        load_study(tmp_path, engine=engine)
    assert [(p.row, p.field, p.rule) for p in caught.value.problems] == [
        (2, None, "blank_row"),
        (3, "patient_id", "required"),
        (3, "week", "required"),
    ]
    assert "visits.csv, row 2: the row is empty (every field blank; a blank line?); delete it" in str(caught.value)
