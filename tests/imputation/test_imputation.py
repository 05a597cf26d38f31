"""Imputation: observed cases, LOCF, BOCF and non-responder imputation, checked by hand."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axspa.analysis_sets import AnalysisSet
from axspa.errors import InputError
from axspa.imputation import IMPUTATIONS, bocf, impute, locf, non_responder, observed_cases


def visits() -> pd.DataFrame:
    # A: seen at 0, 4, 12; B: seen at 0 only (withdrew); C: missing week-0 value but seen at 4.
    return pd.DataFrame(
        {
            "patient_id": ["A", "A", "A", "B", "C", "C"],
            "week": [0, 4, 12, 0, 0, 4],
            "basdai": [6.0, 5.0, 3.0, 7.0, None, 4.0],
            "basdai_chg": [0.0, -1.0, -3.0, 0.0, None, None],
            "asas20": pd.array([pd.NA, False, True, pd.NA, pd.NA, pd.NA], dtype="boolean"),
        }
    )


SET = AnalysisSet("all", "All", "every patient", ("A", "B", "C", "D"))


def test_observed_cases_grid_without_filling():
    r = observed_cases(visits(), SET, columns=["basdai"], weeks=[0, 4, 8, 12])
    f = r.frame
    assert len(f) == 16  # 4 patients x 4 weeks, D never seen
    assert f["basdai"].notna().sum() == 5  # A0, A4, A12, B0, C4
    assert not f["basdai_imputed"].any()
    assert r.n_imputed == {"basdai": 0}
    assert r.imputation.method == "observed"


def test_locf_by_hand():
    r = locf(visits(), SET, columns=["basdai", "basdai_chg"], weeks=[4, 8, 12])
    f = r.frame.set_index(["patient_id", "week"])
    # A: week 8 takes week 4's 5.0; B: every week takes baseline 7.0; C: week 8 and 12 take 4.0;
    # D: nothing to carry.
    assert f.loc[("A", 8.0), "basdai"] == 5.0
    assert f.loc[("A", 12.0), "basdai"] == 3.0
    assert [f.loc[("B", w), "basdai"] for w in (4.0, 8.0, 12.0)] == [7.0, 7.0, 7.0]
    assert [f.loc[("C", w), "basdai"] for w in (4.0, 8.0, 12.0)] == [4.0, 4.0, 4.0]
    assert f.loc["D", "basdai"].isna().all()
    # imputed: A8, B4, B8, B12, C8, C12 = 6
    assert r.n_imputed["basdai"] == 6
    assert f.loc[("A", 8.0), "basdai_chg"] == -1.0
    assert "LOCF" in r.label and "n = 4" in r.describe()


def test_locf_never_carries_backwards():
    r = locf(visits(), SET, columns=["basdai"], weeks=[0])
    assert pd.isna(r.frame.set_index("patient_id").loc["C", "basdai"])


def test_bocf_by_hand():
    r = bocf(visits(), SET, columns=["basdai", "basdai_chg"], weeks=[0, 4, 8, 12])
    f = r.frame.set_index(["patient_id", "week"])
    assert f.loc[("A", 8.0), "basdai"] == 6.0  # baseline, not week 4
    assert f.loc[("A", 8.0), "basdai_chg"] == 0.0
    assert f.loc[("B", 12.0), "basdai"] == 7.0
    assert pd.isna(f.loc[("C", 8.0), "basdai"])  # baseline missing: stays missing
    assert f.loc[("C", 4.0), "basdai"] == 4.0
    # imputed: A8, B4, B8, B12 = 4
    assert r.n_imputed["basdai"] == 4
    with pytest.raises(InputError, match="baseline_week"):
        bocf(visits(), SET, columns=["basdai"], baseline_week=2)


def test_non_responder_by_hand():
    r = non_responder(visits(), SET, columns=["asas20"], weeks=[4, 12])
    f = r.frame.set_index(["patient_id", "week"])["asas20"]
    assert f.loc[("A", 4.0)] is False or f.loc[("A", 4.0)] == False  # noqa: E712
    assert f.loc[("A", 12.0)]
    assert f.sum() == 1
    assert f.notna().all()
    # A4 observed False, A12 observed True; the other 6 cells imputed.
    assert r.n_imputed["asas20"] == 6
    with pytest.raises(InputError, match="True/False"):
        non_responder(visits(), SET, columns=["basdai"])


def test_impute_dispatch_and_errors():
    r = impute(visits(), SET, method="nri", columns=["asas20"], weeks=[12])
    assert r.imputation is IMPUTATIONS["nri"]
    with pytest.raises(InputError, match="unknown imputation"):
        impute(visits(), SET, method="mice", columns=["asas20"])
    with pytest.raises(InputError, match="lacks column"):
        impute(visits(), SET, method="locf", columns=["basfi"])
    dup = pd.concat([visits(), visits().iloc[[0]]])
    with pytest.raises(InputError, match="one row per patient and week"):
        impute(dup, SET, method="locf", columns=["basdai"])


def test_imputation_does_not_mutate_input():
    v = visits()
    before = v.copy()
    locf(v, SET, columns=["basdai"])
    bocf(v, SET, columns=["basdai"])
    non_responder(v, SET, columns=["asas20"])
    pd.testing.assert_frame_equal(v, before)


@given(st.lists(st.one_of(st.none(), st.floats(0, 10)), min_size=1, max_size=8))
def test_locf_properties(values):
    weeks = list(range(len(values)))
    v = pd.DataFrame({"patient_id": ["A"] * len(values), "week": weeks, "x": values})
    s = AnalysisSet("a", "A", "one patient", ("A",))
    r = locf(v, s, columns=["x"]).frame
    # observed values are kept; each filled value equals the latest observed before it
    last = None
    for obs, got, flag in zip(values, r["x"], r["x_imputed"], strict=True):
        if obs is not None:
            last = obs
            assert got == obs and not flag
        elif last is None:
            assert pd.isna(got) and not flag
        else:
            assert got == last and flag
