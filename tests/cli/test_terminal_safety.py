"""Data printed by the command line cannot act on the user's terminal: control characters are written visibly."""

from __future__ import annotations

from pathlib import Path

import pytest

from axspa.cli import main


def test_a_patient_id_with_terminal_escapes_is_printed_visibly(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    pid = "P\x1b[2J\x1b]0;owned\x07\r1"  # clear screen, set the window title, carriage return
    (tmp_path / "patients.csv").write_text(f'patient_id,sex,age_years,status\n"{pid}",male,40,completed\n')
    (tmp_path / "visits.csv").write_text(f'patient_id,week,basdai_q1\n"{pid}",0,11\n')
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "P\\x1b[2J\\x1b]0;owned\\x071" in shown.replace("\\x0d", "")
    assert "\\x0d" in shown  # the carriage return too
    assert not any(c in shown for c in "\x1b\x07\r")
    assert "\n" in shown and shown.count("\n") >= 2  # newlines are kept: the lines stay lines
