"""Analysis sets: hand-checked counts on a small frame."""

import pandas as pd
import pytest

from axspa.analysis_sets import (
    all_enrolled,
    completers,
    excluding_withdrawals,
    per_protocol,
    seen_at,
    standard_sets,
)
from axspa.errors import InputError


def reference_like_patients() -> pd.DataFrame:
    """13 patients with the reference study's disposition: 3 AE, 2 LoE, 8 completers."""
    ids = [f"P{i:02d}" for i in range(1, 14)]
    status = ["withdrawn"] * 5 + ["completed"] * 8
    reason = ["adverse_event"] * 3 + ["lack_of_efficacy"] * 2 + [""] * 8
    last = [2, 2, 3, 8, 8] + [24] * 8
    return pd.DataFrame({"patient_id": ids, "status": status, "withdrawal_reason": reason, "last_week": last})


def test_reference_denominators():
    p = reference_like_patients()
    sets = standard_sets(p)
    # 8 completers; 13 - 3 adverse-event withdrawals = 10; 13 enrolled.
    assert [s.n for s in sets.values()] == [8, 10, 13]
    assert list(sets) == ["completers", "enrolled_minus_adverse_event", "enrolled"]
    assert sets["enrolled_minus_adverse_event"].patient_ids == tuple(f"P{i:02d}" for i in range(4, 14))
    assert "adverse events" in sets["enrolled_minus_adverse_event"].definition


def test_excluding_several_reasons_and_bad_reason():
    p = reference_like_patients()
    s = excluding_withdrawals(p, reasons=["adverse_event", "lack_of_efficacy"])
    assert s.n == 8
    assert "lack of efficacy" in s.label
    with pytest.raises(InputError, match="reasons must be"):
        excluding_withdrawals(p, reasons=["boredom"])


def test_per_protocol_rule_and_definition_required():
    p = reference_like_patients()
    s = per_protocol(p, rule=lambda f: f["last_week"] >= 8, definition="seen at week 8 or later")
    assert s.n == 10
    assert s.describe() == "Per protocol (n = 10): seen at week 8 or later"
    with pytest.raises(InputError, match="definition"):
        per_protocol(p, rule=lambda f: f["last_week"] >= 8, definition=" ")
    with pytest.raises(InputError, match="one True/False per patient"):
        per_protocol(p, rule=lambda f: f["last_week"], definition="x")
    with pytest.raises(InputError, match="returned 2 values for 13"):
        per_protocol(p, rule=lambda f: [True, False], definition="x")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda p: p.drop(columns="status"), "lacks column"),
        (lambda p: p.assign(status=["done"] * 13), "status must be one of"),
        (lambda p: p.assign(patient_id=["P01"] * 13), "must be unique"),
        (lambda p: p.assign(withdrawal_reason=["rash"] * 13), "withdrawal_reason must be one of"),
    ],
)
def test_bad_patients_frames_raise(change, match):
    with pytest.raises(InputError, match=match):
        excluding_withdrawals(change(reference_like_patients()))


def test_select_keeps_rows_of_set_only():
    p = reference_like_patients()
    s = completers(p)
    sel = s.select(p)
    assert sel["patient_id"].tolist() == [f"P{i:02d}" for i in range(6, 14)]
    assert len(p) == 13  # input untouched
    with pytest.raises(InputError, match="patient_id"):
        s.select(pd.DataFrame({"x": [1]}))


def test_all_enrolled_keeps_order_and_labels():
    s = all_enrolled(reference_like_patients())
    assert s.patient_ids[0] == "P01" and s.n == 13 and len(s) == 13
    assert "P13" in s and "P14" not in s
    assert s.to_frame()[["name", "n"]].iloc[0].tolist() == ["enrolled", 13]


def test_all_enrolled_does_not_claim_treatment_the_data_deny():
    p = reference_like_patients().assign(treated=[False, False] + [True] * 11)
    s = all_enrolled(p)
    assert s.n == 13 and s.label == "All enrolled"
    assert s.definition == "every enrolled patient, 2 of whom did not receive the study drug (the 'treated' column)"
    treated = all_enrolled(p.assign(treated=True))
    assert treated.label == "All enrolled (treated)" and "all of whom received the study drug" in treated.definition


def test_seen_at_week():
    p = pd.DataFrame({"patient_id": ["A", "B", "C", "D"], "status": ["completed"] * 4})
    # A seen at weeks 0, 4 and 12; B at baseline only; C at weeks 0 and 4
    visits = pd.DataFrame({"patient_id": ["A", "A", "A", "B", "C", "C"], "week": [0, 4, 12, 0, 0, 4]})
    s = seen_at(p, visits, week=4)
    assert s.patient_ids == ("A", "C")
    assert s.definition == "enrolled patients with a visit at week 4"
    with pytest.raises(InputError, match="not a visit week"):
        seen_at(p, visits, week=8)
