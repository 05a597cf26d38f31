"""Table numbers pinned against hand arithmetic and R (tests/report/reference_values.R and .txt)."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axspa.analysis_sets import AnalysisSet, completers, excluding_withdrawals, standard_sets
from axspa.errors import InputError
from axspa.report.table import TIDY_COLUMNS, Table
from axspa.report.tables import (
    adverse_event_table,
    demographics_table,
    disposition_table,
    outcomes_table,
    response_table,
)
from axspa.stats import SignedRankConvention

from .data import (
    reference_like_patients,
    reference_like_scored,
    toy_adverse_events,
    toy_patients,
    toy_scored,
)

# R: binom.test(x, n)$conf.int (reference_values.txt)
CP = {
    (2, 3): (0.0942993241, 0.9915962413),
    (2, 4): (0.0675859865, 0.9324140135),
    (2, 5): (0.0527449505, 0.8533672004),
    (1, 3): (0.0084037587, 0.9057006759),
    (1, 4): (0.0063094632, 0.8058795503),
    (1, 5): (0.0050507634, 0.7164179361),
    (8, 8): (0.6305833524, 1.0),
    (8, 10): (0.4439045377, 0.9747892737),
    (8, 13): (0.3157776029, 0.8614206611),
    (4, 8): (0.1570127705, 0.8429872295),
    (4, 10): (0.1215522581, 0.7376219234),
    (4, 13): (0.0909203946, 0.6142616618),
}


def approx(x, rel=1e-8, tol=1e-9):
    return pytest.approx(x, rel=rel, abs=tol)


def stat(table: Table, **where) -> float:
    return table.value(**where)


def check_tidy(table: Table) -> None:
    """Every row names its population, denominator, imputation and method."""
    assert list(table.data.columns) == list(TIDY_COLUMNS)
    for col in ("population", "imputation", "method"):
        assert (table.data[col].str.len() > 0).all(), col
    assert table.data["denominator"].notna().all()
    assert any(n.startswith("Population:") for n in table.notes)


# ------------------------------------------------------------------------------------------------
# Responses: the reference study's denominators
# ------------------------------------------------------------------------------------------------


def test_reference_response_denominators_8_of_8_10_13():
    p, s = reference_like_patients(), reference_like_scored()
    sets = list(standard_sets(p).values())
    t = response_table(s, sets, week=24, responses=["asas20", "asas40"])
    check_tidy(t)
    for label, n, k40 in (
        ("Completers", 8, 4),
        ("Enrolled minus withdrawals for adverse events", 10, 4),
        ("All enrolled (treated)", 13, 4),
    ):
        assert stat(t, population=label, variable="asas20", statistic="responders") == 8
        assert stat(t, population=label, variable="asas20", statistic="denominator") == n
        assert stat(t, population=label, variable="asas20", statistic="proportion") == approx(8 / n)
        lo, hi = CP[(8, n)]
        assert stat(t, population=label, variable="asas20", statistic="ci_low") == approx(lo)
        assert stat(t, population=label, variable="asas20", statistic="ci_high") == approx(hi)
        assert stat(t, population=label, variable="asas40", statistic="responders") == k40
        lo, hi = CP[(4, n)]
        assert stat(t, population=label, variable="asas40", statistic="ci_low") == approx(lo)
        assert stat(t, population=label, variable="asas40", statistic="ci_high") == approx(hi)
    # Closed form for 8/8: lower limit = 0.025 ** (1/8) = 0.63058...
    assert stat(t, population="Completers", variable="asas20", statistic="ci_low") == approx(0.025 ** (1 / 8))
    assert set(t.data["imputation"]) == {"Non-responder imputation (NRI)"}
    assert set(t.data["method"]) == {"Clopper-Pearson exact 95% CI"}
    view = t.view.set_index(["Response", "Population"])
    assert (
        view.loc[("ASAS20", "Enrolled minus withdrawals for adverse events (n = 10)"), "Responders / denominator"]
        == "8/10"
    )
    assert view.loc[("ASAS20", "Enrolled minus withdrawals for adverse events (n = 10)"), "%"] == "80.0"
    # 0.4439 -> 44.4, 0.9748 -> 97.5
    assert (
        view.loc[("ASAS20", "Enrolled minus withdrawals for adverse events (n = 10)"), "Clopper-Pearson exact 95% CI"]
        == "44.4 to 97.5"
    )
    assert view.loc[("ASAS20", "All enrolled (treated) (n = 13)"), "%"] == "61.5"  # 8/13 = 61.538


def test_observed_cases_responses_use_evaluable_denominator():
    p, s = reference_like_patients(), reference_like_scored()
    t = response_table(s, [standard_sets(p)["enrolled"]], week=24, responses=["asas20"], imputation="observed")
    # Only the 8 completers have a week-24 response: 8/8 even over all enrolled.
    assert stat(t, variable="asas20", statistic="denominator") == 8
    assert t.data["imputation"].iloc[0] == "Observed cases"


def test_toy_responses_week_12():
    p, s = toy_patients(), toy_scored()
    sets = list(standard_sets(p).values())
    t = response_table(s, sets, week=12, responses=["asas20", "asas40"])
    # ASAS20 at week 12: A and B respond, C does not, D and E have no week-12 visit.
    for label, n in (
        ("Completers", 3),
        ("Enrolled minus withdrawals for adverse events", 4),
        ("All enrolled (treated)", 5),
    ):
        assert stat(t, population=label, variable="asas20", statistic="responders") == 2
        assert stat(t, population=label, variable="asas40", statistic="responders") == 1
        assert stat(t, population=label, variable="asas20", statistic="ci_low") == approx(CP[(2, n)][0])
        assert stat(t, population=label, variable="asas40", statistic="ci_high") == approx(CP[(1, n)][1])


def test_wilson_and_jeffreys_are_labelled():
    p, s = reference_like_patients(), reference_like_scored()
    t = response_table(s, [excluding_withdrawals(p)], week=24, responses=["asas20"], ci_method="wilson")
    # R: prop.test(8, 10, correct = FALSE)$conf.int gives 0.4901625 0.9433178 (Wilson)
    assert stat(t, statistic="ci_low") == approx(0.490, tol=5e-4)
    assert stat(t, statistic="ci_high") == approx(0.943, tol=5e-4)
    assert t.data["method"].iloc[0] == "Wilson score 95% CI"


def test_response_table_errors():
    p, s = reference_like_patients(), reference_like_scored()
    sets = [completers(p)]
    with pytest.raises(InputError, match="lacks column"):
        response_table(s, sets, week=24, responses=["asas_5of6"])
    with pytest.raises(InputError, match="imputation"):
        response_table(s, sets, week=24, imputation="locf")
    with pytest.raises(InputError, match="ci_method"):
        response_table(s, sets, week=24, ci_method="wald")
    with pytest.raises(InputError, match="at least one"):
        response_table(s, [], week=24)
    with pytest.raises(InputError, match="not a visit"):
        response_table(s, sets, week=26)


# ------------------------------------------------------------------------------------------------
# Outcomes
# ------------------------------------------------------------------------------------------------


def test_toy_outcomes_completers_observed_by_hand_and_r():
    p, s = toy_patients(), toy_scored()
    t = outcomes_table(s, completers(p), measures=["basdai", "esr_mm_h"])
    check_tidy(t)

    def v(measure, week, level, statistic):
        return stat(t, variable=measure, week=week, level=level, statistic=statistic)

    # Week 0, completers A, B, C: BASDAI 6, 4, 8: mean 6, SD sqrt(((0)^2 + 2^2 + 2^2) / 2) = 2.
    assert v("basdai", 0.0, "visit", "n") == 3
    assert v("basdai", 0.0, "visit", "mean") == approx(6.0)
    assert v("basdai", 0.0, "visit", "sd") == approx(2.0)
    # Week 4: C missed the visit; A 5.0, B 4.5: mean 4.75, SD 0.5 / sqrt(2).
    assert v("basdai", 4.0, "visit", "n") == 2
    assert v("basdai", 4.0, "visit", "mean") == approx(4.75)
    assert v("basdai", 4.0, "visit", "sd") == approx(0.5 / math.sqrt(2))
    # Week 4 paired (A, B): baseline 6, 4 -> mean 5, SD sqrt(2); changes -1, +0.5 -> mean -0.25,
    # SD 1.5 / sqrt(2). R: V = 1, p = 1, HL = -0.25, CI [-1, 0.5].
    assert v("basdai", 4.0, "paired", "n") == 2
    assert v("basdai", 4.0, "paired", "baseline_mean") == approx(5.0)
    assert v("basdai", 4.0, "paired", "baseline_sd") == approx(math.sqrt(2))
    assert v("basdai", 4.0, "paired", "change_mean") == approx(-0.25)
    assert v("basdai", 4.0, "paired", "change_sd") == approx(1.5 / math.sqrt(2))
    assert v("basdai", 4.0, "paired", "statistic") == approx(1.0)
    assert v("basdai", 4.0, "paired", "pvalue") == approx(1.0)
    assert v("basdai", 4.0, "paired", "hl_estimate") == approx(-0.25)
    assert v("basdai", 4.0, "paired", "hl_ci_low") == approx(-1.0)
    assert v("basdai", 4.0, "paired", "hl_ci_high") == approx(0.5)
    # Week 12: 3, 2, 5: mean 10/3, SD sqrt(21/9); changes -3, -2, -3: mean -8/3, SD sqrt(1/3).
    # R: V = 0, exact p = 2/8 = 0.25; Walsh averages -3,-3,-3,-2.5,-2.5,-2 -> HL -2.75, CI [-3, -2].
    assert v("basdai", 12.0, "paired", "n") == 3
    assert v("basdai", 12.0, "paired", "mean") == approx(10 / 3)
    assert v("basdai", 12.0, "paired", "sd") == approx(math.sqrt(21 / 9))
    assert v("basdai", 12.0, "paired", "change_mean") == approx(-8 / 3)
    assert v("basdai", 12.0, "paired", "change_sd") == approx(math.sqrt(1 / 3))
    assert v("basdai", 12.0, "paired", "statistic") == approx(0.0)
    assert v("basdai", 12.0, "paired", "pvalue") == approx(0.25)
    assert v("basdai", 12.0, "paired", "hl_estimate") == approx(-2.75)
    assert v("basdai", 12.0, "paired", "hl_ci_low") == approx(-3.0)
    assert v("basdai", 12.0, "paired", "hl_ci_high") == approx(-2.0)
    # ESR week 12: 20, 25, 40 vs 40, 30, 50: changes -20, -5, -10; R: p 0.25, HL -11.25, CI [-20, -5].
    assert v("esr_mm_h", 12.0, "paired", "hl_estimate") == approx(-11.25)
    assert v("esr_mm_h", 12.0, "paired", "hl_ci_low") == approx(-20.0)
    assert v("esr_mm_h", 12.0, "paired", "pvalue") == approx(0.25)
    # Population, denominator, imputation and convention on every row
    rows = t.data[(t.data["variable"] == "basdai") & (t.data["week"] == 12.0) & (t.data["level"] == "paired")]
    assert set(rows["denominator"]) == {3}
    assert set(rows["population"]) == {"Completers"}
    assert set(rows["imputation"]) == {"Observed cases"}
    p_method = rows.loc[rows["statistic"] == "pvalue", "method"].iloc[0]
    assert "exact" in p_method and "zero differences dropped" in p_method and "two-sided" in p_method
    # The view rounds half away from zero: mean 10/3 -> 3.33, SD 1.5275 -> 1.53; p 0.25 -> 0.2500
    view = t.view.set_index(["Measure", "Week"])
    row = view.loc[("BASDAI (0-10)", "12")]
    assert row["Visit (paired)"] == "3.33 ± 1.53"
    assert row["Change (paired)"] == "-2.67 ± 0.58"
    assert row["HL change (CI)"] == "-2.75 (-3.00 to -2.00)"
    assert row["p"] == "0.2500"
    assert view.loc[("BASDAI (0-10)", "4"), "Mean ± SD at visit"] == "4.75 ± 0.35"


def test_toy_outcomes_locf_fills_missed_visit():
    p, s = toy_patients(), toy_scored()
    t = outcomes_table(s, completers(p), measures=["basdai"], imputation="locf")
    # C's week 4 takes its baseline 8.0: week 4 values 5, 4.5, 8 -> mean 17.5 / 3.
    assert stat(t, variable="basdai", week=4.0, level="visit", statistic="n") == 3
    assert stat(t, variable="basdai", week=4.0, level="visit", statistic="mean") == approx(17.5 / 3)
    assert "LOCF" in t.data["imputation"].iloc[0]
    assert any("Values imputed: basdai: 1" in n for n in t.notes)


def test_reference_basfi_with_ties_and_zero_against_r():
    p, s = reference_like_patients(), reference_like_scored()
    t = outcomes_table(s, completers(p), measures=["basfi"], weeks=[0, 24])

    # R (reference_values.txt): mean 4.8125 -> 3.75, SDs 2.0343040228 / 1.0350983390;
    # change mean -1.0625, SD 1.2659694196; zero dropped, 7 non-zero, V = 3, exact p 0.078125
    # (enumeration of 2^7 sign patterns = exactRankTests::wilcox.exact = coin exact).
    def v(statistic):
        return stat(t, variable="basfi", week=24.0, level="paired", statistic=statistic)

    assert v("baseline_mean") == approx(4.8125)
    assert v("baseline_sd") == approx(2.0343040228)
    assert v("mean") == approx(3.75)
    assert v("sd") == approx(1.0350983390)
    assert v("change_sd") == approx(1.2659694196)
    assert v("statistic") == approx(3.0)
    assert v("pvalue") == approx(0.078125)
    # Walsh median of the 7 non-zero differences (zeros dropped, like the test): -1.25;
    # R exactRankTests::wilcox.exact(conf.int = TRUE): 95% CI [-2.5, 0].
    assert v("hl_estimate") == approx(-1.25)
    assert v("hl_ci_low") == approx(-2.5)
    assert v("hl_ci_high") == approx(0.0)


def test_outcomes_pratt_convention_is_recorded():
    p, s = reference_like_patients(), reference_like_scored()
    conv = SignedRankConvention(zero_method="pratt")
    t = outcomes_table(s, completers(p), measures=["basfi"], weeks=[0, 24], test=conv)
    method = t.data.loc[t.data["statistic"] == "pvalue", "method"].iloc[0]
    assert "Pratt" in method
    with pytest.raises(InputError, match="zero_method"):
        SignedRankConvention(zero_method="drop")


def test_display_units_convert_with_units_module():
    s = toy_scored().assign(crp_mg_l=[10.0, 5.0, 2.0, 20.0, 10.0, 30.0, 15.0, 40.0, 10.0, 10.0, 10.0])
    p = toy_patients()
    t = outcomes_table(s, completers(p), measures=["crp_mg_l"], display_units={"crp_mg_l": "crp_mg_dl"})
    # week 0 completers: A 10, B 20, C 15 mg/L = 1.0, 2.0, 1.5 mg/dL: mean 1.5
    assert stat(t, variable="crp_mg_dl", week=0.0, level="visit", statistic="mean") == approx(1.5)
    assert any("converted" in n for n in t.notes)


def test_outcomes_errors():
    p, s = toy_patients(), toy_scored()
    with pytest.raises(InputError, match="baseline_week"):
        outcomes_table(s, completers(p), measures=["basdai"], baseline_week=1)
    with pytest.raises(InputError, match="lacks column"):
        outcomes_table(s, completers(p), measures=["basfi"])
    with pytest.raises(InputError, match="imputation"):
        outcomes_table(s, completers(p), measures=["basdai"], imputation="nri")
    with pytest.raises(InputError, match="have no visits"):
        outcomes_table(s, completers(p), measures=["basdai"], weeks=[0, 8])


# ------------------------------------------------------------------------------------------------
# Demographics, disposition, adverse events
# ------------------------------------------------------------------------------------------------


def test_demographics_mean_or_median_with_range():
    p = toy_patients()
    t = demographics_table(p, center={"disease_duration_years": "median"})
    check_tidy(t)
    # Ages 30, 41, 25, 52, 19: mean 167 / 5 = 33.4, range 19-52.
    assert stat(t, variable="age_years", statistic="mean") == approx(33.4)
    assert stat(t, variable="age_years", statistic="min") == 19.0
    assert stat(t, variable="age_years", statistic="max") == 52.0
    # Durations 10, 7, 12, 25, 4: sorted 4, 7, 10, 12, 25 -> median 10.
    assert stat(t, variable="disease_duration_years", statistic="median") == approx(10.0)
    with pytest.raises(KeyError):
        stat(t, variable="disease_duration_years", statistic="mean")
    assert stat(t, variable="subtype", level="axial", statistic="count") == 2
    assert t.data.loc[(t.data["variable"] == "subtype") & (t.data["statistic"] == "count"), "level"].tolist() == [
        "juvenile",
        "axial",
        "peripheral",
        "psoriatic",
    ]
    assert stat(t, variable="subtype", level="axial", statistic="percent") == approx(40.0)
    assert stat(t, variable="hla_b27", level="positive", statistic="count") == 4
    assert stat(t, variable="sex", level="female", statistic="count") == 1
    view = t.view.set_index("Characteristic")
    assert view.loc["Age (years), mean (range)", "Value"] == "33.4 (19.0 to 52.0)"
    assert view.loc["Disease duration (years), median (range)", "Value"] == "10.0 (4.0 to 25.0)"
    assert view.loc["Subtype: axial, n (%)", "Value"] == "2 (40.0%)"
    whole = demographics_table(p, digits={"age_years": 0}).view.set_index("Characteristic")
    assert whole.loc["Age (years), mean (range)", "Value"] == "33 (19 to 52)"  # 33.4 -> 33
    sd = demographics_table(p, spread="sd")
    # SD of ages: deviations -3.4, 7.6, -8.4, 18.6, -14.4; squares sum 11.56 + 57.76 + 70.56 + 345.96
    # + 207.36 = 693.2; / 4 = 173.3; sqrt = 13.1643...
    assert stat(sd, variable="age_years", statistic="sd") == approx(math.sqrt(173.3))
    with pytest.raises(InputError, match="expected one of"):
        demographics_table(p, center="mode")


def test_disposition_counts_and_weeks():
    p = reference_like_patients()
    t = disposition_table(p, sets=list(standard_sets(p).values()))
    check_tidy(t)
    assert stat(t, variable="enrolled", statistic="count") == 13
    assert stat(t, variable="completed", statistic="count") == 8
    assert stat(t, variable="withdrawn", level="", statistic="count") == 5
    assert stat(t, variable="withdrawn", level="adverse_event", statistic="count") == 3
    assert stat(t, variable="withdrawn", level="adverse_event", statistic="percent") == approx(300 / 13)
    assert stat(t, variable="withdrawn", level="adverse_event", statistic="max_last_week") == 3.0
    assert stat(t, variable="withdrawn", level="lack_of_efficacy", statistic="min_last_week") == 8.0
    assert stat(t, variable="analysis_set", level="enrolled_minus_adverse_event", statistic="count") == 10
    view = t.view.set_index("Patients")
    assert view.loc["  withdrawn: adverse event", "n (%)"] == "3 (23.1%)"
    assert view.loc["  withdrawn: adverse event", "Last week on study"] == "week 2 to 3"


def test_adverse_events_on_stated_denominator():
    p = toy_patients()
    everyone = standard_sets(p)["enrolled"]
    t = adverse_event_table(toy_adverse_events(), everyone)
    check_tidy(t)
    # Z is not enrolled: its event is left out. Dry mouth: A (twice) and B -> 2 patients, 3 events,
    # 2/5 = 40 %. Any event: A, B, D, E = 4 patients (80 %), 6 events. Serious: D only.
    assert stat(t, variable="term", level="dry mouth", statistic="patients") == 2
    assert stat(t, variable="term", level="dry mouth", statistic="events") == 3
    assert stat(t, variable="term", level="dry mouth", statistic="percent") == approx(40.0)
    assert stat(t, variable="any", statistic="patients") == 4
    assert stat(t, variable="any", statistic="events") == 6
    assert stat(t, variable="serious", statistic="patients") == 1
    assert stat(t, variable="term", level="rash", statistic="patients_severe") == 1
    assert set(t.data["denominator"]) == {5}
    # a missing severity counts as not severe (and does not break the count)
    ae = toy_adverse_events().astype({"severity": "string"})
    ae.loc[0, "severity"] = pd.NA
    assert stat(adverse_event_table(ae, everyone), variable="term", level="rash", statistic="patients_severe") == 1
    assert t.view["Adverse event"].tolist()[:3] == ["Any adverse event", "Any serious adverse event", "dry mouth"]
    # Completers only, onset in weeks 3-12: A's week-8 dry mouth and B's week-4 one.
    c = adverse_event_table(toy_adverse_events(), completers(p), weeks=(3, 12))
    assert stat(c, variable="term", level="dry mouth", statistic="patients") == 2
    assert stat(c, variable="term", level="dry mouth", statistic="percent") == approx(200 / 3)
    assert stat(c, variable="any", statistic="events") == 2


def test_table_html_and_markdown_escape_and_show_notes():
    p = toy_patients()
    s = AnalysisSet("x", "Set <b>", "a & b", tuple(p["patient_id"]))
    t = demographics_table(p, s)
    html = t._repr_html_()
    assert "Set &lt;b&gt;" in html and "<b>" not in html.split("figcaption")[0]
    assert "<table>" in html and "a &amp; b" in html
    md = t.to_markdown()
    assert md.startswith("### Table 1.") and "| Characteristic | Value | n |" in md
    assert "- Population: Set &lt;b&gt; (n = 5): a &amp; b." in md  # data carry no live markup into Markdown


def test_tables_do_not_modify_inputs():
    p, s = toy_patients(), toy_scored()
    p0, s0 = p.copy(), s.copy()
    outcomes_table(s, completers(p), measures=["basdai"])
    response_table(s, [completers(p)], week=12, responses=["asas20"])
    demographics_table(p)
    pd.testing.assert_frame_equal(p, p0)
    pd.testing.assert_frame_equal(s, s0)


def test_demographics_lists_absent_subtypes_with_zero():
    p = toy_patients().iloc[:3]  # axial, axial, peripheral
    s = AnalysisSet("abc", "A-C", "patients A, B and C", ("A", "B", "C"))
    t = demographics_table(p, s)
    assert stat(t, variable="subtype", level="juvenile", statistic="count") == 0
    assert stat(t, variable="subtype", level="axial", statistic="percent") == approx(200 / 3)


@pytest.mark.slow
@given(
    st.lists(st.sampled_from([True, False, None, "absent"]), min_size=1, max_size=12),
)
def test_nri_and_observed_agree_on_responders(outcomes):
    """NRI keeps every patient in the denominator; observed cases only the evaluable ones; both
    count the same responders, and the NRI proportion is never above the observed one."""
    ids = [f"X{i}" for i in range(len(outcomes))]
    rows = [(pid, 12.0, o) for pid, o in zip(ids, outcomes, strict=True) if o != "absent"]
    scored = pd.DataFrame(rows, columns=["patient_id", "week", "asas20"]).astype({"asas20": "boolean"})
    if scored.empty:
        return
    s = AnalysisSet("x", "X", "all", tuple(ids))
    nri = response_table(scored, [s], week=12, responses=["asas20"], imputation="nri")
    obs = response_table(scored, [s], week=12, responses=["asas20"], imputation="observed")
    k = sum(o is True for o in outcomes)
    evaluable = sum(o in (True, False) for o in outcomes)
    assert nri.value(statistic="responders") == obs.value(statistic="responders") == k
    assert nri.value(statistic="denominator") == len(ids)
    assert obs.value(statistic="denominator") == evaluable
    if evaluable:
        assert nri.value(statistic="proportion") <= obs.value(statistic="proportion")
        assert nri.value(statistic="ci_low") <= obs.value(statistic="ci_low") + 1e-12


def test_not_evaluable_and_missing_visits_are_counted_and_noted():
    p, s = reference_like_patients(), reference_like_scored()
    s.loc[(s["patient_id"] == "P13") & (s["week"] == 24), "asas20"] = pd.NA  # a domain missing
    sets = standard_sets(p)
    nri = response_table(s, [sets["enrolled"]], week=24, responses=["asas20"])
    # 13 enrolled: 5 withdrew before week 24 (no visit), P13 seen but not evaluable, 7 responders.
    assert nri.value(statistic="responders") == 7 and nri.value(statistic="denominator") == 13
    assert nri.value(statistic="no_visit") == 5 and nri.value(statistic="not_evaluable") == 1
    assert nri.view.iloc[0]["Imputed as non-responders: no visit / not evaluable"] == "5 / 1"
    obs = response_table(s, [sets["enrolled"]], week=24, responses=["asas20"], imputation="observed")
    assert obs.value(statistic="denominator") == 7
    assert obs.view.iloc[0]["Left out: no visit / not evaluable"] == "5 / 1"
    assert not any("for any patient" in n for n in nri.notes)
    s["asas20"] = pd.array([pd.NA] * len(s), dtype="boolean")
    none = response_table(s, [sets["completers"]], week=24, responses=["asas20"])
    assert any("Not evaluable for any patient seen at week 24: ASAS20" in n for n in none.notes)
