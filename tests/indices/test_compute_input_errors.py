"""Bad input to the compute tier raises InputError naming the argument, the value, the position and the
expectation; inputs are never modified."""

import numpy as np
import pandas as pd
import pytest

from axspa.errors import InputError
from axspa.indices import asdas_crp, basdai, basg, basmi_lin
from axspa.response import asas20, asas_paper_variant, asdas_improvement

SIX = {q: [1.0, 2.0] for q in ("q1", "q2", "q3", "q4", "q5", "q6")}


def test_wrong_length_names_both_arguments():
    with pytest.raises(InputError, match=r"q4 has length 3; expected length 2 \(the length of q1\)"):
        basdai(**SIX | {"q4": [1.0, 2.0, 3.0]})


def test_out_of_range_names_argument_value_position_and_range():
    with pytest.raises(InputError, match=r"q6 must be in \[0, 10\]; got 12\.0 at position 1"):
        basdai(**SIX | {"q6": [1.0, 12.0]})
    with pytest.raises(InputError, match=r"q1 must be in \[0, 10\]; got -0\.5 at position 0"):
        basdai(**SIX | {"q1": -0.5})
    with pytest.raises(InputError, match=r"crp_mg_l must be in \[0, 500\]; got 600\.0"):
        asdas_crp(back_pain=1, stiffness_duration=1, patient_global=1, peripheral_pain=1, crp_mg_l=600)
    with pytest.raises(InputError, match=r"q2 must be in \[0, 10\]; got inf"):
        basdai(**SIX | {"q2": [1.0, np.inf]})


def test_out_of_range_in_a_series_gives_the_index_label():
    s = pd.Series([1.0, 11.0], index=["P01-w0", "P01-w4"])
    with pytest.raises(InputError, match=r"position 1 \(index label 'P01-w4'\)"):
        basdai(**dict.fromkeys(SIX, s))


def test_non_numeric_and_bad_shapes():
    with pytest.raises(InputError, match=r"q3 must be numeric; got 'high' at position 1"):
        basdai(**SIX | {"q3": [1.0, "high"]})
    with pytest.raises(InputError, match=r"q3 must be a scalar or one-dimensional; got an array of shape \(1, 2\)"):
        basdai(**SIX | {"q3": [[1.0, 2.0]]})


def test_series_with_different_indices_are_refused():
    a = pd.Series([1.0, 2.0], index=[0, 1])
    b = pd.Series([1.0, 2.0], index=[1, 0])
    with pytest.raises(InputError, match="q2 and q1 are Series with different indices"):
        basdai(**SIX | {"q1": a, "q2": b})


def test_response_arguments_are_checked():
    four = {f"{n}_{t}": 5 for n in ("patient_global", "pain", "function", "inflammation") for t in ("base", "fu")}
    with pytest.raises(InputError, match=r"pain_fu must be in \[0, 10\]; got 55\.0"):
        asas20(**four | {"pain_fu": 55})
    paper = {k.replace("inflammation", "stiffness"): v for k, v in four.items()}
    with pytest.raises(InputError, match="threshold must be a fraction"):
        asas_paper_variant(**paper, threshold=20)
    with pytest.raises(InputError, match="min_domains must be 1, 2, 3 or 4; got 5"):
        asas_paper_variant(**paper, min_domains=5)
    with pytest.raises(InputError, match="level must be one of"):
        asdas_improvement(asdas_base=3, asdas_fu=1, level="huge")


def test_missing_values_in_any_form_are_accepted():
    out = basdai(**SIX | {"q1": [None, 1.0], "q2": pd.array([1.0, pd.NA], dtype="Float64")})
    assert out.isna().tolist() == [True, True]
    out = basdai(**SIX | {"q1": pd.Series([1.0, None], dtype=object)})
    assert out.isna().tolist() == [False, True]


def test_inputs_are_not_modified():
    arr = np.array([21.1, np.nan, 0.0])
    ser = pd.Series([8.0, 60.0, np.nan], index=[5, 6, 7])
    arr_before, ser_before = arr.copy(), ser.copy()
    out = basmi_lin(
        lateral_flexion_cm=arr,
        tragus_to_wall_cm=ser,
        schober_cm=7.4,
        intermalleolar_cm=124.5,
        cervical_rotation_deg=89.3,
    )
    np.testing.assert_array_equal(arr, arr_before)
    pd.testing.assert_series_equal(ser, ser_before)
    assert list(out.index) == [5, 6, 7]
    # the result does not share memory with an input
    assert not np.shares_memory(out.to_numpy(), arr)
    week = np.array([3.0, 4.0])
    assert not np.shares_memory(basg(week=week).to_numpy(), week)
