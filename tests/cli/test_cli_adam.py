"""`axspa adam STUDY_DIR --out DIR [--xpt]`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from axspa.cli import main
from axspa.studies import thalidomide_2003


def test_adam_writes_csv_and_the_specification(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "adam"
    argv = ["adam", str(thalidomide_2003.folder()), "--out", str(out), "--patient-global", "basg"]
    assert main([*argv, "--treatment", "Thalidomide", "--nri", "--impute", "locf"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "adeff.csv",
        "adqs.csv",
        "adrs.csv",
        "adsl.csv",
        "specification.csv",
        "specification.json",
    ]
    adsl = pd.read_csv(out / "adsl.csv", keep_default_na=False)
    assert len(adsl) == 13 and set(adsl["ARM"]) == {"Thalidomide"}
    spec = json.loads((out / "specification.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in spec["datasets"]] == ["ADSL", "ADQS", "ADEFF", "ADRS"]
    assert "not CDISC controlled terminology" in spec["terminology_note"]
    assert spec["choices"]["imputation"] == "locf" and spec["choices"]["nri"] is True
    printed = capsys.readouterr().out
    assert "ADSL: 13 records" in printed and "not CDISC controlled terminology" in printed


def test_adam_xpt(tmp_path: Path) -> None:
    pytest.importorskip("pyreadstat", reason="writing XPT needs the optional extra cdisc (pyreadstat)")
    out = tmp_path / "adam"
    assert main(["adam", str(thalidomide_2003.folder()), "--out", str(out), "--patient-global", "basg", "--xpt"]) == 0
    back = pd.read_sas(out / "adsl.xpt", format="xport", encoding="ascii")
    assert back["ARM"].tolist() == ["Study treatment"] * 13  # no --treatment given


def test_adam_reports_a_bad_study_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["adam", str(tmp_path / "none"), "--out", str(tmp_path / "out")]) == 2
    assert "does not exist" in capsys.readouterr().err
