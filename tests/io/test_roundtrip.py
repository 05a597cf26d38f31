"""Records, frames and files convert both ways without changing anything."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axspa.ingest.columns import LAB_COLUMNS
from axspa.io import load_study, write_study
from axspa.measures import MEASURES
from axspa.models import Patient, Study, Visit, frame_to_records, records_to_frame


def _measure_value(name: str) -> st.SearchStrategy[float | None]:
    m = MEASURES[name]
    steps = round((m.upper - m.lower) / m.grid)
    on_grid = st.integers(0, steps).map(lambda k: round(m.lower + k * m.grid, 6))
    return st.none() | on_grid | st.floats(m.lower, m.upper, allow_nan=False)


@st.composite
def visits(draw: st.DrawFn) -> Visit:
    values = {name: draw(_measure_value(name)) for name in MEASURES}
    for lab in LAB_COLUMNS:
        if values[lab] is not None and draw(st.booleans()):
            values[lab] = f"<{values[lab]!r}"
    pid = draw(st.from_regex(r"[A-Z][0-9]{1,4}", fullmatch=True))
    week = draw(st.integers(-4, 104).map(float) | st.floats(-104, 1040, allow_nan=False))
    return Visit.model_validate({"patient_id": pid, "week": week, **values})


@pytest.mark.slow
@given(visits())
def test_visit_record_frame_record_round_trip(visit: Visit):
    frame = records_to_frame([visit])
    (again,) = frame_to_records(frame, Visit)
    assert again == visit


@pytest.mark.slow
@given(st.lists(visits(), min_size=1, max_size=5))
def test_frame_of_many_visits_keeps_order_and_values(records: list[Visit]):
    frame = records_to_frame(records)
    assert len(frame) == len(records)
    for row, visit in zip(frame.to_dict(orient="records"), records, strict=True):
        for name in MEASURES:
            expected = getattr(visit, name)
            got = row[name]
            assert (expected is None and math.isnan(got)) or got == expected


def test_study_written_and_read_back_is_unchanged(tmp_path, patients_raw, visits_raw):
    from axspa.io import validate_frames

    loaded = validate_frames(patients_raw, visits_raw)
    write_study(loaded, tmp_path)
    again = load_study(tmp_path)
    pd.testing.assert_frame_equal(loaded.patients, again.patients)
    pd.testing.assert_frame_equal(loaded.visits, again.visits)
    # censored CRP survives the trip through the file (written as the limit with its flag)
    assert again.visits["crp_mg_l_censored"].tolist()[:2] == [True, False]


def test_records_of_a_loaded_study_form_a_valid_study(patients_raw, visits_raw):
    from axspa.io import validate_frames

    study = validate_frames(patients_raw, visits_raw).to_study()
    assert isinstance(study, Study)
    assert [p.patient_id for p in study.patients] == ["P01", "P02", "P03"]
    assert isinstance(study.patients[0], Patient)
    assert [v.week for v in study.visits_of("P01")] == [0.0, 12.0]
