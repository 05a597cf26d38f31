"""Reference values for the response criteria: hand-worked cases, the exact edges and missing domains.

Rules from Anderson 2001, Brandt 2004, Machado 2011 (full references: tests/SOURCES.md); each expected value
is worked out by hand in the comment beside it. Domain order in the helpers: patient global, pain, function,
inflammation; b = baseline, f = follow-up.
"""

import pandas as pd
import pytest

from axspa.response import (
    asas20,
    asas40,
    asas_5of6,
    asas_paper_variant,
    asas_partial_remission,
    asdas_improvement,
    basdai50,
    basdai_response,
)

NA = pd.NA
DOMAINS = ("patient_global", "pain", "function", "inflammation")


def _val(series):
    """The first value as True, False or pd.NA (numpy booleans converted), to compare with ``is``."""
    v = series.iloc[0]
    return v if v is NA else bool(v)


def _kw(base, fu, names=DOMAINS):
    kw = {f"{n}_base": b for n, b in zip(names, base, strict=True)}
    kw |= {f"{n}_fu": f for n, f in zip(names, fu, strict=True)}
    return kw


def _one(criterion, base, fu, **extra):
    out = criterion(**_kw(base, fu), **extra)
    assert str(out.dtype) == "boolean"
    return _val(out)


def _paper(base, fu, **extra):
    names = ("patient_global", "pain", "function", "stiffness")
    return _val(asas_paper_variant(**_kw(base, fu, names), **extra))


# ---------------------------------------------------------------------------------------------- ASAS20


@pytest.mark.parametrize(
    ("base", "fu", "expected", "why"),
    [
        # 6 -> 4.8: change 1.2 >= max(1, 0.2*6 = 1.2) in 3 domains; 4th unchanged -> responder
        ((6, 6, 6, 6), (4.8, 4.8, 4.8, 6), True, "exactly 20 % and >= 1 unit in 3 domains"),
        # 5.5 -> 4.4: change 1.1 = 0.2*5.5 and >= 1; in floats 5.5 - 4.4 = 1.0999999999999996
        ((5.5, 5.5, 5.5, 5.5), (4.4, 4.4, 4.4, 5.5), True, "the floating-point edge 5.5 -> 4.4"),
        # 5.5 -> 4.5: change 1.0 < 1.1 (20 % of 5.5) -> not improved anywhere
        ((5.5, 5.5, 5.5, 5.5), (4.5, 4.5, 4.5, 5.5), False, "20 % not reached"),
        # 4 -> 3.2: change 0.8 >= 20 % (0.8) but < 1 unit -> not improved
        ((4, 4, 4, 4), (3.2, 3.2, 3.2, 4), False, "absolute unit not reached"),
        # 4 -> 3: change 1 >= max(1, 0.8) -> improved in 3
        ((4, 4, 4, 4), (3, 3, 3, 4), True, "exactly 1 unit"),
        # 3 improved; the 4th 5 -> 6: worse by 1 unit and 1 = 20 % of 5 -> fails (the worsening rule)
        ((5, 5, 5, 5), (3, 3, 3, 6), False, "remaining domain exactly 1 unit and 20 % worse"),
        # the 4th 5 -> 5.9: worse by 0.9 < 1 -> not a worsening
        ((5, 5, 5, 5), (3, 3, 3, 5.9), True, "remaining domain worse by less than 1 unit"),
        # the 4th 8 -> 9: worse by 1 unit but 1 < 20 % of 8 = 1.6 -> not a worsening
        ((8, 5, 5, 5), (9, 3, 3, 3), True, "worse by 1 unit but under 20 %"),
        # only 2 domains improved
        ((5, 5, 5, 5), (3, 3, 5, 5), False, "2 of 4"),
        # all 4 improved
        ((5, 5, 5, 5), (3, 3, 3, 3), True, "4 of 4"),
        # baseline 0.9 -> 0: change 0.9 < 1 can never count; 3 others 5 -> 3 improved
        ((0.9, 5, 5, 5), (0, 3, 3, 3), True, "b < 1 cannot improve, but 3 others did"),
        ((0.9, 0.9, 5, 5), (0, 0, 3, 3), False, "two baselines below 1 cannot improve"),
        # baseline 0 -> 1: 1 >= max(1, 0) is a worsening, no division by zero
        ((0, 5, 5, 5), (1, 3, 3, 3), False, "baseline 0 worsened by 1"),
        ((0, 5, 5, 5), (0.9, 3, 3, 3), True, "baseline 0 worse by 0.9 is not a worsening"),
        # identical baseline and follow-up
        ((5, 5, 5, 5), (5, 5, 5, 5), False, "no change"),
    ],
)
def test_asas20_reference(base, fu, expected, why):
    assert _one(asas20, base, fu) is expected, why


# ---------------------------------------------------------------------------------------------- ASAS40


@pytest.mark.parametrize(
    ("base", "fu", "expected", "why"),
    [
        # 5 -> 3: change 2 >= max(2, 0.4*5 = 2) in 3 domains; 4th unchanged
        ((5, 5, 5, 5), (3, 3, 3, 5), True, "exactly 40 % and 2 units"),
        # 6 -> 3.6: change 2.4 = 0.4*6 (2.4000000000000004 in floats) and >= 2
        ((6, 6, 6, 6), (3.6, 3.6, 3.6, 6), True, "the floating-point edge 6 -> 3.6"),
        # 6 -> 3.7: change 2.3 < 2.4
        ((6, 6, 6, 6), (3.7, 3.7, 3.7, 6), False, "40 % not reached"),
        # 4 -> 2.4: change 1.6 = 40 % but < 2 units
        ((4, 4, 4, 4), (2.4, 2.4, 2.4, 4), False, "2 units not reached"),
        # 4th 5 -> 5.1: any worsening at all fails ASAS40
        ((5, 5, 5, 5), (3, 3, 3, 5.1), False, "no worsening at all in the remaining domain"),
        # the same case is an ASAS20 responder (worse by 0.1 < 1): checked below
        ((5, 5, 5, 5), (2, 2, 2, 2), True, "4 of 4"),
        ((0, 5, 5, 5), (0, 3, 3, 3), True, "baseline 0 unchanged is no worsening"),
    ],
)
def test_asas40_reference(base, fu, expected, why):
    assert _one(asas40, base, fu) is expected, why


def test_asas40_no_worsening_differs_from_asas20():
    # 3 domains 5 -> 3 (40 %, 2 units); the 4th 5 -> 5.5 is worse by 0.5: ASAS20 yes, ASAS40 no
    assert _one(asas20, (5, 5, 5, 5), (3, 3, 3, 5.5)) is True
    assert _one(asas40, (5, 5, 5, 5), (3, 3, 3, 5.5)) is False


# ---------------------------------------------------------------------------------------------- missing


@pytest.mark.parametrize(
    ("criterion", "base", "fu", "expected", "why"),
    [
        # 3 improved, 4th follow-up unknown: it might have worsened by >= 1 and 20 % -> unknown
        (asas20, (5, 5, 5, 5), (3, 3, 3, None), NA, "the unknown domain could worsen"),
        # 4th baseline 10, follow-up unknown: f - 10 >= 1 is impossible on 0-10 -> responder regardless
        (asas20, (5, 5, 5, 10), (3, 3, 3, None), True, "the unknown domain cannot worsen from 10"),
        # 4th baseline 9.5: f = 10 is worse by 0.5 < 1 -> cannot worsen -> responder
        (asas20, (5, 5, 5, 9.5), (3, 3, 3, None), True, "cannot worsen by 1 unit from 9.5"),
        # 1 improved, 2 unchanged, 1 unknown: at most 2 improvements whatever it is -> non-responder
        (asas20, (5, 5, 5, 5), (3, 5, 5, None), False, "cannot reach 3 of 4"),
        # 1 improved, 1 unchanged, 2 unknown: both unknown could have improved -> unknown
        (asas20, (5, 5, 5, 5), (3, 5, None, None), NA, "3 of 4 still reachable"),
        # 2 improved, 2 unknown: could be a responder or not
        (asas20, (5, 5, 5, 5), (3, 3, None, None), NA, "could go either way"),
        # a known domain worsened: non-responder whatever the unknown one is
        (asas20, (5, 5, 5, 5), (3, 3, 7, None), False, "a known worsening"),
        # unknown baseline with a known follow-up of 0: it may have improved or not; 4th known 5 -> 3
        (asas20, (None, 5, 5, 5), (0, 3, 3, 3), True, "3 known improvements, the 4th cannot worsen from f=0"),
        # unknown baseline, known follow-up 10, 2 others improved: the 4th cannot improve (f = 10)
        # and 2 improvements are not enough -> non-responder
        (asas20, (None, 5, 5, 5), (10, 3, 3, 5), False, "f = 10 cannot be an improvement"),
        # ASAS40: 3 improved, 4th follow-up unknown could be any worsening -> unknown
        (asas40, (5, 5, 5, 5), (3, 3, 3, None), NA, "ASAS40 remaining domain unknown"),
        # ASAS40: 4th baseline 10 cannot worsen at all -> responder
        (asas40, (5, 5, 5, 10), (3, 3, 3, None), True, "ASAS40, cannot worsen from 10"),
        # every domain unknown
        (asas20, (None, None, None, None), (None, None, None, None), NA, "nothing known"),
    ],
)
def test_three_valued_missing_domains(criterion, base, fu, expected, why):
    assert _one(criterion, base, fu) is expected, why


# ---------------------------------------------------------------------------------------------- ASAS 5/6


def _five_of_six(base, fu, crp, flexion, **extra):
    out = asas_5of6(
        **_kw(base, fu),
        crp_base=crp[0],
        crp_fu=crp[1],
        lateral_flexion_base=flexion[0],
        lateral_flexion_fu=flexion[1],
        **extra,
    )
    assert out.name == "asas_5of6"
    return _val(out)


@pytest.mark.parametrize(
    ("base", "fu", "crp", "flexion", "expected", "why"),
    [
        # 3 domains 5 -> 4 (20 %), CRP 10 -> 8 (20 %), flexion 10 -> 12 (+20 %, higher is better): 5 of 6
        ((5, 5, 5, 5), (4, 4, 4, 5), (10, 8), (10, 12), True, "5 of 6 at exactly 20 %"),
        # flexion 10 -> 11.9: +19 % -> 4 of 6
        ((5, 5, 5, 5), (4, 4, 4, 5), (10, 8), (10, 11.9), False, "flexion short of 20 %"),
        # flexion falling 10 -> 8 is a worsening (higher is better), not an improvement
        ((5, 5, 5, 5), (4, 4, 4, 5), (10, 8), (10, 8), False, "flexion direction"),
        # no absolute unit: 2 -> 1.6 is 20 % (0.4 units) and counts; all six improve
        ((2, 2, 2, 2), (1.6, 1.6, 1.6, 1.6), (10, 8), (10, 12), True, "relative only"),
        # CRP baseline 0 cannot improve (no division, positive change needed); 4 of 6
        ((5, 5, 5, 5), (4, 4, 4, 5), (0, 0), (10, 12), False, "CRP baseline 0"),
        # 4 ASAS domains improve, CRP worse, flexion improves: 5 of 6, no worsening rule in 5/6
        ((5, 5, 5, 5), (4, 4, 4, 4), (10, 50), (10, 12), True, "no worsening rule"),
    ],
)
def test_asas_5of6_reference(base, fu, crp, flexion, expected, why):
    assert _five_of_six(base, fu, crp, flexion) is expected, why


def test_asas_5of6_censored_crp():
    # 4 ASAS domains improved 5 -> 4, flexion unchanged: CRP decides.
    # follow-up "<5" with baseline 10: CRP in [0, 5], at most 5 -> at least 50 % better -> responder
    improved4 = ((5, 5, 5, 5), (4, 4, 4, 4))
    assert _five_of_six(*improved4, (10, 5), (10, 10), crp_fu_censored=True) is True
    # follow-up "<5" with baseline 5: CRP anywhere in [0, 5] -> maybe improved, maybe not -> unknown
    assert _five_of_six(*improved4, (5, 5), (10, 10), crp_fu_censored=True) is NA
    # same values uncensored: 5 -> 5 is no improvement -> non-responder
    assert _five_of_six(*improved4, (5, 5), (10, 10)) is False


# ---------------------------------------------------------------------------------------------- paper


def test_paper_variant_reference():
    # "> 20 % improvement of more than 3 of 4 domains": strict, relative, all 4 by default.
    # 5 -> 4: change 1 = 20 % exactly, not MORE than 20 % -> not improved
    assert _paper((5, 5, 5, 5), (4, 4, 4, 4)) is False
    # 5 -> 3.9: 1.1 > 1.0 in all 4 -> responder
    assert _paper((5, 5, 5, 5), (3.9, 3.9, 3.9, 3.9)) is True
    # only 3 of 4: literal reading (4) fails; min_domains=3 reading passes
    assert _paper((5, 5, 5, 5), (3.9, 3.9, 3.9, 5)) is False
    assert _paper((5, 5, 5, 5), (3.9, 3.9, 3.9, 5), min_domains=3) is True
    # no absolute unit: 2 -> 1.5 (25 %, 0.5 units) counts, unlike ASAS20
    assert _paper((2, 2, 2, 2), (1.5, 1.5, 1.5, 1.5)) is True
    assert _one(asas20, (2, 2, 2, 2), (1.5, 1.5, 1.5, 1.5)) is False
    # no deterioration rule: with min_domains=3 a 4th domain 5 -> 10 does not matter
    assert _paper((5, 5, 5, 5), (3.9, 3.9, 3.9, 10), min_domains=3) is True
    # 40 %: 5 -> 3 is exactly 40 %, not more; 5 -> 2.9 is 42 %
    assert _paper((5, 5, 5, 5), (3, 3, 3, 3), threshold=0.4) is False
    assert _paper((5, 5, 5, 5), (2.9, 2.9, 2.9, 2.9), threshold=0.4) is True
    # names
    names = ("patient_global", "pain", "function", "stiffness")
    out = asas_paper_variant(**_kw((5,) * 4, (2,) * 4, names), threshold=0.4)
    assert out.name == "asas40_paper"


# ---------------------------------------------------------------------------------------------- PR


@pytest.mark.parametrize(
    ("values", "inclusive", "expected"),
    [
        ((2, 2, 2, 2), True, True),  # every domain <= 2
        ((2, 2, 2, 2), False, False),  # strict reading: 2 is not < 2
        ((1.9, 0, 1, 1.5), False, True),
        ((2, 2, 2, 2.1), True, False),  # one domain above 2
        ((2, 2, 2, None), True, NA),  # the unknown one decides
        ((3, 2, 2, None), True, False),  # a known domain above 2 decides
        # Anderson 2001's strict rule (inclusive=False): every domain below 2
        ((0, 0, 0, 0), False, True),  # 0 < 2 in all four
        ((1.99, 1.99, 1.99, 1.99), False, True),  # 1.99 < 2 in all four
        ((1.9, 1.9, 2, None), False, False),  # a known domain of exactly 2 fails, whatever the missing one is
        ((1.9, 1.9, 1.9, None), False, NA),  # the missing one could be 0 (remission) or 10 (not)
    ],
)
def test_partial_remission(values, inclusive, expected):
    out = asas_partial_remission(**dict(zip(DOMAINS, values, strict=True)), inclusive=inclusive)
    assert out.name == "asas_pr"
    assert _val(out) is expected


# ---------------------------------------------------------------------------------------------- BASDAI50


@pytest.mark.parametrize(
    ("base", "fu", "expected"),
    [
        (6, 3, True),  # 3 = 50 % of 6
        (5.5, 2.75, True),  # 2.75 = 50 % of 5.5
        (6, 3.1, False),  # 2.9 < 3
        (1, 0.5, True),  # relative only: 0.5 units is 50 % of 1
        (0, 0, NA),  # baseline 0: not evaluable
        (4, 5, False),  # worse
        (None, 2, NA),  # baseline unknown: 2 is 50 % of a baseline of 4 or more
        (None, 6, False),  # 6 needs a baseline of 12 > 10
        (8, None, NA),
    ],
)
def test_basdai50(base, fu, expected):
    assert _val(basdai50(basdai_base=base, basdai_fu=fu)) is expected


@pytest.mark.parametrize(
    ("base", "fu", "expected"),
    [
        (8, 6, True),  # 2 units (only 25 %): the "or 2 units" arm
        (3, 1.5, True),  # 50 % (only 1.5 units): the "50 %" arm
        (3, 1.6, False),  # 1.4 units, 47 %: neither
        (5.5, 3.5, True),  # 2 units exactly (5.5 - 3.5 = 2.0)
        (0, 0, False),  # baseline 0: evaluable here (2 units impossible) and no response
        (None, 2, NA),  # unknown baseline: 4 or more would make it a response
        (None, 9, False),  # follow-up 9 needs a baseline of 11
    ],
)
def test_basdai_response_anti_tnf(base, fu, expected):
    # Sieper2009: ">= 50 % or >= 2 units", kept separate from BASDAI50
    assert _val(basdai_response(basdai_base=base, basdai_fu=fu)) is expected


# ---------------------------------------------------------------------------------------------- ASDAS


@pytest.mark.parametrize(
    ("base", "fu", "cii", "mi"),
    [
        (3.0, 1.9, True, False),  # change 1.1 (1.1000000000000001 in floats): clinically important
        (2.4, 1.3, True, False),  # 2.4 - 1.3 = 1.0999999999999999 in floats: still 1.1
        (3.0, 2.0, False, False),  # 1.0
        (3.5, 1.5, True, True),  # 2.0: major
        (3.0, 1.01, True, False),  # 1.99: not major
        (2.0, 3.5, False, False),  # worse
    ],
)
def test_asdas_improvement(base, fu, cii, mi):
    assert _val(asdas_improvement(asdas_base=base, asdas_fu=fu)) is cii
    assert _val(asdas_improvement(asdas_base=base, asdas_fu=fu, level="major")) is mi


def test_series_inputs_keep_index_and_name():
    idx = pd.Index([10, 20], name="visit")
    s = pd.Series([6.0, 6.0], index=idx)
    out = asas20(**_kw((s, s, s, s), (s - 2, s - 2, s - 2, s)))
    assert out.name == "asas20"
    assert out.index.equals(idx)
    assert out.tolist() == [True, True]
