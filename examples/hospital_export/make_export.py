"""Make the synthetic hospital export of this example, and the same data in the canonical format.

Run ``python examples/hospital_export/make_export.py [FOLDER]`` (default: this folder). It writes

- ``hospital_export.xlsx``: one workbook with the sheets Demographics, Visits and AEs, messy the way
  exports from hospital systems are: VAS items in mm with headers such as "BASDAI 1 [mm]", CRP in
  mg/dL with "<0.5" and decimal commas ("1,3"), missing values written "n/a", "n.a." or "not done",
  sex as M/F, HLA-B27 as "pos."/"neg.", free-text withdrawal reasons, and visit dates beside the
  week numbers;
- ``canonical/``: the same 60 patients as ``patients.csv``, ``visits.csv`` and ``adverse_events.csv``
  in axspa's canonical columns, written directly, for comparison.

The data are random (seeded, so every run writes the same files) and describe no real patient.
The workbook needs openpyxl (``pip install 'axspa[excel]'``).
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 13
N_PATIENTS = 60
WEEKS = (0, 4, 12, 24)
WORKBOOK = "hospital_export.xlsx"
CANONICAL = "canonical"

REASONS = {  # free text as written in the export -> canonical withdrawal reason
    "Side effects (rash)": "adverse_event",
    "adverse event: nausea": "adverse_event",
    "No improvement": "lack_of_efficacy",
    "lack of efficacy per investigator": "lack_of_efficacy",
    "Lost to follow-up": "lost_to_follow_up",
    "Moved to another city": "lost_to_follow_up",
    "patient decision": "other",
}
AE_TERMS = ("Headache", "Nausea", "Rash", "Upper respiratory tract infection", "Injection site reaction")
SEVERITY = {"Grade 1": "mild", "Grade 2": "moderate", "Grade 3": "severe"}
MISSING = ("n/a", "n.a.", "not done")


def _mm_items(rng: np.random.Generator, level: np.ndarray, n: int) -> np.ndarray:
    """Integer mm values (0-100) scattered around a patient's level."""
    return np.clip(np.rint(level[:, None] + rng.normal(0, 12, (len(level), n))), 0, 100).astype(int)


def make(folder: str | Path, seed: int = SEED) -> Path:
    """Write the workbook and the canonical folder into ``folder``; returns the workbook's path."""
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    (folder / CANONICAL).mkdir(parents=True, exist_ok=True)
    ids = [f"HX{i:03d}" for i in range(1, N_PATIENTS + 1)]
    sex = rng.choice(["M", "F"], N_PATIENTS, p=[0.7, 0.3])
    age = rng.integers(20, 65, N_PATIENTS)
    duration = np.round(rng.uniform(0.5, 25, N_PATIENTS), 1)
    hla = rng.choice(["pos.", "neg.", "n.a."], N_PATIENTS, p=[0.8, 0.15, 0.05])
    withdrawn = rng.random(N_PATIENTS) < 0.2
    last_week = np.where(withdrawn, rng.choice([4, 12], N_PATIENTS), 24)
    reasons = np.where(withdrawn, rng.choice(list(REASONS), N_PATIENTS), "")
    start = [date(2023, 1, 9) + timedelta(days=int(d)) for d in rng.integers(0, 200, N_PATIENTS)]

    demographics = pd.DataFrame(
        {
            "Patient ID": ids,
            "Sex": sex,
            "Age": age,
            "Disease duration (years)": [f"{d:.1f}".replace(".", ",") for d in duration],
            "HLA-B27": hla,
            "Status": np.where(withdrawn, "Discontinued", "Completed"),
            "Reason for withdrawal": reasons,
            "Last week": last_week,
        }
    )
    patients = pd.DataFrame(
        {
            "patient_id": ids,
            "sex": np.where(sex == "M", "male", "female"),
            "age_years": age,
            "disease_duration_years": duration,
            "hla_b27": [{"pos.": "true", "neg.": "false"}.get(h, "") for h in hla],
            "status": np.where(withdrawn, "withdrawn", "completed"),
            "withdrawal_reason": [REASONS.get(r, "") for r in reasons],
            "last_week": last_week,
        }
    )

    export_rows, canonical_rows = [], []
    baseline = rng.uniform(40, 85, N_PATIENTS)
    improvement = rng.uniform(0, 0.7, N_PATIENTS)
    for p, pid in enumerate(ids):
        for week in (w for w in WEEKS if w <= last_week[p]):
            level = np.array([baseline[p] * (1 - improvement[p] * min(week, 12) / 12)])
            basdai, basfi, other = (
                _mm_items(rng, level, 6)[0],
                _mm_items(rng, level, 10)[0],
                _mm_items(rng, level, 2)[0],
            )
            crp = round(float(rng.lognormal(np.log(1.5 * (1 - 0.5 * improvement[p] * (week > 0))), 0.6)), 1)
            esr = int(rng.integers(2, 60))
            crp_text = "<0.5" if crp < 0.5 else f"{crp:.1f}"
            row = {
                "Patient-ID": pid,
                "Week": week,
                "Visit date": (start[p] + timedelta(weeks=week)).strftime("%d.%m.%Y"),
            }
            row |= {f"BASDAI {i} [mm]": v for i, v in enumerate(basdai, 1)}
            row |= {f"BASFI {i} [mm]": v for i, v in enumerate(basfi, 1)}
            row |= {"Patient global [mm]": other[0], "Back pain [mm]": other[1]}
            row |= {"ESR [mm/h]": esr, "CRP [mg/dL]": crp_text.replace(".", ",") if rng.random() < 0.4 else crp_text}
            canon = {"patient_id": pid, "week": week}
            canon |= {f"basdai_q{i}": v / 10 for i, v in enumerate(basdai, 1)}
            canon |= {f"basfi_q{i}": v / 10 for i, v in enumerate(basfi, 1)}
            canon |= {
                "patient_global": other[0] / 10,
                "back_pain": other[1] / 10,
                "esr_mm_h": esr,
                "crp_mg_dl": crp_text,
            }
            if week > 0 and rng.random() < 0.15:  # a lab not done, or an item not recorded
                column = rng.choice(["ESR [mm/h]", "CRP [mg/dL]", "BASFI 7 [mm]"])
                row[column] = str(rng.choice(MISSING))
                canon[{"ESR [mm/h]": "esr_mm_h", "CRP [mg/dL]": "crp_mg_dl", "BASFI 7 [mm]": "basfi_q7"}[column]] = None
            export_rows.append(row)
            canonical_rows.append(canon)

    ae_rows, ae_canonical = [], []
    for p, pid in enumerate(ids):
        for _ in range(int(rng.poisson(0.8))):
            term, grade = str(rng.choice(AE_TERMS)), str(rng.choice(list(SEVERITY)))
            onset, serious = int(rng.integers(1, last_week[p] + 1)), bool(rng.random() < 0.05)
            ae_rows.append(
                {
                    "Patient": pid,
                    "Event": term,
                    "Onset week": onset,
                    "Severity": grade,
                    "Serious": "yes" if serious else "no",
                }
            )
            ae_canonical.append(
                {"patient_id": pid, "term": term, "onset_week": onset, "severity": SEVERITY[grade], "serious": serious}
            )

    workbook = folder / WORKBOOK
    with pd.ExcelWriter(workbook, engine="openpyxl") as writer:
        demographics.to_excel(writer, sheet_name="Demographics", index=False)
        pd.DataFrame(export_rows).to_excel(writer, sheet_name="Visits", index=False)
        pd.DataFrame(ae_rows).to_excel(writer, sheet_name="AEs", index=False)
    patients.to_csv(folder / CANONICAL / "patients.csv", index=False, lineterminator="\n")
    pd.DataFrame(canonical_rows).to_csv(folder / CANONICAL / "visits.csv", index=False, lineterminator="\n")
    pd.DataFrame(ae_canonical).to_csv(folder / CANONICAL / "adverse_events.csv", index=False, lineterminator="\n")
    return workbook


if __name__ == "__main__":
    out = make(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
    print(f"wrote {out} and {out.parent / CANONICAL}/")
