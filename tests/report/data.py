"""Small hand-made frames for the report tests; every expected value is derived in the tests by hand
or in reference_values.R (output pasted next to the script)."""

import pandas as pd


def toy_patients() -> pd.DataFrame:
    """Five patients: A, B, C completed; D withdrew for an adverse event; E for lack of efficacy."""
    return pd.DataFrame(
        {
            "patient_id": ["A", "B", "C", "D", "E"],
            "sex": ["male", "male", "female", "male", "male"],
            "age_years": [30.0, 41.0, 25.0, 52.0, 19.0],
            "disease_duration_years": [10.0, 7.0, 12.0, 25.0, 4.0],
            "hla_b27": [True, True, False, True, True],
            "subtype": ["axial", "axial", "peripheral", "juvenile", "psoriatic"],
            "status": ["completed", "completed", "completed", "withdrawn", "withdrawn"],
            "withdrawal_reason": [None, None, None, "adverse_event", "lack_of_efficacy"],
            "last_week": [12.0, 12.0, 12.0, 2.0, 4.0],
        }
    )


def toy_scored() -> pd.DataFrame:
    """Scored visits at weeks 0, 4, 12 (C missed week 4; D left after baseline; E after week 4)."""
    rows = [
        # patient, week, basdai, esr, asas20, asas40
        ("A", 0, 6.0, 40.0, None, None),
        ("A", 4, 5.0, 30.0, False, False),
        ("A", 12, 3.0, 20.0, True, True),
        ("B", 0, 4.0, 30.0, None, None),
        ("B", 4, 4.5, 30.0, False, False),
        ("B", 12, 2.0, 25.0, True, False),
        ("C", 0, 8.0, 50.0, None, None),
        ("C", 12, 5.0, 40.0, False, False),
        ("D", 0, 5.0, 60.0, None, None),
        ("E", 0, 7.0, 45.0, None, None),
        ("E", 4, 7.0, 50.0, False, False),
    ]
    f = pd.DataFrame(rows, columns=["patient_id", "week", "basdai", "esr_mm_h", "asas20", "asas40"])
    for c in ("asas20", "asas40"):
        f[c] = f[c].astype("boolean")
    return f


def toy_adverse_events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "patient_id": ["A", "A", "B", "D", "D", "E", "Z"],
            "term": ["dry mouth", "dry mouth", "dry mouth", "rash", "dizziness", "constipation", "rash"],
            "onset_week": [2.0, 8.0, 4.0, 2.0, 2.0, 4.0, 1.0],
            "severity": ["mild", "mild", "moderate", "severe", "mild", "mild", "mild"],
            "serious": [False, False, False, True, False, False, False],
            "action": ["none"] * 7,
        }
    )


def reference_like_patients() -> pd.DataFrame:
    """13 patients with the reference study's disposition: P01-P03 adverse events (weeks 2, 2, 3),
    P04-P05 lack of efficacy (week 8), P06-P13 completed."""
    ids = [f"P{i:02d}" for i in range(1, 14)]
    return pd.DataFrame(
        {
            "patient_id": ids,
            "status": ["withdrawn"] * 5 + ["completed"] * 8,
            "withdrawal_reason": ["adverse_event"] * 3 + ["lack_of_efficacy"] * 2 + [None] * 8,
            "last_week": [2.0, 2.0, 3.0, 8.0, 8.0] + [24.0] * 8,
        }
    )


# BASFI of the 8 completers at weeks 0 and 24, with tied and zero differences:
# differences (24 - 0): -2.0, -1.0, -1.0, 0.0, -3.0, -0.5, 1.0, -2.0
REF_BASFI_0 = [6.0, 5.0, 4.0, 3.0, 8.0, 2.5, 3.0, 7.0]
REF_BASFI_24 = [4.0, 4.0, 3.0, 3.0, 5.0, 2.0, 4.0, 5.0]


def reference_like_scored() -> pd.DataFrame:
    """Weeks 0, 2, 8, 24: everyone at 0; P01-P03 at week 2; P04-P05 at 2 and 8 (ASAS20 False);
    completers at 2, 8 and 24, all ASAS20 responders at 24, ASAS40 for P06-P09."""
    rows = []
    for i in range(1, 14):
        pid = f"P{i:02d}"
        weeks = [0, 2] if i <= 3 else [0, 2, 8] if i <= 5 else [0, 2, 8, 24]
        for w in weeks:
            basfi = None
            if i >= 6 and w in (0, 24):
                basfi = (REF_BASFI_0 if w == 0 else REF_BASFI_24)[i - 6]
            asas20 = None if w == 0 else (w == 24)
            asas40 = None if w == 0 else (w == 24 and i <= 9)
            rows.append((pid, float(w), basfi, asas20, asas40))
    f = pd.DataFrame(rows, columns=["patient_id", "week", "basfi", "asas20", "asas40"])
    for c in ("asas20", "asas40"):
        f[c] = f[c].astype("boolean")
    return f


# ------------------------------------------------------------------------------------------------
# A synthetic study folder with another visit schedule (weeks 0, 6, 12, 26) and missed visits.
# Every BASDAI item of a visit equals v, so BASDAI = (4 v + (v + v) / 2) / 5 = v and the ASAS
# inflammation domain (mean of Q5, Q6) = v; every BASFI item equals f, so BASFI = f; both BAS-G
# items, the patient global and the back pain equal g, v, so BAS-G = g.
# ------------------------------------------------------------------------------------------------

# patient: (sex, age, duration, subtype, status, reason, last_week, {week: (v, f, g)})
SYNTHETIC = {
    "S01": (
        "male",
        31,
        9.0,
        "juvenile",
        "completed",
        "",
        26,
        {0: (6, 5, 7), 6: (5, 5, 6), 12: (4, 4, 5), 26: (3, 2.5, 3)},
    ),
    "S02": ("female", 45, 20.0, "axial", "completed", "", 26, {0: (4, 4, 5), 6: (4, 4, 5), 26: (3, 3.5, 3.5)}),
    "S03": (
        "male",
        38,
        11.0,
        "peripheral",
        "completed",
        "",
        26,
        {0: (7, 6, 8), 6: (7, 6, 8), 12: (7, 6, 8), 26: (7, 6, 8)},
    ),
    "S04": ("male", 50, 30.0, "axial", "withdrawn", "adverse_event", 6, {0: (5, 5, 5), 6: (4, 5, 5)}),
    "S05": ("male", 27, 5.0, "axial", "withdrawn", "lack_of_efficacy", 12, {0: (6, 6, 6), 6: (6, 6, 6), 12: (6, 6, 6)}),
    "S06": ("male", 42, 15.0, "psoriatic", "completed", "", 26, {0: (8, 7, 9), 12: (6, 6, 7), 26: (4, 5, 4)}),
}


def synthetic_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Patients, visits and adverse events of the synthetic study, as text-like raw tables."""
    patients, visits = [], []
    for pid, (sex, age, dur, subtype, status, reason, last, weeks) in SYNTHETIC.items():
        patients.append(
            {
                "patient_id": pid,
                "sex": sex,
                "age_years": age,
                "disease_duration_years": dur,
                "hla_b27": "true",
                "subtype": subtype,
                "status": status,
                "withdrawal_reason": reason,
                "last_week": last,
            }
        )
        for week, (v, f, g) in weeks.items():
            row = {"patient_id": pid, "week": week}
            row |= {f"basdai_q{i}": v for i in range(1, 7)}
            row |= {f"basfi_q{i}": f for i in range(1, 11)}
            row |= {
                "basg_week": g,
                "basg_6m": g,
                "patient_global": g,
                "back_pain": v,
                "esr_mm_h": 10 * v,
                "crp_mg_l": 2.0 * v,
                "iga_g_l": 3.0,
            }
            visits.append(row)
    ae = pd.DataFrame(
        {
            "patient_id": ["S01", "S04", "S04", "S06"],
            "term": ["dry mouth", "rash", "dizziness", "dry mouth"],
            "onset_week": [6, 2, 2, 12],
            "severity": ["mild", "severe", "moderate", "mild"],
            "serious": ["false", "false", "false", "false"],
            "action": ["none", "drug withdrawn", "drug withdrawn", "none"],
        }
    )
    return pd.DataFrame(patients), pd.DataFrame(visits), ae


def write_synthetic_study(folder) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    patients, visits, ae = synthetic_frames()
    patients.to_csv(folder / "patients.csv", index=False)
    visits.to_csv(folder / "visits.csv", index=False)
    ae.to_csv(folder / "adverse_events.csv", index=False)
