"""Data printed by the command line cannot act on the user's terminal: control characters are written visibly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from axspa.cli import main


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


PID = "P\x1b[2J\x1b]0;owned\x07\r1"  # clear screen, set the window title, carriage return


def _study(folder: Path) -> Path:
    (folder / "patients.csv").write_text(f'patient_id,sex,age_years,status\n"{PID}",male,40,completed\n')
    (folder / "visits.csv").write_text(f'patient_id,week,basdai_q1\n"{PID}",0,11\n')
    return folder


def test_a_patient_id_with_terminal_escapes_is_printed_visibly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out, err = FakeTerminal(), FakeTerminal()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    assert main(["validate", str(_study(tmp_path))]) == 1
    shown = out.getvalue() + err.getvalue()
    assert "P\\x1b[2J\\x1b]0;owned\\x071" in shown.replace("\\x0d", "")
    assert "\\x0d" in shown  # the carriage return too
    assert not any(c in shown for c in "\x1b\x07\r")
    assert "\n" in shown and shown.count("\n") >= 2  # newlines are kept: the lines stay lines


def test_data_written_to_a_file_or_pipe_stay_as_they_are(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # axspa score writes the scored visits to standard output: redirected, they are data, not escaped
    visits = tmp_path / "visits.csv"
    visits.write_text(f'patient_id,week,basdai_q1\n"{PID}",0,5\n')
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stdout", pipe)
    assert main(["score", str(visits)]) == 0
    assert "\x1b[2J" in pipe.getvalue()
