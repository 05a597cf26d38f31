"""SDTM in: the bundled studies written as SDTM read back to the same analysis, and the reader's rules on small
hand-made domains.

The expected values of the small cases are written out here: the dates are chosen so that each study day
and week can be checked by hand (reference date 2024-01-01 is study day 1; week 4 is day 29, 2024-01-29).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from axspa.cdisc.sdtm import EXCLUSIONS_FILE, read_sdtm, write_sdtm_study
from axspa.cli import main
from axspa.errors import DataValidationError, InputError
from axspa.io import load_study
from axspa.report import analyze
from generators.sdtm_fixtures import build

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "cdisc" / "sdtm"
STUDIES = ("thalidomide_2003", "synthetic_rct")


# -- the fixtures and the round trip -------------------------------------------------------------------


def test_generator_rebuilds_the_committed_fixtures_byte_for_byte(tmp_path):
    build(tmp_path)
    committed = sorted(p.relative_to(FIXTURES) for p in FIXTURES.rglob("*") if p.is_file())
    rebuilt = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert rebuilt == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name


def test_generator_runs_as_a_module(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "generators.sdtm_fixtures", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "thalidomide_2003").iterdir()) == [
        "ae.csv",
        "dm.csv",
        "ds.csv",
        "ex.csv",
        "lb.csv",
        "qs.csv",
        "suppdm.csv",
        "sv.csv",
    ]


@pytest.fixture(scope="module", params=STUDIES)
def round_trip(request):
    name = request.param
    canonical = analyze(ROOT / "data" / name, progress=False)
    sdtm = read_sdtm(FIXTURES / name, name=name)
    return name, canonical, sdtm, analyze(sdtm.study, progress=False)


def test_round_trip_gives_every_table_equal(round_trip):
    name, canonical, _sdtm, again = round_trip
    assert [t.name for t in again.report.tables] == [t.name for t in canonical.report.tables]
    for before, after in zip(canonical.report.tables, again.report.tables, strict=True):
        pd.testing.assert_frame_equal(after.data, before.data, obj=f"{name}: table {before.name}")


def test_round_trip_loads_every_row_and_keeps_the_input_units(round_trip):
    _name, canonical, sdtm, _again = round_trip
    assert sdtm.study.to_frame().equals(canonical.study.to_frame())
    assert sdtm.study.input_units == canonical.study.input_units
    assert sdtm.study.design.arm_labels == canonical.study.design.arm_labels
    assert sdtm.study.design.control == canonical.study.design.control


def test_round_trip_lists_only_the_records_axspa_does_not_use(round_trip):
    name, _canonical, sdtm, _again = round_trip
    listed = sdtm.exclusions.groupby(["domain", "rule"]).size().to_dict()
    # the reference study is single-arm: its 13 exposure records set no treated flag; the controlled trial's
    # 80 protocol milestones (RANDOMIZED) are not disposition events
    expected = {("EX", "not_used"): 13} if name == "thalidomide_2003" else {("DS", "not_used"): 80}
    assert listed == expected
    counts = sdtm.to_frame().set_index("domain")
    source = pd.read_csv(FIXTURES / name / "qs.csv", dtype=str)
    assert counts.loc["QS", "read"] == len(source) == counts.loc["QS", "used"]


def test_written_folder_loads_back_to_the_same_study(tmp_path):
    sdtm = read_sdtm(FIXTURES / "synthetic_rct", name="synthetic_rct")
    write_sdtm_study(sdtm, tmp_path)
    again = load_study(tmp_path, name="synthetic_rct")
    pd.testing.assert_frame_equal(again.patients, sdtm.study.patients)
    pd.testing.assert_frame_equal(again.visits, sdtm.study.visits)
    assert again.design == sdtm.study.design


# -- small hand-made domains ---------------------------------------------------------------------------

DM = """STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,AGE,AGEU,SEX,ARMCD,ARM
S,DM,S-1,1,2024-01-01,40,YEARS,M,TRT,Treatment
S,DM,S-2,2,2024-01-01,50,YEARS,F,TRT,Treatment
"""
DS = """STUDYID,DOMAIN,USUBJID,DSDECOD,DSCAT,DSSTDTC
S,DS,S-1,COMPLETED,DISPOSITION EVENT,2024-01-29
S,DS,S-2,ADVERSE EVENT,DISPOSITION EVENT,2024-01-29
"""
STUDY_TOML = "[schedule]\nweeks = [0, 4]\nwindow_days = 3\n"
QS_HEADER = "STUDYID,DOMAIN,USUBJID,QSTESTCD,QSSTRESC,QSSTRESN,QSLOBXFL,VISITNUM,QSDTC\n"
LB_HEADER = "STUDYID,DOMAIN,USUBJID,LBTESTCD,LBSTRESC,LBSTRESN,LBSTRESU,LBLOBXFL,VISITNUM,LBDTC\n"
AE = """STUDYID,DOMAIN,USUBJID,AETERM,AESEV,AESER,AEACN,AESTDTC
S,AE,S-1,headache,   ,N,  ,2024-01-15
"""


def _folder(tmp_path: Path, qs: str, lb: str = "", **extra: str) -> Path:
    folder = tmp_path / "sdtm"
    folder.mkdir()
    files = {"dm.csv": DM, "ds.csv": DS, "qs.csv": QS_HEADER + qs, "study.toml": STUDY_TOML} | extra
    if lb:
        files["lb.csv"] = LB_HEADER + lb
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# S-1: the baseline is a screening record on day -10 (outside the week-0 window, days -3 to 4), flagged
# QSLOBXFL; an unflagged record on day 1 falls in the baseline week and is listed; week 4 on day 29.
# S-2: baseline on day 1; week 4 dated only "2024-02" (imputed 2024-02-01, day 32, inside days 26 to 32).
QS = """S,QS,S-1,BASDAI01,6,6,Y,1,2023-12-22
S,QS,S-1,BASDAI01,5,5,,2,2024-01-01
S,QS,S-1,BASDAI01,3,3,,3,2024-01-29
S,QS,S-1,SF36PF,40,40,,3,2024-01-29
S,QS,S-2,BASDAI01,7,7,Y,1,2024-01-01
S,QS,S-2,BASDAI01,4,4,,,2024-02
"""


def test_baseline_comes_from_the_lobxfl_flag_not_the_date(tmp_path):
    sdtm = read_sdtm(_folder(tmp_path, QS))
    visits = sdtm.study.visits
    s1 = visits[visits["patient_id"] == "1"].set_index("week")["basdai_q1"]
    assert s1.to_dict() == {0.0: 6.0, 4.0: 3.0}  # the flagged day -10 record, not the day-1 record (5)
    flagged = sdtm.exclusions[sdtm.exclusions["rule"] == "baseline_flag"]
    assert flagged[["file", "row", "USUBJID"]].values.tolist() == [["qs.csv", 2, "S-1"]]


def test_partial_date_is_imputed_to_the_first_day_and_kept_with_its_flag(tmp_path):
    sdtm = read_sdtm(_folder(tmp_path, QS))
    imputed = sdtm.imputed_dates
    assert imputed[["file", "row", "USUBJID", "variable", "value", "imputed", "flag"]].values.tolist() == [
        ["qs.csv", 6, "S-2", "QSDTC", "2024-02", "2024-02-01", "D"]
    ]
    visits = sdtm.study.visits
    assert visits[visits["patient_id"] == "2"].set_index("week")["basdai_q1"].to_dict() == {0.0: 7.0, 4.0: 4.0}


def test_year_only_date_imputes_month_and_day(tmp_path):
    qs = QS.replace("S,QS,S-2,BASDAI01,4,4,,,2024-02", "S,QS,S-2,BASDAI01,4,4,,,2024")
    sdtm = read_sdtm(_folder(tmp_path, qs), strict=False)
    assert sdtm.imputed_dates[["imputed", "flag"]].values.tolist() == [["2024-01-01", "M"]]
    # 2024-01-01 is day 1: the baseline week, where S-2's flagged record already is
    assert sdtm.exclusions.set_index("row").loc[6, "rule"] == "baseline_flag"


def test_unknown_qstestcd_is_listed_with_its_reason(tmp_path):
    sdtm = read_sdtm(_folder(tmp_path, QS))
    unknown = sdtm.exclusions[sdtm.exclusions["variable"] == "QSTESTCD"]
    assert unknown[["domain", "file", "row", "USUBJID", "value", "rule"]].values.tolist() == [
        ["QS", "qs.csv", 4, "S-1", "SF36PF", "not_used"]
    ]
    assert "codes.csv" in unknown["reason"].iloc[0]


def test_bad_value_error_names_domain_variable_row_and_value(tmp_path):
    qs = QS.replace("S,QS,S-1,BASDAI01,3,3,,3", "S,QS,S-1,BASDAI01,abc,abc,,3")
    with pytest.raises(DataValidationError) as info:
        read_sdtm(_folder(tmp_path, qs))
    text = str(info.value)
    assert "qs.csv, row 3, patient S-1: QS.QSSTRESN of BASDAI01 must be a number; got 'abc'" in text


def test_out_of_range_value_error_names_the_sdtm_variable(tmp_path):
    qs = QS.replace("S,QS,S-1,BASDAI01,3,3,,3", "S,QS,S-1,BASDAI01,12,12,,3")
    sdtm = read_sdtm(_folder(tmp_path, qs), strict=False)
    row = sdtm.exclusions[sdtm.exclusions["row"] == 3].iloc[0]
    assert (row["domain"], row["variable"], row["value"], row["USUBJID"]) == ("QS", "QSSTRESN", "12", "S-1")
    assert row["reason"].startswith("QS.QSSTRESN (basdai_q1): basdai_q1 must be a number in [0, 10]; got 12")
    assert 4.0 not in sdtm.study.visits.loc[sdtm.study.visits["patient_id"] == "1", "week"].tolist()


def test_on_invalid_missing_loads_the_visit_with_the_value_blank_and_lists_it(tmp_path):
    qs = QS.replace("S,QS,S-1,BASDAI01,3,3,,3", "S,QS,S-1,BASDAI01,12,12,,3")
    sdtm = read_sdtm(_folder(tmp_path, qs), strict=False, on_invalid="missing")
    listed = sdtm.exclusions[sdtm.exclusions["rule"] == "set_missing"]
    assert listed[["domain", "file", "row", "USUBJID", "variable", "value"]].values.tolist() == [
        ["QS", "qs.csv", 3, "S-1", "QSSTRESN", "12"]
    ]
    assert (
        listed["reason"]
        .iloc[0]
        .startswith("QS.QSSTRESN (basdai_q1) set missing (range): basdai_q1 must be a number in [0, 10]; got 12")
    )
    s1 = sdtm.study.visits[sdtm.study.visits["patient_id"] == "1"].set_index("week")["basdai_q1"]
    assert s1.index.tolist() == [0.0, 4.0] and s1[0.0] == 6.0 and pd.isna(s1[4.0])  # the visit stays, blank
    # QS by hand: rows 1, 5 and 6 in the study, row 3 too (its value blank); rows 2 (baseline_flag), 3 (set_missing)
    # and 4 (not_used) listed
    assert sdtm.to_frame().set_index("domain").loc["QS", ["read", "used", "listed"]].tolist() == [6, 4, 3]
    written = tmp_path / "written"
    write_sdtm_study(sdtm, written)
    again = load_study(written)  # strict: the blanked value is no longer a problem
    pd.testing.assert_frame_equal(again.visits, sdtm.study.visits)


def test_on_invalid_needs_lenient_reading(tmp_path):
    folder = _folder(tmp_path, QS)
    with pytest.raises(InputError, match="pass strict=False too"):
        read_sdtm(folder, on_invalid="missing")
    with pytest.raises(InputError, match="on_invalid must be one of 'exclude', 'missing'; got 'drop'"):
        read_sdtm(folder, strict=False, on_invalid="drop")  # type: ignore[arg-type]


def test_cli_sdtm_on_invalid_missing(tmp_path, capsys):
    qs = QS.replace("S,QS,S-1,BASDAI01,3,3,,3", "S,QS,S-1,BASDAI01,12,12,,3")
    folder = _folder(tmp_path, qs)
    out = tmp_path / "out"
    assert main(["sdtm", str(folder), "--out", str(out), "--lenient", "--on-invalid", "missing"]) == 1
    assert "1 value(s) set missing (--on-invalid missing), listed with rule set_missing" in capsys.readouterr().out
    report = pd.read_csv(out / EXCLUSIONS_FILE)
    assert report.loc[report["rule"] == "set_missing", "row"].tolist() == [3]
    assert main(["sdtm", str(folder), "--out", str(tmp_path / "x"), "--on-invalid", "missing"]) == 2
    assert "add --lenient" in capsys.readouterr().err


LB = """S,LB,S-1,CRP,<5,,mg/L,Y,1,2023-12-22
S,LB,S-1,CRP,1.2,1.2,mg/dL,,3,2024-01-29
S,LB,S-1,ESR,30,30,mm/h,Y,1,2023-12-22
S,LB,S-2,CRP,2.5,2.5,mg/dL,Y,1,2024-01-01
"""


def test_censored_lbstresc_and_mixed_units_converted_once_to_mg_per_l(tmp_path):
    sdtm = read_sdtm(_folder(tmp_path, QS, LB))
    # CRP comes in two units, so the reader converts mg/dL with the factor 10: 1.2 mg/dL -> 12 mg/L
    assert sdtm.tables["visits"]["crp_mg_l"].fillna("-").tolist() == ["<5", "12", "25", "-"]
    visits = sdtm.study.visits.set_index(["patient_id", "week"])
    assert visits.loc[("1", 0.0), "crp_mg_l"] == 5.0 and bool(visits.loc[("1", 0.0), "crp_mg_l_censored"])
    assert visits.loc[("1", 4.0), "crp_mg_l"] == 12.0
    assert visits.loc[("2", 0.0), "crp_mg_l"] == 25.0
    assert visits.loc[("1", 0.0), "esr_mm_h"] == 30.0


def test_one_other_unit_is_kept_and_converted_by_the_loader(tmp_path):
    lb = "S,LB,S-1,CRP,1.2,1.2,mg/dL,,3,2024-01-29\nS,LB,S-2,CRP,2.5,2.5,MG/DL,Y,1,2024-01-01\n"
    sdtm = read_sdtm(_folder(tmp_path, QS, lb))
    assert "crp_mg_dl" in sdtm.tables["visits"].columns
    assert sdtm.study.input_units == {"crp_mg_l": "crp_mg_dl"}
    visits = sdtm.study.visits.set_index(["patient_id", "week"])
    assert visits.loc[("1", 4.0), "crp_mg_l"] == 12.0 and visits.loc[("2", 0.0), "crp_mg_l"] == 25.0


def test_unknown_unit_is_an_error_naming_lbstresu(tmp_path):
    lb = "S,LB,S-1,CRP,10,10,umol/L,,3,2024-01-29\n"
    with pytest.raises(DataValidationError, match=r"lb.csv, row 1, patient S-1: LB.LBSTRESU of CRP must be one of "):
        read_sdtm(_folder(tmp_path, QS, lb))


def test_blank_character_values_are_missing(tmp_path):
    sdtm = read_sdtm(_folder(tmp_path, QS, **{"ae.csv": AE}))
    event = sdtm.study.adverse_events.iloc[0]
    assert event["term"] == "headache" and event["onset_week"] == 2.0  # 2024-01-15 is 14 days after day 1
    assert pd.isna(event["severity"]) and pd.isna(event["action"]) and not event["serious"]


def test_disposition_and_demographics(tmp_path):
    patients = read_sdtm(_folder(tmp_path, QS)).study.patients.set_index("patient_id")
    assert patients.loc["1", ["sex", "age_years", "status", "last_week"]].tolist() == ["male", 40.0, "completed", 4.0]
    assert patients.loc["2", ["status", "withdrawal_reason"]].tolist() == ["withdrawn", "adverse_event"]


def test_record_of_a_subject_not_in_dm_is_listed(tmp_path):
    qs = QS + "S,QS,S-9,BASDAI01,5,5,Y,1,2024-01-01\n"
    sdtm = read_sdtm(_folder(tmp_path, qs), strict=False)
    row = sdtm.exclusions.set_index("row").loc[7]
    assert (row["USUBJID"], row["rule"]) == ("S-9", "unknown_patient")


def test_xpt_domains_read_with_pandas_and_zero_kept(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat", reason="writing the XPT input needs the extra cdisc (pyreadstat)")
    folder = _folder(tmp_path, QS)
    qs = pd.read_csv(folder / "qs.csv", dtype=str, keep_default_na=False)
    qs["QSSTRESN"] = pd.to_numeric(qs["QSSTRESN"])
    qs.loc[2, ["QSSTRESC", "QSSTRESN"]] = ["0", 0.0]  # pandas reads an XPT zero as 5.4e-79 (pandas#50670)
    # the last record ends in blank text (QSDTC "2024-02" in a field of 10): pandas alone would drop it
    qs["VISITNUM"] = pd.to_numeric(qs["VISITNUM"])
    pyreadstat.write_xport(qs, str(folder / "QS.xpt"), file_format_version=5, table_name="QS")
    (folder / "qs.csv").unlink()
    visits = read_sdtm(folder).study.visits.set_index(["patient_id", "week"])
    assert visits.loc[("1", 4.0), "basdai_q1"] == 0.0
    assert visits.loc[("2", 4.0), "basdai_q1"] == 4.0


def test_folder_errors(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_sdtm(tmp_path / "none")
    (tmp_path / "qs.csv").write_text(QS_HEADER, encoding="utf-8")
    with pytest.raises(InputError, match="has no DM domain"):
        read_sdtm(tmp_path)
    (tmp_path / "dm.csv").write_text("STUDYID\nS\n", encoding="utf-8")
    with pytest.raises(InputError, match="domain DM lacks the variable"):
        read_sdtm(tmp_path)


# -- the command ---------------------------------------------------------------------------------------


def test_cli_sdtm_writes_a_study_folder_and_the_exclusions_report(tmp_path, capsys):
    out = tmp_path / "study"
    assert main(["sdtm", str(FIXTURES / "thalidomide_2003"), "--out", str(out)]) == 0
    assert "QS: 1482 records, 1482 in the study, 0 listed" in capsys.readouterr().out
    report = pd.read_csv(out / EXCLUSIONS_FILE)
    assert list(report.columns) == ["domain", "file", "row", "USUBJID", "variable", "value", "rule", "reason"]
    assert load_study(out).to_frame()["loaded"].tolist() == [13, 78, 27]


def test_cli_sdtm_exit_status(tmp_path, capsys):
    qs = QS.replace("S,QS,S-1,BASDAI01,3,3,,3", "S,QS,S-1,BASDAI01,abc,abc,,3")
    folder = _folder(tmp_path, qs)
    assert main(["sdtm", str(folder), "--out", str(tmp_path / "a")]) == 1
    assert "QS.QSSTRESN of BASDAI01 must be a number; got 'abc'" in capsys.readouterr().err
    assert main(["sdtm", str(folder), "--out", str(tmp_path / "b"), "--lenient"]) == 1
    assert (tmp_path / "b" / "visits.csv").exists()
    assert main(["sdtm", str(tmp_path / "none"), "--out", str(tmp_path / "c")]) == 2


def test_blfl_is_the_baseline_flag_when_there_is_no_lobxfl(tmp_path):
    qs = "STUDYID,DOMAIN,USUBJID,QSTESTCD,QSSTRESN,QSBLFL,VISITNUM,QSDTC\n" + "".join(
        line.replace(",6,6,Y,", ",6,Y,").replace(",5,5,,", ",5,,").replace(",3,3,,", ",3,,").replace(",7,7,Y,", ",7,Y,")
        + "\n"
        for line in QS.splitlines()
        if "SF36PF" not in line and "2024-02" not in line
    )
    folder = _folder(tmp_path, "")
    (folder / "qs.csv").write_text(qs, encoding="utf-8")
    sdtm = read_sdtm(folder)
    s1 = sdtm.study.visits.query("patient_id == '1'").set_index("week")["basdai_q1"]
    assert s1.to_dict() == {0.0: 6.0, 4.0: 3.0}
    listed = sdtm.exclusions[["row", "variable", "rule"]].values.tolist()
    assert listed == [[2, "QSBLFL", "baseline_flag"]]


def test_dated_records_without_a_schedule_are_an_error_saying_what_to_give(tmp_path):
    folder = _folder(tmp_path, QS)
    (folder / "study.toml").unlink()
    with pytest.raises(InputError, match=r"no visit schedule .* \(VISITDY\)"):
        read_sdtm(folder)


def test_two_planned_arms_make_a_controlled_trial_labelled_by_arm(tmp_path):
    dm = DM.replace("S-2,2,2024-01-01,50,YEARS,F,TRT,Treatment", "S-2,2,2024-01-01,50,YEARS,F,PBO,Placebo")
    dm = dm.replace("ARMCD,ARM", "ARMCD,ARM,ACTARMCD").replace("Treatment\n", "Treatment,TRT\n")
    dm = dm.replace("Placebo\n", "Placebo,NOTTRT\n")
    sdtm = read_sdtm(_folder(tmp_path, QS, **{"dm.csv": dm}))
    assert sdtm.study.design.arm_labels == {"pbo": "Placebo", "trt": "Treatment"}
    patients = sdtm.study.patients.set_index("patient_id")
    assert patients["arm"].to_dict() == {"1": "trt", "2": "pbo"}
    assert patients["treated"].tolist() == [True, False]  # from ACTARMCD: there is no EX domain


def test_the_reference_study_as_xpt_domains_reads_as_its_csv_domains(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat", reason="writing the XPT input needs the extra cdisc (pyreadstat)")
    numeric = ("AGE", "VISITNUM", "VISITDY", "QSSTRESN", "LBSTRESN", "QSDY", "LBDY", "SVSTDY", "AESTDY")
    for path in (FIXTURES / "thalidomide_2003").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in frame.columns:
            if column in numeric or column.endswith("SEQ"):
                frame[column] = pd.to_numeric(frame[column].replace("", None))
        name = path.stem.upper()
        pyreadstat.write_xport(frame, str(tmp_path / f"{name}.xpt"), file_format_version=5, table_name=name)
    from_csv = read_sdtm(FIXTURES / "thalidomide_2003").study
    from_xpt = read_sdtm(tmp_path).study
    for table in ("patients", "visits", "adverse_events"):
        pd.testing.assert_frame_equal(getattr(from_xpt, table), getattr(from_csv, table), obj=table)


def test_every_record_of_a_patient_excluded_for_a_bad_value_is_listed(tmp_path):
    dm = DM.replace("S-2,2,2024-01-01,50,", "S-2,2,2024-01-01,fifty,")
    sdtm = read_sdtm(_folder(tmp_path, QS, **{"dm.csv": dm}), strict=False)
    assert sdtm.study.patients["patient_id"].tolist() == ["1"]
    s2 = sdtm.exclusions[sdtm.exclusions["USUBJID"] == "S-2"]
    assert sorted(set(zip(s2["domain"], s2["row"], strict=True))) == [("DM", 2), ("DS", 2), ("QS", 5), ("QS", 6)]
    first = s2.iloc[0]
    assert (first["variable"], first["value"]) == ("AGE", "fifty")
    assert first["reason"].startswith("DM.AGE (age_years): age_years must be a number")


def test_an_edited_table_of_codes_names_the_qstestcd(tmp_path):
    from importlib import resources

    shipped = resources.files("axspa.cdisc").joinpath("codes.csv").read_text(encoding="utf-8")
    edited = tmp_path / "codes.csv"
    edited.write_text(shipped.replace(",BASDAI01,", ",BQ1,"), encoding="utf-8")
    folder = _folder(tmp_path, QS.replace("BASDAI01", "BQ1"))
    sdtm = read_sdtm(folder, codes=edited)
    assert sdtm.study.visits["basdai_q1"].tolist() == [6.0, 3.0, 7.0, 4.0]
    default = read_sdtm(folder, strict=False)
    assert (default.exclusions["value"] == "BQ1").sum() == 5 and default.study.visits.empty


def test_screen_failures_and_subjects_whose_dm_record_fails_are_listed(tmp_path):
    dm = (
        DM.replace("S-2,2,2024-01-01,50,YEARS,F,", "S-2,2,2024-01-01,50,YEARS,X,")
        + "S,DM,S-3,3,,33,YEARS,F,SCRNFAIL,Screen Failure\n"
        + "S,DM,S-4,4,2024-01-01,60,YEARS,M,A B,Odd\n"
        + "S,DM,S-5,5,2024-01-01,60,YEARS,M,PBO,Placebo\n"
    )
    qs = QS + "S,QS,S-3,BASDAI01,5,5,Y,1,2024-01-01\nS,QS,S-4,BASDAI01,5,5,Y,1,2024-01-01\n"
    sdtm = read_sdtm(_folder(tmp_path, qs, **{"dm.csv": dm}), strict=False)
    assert sdtm.study.patients["patient_id"].tolist() == ["1", "5"]
    assert sdtm.study.design.arm_labels == {"pbo": "Placebo", "trt": "Treatment"}  # two arms: controlled
    rules = {(e.domain, e.row): (e.rule, e.variable) for e in sdtm.exclusions.itertuples()}
    assert rules[("DM", 2)] == ("choice", "SEX")
    assert rules[("DM", 3)] == ("not_used", "ARMCD")
    assert rules[("DM", 4)] == ("choice", "ARMCD")
    assert rules[("QS", 5)][0] == rules[("QS", 6)][0] == rules[("QS", 8)][0] == "unknown_patient"
    assert rules[("QS", 7)][0] == "not_used"  # the screen failure's record
    assert sdtm.exclusions.set_index(["domain", "row"]).loc[("QS", 5), "reason"].startswith("the DM record of")


SV = """STUDYID,DOMAIN,USUBJID,VISITNUM,VISITDY,SVSTDTC
S,SV,S-1,1,1,2023-12-22
S,SV,S-1,3,29,2024-01-29
S,SV,S-1,3,29,2024-02-15
S,SV,S-2,1,1,2024-01-01
"""


def test_a_second_sv_record_of_the_same_visit_is_listed_not_dropped(tmp_path):
    # SV rows 2 and 3 are both visit 3 of S-1: one record per subject and visit, so row 2 (the first) dates the
    # visit (2024-01-29, day 29: in the week-4 window, days 26 to 32) and row 3 (2024-02-15, day 46, in no
    # window) is listed as a duplicate naming row 2
    sdtm = read_sdtm(_folder(tmp_path, QS, **{"sv.csv": SV}), strict=False)
    sv = sdtm.exclusions[sdtm.exclusions["domain"] == "SV"]
    assert sv[["row", "USUBJID", "variable", "value", "rule"]].values.tolist() == [
        [3, "S-1", "VISITNUM", "3", "duplicate"]
    ]
    assert sv["reason"].tolist() == ["SV record of subject S-1, VISITNUM 3, repeats SV row 2; the first is used"]
    assert sdtm.to_frame().set_index("domain").loc["SV", ["read", "used", "listed"]].tolist() == [4, 3, 1]
    visits = sdtm.study.visits.set_index(["patient_id", "week"])
    assert visits.loc[("1", 4.0), "basdai_q1"] == 3.0  # S-1's week-4 record (QS row 3), dated by SV row 2
    assert not (sdtm.exclusions["rule"] == "visit_window").any()
    (tmp_path / "strict").mkdir()
    with pytest.raises(DataValidationError, match=r"sv.csv, row 3, patient S-1: SV record of subject S-1, VISITNUM 3"):
        read_sdtm(_folder(tmp_path / "strict", QS, **{"sv.csv": SV}))


SUPPDM = """STUDYID,RDOMAIN,USUBJID,QNAM,QVAL
S,DM,S-1,DISDURY,7
S,DM,S-1,DISDURY,9
S,DM,S-2,DISDURY,4
"""


def test_a_second_suppdm_record_of_the_same_qualifier_is_listed_not_dropped(tmp_path):
    # SUPPDM rows 1 and 2 both give S-1's disease duration: row 1 (7 years) is used, row 2 (9) listed
    sdtm = read_sdtm(_folder(tmp_path, QS, **{"suppdm.csv": SUPPDM}), strict=False)
    supp = sdtm.exclusions[sdtm.exclusions["domain"] == "SUPPDM"]
    assert supp[["row", "USUBJID", "variable", "value", "rule"]].values.tolist() == [
        [2, "S-1", "QNAM", "DISDURY", "duplicate"]
    ]
    assert supp["reason"].tolist() == [
        "SUPPDM record of subject S-1, QNAM DISDURY, repeats SUPPDM row 1; the first is used"
    ]
    durations = sdtm.study.patients.set_index("patient_id")["disease_duration_years"]
    assert durations.to_dict() == {"1": 7.0, "2": 4.0}


def test_a_second_hla_b27_record_of_a_subject_is_listed_not_dropped(tmp_path):
    # LB rows 1 and 2 are both S-1's HLA-B27 test: row 1 (POSITIVE) is used, row 2 (NEGATIVE) listed
    lb = "S,LB,S-1,HLAB27AG,POSITIVE,,,,1,2023-12-22\nS,LB,S-1,HLAB27AG,NEGATIVE,,,,1,2023-12-22\n"
    sdtm = read_sdtm(_folder(tmp_path, QS, lb), strict=False)
    listed = sdtm.exclusions[sdtm.exclusions["domain"] == "LB"]
    assert listed[["row", "USUBJID", "variable", "value", "rule"]].values.tolist() == [
        [2, "S-1", "LBSTRESC", "NEGATIVE", "duplicate"]
    ]
    assert listed["reason"].tolist() == [
        "LB record of subject S-1, LBTESTCD HLAB27AG, repeats LB row 1; the first is used"
    ]
    assert bool(sdtm.study.patients.set_index("patient_id").loc["1", "hla_b27"])  # POSITIVE (NA would raise)
