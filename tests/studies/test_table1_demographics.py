"""Table 1 (n = 13): demographics, recomputed from patients.csv and compared at the printed precision."""

from __future__ import annotations

import pytest

from axspa.testing import assert_printed

# figure id -> how to recompute it from the patients frame
TABLE1 = {
    "table1.n": lambda p: len(p),
    "table1.age.mean": lambda p: p["age_years"].mean(),
    "table1.age.min": lambda p: p["age_years"].min(),
    "table1.age.max": lambda p: p["age_years"].max(),
    "table1.duration.median": lambda p: p["disease_duration_years"].median(),
    "text.duration.mean": lambda p: p["disease_duration_years"].mean(),
    "table1.duration.min": lambda p: p["disease_duration_years"].min(),
    "table1.duration.max": lambda p: p["disease_duration_years"].max(),
    "table1.subtype.juvenile": lambda p: (p["subtype"] == "juvenile").sum(),
    "table1.subtype.axial": lambda p: (p["subtype"] == "axial").sum(),
    "table1.subtype.peripheral": lambda p: (p["subtype"] == "peripheral").sum(),
    "table1.subtype.psoriatic": lambda p: (p["subtype"] == "psoriatic").sum(),
    "text.sex.male": lambda p: (p["sex"] == "male").sum(),
    "text.hla_b27.positive": lambda p: p["hla_b27"].sum(),
}


@pytest.mark.parametrize("figure", sorted(TABLE1))
def test_table1(figure, study, printed):
    assert_printed(float(TABLE1[figure](study.patients)), printed[figure], label=figure)


def test_table1_juvenile_onset_is_before_age_16(study):
    p = study.patients
    juvenile = p[p["subtype"] == "juvenile"]
    assert ((juvenile["age_years"] - juvenile["disease_duration_years"]) < 16).all()
    others = p[p["subtype"] != "juvenile"]
    assert ((others["age_years"] - others["disease_duration_years"]) >= 16).all()
