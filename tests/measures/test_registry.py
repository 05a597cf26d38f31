"""The measure registry is the single source of the rules used by records and frames."""

import pandas as pd
import pytest

from axspa import indices
from axspa.derive import score_visits
from axspa.errors import InputError
from axspa.ingest.columns import VISIT_COLUMNS
from axspa.measures import (
    BASDAI_ITEMS,
    BASFI_ITEMS,
    BASG_ITEMS,
    CHANGE_SUFFIXES,
    DERIVED,
    MEASURES,
    REGISTRY,
    Direction,
    Measure,
    MeasureKind,
    label,
    lookup,
    measure,
)
from axspa.models import Visit


def test_every_measure_is_a_visit_field_and_a_checked_column():
    fields = set(Visit.model_fields)
    for name in MEASURES:
        assert name in fields
        assert VISIT_COLUMNS[name].lower == MEASURES[name].lower
        assert VISIT_COLUMNS[name].upper == MEASURES[name].upper


def test_patient_reported_items_are_0_to_10_lower_is_better():
    for name in (*BASDAI_ITEMS, *BASFI_ITEMS, "basg_week", "basg_6m", "patient_global", "back_pain"):
        m = measure(name)
        assert (m.lower, m.upper, m.unit) == (0.0, 10.0, "0-10")
        assert m.direction is Direction.LOWER_IS_BETTER


def test_spinal_mobility_is_higher_is_better():
    assert measure("lateral_flexion_cm").direction is Direction.HIGHER_IS_BETTER


def test_unknown_measure_lists_known_names():
    try:
        measure("basdai_q7")
    except KeyError as exc:
        assert "basdai_q1" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected KeyError")


# ----------------------------------------------------------------------------- derived quantities


def test_every_column_score_visits_makes_is_in_the_registry_with_its_kind():
    items = dict.fromkeys((*BASDAI_ITEMS, *BASFI_ITEMS, *BASG_ITEMS, "patient_global", "back_pain"), 5.0)
    scored = score_visits(pd.DataFrame([{"patient_id": "P1", "week": 0, **items, "esr_mm_h": 9, "crp_mg_l": 3}]))
    kinds = {}
    for column in scored.columns.drop(["patient_id", "week"]):
        stem = next((column.removesuffix(s) for s in CHANGE_SUFFIXES if column.endswith(s)), column)
        kinds[column] = REGISTRY.lookup(stem).kind
    assert kinds["basdai"] is kinds["basdai_chg"] is kinds["asdas_esr"] is MeasureKind.SCORE
    assert kinds["asdas_crp_state"] is MeasureKind.STATE
    assert kinds["asas20"] is kinds["asdas_crp_mi"] is MeasureKind.RESPONSE


def test_registry_labels_for_tables_and_figures():
    # display names written out: short name and unit, no unit for unitless scores and responses
    assert [label(n) for n in ("basdai", "basg", "asdas_crp", "crp_mg_l", "crp_mg_dl", "iga_mg_dl")] == [
        "BASDAI (0-10)",
        "BAS-G (0-10)",
        "ASDAS-CRP",
        "CRP (mg/L)",
        "CRP (mg/dL)",
        "IgA (mg/dL)",
    ]
    assert [label(n) for n in ("asas_5of6", "basdai50", "basdai_pchg", "not_a_column")] == [
        "ASAS 5/6",
        "BASDAI50",
        "BASDAI (0-10), % change from baseline",
        "not_a_column",
    ]


def test_a_unit_alias_is_the_canonical_measure_in_its_unit():
    # CRP 0-500 mg/L = 0-50 mg/dL, recorded to 0.1 mg/L = 0.01 mg/dL; IgA 0-50 g/L = 0-5000 mg/dL
    crp = lookup("crp_mg_dl")
    assert (crp.unit, crp.lower, crp.upper, crp.grid) == ("mg/dL", 0.0, 50.0, 0.01)
    assert (lookup("iga_mg_dl").unit, lookup("iga_mg_dl").upper) == ("mg/dL", 5000.0)


def test_asdas_states_come_from_the_registry():
    assert indices.ASDAS_STATES is DERIVED["asdas_crp_state"].levels
    assert indices.ASDAS_STATES == ("inactive", "low", "high", "very high")  # Machado 2018 names


def test_study_registry_adds_without_changing_the_built_in_one():
    lower = Direction.LOWER_IS_BETTER
    extra = Measure("mri_sij", "SPARCC SIJ", "", 0.0, 72.0, 1.0, lower, "study.toml", MeasureKind.STUDY)
    study = REGISTRY.with_measures([extra])
    assert study.lookup("mri_sij") is extra
    assert "mri_sij" not in REGISTRY
    assert len(study) == len(REGISTRY) + 1
    with pytest.raises(InputError, match="measure 'basdai_q1' is registered twice"):
        REGISTRY.with_measures([measure("basdai_q1")])


def test_grids_of_the_indices_are_those_their_items_give():
    from fractions import Fraction

    from axspa.forensics.audit import DEFAULT_GRIDS

    # items on 0.1: BASDAI ((4 items + mean of 2) / 5) and BASFI (mean of 10) on 0.01; BAS-G and the
    # inflammation domain (means of two items) on 0.05; CRP 0.1 mg/L = 0.01 mg/dL; IgA 0.01 g/L = 1 mg/dL
    assert [lookup(m).grid for m in ("basdai", "basfi", "basg", "inflammation")] == [0.01, 0.01, 0.05, 0.05]
    assert {m: DEFAULT_GRIDS[m] for m in ("basdai", "basg", "esr_mm_h", "crp_mg_dl", "iga_mg_dl")} == {
        "basdai": Fraction(1, 100),
        "basg": Fraction(1, 20),
        "esr_mm_h": Fraction(1),
        "crp_mg_dl": Fraction(1, 100),
        "iga_mg_dl": Fraction(1),
    }
