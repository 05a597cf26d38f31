"""Change from baseline by arm: observed summaries, MMRM or ANCOVA, and the exact rank-sum test with the HL shift.

Expected values come from outside the code:
- the MMRM rows from the committed nlme::gls + emmeans reference of the stats tests (tests/stats/r/
  make_mmrm_reference.R: generated trials 1 (20 patients, 2 visits, balanced) and 9 (30 patients, 3 visits,
  monotone dropout), both with baseline and region; degrees of freedom from the exact REML Hessian); the
  scored frame holds baseline = base at week 0 and base + y at each visit, so the change is the reference's y;
- the ANCOVA rows from the committed lm + emmeans reference (tests/stats/r/make_ancova_reference.R: trial 1,
  12 patients, change ~ arm + base; trial 8, 150 patients in three arms, change ~ arm + base + region);
- the rank-sum row from coin::wilcox_test (r/make_by_arm_reference.R -> r/by_arm_rank_sum_reference.csv);
- observed means and SDs by hand, written out in the tests.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from axspa.analysis_sets import AnalysisSet, controlled_sets
from axspa.design import Arm, StudyDesign
from axspa.errors import ComputationError, InputError
from axspa.report import change_by_arm_table
from axspa.report.tables import change_by_arm, change_by_arm_numbers, change_by_arm_view

STATS_R = Path(__file__).parents[1] / "stats" / "r"
RANK_SUM_R = pd.read_csv(Path(__file__).parent / "r" / "by_arm_rank_sum_reference.csv").set_index("arm")
RTOL = 1e-7

DESIGN = StudyDesign(arms=(Arm("active", "Active drug"), Arm("placebo", "Placebo")), control="placebo")


def trial_from(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Patients and scored visits from a reference trial: week 0 holds the baseline, each visit baseline + y."""
    first = data.drop_duplicates("id")
    patients = pd.DataFrame(
        {"patient_id": first["id"].astype(str), "status": "completed", "arm": first["arm"].str.lower()}
    )
    if "region" in data.columns and first["region"].notna().all():
        patients["region"] = first["region"].to_numpy()
    weeks = data["week"] if "week" in data.columns else 12
    scored = pd.concat(
        [
            pd.DataFrame({"patient_id": patients["patient_id"], "week": 0, "basdai": first["base"].to_numpy()}),
            pd.DataFrame({"patient_id": data["id"].astype(str), "week": weeks, "basdai": data["base"] + data["y"]}),
        ],
        ignore_index=True,
    )
    return patients.reset_index(drop=True), scored


def design_of(arms: list[str], strata: tuple[str, ...] = ()) -> StudyDesign:
    return StudyDesign(arms=tuple(Arm(a, a.title()) for a in arms), control="placebo", strata=strata)


def check(actual: float, expected: float, rtol: float = RTOL) -> None:
    assert np.isclose(actual, expected, rtol=rtol, atol=0), (actual, expected)


# ---------------------------------------------------------------------------------------------------------
# MMRM against nlme::gls


@pytest.mark.parametrize("dataset", [1, 9])
def test_mmrm_rows_match_nlme_gls(dataset):
    data = pd.read_csv(STATS_R / "mmrm_datasets.csv").query("dataset == @dataset")
    patients, scored = trial_from(data)
    design = design_of(["druga", "placebo"], strata=("region",))
    fas = controlled_sets(patients, design)["fas"]
    t = change_by_arm_table(scored, fas, design, measures=["basdai"], patients=patients)
    lsmeans = pd.read_csv(STATS_R / "mmrm_reference_lsmeans.csv").query(
        "dataset == @dataset and structure == 'unstructured'"
    )
    differences = pd.read_csv(STATS_R / "mmrm_reference_differences.csv").query(
        "dataset == @dataset and structure == 'unstructured'"
    )
    assert len(lsmeans) and len(differences)
    for r in lsmeans.itertuples():
        where = {"arm": r.arm.lower(), "week": float(r.week)}
        check(t.value(**where, statistic="lsmean"), r.estimate, 1e-6)
        check(t.value(**where, statistic="lsmean_se"), r.se, 1e-6)
    for r in differences.itertuples():
        where = {"arm": "druga vs placebo", "week": float(r.week)}
        check(t.value(**where, statistic="difference"), r.estimate, 1e-6)
        check(t.value(**where, statistic="difference_se"), r.se, 1e-6)
        check(t.value(**where, statistic="df"), r.df, 1e-3)
        # the interval and p on t(df) from the reference's estimate, SE and df
        q = sps.t.ppf(0.975, r.df)
        check(t.value(**where, statistic="difference_ci_low"), r.estimate - q * r.se, 1e-5)
        check(t.value(**where, statistic="difference_ci_high"), r.estimate + q * r.se, 1e-5)
        check(t.value(**where, statistic="pvalue"), 2 * sps.t.sf(abs(r.estimate / r.se), r.df), 1e-4)
    model_rows = t.data.loc[t.data["statistic"].isin(["lsmean", "difference"])]
    assert model_rows["method"].str.startswith("MMRM (REML), unstructured").all()
    assert model_rows["method"].str.endswith("change ~ arm * visit + baseline * visit + strata").all()
    assert set(model_rows["imputation"]) == {"None: MMRM on all observed visits (missing at random)"}
    assert set(t.view["Model"]) == {"", "MMRM"}
    text = "\n".join(t.notes)
    assert "mixed model for repeated measures (MMRM)" in text and "+ region (stratification factors)" in text
    assert "unstructured covariance" in text and "Satterthwaite" in text and "missing at random" in text


# ---------------------------------------------------------------------------------------------------------
# ANCOVA against lm + emmeans


def ancova_reference(dataset: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    lsm = pd.read_csv(STATS_R / "ancova_reference_lsmeans.csv")
    dif = pd.read_csv(STATS_R / "ancova_reference_differences.csv")
    return (
        lsm.query("dataset == @dataset and interval == 't' and weighting == 'equal'"),
        dif.query("dataset == @dataset and interval == 't'"),
    )


@pytest.mark.parametrize(
    ("dataset", "arms", "strata"), [(1, ["druga", "placebo"], ()), (8, ["druga", "drugb", "placebo"], ("region",))]
)
def test_ancova_rows_match_lm_and_emmeans(dataset, arms, strata):
    data = pd.read_csv(STATS_R / "ancova_datasets.csv").query("dataset == @dataset")
    data = data.assign(id=[f"P{i:03d}" for i in range(len(data))])
    patients, scored = trial_from(data if strata else data.drop(columns="region"))
    design = design_of(arms, strata)
    fas = controlled_sets(patients, design)["fas"]
    t = change_by_arm_table(scored, fas, design, measures=["basdai"], patients=patients if strata else None)
    lsmeans, differences = ancova_reference(dataset)
    assert len(lsmeans) == len(arms) and len(differences) == len(arms) - 1
    for r in lsmeans.itertuples():
        where = {"arm": r.arm.lower(), "week": 12.0}
        check(t.value(**where, statistic="lsmean"), r.estimate, 1e-8)
        check(t.value(**where, statistic="lsmean_se"), r.se, 1e-8)
    for r in differences.itertuples():
        where = {"arm": f"{r.contrast.split(' - ')[0].lower()} vs placebo", "week": 12.0}
        for statistic, expected in (
            ("difference", r.estimate),
            ("difference_se", r.se),
            ("df", r.df),
            ("difference_ci_low", r.low),
            ("difference_ci_high", r.high),
            ("pvalue", r.pvalue),
        ):
            check(t.value(**where, statistic=statistic), expected, 1e-8)
    methods = t.data.loc[t.data["statistic"] == "difference", "method"]
    words = " + strata" if strata else ""
    expected = f"ANCOVA (OLS), t interval on the residual df; change ~ arm + baseline{words} at the visit"
    assert (methods == expected).all()
    assert set(t.data.loc[t.data["statistic"] == "lsmean", "imputation"]) == {"Observed cases"}
    assert any(
        "ANCOVA (ordinary least squares) at each visit" in n and "observed cases at the visit" in n for n in t.notes
    )


# ---------------------------------------------------------------------------------------------------------
# Observed summaries and the rank-sum test on a small trial written out by hand


def small_trial() -> tuple[pd.DataFrame, AnalysisSet]:
    """Active A1-A5, changes 2, 4, 4, 5, 7; placebo P1-P4, changes 1, 2, 3, 3; P5 without a week-12 visit;
    A6 without a baseline value. Baselines 5, 6, 5, 6, 5 (active) and 6, 5, 6, 5, 4 (placebo)."""
    active_base, active_chg = [5.0, 6.0, 5.0, 6.0, 5.0], [2.0, 4.0, 4.0, 5.0, 7.0]
    placebo_base, placebo_chg = [6.0, 5.0, 6.0, 5.0], [1.0, 2.0, 3.0, 3.0]
    rows = []
    for i, (b, c) in enumerate(zip(active_base, active_chg, strict=True), start=1):
        rows += [(f"A{i}", 0, b), (f"A{i}", 12, b + c)]
    for i, (b, c) in enumerate(zip(placebo_base, placebo_chg, strict=True), start=1):
        rows += [(f"P{i}", 0, b), (f"P{i}", 12, b + c)]
    rows += [("P5", 0, 4.0), ("A6", 0, np.nan), ("A6", 12, 9.0)]
    scored = pd.DataFrame(rows, columns=["patient_id", "week", "basdai"])
    ids = ("A1", "A2", "A3", "A4", "A5", "A6", "P1", "P2", "P3", "P4", "P5")
    fas = AnalysisSet("fas", "Full analysis set", "all randomised", ids, arms=("active",) * 6 + ("placebo",) * 5)
    return scored, fas


@pytest.fixture(scope="module")
def small():
    scored, fas = small_trial()
    return change_by_arm_table(scored, fas, DESIGN, measures=["basdai"])


def test_observed_values_and_changes_by_hand(small):
    at = {"arm": "active", "week": 12.0}
    # values 7, 10, 9, 11, 12 and A6's 9: n 6, mean 58/6 = 9.6667, SD sqrt((46/3) / 5) = 1.7512
    assert small.value(**at, statistic="n") == 6
    check(small.value(**at, statistic="mean"), 58 / 6, 1e-12)
    # sum of squares 576 - 58^2 / 6 = 46 / 3
    check(small.value(**at, statistic="sd"), np.sqrt(46 / 3 / 5), 1e-12)
    # changes 2, 4, 4, 5, 7 (A6 has no baseline): mean 4.4, SD sqrt(13.2 / 4) = 1.8166
    assert small.value(**at, statistic="chg_n") == 5
    check(small.value(**at, statistic="chg_mean"), 4.4, 1e-12)
    check(small.value(**at, statistic="chg_sd"), np.sqrt(13.2 / 4), 1e-12)
    # placebo at baseline: 6, 5, 6, 5, 4 -> n 5, mean 5.2; at week 12 changes 1, 2, 3, 3: mean 2.25
    assert small.value(arm="placebo", week=0.0, statistic="n") == 5
    check(small.value(arm="placebo", week=0.0, statistic="mean"), 5.2, 1e-12)
    check(small.value(arm="placebo", week=12.0, statistic="chg_mean"), 2.25, 1e-12)
    assert not ((small.data["week"] == 0.0) & small.data["statistic"].str.startswith("chg")).any()


def test_rank_sum_and_shift_match_coin(small):
    ref = RANK_SUM_R.loc["active"]
    where = {"arm": "active vs placebo", "week": 12.0}
    check(small.value(**where, statistic="rank_sum_pvalue"), ref.pvalue, 1e-9)
    assert small.value(**where, statistic="shift") == ref["shift"]
    assert small.value(**where, statistic="shift_ci_low") == ref.low
    assert small.value(**where, statistic="shift_ci_high") == ref.high
    methods = small.data.set_index("statistic").loc[["rank_sum_pvalue", "shift"], "method"].tolist()
    assert methods[0] == "Wilcoxon rank-sum test of change, exact conditional distribution given ties, two-sided"
    assert methods[1] == (
        "Hodges-Lehmann shift of change (active minus placebo), exact 95% CI by inverting the rank-sum test"
    )


def test_view_of_the_small_trial(small):
    v = small.view.set_index("Week")
    assert v.loc["0 (baseline)", "Active drug: change ± SD (n)"] == ""
    row = v.loc["12"]
    assert row["Active drug: mean ± SD (n)"] == "9.67 ± 1.75 (6)"
    assert row["Active drug: change ± SD (n)"] == "4.40 ± 1.82 (5)"
    assert row["Placebo: change ± SD (n)"] == "2.25 ± 0.96 (4)"
    assert row["Model"] == "ANCOVA"
    assert row["HL shift (CI)"] == "2.00 (0.00 to 5.00)"
    assert row["p (rank-sum)"] == "0.0873"
    assert any("No baseline value" in n and "BASDAI" in n and "1 patient" in n for n in small.notes)


def test_numbers_then_view():
    scored, fas = small_trial()
    t = change_by_arm_table(scored, fas, DESIGN, measures=["basdai"])
    numbers = change_by_arm_numbers(scored, fas, DESIGN, measures=["basdai"])
    pd.testing.assert_frame_equal(numbers, t.data)
    pd.testing.assert_frame_equal(change_by_arm_view(numbers, DESIGN), t.view)


def test_swapping_the_control_arm_negates_differences_and_shifts(small):
    scored, fas = small_trial()
    swapped = StudyDesign(arms=DESIGN.arms, control="active")
    t = change_by_arm_table(scored, fas, swapped, measures=["basdai"])
    ref = RANK_SUM_R.loc["placebo"]
    new = {"arm": "placebo vs active", "week": 12.0}
    old = {"arm": "active vs placebo", "week": 12.0}
    assert t.value(**new, statistic="shift") == ref["shift"]
    assert (t.value(**new, statistic="shift_ci_low"), t.value(**new, statistic="shift_ci_high")) == (ref.low, ref.high)
    for a, b in (("difference", "difference"), ("difference_ci_low", "difference_ci_high"), ("shift", "shift")):
        check(t.value(**new, statistic=a), -small.value(**old, statistic=b), 1e-12)
    check(t.value(**new, statistic="pvalue"), small.value(**old, statistic="pvalue"), 1e-12)
    check(t.value(**new, statistic="rank_sum_pvalue"), small.value(**old, statistic="rank_sum_pvalue"), 1e-12)


def test_rank_sum_can_be_left_out(small):
    scored, fas = small_trial()
    t = change_by_arm_table(scored, fas, DESIGN, measures=["basdai"], rank_sum=False)
    assert not t.data["statistic"].str.contains("shift|rank_sum").any()
    assert len(t.data) == len(small.data) - 5


# ---------------------------------------------------------------------------------------------------------
# The model's choice and what happens when it cannot be fitted


def two_visit_trial() -> tuple[pd.DataFrame, AnalysisSet]:
    """Six patients per arm at weeks 0, 4 and 12 (numbers made up; only the structure matters here)."""
    rng = np.random.default_rng(7)
    ids = [f"A{i}" for i in range(6)] + [f"P{i}" for i in range(6)]
    rows = [(p, w, 5.0 + rng.normal()) for p in ids for w in (0, 4, 12)]
    fas = AnalysisSet("fas", "FAS", "all randomised", tuple(ids), arms=("active",) * 6 + ("placebo",) * 6)
    return pd.DataFrame(rows, columns=["patient_id", "week", "basdai"]), fas


def test_auto_is_mmrm_over_two_visits_and_ancova_at_one():
    scored, fas = two_visit_trial()
    both = change_by_arm_table(scored, fas, DESIGN, measures=["basdai"])
    one = change_by_arm_table(scored, fas, DESIGN, measures=["basdai"], weeks=[12])
    forced = change_by_arm_table(scored, fas, DESIGN, measures=["basdai"], model="ancova")

    def models(t):
        rows = t.data.loc[t.data["statistic"] == "difference"]
        return dict(zip(rows["week"], rows["method"].str.split(" ").str[0], strict=True))

    assert models(both) == {4.0: "MMRM", 12.0: "MMRM"}
    assert models(one) == {12.0: "ANCOVA"}
    assert models(forced) == {4.0: "ANCOVA", 12.0: "ANCOVA"}
    # the ANCOVA at week 12 is the same fit whether or not week 4 is in the table
    check(
        forced.value(arm="active vs placebo", week=12.0, statistic="difference"),
        one.value(arm="active vs placebo", week=12.0, statistic="difference"),
        1e-12,
    )
    with pytest.raises(InputError, match="model='mmrm' needs at least two post-baseline visits; got week 12 only"):
        change_by_arm_table(scored, fas, DESIGN, measures=["basdai"], weeks=[12], model="mmrm")


def test_a_model_that_does_not_converge_is_said_and_gives_no_rows(monkeypatch):
    scored, fas = two_visit_trial()

    def fails(*args, **kwargs):
        raise ComputationError("the MMRM did not converge: no Newton step increases the REML log-likelihood")

    monkeypatch.setattr(change_by_arm, "mmrm", fails)
    t = change_by_arm_table(scored, fas, DESIGN, measures=["basdai"])
    assert not t.data["statistic"].isin(["lsmean", "lsmean_se", "difference", "pvalue"]).any()
    assert t.data["statistic"].isin(["chg_mean", "rank_sum_pvalue"]).any()
    assert any(
        n.startswith("BASDAI (0-10): the MMRM was not fitted, so no LS means are shown: the MMRM did not converge")
        for n in t.notes
    )
    assert set(t.view.loc[t.view["Week"] != "0 (baseline)", "Model"]) == {"not fitted"}


def test_a_visit_the_model_cannot_use_is_said():
    scored, fas = two_visit_trial()
    # week 12 only for A0: the MMRM needs at least two observations at every visit
    keep = (scored["week"] != 12) | (scored["patient_id"] == "A0")
    t = change_by_arm_table(scored.loc[keep], fas, DESIGN, measures=["basdai"], weeks=[4, 12])
    assert not t.data["statistic"].isin(["lsmean"]).any()
    assert any("the MMRM was not fitted" in n and "visit 12.0 has 1 observation" in n for n in t.notes)
    assert any("Rank-sum test not done (BASDAI (0-10) week 12, Active drug vs Placebo)" in n for n in t.notes)


# ---------------------------------------------------------------------------------------------------------
# Strata and bad input


def test_strata_come_from_the_patients_frame_or_are_an_error():
    scored, fas = two_visit_trial()
    design = StudyDesign(arms=DESIGN.arms, control="placebo", strata=("prior_tnfi",))
    with pytest.raises(InputError, match=r"stratified by \['prior_tnfi'\].*pass the patients frame"):
        change_by_arm_table(scored, fas, design, measures=["basdai"])
    patients = pd.DataFrame({"patient_id": list(fas.patient_ids), "prior_tnfi": ["yes", "no"] * 6})
    t = change_by_arm_table(scored, fas, design, measures=["basdai"], patients=patients)
    assert t.data.loc[t.data["statistic"] == "difference", "method"].str.endswith("+ strata").all()
    patients.loc[3, "prior_tnfi"] = None
    with pytest.raises(InputError, match=r"missing for patient\(s\) \['A3'\]"):
        change_by_arm_table(scored, fas, design, measures=["basdai"], patients=patients)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"measures": ["esr"]}, r"lacks column\(s\) \['esr'\]"),
        ({"measures": "basdai"}, "must be a sequence of column names"),
        ({"measures": ["flag"]}, "measure 'flag' must be a numeric column"),
        ({"baseline_week": 2}, r"baseline_week: week\(s\) \[2.0\] are not visits"),
        ({"weeks": [0, 12]}, r"weeks must be after baseline_week 0; got \[0.0\]"),
        ({"weeks": [16]}, r"week\(s\) \[16.0\] are not visits"),
        ({"model": "gee"}, "model must be one of"),
        ({"covariance": "toeplitz"}, "covariance must be one of"),
        ({"confidence_level": 0}, r"confidence_level must be in \(0, 1\)"),
        ({"rank_sum": "yes"}, "rank_sum must be one of"),
    ],
)
def test_bad_input_is_an_error(change, message):
    scored, fas = two_visit_trial()
    scored = scored.assign(flag=True)
    kwargs = {"measures": ["basdai"], **change}
    with pytest.raises(InputError, match=message):
        change_by_arm_table(scored, fas, DESIGN, **kwargs)


def test_population_without_arms_is_an_error():
    scored, fas = two_visit_trial()
    with pytest.raises(InputError, match="has no arms"):
        change_by_arm_table(scored, AnalysisSet("all", "All", "everyone", fas.patient_ids), DESIGN, measures=["basdai"])
