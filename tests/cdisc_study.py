"""The studies of the CDISC tests: the reference study's ADaM data sets and a small controlled trial built here.

The controlled trial (arms active and placebo, stratified by prior TNF inhibitor, schedule weeks 0, 4
and 12) is made so that every expected value can be worked out by hand: at each visit every
questionnaire item of a patient holds the same value v, so BASDAI = BASFI = BAS-G = inflammation = v.

    patient  arm      prior_tnfi  treated  status     visits (week: item value)
    P01      active   no          true     completed  0: 6, 4: 4, 12: 3
    P02      placebo  no          true     completed  0: 6, 4: 6, 12: 6
    P03      active   yes         true     withdrawn  0: 8, 4: 5   (adverse event after week 4)
    P04      placebo  yes         false    withdrawn  0: 5         (never dosed: other)

CRP is 10 mg/L and ESR 20 mm/h at every visit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from axspa.cdisc import Adam, build_adam
from axspa.io import LoadedStudy, load_study
from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS
from axspa.studies import thalidomide_2003

STUDY_TOML = """\
[study]
title = "A small two-arm trial"
control = "placebo"
strata = ["prior_tnfi"]
schedule = [0, 4, 12]
primary_week = 12

[arms.active]
label = "Active drug"

[arms.placebo]
label = "Placebo"
"""

VISITS = {"P01": {0: 6.0, 4: 4.0, 12: 3.0}, "P02": {0: 6.0, 4: 6.0, 12: 6.0}, "P03": {0: 8.0, 4: 5.0}, "P04": {0: 5.0}}


def write_controlled_study(folder: Path) -> Path:
    """Write the controlled trial of the module docstring into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    patients = pd.DataFrame(
        {
            "patient_id": ["P01", "P02", "P03", "P04"],
            "sex": ["female", "male", "male", "female"],
            "age_years": [34, 41, 29, 52],
            "disease_duration_years": [6.5, 12.0, 3.0, 20.5],
            "hla_b27": ["true", "true", "false", ""],
            "subtype": ["axial", "axial", "peripheral", "axial"],
            "status": ["completed", "completed", "withdrawn", "withdrawn"],
            "withdrawal_reason": ["", "", "adverse_event", "other"],
            "last_week": [12, 12, 4, 0],
            "arm": ["active", "placebo", "active", "placebo"],
            "treated": ["true", "true", "true", "false"],
            "prior_tnfi": ["no", "no", "yes", "yes"],
        }
    )
    items = [*BASDAI_ITEMS, *BASFI_ITEMS, "basg_week", "patient_global", "back_pain"]
    rows = [
        {"patient_id": p, "week": w, **dict.fromkeys(items, v), "esr_mm_h": 20, "crp_mg_l": 10.0}
        for p, weeks in VISITS.items()
        for w, v in weeks.items()
    ]
    patients.to_csv(folder / "patients.csv", index=False)
    pd.DataFrame(rows).to_csv(folder / "visits.csv", index=False)
    (folder / "study.toml").write_text(STUDY_TOML, encoding="utf-8")
    return folder


def build_controlled(folder: Path) -> Adam:
    """The controlled trial's ADaM data sets, with LOCF records in ADEFF and NRI records in ADRS."""
    return build_adam(load_study(write_controlled_study(folder), name="small_trial"), imputation="locf", nri=True)


def build_reference() -> Adam:
    """The reference study's ADaM data sets (BAS-G as patient global, as the study did)."""
    return build_adam(thalidomide_2003.load(), scoring=REFERENCE_SCORING, treatment="Thalidomide", nri=True)


REFERENCE_SCORING = {"patient_global": "basg"}


# fixtures (a plugin of tests/conftest.py: a conftest.py in tests/cdisc/ would clash with tests/conftest.py under
# --doctest-modules, as the test folders are not packages)


@pytest.fixture(scope="session")
def controlled_study(tmp_path_factory: pytest.TempPathFactory) -> LoadedStudy:
    return load_study(write_controlled_study(tmp_path_factory.mktemp("trial")), name="small_trial")


@pytest.fixture(scope="session")
def controlled(tmp_path_factory: pytest.TempPathFactory) -> Adam:
    return build_controlled(tmp_path_factory.mktemp("trial_adam"))


@pytest.fixture(scope="session")
def reference() -> Adam:
    return build_reference()
