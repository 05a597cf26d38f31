"""The synthetic controlled trial: its generator rebuilds the committed files, and the design holds in them.

The design facts are computed here from the CSV files with plain pandas (and the index formulas written
out from their published definitions), never with axspa's scoring code.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from axspa.measures import REGISTRY
from generators.synthetic_rct import build

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "data" / "synthetic_rct"
FILES = ("patients.csv", "visits.csv", "adverse_events.csv", "study.toml", "README.md")
SCHEDULE = [0, 2, 4, 8, 12, 16]
PRIMARY = 16


@pytest.fixture(scope="module")
def patients() -> pd.DataFrame:
    return pd.read_csv(FOLDER / "patients.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def visits() -> pd.DataFrame:
    return pd.read_csv(FOLDER / "visits.csv")


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return pd.read_csv(FOLDER / "adverse_events.csv", dtype={"serious": str})


def test_generator_rebuilds_the_committed_files_byte_for_byte(tmp_path):
    build(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (FOLDER / name).read_bytes(), name


def test_generator_runs_as_a_module_with_an_output_folder(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "generators.synthetic_rct", "--out", str(tmp_path / "trial")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "trial").iterdir()) == sorted(FILES)


def test_a_different_seed_gives_a_different_trial(tmp_path):
    build(tmp_path, seed=1)
    assert (tmp_path / "visits.csv").read_bytes() != (FOLDER / "visits.csv").read_bytes()


def test_study_file_names_the_arms_the_stratum_and_the_schedule():
    study = tomllib.loads((FOLDER / "study.toml").read_text(encoding="utf-8"))
    assert set(study) == {"study", "arms"}
    s = study["study"]
    assert s["control"] == "placebo"
    assert s["strata"] == ["prior_tnfi"]
    assert s["schedule"] == SCHEDULE
    assert (s["baseline_week"], s["primary_week"]) == (0, PRIMARY)
    assert "made-up" in s["title"]
    assert study["arms"] == {"active": {"label": "Active drug"}, "placebo": {"label": "Placebo"}}


def test_readme_says_the_patients_are_made_up():
    text = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "**Every patient in this folder is made up.**" in text
    assert "python -m generators.synthetic_rct" in text


def test_patients_carry_the_canonical_columns_then_arm_treated_and_stratum(patients):
    assert list(patients.columns) == [
        "patient_id", "sex", "age_years", "disease_duration_years", "hla_b27", "subtype", "status",
        "withdrawal_reason", "last_week", "arm", "treated", "prior_tnfi",
    ]  # fmt: skip
    assert patients["patient_id"].is_unique
    assert set(patients["treated"]) == {"true", "false"}


def test_forty_per_arm_and_a_quarter_with_prior_tnf_inhibitor(patients):
    counts = pd.crosstab(patients["arm"], patients["prior_tnfi"])
    # 20 "yes" and 60 "no", each a whole number of blocks of 4 split 2:2, so 10 and 30 per arm.
    assert counts.to_dict() == {"no": {"active": 30, "placebo": 30}, "yes": {"active": 10, "placebo": 10}}


def test_permuted_blocks_of_four_within_each_stratum(patients):
    # Patients are numbered in order of randomisation; each stratum's patients in that order form blocks of 4.
    for stratum, group in patients.sort_values("patient_id").groupby("prior_tnfi"):
        arms = group["arm"].to_list()
        assert len(arms) % 4 == 0, stratum
        for start in range(0, len(arms), 4):
            block = arms[start : start + 4]
            assert sorted(block) == ["active", "active", "placebo", "placebo"], (stratum, start, block)


def test_every_scheduled_week_and_one_row_per_patient_and_week(patients, visits):
    assert set(visits["week"]) <= set(SCHEDULE)
    assert not visits.duplicated(["patient_id", "week"]).any()
    assert set(visits["patient_id"]) == set(patients["patient_id"])
    assert set(visits.loc[visits["week"] == 0, "patient_id"]) == set(patients["patient_id"])


def test_disposition_matches_the_visits(patients, visits):
    last_visit = visits.groupby("patient_id")["week"].max()
    last_week = patients.set_index("patient_id")["last_week"].astype(int)
    # No visit after withdrawal, and the last visit is the last week, for everyone.
    assert (last_visit.reindex(last_week.index) == last_week).all()
    done = patients[patients["status"] == "completed"]
    gone = patients[patients["status"] == "withdrawn"]
    assert set(patients["status"]) == {"completed", "withdrawn"}
    assert (done["withdrawal_reason"] == "").all()
    assert (done["last_week"] == str(PRIMARY)).all()
    assert (gone["withdrawal_reason"] != "").all()
    assert (gone["last_week"].astype(int) < PRIMARY).all()


def test_withdrawals_by_reason_and_arm(patients):
    gone = patients[patients["status"] == "withdrawn"]
    assert 0.10 <= len(gone) / len(patients) <= 0.15
    by = pd.crosstab(gone["withdrawal_reason"], gone["arm"]).reindex(columns=["active", "placebo"], fill_value=0)
    assert by.loc["adverse_event", "active"] > by.loc["adverse_event", "placebo"]
    assert by.loc["lack_of_efficacy", "placebo"] > by.loc["lack_of_efficacy", "active"]
    assert by.loc["lost_to_follow_up"].sum() == 1


def test_randomised_but_never_treated(patients, visits):
    never = patients[patients["treated"] == "false"]
    assert 1 <= len(never) <= 2
    assert (never["status"] == "withdrawn").all()
    assert (never["last_week"] == "0").all()
    seen = visits[visits["patient_id"].isin(never["patient_id"])]
    assert seen["week"].tolist() == [0] * len(never)


def test_about_five_per_cent_of_post_baseline_visits_missed(patients, visits):
    treated = patients[patients["treated"] == "true"]
    planned = sum(sum(1 for w in SCHEDULE if 0 < w <= int(last)) for last in treated["last_week"])
    attended = int((visits["week"] > 0).sum())
    # Some visits are missed (the lower bound); they are intermittent: the last visit is kept
    # (test_disposition_matches_the_visits).
    assert 0.03 <= (planned - attended) / planned <= 0.07


def test_values_on_their_grid_and_in_range(visits):
    for column in visits.columns[2:]:
        m = REGISTRY[column]
        x = visits[column].to_numpy(dtype=float)
        assert not np.isnan(x).any(), column
        assert ((x >= m.lower) & (x <= m.upper)).all(), column
        steps = x / m.grid
        assert np.allclose(steps, np.round(steps), rtol=0, atol=1e-9), column


def _basdai(v: pd.DataFrame) -> pd.Series:
    # Garrett et al., J Rheumatol 1994;21:2286-91: (Q1 + Q2 + Q3 + Q4 + (Q5 + Q6) / 2) / 5.
    q = [v[f"basdai_q{i}"] for i in range(1, 7)]
    return (q[0] + q[1] + q[2] + q[3] + (q[4] + q[5]) / 2) / 5


def _by_arm_at_primary(patients: pd.DataFrame, visits: pd.DataFrame, values: pd.Series) -> pd.DataFrame:
    frame = visits[["patient_id", "week"]].assign(value=values)
    wide = frame.pivot(index="patient_id", columns="week", values="value")
    return pd.DataFrame({"base": wide[0], "end": wide[PRIMARY]}).join(patients.set_index("patient_id")["arm"])


def test_baseline_disease_activity_is_realistic(visits):
    base = visits[visits["week"] == 0]
    assert 5.5 <= _basdai(base).mean() <= 6.5
    basfi = base[[f"basfi_q{i}" for i in range(1, 11)]].mean(axis=1)
    assert 4.5 <= basfi.mean() <= 5.5
    crp = base["crp_mg_l"]
    assert crp.mean() > 1.3 * crp.median()  # skewed to the right


def test_basdai_improves_more_on_the_active_drug(patients, visits):
    table = _by_arm_at_primary(patients, visits, _basdai(visits))
    change = (table["end"] - table["base"]).groupby(table["arm"]).mean()
    assert change["active"] < change["placebo"] < 0
    assert -3.0 <= change["active"] <= -2.0  # about -2.5 by design
    assert -1.2 <= change["placebo"] <= -0.4  # about -0.8 by design


def _asas(patients: pd.DataFrame, visits: pd.DataFrame, units: float, share: float) -> pd.Series:
    """ASAS20 (units 1, share 0.2; Anderson 2001) or ASAS40 (2, 0.4; Brandt 2004) at the primary week, NRI.

    Improvement in at least 3 of the 4 domains (patient global, back pain, BASFI, mean of BASDAI Q5-Q6) by at
    least ``share`` of baseline and ``units``; the fourth does not worsen by 20 % and 1 unit (ASAS20) or at all
    (ASAS40).
    """
    domains = {
        "global": visits["patient_global"],
        "pain": visits["back_pain"],
        "function": visits[[f"basfi_q{i}" for i in range(1, 11)]].mean(axis=1),
        "inflammation": (visits["basdai_q5"] + visits["basdai_q6"]) / 2,
    }
    tables = {name: _by_arm_at_primary(patients, visits, values) for name, values in domains.items()}
    improved, worse = [], []
    for t in tables.values():
        gain = t["base"] - t["end"]
        improved.append((gain >= units - 1e-9) & (gain >= share * t["base"] - 1e-9))
        worse.append((-gain >= 1 - 1e-9) & (-gain >= 0.2 * t["base"] - 1e-9) if units == 1 else -gain > 1e-9)
    n_improved = sum(i.astype(int) for i in improved)
    other_worse = sum(((~i) & w).astype(int) for i, w in zip(improved, worse, strict=True)) > 0
    respond = (n_improved >= 3) & ~other_worse
    arm = tables["global"]["arm"]
    return respond.groupby(arm).sum() / arm.value_counts()


def test_asas_response_rates_are_near_the_design(patients, visits):
    asas20 = _asas(patients, visits, 1, 0.2)
    asas40 = _asas(patients, visits, 2, 0.4)
    assert 0.50 <= asas20["active"] <= 0.65 and 0.20 <= asas20["placebo"] <= 0.35
    assert 0.35 <= asas40["active"] <= 0.45 and 0.05 <= asas40["placebo"] <= 0.15


def test_adverse_events_by_arm(patients, events):
    arm = events["patient_id"].map(patients.set_index("patient_id")["arm"])
    assert arm.notna().all()
    counts = arm.value_counts()
    assert counts["active"] > 1.5 * counts["placebo"]
    for term in ("injection-site reaction", "infection"):
        hit = events["term"].str.contains(term)
        assert (hit & (arm == "active")).sum() > (hit & (arm == "placebo")).sum(), term
    treated = set(patients.loc[patients["treated"] == "true", "patient_id"])
    assert set(events["patient_id"]) <= treated
    assert set(events["severity"]) <= {"mild", "moderate", "severe"}
    assert set(events["serious"]) <= {"true", "false"}
    last = events["patient_id"].map(patients.set_index("patient_id")["last_week"].astype(int))
    assert ((events["onset_week"] >= 0) & (events["onset_week"] <= last)).all()


def test_each_adverse_event_withdrawal_has_its_event(patients, events):
    gone = patients[patients["withdrawal_reason"] == "adverse_event"]
    stopped = events[events["action"] == "study drug withdrawn"]
    assert sorted(stopped["patient_id"]) == sorted(gone["patient_id"])
