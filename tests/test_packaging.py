"""A non-editable install carries the package and the bundled studies' files."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds and installs a wheel

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    (path,) = out.glob("axspa-*.whl")
    return path


def test_wheel_contains_the_bundled_study(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    assert "axspa/_data/thalidomide_2003/patients.csv" in names
    assert "axspa/_data/thalidomide_2003/published.json" in names
    for name in ("patients.csv", "visits.csv", "adverse_events.csv", "study.toml", "README.md"):
        assert f"axspa/_data/synthetic_rct/{name}" in names
    for name in ("patients.csv", "visits.csv", "study.toml", "published.json", "conventions.json", "README.md"):
        assert f"axspa/_data/esther_2011/{name}" in names
    assert "axspa/py.typed" in names
    assert "axspa/cdisc/codes.csv" in names  # the table of parameter codes (read with importlib.resources)


def test_installed_wheel_imports_and_finds_the_study(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)], check=True
    )
    code = (
        "import axspa, axspa.studies.thalidomide_2003 as t; "
        f"assert axspa.__file__.startswith({str(target)!r}), axspa.__file__; "
        "s = t.load(); assert (len(s.patients), len(s.visits)) == (13, 78), s.summary(); "
        "from axspa.studies import synthetic_rct as r; c = r.load(); "
        "assert str(r.folder()).startswith(str(t.folder().parent)), r.folder(); "
        "assert (len(c.patients), len(c.visits), c.design.control) == (80, 436, 'placebo'), c.summary(); "
        "print(t.folder()); print(len(t.published()['figures']))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, check=True
    )
    folder, count = result.stdout.split()
    assert folder.startswith(str(target))
    assert int(count) > 50
    # 8 completers x 8 visits + 2 dropouts x 4 (weeks 0-8) + 3 adverse-event withdrawals x 2 (weeks 0, 2) = 78
