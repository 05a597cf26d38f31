"""The audit of published figures alone: findings follow from the figures, worked out by hand here."""

from __future__ import annotations

import copy
import json

from axspa.cli import main
from axspa.forensics.audit import audit_figures
from axspa.studies import thalidomide_2003 as reference


def _by(findings, check, figure):
    return [f for f in findings if f.check == check and figure in f.figures]


def test_esr_week8_means_fail_grim_on_whole_mm_per_hour():
    # Means of 10 whole numbers are multiples of 0.1: 70.03 and 39.34 cannot be printed from them.
    findings = audit_figures(reference.published())
    for figure in ("week8.esr_mm_h.baseline.mean", "week8.esr_mm_h.week8.mean"):
        (finding,) = _by(findings, "GRIM", figure)
        assert finding.consistent is False


def test_esr_week24_mean_needs_a_rounding_other_than_half_away():
    # 8 whole numbers: sums 273 and 274 give 34.125 and 34.25; only 34.25 rounded half down/even prints 34.2.
    (finding,) = _by(audit_figures(reference.published()), "GRIM", "week24.esr_mm_h.week24.mean")
    assert finding.consistent is True
    assert "not half away from zero" in finding.summary


def test_week8_basdai_p_has_no_exact_two_sided_lattice_point():
    # Exact two-sided p for 10 untied pairs is 2c/1024: c = 3 gives 0.00586, c = 4 gives 0.00781; neither
    # prints as 0.007.
    (finding,) = _by(audit_figures(reference.published()), "p-lattice", "week8.basdai.p")
    assert "no exact two-sided p-value for this n prints as it" in finding.summary
    assert "asymptotic two-sided, no continuity correction" in finding.detail


def test_denominator_of_the_response_rate():
    (finding,) = _by(audit_figures(reference.published()), "denominator", "table2.asas20.rate_enrollers")
    assert "8/13 (61.5 %)" in finding.summary  # 8 / 13 = 0.6154


def test_disposition_adds_up():
    (finding,) = [f for f in audit_figures(reference.published()) if "disposition adds up" in f.summary]
    assert finding.consistent is True and "3 + 2 + 8 = 13" in finding.summary


def test_audit_reads_the_figures_not_a_list_of_findings():
    document = copy.deepcopy(reference.published())
    for figure in document["figures"]:
        if figure["id"] == "table2.asas20.rate_enrollers":
            figure["printed"] = "8/10 (75)"
        if figure["id"] == "week8.esr_mm_h.baseline.mean":
            figure["printed"] = "70.1"
    findings = audit_figures(document)
    (arithmetic,) = _by(findings, "arithmetic", "table2.asas20.rate_enrollers")
    assert arithmetic.consistent is False
    (grim,) = _by(findings, "GRIM", "week8.esr_mm_h.baseline.mean")
    assert grim.consistent is True


def test_cli_audit_json(capsys):
    assert main(["audit", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["check"] for r in rows} >= {"p-lattice", "GRIM", "GRIMMER", "arithmetic", "denominator", "text"}


def test_cli_reproduce_text_reports_rates_and_audit(capsys):
    assert main(["reproduce"]) == 0
    out = capsys.readouterr().out
    assert "76 of 76 published figures reproduced" in out
    assert "asas20   8/13 =  61.5 %" in out
    assert "Audit of the published figures alone" in out
