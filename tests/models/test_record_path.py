"""The record path (Visit scores, visit_responses) gives what the frame path (score_visits) gives."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from axspa.derive import score_visits
from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS, BASG_ITEMS
from axspa.models import Visit, records_to_frame, visit_responses

_ITEMS = (*BASDAI_ITEMS, *BASFI_ITEMS, *BASG_ITEMS, "patient_global", "back_pain")
_tenths = st.integers(0, 100).map(lambda k: k / 10)


@st.composite
def visit_pair(draw: st.DrawFn) -> tuple[Visit, Visit]:
    def one(week: int) -> Visit:
        values = {
            name: draw(st.none() | _tenths) if draw(st.integers(0, 30)) == 0 else draw(_tenths) for name in _ITEMS
        }
        return Visit(
            patient_id="P1",
            week=week,
            esr_mm_h=draw(st.integers(1, 120)),
            crp_mg_l=draw(st.sampled_from(["<1", "0.5", "3", "12.5", "40"])),
            **values,
        )

    return one(0), one(12)


def _same(a: object, b: object) -> bool:
    if a is None or a is pd.NA:
        return b is None or b is pd.NA
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b


@settings(max_examples=40)
@given(visit_pair())
def test_visit_scores_and_responses_equal_score_visits(pair: tuple[Visit, Visit]):
    baseline, followup = pair
    scored = score_visits(records_to_frame([baseline, followup]))
    row = scored.iloc[1]
    for name in ("basdai", "basfi", "basg", "inflammation"):
        assert _same(getattr(followup, name), float(row[name])), name
    assert _same(followup.asdas_crp(), float(row["asdas_crp"]))
    assert _same(followup.asdas_esr(), float(row["asdas_esr"]))
    responses = visit_responses(baseline, followup)
    for name, value in responses.items():
        assert _same(value, row[name]), name
