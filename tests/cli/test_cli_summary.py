"""`axspa validate` on a study with hundreds of problems of a few kinds: a summary first, every problem on request."""

from __future__ import annotations

import pandas as pd
import pytest

from axspa.cli import main

MM_HINT = "basdai_q1 must be a number in [0, 10]; got 55. Was it recorded on a 0-100 mm scale (divide by 10)?"
ESR = "esr_mm_h must be a number in [0, 200] (or a censored value such as '<5'); got -4"


@pytest.fixture
def messy(tmp_path) -> str:
    folder = tmp_path / "messy"
    folder.mkdir()
    _write_messy_study(folder)
    return str(folder)


def _write_messy_study(folder) -> None:
    """100 patients with visits at weeks 0 and 12, and four kinds of problems (counted by hand):

    - sex 'x' for P001-P010: 10 patient rows (choice);
    - basdai_q1 '55' at week 12 of every patient (100) and at week 0 of P001-P040 (40): 140 visit rows (range);
    - esr_mm_h '-4' at both visits of P001-P025: 50 visit rows (range);
    - P011-P040 then have no baseline left: 30 (baseline_missing; P001-P010 are excluded as patients).
    230 problems in all.
    """
    ids = [f"P{i:03d}" for i in range(1, 101)]
    patients = pd.DataFrame(
        {
            "patient_id": ids,
            "sex": ["x"] * 10 + ["male"] * 90,
            "age_years": "30",
            "disease_duration_years": "10",
            "hla_b27": "yes",
            "subtype": "axial",
            "status": "completed",
            "withdrawal_reason": None,
            "last_week": "12",
        }
    )
    rows = [
        (pid, week, "55" if week == "12" or i < 40 else "5", "6", "4.2", "1.2", "-4" if i < 25 else "30")
        for i, pid in enumerate(ids)
        for week in ("0", "12")
    ]
    visits = pd.DataFrame(
        rows, columns=["patient_id", "week", "basdai_q1", "basdai_q2", "basfi_q1", "crp_mg_dl", "esr_mm_h"]
    )
    patients.to_csv(folder / "patients.csv", index=False)
    visits.to_csv(folder / "visits.csv", index=False)


def _baseline_note(n: int) -> str:
    return (
        f"patient P{n:03d} has no baseline visit (week 0): its baseline row, visits.csv row {2 * n - 1}, "
        f"was excluded: {MM_HINT}"
    )


SUMMARY = [
    "study 'messy': 230 problem(s); by file, column and rule:",
    "  patients.csv, sex, choice: 10",
    *(f"      e.g. row {n}, patient P00{n}, value 'x': sex must be one of male, female; got 'x'" for n in (1, 2, 3)),
    "  visits.csv, basdai_q1, range: 140",
    f"      e.g. row 1, patient P001, value '55': {MM_HINT}",
    f"      e.g. row 2, patient P001, value '55': {MM_HINT}",
    f"      e.g. row 3, patient P002, value '55': {MM_HINT}",
    "  visits.csv, esr_mm_h, range: 50",
    f"      e.g. row 1, patient P001, value '-4': {ESR}",
    f"      e.g. row 2, patient P001, value '-4': {ESR}",
    f"      e.g. row 3, patient P002, value '-4': {ESR}",
    "  visits.csv, week, baseline_missing: 30",
    *(f"      e.g. patient P0{n}: {_baseline_note(n)}" for n in (11, 12, 13)),
]


def test_validate_prints_a_bounded_summary_with_counts_per_rule(messy, capsys):
    assert main(["validate", messy]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [*SUMMARY, "every problem is in the error's .problems (axspa validate --all lists them)"]
    assert len(err) <= 40


def test_validate_all_prints_every_problem_after_the_summary(messy, capsys):
    assert main(["validate", messy, "--all"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[: len(SUMMARY)] == SUMMARY
    listed = err[err.index("every problem:") + 1 :]
    assert len(listed) == 230
    assert "  - patients.csv, row 10, patient P010: sex must be one of male, female; got 'x'" in listed
    assert f"  - visits.csv, row 200, patient P100, week 12: {MM_HINT}" in listed
    assert f"  - visits.csv, row 50, patient P025, week 12: {ESR}" in listed
    assert f"  - visits.csv, patient P040: {_baseline_note(40)}" in listed


def test_validate_writes_every_problem_to_csv(messy, tmp_path, capsys):
    report = tmp_path / "problems.csv"
    assert main(["validate", messy, "--exclusions", str(report)]) == 1
    problems = pd.read_csv(report)
    assert problems.groupby(["source", "field", "rule"]).size().to_dict() == {
        ("patients.csv", "sex", "choice"): 10,
        ("visits.csv", "basdai_q1", "range"): 140,
        ("visits.csv", "esr_mm_h", "range"): 50,
        ("visits.csv", "week", "baseline_missing"): 30,
    }
    assert f"problem list written to {report}" in capsys.readouterr().err


def test_lenient_validate_summarises_and_lists_on_request(messy, capsys):
    assert main(["validate", messy, "--lenient"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:6] == [
        "study 'messy':",
        "  patients: 90 of 100 rows loaded",
        "  visits: 60 of 200 rows loaded",
        "  adverse_events: 0 of 0 rows loaded",
        "  excluded rows (150) and notes (30), by file, column and rule:",
        "    patients.csv, sex, choice: 10",
    ]
    assert "    visits.csv, week, baseline_missing: 30" in out
    assert len(out) <= 40
    assert main(["validate", messy, "--lenient", "--all"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "  excluded rows (150):" in out
    assert len(out) == 4 + 1 + 150 + 1 + 30
