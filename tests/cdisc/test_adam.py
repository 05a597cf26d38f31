"""ADaM data sets: ADSL one row per patient with Y/N flags; BDS baselines, changes and responses.

Expected values are worked out by hand from the controlled trial of tests/cdisc_study.py (its table) and from the
reference study's data README (13 patients; T03, T06, T07 withdrew after adverse events, T08 and T12 for
lack of efficacy; the other 8 completed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cdisc_study import REFERENCE_SCORING

from axspa.analysis_sets import per_protocol
from axspa.cdisc import Adam, build_adam, read_codes
from axspa.derive import score_visits
from axspa.errors import InputError
from axspa.io import LoadedStudy
from axspa.studies import thalidomide_2003

FLAGS = ("ITTFL", "FASFL", "SAFFL", "PPROTFL", "COMPLFL")
BDS = ("ADQS", "ADEFF", "ADRS")


def _both(reference: Adam, controlled: Adam) -> list[Adam]:
    return [reference, controlled]


def test_adsl_has_one_row_per_patient(reference: Adam, controlled: Adam) -> None:
    assert reference["ADSL"].frame["SUBJID"].tolist() == [f"T{i:02d}" for i in range(1, 14)]
    assert controlled["ADSL"].frame["SUBJID"].tolist() == ["P01", "P02", "P03", "P04"]
    for adam in _both(reference, controlled):
        adsl = adam["ADSL"].frame
        assert adsl["USUBJID"].is_unique


def test_every_population_flag_is_y_or_n(reference: Adam, controlled: Adam) -> None:
    for adam in _both(reference, controlled):
        for flag in FLAGS:
            assert set(adam["ADSL"].frame[flag]) <= {"Y", "N"}, flag


def test_reference_adsl_by_hand(reference: Adam) -> None:
    adsl = reference["ADSL"].frame.set_index("SUBJID")
    completers = ["T01", "T02", "T04", "T05", "T09", "T10", "T11", "T13"]
    assert (adsl["FASFL"] == "Y").all() and (adsl["SAFFL"] == "Y").all() and (adsl["ITTFL"] == "Y").all()
    assert adsl.index[adsl["COMPLFL"] == "Y"].tolist() == completers
    assert (adsl["PPROTFL"] == "N").all()  # no per-protocol set was defined
    assert adsl.loc[["T03", "T06", "T07"], "DCSREAS"].tolist() == ["ADVERSE EVENT"] * 3
    assert adsl.loc[["T08", "T12"], "DCSREAS"].tolist() == ["LACK OF EFFICACY"] * 2
    assert set(adsl.loc[completers, "DCSREAS"]) == {""}
    assert set(adsl.loc[completers, "EOSSTT"]) == {"COMPLETED"}
    assert (adsl["ARM"] == "Thalidomide").all() and (adsl["TRT01A"] == "Thalidomide").all()
    # patients.csv: T01 male, 19 years, 7.0 years of disease, HLA-B27 positive, juvenile
    assert adsl.loc["T01", ["SEX", "AGE", "DURDIS", "HLAB27", "SUBTYPE"]].tolist() == [
        "M",
        19.0,
        7.0,
        "POSITIVE",
        "JUVENILE",
    ]


def test_controlled_adsl_by_hand(controlled: Adam) -> None:
    adsl = controlled["ADSL"].frame.set_index("SUBJID")
    assert adsl["ARM"].tolist() == ["Active drug", "Placebo", "Active drug", "Placebo"]
    assert adsl["ARMCD"].tolist() == ["ACTIVE", "PLACEBO", "ACTIVE", "PLACEBO"]
    assert adsl["TRT01PN"].tolist() == [1.0, 2.0, 1.0, 2.0]
    # P04 was never dosed: out of the safety set, no actual treatment
    assert adsl["SAFFL"].tolist() == ["Y", "Y", "Y", "N"]
    assert adsl["TRT01A"].tolist() == ["Active drug", "Placebo", "Active drug", ""]
    assert np.isnan(adsl.loc["P04", "TRT01AN"])
    assert adsl["FASFL"].tolist() == ["Y"] * 4
    assert adsl["COMPLFL"].tolist() == ["Y", "Y", "N", "N"]
    assert adsl["EOSSTT"].tolist() == ["COMPLETED", "COMPLETED", "DISCONTINUED", "DISCONTINUED"]
    assert adsl["DCSREAS"].tolist() == ["", "", "ADVERSE EVENT", "OTHER"]
    assert adsl["STRAT1R"].tolist() == ["no", "no", "yes", "yes"]
    assert adsl["HLAB27"].tolist() == ["POSITIVE", "POSITIVE", "NEGATIVE", ""]


def test_a_per_protocol_set_gives_its_flag_and_definition(controlled_study: LoadedStudy) -> None:
    pp = per_protocol(
        controlled_study.patients,
        rule=lambda p: p["last_week"] >= 12,
        definition="patients seen at week 12",
    )
    adam = build_adam(controlled_study, per_protocol=pp)
    assert adam["ADSL"].frame["PPROTFL"].tolist() == ["Y", "Y", "N", "N"]
    spec = adam["ADSL"].specification().set_index("name")
    assert "patients seen at week 12" in spec.loc["PPROTFL", "derivation"]


def test_base_is_the_aval_of_the_baseline_record(reference: Adam, controlled: Adam) -> None:
    for adam in _both(reference, controlled):
        for name in ("ADQS", "ADEFF"):
            frame = adam[name].frame
            baseline = frame[frame["ABLFL"] == "Y"]
            assert not baseline.duplicated(["USUBJID", "PARAMCD"]).any()
            assert (baseline["AVISIT"] == "Baseline").all()
            expected = frame[["USUBJID", "PARAMCD"]].merge(
                baseline[["USUBJID", "PARAMCD", "AVAL"]], how="left", on=["USUBJID", "PARAMCD"]
            )["AVAL"]
            np.testing.assert_array_equal(frame["BASE"].to_numpy(), expected.to_numpy(), err_msg=name)
            assert set(frame["ABLFL"]) <= {"Y", ""}


def test_chg_is_aval_minus_base(reference: Adam, controlled: Adam) -> None:
    for adam in _both(reference, controlled):
        for name in ("ADQS", "ADEFF"):
            frame = adam[name].frame
            np.testing.assert_array_equal(frame["CHG"], frame["AVAL"] - frame["BASE"], err_msg=name)
        eff = adam["ADEFF"].frame
        with np.errstate(divide="ignore", invalid="ignore"):
            pchg = np.where(eff["BASE"] != 0, 100 * (eff["AVAL"] - eff["BASE"]) / eff["BASE"], np.nan)
        np.testing.assert_allclose(eff["PCHG"], pchg, rtol=1e-15)


def test_controlled_adeff_by_hand(controlled: Adam) -> None:
    eff = controlled["ADEFF"].frame
    basdai = eff[eff["PARAMCD"] == "BASDAI"].set_index(["SUBJID", "AVISITN"])
    # every item of a visit holds v, so BASDAI = (4 v + (v + v) / 2) / 5 = v
    assert basdai.loc[("P01", 12.0), ["AVAL", "BASE", "CHG", "PCHG", "DTYPE"]].tolist() == [3.0, 6.0, -3.0, -50.0, ""]
    # P03 withdrew after week 4 (value 5, baseline 8): LOCF carries 5 to week 12
    assert basdai.loc[("P03", 12.0), ["AVAL", "BASE", "CHG", "DTYPE"]].tolist() == [5.0, 8.0, -3.0, "LOCF"]
    # P04 was seen at baseline only: LOCF at weeks 4 and 12 carries the baseline, change 0
    assert basdai.loc["P04", "DTYPE"].tolist() == ["", "LOCF", "LOCF"]
    assert basdai.loc["P04", "CHG"].tolist() == [0.0, 0.0, 0.0]
    assert basdai["AVISIT"].unique().tolist() == ["Baseline", "Week 4", "Week 12"]
    assert (eff["ANL01FL"] == "Y").all()
    assert not eff.duplicated(["USUBJID", "PARAMCD", "AVISITN"]).any()
    crp = eff[eff["PARAMCD"] == "CRP"]
    assert crp["PARAM"].iloc[0] == "C-Reactive Protein (mg/L)" and (crp["AVAL"] == 10.0).all()


def test_observed_responses_agree_with_score_visits(reference: Adam) -> None:
    study = thalidomide_2003.load()
    scored = score_visits(study.visits, **REFERENCE_SCORING)
    codes = {p.paramcd: p.column for p in read_codes() if p.dataset == "ADRS"}
    adrs = reference["ADRS"].frame
    observed = adrs[adrs["DTYPE"] == ""]
    assert set(adrs["AVALC"]) <= {"Y", "N"}
    assert ((adrs["AVALC"] == "Y") == (adrs["AVAL"] == 1.0)).all() and set(adrs["AVAL"]) <= {0.0, 1.0}
    post = scored[scored["week"] > 0]
    checked = 0
    for code, column in codes.items():
        expected = post[["patient_id", "week", column]].dropna()
        got = observed[observed["PARAMCD"] == code]
        merged = expected.merge(
            got[["SUBJID", "AVISITN", "AVALC"]], left_on=["patient_id", "week"], right_on=["SUBJID", "AVISITN"]
        )
        assert len(merged) == len(expected) == len(got), code  # every evaluable response is one record
        assert (merged["AVALC"] == np.where(merged[column].astype(bool), "Y", "N")).all(), code
        checked += len(merged)
    assert checked == len(observed)


def test_nri_fills_every_missing_post_baseline_response(reference: Adam, controlled: Adam) -> None:
    # the reference study: 13 patients x 7 post-baseline visits per response; T03 left after week 2
    adrs = reference["ADRS"].frame
    asas20 = adrs[adrs["PARAMCD"] == "ASAS20"]
    assert len(asas20) == 13 * 7
    assert asas20.loc[asas20["SUBJID"] == "T03", "DTYPE"].tolist() == ["", "NRI", "NRI", "NRI", "NRI", "NRI", "NRI"]
    nri = adrs[adrs["DTYPE"] == "NRI"]
    assert set(nri["AVALC"]) == {"N"} and set(nri["AVAL"]) == {0.0}
    # the controlled trial, ASAS20 by hand: P01 Y Y, P02 N N, P03 Y then NRI, P04 NRI NRI
    rs = controlled["ADRS"].frame
    a20 = rs[rs["PARAMCD"] == "ASAS20"]
    assert a20["AVALC"].tolist() == ["Y", "Y", "N", "N", "Y", "N", "N", "N"]
    assert a20["DTYPE"].tolist() == ["", "", "", "", "", "NRI", "NRI", "NRI"]
    # ASAS40 needs >= 40 % and 2 units in 3 domains: P01 6 -> 4 is 33 %, 6 -> 3 is 50 %; P03 8 -> 5 is 37.5 %
    a40 = rs[rs["PARAMCD"] == "ASAS40"]
    assert a40["AVALC"].tolist() == ["N", "Y", "N", "N", "N", "N", "N", "N"]


def test_without_imputation_there_are_only_observed_records(controlled_study: LoadedStudy) -> None:
    adam = build_adam(controlled_study)
    assert set(adam["ADEFF"].frame["DTYPE"]) == {""}
    assert set(adam["ADRS"].frame["DTYPE"]) == {""}
    bocf = build_adam(controlled_study, imputation="bocf")["ADEFF"].frame
    p03 = bocf[(bocf["PARAMCD"] == "BASDAI") & (bocf["SUBJID"] == "P03")]
    assert p03[["AVAL", "CHG", "DTYPE"]].values.tolist() == [[8.0, 0.0, ""], [5.0, -3.0, ""], [8.0, 0.0, "BOCF"]]


def test_adqs_items_carry_sponsor_defined_codes(reference: Adam) -> None:
    adqs = reference["ADQS"].frame
    first = adqs.iloc[0]
    # visits.csv: T01 week 0, basdai_q1 = 10.0
    assert first[["SUBJID", "PARAMCD", "PARCAT1", "AVAL", "AVISIT", "ABLFL"]].tolist() == [
        "T01",
        "BASDAI01",
        "BASDAI",
        10.0,
        "Baseline",
        "Y",
    ]
    assert adqs["PARAMCD"].str.len().max() <= 8
    assert set(adqs["PARCAT1"]) == {"BASDAI", "BASFI", "BAS-G", "ASAS"}
    assert len(adqs) == 78 * 19  # 78 visits, 19 items recorded (the patient global column is empty)


def test_every_variable_has_a_label_and_a_derivation(reference: Adam, controlled: Adam) -> None:
    for adam in _both(reference, controlled):
        for d in adam.datasets:
            spec = d.specification()
            assert spec["name"].tolist() == list(d.frame.columns)
            assert (spec["label"].str.len() > 0).all() and (spec["label"].str.len() <= 40).all(), d.name
            assert (spec["derivation"].str.len() > 0).all(), spec.loc[spec["derivation"] == "", "name"].tolist()
            assert set(spec["type"]) <= {"Char", "Num"}
            for row in spec.itertuples():
                if row.type == "Num":
                    assert row.length == 8 and pd.api.types.is_float_dtype(d.frame[row.name])
                else:
                    assert row.length == max(1, d.frame[row.name].map(len).max())


def test_unknown_imputation_is_refused(controlled_study: LoadedStudy) -> None:
    with pytest.raises(InputError, match="imputation must be 'locf', 'bocf' or None; got 'nri'"):
        build_adam(controlled_study, imputation="nri")  # type: ignore[arg-type]
