"""`axspa analyze` on a controlled trial: the bundled synthetic two-arm trial, end to end.

The expected counts come from the trial's files, computed here with plain pandas from the ASAS20 and ASAS40
definitions (Anderson et al., Arthritis Rheum 2001;44:1876-86; Brandt et al., Ann Rheum Dis 2004;63:1438-44),
not from axspa's scoring.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from axspa.cli import main
from axspa.errors import InputError
from axspa.report.pipeline import Analysis, analyze
from axspa.studies import synthetic_rct, thalidomide_2003

from .figure_checks import text_collisions

BASDAI = ["basdai_q1", "basdai_q2", "basdai_q3", "basdai_q4"]


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyze(synthetic_rct.load(), progress=False)


def _asas_by_hand(week: float, level: int) -> dict[str, int]:
    """ASAS20 or ASAS40 responders at ``week`` per arm with non-responder imputation, from the CSV files.

    Domains: patient global (0-10), pain (total back pain), function (BASFI, the mean of its ten items),
    inflammation (mean of BASDAI questions 5 and 6). ASAS20: >= 20 % and >= 1 unit improvement in at least
    three domains and no worsening of >= 20 % and >= 1 unit in the fourth. ASAS40: >= 40 % and >= 2 units in at
    least three domains and no worsening at all in the fourth.
    """
    folder = synthetic_rct.folder()
    patients = pd.read_csv(folder / "patients.csv")
    visits = pd.read_csv(folder / "visits.csv")
    domains = pd.DataFrame(
        {
            "patient_id": visits["patient_id"],
            "week": visits["week"],
            "global": visits["patient_global"],
            "pain": visits["back_pain"],
            "function": visits[[f"basfi_q{i}" for i in range(1, 11)]].mean(axis=1),
            "inflammation": (visits["basdai_q5"] + visits["basdai_q6"]) / 2,
        }
    )
    base = domains[domains["week"] == 0].set_index("patient_id")
    at = domains[domains["week"] == week].set_index("patient_id")
    cols = ["global", "pain", "function", "inflammation"]
    gain, before = base.loc[at.index, cols] - at[cols], base.loc[at.index, cols]
    tol = 1e-9  # the domains are means of tenths: compare past floating-point noise
    if level == 20:
        improved = (gain >= 1 - tol) & (gain >= 0.2 * before - tol)
        worse = (-gain >= 1 - tol) & (-gain >= 0.2 * before - tol)
    else:
        improved = (gain >= 2 - tol) & (gain >= 0.4 * before - tol)
        worse = -gain > tol
    responder = (improved.sum(axis=1) >= 3) & ~(worse & ~improved).any(axis=1)
    responders = set(responder[responder].index)
    arms = patients.set_index("patient_id")["arm"]
    return {arm: sum(1 for p in ids if p in responders) for arm, ids in arms.groupby(arms).groups.items()}


def test_the_controlled_report_has_the_tables_and_figures_by_arm(analysis: Analysis) -> None:
    assert [t.name for t in analysis.report.tables] == [
        "demographics",
        "disposition",
        "responses_by_arm",
        "change_by_arm",
        "adverse_events",
    ]
    names = [f.name for f in analysis.report.figures]
    assert names[:3] == ["figure1_basdai_by_arm", "figure2_basfi_by_arm", "figure3_basg_by_arm"]
    assert "responders_by_arm" in names and "forest_active_vs_placebo" in names
    assert set(analysis.sets) == {"fas", "safety", "completers"}
    assert {k: s.n for k, s in analysis.sets.items()} == {"fas": 80, "safety": 78, "completers": 69}


@pytest.mark.parametrize(("level", "counts"), [(20, {"active": 23, "placebo": 10}), (40, {"active": 16, "placebo": 4})])
def test_responders_by_arm_at_the_primary_week_match_a_hand_count(
    analysis: Analysis, level: int, counts: dict[str, int]
) -> None:
    expected = _asas_by_hand(16, level)
    assert expected == counts  # the counts the controlled-trial example prints (tests/report/test_example.py)
    table = analysis.tables["responses_by_arm"]
    for arm in ("active", "placebo"):
        got = table.value(variable=f"asas{level}", week=16.0, arm=arm, statistic="responders")
        assert got == expected[arm]
        assert table.value(variable=f"asas{level}", week=16.0, arm=arm, statistic="n") == 40
    difference = table.value(variable=f"asas{level}", week=16.0, arm="active vs placebo", statistic="difference")
    assert difference == pytest.approx((expected["active"] - expected["placebo"]) / 40, abs=1e-15)


def test_the_forest_plot_shows_the_table_differences(analysis: Analysis) -> None:
    figure = next(f for f in analysis.report.figures if f.name == "forest_active_vs_placebo").figure
    ax = figure.axes[0]
    table = analysis.tables["responses_by_arm"].data
    rows = table[(table["arm"] == "active vs placebo") & (table["week"] == 16.0)]
    wide = rows.pivot(index="variable", columns="statistic", values="value")
    order = ["asas20", "asas40", "asas_5of6", "asas_pr", "basdai50"]  # one row per response, top to bottom
    assert sorted(wide.index) == sorted(order)
    wide = wide.loc[order]
    (bars,) = ax.containers
    # the estimates and the interval ends, in percentage points, in the table's order
    np.testing.assert_allclose(bars.lines[0].get_xdata(), 100 * wide["difference"].to_numpy(), rtol=1e-12)
    spans = [tuple(segment[:, 0]) for segment in bars.lines[2][0].get_segments()]
    expected = zip(wide["difference_ci_low"], wide["difference_ci_high"], strict=True)
    assert spans == [pytest.approx((100 * low, 100 * high), rel=1e-12) for low, high in expected]
    labels = {"asas20": "ASAS20", "asas40": "ASAS40", "asas_5of6": "ASAS 5/6", "asas_pr": "ASAS partial remission"}
    assert [t.get_text() for t in ax.get_yticklabels()] == [labels.get(v, "BASDAI50") for v in order]
    assert "Newcombe" in next(f for f in analysis.report.figures if f.name.startswith("forest")).caption


@pytest.mark.parametrize("name", ["figure1_basdai_by_arm", "responders_by_arm", "forest_active_vs_placebo"])
def test_no_text_of_a_figure_overlaps_another(analysis: Analysis, name: str) -> None:
    figure = next(f for f in analysis.report.figures if f.name == name).figure
    overlaps, _ = text_collisions(figure)
    assert overlaps == []


def test_methods_name_every_population_test_interval_and_model(analysis: Analysis) -> None:
    text = " ".join(analysis.report.methods)
    for phrase in (
        "Full analysis set (n = 80)",
        "Safety set (n = 78)",
        "Newcombe hybrid score",
        "Fisher's exact test",
        "mixed model for repeated measures (MMRM)",
        "unstructured covariance",
        "Satterthwaite",
        "exact Wilcoxon rank-sum test",
        "Hodges-Lehmann",
        "Placebo (placebo, n = 40 randomised), the control arm",
        "stratified by prior_tnfi",
        "CONSORT",
    ):
        assert phrase in text, phrase
    everything = text + " ".join(n for t in analysis.report.tables for n in t.notes)
    assert "all of whom received" not in everything
    assert "outcome_set" not in text and "difference_method = newcombe" in text


def test_control_overrides_the_study_file_and_mirrors_the_difference(analysis: Analysis) -> None:
    other = analyze(synthetic_rct.load(), progress=False, control="active", change_model="ancova")
    table, mirrored = analysis.tables["responses_by_arm"], other.tables["responses_by_arm"]
    statistics = ("difference", "difference_ci_low", "difference_ci_high")
    a = {s: table.value(variable="asas40", week=16.0, arm="active vs placebo", statistic=s) for s in statistics}
    b = {s: mirrored.value(variable="asas40", week=16.0, arm="placebo vs active", statistic=s) for s in statistics}
    assert b["difference"] == pytest.approx(-a["difference"], abs=1e-15)
    # the Newcombe interval of placebo minus active is that of active minus placebo, negated and reversed
    assert b["difference_ci_high"] == pytest.approx(-a["difference_ci_low"], abs=1e-12)
    assert b["difference_ci_low"] == pytest.approx(-a["difference_ci_high"], abs=1e-12)
    assert "ANCOVA" in " ".join(other.tables["change_by_arm"].notes)


def test_a_control_arm_for_a_single_arm_study_is_an_error() -> None:
    with pytest.raises(InputError, match="control arm 'placebo' given, but the study has no arms"):
        analyze(thalidomide_2003.load(), progress=False, control="placebo")


def test_an_arm_column_without_a_control_arm_asks_for_one(tmp_path: Path, analysis: Analysis) -> None:
    folder = tmp_path / "trial"
    folder.mkdir()
    for name in ("patients.csv", "visits.csv", "adverse_events.csv"):
        (folder / name).write_bytes((synthetic_rct.folder() / name).read_bytes())
    patients = pd.read_csv(folder / "patients.csv").drop(columns=["prior_tnfi"])
    patients.to_csv(folder / "patients.csv", index=False)
    with pytest.raises(InputError, match=r"names no control arm.*--control"):
        analyze(folder, progress=False)
    result = analyze(folder, progress=False, control="placebo", change_model="ancova")
    where = {"variable": "asas20", "week": 16.0, "arm": "active vs placebo", "statistic": "difference"}
    assert result.tables["responses_by_arm"].value(**where) == analysis.tables["responses_by_arm"].value(**where)


def test_the_command_line_writes_the_controlled_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report"
    assert main(["analyze", str(synthetic_rct.folder()), "--out", str(out), "--quiet", "--control", "placebo"]) == 0
    assert "report written to" in capsys.readouterr().out
    assert (out / "figures" / "forest_active_vs_placebo.svg").exists()
    assert (out / "tables" / "responses_by_arm.csv").exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Full analysis set" in html and "Newcombe" in html


def test_a_stated_per_protocol_rule_adds_the_set_by_arm() -> None:
    rule = "treated and status == 'completed' and last_week >= 16 and prior_tnfi == 'no'"
    result = analyze(
        synthetic_rct.load(),
        progress=False,
        change_model="ancova",
        per_protocol={"rule": rule, "definition": "treated completers without a prior TNF inhibitor"},
    )
    patients = pd.read_csv(synthetic_rct.folder() / "patients.csv")
    kept = patients[patients["treated"] & (patients["status"] == "completed") & (patients["prior_tnfi"] == "no")]
    per_protocol = result.sets["per_protocol"]
    assert per_protocol.patient_ids == tuple(kept["patient_id"])
    assert per_protocol.by_arm(result.study.design)["active"].n == int((kept["arm"] == "active").sum())
    assert rule in per_protocol.definition
    assert "Per protocol" in " ".join(result.tables["disposition"].view.iloc[:, 0])
    assert "per_protocol = rule: " in " ".join(result.report.methods)


@pytest.mark.parametrize(
    ("per_protocol", "message"),
    [
        ({"rule": "treated"}, "per_protocol must be a table with two non-empty texts"),
        ({"rule": "", "definition": "x"}, "per_protocol must be a table"),
        ({"rule": "treated and dose > 1", "definition": "x"}, "the per-protocol rule 'treated and dose > 1' cannot"),
    ],
)
def test_a_bad_per_protocol_rule_is_named(per_protocol: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        analyze(synthetic_rct.load(), progress=False, change_model="ancova", per_protocol=per_protocol)
