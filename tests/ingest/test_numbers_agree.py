"""Both loading engines accept the same numbers (the frame engine's, pandas.to_numeric's, are the reference),
and a lone "-" in a yes/no column is an error, not a silent "negative"."""

from __future__ import annotations

import pandas as pd
import pytest

from axspa.io import validate_frames

# value -> accepted (True) or refused (False), as pandas.to_numeric reads it
VALUES = {
    "5": True,
    " 5 ": True,
    "+5": True,
    "5.": True,
    ".5": True,
    "5e-1": True,
    "1_0": False,  # Python's float() takes digit-group underscores
    "\uff15": False,  # full-width 5: float() takes it
    "\u0665": False,  # Arabic-Indic 5: float() takes it
    "\u22125": False,  # minus sign, not hyphen-minus
    "5\u00a0": False,  # no-break space
    "5,0": False,
    "inf": False,
}


@pytest.fixture(scope="module")
def loaded() -> dict[str, object]:
    n = len(VALUES)
    ids = [f"P{i:02d}" for i in range(n)]
    patients = pd.DataFrame(
        {
            "patient_id": ids,
            "sex": ["male"] * n,
            "age_years": ["40"] * n,
            "hla_b27": ["-", "+", "pos", "neg", "", *["positive"] * (n - 5)],
            "status": ["completed"] * n,
        }
    )
    visits = pd.DataFrame({"patient_id": ids, "week": ["0"] * n, "basdai_q1": list(VALUES), "crp_mg_l": list(VALUES)})
    return {e: validate_frames(patients, visits, strict=False, engine=e) for e in ("frame", "records")}


@pytest.mark.parametrize("engine", ["frame", "records"])
def test_engines_accept_the_same_numbers(loaded, engine) -> None:
    study = loaded[engine]
    visit_rows = study.exclusions[study.exclusions["field"].isin(["basdai_q1", "crp_mg_l"])]
    refused = {v for v, ok in VALUES.items() if not ok}
    assert set(visit_rows["value"]) == refused
    assert sorted(visit_rows["field"].unique()) == ["basdai_q1", "crp_mg_l"]
    accepted = study.visits.set_index("patient_id")["basdai_q1"].tolist()
    assert accepted == [5.0, 5.0, 5.0, 0.5, 0.5]  # P00's visit is excluded with its patient (hla_b27 "-")
    messages = dict(zip(visit_rows["field"] + " " + visit_rows["value"], visit_rows["message"], strict=True))
    assert messages["basdai_q1 1_0"] == "basdai_q1 must be a number in [0, 10]; got '1_0', which is not a number"
    assert messages["crp_mg_l \uff15"] == (
        "crp_mg_l must be a number in [0, 500] (or a censored value such as '<5'); got '\uff15', which is not a number"
    )


@pytest.mark.parametrize("engine", ["frame", "records"])
def test_a_dash_is_not_negative(loaded, engine) -> None:
    study = loaded[engine]
    rows = study.exclusions[study.exclusions["field"] == "hla_b27"]
    assert rows[["row", "value", "message"]].values.tolist() == [
        [1, "-", "hla_b27 must be true or false (yes/no, 1/0, positive/negative); got '-'"]
    ]
    hla = study.patients.set_index("patient_id")["hla_b27"]
    assert [hla["P01"], hla["P02"], hla["P03"]] == [True, True, False] and pd.isna(hla["P04"])


def test_engines_agree_on_the_whole_result(loaded) -> None:
    frame, records = loaded["frame"], loaded["records"]
    pd.testing.assert_frame_equal(frame.exclusions, records.exclusions, check_dtype=False)
    pd.testing.assert_frame_equal(frame.visits, records.visits, check_dtype=False)
