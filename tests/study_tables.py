"""Small study tables (fixtures) shared by the io, validation and cli tests; loaded by tests/conftest.py."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def patients_raw() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "patient_id": ["P01", "P02", "P03"],
            "sex": ["male", "male", "female"],
            "age_years": ["30", "41", "25"],
            "disease_duration_years": ["10", "12.5", "3"],
            "hla_b27": ["yes", "true", "0"],
            "subtype": ["axial", "peripheral", "juvenile"],
            "status": ["completed", "withdrawn", "completed"],
            "withdrawal_reason": [None, "adverse_event", None],
            "last_week": ["24", "4", "24"],
        }
    )


@pytest.fixture
def visits_raw() -> pd.DataFrame:
    rows = [
        ("P01", "0", "5", "6", "4.2", "<0.5", "30"),
        ("P01", "12", "4", "5", "3.1", "1.2", "24"),
        ("P02", "0", "7", "8", "6", "2.5", "55"),
        ("P02", "4", "6", "8", "5", "2.2", "50"),
        ("P03", "0", "3", "2", "2", "0.3", "12"),
        ("P03", "12", "2", "1", "1", "<0.3", "10"),
    ]
    return pd.DataFrame(
        rows, columns=["patient_id", "week", "basdai_q1", "basdai_q2", "basfi_q1", "crp_mg_dl", "esr_mm_h"]
    )
