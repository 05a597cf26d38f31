"""The data contract of a controlled trial: arms, control arm, strata and schedule at loading."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from axspa.analysis_sets import completers, controlled_sets
from axspa.design import SINGLE_ARM, Arm, StudyDesign
from axspa.errors import DataValidationError, InputError
from axspa.ingest.study_file import parse_study_design
from axspa.io import load_study, write_study

STUDY_TOML = """\
[study]
title = "A two-arm trial"
control = "placebo"
strata = ["prior_tnfi"]
schedule = [0, 12]
primary_week = 12

[arms.active]
label = "Active drug"

[arms.placebo]
label = "Placebo"
"""


def _folder(tmp_path: Path, *, arms: list[object], toml: str | None = STUDY_TOML, weeks=(0, 12), **extra) -> Path:
    n = len(arms)
    ids = [f"P{i:02d}" for i in range(1, n + 1)]
    patients = pd.DataFrame(
        {
            "patient_id": ids,
            "sex": ["female", "male"] * (n // 2) + ["male"] * (n % 2),
            "age_years": [30 + i for i in range(n)],
            "status": ["completed"] * n,
            "last_week": [max(weeks)] * n,
            "arm": arms,
            "treated": ["true"] * n,
            "prior_tnfi": ["no"] * n,
        }
    )
    for column, values in extra.items():
        if values is None:
            patients = patients.drop(columns=column)
        else:
            patients[column] = values
    visits = pd.DataFrame(
        [{"patient_id": p, "week": w, "basdai_q1": 5} for p in ids for w in weeks],
    )
    patients.to_csv(tmp_path / "patients.csv", index=False)
    visits.to_csv(tmp_path / "visits.csv", index=False)
    if toml is not None:
        (tmp_path / "study.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def test_declared_arms_load_with_labels_control_and_strata(tmp_path: Path) -> None:
    study = load_study(_folder(tmp_path, arms=["active", "Placebo", "ACTIVE", "placebo"]))
    assert study.design.codes == ("active", "placebo")
    assert study.design.arm_labels == {"active": "Active drug", "placebo": "Placebo"}
    assert study.design.control == "placebo"
    assert study.design.experimental == ("active",)
    assert study.design.primary_week == 12.0
    assert study.patients["arm"].tolist() == ["active", "placebo", "active", "placebo"]
    assert study.patients["prior_tnfi"].tolist() == ["no"] * 4
    assert study.patients["treated"].tolist() == [True] * 4


def test_unknown_arm_is_an_error_naming_row_patient_value_and_arms(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError) as info:
        load_study(_folder(tmp_path, arms=["active", "placebo", "etanercept", "placebo"]))
    text = str(info.value)
    assert "patients.csv, row 3, patient P03" in text
    assert "arm must be one of active, placebo; got 'etanercept'" in text


def test_patient_without_arm_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="row 2, patient P02: arm is required"):
        load_study(_folder(tmp_path, arms=["active", None, "placebo", "placebo"]))


def test_lenient_loading_lists_the_patient_without_arm(tmp_path: Path) -> None:
    study = load_study(_folder(tmp_path, arms=["active", None, "placebo", "placebo"]), strict=False)
    assert study.patients["patient_id"].tolist() == ["P01", "P03", "P04"]
    assert study.exclusions.loc[study.exclusions["source"] == "patients.csv", "field"].tolist() == ["arm"]


def test_control_arm_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    toml = STUDY_TOML.replace('control = "placebo"', 'control = "sulfasalazine"')
    with pytest.raises(
        InputError, match="control arm 'sulfasalazine' is not an arm of the study; arms: active, placebo"
    ):
        load_study(_folder(tmp_path, arms=["active", "placebo"], toml=toml))


def test_declared_arms_without_arm_column_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"declares arms \(active, placebo\).*no 'arm' column"):
        load_study(_folder(tmp_path, arms=["active", "placebo"], arm=None))


def test_missing_stratum_column_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="required column prior_tnfi is missing"):
        load_study(_folder(tmp_path, arms=["active", "placebo"], prior_tnfi=None))


def test_visit_off_the_schedule_is_an_error_with_its_row(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError) as info:
        load_study(_folder(tmp_path, arms=["active", "placebo"], weeks=(0, 12, 16.6)))
    assert "visits.csv, row 3, patient P01, week 16.6: week 16.6 is not a visit of the study's schedule (0, 12)" in str(
        info.value
    )


def test_arm_column_without_study_file_gives_arms_from_the_data(tmp_path: Path) -> None:
    study = load_study(_folder(tmp_path, arms=["Placebo", "drug", "drug", "placebo"], toml=None, prior_tnfi=None))
    assert study.design.codes == ("drug", "placebo")
    assert study.design.control is None and not study.design.declared
    with pytest.raises(InputError, match=r"names no control arm.*--control"):
        study.design.require_control()
    assert study.design.with_control("placebo").experimental == ("drug",)
    with pytest.raises(InputError, match="control arm 'pbo' is not an arm"):
        study.design.with_control("pbo")


def test_arm_values_that_are_not_codes_are_listed(tmp_path: Path) -> None:
    folder = _folder(tmp_path, arms=["Placebo 1", "drug", "drug", "placebo"], toml=None, prior_tnfi=None)
    with pytest.raises(DataValidationError, match=r"row 1, patient P01: arm must be a code .* got 'placebo 1'"):
        load_study(folder)


def test_a_study_without_arms_is_single_arm(tmp_path: Path) -> None:
    study = load_study(_folder(tmp_path, arms=["x", "y"], toml=None, arm=None, treated=None, prior_tnfi=None))
    assert study.design is SINGLE_ARM
    assert "arm" not in study.patients.columns


def test_write_study_keeps_the_design(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    study = load_study(_folder(tmp_path / "a", arms=["active", "placebo"]))
    again = load_study(write_study(study, tmp_path / "b"))
    assert again.design == study.design
    assert again.patients.equals(study.patients)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"study": {"control": "x"}}, "names control 'x' but declares no arms"),
        ({"arms": {"a": {"label": "A"}}}, "at least two arms"),
        ({"arms": {"A b": {"label": "A"}, "c": {"label": "C"}}}, r"\[arms.A b\]: an arm code must be lower-case"),
        ({"arms": {"a": {"label": ""}, "c": {"label": "C"}}}, "needs a non-empty label"),
        ({"arms": {"a": {"name": "A"}, "c": {"label": "C"}}}, r"\[arms.a\] must hold exactly one key, label"),
        ({"study": {"schedule": [0, 12, 4]}}, "distinct weeks in increasing order"),
        ({"study": {"schedule": [0, 12], "primary_week": 16}}, "primary_week 16 is not a week of the visit schedule"),
        ({"study": {"strata": "region"}}, "strata must be a list"),
        ({"study": {"arms": 2}}, r"\[study\] has unknown key\(s\) arms"),
        ({"design": {}}, r"unknown table\(s\) design"),
    ],
)
def test_study_file_errors_name_file_table_and_key(document: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_study_design(document)


def _design() -> StudyDesign:
    return StudyDesign(arms=(Arm("active", "Active drug"), Arm("placebo", "Placebo")), control="placebo")


def test_controlled_sets_split_by_arm_and_say_what_they_are() -> None:
    patients = pd.DataFrame(
        {
            "patient_id": ["A", "B", "C", "D", "E"],
            "status": ["completed", "withdrawn", "completed", "withdrawn", "completed"],
            "arm": ["active", "active", "placebo", "placebo", "placebo"],
            "treated": [True, False, True, True, True],
        }
    )
    sets = controlled_sets(patients, _design())
    assert {k: s.n for k, s in sets.items()} == {"fas": 5, "safety": 4, "completers": 3}
    fas = sets["fas"].by_arm(_design())
    assert {k: s.patient_ids for k, s in fas.items()} == {"active": ("A", "B"), "placebo": ("C", "D", "E")}
    assert fas["active"].label == "Full analysis set, Active drug"
    assert sets["safety"].by_arm(_design())["active"].patient_ids == ("A",)
    for s in sets.values():
        assert "all of whom received" not in s.definition
    assert "randomised" in sets["fas"].definition and "received any study drug" in sets["safety"].definition
    assert completers(patients).arms == ("active", "placebo", "placebo")


def test_controlled_sets_without_treated_column_say_so() -> None:
    patients = pd.DataFrame({"patient_id": ["A", "B"], "status": ["completed"] * 2, "arm": ["active", "placebo"]})
    safety = controlled_sets(patients, _design())["safety"]
    assert safety.n == 2 and "no 'treated' column" in safety.definition


def test_controlled_sets_reject_missing_or_unknown_arms() -> None:
    base = {"patient_id": ["A", "B"], "status": ["completed"] * 2}
    with pytest.raises(InputError, match=r"arm is missing for patient\(s\) \['B'\]"):
        controlled_sets(pd.DataFrame({**base, "arm": ["active", None]}), _design())
    with pytest.raises(InputError, match=r"arm\(s\) \['sham'\] of the patients are not arms"):
        controlled_sets(pd.DataFrame({**base, "arm": ["active", "sham"]}), _design())
    with pytest.raises(InputError, match="needs a study with arms"):
        controlled_sets(pd.DataFrame({**base, "arm": ["active", "placebo"]}), SINGLE_ARM)


def _assert_engines_agree(folder: Path, **options: object) -> None:
    by_frame = load_study(folder, strict=False, **options)
    by_records = load_study(folder, strict=False, engine="records", **options)
    pd.testing.assert_frame_equal(by_records.exclusions, by_frame.exclusions)
    pd.testing.assert_frame_equal(by_records.patients, by_frame.patients)
    pd.testing.assert_frame_equal(by_records.visits, by_frame.visits)
    pd.testing.assert_frame_equal(by_records.adverse_events, by_frame.adverse_events)
    pd.testing.assert_frame_equal(by_records.set_missing, by_frame.set_missing)
    assert by_records.design == by_frame.design
    assert by_records.notes == by_frame.notes


@pytest.mark.parametrize("name", ["synthetic_rct", "esther_2011"])
def test_the_record_engine_loads_a_bundled_controlled_trial_as_the_frame_engine_does(name: str) -> None:
    _assert_engines_agree(Path(__file__).resolve().parents[2] / "data" / name)


@pytest.mark.parametrize("on_invalid", ["exclude", "missing"])
@pytest.mark.parametrize("toml", [STUDY_TOML, None], ids=["declared arms", "arms from the data"])
def test_the_record_engine_checks_arm_treated_and_strata_as_the_frame_engine_does(tmp_path, toml, on_invalid) -> None:
    folder = _folder(
        tmp_path,
        arms=["active", " Placebo", "ACTIVE", "", "sham", "placebo"],
        toml=toml,
        treated=["true", "no", "maybe", "yes", "", "1"],
        prior_tnfi=["no", "", "yes", "no", "no", "NA"],
    )
    _assert_engines_agree(folder, on_invalid=on_invalid)
    rules = load_study(folder, strict=False, engine="records").exclusions.groupby("field")["rule"].apply(set)
    assert rules["arm"] == ({"required", "choice"} if toml else {"required"})
    assert rules["treated"] == {"type"}
    if toml:  # a declared stratum is required; without a study file the column is not a stratum
        assert rules["prior_tnfi"] == {"required"}
    else:
        assert "prior_tnfi" not in rules
