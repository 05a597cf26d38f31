"""`axspa score VISITS.csv -o OUT.csv`."""

from __future__ import annotations

import pandas as pd

from axspa.cli import main
from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS


def _visits() -> pd.DataFrame:
    # Patient P1: every item 6 at baseline, 3 at week 12 -> BASDAI 6 -> 3, BASFI 6 -> 3.
    rows = []
    for week, level in ((0, 6.0), (12, 3.0)):
        row = {
            "patient_id": "P1",
            "week": week,
            "basg_week": level,
            "basg_6m": level,
            "patient_global": level,
            "back_pain": level,
            "esr_mm_h": 20,
            "crp_mg_dl": 0.5,
        }
        row.update({c: level for c in (*BASDAI_ITEMS, *BASFI_ITEMS)})
        rows.append(row)
    return pd.DataFrame(rows)


def test_score_writes_indices_and_responses(tmp_path):
    source, out = tmp_path / "visits.csv", tmp_path / "scores.csv"
    _visits().to_csv(source, index=False)
    assert main(["score", str(source), "-o", str(out)]) == 0
    scores = pd.read_csv(out)
    assert scores["basdai"].tolist() == [6.0, 3.0]
    assert scores["basdai_chg"].tolist() == [0.0, -3.0]
    # Each domain halves (6 -> 3): a 50 % and 3-unit improvement, so ASAS20 and ASAS40.
    assert scores.loc[1, ["asas20", "asas40"]].tolist() == [True, True]


def test_score_refuses_bad_values(tmp_path, capsys):
    visits = _visits()
    visits.loc[1, "basdai_q3"] = 12
    source = tmp_path / "visits.csv"
    visits.to_csv(source, index=False)
    assert main(["score", str(source)]) == 1  # a data problem: the same status as validate's
    assert "row 2, patient P1, week 12: basdai_q3 must be a number in [0, 10]; got 12" in capsys.readouterr().err
