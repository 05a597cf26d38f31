"""Adverse events of the text: counts among the 8 completers and the 3 adverse-event withdrawals."""

from __future__ import annotations

import pytest

from axspa.testing import assert_printed


def _patients_with(study, ids, **rule):
    events = study.adverse_events[study.adverse_events["patient_id"].isin(ids)]
    for column, value in rule.items():
        events = events[events[column] == value]
    return events["patient_id"].nunique()


@pytest.mark.parametrize(
    ("figure", "term"),
    [
        ("ae.completers.dry_mouth", "dry mouth"),
        ("ae.completers.constipation", "constipation"),
        ("ae.completers.dizziness", "dizziness"),
        ("ae.completers.daytime_drowsiness", "daytime drowsiness"),
    ],
)
def test_adverse_events_among_completers(figure, term, study, completers, printed):
    count = _patients_with(study, completers, term=term)
    assert f"{count}/{len(completers)}" == printed[figure]


def test_adverse_events_severe_drowsiness_switched_regimen(study, completers, printed):
    count = _patients_with(study, completers, term="daytime drowsiness", severity="severe")
    assert_printed(count, printed["ae.completers.severe_drowsiness_regimen_change"])


def test_adverse_events_hand_numbness(study, completers, printed):
    assert_printed(_patients_with(study, completers, term="hand numbness"), printed["ae.completers.hand_numbness"])


def test_adverse_events_none_serious(study, completers, printed):
    serious = study.adverse_events["serious"].fillna(False).astype(bool)
    count = study.adverse_events.loc[
        serious & study.adverse_events["patient_id"].isin(completers), "patient_id"
    ].nunique()
    assert_printed(count, printed["ae.completers.serious"])


@pytest.mark.parametrize(
    ("figure", "term"),
    [
        ("ae.withdrawals.drug_eruption", "drug eruption"),
        ("ae.withdrawals.dizziness_drowsiness", "dizziness and drowsiness"),
    ],
)
def test_adverse_events_of_the_withdrawals(figure, term, study, printed):
    withdrawn = study.patients.loc[study.patients["withdrawal_reason"] == "adverse_event", "patient_id"]
    assert_printed(_patients_with(study, withdrawn, term=term), printed[figure], label=figure)
