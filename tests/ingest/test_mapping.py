"""Mapping files applied to small exports: each step, its exact messages, and the file's own errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from axspa.errors import DataValidationError, InputError
from axspa.ingest.mapping import lab_column, read_mapped_tables, read_mapping
from axspa.io import load_study

PATIENTS = "ID;Sex;Age;Reason\nA1;M;41;side effects\nA2;F;35;\nA3;X;50;moved away\nA4;X;n.d.;moved away\n"
VISITS = 'ID;Week;BASDAI 1 [mm];CRP [mg/dL];Date\nA1;0;45;"1,3";01.03.2024\nA1;4;33;<0.5;29.03.2024\n'


def _write(tmp_path: Path, mapping: str, patients: str = PATIENTS, visits: str = VISITS) -> Path:
    (tmp_path / "p.csv").write_text(patients.replace(";", ","))
    (tmp_path / "v.csv").write_text(visits.replace(";", ","))
    path = tmp_path / "mapping.toml"
    path.write_text(mapping)
    return path


MAPPING = """
missing = ["n.d."]
decimal_comma = true
[patients]
file = "p.csv"
[patients.columns]
ID = "patient_id"
Sex = "sex"
Age = "age_years"
Reason = "withdrawal_reason"
[patients.recode.sex.values]
M = "male"
F = "female"
[patients.recode.withdrawal_reason]
patterns = [{ regex = "(?i)side effect", value = "adverse_event" }]
[visits]
file = "v.csv"
[visits.columns]
ID = "patient_id"
Week = "week"
"BASDAI 1 [mm]" = "basdai_q1"
"CRP [mg/dL]" = "crp"
Date = "visit_date"
[visits.scales]
basdai_q1 = "0-100"
[visits.units]
crp = "mg/dL"
[visits.dates]
visit_date = "%d.%m.%Y"
"""


def test_every_unrecoded_value_is_an_error_naming_file_table_column_value_and_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, MAPPING)
    with pytest.raises(DataValidationError) as info:
        read_mapped_tables(path)
    assert str(info.value) == (
        "mapping file mapping.toml: 2 problem(s)\n"
        "  - p.csv: mapping file mapping.toml, [patients].recode.sex: value 'X' of column sex is not recoded "
        "(p.csv, 2 rows: 3, 4); add it to the values or patterns of the recode\n"
        "  - p.csv: mapping file mapping.toml, [patients].recode.withdrawal_reason: value 'moved away' of column "
        "withdrawal_reason is not recoded (p.csv, 2 rows: 3, 4); add it to the values or patterns of the recode"
    )


def test_renames_recodes_missing_tokens_scales_units_dates_and_decimal_comma(tmp_path: Path) -> None:
    patients = "ID;Sex;Age;Reason\nA1;M;41;Side effects\nA2;F;n.d.;\nA3;male;50;adverse_event\n"
    tables, sources = read_mapped_tables(_write(tmp_path, MAPPING, patients=patients))
    p, v = tables["patients"], tables["visits"]
    assert p["sex"].tolist() == ["male", "female", "male"]  # "male" is already a target of the recode
    # columns of numbers come parsed (the missing token "n.d." read as missing by the parser)
    assert p["age_years"].tolist()[::2] == [41, 50] and pd.isna(p["age_years"][1])
    assert p["withdrawal_reason"].fillna("missing").tolist() == ["adverse_event", "missing", "adverse_event"]
    assert list(v.columns) == ["patient_id", "week", "basdai_q1", "crp_mg_dl", "visit_date"]
    assert v["basdai_q1"].tolist() == [4.5, 3.3]  # 45 mm / 10, 33 mm / 10, the same doubles as "4.5" and "3.3"
    assert v["crp_mg_dl"].tolist() == ["1.3", "<0.5"]
    assert v["visit_date"].tolist() == ["2024-03-01", "2024-03-29"]
    assert sources == {"patients": "p.csv", "visits": "v.csv"}


def test_load_study_with_mapping_applies_the_column_rules_to_the_mapped_tables(tmp_path: Path) -> None:
    mapping = MAPPING.replace('Date = "visit_date"', "").replace('[visits.dates]\nvisit_date = "%d.%m.%Y"', "")
    patients = "ID;Sex;Age;Reason;status\nA1;M;41;;completed\n"  # a canonical header needs no rename
    visits = 'ID;Week;BASDAI 1 [mm];CRP [mg/dL]\nA1;0;45;"1,3"\nA1;4;330;<0.5\n'
    with pytest.raises(DataValidationError) as info:
        load_study(tmp_path, mapping=_write(tmp_path, mapping, patients, visits))
    assert [str(p) for p in info.value.problems] == [
        "v.csv, row 2, patient A1, week 4: basdai_q1 must be a number in [0, 10]; got 33. "
        "Was it recorded on a 0-100 mm scale (divide by 10)?"
    ]
    study = load_study(tmp_path, mapping=tmp_path / "mapping.toml", strict=False)
    assert study.visits["basdai_q1"].tolist() == [4.5] and study.visits["crp_mg_l"].tolist() == [13.0]


def test_a_date_that_does_not_fit_its_format_is_an_error(tmp_path: Path) -> None:
    visits = VISITS.replace("29.03.2024", "2024-13-45")
    patients = "ID;Sex;Age;Reason\nA1;M;41;\n"
    with pytest.raises(DataValidationError) as info:
        read_mapped_tables(_write(tmp_path, MAPPING, patients, visits))
    assert [p.message for p in info.value.problems] == [
        "mapping file mapping.toml, [visits].dates.visit_date: value '2024-13-45' of column visit_date is not a "
        "date in the format '%d.%m.%Y' (v.csv, 1 row: 2)"
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("[visits]\n", "[visit]\n"), "mapping file mapping.toml, top level: unknown key(s) ['visit']; expected"),
        (('basdai_q1 = "0-100"', 'basdai_q1 = "100"'), "mapping file mapping.toml, [visits.scales].basdai_q1: "
         "must be the recorded range as 'LOW-HIGH', e.g. '0-100'; got '100'"),
        (('crp = "mg/dL"', 'crp = "mmol/L"'), "mapping file mapping.toml, [visits.units]: crp must be given in "
         "mg/L or mg/dL; got 'mmol/L'"),
        (("Sex = ", "Gender = "), "mapping file mapping.toml, [patients].columns: 'Gender' is not a column of p.csv"),
        (('regex = "(?i)side effect"', 'regex = "(side"'), "mapping file mapping.toml, "
         "[patients.recode.withdrawal_reason].patterns[0]: bad regular expression '(side'"),
    ],
)  # fmt: skip
def test_errors_of_the_mapping_file_name_it_and_the_key(tmp_path: Path, change, message) -> None:
    path = _write(tmp_path, MAPPING.replace(*change))
    with pytest.raises(InputError, match=None) as info:
        read_mapped_tables(path)
    assert str(info.value).startswith(message)


def test_lab_column_refuses_a_column_without_units() -> None:
    with pytest.raises(InputError, match="'basdai_q1' is not a laboratory column with units"):
        lab_column("basdai_q1", "mg/L")


def test_the_mapping_file_reader_is_public() -> None:
    from axspa.ingest import mapping

    assert {"read_mapping", "read_mapped_tables", "lab_column"} <= set(mapping.__all__)
    assert mapping.read_mapping is read_mapping


def test_missing_tokens_in_any_spelling_and_as_numbers_in_parsed_columns(tmp_path: Path) -> None:
    # the parser reads the token's usual spellings as missing; other spellings and spaces are found afterwards;
    # a token that is a number is missing in a column the parser read as numbers
    mapping = MAPPING.replace('missing = ["n.d."]', 'missing = ["n.d.", "-99"]')
    patients = "ID;Sex;Age;Reason\nA1;M;N.D.;\nA2;F; n.D. ;\nA3;M;-99;\nA4;F;47;\n"
    visits = "ID;Week;BASDAI 1 [mm];CRP [mg/dL];Date\nA1;0;-99;1;01.03.2024\nA1;4;n.d.;N.D.;29.03.2024\n"
    tables, _ = read_mapped_tables(_write(tmp_path, mapping, patients, visits))
    p, v = tables["patients"], tables["visits"]
    assert p["age_years"].isna().tolist() == [True, True, True, False]
    assert v["basdai_q1"].isna().all() and v["crp_mg_dl"].tolist()[0] == 1 and pd.isna(v["crp_mg_dl"][1])


def test_a_scaled_value_that_is_not_a_finite_number_stays_as_written_for_the_rule(tmp_path: Path) -> None:
    mapping = MAPPING.replace('Date = "visit_date"', "").replace('[visits.dates]\nvisit_date = "%d.%m.%Y"', "")
    patients = "ID;Sex;Age;Reason;status\nA1;M;41;;completed\n"
    visits = "ID;Week;BASDAI 1 [mm];CRP [mg/dL]\nA1;0;45;1\nA1;4;inf;2\n"
    with pytest.raises(DataValidationError) as info:
        load_study(tmp_path, mapping=_write(tmp_path, mapping, patients, visits))
    assert [p.value for p in info.value.problems] == ["inf"]
    assert info.value.problems[0].field == "basdai_q1"


@pytest.mark.parametrize("engine", ["frame", "records"])
def test_parsed_and_text_exports_load_the_same_study_on_both_engines(tmp_path: Path, engine: str) -> None:
    # the same visits as a CSV file (numbers parsed by the C parser) and as a workbook of text cells (read as
    # text, values converted by the column rules): equal studies, on either engine
    mapping = MAPPING.replace('Date = "visit_date"', "").replace('[visits.dates]\nvisit_date = "%d.%m.%Y"', "")
    patients = "ID;Sex;Age;Reason;status\nA1;M;41;;completed\nA2;F;35;;completed\n"
    visits = "ID;Week;BASDAI 1 [mm];CRP [mg/dL]\nA1;0;45;1.3\nA1;4;33.7;n.d.\nA2;0;100;0.2\nA2;4;0;<0.5\n"
    path = _write(tmp_path, mapping, patients, visits)
    parsed = load_study(tmp_path, mapping=path, engine=engine)
    assert parsed.visits["basdai_q1"].tolist() == [4.5, 3.37, 10.0, 0.0]  # the doubles of "4.5", "3.37", ...
    assert parsed.visits["crp_mg_l"].tolist()[::2] == [13.0, 2.0] and parsed.visits["crp_mg_l_censored"].tolist()[3]
    text = pd.read_csv(tmp_path / "v.csv", dtype=str, keep_default_na=False)
    text.to_excel(tmp_path / "v.xlsx", index=False)
    (tmp_path / "workbook.toml").write_text(mapping.replace('file = "v.csv"', 'file = "v.xlsx"'))
    from_text = load_study(tmp_path, mapping=tmp_path / "workbook.toml", engine=engine)
    pd.testing.assert_frame_equal(parsed.visits, from_text.visits)
    pd.testing.assert_frame_equal(parsed.patients, from_text.patients)
