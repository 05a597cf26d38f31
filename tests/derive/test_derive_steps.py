"""score_visits as three small steps; keep=; one column -> domain mapping for frames and records."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from axspa import derive, domains, models
from axspa.derive import add_change, add_responses, score_indices, score_visits
from axspa.errors import InputError
from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS, BASG_ITEMS
from axspa.models import Visit

ITEMS = (*BASDAI_ITEMS, *BASFI_ITEMS, *BASG_ITEMS, "patient_global", "back_pain")


def visit(patient_id, week, level, **extra):
    row = {"patient_id": patient_id, "week": week, **dict.fromkeys(ITEMS, float(level))}
    return row | {"esr_mm_h": 20.0, "crp_mg_l": 5.0, "iga_g_l": 3.1} | extra


@pytest.fixture
def visits():
    # out of week order, with a non-default index
    rows = [visit("A", 12, 3, crp_mg_l=4.0), visit("B", 0, 5), visit("A", 0, 6, crp_mg_l=10.0)]
    return pd.DataFrame(rows, index=[7, 3, 5])


def test_each_step_is_a_new_frame_and_leaves_its_input_alone(visits):
    before = visits.copy(deep=True)
    indices = score_indices(visits, keep=True)
    kept = indices.copy(deep=True)
    changed = add_change(indices)
    responses = add_responses(changed)
    pd.testing.assert_frame_equal(visits, before)
    pd.testing.assert_frame_equal(indices, kept)
    for out in (indices, changed, responses):
        assert out is not visits
        assert out.index.tolist() == [7, 3, 5]
        assert out["patient_id"].tolist() == ["A", "B", "A"]


def test_steps_compose_to_score_visits(visits):
    whole = score_visits(visits)
    steps = add_responses(add_change(score_indices(visits, keep=True)))
    pd.testing.assert_frame_equal(steps[whole.columns], whole, check_like=False)


def test_change_step_by_hand():
    frame = pd.DataFrame({"patient_id": ["P1", "P1", "P2"], "week": [12, 0, 12], "basdai": [2.0, 5.0, 4.0]})
    out = add_change(frame, keep=False)
    # P1: baseline 5, week 12 = 2 -> change -3, -60 %; P2 has no baseline row
    assert out.columns.tolist() == ["patient_id", "week", "basdai_base", "basdai_chg", "basdai_pchg"]
    assert out["basdai_chg"].tolist()[:2] == [-3.0, 0.0]
    assert out["basdai_pchg"].tolist()[:2] == [-60.0, 0.0]
    assert math.isnan(out["basdai_base"].iloc[2])


def test_keep_carries_named_input_columns_after_the_scores(visits):
    out = score_visits(visits, keep=("crp_mg_l", "esr_mm_h"))
    # kept in input order (esr before crp), after every score column
    assert out.columns[-2:].tolist() == ["esr_mm_h", "crp_mg_l"]
    assert out["crp_mg_l"].tolist() == [4.0, 5.0, 10.0]
    assert out.columns[:-2].tolist() == score_visits(visits).columns.tolist()


def test_keep_true_carries_every_input_column_not_made_by_the_step(visits):
    out = score_visits(visits, keep=True)
    assert {"iga_g_l", "basdai_q1", "basg_6m"} <= set(out.columns)
    assert out.columns.is_unique
    assert score_visits(visits, keep="iga_g_l")["iga_g_l"].tolist() == [3.1, 3.1, 3.1]


def test_keep_names_an_absent_column():
    with pytest.raises(InputError, match="lacks required column"):
        score_visits(pd.DataFrame([visit("A", 0, 5)]), keep=("lateral_flexion_cm",))


def test_the_frame_path_and_the_record_path_read_one_domain_mapping():
    # the same objects, not copies that could drift apart
    assert derive.ASDAS_ITEMS is domains.ASDAS_ITEMS is models.ASDAS_ITEMS
    assert derive.ASDAS_LABS is domains.ASDAS_LABS is models.ASDAS_LABS
    assert derive.asas_domains is domains.asas_domains is models.asas_domains
    # ASDAS back pain is BASDAI Q2, duration of morning stiffness Q6, peripheral pain Q3 (Lukas 2009)
    assert dict(domains.ASDAS_ITEMS) == {
        "back_pain": "basdai_q2",
        "stiffness_duration": "basdai_q6",
        "peripheral_pain": "basdai_q3",
    }


def test_both_paths_feed_asdas_from_the_mapped_items():
    # Items differ so that a swapped domain would change the score. ASDAS-CRP, published weights:
    # 0.121 x back pain (Q2 = 7) + 0.058 x stiffness duration (Q6 = 2) + 0.110 x patient global (3)
    # + 0.073 x peripheral pain (Q3 = 5) + 0.579 x ln(CRP 9 + 1)
    # = 0.847 + 0.116 + 0.330 + 0.365 + 1.333185... = 2.991185...
    items = dict.fromkeys(ITEMS, 1.0) | {"basdai_q2": 7.0, "basdai_q6": 2.0, "basdai_q3": 5.0, "patient_global": 3.0}
    row = {"patient_id": "P1", "week": 0, **items, "esr_mm_h": 20.0, "crp_mg_l": 9.0}
    expected = 0.847 + 0.116 + 0.330 + 0.365 + 0.579 * math.log(10.0)
    assert Visit(**row).asdas_crp() == pytest.approx(expected, abs=1e-12)
    assert score_visits(pd.DataFrame([row]))["asdas_crp"].iloc[0] == pytest.approx(expected, abs=1e-12)
