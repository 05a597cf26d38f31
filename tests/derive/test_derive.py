"""score_visits: hand-worked frame, column contract, options and input errors."""

import numpy as np
import pandas as pd
import pytest

from axspa.derive import INDEX_COLUMNS, RESPONSE_COLUMNS, score_visits
from axspa.errors import InputError
from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS, BASG_ITEMS, BASMI_COMPONENTS

NA = pd.NA
ITEMS = (*BASDAI_ITEMS, *BASFI_ITEMS, *BASG_ITEMS, "patient_global", "back_pain")


def visit(patient_id, week, level, **extra):
    """One visit with every 0-10 item at ``level``; labs and other columns in ``extra``."""
    row = {"patient_id": patient_id, "week": week, **dict.fromkeys(ITEMS, float(level))}
    row |= {"esr_mm_h": 20.0, "crp_mg_l": 5.0}
    return row | extra


def frame(rows, index=None):
    return pd.DataFrame(rows, index=index)


@pytest.fixture
def visits():
    # rows deliberately out of order: A's follow-up before A's baseline; B has no baseline row
    return frame(
        [
            visit("A", 12, 3, crp_mg_l=4.0, esr_mm_h=16.0),
            visit("B", 4, 1),
            visit("A", 0, 6, crp_mg_l=10.0, esr_mm_h=25.0),
        ],
        index=[30, 10, 20],
    )


def test_hand_worked_frame(visits):
    before = visits.copy(deep=True)
    out = score_visits(visits)
    pd.testing.assert_frame_equal(visits, before)  # input untouched
    assert list(out.index) == [30, 10, 20]  # same index, same order
    assert out["patient_id"].tolist() == ["A", "B", "A"]

    a12, b4, a0 = 30, 10, 20
    # BASDAI all items 3 -> (4*3 + 3)/5 = 3; baseline 6; change -3; percent change -50
    assert out.loc[a12, ["basdai", "basdai_base", "basdai_chg", "basdai_pchg"]].tolist() == pytest.approx(
        [3.0, 6.0, -3.0, -50.0]
    )
    # ASDAS-CRP: week 0: 0.362*6 + 0.579*ln(11) = 2.172 + 1.388381 = 3.560381 (very high)
    #            week 12: 0.362*3 + 0.579*ln(5) = 1.086 + 0.931865 = 2.017865 (low); change -1.542516
    assert out.loc[a0, "asdas_crp"] == pytest.approx(3.560381, abs=1e-6)
    assert out.loc[a12, "asdas_crp"] == pytest.approx(2.017865, abs=1e-6)
    assert out.loc[a12, "asdas_crp_chg"] == pytest.approx(-1.542516, abs=1e-6)
    assert out.loc[a0, "asdas_crp_state"] == "very high"
    assert out.loc[a12, "asdas_crp_state"] == "low"
    # ASDAS-ESR: week 0: 0.347*6 + 0.293*5 = 3.547 (very high); week 12: 0.347*3 + 0.293*4 = 2.213 (high)
    assert out.loc[[a0, a12], "asdas_esr"].tolist() == pytest.approx([3.547, 2.213], abs=1e-9)
    assert out.loc[[a0, a12], "asdas_esr_state"].tolist() == ["very high", "high"]
    # responses at week 12: 6 -> 3 in every domain = 50 % and 3 units
    # asas20/40 yes; 5/6: 4 domains + CRP 10 -> 4 (60 %) = 5 of 6 (flexion not recorded); BASDAI50: 3 >= 3;
    # ASDAS: 1.54 >= 1.1 but < 2.0; partial remission: 3 > 2; paper: > 20 % and > 40 % in all 4
    expected = {
        "asas20": True,
        "asas40": True,
        "asas_5of6": True,
        "asas_pr": False,
        "basdai50": True,
        "asdas_crp_cii": True,
        "asdas_crp_mi": False,
        "asas20_paper": True,
        "asas40_paper": True,
    }
    assert {k: bool(out.loc[a12, k]) for k in RESPONSE_COLUMNS} == expected
    # baseline row: identical to itself -> no response; B: no baseline row -> change-based responses NA,
    # but partial remission is a state (all domains 1 <= 2)
    assert not out.loc[a0, [c for c in RESPONSE_COLUMNS]].any()
    assert out.loc[b4, [c for c in RESPONSE_COLUMNS if c != "asas_pr"]].isna().all()
    assert bool(out.loc[b4, "asas_pr"]) is True
    assert np.isnan(out.loc[b4, "basdai_base"])
    for name in RESPONSE_COLUMNS:
        assert str(out[name].dtype) == "boolean", name


def test_column_contract(visits):
    out = score_visits(visits)
    indices = [i for i in INDEX_COLUMNS if i != "basmi_lin"]
    for name in indices:
        for suffix in ("", "_base", "_chg", "_pchg"):
            assert f"{name}{suffix}" in out.columns
    assert {"asdas_crp_state", "asdas_esr_state"} <= set(out.columns)
    assert set(RESPONSE_COLUMNS) <= set(out.columns)
    assert "basmi_lin" not in out.columns  # no BASMI components recorded
    assert out.columns[:2].tolist() == ["patient_id", "week"]
    assert out.attrs["choices"]["patient_global"] == "patient_global"


def test_basmi_when_components_present():
    comps = dict(zip(BASMI_COMPONENTS, (10, 15, 4, 100, 60), strict=True))
    out = score_visits(frame([visit("A", 0, 5, **comps)]))
    # hand (tests/indices/test_indices.py, test_basmi_lin_spec_check): 10, 15, 4, 100, 60 -> 3.675
    assert out["basmi_lin"].iloc[0] == pytest.approx(3.67465, abs=1e-5)
    assert out["basmi_lin_chg"].iloc[0] == 0.0


def test_patient_global_and_pain_choices():
    # patient_global column says 9 at baseline and 9 at follow-up; BAS-G items go 6 -> 3.
    # pain: back_pain stays 9, BASDAI Q2 goes 6 -> 3.
    rows = [
        visit("A", 0, 6, patient_global=9.0, back_pain=9.0),
        visit("A", 8, 3, patient_global=9.0, back_pain=9.0),
    ]
    visits = frame(rows)
    # default domains: patient global 9 -> 9, pain 9 -> 9: only function and inflammation improve
    assert bool(score_visits(visits)["asas20"].iloc[1]) is False
    # BAS-G as patient global and BASDAI Q2 as pain: all four domains 6 -> 3
    out = score_visits(visits, patient_global="basg", pain="basdai_q2")
    assert bool(out["asas20"].iloc[1]) is True
    assert out.attrs["choices"]["patient_global"] == "basg"
    # BAS-G as patient global also feeds ASDAS: 0.121*3 + 0.058*3 + 0.110*3 + 0.073*3 + 0.579*ln(6)
    # = 1.086 + 1.037429 = 2.123429
    assert out["asdas_crp"].iloc[1] == pytest.approx(2.123429, abs=1e-6)


def test_partial_remission_strictness_and_paper_options():
    rows = [visit("A", 0, 5), visit("A", 24, 2)]
    assert bool(score_visits(frame(rows))["asas_pr"].iloc[1]) is True
    assert bool(score_visits(frame(rows), partial_remission_inclusive=False)["asas_pr"].iloc[1]) is False
    # paper stiffness = BASDAI Q5 alone: Q5 5 -> 4.5 is only 10 %, so with min_domains=4 no response,
    # while the default (Q5+Q6 mean 5 -> 3.25) responds
    rows = [visit("A", 0, 5), visit("A", 24, 2, basdai_q5=4.5)]
    assert bool(score_visits(frame(rows))["asas20_paper"].iloc[1]) is True
    assert bool(score_visits(frame(rows), paper_stiffness="basdai_q5")["asas20_paper"].iloc[1]) is False
    out = score_visits(frame(rows), paper_stiffness="basdai_q5", paper_min_domains=3)
    assert bool(out["asas20_paper"].iloc[1]) is True


def test_crp_censored_column_and_floor():
    censored = pd.array([False, True], dtype="boolean")
    visits = frame([visit("A", 0, 5, crp_mg_l=5.0), visit("A", 4, 5, crp_mg_l=5.0)])
    visits["crp_mg_l_censored"] = censored
    out = score_visits(visits)
    # week 0: 1.81 + 0.579*ln(6) = 2.847429; week 4 "<5" -> 2 mg/L: 1.81 + 0.579*ln(3) = 2.446097
    assert out["asdas_crp"].tolist() == pytest.approx([2.847429, 2.446097], abs=1e-6)
    out = score_visits(visits, crp_floor=False)
    assert out["asdas_crp"].tolist() == pytest.approx([2.847429, 2.847429], abs=1e-6)


def test_single_item_basg():
    visits = frame([visit("A", 0, 6), visit("A", 4, 3)]).drop(columns=["basg_6m"])
    out = score_visits(visits)
    assert out["basg"].tolist() == [6.0, 3.0]
    assert out.attrs["choices"]["basg_items"] == ("basg_week",)


def test_duplicate_index_labels_and_result_independent_of_input():
    visits = frame([visit("A", 0, 6), visit("A", 4, 3)], index=[7, 7])
    out = score_visits(visits)
    assert list(out.index) == [7, 7]
    assert out["basdai_chg"].tolist() == [0.0, -3.0]
    out.iloc[0, out.columns.get_loc("patient_id")] = "changed"
    out.iloc[0, out.columns.get_loc("week")] = 99
    assert visits["patient_id"].tolist() == ["A", "A"]
    assert visits["week"].tolist() == [0, 4]


def test_empty_frame_gives_empty_result_with_every_column():
    out = score_visits(frame([visit("A", 0, 5)]).iloc[:0])
    assert len(out) == 0
    assert set(RESPONSE_COLUMNS) <= set(out.columns)


def test_other_baseline_week():
    visits = frame([visit("A", -2, 8), visit("A", 0, 6), visit("A", 12, 3)])
    out = score_visits(visits, baseline_week=-2)
    # BASDAI 8 -> 6 -> 3: changes 0, -2, -5
    assert out["basdai_chg"].tolist() == pytest.approx([0.0, -2.0, -5.0])


# ------------------------------------------------------------------------------------------- errors


def test_missing_column_is_named():
    visits = frame([visit("A", 0, 5)]).drop(columns=["basfi_q3", "back_pain"])
    with pytest.raises(InputError, match="basfi_q3, back_pain"):
        score_visits(visits)


def test_out_of_range_names_column_value_row_patient_week():
    visits = frame([visit("A", 0, 5), visit("P03", 8, 5, basdai_q6=12.0)])
    with pytest.raises(
        # the input boundary's message (axspa.ingest), placed by frame row, patient and week
        InputError,
        match=r"^row 1, patient P03, week 8: basdai_q6 must be a number in \[0, 10\]; got 12\. ",
    ):
        score_visits(visits)


def test_non_numeric_value_is_named():
    visits = frame([visit("A", 0, 5), visit("A", 4, 5, crp_mg_l="<5")])
    expected = r"^row 1, patient A, week 4: crp_mg_l must be a number in \[0, 500\]; got '<5', which is not a number"
    with pytest.raises(InputError, match=expected):
        score_visits(visits)


def test_two_baseline_rows_are_an_error():
    with pytest.raises(InputError, match=r"patient A has more than one visit at week 0 \(rows 0, 1\)"):
        score_visits(frame([visit("A", 0, 5), visit("A", 0, 4)]))


def test_missing_patient_id_is_an_error():
    with pytest.raises(InputError, match=r"^patient_id must not be missing; got a missing value in row 1$"):
        score_visits(frame([visit("A", 0, 5), visit(None, 4, 5)]))


def test_not_a_frame():
    with pytest.raises(InputError, match="must be a pandas DataFrame"):
        score_visits([visit("A", 0, 5)])


def test_a_censoring_flag_that_is_not_true_or_false_is_named_with_its_row_patient_and_week():
    visits = frame([visit("A", 0, 5), visit("A", 4, 5), visit("B", 0, 5)])
    visits["crp_mg_l_censored"] = pd.Series([False, "maybe", True], dtype=object)
    expected = r"^row 1, patient A, week 4: crp_mg_l_censored must be True, False or missing; got 'maybe'$"
    with pytest.raises(InputError, match=expected):
        score_visits(visits)


def test_a_censoring_flag_column_of_mixed_flag_values_is_read_cell_by_cell():
    # True, 1 and 1.0 are censored; False, 0.0 and the missing cells are not (each cell read as a flag alone)
    visits = frame([visit(p, 0, 5, crp_mg_l=5.0) for p in "ABCDEFG"])
    visits["crp_mg_l_censored"] = pd.Series([True, 1, 1.0, False, 0.0, None, np.nan], dtype=object)
    out = score_visits(visits)
    # uncensored: 1.81 + 0.579 ln(6) = 2.847429; censored "<5" read as 2 mg/L: 1.81 + 0.579 ln(3) = 2.446097
    assert out["asdas_crp"].tolist() == pytest.approx([2.446097] * 3 + [2.847429] * 4, abs=1e-6)
