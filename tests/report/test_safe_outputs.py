"""No output can attack its reader: the Markdown report carries no live markup, CSV files no formula cell,
and a `$` in data is a dollar sign in a figure, not mathtext."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from axspa.analysis_sets import AnalysisSet
from axspa.report.figures import spaghetti_plot
from axspa.report.table import Table, markdown_text, tidy_frame
from axspa.report.writer import Report, ReportFigure, render_html, render_markdown, write_report
from axspa.spreadsheet import neutralise_formulas

from .data import toy_scored

IMG = '<img src=x onerror="alert(1)">'
LINK = "[click](javascript:alert(2))"
MATH = "$\\undefined{$"


def _report_with_data_in_every_text() -> Report:
    from matplotlib.figure import Figure

    data = tidy_frame([{"table": "t", "variable": IMG, "level": "=1+1", "statistic": "count", "value": -1.5}])
    view = pd.DataFrame({"Term": [IMG, '=HYPERLINK("http://x")', "@SUM(A1)"], LINK: ["-1.5", "-2 (0.3)", "-"]})
    table = Table("ae", f"Adverse events {IMG}", data, view, (f"Population: {LINK} (n = 3).",))
    fig = Figure()
    fig.add_subplot().plot([0, 1], [2, 3])
    return Report(
        title=f"Study {IMG}",
        tables=[table],
        figures=[ReportFigure("line", f"Trajectories {IMG} {LINK}", fig)],
        methods=[f"Set {IMG}\n# a heading"],
        summary=[f"study {LINK}"],
    )


def test_markdown_text_escapes_markup() -> None:
    assert markdown_text(IMG) == '&lt;img src=x onerror="alert(1)"&gt;'
    assert markdown_text(LINK) == "\\[click\\](javascript:alert(2))"
    assert markdown_text("a\\b `c` R&D\nline") == "a\\\\b \\`c\\` R&amp;D line"


def test_markdown_report_has_no_live_markup() -> None:
    md = render_markdown(_report_with_data_in_every_text())
    assert "<img" not in md and "\n# a heading" not in md
    assert re.findall(r"(?<!\\)\]\(", md) == ["]("]  # the one live link is the report's own figure
    assert '# Study &lt;img src=x onerror="alert(1)"&gt;' in md
    assert '| &lt;img src=x onerror="alert(1)"&gt; | -1.5 |' in md
    assert "| \\[click\\](javascript:alert(2)) |" in md  # a column name
    caption = 'Trajectories &lt;img src=x onerror="alert(1)"&gt; \\[click\\](javascript:alert(2))'
    assert f"![{caption}](figures/line.png)" in md
    assert "- study \\[click\\](javascript:alert(2))" in md


def test_html_report_has_no_live_markup() -> None:
    html = render_html(_report_with_data_in_every_text())
    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "javascript:" not in html.replace("[click](javascript:alert(2))", "")  # only as escaped text
    assert html.count("<img ") == 1  # the report's own figure


def test_csv_outputs_neutralise_formula_cells(tmp_path) -> None:
    paths = write_report(_report_with_data_in_every_text(), tmp_path)
    with paths["view:ae"].open(newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows == [
        ["Term", LINK],
        [IMG, "-1.5"],  # a number as written stays a number
        ['\'=HYPERLINK("http://x")', "'-2 (0.3)"],
        ["'@SUM(A1)", "-"],  # the views' missing-value dash stays
    ]
    with paths["table:ae"].open(newline="", encoding="utf-8") as stream:
        data = list(csv.DictReader(stream))
    assert data[0]["level"] == "'=1+1" and data[0]["value"] == "-1.5"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-1.5", "-1.5"),
        ("+3", "+3"),
        ("-2e-3", "-2e-3"),
        ("-", "-"),
        ("P01", "P01"),
        ("a=1", "a=1"),
    ],
)
def test_formula_rule(cell: str, written: str) -> None:
    frame = neutralise_formulas(pd.DataFrame({"x": [cell], "n": [-1.0]}))
    assert frame["x"].tolist() == [written]
    assert frame["n"].tolist() == [-1.0]


def test_exclusions_report_neutralises_patient_ids_and_values(tmp_path, capsys) -> None:
    from axspa.cli import main

    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "patients.csv").write_text(
        'patient_id,sex,age_years,status\n"=HYPERLINK(""http://x"")",male,40,completed\n'
    )
    (folder / "visits.csv").write_text('patient_id,week,basdai_q1\n"=HYPERLINK(""http://x"")",0,@1\n')
    report = tmp_path / "excluded.csv"
    assert main(["validate", str(folder), "--lenient", "--exclusions", str(report)]) == 1
    text = report.read_text(encoding="utf-8")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["patient_id"] == '\'=HYPERLINK("http://x")' and row["value"] == "'@1"


def test_dollar_in_a_patient_id_is_not_mathtext() -> None:
    scored = toy_scored()
    scored["patient_id"] = scored["patient_id"].replace({"D": MATH})
    scored.loc[scored["patient_id"] == MATH, "basdai"] = float("nan")  # no value: named in the title
    ax = spaghetti_plot(scored, "basdai", AnalysisSet("all", "All", "everyone", ("A", "B", MATH)))
    assert ax.get_title().endswith(f"no values: {MATH}")
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png")  # drawn as written; mathtext would raise a ValueError here
    assert buffer.getvalue().startswith(b"\x89PNG")
    assert not any(t.get_parse_math() for t in ax.figure.findobj(lambda a: hasattr(a, "get_parse_math")))
