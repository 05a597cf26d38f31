"""Baseline, disposition and adverse-event tables by arm, pinned against counts written out by hand.

The trial below has 10 patients, 5 per arm (A1-A5 on the active drug, P1-P5 on placebo); every expected
number is counted from the table in :func:`rct_patients` and :func:`rct_adverse_events` in the comments.
"""

from __future__ import annotations

import pandas as pd
import pytest

from axspa.analysis_sets import AnalysisSet, all_enrolled, controlled_sets
from axspa.design import SINGLE_ARM, Arm, StudyDesign
from axspa.errors import InputError
from axspa.report.table import TIDY_COLUMNS, Table
from axspa.report.tables import adverse_event_table, demographics_table, disposition_table

from .data import toy_adverse_events, toy_patients

DESIGN = StudyDesign(
    arms=(Arm("active", "Active drug"), Arm("placebo", "Placebo")), control="placebo", strata=("prior_tnfi",)
)
HEADS = ["Active drug (n = 5)", "Placebo (n = 5)", "Total (n = 10)"]


def rct_patients() -> pd.DataFrame:
    """Ten randomised patients; P4 was never treated (and withdrew, reason other, at week 0)."""
    rows = [
        # id, arm, sex, age, duration, hla_b27, subtype, status, reason, last week, treated, prior TNFi
        ("A1", "active", "male", 30.0, 10.0, True, "axial", "completed", None, 12.0, True, "yes"),
        ("A2", "active", "female", 40.0, 5.0, True, "axial", "completed", None, 12.0, True, "no"),
        ("A3", "active", "male", 50.0, None, False, "peripheral", "withdrawn", "adverse_event", 4.0, True, "no"),
        ("A4", "active", "male", 20.0, 8.0, True, "juvenile", "withdrawn", "lack_of_efficacy", 8.0, True, "yes"),
        ("A5", "active", "female", 35.0, 12.0, True, "axial", "completed", None, 12.0, True, "yes"),
        ("P1", "placebo", "male", 45.0, 20.0, True, "axial", "completed", None, 12.0, True, "yes"),
        ("P2", "placebo", "male", 25.0, 3.0, False, "psoriatic", "withdrawn", "adverse_event", 2.0, True, "no"),
        ("P3", "placebo", "female", 33.0, 6.0, True, "axial", "withdrawn", "lost_to_follow_up", 6.0, True, "no"),
        ("P4", "placebo", "male", 52.0, 15.0, True, "peripheral", "withdrawn", "other", 0.0, False, "no"),
        ("P5", "placebo", "male", 28.0, 9.0, None, "axial", "completed", None, 12.0, True, "yes"),
    ]
    columns = [
        "patient_id",
        "arm",
        "sex",
        "age_years",
        "disease_duration_years",
        "hla_b27",
        "subtype",
        "status",
        "withdrawal_reason",
        "last_week",
        "treated",
        "prior_tnfi",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"hla_b27": "boolean", "treated": "boolean"})


def rct_adverse_events() -> pd.DataFrame:
    """A1 has headache twice; P4 (not in the safety set) and Z9 (not randomised) are left out."""
    rows = [
        ("A1", "headache", 1.0, "mild", False),
        ("A1", "headache", 6.0, "mild", False),
        ("A2", "nausea", 2.0, "moderate", False),
        ("A3", "rash", 3.0, "severe", True),
        ("P1", "headache", 2.0, "mild", False),
        ("P2", "nausea", 1.0, "mild", False),
        ("P2", "dizziness", 1.0, "severe", False),
        ("P4", "headache", 0.0, "mild", False),
        ("Z9", "rash", 1.0, "mild", False),
    ]
    return pd.DataFrame(rows, columns=["patient_id", "term", "onset_week", "severity", "serious"])


def values(table: Table, statistic: str, **where: object) -> list[float]:
    """The statistic for the active arm, placebo and the total, in that order."""
    return [table.value(statistic=statistic, arm=arm, **where) for arm in ("active", "placebo", "all")]


def row(table: Table, head: str, column: str) -> list[str]:
    return table.view.set_index(column).loc[head].tolist()


def check_by_arm(table: Table) -> None:
    """Every tidy row carries an arm of the design or the total, and names its population and method."""
    assert list(table.data.columns) == list(TIDY_COLUMNS)
    assert set(table.data["arm"]) == {"active", "placebo", "all"}
    for col in ("population", "imputation", "method"):
        assert (table.data[col].str.len() > 0).all(), col
    assert table.data["denominator"].notna().all()
    assert not any("all of whom received" in note for note in table.notes)


# ------------------------------------------------------------------------------------------------
# Baseline characteristics
# ------------------------------------------------------------------------------------------------


def test_baseline_by_arm_counts_and_summaries():
    t = demographics_table(rct_patients(), design=DESIGN)
    check_by_arm(t)
    assert t.title == "Table 1. Baseline characteristics by arm (Full analysis set, n = 10)"
    assert set(t.data["population"]) == {"Full analysis set"}
    assert values(t, "count", variable="patients") == [5, 5, 10]
    # Ages: active 30 + 40 + 50 + 20 + 35 = 175 / 5 = 35, range 20-50; placebo 45 + 25 + 33 + 52 + 28 = 183
    # / 5 = 36.6, range 25-52; all 358 / 10 = 35.8, range 20-52.
    assert values(t, "mean", variable="age_years") == pytest.approx([35.0, 36.6, 35.8])
    assert values(t, "min", variable="age_years") == [20.0, 25.0, 20.0]
    assert values(t, "max", variable="age_years") == [50.0, 52.0, 52.0]
    # Durations: A3 missing, so active n = 4, 10 + 5 + 8 + 12 = 35 / 4 = 8.75; placebo 20 + 3 + 6 + 15 + 9
    # = 53 / 5 = 10.6; all n = 9, 88 / 9.
    assert values(t, "n", variable="disease_duration_years") == [4, 5, 9]
    assert values(t, "mean", variable="disease_duration_years") == pytest.approx([8.75, 10.6, 88 / 9])
    # Sex: male A1 A3 A4 / P1 P2 P4 P5.
    assert values(t, "count", variable="sex", level="male") == [3, 4, 7]
    assert values(t, "percent", variable="sex", level="male") == pytest.approx([60.0, 80.0, 70.0])
    # HLA-B27: negative A3 / P2; P5 not recorded; every arm lists every level, 0 where nobody has it.
    assert values(t, "count", variable="hla_b27", level="negative") == [1, 1, 2]
    assert values(t, "count", variable="hla_b27", level="missing") == [0, 1, 1]
    # Subtype: psoriatic only P2, juvenile only A4.
    assert values(t, "count", variable="subtype", level="psoriatic") == [0, 1, 1]
    assert values(t, "count", variable="subtype", level="juvenile") == [1, 0, 1]
    # The stratification factor: prior TNFi yes A1 A4 A5 / P1 P5.
    assert values(t, "count", variable="prior_tnfi", level="yes") == [3, 2, 5]
    assert values(t, "percent", variable="prior_tnfi", level="no") == pytest.approx([40.0, 60.0, 50.0])


def test_baseline_by_arm_view_and_notes():
    t = demographics_table(rct_patients(), design=DESIGN)
    assert list(t.view.columns) == ["Characteristic", *HEADS]
    assert row(t, "Age (years), mean (range)", "Characteristic") == [
        "35.0 (20.0 to 50.0)",
        "36.6 (25.0 to 52.0)",
        "35.8 (20.0 to 52.0)",
    ]
    assert row(t, "Sex: male, n (%)", "Characteristic") == ["3 (60.0%)", "4 (80.0%)", "7 (70.0%)"]
    assert row(t, "prior_tnfi (stratification factor): yes, n (%)", "Characteristic") == [
        "3 (60.0%)",
        "2 (40.0%)",
        "5 (50.0%)",
    ]
    assert not any("p" == c.lower() or "p-value" in c.lower() for c in t.view.columns)
    assert t.notes[0] == (
        "Population: Full analysis set (n = 10): every randomised patient, analysed in the arm of randomisation "
        "(intention to treat). By arm: Active drug, n = 5; Placebo, n = 5."
    )
    assert "Disease duration (years): missing value(s) excluded from its summary (Active drug 1, Placebo 0)." in (
        t.notes
    )
    assert "Stratification factors of the randomisation: prior_tnfi." in t.notes
    assert any("No p-values compare the arms at baseline" in n and "CONSORT" in n for n in t.notes)


def test_baseline_by_arm_on_a_given_set_and_sd():
    p = rct_patients()
    safety = controlled_sets(p, DESIGN)["safety"]  # P4 never treated
    t = demographics_table(p, safety, spread="sd", design=DESIGN)
    assert list(t.view.columns) == ["Characteristic", "Active drug (n = 5)", "Placebo (n = 4)", "Total (n = 9)"]
    # Placebo ages without P4: 45, 25, 33, 28: mean 131 / 4 = 32.75; deviations 12.25, -7.75, 0.25, -4.75,
    # squares 150.0625 + 60.0625 + 0.0625 + 22.5625 = 232.75, / 3 = 77.5833..., SD 8.808...
    assert t.value(variable="age_years", statistic="mean", arm="placebo") == pytest.approx(32.75)
    assert t.value(variable="age_years", statistic="sd", arm="placebo") == pytest.approx((232.75 / 3) ** 0.5)
    assert t.view.set_index("Characteristic").loc["Age (years), mean (SD)", "Placebo (n = 4)"] == "32.8 ± 8.8"
    assert t.value(variable="sex", level="male", statistic="percent", arm="placebo") == pytest.approx(75.0)


# ------------------------------------------------------------------------------------------------
# Disposition
# ------------------------------------------------------------------------------------------------


def test_disposition_by_arm_counts_the_consort_flow():
    t = disposition_table(rct_patients(), design=DESIGN)
    check_by_arm(t)
    assert t.title == "Disposition by arm of the 10 randomised patients"
    assert values(t, "count", variable="randomised") == [5, 5, 10]
    assert values(t, "count", variable="treated") == [5, 4, 9]  # P4 never treated
    assert values(t, "count", variable="completed") == [3, 2, 5]  # A1 A2 A5 / P1 P5
    assert values(t, "count", variable="withdrawn", level="") == [2, 3, 5]
    assert values(t, "percent", variable="withdrawn", level="") == pytest.approx([40.0, 60.0, 50.0])
    assert values(t, "count", variable="withdrawn", level="adverse_event") == [1, 1, 2]  # A3 / P2
    assert values(t, "count", variable="withdrawn", level="lack_of_efficacy") == [1, 0, 1]  # A4
    assert values(t, "count", variable="withdrawn", level="lost_to_follow_up") == [0, 1, 1]  # P3
    assert values(t, "count", variable="withdrawn", level="other") == [0, 1, 1]  # P4
    assert values(t, "min_last_week", variable="withdrawn", level="") == [4.0, 0.0, 0.0]
    assert values(t, "max_last_week", variable="withdrawn", level="") == [8.0, 6.0, 8.0]
    # The analysis sets of controlled_sets, per arm: FAS everyone, safety without P4, completers.
    assert values(t, "count", variable="analysis_set", level="fas") == [5, 5, 10]
    assert values(t, "count", variable="analysis_set", level="safety") == [5, 4, 9]
    assert values(t, "count", variable="analysis_set", level="completers") == [3, 2, 5]
    assert values(t, "percent", variable="analysis_set", level="safety") == pytest.approx([100.0, 80.0, 90.0])
    assert set(t.data.loc[t.data["variable"] != "analysis_set", "denominator"]) == {5, 10}


def test_disposition_by_arm_view_and_footnotes():
    t = disposition_table(rct_patients(), design=DESIGN)
    assert list(t.view.columns) == ["Patients", *HEADS]
    assert t.view["Patients"].tolist() == [
        "Randomised",
        "Treated (received any study drug)",
        "Completed",
        "Withdrawn",
        "  withdrawn: adverse event",
        "  withdrawn: lack of efficacy",
        "  withdrawn: lost to follow-up",
        "  withdrawn: other",
        "Analysis set: Full analysis set",
        "Analysis set: Safety set",
        "Analysis set: Completers",
    ]
    assert row(t, "Treated (received any study drug)", "Patients") == ["5 (100.0%)", "4 (80.0%)", "9 (90.0%)"]
    assert row(t, "  withdrawn: other", "Patients") == ["0 (0.0%)", "1 (20.0%)", "1 (10.0%)"]
    assert "Treated: patients who received any study drug (the patients' 'treated' column)." in t.notes
    assert (
        "Analysis set Safety set (n = 9): every randomised patient who received any study drug, in the arm of "
        "randomisation." in t.notes
    )
    assert (
        "Analysis set Completers (n = 5): randomised patients who completed the study, in the arm of "
        "randomisation (a sensitivity set)." in t.notes
    )


def test_disposition_without_treated_column_does_not_claim_treatment():
    p = rct_patients().drop(columns="treated")
    t = disposition_table(p, design=DESIGN)
    assert pd.isna(t.value(variable="treated", statistic="count", arm="all"))
    assert row(t, "Treated (received any study drug)", "Patients") == ["not recorded"] * 3
    assert any(n.startswith("Treated: not recorded") for n in t.notes)
    # the safety set is then every randomised patient, and its definition says why
    assert values(t, "count", variable="analysis_set", level="safety") == [5, 5, 10]


def test_disposition_by_arm_lists_the_sets_given():
    p = rct_patients()
    completers = controlled_sets(p, DESIGN)["completers"]
    t = disposition_table(p, [completers], design=DESIGN)
    assert set(t.data.loc[t.data["variable"] == "analysis_set", "level"]) == {"completers"}
    assert values(t, "percent", variable="analysis_set", level="completers") == pytest.approx([60.0, 40.0, 50.0])
    assert t.view["Patients"].tolist()[-1] == "Analysis set: Completers"


# ------------------------------------------------------------------------------------------------
# Adverse events
# ------------------------------------------------------------------------------------------------


def test_adverse_events_by_arm_over_the_safety_set():
    p = rct_patients()
    safety = controlled_sets(p, DESIGN)["safety"]  # active A1-A5 (5), placebo P1 P2 P3 P5 (4)
    t = adverse_event_table(rct_adverse_events(), safety, design=DESIGN, patients=p)
    check_by_arm(t)
    assert t.title == "Adverse events by arm (Safety set, n = 9)"
    assert set(t.data["denominator"]) == {5, 4, 9}
    # Any: A1 A2 A3 / P1 P2 (P4's and Z9's events are outside the set); events 4 / 3 / 7.
    assert values(t, "patients", variable="any") == [3, 2, 5]
    assert values(t, "percent", variable="any") == pytest.approx([60.0, 50.0, 500 / 9])
    assert values(t, "events", variable="any") == [4, 3, 7]
    assert values(t, "patients", variable="serious") == [1, 0, 1]  # A3's rash
    # Leading to withdrawal: A3 and P2 withdrew for adverse events.
    assert values(t, "patients", variable="withdrawal") == [1, 1, 2]
    assert values(t, "percent", variable="withdrawal") == pytest.approx([20.0, 25.0, 200 / 9])
    # Headache: A1 (2 events) / P1; every term in every arm.
    assert values(t, "patients", variable="term", level="headache") == [1, 1, 2]
    assert values(t, "events", variable="term", level="headache") == [2, 1, 3]
    assert values(t, "patients", variable="term", level="dizziness") == [0, 1, 1]
    assert values(t, "patients_severe", variable="term", level="rash") == [1, 0, 1]
    assert list(t.view.columns) == ["Adverse event", "Active drug (n = 5)", "Placebo (n = 4)", "Total (n = 9)"]
    # Terms by patients in total, then by name: headache 2, nausea 2, dizziness 1, rash 1.
    assert t.view["Adverse event"].tolist() == [
        "Any adverse event",
        "Any serious adverse event",
        "Adverse event leading to withdrawal",
        "headache",
        "nausea",
        "dizziness",
        "rash",
    ]
    assert row(t, "Any adverse event", "Adverse event") == ["3 (60.0%)", "2 (50.0%)", "5 (55.6%)"]
    assert row(t, "nausea", "Adverse event") == ["1 (20.0%)", "1 (25.0%)", "2 (22.2%)"]
    assert t.notes[0] == (
        "Population: Safety set (n = 9): every randomised patient who received any study drug, in the arm of "
        "randomisation. By arm: Active drug, n = 5; Placebo, n = 4."
    )
    assert any(n.startswith("Leading to withdrawal:") for n in t.notes)


def test_adverse_events_by_arm_in_an_onset_window_without_withdrawals():
    safety = controlled_sets(rct_patients(), DESIGN)["safety"]
    # Onset in weeks 2-6: A1's second headache (6), A2 nausea (2), A3 rash (3), P1 headache (2).
    t = adverse_event_table(rct_adverse_events(), safety, weeks=(2, 6), design=DESIGN)
    assert values(t, "patients", variable="any") == [3, 1, 4]
    assert values(t, "events", variable="term", level="headache") == [1, 1, 2]
    assert "withdrawal" not in set(t.data["variable"])
    assert "onset in weeks 2 to 6" in t.notes[1]


# ------------------------------------------------------------------------------------------------
# Arms and designs that disagree; single-arm tables stay as they were
# ------------------------------------------------------------------------------------------------


def test_a_set_without_arms_and_a_design_with_arms_is_an_error():
    p = rct_patients()
    flat = AnalysisSet("x", "X", "all", tuple(p["patient_id"]))
    with pytest.raises(InputError, match="carries none"):
        demographics_table(p, flat, design=DESIGN)
    with pytest.raises(InputError, match="carries none"):
        adverse_event_table(rct_adverse_events(), flat, design=DESIGN)
    with pytest.raises(InputError, match="has no arms"):
        disposition_table(p, [flat], design=DESIGN)
    fas = controlled_sets(p, DESIGN)["fas"]
    with pytest.raises(InputError, match="the design has none"):
        demographics_table(p, fas, design=SINGLE_ARM)


def test_a_stratum_missing_from_the_patients_is_an_error():
    with pytest.raises(InputError, match="prior_tnfi"):
        demographics_table(rct_patients().drop(columns="prior_tnfi"), design=DESIGN)


def test_an_arm_unknown_to_the_design_is_an_error():
    p = rct_patients()
    p.loc[0, "arm"] = "etanercept"
    with pytest.raises(InputError, match="etanercept"):
        disposition_table(p, design=DESIGN)


def test_single_arm_design_gives_the_single_arm_tables():
    p = toy_patients()
    for build in (
        lambda **kw: demographics_table(p, **kw),
        lambda **kw: disposition_table(p, **kw),
        lambda **kw: adverse_event_table(toy_adverse_events(), all_enrolled(p), **kw),
    ):
        plain, with_design = build(), build(design=SINGLE_ARM)
        pd.testing.assert_frame_equal(with_design.data, plain.data)
        pd.testing.assert_frame_equal(with_design.view, plain.view)
        assert with_design.notes == plain.notes and with_design.title == plain.title
        assert set(plain.data["arm"]) == {""}


# ------------------------------------------------------------------------------------------------
# The bundled synthetic controlled trial, against counts made with pandas
# ------------------------------------------------------------------------------------------------


def test_bundled_controlled_trial_tables_agree_with_pandas_counts():
    from axspa.studies import synthetic_rct

    study = synthetic_rct.load()
    design, p, ae = study.design, study.patients, study.adverse_events
    sets = controlled_sets(p, design)
    arms = list(design.codes)
    randomised = p.groupby("arm").size()
    treated = p.groupby("arm")["treated"].sum()
    completed = (p["status"] == "completed").groupby(p["arm"]).sum()

    demo = demographics_table(p, design=design)
    check_by_arm(demo)
    for arm in arms:
        ages = p.loc[p["arm"] == arm, "age_years"].dropna()
        assert demo.value(variable="age_years", statistic="mean", arm=arm) == pytest.approx(ages.mean())
    assert demo.value(variable="patients", statistic="count", arm="all") == len(p)

    disp = disposition_table(p, design=design)
    check_by_arm(disp)
    for arm in arms:
        assert disp.value(variable="randomised", statistic="count", arm=arm) == randomised[arm]
        assert disp.value(variable="treated", statistic="count", arm=arm) == treated[arm]
        assert disp.value(variable="completed", statistic="count", arm=arm) == completed[arm]

    safety = sets["safety"]
    aet = adverse_event_table(ae, safety, design=design, patients=p)
    check_by_arm(aet)
    in_safety = ae.loc[ae["patient_id"].astype(str).isin(safety.patient_ids)].merge(p[["patient_id", "arm"]])
    with_event = in_safety.groupby("arm")["patient_id"].nunique()
    for arm in arms:
        assert aet.value(variable="any", statistic="patients", arm=arm) == with_event.get(arm, 0)
        assert aet.value(variable="any", statistic="patients", arm=arm) <= treated[arm]
