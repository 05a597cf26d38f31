"""Reference values for the disease indices.

Every expected value comes from outside the code: a hand calculation with the formula of the index's original
publication, written out in the comment next to it (full references: tests/SOURCES.md).
"""

import numpy as np
import pandas as pd
import pytest

from axspa.errors import InputError
from axspa.indices import (
    ASDAS_STATES,
    asdas_crp,
    asdas_esr,
    asdas_state,
    basdai,
    basfi,
    basg,
    basmi_lin,
    inflammation,
    stiffness_duration_from_minutes,
)


def _basdai(items):
    return basdai(**{f"q{i}": v for i, v in enumerate(items, start=1)})


def _basfi(items):
    return basfi(**{f"q{i}": v for i, v in enumerate(items, start=1)})


def _asdas_crp(bp, dur, pg, periph, crp, **kw):
    return asdas_crp(
        back_pain=bp, stiffness_duration=dur, patient_global=pg, peripheral_pain=periph, crp_mg_l=crp, **kw
    )


def _asdas_esr(bp, dur, pg, periph, esr, **kw):
    return asdas_esr(
        back_pain=bp, stiffness_duration=dur, patient_global=pg, peripheral_pain=periph, esr_mm_h=esr, **kw
    )


# ----------------------------------------------------------------------------------------------- BASDAI


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        # hand, Garrett 1994 formula: (2+10+7+1+(9+3)/2)/5 = 26/5 = 5.2
        ((2, 10, 7, 1, 9, 3), 5.2),
        # hand, Garrett 1994 formula: (2+7+1+4+(9+6)/2)/5 = 21.5/5 = 4.3
        ((2, 7, 1, 4, 9, 6), 4.3),
        # hand: (1+2+3+4+(5+6)/2)/5 = 15.5/5 = 3.1 (the plain six-item mean would be 3.5)
        ((1, 2, 3, 4, 5, 6), 3.1),
        # hand: stiffness only, (0+0+0+0+(10+10)/2)/5 = 10/5 = 2.0
        ((0, 0, 0, 0, 10, 10), 2.0),
        # hand: extremes 0 and 10
        ((0, 0, 0, 0, 0, 0), 0.0),
        ((10, 10, 10, 10, 10, 10), 10.0),
    ],
)
def test_basdai_reference(items, expected):
    assert _basdai(items).iloc[0] == pytest.approx(expected, abs=1e-12)


def test_basdai_missing_item_is_missing_and_index_is_kept():
    q = pd.Series([2.0, 2.0], index=["a", "b"])
    out = basdai(q1=q, q2=q, q3=q, q4=pd.Series([2.0, None], index=["a", "b"]), q5=q, q6=q)
    assert out.name == "basdai"
    assert list(out.index) == ["a", "b"]
    # hand: all items 2 -> (8 + 2)/5 = 2.0; a missing Q4 gives a missing score (no proration)
    assert out["a"] == pytest.approx(2.0)
    assert np.isnan(out["b"])


# ----------------------------------------------------------------------------------------------- BASFI


def test_basfi_spec_check():
    # hand, Calin 1994 formula: (0+1+...+9)/10 = 45/10 = 4.5
    assert _basfi(range(10)).iloc[0] == pytest.approx(4.5)


def test_basfi_hand():
    # hand: nine items 1 and one item 10: 19/10 = 1.9
    assert _basfi([1] * 9 + [10]).iloc[0] == pytest.approx(1.9)
    # hand: a missing item -> missing
    assert np.isnan(_basfi([1] * 9 + [None]).iloc[0])


# ----------------------------------------------------------------------------------------------- BAS-G


def test_basg_mean_and_single_item():
    # hand: (6 + 7)/2 = 6.5
    both = basg(week=6, six_months=7)
    assert both.name == "basg"
    assert both.iloc[0] == pytest.approx(6.5)
    # a single collected item is the score, labelled as such
    only = basg(six_months=[3.0, 4.5])
    assert only.name == "basg_6m_only"
    assert only.tolist() == [3.0, 4.5]
    with pytest.raises(InputError, match="basg needs at least one item"):
        basg()


def test_inflammation_hand():
    # hand: (9 + 4)/2 = 6.5; either item missing -> missing
    out = inflammation(q5=[9, 9], q6=[4, None])
    assert out.iloc[0] == pytest.approx(6.5)
    assert np.isnan(out.iloc[1])


def test_stiffness_minutes_helper():
    # Garrett1994 scale: 0 = none, 5 = 1 hour, 10 = 2 hours or more -> min(minutes, 120)/12
    # 45 min -> 3.75; 90 min -> 7.5; 240 min -> capped at 10
    out = stiffness_duration_from_minutes(minutes=[45, 90, 240, None])
    assert out.tolist()[:3] == pytest.approx([3.75, 7.5, 10.0])
    assert np.isnan(out.iloc[3])
    with pytest.raises(InputError, match=r"minutes must be in \[0, 1440\]; got -5\.0"):
        stiffness_duration_from_minutes(minutes=-5)


# ----------------------------------------------------------------------------------------------- ASDAS


def test_asdas_crp_spec_checks():
    # hand, Lukas 2009 weights: BP 6, duration 5, PG 6, peripheral 4, CRP 10 mg/L -> 3.356 (high)
    # 0.121*6 + 0.058*5 + 0.110*6 + 0.073*4 = 1.968; 0.579*ln(11) = 1.388381 -> 3.356381
    assert _asdas_crp(6, 5, 6, 4, 10).iloc[0] == pytest.approx(3.356381, abs=1e-6)
    # hand, Machado 2015 floor: all four 5, CRP 0.5 mg/L -> 2 mg/L: 0.362*5 + 0.579*ln(3) = 1.81 + 0.636097 = 2.446
    assert _asdas_crp(5, 5, 5, 5, 0.5).iloc[0] == pytest.approx(2.446097, abs=1e-6)
    # hand: all four 1, CRP 0.2 mg/dL = 2 mg/L -> 0.362 + 0.579*ln(3) = 0.998097
    assert _asdas_crp(1, 1, 1, 1, 0.2 * 10).iloc[0] == pytest.approx(0.998097, abs=1e-6)


def test_asdas_crp_without_floor():
    # hand: without the floor, CRP 0 mg/L gives a CRP term of 0:
    # 0.362*5 + 0.579*ln(1) = 1.81
    assert _asdas_crp(5, 5, 5, 5, 0.0, crp_floor=False).iloc[0] == pytest.approx(1.81, abs=1e-9)
    # hand, CRP 0.5 mg/L kept: 1.81 + 0.579*ln(1.5) = 1.81 + 0.579*0.4054651 = 2.0447643
    assert _asdas_crp(5, 5, 5, 5, 0.5, crp_floor=False).iloc[0] == pytest.approx(2.0447643, abs=1e-6)


def test_asdas_crp_floor_and_censoring():
    # hand: CRP 1.99 -> 2 mg/L; CRP exactly 2 unchanged; all items 0 -> 0.579*ln(3) = 0.6360965 (minimum)
    out = _asdas_crp(0, 0, 0, 0, [1.99, 2.0, 0.0])
    assert out.tolist() == pytest.approx([0.6360965] * 3, abs=1e-7)
    # hand: a censored "<5" counts as 2 mg/L with the floor: 1.81 + 0.636097 = 2.446097
    censored = _asdas_crp(5, 5, 5, 5, [5.0, 5.0], crp_censored=[True, False])
    # not censored: 1.81 + 0.579*ln(6) = 1.81 + 1.0374288 = 2.8474288
    assert censored.tolist() == pytest.approx([2.446097, 2.8474288], abs=1e-6)
    # without the floor a censored value is used at its detection limit: 2.8474288
    raw = _asdas_crp(5, 5, 5, 5, 5.0, crp_censored=True, crp_floor=False)
    assert raw.iloc[0] == pytest.approx(2.8474288, abs=1e-6)
    # a missing censoring flag is not a censored value; a missing CRP stays missing
    out = _asdas_crp(5, 5, 5, 5, [5.0, None], crp_censored=pd.array([pd.NA, True], dtype="boolean"))
    assert out.iloc[0] == pytest.approx(2.8474288, abs=1e-6)
    assert np.isnan(out.iloc[1])


def test_asdas_two_decimal_compatibility_set():
    # hand, two-decimal CRP set: 0.12*6 + 0.06*5 + 0.11*6 + 0.07*4 = 1.96; 0.58*ln(11) = 1.3907793
    got = _asdas_crp(6, 5, 6, 4, 10, coefficients="two_decimal").iloc[0]
    assert got == pytest.approx(3.3507793, abs=1e-6)
    # hand, two-decimal ESR set: 0.08*6 + 0.07*5 + 0.11*6 + 0.09*4 + 0.29*sqrt(25) = 1.85 + 1.45 = 3.30
    assert _asdas_esr(6, 5, 6, 4, 25, coefficients="two_decimal").iloc[0] == pytest.approx(3.30, abs=1e-9)
    with pytest.raises(InputError, match="coefficients must be one of"):
        _asdas_crp(6, 5, 6, 4, 10, coefficients="rounded")


def test_two_decimal_weights_shift_asdas_by_at_most_0_04_crp_and_0_07_esr():
    # The shift (two-decimal minus published) is linear in the four 0-10 items and monotone in the marker term,
    # so over the admissible ranges its extremes lie at the corners: items 0 or 10, CRP 0 or 500 mg/L, ESR 0 or
    # 200 mm/h. Hand calculation of the extremes from the weight differences:
    #   CRP: back pain -0.001, duration +0.002, global 0, peripheral -0.003, ln(CRP + 1) +0.001.
    #     fall: back pain 10, peripheral 10, duration 0, CRP 0: -0.01 - 0.03 = -0.040 (no floor)
    #     rise: duration 10, CRP 500: +0.02 + 0.001 * ln(501) = +0.02 + 0.0062166 = +0.0262166
    #   ESR: back pain +0.001, duration +0.001, global -0.003, peripheral +0.004, sqrt(ESR) -0.003.
    #     fall: global 10, ESR 200: -0.03 - 0.003 * sqrt(200) = -0.03 - 0.0424264 = -0.0724264
    #     rise: back pain, duration, peripheral 10, global 0, ESR 0: +0.01 + 0.01 + 0.04 = +0.060
    corners = np.array(np.meshgrid(*[[0.0, 10.0]] * 4, indexing="ij")).reshape(4, -1)
    bp, dur, pg, periph = (np.repeat(c, 2) for c in corners)
    crp = np.tile([0.0, 500.0], corners.shape[1])
    esr = np.tile([0.0, 200.0], corners.shape[1])

    def crp_shift(**kw):
        return _asdas_crp(bp, dur, pg, periph, crp, coefficients="two_decimal", **kw) - _asdas_crp(
            bp, dur, pg, periph, crp, **kw
        )

    shift = crp_shift(crp_floor=False)
    assert shift.min() == pytest.approx(-0.040, abs=1e-12)
    assert shift.max() == pytest.approx(0.0262166, abs=1e-7)
    # with the 2 mg/L floor the smallest marker term is ln 3: -0.040 + 0.001 * 1.0986123 = -0.0389014
    assert crp_shift().min() == pytest.approx(-0.0389014, abs=1e-7)
    shift = _asdas_esr(bp, dur, pg, periph, esr, coefficients="two_decimal") - _asdas_esr(bp, dur, pg, periph, esr)
    assert shift.min() == pytest.approx(-0.0724264, abs=1e-7)
    assert shift.max() == pytest.approx(0.060, abs=1e-12)


def test_asdas_esr_hand():
    # hand: 0.079*6 + 0.069*5 + 0.113*6 + 0.086*4 = 1.841; 0.293*sqrt(25) = 1.465 -> 3.306
    assert _asdas_esr(6, 5, 6, 4, 25).iloc[0] == pytest.approx(3.306, abs=1e-9)
    # hand: all items 0, ESR 100 -> 0.293*10 = 2.93
    assert _asdas_esr(0, 0, 0, 0, 100).iloc[0] == pytest.approx(2.93, abs=1e-9)


def test_asdas_state_cut_offs():
    # Machado2011 / Machado2018: inactive < 1.3 <= low < 2.1 <= high <= 3.5 < very high
    scores = [0.636, 1.2999, 1.3, 2.0999, 2.1, 3.5, 3.5001, 7.0, None]
    expected = ["inactive", "inactive", "low", "low", "high", "high", "very high", "very high", np.nan]
    out = asdas_state(score=scores)
    assert out.tolist() == expected
    assert list(out.cat.categories) == list(ASDAS_STATES)
    assert out.cat.ordered


def test_asdas_state_of_computed_scores():
    # hand, Machado 2011 cut-offs on the scores above: 3.356 -> high; 2.446 -> high; 0.998 -> inactive
    scores = _asdas_crp([6, 5, 1], [5, 5, 1], [6, 5, 1], [4, 5, 1], [10, 0.5, 2])
    assert asdas_state(score=scores).tolist() == ["high", "high", "inactive"]


def test_asdas_state_tolerates_float_noise_at_a_cut_off():
    # 1.1 + 0.2 = 1.3000000000000003 and 0.7 + 0.6 = 1.2999999999999998: both are the cut-off 1.3
    assert asdas_state(score=[0.7 + 0.6, 1.1 + 0.2]).tolist() == ["low", "low"]


# ----------------------------------------------------------------------------------------------- BASMI


def test_basmi_lin_spec_check():
    # hand, van der Heijde 2008 linear formulas: 10, 15, 4, 100, 60 -> 3.675
    # (21.1-10)/2.1 = 5.285714; (15-8)/3 = 2.333333; (7.4-4)/0.7 = 4.857143; (124.5-100)/10 = 2.45;
    # (89.3-60)/8.5 = 3.447059; sum 18.373249 / 5 = 3.674650
    out = basmi_lin(
        lateral_flexion_cm=10,
        tragus_to_wall_cm=15,
        schober_cm=4,
        intermalleolar_cm=100,
        cervical_rotation_deg=60,
    )
    assert out.iloc[0] == pytest.approx(3.674650, abs=1e-6)


def test_basmi_lin_hand_and_clamping():
    out = basmi_lin(
        # row 0, hand: (21.1-15)/2.1 = 2.904762; (11-8)/3 = 1; (7.4-5)/0.7 = 3.428571; (124.5-104.5)/10 = 2;
        #   (89.3-72.3)/8.5 = 2; sum 11.333333 / 5 = 2.266667
        # row 1: every component at its zero point -> 0
        # row 2: every component far beyond 10 points -> each clamped to 10 -> 10
        # row 3: every component better than its zero point -> each clamped to 0 -> 0
        lateral_flexion_cm=[15, 21.1, 0, 30],
        tragus_to_wall_cm=[11, 8, 50, 5],
        schober_cm=[5, 7.4, 0, 9],
        intermalleolar_cm=[104.5, 124.5, 0, 150],
        cervical_rotation_deg=[72.3, 89.3, 0, 100],
    )
    assert out.tolist() == pytest.approx([2.2666667, 0.0, 10.0, 0.0], abs=1e-6)
