"""Responses by arm: counts, rates and intervals per arm, the difference against control with its interval and p.

Expected values: the counts are written out below (built into the frames by hand); the intervals and p-values
come from R (r/make_by_arm_reference.R -> r/by_arm_reference.csv: prop.test's Wilson interval, Newcombe's
interval written out from it, fisher.test, chisq.test), and the Miettinen-Nurminen limits from the committed
stats reference (tests/stats/r/two_proportions_reference.csv). Fagerland, Lydersen and Laake (2015) publish the
7/34 against 1/34 example: difference 0.176, Newcombe 0.019 to 0.34.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from axspa.analysis_sets import AnalysisSet, controlled_sets
from axspa.design import Arm, StudyDesign
from axspa.errors import InputError
from axspa.report import response_by_arm_table
from axspa.report.tables import response_by_arm_numbers, response_by_arm_view

R = pd.read_csv(Path(__file__).parent / "r" / "by_arm_reference.csv").set_index("case")
STATS_R = Path(__file__).parents[1] / "stats" / "r" / "two_proportions_reference.csv"

DESIGN = StudyDesign(arms=(Arm("active", "Active drug"), Arm("placebo", "Placebo")), control="placebo")


def _outcomes(true: int, false: int, not_evaluable: int, no_visit: int) -> list[object]:
    return [True] * true + [False] * false + [pd.NA] * not_evaluable + [None] * no_visit


# Per arm and week: responders, non-responders, visits with the response not evaluable, no visit.
# Active, 34 patients: week 12: 7 / 20 / 2 / 5 -> NRI 7/34, observed 7/27; week 24: 12 / 13 / 0 / 9 -> 12/34, 12/25.
# Placebo, 34 patients: week 12: 1 / 25 / 3 / 5 -> NRI 1/34, observed 1/26; week 24: 5 / 17 / 2 / 10 -> 5/34, 5/22.
COUNTS = {
    "active": {12: (7, 20, 2, 5), 24: (12, 13, 0, 9)},
    "placebo": {12: (1, 25, 3, 5), 24: (5, 17, 2, 10)},
}


def trial(counts=COUNTS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Patients (one arm each) and scored visits at weeks 0, 12, 24 with the counts above."""
    patients, rows = [], []
    for arm, weeks in counts.items():
        n = sum(next(iter(weeks.values())))
        ids = [f"{arm[0].upper()}{i:02d}" for i in range(1, n + 1)]
        patients += [{"patient_id": p, "status": "completed", "arm": arm} for p in ids]
        rows += [{"patient_id": p, "week": 0, "asas20": pd.NA} for p in ids]
        for week, split in weeks.items():
            for p, outcome in zip(ids, _outcomes(*split), strict=True):
                if outcome is not None:
                    rows.append({"patient_id": p, "week": week, "asas20": outcome})
    scored = pd.DataFrame(rows)
    scored["asas20"] = scored["asas20"].astype("boolean")
    return pd.DataFrame(patients), scored


def fas(patients: pd.DataFrame, design: StudyDesign = DESIGN) -> AnalysisSet:
    return controlled_sets(patients, design)["fas"]


def close(a: float, b: float) -> bool:
    return bool(np.isclose(a, b, rtol=1e-12, atol=1e-15))


@pytest.fixture(scope="module")
def nri_table():
    patients, scored = trial()
    return response_by_arm_table(scored, fas(patients), DESIGN, weeks=[12, 24])


@pytest.mark.parametrize(("week", "case"), [(12.0, "fagerland_nri"), (24.0, "week24_nri")])
def test_nri_per_arm_and_comparison_match_r(nri_table, week, case):
    t, ref = nri_table, R.loc[case]
    for arm, x, n, low, high in (
        ("active", ref.x1, ref.n1, ref.wilson1_low, ref.wilson1_high),
        ("placebo", ref.x2, ref.n2, ref.wilson2_low, ref.wilson2_high),
    ):
        assert t.value(week=week, arm=arm, statistic="responders") == x
        assert t.value(week=week, arm=arm, statistic="n") == n
        assert close(t.value(week=week, arm=arm, statistic="rate"), x / n)
        assert close(t.value(week=week, arm=arm, statistic="ci_low"), low)
        assert close(t.value(week=week, arm=arm, statistic="ci_high"), high)
    cmp = {"week": week, "arm": "active vs placebo"}
    assert close(t.value(**cmp, statistic="difference"), ref.difference)
    assert close(t.value(**cmp, statistic="difference_ci_low"), ref.newcombe_low)
    assert close(t.value(**cmp, statistic="difference_ci_high"), ref.newcombe_high)
    assert close(t.value(**cmp, statistic="pvalue"), ref.fisher_p)


def test_published_fagerland_example(nri_table):
    cmp = {"week": 12.0, "arm": "active vs placebo"}
    assert round(nri_table.value(**cmp, statistic="difference"), 3) == 0.176
    assert round(nri_table.value(**cmp, statistic="difference_ci_low"), 3) == 0.019
    assert round(nri_table.value(**cmp, statistic="difference_ci_high"), 2) == 0.34


def test_tidy_rows_per_arm_and_comparison_name_their_methods(nri_table):
    d = nri_table.data
    assert nri_table.name == "responses_by_arm"
    at = d.loc[(d["variable"] == "asas20") & (d["week"] == 12.0)]
    assert list(dict.fromkeys(at["arm"])) == ["active", "placebo", "active vs placebo"]
    per_arm = at.loc[at["arm"] == "active"]
    assert per_arm["statistic"].tolist() == ["responders", "n", "rate", "ci_low", "ci_high"]
    assert set(per_arm["method"]) == {"Wilson score 95% CI of the rate"}
    assert per_arm["denominator"].tolist() == [34] * 5
    comparison = at.loc[at["arm"] == "active vs placebo"].set_index("statistic")
    assert comparison.index.tolist() == ["difference", "difference_ci_low", "difference_ci_high", "pvalue"]
    assert comparison.loc["difference", "method"].startswith("Newcombe hybrid score")
    assert "(active minus placebo)" in comparison.loc["difference", "method"]
    assert comparison.loc["pvalue", "method"] == "Fisher's exact test, two-sided"
    assert set(d["population"]) == {"Full analysis set"}
    assert set(d["imputation"]) == {"Non-responder imputation (NRI)"}


def test_view_one_row_per_response_and_week(nri_table):
    v = nri_table.view
    assert v.columns.tolist() == [
        "Response",
        "Week",
        "Active drug (n = 34)",
        "Placebo (n = 34)",
        "Difference, % (CI)",
        "p",
    ]
    # 7/34 = 20.59%, 1/34 = 2.94%; 17.65 (1.89 to 34.04); Fisher p 0.0544
    assert v.iloc[0].tolist() == ["ASAS20", "12", "7/34 (20.6%)", "1/34 (2.9%)", "17.6 (1.9 to 34.0)", "0.0544"]
    # 12/34 = 35.29%, 5/34 = 14.71%; 20.59 (-0.11 to 39.30); Fisher p 0.0912
    assert v.iloc[1].tolist() == ["ASAS20", "24", "12/34 (35.3%)", "5/34 (14.7%)", "20.6 (-0.1 to 39.3)", "0.0912"]


def test_notes_name_population_imputation_and_every_method(nri_table):
    text = "\n".join(nri_table.notes)
    assert "Full analysis set (n = 68)" in text and "Active drug n = 34, Placebo n = 34 (control)" in text
    assert "Non-responder imputation (NRI), the primary analysis (composite strategy of ICH E9(R1))" in text
    assert "Wilson score 95% interval" in text
    assert "Newcombe hybrid score" in text and "95% confidence interval" in text
    assert "Fisher's exact test, two-sided" in text


def test_numbers_then_view():
    patients, scored = trial()
    t = response_by_arm_table(scored, fas(patients), DESIGN, weeks=12)
    numbers = response_by_arm_numbers(scored, fas(patients), DESIGN, weeks=12)
    pd.testing.assert_frame_equal(numbers, t.data)
    pd.testing.assert_frame_equal(response_by_arm_view(numbers, DESIGN, {"active": 34, "placebo": 34}), t.view)


@pytest.mark.parametrize(("week", "case"), [(12.0, "fagerland_observed"), (24.0, "week24_observed")])
def test_observed_cases_is_the_labelled_alternative(week, case):
    patients, scored = trial()
    t = response_by_arm_table(scored, fas(patients), DESIGN, weeks=[12, 24], imputation="observed")
    ref = R.loc[case]
    assert t.value(week=week, arm="active", statistic="n") == ref.n1
    assert t.value(week=week, arm="placebo", statistic="n") == ref.n2
    cmp = {"week": week, "arm": "active vs placebo"}
    assert close(t.value(**cmp, statistic="difference_ci_low"), ref.newcombe_low)
    assert close(t.value(**cmp, statistic="difference_ci_high"), ref.newcombe_high)
    assert close(t.value(**cmp, statistic="pvalue"), ref.fisher_p)
    assert set(t.data["imputation"]) == {"Observed cases"}
    assert any("Observed cases, a sensitivity analysis (not the primary one)" in n for n in t.notes)


def test_other_interval_and_test_by_name():
    patients, scored = trial()
    t = response_by_arm_table(
        scored, fas(patients), DESIGN, weeks=12, difference_method="miettinen-nurminen", test="chi-square"
    )
    stats_ref = pd.read_csv(STATS_R).query("x1 == 7 and n1 == 34 and x2 == 1 and n2 == 34").iloc[0]
    cmp = {"arm": "active vs placebo"}
    assert close(t.value(**cmp, statistic="difference_ci_low"), stats_ref.miettinen_nurminen_low)
    assert close(t.value(**cmp, statistic="difference_ci_high"), stats_ref.miettinen_nurminen_high)
    assert close(t.value(**cmp, statistic="pvalue"), R.loc["fagerland_nri", "chisq_p"])
    methods = t.data.set_index("statistic").loc[["difference", "pvalue"], "method"]
    assert methods.iloc[0].startswith("Miettinen-Nurminen score 95% CI")
    assert methods.iloc[1] == "Pearson's chi-square test without continuity correction, two-sided"


STATISTICS = ("difference", "difference_ci_low", "difference_ci_high", "pvalue")


def test_swapping_the_control_arm_negates_the_difference_and_mirrors_its_interval(nri_table):
    patients, scored = trial()
    swapped = StudyDesign(arms=DESIGN.arms, control="active")
    t = response_by_arm_table(scored, fas(patients, swapped), swapped, weeks=[12, 24])
    for week in (12.0, 24.0):
        old = {s: nri_table.value(week=week, arm="active vs placebo", statistic=s) for s in STATISTICS}
        new = {s: t.value(week=week, arm="placebo vs active", statistic=s) for s in STATISTICS}
        assert close(new["difference"], -old["difference"])
        assert close(new["difference_ci_low"], -old["difference_ci_high"])
        assert close(new["difference_ci_high"], -old["difference_ci_low"])
        assert close(new["pvalue"], old["pvalue"])


def test_three_arms_each_against_control():
    counts = {
        "high": {12: (9, 11, 0, 0)},
        "low": {12: (5, 12, 1, 2)},
        "placebo": {12: (2, 15, 0, 3)},
    }
    design = StudyDesign(
        arms=(Arm("high", "High dose"), Arm("low", "Low dose"), Arm("placebo", "Placebo")), control="placebo"
    )
    patients, scored = trial(counts)
    t = response_by_arm_table(scored, fas(patients, design), design, weeks=12)
    for arm, case in (("high", "high_vs_placebo"), ("low", "low_vs_placebo")):
        ref = R.loc[case]
        cmp = {"arm": f"{arm} vs placebo"}
        assert close(t.value(**cmp, statistic="difference"), ref.difference)
        assert close(t.value(**cmp, statistic="difference_ci_low"), ref.newcombe_low)
        assert close(t.value(**cmp, statistic="difference_ci_high"), ref.newcombe_high)
        assert close(t.value(**cmp, statistic="pvalue"), ref.fisher_p)
    assert t.view.columns.tolist()[2:] == [
        "High dose (n = 20)",
        "Low dose (n = 20)",
        "Placebo (n = 20)",
        "High dose vs Placebo: Difference, % (CI)",
        "High dose vs Placebo: p",
        "Low dose vs Placebo: Difference, % (CI)",
        "Low dose vs Placebo: p",
    ]


def test_an_arm_without_evaluable_response_is_not_estimable_and_said():
    counts = {"active": {12: (3, 2, 0, 0)}, "placebo": {12: (0, 0, 2, 3)}}
    patients, scored = trial(counts)
    t = response_by_arm_table(scored, fas(patients), DESIGN, weeks=12, imputation="observed")
    assert t.value(arm="placebo", statistic="n") == 0
    assert np.isnan(t.value(arm="placebo", statistic="rate"))
    assert np.isnan(t.value(arm="active vs placebo", statistic="difference"))
    assert t.view.iloc[0].tolist()[2:] == ["3/5 (60.0%)", "0/0 (-)", "-", "-"]
    assert any("Not estimable" in n and "ASAS20 week 12, Placebo" in n for n in t.notes)
    # under NRI the same patients are non-responders: 3/5 against 0/5
    nri = response_by_arm_table(scored, fas(patients), DESIGN, weeks=12)
    assert nri.value(arm="placebo", statistic="n") == 5 and nri.value(arm="placebo", statistic="rate") == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weeks": 8}, r"week\(s\) \[8.0\] are not visits"),
        ({"weeks": []}, "weeks is empty"),
        ({"weeks": [12, 12]}, "more than once"),
        ({"difference_method": "newcombe-wilson"}, "difference_method must be one of"),
        ({"test": "mcnemar"}, "test must be one of"),
        ({"ci_method": "wald"}, "ci_method must be one of"),
        ({"imputation": "locf"}, "imputation for responses must be one of"),
        ({"confidence_level": 95}, r"confidence_level must be in \(0, 1\)"),
        ({"responses": "asas20"}, "must be a sequence of column names"),
        ({"responses": ["asas40"]}, r"lacks column\(s\) \['asas40'\]"),
    ],
)
def test_bad_options_are_errors(change, message):
    patients, scored = trial()
    kwargs = {"weeks": [12], **change}
    with pytest.raises(InputError, match=message):
        response_by_arm_table(scored, fas(patients), DESIGN, **kwargs)


def test_population_and_design_must_describe_a_controlled_trial():
    patients, scored = trial()
    population = fas(patients)
    single = AnalysisSet("all", "All", "every patient", population.patient_ids)
    with pytest.raises(InputError, match="has no arms: the study is not a controlled trial"):
        response_by_arm_table(scored, single, DESIGN, weeks=12)
    with pytest.raises(InputError, match="names no control arm"):
        response_by_arm_table(scored, population, StudyDesign(arms=DESIGN.arms), weeks=12)
    with pytest.raises(InputError, match="needs the design of a controlled study"):
        response_by_arm_table(scored, population, StudyDesign(), weeks=12)
    only_active = AnalysisSet("x", "Active only", "one arm", population.patient_ids[:34], arms=("active",) * 34)
    with pytest.raises(InputError, match=r"arm\(s\) \['placebo'\] have no patient in 'Active only'"):
        response_by_arm_table(scored, only_active, DESIGN, weeks=12)
