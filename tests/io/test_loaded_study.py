"""A loaded study follows the result protocol: frozen, compact repr, escaped HTML, a per-table frame."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from axspa.io import LoadedStudy, validate_frames
from axspa.results import Result


@pytest.fixture
def lenient() -> LoadedStudy:
    """Two patients; B's week-24 BASDAI question 1 is 11 (out of 0-10), so 1 of 4 visit rows is excluded.

    Patient A's CRP comes in mg/dL, so the study records that input unit.
    """
    patients = pd.DataFrame(
        {
            "patient_id": ["A", "B"],
            "sex": ["female", "male"],
            "age_years": ["41", "35"],
            "status": ["completed", "completed"],
        }
    )
    visits = pd.DataFrame(
        {
            "patient_id": ["A", "A", "B", "B"],
            "week": ["0", "24", "0", "24"],
            "basdai_q1": ["5", "3", "6", "11"],
            "crp_mg_dl": ["1.2", "0.8", "", ""],
        }
    )
    return validate_frames(patients, visits, strict=False, name="<b>trial</b> & co")


def test_loaded_study_is_a_frozen_result(lenient):
    assert isinstance(lenient, Result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        lenient.name = "other"  # type: ignore[misc]


def test_repr_gives_counts_not_rows(lenient):
    # 2 patients and 0 adverse events all loaded; 3 of the 4 visit rows; 1 excluded row; no note
    assert repr(lenient) == (
        "LoadedStudy(name='<b>trial</b> & co', patients=2, visits=3 of 4 read, adverse_events=0, "
        "excluded_rows=1, notes=0, study_measures=(), input_units={'crp_mg_l': 'crp_mg_dl'})"
    )


def test_html_is_the_same_summary_escaped(lenient):
    html = lenient._repr_html_()
    assert "<b>" not in html and "&lt;b&gt;trial&lt;/b&gt; &amp; co" in html
    assert "<tr><th>visits</th><td>3 of 4 read</td></tr>" in html
    assert "<tr><th>excluded_rows</th><td>1</td></tr>" in html
    assert "{&#x27;crp_mg_l&#x27;: &#x27;crp_mg_dl&#x27;}" in html
    assert html.count("<tr>") == 8  # name, three tables, excluded rows, notes, own measures, input units


def test_to_frame_counts_rows_per_table(lenient):
    expected = pd.DataFrame(
        {
            "table": ["patients", "visits", "adverse_events"],
            "read": [2, 4, 0],
            "loaded": [2, 3, 0],
            "excluded": [0, 1, 0],
        }
    )
    pd.testing.assert_frame_equal(lenient.to_frame(), expected)


def test_summary_text_is_unchanged(lenient):
    assert lenient.summary().splitlines()[:4] == [
        "study '<b>trial</b> & co':",
        "  patients: 2 of 2 rows loaded",
        "  visits: 3 of 4 rows loaded",
        "  adverse_events: 0 of 0 rows loaded",
    ]
