"""The report writer on a hand-made table and figure (no statistics involved)."""

import re

import pandas as pd
import pytest

from axspa.errors import InputError
from axspa.report.table import Table, tidy_frame
from axspa.report.writer import Report, ReportFigure, render_html, render_markdown, write_report


def small_report() -> Report:
    from matplotlib.figure import Figure

    data = tidy_frame(
        [
            {
                "table": "t",
                "variable": "x",
                "level": "",
                "week": None,
                "statistic": "count",
                "value": 3,
                "population": "All",
                "denominator": 4,
                "imputation": "none",
                "method": "count",
            }
        ]
    )
    table = Table(
        "counts", "Counts <&>", data, pd.DataFrame({"What": ["x"], "n": ["3"]}), ("Population: All (n = 4): everyone.",)
    )
    fig = Figure()
    fig.add_subplot().plot([0, 1], [2, 3])
    return Report(
        title="Small",
        tables=[table],
        figures=[ReportFigure("line", "A line", fig)],
        methods=["Method text."],
        summary=["study 'x'"],
    )


def test_html_is_self_contained_and_escaped():
    html = render_html(small_report())
    assert html.startswith("<!DOCTYPE html>")
    assert "Counts &lt;&amp;&gt;" in html
    assert 'id="table-counts"' in html and 'id="figure-line"' in html
    assert html.count("data:image/png;base64,") == 1
    assert not re.search(r"https?://", html)
    assert "Method text." in html and "Population: All (n = 4): everyone." in html
    assert re.search(r"<li>matplotlib \d", html)


def test_markdown_and_files(tmp_path):
    r = small_report()
    md = render_markdown(r)
    assert "| What | n |" in md and "![A line](figures/line.png)" in md
    paths = write_report(r, tmp_path / "out")
    assert sorted(paths) == ["html", "markdown", "png:line", "svg:line", "table:counts", "view:counts"]
    assert pd.read_csv(paths["table:counts"])["value"].tolist() == [3.0]
    assert paths["svg:line"].read_text().find("<svg") >= 0
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        write_report(r, tmp_path / "file")


def test_duplicate_names_refused():
    r = small_report()
    with pytest.raises(InputError, match="unique"):
        Report(title="d", tables=[r.tables[0], r.tables[0]], figures=[], methods=[])
    with pytest.raises(InputError, match="png"):
        r.figures[0].image_bytes("gif")
