"""Unit slips that stay inside the valid range are warned about, not silently accepted or refused."""

from __future__ import annotations

import warnings

import pytest

from axspa.errors import PlausibilityWarning
from axspa.io import validate_frames


def test_crp_in_mg_dl_labelled_mg_l_warns_and_still_loads(patients_raw, visits_raw):
    visits = visits_raw.drop(columns="crp_mg_dl").assign(crp_mg_l=["0.3", "0.2", "0.4", "0.25", "0.1", "0.2"])
    with pytest.warns(PlausibilityWarning, match=r"crp_mg_l: a median CRP below 0.5 mg/L suggests values in mg/dL"):
        loaded = validate_frames(patients_raw, visits)
    assert loaded.visits["crp_mg_l"].tolist() == [0.3, 0.2, 0.4, 0.25, 0.1, 0.2]


def test_iga_in_g_l_labelled_mg_dl_warns(patients_raw, visits_raw):
    visits = visits_raw.assign(iga_mg_dl=["2.5", "3.1", "4.0", "2.2", "3.3", "2.9"])
    with pytest.warns(PlausibilityWarning, match="iga_mg_dl: a median IgA below 20 mg/dL"):
        validate_frames(patients_raw, visits)


def test_plausible_values_do_not_warn(patients_raw, visits_raw):
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlausibilityWarning)
        validate_frames(patients_raw, visits_raw)
