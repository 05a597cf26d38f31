"""Unit conversion and censored laboratory values (1 L = 10 dL: CRP mg/dL x 10 = mg/L; IgA mg/dL / 100 = g/L)."""

import pandas as pd
import pytest

from axspa.models import Visit
from axspa.units import CensoredValue, parse_lab_series, parse_lab_value, to_canonical


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("crp_mg_dl", 6.08, ("crp_mg_l", 60.8)),  # mg/dL x 10 = mg/L
        ("crp_mg_dl", 0.2, ("crp_mg_l", 2.0)),
        ("iga_mg_dl", 496, ("iga_g_l", 4.96)),  # mg/dL / 100 = g/L
        ("iga_mg_dl", 505, ("iga_g_l", 5.05)),
    ],
)
def test_conversion(column, value, expected):
    assert to_canonical(column, value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<5", CensoredValue(5.0, True)),
        ("< 0.3", CensoredValue(0.3, True)),
        ("<=2", CensoredValue(2.0, True)),
        ("7.5", CensoredValue(7.5)),
        (3, CensoredValue(3.0)),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_parse_lab_value(raw, expected):
    assert parse_lab_value(raw) == expected


@pytest.mark.parametrize("raw", ["high", ">", "5 mg", True])
def test_parse_lab_value_rejects_text(raw):
    with pytest.raises(ValueError, match="censored value"):
        parse_lab_value(raw)


def test_parse_lab_series_matches_scalar_parser():
    raw = pd.Series(["<5", "7.5", None, "x", " 3 ", "<=0.2"], dtype=object)
    values, censored, bad = parse_lab_series(raw)
    assert values.tolist()[:2] == [5.0, 7.5]
    assert censored.tolist()[:2] == [True, False]
    assert bad.tolist() == [False, False, False, True, False, False]
    assert values.iloc[5] == 0.2 and bool(censored.iloc[5])


def test_visit_converts_crp_from_mg_dl_once_and_keeps_censoring():
    visit = Visit(patient_id="P1", week=0, crp_mg_dl="<0.5", iga_mg_dl="496")
    assert visit.crp_mg_l == 5.0 and visit.crp_mg_l_censored is True
    assert visit.iga_g_l == 4.96 and visit.iga_g_l_censored is False


def test_uncensored_lab_gets_false_flag_and_missing_lab_none():
    visit = Visit(patient_id="P1", week=0, crp_mg_l=12)
    assert visit.crp_mg_l_censored is False
    assert visit.esr_mm_h is None and visit.esr_mm_h_censored is None
