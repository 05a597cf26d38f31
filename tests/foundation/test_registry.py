"""The measure registry is the single source of the rules used by records and frames."""

from axspa.ingest.columns import VISIT_COLUMNS
from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS, MEASURES, Direction, measure
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
