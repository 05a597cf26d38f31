"""The typed read of load_study (numbers parsed by the C parser) gives what the text read gives.

load_study reads the number columns of a CSV file typed and falls back to the fields as written for
what needs them; validate_frames on read_table's text columns is the reference. Both must give the
same frames, the same problems (messages, values as written) and the same notes, whatever the fields.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from axspa.errors import PlausibilityWarning
from axspa.io import load_study, read_table, validate_frames

PATIENTS = (
    "patient_id,sex,age_years,disease_duration_years,status,withdrawal_reason,last_week\n"
    "P1,male,40,10,completed,,\n"
    "P2,female,35,,withdrawn,adverse_event,4\n"
    "P3,Male,200,5,completed,,\n"
)

# Each visit row exercises fields of the number and laboratory columns that a typed parser could read
# differently from the text: censored values, missing tokens, infinities, out-of-range numbers, spaces.
VISITS = [
    ("P1", "0", "5", "2.5", "<5", "1.2", "30"),
    ("P1", "4", "11", "1e1", "<=0.5", "", "inf"),
    ("P1", "8", "nan", "+5", "NA", "n/a", "-2"),
    ("P2", "0", ".5", "5.", "1e999", "N/A", "0"),
    ("P2", "8", "4", "3", "7", "2", "20"),
    ("P3", "0", "abc", "-0", "12.25", "0.7", "201"),
    ("P1", "two", "3", "3", "3", "1", "10"),
    ("P1", "", "3", "3", "3", "1", "10"),
    ("P9", "0", "3", "10.0", "3", "1", "10"),
    ("P2", "0", "3", "3", "3", "1", "-inf"),
]
COLUMNS = ("patient_id", "week", "basdai_q1", "basfi_q1", "crp_mg_l", "iga_g_l", "esr_mm_h")


def _write(folder, rows, columns=COLUMNS, sep=","):
    (folder / "patients.csv").write_text(PATIENTS, encoding="utf-8")
    lines = [sep.join(columns)] + [sep.join(row) for row in rows]
    (folder / "visits.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _by_text(folder):
    """The reference: every field read as text, then validated."""
    patients, visits = read_table(folder / "patients.csv"), read_table(folder / "visits.csv")
    return validate_frames(patients, visits, strict=False, name=folder.name)


def _assert_same(folder):
    with warnings.catch_warnings(record=True) as typed_warnings:
        warnings.simplefilter("always", PlausibilityWarning)
        typed = load_study(folder, strict=False)
    with warnings.catch_warnings(record=True) as text_warnings:
        warnings.simplefilter("always", PlausibilityWarning)
        text = _by_text(folder)
    pd.testing.assert_frame_equal(typed.visits, text.visits)
    pd.testing.assert_frame_equal(typed.patients, text.patients)
    pd.testing.assert_frame_equal(typed.exclusions, text.exclusions)
    assert typed.notes == text.notes
    assert typed.input_units == text.input_units
    assert [str(w.message) for w in typed_warnings] == [str(w.message) for w in text_warnings]
    return typed


def test_typed_read_gives_the_frames_and_problems_of_the_text_read(tmp_path):
    typed = _assert_same(_write(tmp_path, VISITS))
    excluded = typed.exclusions.set_index(["row", "field"])
    # Bad fields are reported as written in the file, not as the parser's numbers.
    assert excluded.loc[(2, "basdai_q1"), "value"] == "11"
    assert excluded.loc[(2, "esr_mm_h"), "value"] == "inf"
    assert excluded.loc[(4, "crp_mg_l"), "value"] == "1e999"
    assert excluded.loc[(6, "esr_mm_h"), "value"] == "201"
    assert excluded.loc[(7, "week"), "value"] == "two"
    # A censored value keeps its limit and flag; a missing token is missing.
    first = typed.visits.iloc[0]
    assert (first["crp_mg_l"], bool(first["crp_mg_l_censored"])) == (5.0, True)


def test_columns_of_plain_numbers_and_of_all_missing_tokens(tmp_path):
    rows = [(p, w, "1", "2", "3", "4", "5") for p, w in (("P1", "0"), ("P2", "0"), ("P3", "0"), ("P1", "4"))]
    _assert_same(_write(tmp_path, rows))
    rows = [(p, "0", "NA", "", "nan", "N/A", "") for p in ("P1", "P2", "P3")]
    _assert_same(_write(tmp_path, rows))


@pytest.mark.parametrize(
    ("values", "case"),
    [
        (("True", "False", "True"), "a column the C parser reads as booleans"),
        (("99999999999999999999", "1", "2"), "an integer beyond 64 bits"),
        (("12", "12", "<3"), "a censored value in one row only"),
    ],
)
def test_a_number_column_the_parser_cannot_type(tmp_path, values, case):
    rows = [(p, "0", v, "3", v, "1", "10") for p, v in zip(("P1", "P2", "P3"), values, strict=True)]
    _assert_same(_write(tmp_path, rows))


def test_spaces_after_commas_are_read_as_read_table_reads_them(tmp_path):
    rows = [("P1", "0", " 5", "3", " <5", "1", " 10"), ("P2", " 0", "4", " 12", "3", " ", "x ")]
    _assert_same(_write(tmp_path, rows, sep=", "))


def test_a_value_given_in_another_unit(tmp_path):
    columns = ("patient_id", "week", "crp_mg_dl", "crp_mg_l", "iga_mg_dl")
    rows = [("P1", "0", "<0.5", "", "496"), ("P2", "0", "0.2", "3", "60000"), ("P3", "0", "", "4", "NA")]
    _assert_same(_write(tmp_path, rows, columns=columns))


@pytest.mark.parametrize(
    ("rows", "case"),
    [
        (
            [("P1", "0", "5 ", "3", "<5", "1", "10"), ("P2", "0", "4", "1 2", "3", "2", "9")],
            "spaces inside fields only",
        ),
        ([(" P1", "0", "5", "3", "<5", "1", "10"), ("P2", "0", "4", "2", "3", "2", "9")], "a space at a line's start"),
        (
            [("P1", "0", "5", "3", "<5", "1", "10")] * 1
            + [("P2", "0", "4", "2", "3", "2", "9 x")] * 1200
            + [("P3", "0", "4", "2", "3", "2", " 9")],
            "many spaces inside fields, then one after a comma",
        ),
    ],
)
def test_spaces_inside_fields_and_at_line_starts_are_read_as_read_table_reads_them(tmp_path, rows, case):
    # the typed read parses without skipping spaces when no field can start with one (faster), and with it
    # otherwise; either way the frames equal those of the text read
    _assert_same(_write(tmp_path, rows))


def test_blank_lines_are_read_as_read_table_reads_them(tmp_path):
    # blank lines before the header, between rows (a row of missing fields) and after the last row
    _write(tmp_path, [("P1", "0", "5", "3", "<5", "1", "10"), ("P2", "0", "4", "2", "3", "2", "9")])
    text = (tmp_path / "visits.csv").read_text(encoding="utf-8").replace("\nP2", "\n\nP2")
    (tmp_path / "visits.csv").write_text("\n\n" + text + "\n\n", encoding="utf-8")
    typed = _assert_same(tmp_path)
    assert typed.rows_read["visits"] == 3
    visits = typed.exclusions[typed.exclusions["source"] == "visits.csv"]
    assert visits[["row", "rule"]].values.tolist() == [[2, "blank_row"]]
