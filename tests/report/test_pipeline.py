"""analyze() end to end on a synthetic study folder; the written report's contents."""

import re

import pandas as pd
import pytest

from axspa.errors import InputError
from axspa.report import analyze

from .data import write_synthetic_study

CP = {  # R: binom.test(x, n)$conf.int (reference_values.txt)
    (3, 4): (0.1941204497, 0.9936905368),
    (3, 5): (0.1466327996, 0.9472550495),
    (3, 6): (0.1181172488, 0.8818827512),
}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    write_synthetic_study(root / "study")
    messages: list[str] = []
    out = analyze(root / "study", root / "out", progress=messages.append)
    return out, root / "out", messages


def test_response_table_on_other_schedule(result):
    analysis, _, _ = result
    t = analysis.tables["responses"]
    # Last visit is week 26. ASAS20 (by hand, see data.py): S01, S02, S06 respond, S03 does not;
    # S04 (adverse event) and S05 (lack of efficacy) have no week-26 visit -> non-responders.
    assert set(t.data["week"]) == {26.0}
    for label, n in (
        ("Completers", 4),
        ("Enrolled minus withdrawals for adverse events", 5),
        ("All enrolled (treated)", 6),
    ):
        assert t.value(population=label, variable="asas20", statistic="responders") == 3
        assert t.value(population=label, variable="asas20", statistic="denominator") == n
        assert t.value(population=label, variable="asas20", statistic="ci_low") == pytest.approx(CP[(3, n)][0])
        assert t.value(population=label, variable="asas20", statistic="ci_high") == pytest.approx(CP[(3, n)][1])
        # ASAS40: S01 and S06
        assert t.value(population=label, variable="asas40", statistic="responders") == 2


def test_outcomes_table_with_missed_visits(result):
    analysis, _, _ = result
    t = analysis.tables["outcomes"]

    def v(week, level, statistic, measure="basdai"):
        return t.value(variable=measure, week=week, level=level, statistic=statistic)

    # Completers S01, S02, S03, S06; BASDAI = v (data.py).
    # Week 6: S06 missed it: 5, 4, 7 -> n 3, mean 16/3.  Week 12: S02 missed: 4, 7, 6 -> 17/3.
    assert v(6.0, "visit", "n") == 3 and v(6.0, "visit", "mean") == pytest.approx(16 / 3)
    assert v(12.0, "visit", "n") == 3 and v(12.0, "visit", "mean") == pytest.approx(17 / 3)
    # Week 26 vs baseline: 3, 3, 7, 4 vs 6, 4, 7, 8: changes -3, -1, 0, -4; the zero is dropped,
    # three negative differences: R+ = 0, exact p = 2 / 2^3 = 0.25.
    assert v(26.0, "paired", "n") == 4
    assert v(26.0, "paired", "baseline_mean") == pytest.approx(6.25)
    assert v(26.0, "paired", "mean") == pytest.approx(4.25)
    assert v(26.0, "paired", "change_mean") == pytest.approx(-2.0)
    assert v(26.0, "paired", "pvalue") == pytest.approx(0.25)
    # Walsh averages of -3, -1, -4: -3, -1, -4, -2, -3.5, -2.5 -> median (-3 + -2.5) / 2 = -2.75
    assert v(26.0, "paired", "hl_estimate") == pytest.approx(-2.75)
    # BASFI = f: week 26 3, ... S01 2.5, S02 3.5, S03 6, S06 5 -> mean 17/4
    assert v(26.0, "paired", "mean", "basfi") == pytest.approx(17 / 4)
    # ESR = 10 v: week 0 completers 60, 40, 70, 80 -> 62.5
    assert v(0.0, "visit", "mean", "esr_mm_h") == pytest.approx(62.5)


def test_demographics_disposition_adverse_events(result):
    analysis, _, _ = result
    d = analysis.tables["demographics"]
    # ages 31, 45, 38, 50, 27, 42 -> mean 233 / 6
    assert d.value(variable="age_years", statistic="mean") == pytest.approx(233 / 6)
    disp = analysis.tables["disposition"]
    assert disp.value(variable="withdrawn", level="adverse_event", statistic="count") == 1
    ae = analysis.tables["adverse_events"]
    assert ae.value(variable="term", level="dry mouth", statistic="patients") == 2
    assert ae.value(variable="term", level="dry mouth", statistic="percent") == pytest.approx(200 / 6)


def test_every_output_names_population_denominator_imputation_method(result):
    analysis, _, _ = result
    for t in analysis.report.tables:
        for col in ("population", "imputation", "method"):
            assert (t.data[col].str.len() > 0).all(), (t.name, col)
        assert t.data["denominator"].notna().all(), t.name
        assert any(n.startswith("Population:") for n in t.notes), t.name
    for f in analysis.report.figures:
        assert "n = " in f.caption or "imputation" in f.caption.lower() or "Observed" in f.caption, f.name


def test_written_files_and_self_contained_html(result):
    analysis, out, messages = result
    html = (out / "report.html").read_text(encoding="utf-8")
    for t in analysis.report.tables:
        assert f'id="table-{t.name}"' in html
        assert (out / "tables" / f"{t.name}.csv").exists()
        # the CSV holds the unrounded numbers
        csv = pd.read_csv(out / "tables" / f"{t.name}.csv")
        assert csv["value"].tolist() == pytest.approx(t.data["value"].tolist(), nan_ok=True)
    assert [t.name for t in analysis.report.tables] == [
        "demographics",
        "disposition",
        "responses",
        "outcomes",
        "adverse_events",
    ]
    for f in analysis.report.figures:
        assert f'id="figure-{f.name}"' in html
        assert (out / "figures" / f"{f.name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (out / "figures" / f"{f.name}.svg").read_text().lstrip().startswith("<?xml")
    assert len(analysis.report.figures) == 4
    assert html.count('src="data:image/png;base64,') == 4
    # No network asset of any kind: no http(s) or protocol-relative URL, no @import, no url().
    assert not re.search(r"https?://", html)
    assert not re.search(r"""(src|href)\s*=\s*["']?//""", html)
    assert "@import" not in html and "url(" not in html
    # Methods state conventions, populations, imputations and versions
    assert "half away from zero" in html
    assert "Non-responder imputation" in html and "Observed cases" in html
    assert "Wilcoxon signed-rank" in html and "zero differences dropped" in html
    assert "pandas " in html and "scipy " in html
    assert "patient_global = patient_global" in html  # the scoring options are stated
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Methods" in md and "figures/responders.png" in md
    assert any("scoring the visits" in m for m in messages)


def test_analyze_rejects_unknown_week_and_set(tmp_path):
    write_synthetic_study(tmp_path / "s")
    with pytest.raises(InputError, match="not a visit"):
        analyze(tmp_path / "s", None, week=24, progress=False)
    with pytest.raises(InputError, match="outcome_set"):
        analyze(tmp_path / "s", None, outcome_set="itt", progress=False)
    with pytest.raises(InputError, match="does not exist"):
        analyze(tmp_path / "nowhere", None, progress=False)


@pytest.mark.slow
def test_cli_analyze(tmp_path, capsys):
    from axspa.cli import main

    write_synthetic_study(tmp_path / "s")
    status = main(["analyze", str(tmp_path / "s"), "--out", str(tmp_path / "o"), "--population", "enrolled"])
    captured = capsys.readouterr()
    assert status == 0
    assert "report written to" in captured.out
    assert "axspa: drawing the figures" in captured.err
    html = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "Outcomes by visit (All enrolled (treated), n = 6" in html
    assert main(["analyze", str(tmp_path / "missing"), "--quiet"]) == 2


def remove_patient(src, dst, patient_id):
    """Copy a study folder without one patient (every table)."""
    dst.mkdir(parents=True)
    for f in src.glob("*.csv"):
        table = pd.read_csv(f, dtype=str, keep_default_na=False)
        table[table["patient_id"] != patient_id].to_csv(dst / f.name, index=False)


def test_one_patient_removed_shifts_denominators(tmp_path):
    write_synthetic_study(tmp_path / "full")
    remove_patient(tmp_path / "full", tmp_path / "less", "S05")  # the lack-of-efficacy withdrawal
    a = analyze(tmp_path / "less", None, progress=False)
    t = a.tables["responses"]
    # 5 enrolled, 1 adverse-event withdrawal, 4 completers; ASAS20 responders still S01, S02, S06.
    for label, n in (
        ("Completers", 4),
        ("Enrolled minus withdrawals for adverse events", 4),
        ("All enrolled (treated)", 5),
    ):
        assert t.value(population=label, variable="asas20", statistic="responders") == 3
        assert t.value(population=label, variable="asas20", statistic="denominator") == n
    assert a.tables["disposition"].value(variable="enrolled", statistic="count") == 5
    with pytest.raises(KeyError):
        a.tables["disposition"].value(variable="withdrawn", level="lack_of_efficacy", statistic="min_last_week")


def test_locf_outcomes_through_analyze(tmp_path):
    write_synthetic_study(tmp_path / "s")
    a = analyze(tmp_path / "s", None, outcome_imputation="locf", progress=False)
    t = a.tables["outcomes"]
    # S02 missed week 12: LOCF carries its week-6 BASDAI 4; S06 missed week 6: its baseline 8.
    # Week 12: S01 4, S02 4, S03 7, S06 6 -> 21/4. Week 6: 5, 4, 7, 8 -> 6.
    assert t.value(variable="basdai", week=12.0, level="visit", statistic="mean") == pytest.approx(21 / 4)
    assert t.value(variable="basdai", week=6.0, level="visit", statistic="mean") == pytest.approx(6.0)
    assert set(t.data["imputation"]) == {"Last observation carried forward (LOCF)"}
    assert "last observation carried forward (locf)" in " ".join(a.report.methods).lower()


def test_analyze_without_adverse_events_and_from_a_loaded_study(tmp_path):
    from axspa.io import load_study

    write_synthetic_study(tmp_path / "s")
    (tmp_path / "s" / "adverse_events.csv").unlink()
    a = analyze(load_study(tmp_path / "s"), None, progress=False)
    assert "adverse_events" not in a.tables
    assert any("No adverse events were recorded" in m for m in a.report.methods)
    assert a.paths == {}


@pytest.mark.slow
def test_cli_analyze_with_basg_as_patient_global_evaluates_asas(tmp_path, capsys):
    from axspa.cli import main
    from axspa.studies import thalidomide_2003

    out = tmp_path / "out"
    assert (
        main(["analyze", str(thalidomide_2003.folder()), "--out", str(out), "--quiet", "--patient-global", "basg"]) == 0
    )
    responses = pd.read_csv(out / "tables" / "responses.csv")
    completers = responses[(responses["population"] == "Completers") & (responses["variable"] == "asas20")]
    # Table 2 of the paper: 8 of the 8 completers are ASAS20 responders.
    assert completers.set_index("statistic").loc["responders", "value"] == 8


def test_reports_show_labs_in_the_unit_the_data_came_in():
    from axspa.report import analyze
    from axspa.studies import thalidomide_2003

    study = thalidomide_2003.load()  # CRP and IgA are given in mg/dL, as the paper printed them
    assert study.input_units == {"crp_mg_l": "crp_mg_dl", "iga_g_l": "iga_mg_dl"}
    result = analyze(study, None, scoring={"patient_global": "basg"}, progress=False)
    outcomes = result.tables["outcomes"].data
    crp = outcomes[(outcomes["variable"] == "crp_mg_dl") & (outcomes["week"] == 0) & (outcomes["statistic"] == "mean")]
    # Completers' baseline CRP: the paper's 6.08 mg/dL (not 60.8 mg/L).
    assert round(float(crp["value"].iloc[0]), 2) == 6.08
