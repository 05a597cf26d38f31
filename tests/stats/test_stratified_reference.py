"""The Cochran-Mantel-Haenszel test, the Mantel-Haenszel common odds ratio and risk difference
against R.

Expected values come from r/stratified_reference.csv, written by r/make_stratified_reference.R:
stats::mantelhaen.test (with and without continuity correction, three alternatives; estimate and
Robins-Breslow-Greenland interval) and metafor::rma.mh(measure = "RD") (Sato variance). 230 sets of
2 to 6 strata, with zero cells, all-responder arms and strata without responders. Tolerance 1e-7
relative (none of these is an exact method).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from axspa.errors import InputError
from axspa.stats import cmh, mh_risk_difference

ROWS = list(csv.DictReader((Path(__file__).parent / "r" / "stratified_reference.csv").open(newline="")))
RTOL = 1e-7


def _counts(row: dict[str, str]) -> list[list[int]]:
    return [[int(v) for v in row[k].split(";")] for k in ("x1", "n1", "x2", "n2")]


def _close(ours: float, ref: str) -> bool:
    value = float(ref)
    if math.isnan(value):
        return math.isnan(ours)
    if math.isinf(value):
        return ours == value
    return math.isclose(ours, value, rel_tol=RTOL, abs_tol=1e-14)


def test_the_reference_covers_zero_cells_and_all_responders() -> None:
    assert len(ROWS) >= 200
    sets = [_counts(r) for r in ROWS]
    assert sum(any(x == 0 for x in s[2]) for s in sets) >= 30
    assert sum(all(x == n for x, n in zip(s[0], s[1], strict=True)) for s in sets) >= 10


def test_cmh_agrees_with_mantelhaen_test() -> None:
    for row in ROWS:
        counts = _counts(row)
        level = float(row["confidence_level"])
        for cc in (False, True):
            for alt, key in (("two-sided", "two_sided"), ("less", "less"), ("greater", "greater")):
                ref_key = ("cc_" if cc else "") + key
                if row[f"p_{ref_key}"] == "NaN":  # R: NaN when the statistic's variance is 0
                    with pytest.raises(InputError, match="needs a stratum with both"):
                        cmh(*counts, correction=cc, alternative=alt)
                    continue
                res = cmh(*counts, correction=cc, alternative=alt, confidence_level=level)
                assert res.correction is cc and res.alternative == alt
                assert _close(res.statistic, row[f"statistic_{ref_key}"]), (counts, cc, alt)
                assert _close(res.pvalue, row[f"p_{ref_key}"]), (counts, cc, alt, res.pvalue)
        if row["p_two_sided"] == "NaN":
            continue
        res = cmh(*counts, confidence_level=level)
        if math.isinf(float(row["or_estimate"])) or float(row["or_estimate"]) == 0.0:
            assert res.estimate == float(row["or_estimate"]) and (res.low, res.high) == (0.0, math.inf)
            continue
        for ours, key in ((res.estimate, "or_estimate"), (res.low, "or_low"), (res.high, "or_high")):
            assert _close(ours, row[key]), (counts, key, ours, row[key])


def test_mh_risk_difference_agrees_with_metafor() -> None:
    for row in ROWS:
        counts = _counts(row)
        res = mh_risk_difference(*counts, confidence_level=float(row["confidence_level"]))
        if row["rd_se"] == "NaN":
            # every patient responded (or none did): metafor forms the difference as a sum of rounded
            # quotients, gets a tiny non-zero one and the square root of a tiny negative variance; the
            # exact values are a zero difference with a zero variance
            assert float(row["rd_estimate"]) == pytest.approx(0.0, abs=1e-15)
            assert (res.estimate, res.se, res.low, res.high) == (0.0, 0.0, 0.0, 0.0)
            continue
        for ours, key in (
            (res.estimate, "rd_estimate"),
            (res.se, "rd_se"),
            (res.low, "rd_low"),
            (res.high, "rd_high"),
            (res.z, "rd_z"),
            (res.pvalue, "rd_p"),
        ):
            assert _close(ours, row[key]), (counts, key, ours, row[key])
