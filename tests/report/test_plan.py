"""AnalysisPlan: read from TOML, checked, routed into analyze() and recorded in the methods section."""

import pytest

from axspa.errors import InputError
from axspa.report import AnalysisPlan, analyze
from axspa.stats import SignedRankConvention

from .data import write_synthetic_study

PLAN = """
week = 6
outcome_set = "enrolled"
outcome_imputation = "locf"
responses = ["asas20"]
confidence_level = 0.9

[test]
method = "asymptotic"
correction = true

[scoring]
pain = "back_pain"
"""


def test_plan_from_toml(tmp_path):
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    plan = AnalysisPlan.from_toml(tmp_path / "plan.toml")
    assert plan.week == 6.0
    assert plan.outcome_set == "enrolled"
    assert plan.outcome_imputation == "locf"
    assert plan.response_imputation == "nri"  # the default
    assert plan.responses == ("asas20",)
    assert plan.confidence_level == 0.9
    assert plan.test == SignedRankConvention(method="asymptotic", correction=True)
    assert dict(plan.scoring) == {"pain": "back_pain"}
    with pytest.raises(TypeError):
        plan.scoring["pain"] = "basdai_q2"  # frozen all the way down
    with pytest.raises(AttributeError):
        plan.week = 8.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("weak = 6", "unknown key"),
        ('outcome_set = "itt"', "outcome_set must be one of"),
        ('outcome_imputation = "nri"', "outcome_imputation must be one of"),
        ("confidence_level = 95", r"confidence_level must be in \(0, 1\)"),
        ('[test]\nzero_method = "drop"', "zero_method must be one of"),
        ("[test]\nsides = 2", r"\[test\]"),
        ("week = ", "not valid TOML"),
    ],
)
def test_plan_errors_name_the_key(tmp_path, text, match):
    (tmp_path / "plan.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        AnalysisPlan.from_toml(tmp_path / "plan.toml")


def test_plan_file_must_exist(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        AnalysisPlan.from_toml(tmp_path / "nowhere.toml")


def test_analyze_takes_a_plan_and_records_it(tmp_path):
    write_synthetic_study(tmp_path / "s")
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    a = analyze(tmp_path / "s", None, plan=tmp_path / "plan.toml", progress=False)
    assert a.plan.outcome_imputation == "locf"
    # The plan's choices reach the tables: week 6 responses, all enrolled (6 patients), LOCF outcomes.
    assert set(a.tables["responses"].data["week"]) == {6.0}
    assert set(a.tables["responses"].data["variable"]) == {"asas20"}
    assert "All enrolled (treated), n = 6" in a.tables["outcomes"].title
    assert set(a.tables["outcomes"].data["imputation"]) == {"Last observation carried forward (LOCF)"}
    plan_line = next(m for m in a.report.methods if m.startswith("Analysis plan:"))
    assert "week = 6" in plan_line and "outcome_imputation = locf" in plan_line
    assert "test = asymptotic, two-sided, zeros wilcox, continuity correction" in plan_line


def test_keywords_override_the_plan(tmp_path):
    write_synthetic_study(tmp_path / "s")
    plan = AnalysisPlan(outcome_set="enrolled", outcome_imputation="locf")
    a = analyze(tmp_path / "s", None, plan=plan, outcome_imputation="observed", progress=False)
    assert a.plan.outcome_set == "enrolled" and a.plan.outcome_imputation == "observed"
    with pytest.raises(InputError, match="unknown analysis option"):
        analyze(tmp_path / "s", None, outcome_sett="enrolled", progress=False)


@pytest.mark.slow
def test_cli_analyze_with_a_plan(tmp_path, capsys):
    from axspa.cli import main

    write_synthetic_study(tmp_path / "s")
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    args = ["analyze", str(tmp_path / "s"), "--out", str(tmp_path / "o"), "--plan", str(tmp_path / "plan.toml")]
    assert main([*args, "--quiet"]) == 0
    html = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "Outcomes by visit (All enrolled (treated), n = 6" in html
    assert "outcome_imputation = locf" in html
    # an option given on the command line wins over the plan
    assert main([*args, "--quiet", "--population", "completers"]) == 0
    html = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "Outcomes by visit (Completers, n = 4" in html
