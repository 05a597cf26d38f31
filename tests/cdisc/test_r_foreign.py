"""SAS transport files written by axspa, as R's foreign::read.xport reads them (committed output).

tests/cdisc/r/xpt/ holds the small controlled trial's data sets as axspa wrote them (make_xpt.py);
tests/cdisc/r/foreign_<name>.csv is what foreign 0.8.84's read.xport read from them (read_xport.R, run
with R 4 on the development machine; CI has no R, so the test reads the committed output and never
calls R). foreign is independent of pyreadstat, which writes (R haven bundles the same ReadStat library,
so it would not be). foreign reads an XPT zero as 0.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_xpt import assert_reads_back_equal

from axspa.cdisc import Adam

R = Path(__file__).resolve().parent / "r"
NAMES = ("adsl", "adqs", "adeff", "adrs")


def _foreign(name: str) -> pd.DataFrame:
    return pd.read_csv(R / f"foreign_{name}.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", NAMES)
def test_r_foreign_reads_the_committed_xpt_as_axspa_builds_the_data_set(name: str, controlled: Adam) -> None:
    d = controlled[name.upper()]
    got = _foreign(name)
    assert list(got.columns) == list(d.frame.columns) and len(got) == len(d.frame)
    for v in d.variables:
        if v.type == "Num":
            r = got[v.name].replace("NA", "nan").astype(float).to_numpy()
            np.testing.assert_array_equal(r, d.frame[v.name].to_numpy(dtype=float), err_msg=f"{name}.{v.name}")
        else:
            assert got[v.name].tolist() == d.frame[v.name].tolist(), f"{name}.{v.name}"


@pytest.mark.parametrize("name", NAMES)
def test_pandas_reads_the_committed_xpt_as_r_foreign_does(name: str, controlled: Adam) -> None:
    # both independent readers agree on the same bytes (pandas' zero mapped back, see test_xpt)
    back = pd.read_sas(R / "xpt" / f"{name}.xpt", format="xport", encoding="ascii")
    assert_reads_back_equal(controlled[name.upper()], back)
