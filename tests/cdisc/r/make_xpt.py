"""Write the small controlled trial's ADaM data sets as XPT into tests/cdisc/r/xpt/ for read_xport.R.

Run from the repository root: ``.venv/bin/python tests/cdisc/r/make_xpt.py``,
then ``Rscript tests/cdisc/r/read_xport.R``. The XPT files and R's reading of them are committed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from axspa.cdisc import write_adam

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))  # tests/, where cdisc_study.py is
    from cdisc_study import build_controlled

    with tempfile.TemporaryDirectory() as tmp:
        adam = build_controlled(Path(tmp) / "study")
    paths = write_adam(adam, HERE / "xpt", xpt=True)
    for key, path in paths.items():
        if not key.endswith(".xpt"):
            path.unlink()
    print(f"{len(adam.datasets)} XPT files written to {HERE / 'xpt'}")
