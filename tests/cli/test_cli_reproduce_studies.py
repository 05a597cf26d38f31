"""`axspa reproduce STUDY` and `axspa reproduce --list`: the bundled studies."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from axspa.cli import main


def test_list_names_the_bundled_studies(capsys):
    assert main(["reproduce", "--list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("thalidomide_2003")
    assert out.splitlines()[1].startswith("esther_2011")


@pytest.fixture(scope="module")
def esther_text() -> str:
    """What `axspa reproduce esther_2011` prints (run once for the tests that read it)."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["reproduce", "esther_2011"]) == 0
    return buf.getvalue()


def test_esther_prints_every_figure_and_the_count(esther_text):
    out = esther_text
    assert "218 of 223 published figures reproduced at their printed precision." in out
    assert "The other 5, each with the reason:" in out
    assert "table3.crp_mg_l.week24.p: no data can give it under the ANCOVA convention" in out
    assert "Between-arm p-values: ANCOVA, change from baseline ~ arm + baseline value" in out
    assert "Etanercept minus sulfasalazine at week 48, ANCOVA of the change (LS-mean difference, 95 % CI, p):" in out


def test_esther_json_rows_carry_the_explanation(capsys):
    assert main(["reproduce", "esther_2011", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 223
    assert {"id", "published", "recomputed", "match", "convention", "explanation"} <= set(rows[0])
    p = next(r for r in rows if r["id"] == "table3.basdai.week48.p")
    assert p["match"] and p["published"] == "0.001" and "ANCOVA" in p["convention"]


@pytest.mark.slow
def test_esther_out_writes_the_report_with_the_comparison(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["reproduce", "esther_2011", "--out", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    for name in ("change_by_arm", "published_measures_by_arm", "published_vs_recomputed"):
        assert (out / "tables" / f"{name}.csv").exists(), name
    assert "218 of 223 figures match at their printed precision" in html
    assert "table3.crp_mg_l.week24.p: no data can give it under the ANCOVA convention" in html
    assert str(out / "report.html") in capsys.readouterr().out


def test_default_is_still_the_reference_study(capsys):
    assert main(["reproduce"]) == 0
    out = capsys.readouterr().out
    assert "76 of 76 published figures reproduced at their printed precision." in out
    assert "Bundled studies: thalidomide_2003, esther_2011" in out


def test_esther_audit_runs_grimmer_on_every_printed_mean_and_sd(esther_text):
    # 12 measures print a mean (SD) per arm at 3 weeks (10 in Table 3, 2 in the MRI table): 12 x 3 x 2 = 72 pairs;
    # the site counts print totals, not means.
    out = esther_text
    assert "Audit of the published figures alone: 72 of 72 per-arm mean and SD pairs pass GRIMMER" in out
