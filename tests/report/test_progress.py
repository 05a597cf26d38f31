"""Progress within the long table step: shown on a terminal with progress on, quiet otherwise."""

from __future__ import annotations

import io

import pytest

from axspa.report import analyze
from axspa.report.pipeline import terminal_ticker
from axspa.studies import synthetic_rct

from .data import write_synthetic_study


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_ticker_writes_on_a_terminal_only_when_progress_is_on() -> None:
    term = FakeTerminal()
    tick = terminal_ticker(True, term)
    assert tick is not None
    tick("outcomes table")
    assert term.getvalue() == "axspa:   outcomes table\n"
    assert terminal_ticker(False, FakeTerminal()) is None
    assert terminal_ticker(print, FakeTerminal()) is None  # a callable gets the step messages only
    assert terminal_ticker(True, io.StringIO()) is None  # not a terminal: quiet


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("progress")
    write_synthetic_study(root / "study")
    return root / "study"


def test_analyze_lists_the_tables_on_a_terminal(study, monkeypatch: pytest.MonkeyPatch) -> None:
    term = FakeTerminal()
    monkeypatch.setattr("sys.stderr", term)
    analyze(study, None, progress=True)
    lines = term.getvalue().splitlines()
    assert "axspa:   responses table" in lines
    # one line per measure of the outcomes table, whose exact tests take the time on a large cohort
    outcome_lines = [line for line in lines if line.startswith("axspa:   outcomes: ")]
    first = "axspa:   outcomes: BASDAI (0-10) (signed-rank tests and Hodges-Lehmann intervals by visit)"
    assert outcome_lines[0] == first
    assert len(outcome_lines) == len(set(outcome_lines)) > 1
    start = lines.index("axspa: building the tables ...")
    assert lines.index("axspa:   responses table") == start + 1


@pytest.mark.parametrize("progress", [True, False])
def test_analyze_lists_no_tables_off_a_terminal(study, monkeypatch: pytest.MonkeyPatch, progress: bool) -> None:
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stderr", pipe)
    analyze(study, None, progress=progress)
    assert "axspa:   " not in pipe.getvalue()
    assert ("axspa: building the tables ..." in pipe.getvalue()) is progress  # the step lines as before
    quiet = FakeTerminal()
    monkeypatch.setattr("sys.stderr", quiet)
    analyze(study, None, progress=False)
    assert quiet.getvalue() == ""


def test_controlled_analysis_lists_tables_and_measures_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    term = FakeTerminal()
    monkeypatch.setattr("sys.stderr", term)
    analyze(synthetic_rct.load(), None, progress=True)
    lines = term.getvalue().splitlines()
    start = lines.index("axspa: building the controlled-trial tables and figures ...")
    assert lines[start + 1 : start + 3] == [
        "axspa:   responses by arm",
        "axspa:   change from baseline by arm: BASDAI (0-10) (mmrm, rank-sum)",
    ]
    assert "axspa:   change from baseline by arm: BASFI (0-10) (mmrm, rank-sum)" in lines
    assert "axspa:   figures by arm" in lines
    done = next(
        i
        for i, line in enumerate(lines)
        if line.startswith("axspa: building the controlled-trial tables and figures done")
    )
    assert start < lines.index("axspa:   figures by arm") < done
