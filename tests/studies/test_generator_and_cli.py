"""`axspa reproduce` matches every published figure (the generator's test: tests/generators/)."""

from __future__ import annotations

import json

import pytest

from axspa.cli import main
from axspa.studies import thalidomide_2003 as reference


def test_reproduce_json_matches_every_published_figure(capsys):
    assert main(["reproduce", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    published = reference.published()["figures"]
    assert [r["id"] for r in rows] == [f["id"] for f in published]
    assert all(r["match"] for r in rows), [r["id"] for r in rows if not r["match"]]
    for row in rows:
        assert set(row) >= {"id", "source", "published", "recomputed", "match", "convention", "population"}
    p_rows = [r for r in rows if r["id"].endswith(".p")]
    assert all("Wilcoxon signed-rank" in r["convention"] for r in p_rows)


@pytest.mark.slow
def test_reproduce_out_writes_the_report_with_comparison_and_audit(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["reproduce", "--out", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    for name in (
        "demographics",
        "disposition",
        "responses",
        "outcomes",
        "outcomes_week8",
        "adverse_events",
        "published_vs_recomputed",
        "audit",
    ):
        assert (out / "tables" / f"{name}.csv").exists(), name
    assert "76 of 76 figures match at their printed precision" in html
    assert "Audit of the published figures alone" in html
    assert html.count("data:image/png;base64,") >= 4
    assert "http://" not in html and "https://" not in html
    assert str(out / "report.html") in capsys.readouterr().out
