"""The reproduction reads every published figure from the report's tables and computes nothing itself."""

from __future__ import annotations

import ast
import inspect
from dataclasses import replace

import pytest

from axspa.errors import InputError
from axspa.report import analyze
from axspa.studies import reproduction as module
from axspa.studies import thalidomide_2003 as reference
from axspa.studies.reproduction import DISPLAY_UNITS, Reproduction


@pytest.fixture(scope="module")
def analysis(study):
    return analyze(study, None, scoring={"patient_global": "basg"}, display_units=DISPLAY_UNITS, progress=False)


def figure(figure_id):
    return reference.published_figures().loc[figure_id].to_dict() | {"id": figure_id}


def test_adopted_report_tables_answer_the_figures(study, analysis):
    r = Reproduction(study, reference.conventions())
    r.adopt(analysis)
    c = r.compare(figure("week24.basdai.week24.mean"))
    assert c.match and c.published == "3.1"
    assert c.recomputed == analysis.tables["outcomes"].value(
        variable="basdai", week=24.0, level="visit", statistic="mean"
    )
    # The figure was read from the report's own outcomes table, not from a second one.
    assert any(t is analysis.tables["outcomes"] for t in r.tables.values())
    assert any(t is analysis.tables["adverse_events"] for t in r.tables.values())


def test_a_changed_report_number_changes_the_comparison(study, analysis):
    # Change the week-24 BASDAI p-value in the report's outcomes table: the comparison follows it.
    outcomes = analysis.tables["outcomes"]
    data = outcomes.data.copy()
    row = (data["variable"] == "basdai") & (data["week"] == 24.0) & (data["statistic"] == "pvalue")
    data.loc[row, "value"] = 0.5
    tampered = replace(
        analysis,
        report=replace(
            analysis.report,
            tables=[replace(t, data=data) if t.name == "outcomes" else t for t in analysis.report.tables],
        ),
    )
    r = Reproduction(study, reference.conventions())
    r.adopt(tampered)
    c = r.compare(figure("week24.basdai.p"))
    assert c.recomputed == 0.5 and not c.match


def test_the_reproduction_module_computes_no_statistic():
    # Only the table builders and SignedRankConvention (a record of the test's options) come in.
    tree = ast.parse(inspect.getsource(module))
    imported = {
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("axspa.stats")
        for alias in node.names
    }
    assert imported == {("axspa.stats", "SignedRankConvention")}
    source = inspect.getsource(module)
    for call in (".mean(", ".std(", ".median(", ".nunique(", ".sum(", "wilcoxon", "binomial"):
        assert call not in source, call


def test_a_responder_figure_without_its_week_is_refused(study, analysis):
    # No week is assumed (the reference study's week 24 was once the default): the figure must say.
    r = Reproduction(study, reference.conventions())
    r.adopt(analysis)
    count = figure("table2.asas20.responders")
    assert r.compare(count).match  # as published, with its week
    del count["week"]
    with pytest.raises(InputError, match=r"figure table2.asas20.responders: a responder count needs the week"):
        r.compare(count)
