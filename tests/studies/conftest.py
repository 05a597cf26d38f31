"""The reference study, loaded and scored through the public API, and its published figures."""

from __future__ import annotations

import pandas as pd
import pytest

import axspa
from axspa.io import LoadedStudy
from axspa.studies import thalidomide_2003 as reference


@pytest.fixture(scope="session")
def study() -> LoadedStudy:
    return reference.load()


@pytest.fixture(scope="session")
def scores(study: LoadedStudy) -> pd.DataFrame:
    # The paper used BAS-G as its patient global; the ASAS pain domain is total back pain.
    labs = ("esr_mm_h", "crp_mg_l", "iga_g_l")
    scored = axspa.score_visits(study.visits, patient_global="basg", pain="back_pain", keep=labs)
    return scored.assign(
        crp_mg_dl=scored["crp_mg_l"] / 10,  # the paper printed CRP in mg/dL
        iga_mg_dl=scored["iga_g_l"] * 100,  # and IgA in mg/dL
        subtype=study.visits["patient_id"].map(study.patients.set_index("patient_id")["subtype"]),
    )


@pytest.fixture(scope="session")
def printed() -> dict[str, str]:
    return {f["id"]: f["printed"] for f in reference.published()["figures"]}


@pytest.fixture(scope="session")
def completers(study: LoadedStudy) -> list[str]:
    return study.patients.loc[study.patients["status"] == "completed", "patient_id"].tolist()


@pytest.fixture(scope="session")
def on_treatment_at_week_8(study: LoadedStudy) -> list[str]:
    return study.visits.loc[study.visits["week"] == 8, "patient_id"].tolist()
