"""The table of parameter codes: sponsor-defined codes said to be so, CDISC laboratory codes with their C-codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from axspa.cdisc import read_codes
from axspa.errors import InputError

# SDTM controlled terminology 2025-03-25, LBTESTCD: CRP C64548, ESR C74611, IGA C81969
CDISC_LAB_CODES = {
    "crp_mg_l": ("CRP", "CDISC CT LBTESTCD C64548"),
    "esr_mm_h": ("ESR", "CDISC CT LBTESTCD C74611"),
    "iga_g_l": ("IGA", "CDISC CT LBTESTCD C81969"),
}


def test_only_the_laboratory_codes_are_cdisc_terms() -> None:
    codes = read_codes()
    assert set(CDISC_LAB_CODES) <= {p.column for p in codes}  # each laboratory code is checked below
    for p in codes:
        if p.column in CDISC_LAB_CODES:
            assert (p.paramcd, p.terminology) == CDISC_LAB_CODES[p.column]
            assert not p.sponsor_defined
        else:
            assert p.terminology == "sponsor-defined" and p.sponsor_defined, p.column


def test_codes_fit_sas_transport_and_qstest() -> None:
    codes = read_codes()
    assert all(1 <= len(p.paramcd) <= 8 and p.paramcd == p.paramcd.upper() for p in codes)
    assert all(len(p.param) <= 40 for p in codes if p.dataset == "ADQS")
    items = [p.column for p in codes if p.dataset == "ADQS"]
    assert items[:6] == [f"basdai_q{i}" for i in range(1, 7)] and len(items) == 6 + 10 + 2 + 2


def _table(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "codes.csv"
    path.write_text("column,dataset,paramcd,param,category,terminology\n" + row + "\n", encoding="utf-8")
    return path


def test_an_edited_table_is_read(tmp_path: Path) -> None:
    (p,) = read_codes(_table(tmp_path, "basdai,ADEFF,BASDAITS,BASDAI total,INDEX,sponsor-defined"))
    assert (p.column, p.paramcd, p.param) == ("basdai", "BASDAITS", "BASDAI total")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("basdai,ADEFF,BASDAITOTAL,BASDAI,INDEX,sponsor-defined", "paramcd must be 1-8 upper-case .* 'BASDAITOTAL'"),
        ("basdai,ADEFF,basdai,BASDAI,INDEX,sponsor-defined", "got 'basdai'"),
        ("no_such,ADEFF,X,X,INDEX,sponsor-defined", "column 'no_such' is not a measure"),
        ("basdai,ADXX,X,X,INDEX,sponsor-defined", "dataset must be one of ADQS, ADEFF, ADRS; got 'ADXX'"),
        ("basdai_q1,ADQS,Q1,BASDAI question one: level of fatigue overall,BASDAI,sponsor-defined", "at most 40"),
        ("basdai,ADEFF,X,Schöber,INDEX,sponsor-defined", "non-ASCII"),
        ("basdai,ADEFF,X,,INDEX,sponsor-defined", "line 2: param is empty"),
    ],
)
def test_a_bad_table_is_refused_naming_line_and_value(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_codes(_table(tmp_path, row))


def test_a_repeated_code_is_refused(tmp_path: Path) -> None:
    rows = "basdai,ADEFF,X,A,INDEX,sponsor-defined\nbasfi,ADEFF,X,B,INDEX,sponsor-defined"
    with pytest.raises(InputError, match="line 3: paramcd 'X' repeats line 2 in ADEFF"):
        read_codes(_table(tmp_path, rows))
