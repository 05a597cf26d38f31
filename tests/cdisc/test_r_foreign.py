"""SAS transport files written by axspa, as R's foreign::read.xport reads them (committed output).

tests/cdisc/r/xpt/ holds the small controlled trial's data sets as axspa wrote them (make_xpt.py);
tests/cdisc/r/foreign_<name>.csv is what foreign 0.8.84's read.xport read from them (read_xport.R, run
with R 4 on the development machine; CI has no R, so the test reads the committed output and never
calls R). foreign is independent of pyreadstat, which writes (R haven bundles the same ReadStat library,
so it would not be). foreign reads an XPT zero as 0.

Where R and foreign are installed (the development machine), a further test writes every data set of both
bundled studies and has foreign read them in the same run; it is skipped, with the reason, elsewhere (CI).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_xpt import assert_reads_back_equal

from axspa.cdisc import Adam, Dataset, write_adam

R = Path(__file__).resolve().parent / "r"
NAMES = ("adsl", "adqs", "adeff", "adrs")


def _foreign(name: str) -> pd.DataFrame:
    return pd.read_csv(R / f"foreign_{name}.csv", dtype=str, keep_default_na=False)


def _assert_foreign_equal(got: pd.DataFrame, d: Dataset, name: str) -> None:
    """What foreign::read.xport read (as read_xport.R writes it) equals the data set, value for value."""
    assert list(got.columns) == list(d.frame.columns) and len(got) == len(d.frame), name
    for v in d.variables:
        if v.type == "Num":
            r = got[v.name].replace("NA", "nan").astype(float).to_numpy()
            np.testing.assert_array_equal(r, d.frame[v.name].to_numpy(dtype=float), err_msg=f"{name}.{v.name}")
        else:
            assert got[v.name].tolist() == d.frame[v.name].tolist(), f"{name}.{v.name}"


@pytest.mark.parametrize("name", NAMES)
def test_r_foreign_reads_the_committed_xpt_as_axspa_builds_the_data_set(name: str, controlled: Adam) -> None:
    _assert_foreign_equal(_foreign(name), controlled[name.upper()], name)


@pytest.mark.parametrize("name", NAMES)
def test_pandas_reads_the_committed_xpt_as_r_foreign_does(name: str, controlled: Adam) -> None:
    # both independent readers agree on the same bytes (pandas' zero mapped back, see test_xpt)
    back = pd.read_sas(R / "xpt" / f"{name}.xpt", format="xport", encoding="ascii")
    assert_reads_back_equal(controlled[name.upper()], back)


def _r_foreign_available() -> str | None:
    """None when Rscript with the foreign package can run here, else the reason it cannot."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return "R is not installed (Rscript not on PATH); the committed foreign output is checked above"
    done = subprocess.run([rscript, "-e", "library(foreign)"], capture_output=True, text=True, check=False)
    return None if done.returncode == 0 else "R's foreign package is not installed"


@pytest.mark.parametrize("which", ["reference", "controlled"])
def test_every_xpt_axspa_writes_reads_back_equal_with_r_foreign(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # every data set of both bundled studies, written now and read by foreign::read.xport now (with R present)
    reason = _r_foreign_available()
    if reason is not None:
        pytest.skip(reason)
    adam: Adam = request.getfixturevalue(which)
    write_adam(adam, tmp_path / "xpt", xpt=True)
    script = (R / "read_xport.R").read_text().replace('here <- "tests/cdisc/r"', f"here <- {str(tmp_path)!r}")
    (tmp_path / "read.R").write_text(script)
    done = subprocess.run(["Rscript", str(tmp_path / "read.R")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    for name in NAMES:
        got = pd.read_csv(tmp_path / f"foreign_{name}.csv", dtype=str, keep_default_na=False)
        _assert_foreign_equal(got, adam[name.upper()], name)
