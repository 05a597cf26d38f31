"""No traceback reaches a user: every failure of the command is a message on stderr and an exit status of
its kind (0 done, 1 data problems, 2 the command could not run, 3 a bug), the same in every command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from axspa.cli import EXIT_STATUS, build_parser, main
from axspa.studies import thalidomide_2003

BAD_VISITS = "patient_id,week,basdai_q1\nP1,0,5\nP1,12,11\n"


def _bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "patients.csv").write_text("patient_id,sex,age_years,status\nP1,male,40,completed\n")
    (folder / "visits.csv").write_text(BAD_VISITS)
    return folder


def test_exit_status_is_documented_in_the_help() -> None:
    assert sorted(EXIT_STATUS) == [0, 1, 2, 3]
    assert "exit status (every command): 0 done; the data are clean; 1 the data break a rule" in " ".join(
        build_parser().format_help().split()
    )


@pytest.mark.parametrize("command", [["validate"], ["analyze", "--quiet"], ["adam"]])
def test_data_problems_exit_1_in_every_command(command: list[str], tmp_path: Path, capsys) -> None:
    folder = _bad_folder(tmp_path)
    out = ["--out", str(tmp_path / "out")] if command[0] != "validate" else []
    assert main([command[0], str(folder), *command[1:], *out]) == 1
    err = capsys.readouterr().err
    assert "visits.csv, row 2, patient P1, week 12: basdai_q1 must be a number in [0, 10]; got 11" in err
    assert "Traceback" not in err


def test_score_data_problem_exits_1(tmp_path: Path, capsys) -> None:
    (tmp_path / "visits.csv").write_text(BAD_VISITS)
    assert main(["score", str(tmp_path / "visits.csv")]) == 1
    assert "basdai_q1 must be a number in [0, 10]; got 11" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["validate", "analyze", "adam"])
def test_study_folder_that_does_not_exist_exits_2(command: str, tmp_path: Path, capsys) -> None:
    options = {"validate": [], "analyze": ["--quiet", "--out", str(tmp_path)], "adam": ["--out", str(tmp_path)]}
    assert main([command, str(tmp_path / "nowhere"), *options[command]]) == 2
    expected = f"axspa: study folder {str(tmp_path / 'nowhere')!r} does not exist or is not a folder\n"
    assert capsys.readouterr().err == expected


def test_unreadable_file_exits_2_naming_file_and_line(tmp_path: Path, capsys) -> None:
    (tmp_path / "visits.csv").write_bytes("patient_id,week\nP\xe9,0\n".encode("latin-1"))
    assert main(["score", str(tmp_path / "visits.csv")]) == 2
    assert capsys.readouterr().err.startswith("axspa: visits.csv, line 2: not UTF-8 text (byte 0xe9)")


def test_output_in_a_folder_that_does_not_exist_exits_2(tmp_path: Path, capsys) -> None:
    report = tmp_path / "no" / "such" / "exclusions.csv"
    assert main(["validate", str(thalidomide_2003.folder()), "--lenient", "--exclusions", str(report)]) == 2
    expected = f"axspa: file error: Cannot save file into a non-existent directory: '{tmp_path / 'no' / 'such'}'\n"
    assert capsys.readouterr().err.endswith(expected)


def test_output_folder_that_cannot_be_made_exits_2(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    report = blocker / "exclusions.csv"
    assert main(["validate", str(thalidomide_2003.folder()), "--lenient", "--exclusions", str(report)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("axspa: file error: ") and "Traceback" not in err
    assert main(["adam", str(thalidomide_2003.folder()), "--out", str(blocker / "adam")]) == 2
    assert capsys.readouterr().err == f"axspa: file error: Not a directory: {str(blocker / 'adam')!r}\n"


def test_closed_standard_output_exits_2_without_traceback() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone, as after `| head -1`
    try:
        done = subprocess.run(
            [sys.executable, "-m", "axspa", "validate", str(thalidomide_2003.folder())],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 2
    assert done.stderr == "axspa: standard output was closed before the command finished\n"


def test_unexpected_error_is_a_message_and_status_3(monkeypatch, capsys) -> None:
    import axspa.cli as cli

    def broken(args: object) -> int:
        raise KeyError("basdai")

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parser._subparsers._group_actions[0].choices["audit"].set_defaults(func=broken)  # type: ignore[union-attr]
    assert main(["audit"]) == 3
    assert capsys.readouterr().err == (
        "axspa: unexpected error (KeyError: 'basdai'); this is a bug in axspa, please report it "
        "(set AXSPA_TRACEBACK=1 to see the traceback)\n"
    )


def test_map_of_a_file_that_is_not_a_workbook_exits_2(tmp_path: Path, capsys) -> None:
    export = tmp_path / "export.xlsx"
    export.write_text("patient_id,week\n")
    assert main(["map", str(export)]) == 2
    assert capsys.readouterr().err.startswith("axspa: export.xlsx is not an Excel workbook that can be read (")
