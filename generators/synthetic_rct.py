"""Build the bundled synthetic controlled trial: 80 made-up patients, an anti-TNF-like drug against placebo.

Every patient is invented by a seeded model; nothing comes from a real trial. The files exist to test and
show axspa's controlled-trial pipeline on data with the features real trials have: stratified block
randomisation, withdrawals for different reasons, missed visits and randomised patients never treated.
The same seed rebuilds ``patients.csv``, ``visits.csv``, ``adverse_events.csv``, ``study.toml`` and
``README.md`` byte for byte.

The model
---------
1. **Randomisation.** 80 patients, 20 with prior TNF inhibitor use and 60 without, enrolled in a random
   order and numbered in that order. Within each stratum, arms are assigned in permuted blocks of 4
   (two ``active``, two ``placebo``), so both strata, and the trial, are balanced 1:1.
2. **Patients.** Sex, age, disease duration, HLA-B27 and subtype drawn from distributions typical of
   axial spondyloarthritis trials (about 75 % men, mean age about 40, mean duration about 10 years, about
   85 % HLA-B27 positive; juvenile onset when the disease began before age 16).
3. **Disease activity.** Each patient has a latent activity level (about 6 on 0-10), a function level
   (about 5, correlated with activity) and a relative improvement by the primary week, drawn per arm
   (:data:`DESIGN`): larger on the active drug (less so after a prior TNF inhibitor) than on placebo,
   tuned so that ASAS20 is about 55-60 % against 25-30 % and ASAS40 about 40 % against 12 %. Every item
   (BASDAI Q1-Q6, BASFI Q1-Q10, BAS-G, patient global, back pain) starts at the patient's level plus an
   item offset and item noise, and follows the patient's improvement (with its own item-level deviation)
   along a curve that reaches most of it by week 8, plus visit noise: the items of one patient move
   together. CRP (log-normal, skewed) and ESR fall on the active drug only.
4. **Disposition.** Per arm, a fixed number of withdrawals by reason (:data:`WITHDRAWALS`): patients
   withdrawn for lack of efficacy are drawn from the arm's poorest improvers; those withdrawn for an
   adverse event get that event in ``adverse_events.csv``; one patient per arm withdraws before the first
   dose (``treated`` false, only the baseline visit). About 5 % of the remaining post-baseline visits are
   missed (no row); a withdrawn patient's last visit and a completer's primary visit are never missed.
5. **Adverse events.** Each treated patient has each listed event (:data:`ADVERSE_EVENTS`) with an
   arm-specific probability scaled by the time on study; injection-site reactions and infections are
   more frequent on the active drug.

Every value lies on its measure's grid and inside its range, both read from :data:`axspa.measures.REGISTRY`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS, BASG_ITEMS, REGISTRY

__all__ = ["ADVERSE_EVENTS", "DEFAULT_SEED", "DESIGN", "NAME", "WEEKS", "WITHDRAWALS", "build", "main"]

NAME = "synthetic_rct"
DEFAULT_SEED = 224
WEEKS = (0, 2, 4, 8, 12, 16)
PRIMARY_WEEK = 16
ARMS = ("active", "placebo")
ARM_LABELS = {"active": "Active drug", "placebo": "Placebo"}
CONTROL = "placebo"
STRATUM = "prior_tnfi"
STRATUM_SIZES = {"yes": 20, "no": 60}
BLOCK = ("active", "active", "placebo", "placebo")
TITLE = "Synthetic placebo-controlled trial of an anti-TNF-like drug in axial spondyloarthritis (made-up patients)"
DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / "data" / NAME


@dataclass(frozen=True)
class ArmModel:
    """The relative improvement by the primary week in one arm: normal with this mean and SD.

    ``prior_tnfi_shift`` is added to the mean for patients with prior TNF inhibitor use.
    """

    mean: float
    sd: float
    prior_tnfi_shift: float
    crp_log_change: float  # mean change of log CRP by the primary week
    crp_log_change_sd: float


DESIGN: Mapping[str, ArmModel] = {
    "active": ArmModel(mean=0.45, sd=0.40, prior_tnfi_shift=-0.10, crp_log_change=-1.1, crp_log_change_sd=0.5),
    "placebo": ArmModel(mean=0.09, sd=0.33, prior_tnfi_shift=0.0, crp_log_change=0.0, crp_log_change_sd=0.15),
}
"""The arm effects of the model."""

NEVER_TREATED = "never_treated"
WITHDRAWALS: Mapping[str, Mapping[str, int]] = {
    "active": {NEVER_TREATED: 1, "adverse_event": 3, "lack_of_efficacy": 1, "lost_to_follow_up": 0},
    "placebo": {NEVER_TREATED: 1, "adverse_event": 1, "lack_of_efficacy": 3, "lost_to_follow_up": 1},
}
"""Withdrawals per arm and reason; ``never_treated`` withdraw before the first dose (reason ``other``)."""

WITHDRAWAL_WEEKS: Mapping[str, tuple[int, ...]] = {
    "adverse_event": (2, 4, 8, 12),
    "lack_of_efficacy": (8, 12),
    "lost_to_follow_up": (4, 8, 12),
}
"""Scheduled weeks at which a withdrawal of each reason may happen (the last visit)."""

MISSED_SHARE = 0.05

# Item offsets from the patient's level at baseline (BASDAI: Q3 peripheral joints and Q4 enthesitis lower).
BASDAI_OFFSETS = (0.4, 0.6, -1.8, -0.6, 0.5, 0.3)
BASFI_OFFSETS = (-0.6, 0.3, -0.9, -0.6, 0.5, 0.1, -0.2, 0.6, 1.0, -0.2)
OTHER_OFFSETS = {BASG_ITEMS[0]: 0.2, BASG_ITEMS[1]: 0.5, "patient_global": 0.4, "back_pain": 0.6}


@dataclass(frozen=True)
class Latent:
    """The model below the arms: levels, spreads and noise (the folder's README writes them out)."""

    activity: tuple[float, float, float, float] = (6.2, 1.0, 4.3, 9.2)  # mean, SD, kept within low-high
    function: tuple[float, float, float, float] = (5.0, 1.7, 0.8, 9.3)  # mean at mean activity, SD, low, high
    function_on_activity: float = 0.9  # slope of the function level on the activity level
    improvement_range: tuple[float, float] = (-0.35, 0.95)
    item_sd: float = 0.9  # between-patient spread of an item around the patient's level
    item_response_sd: float = 0.08  # between-item spread of the relative improvement
    function_response: float = 0.9  # BASFI improves by this share of the patient's relative improvement
    visit_sd: float = 0.45  # visit-to-visit noise of one item
    time_constant: float = 3.5  # weeks; the improvement follows 1 - exp(-week / time_constant)
    crp_median: float = 9.0  # mg/L
    crp_log_sd: float = 0.95
    esr_median: float = 20.0  # mm/h
    esr_on_crp: float = 0.45  # log ESR on the standardised log CRP
    esr_log_sd: float = 0.35
    esr_change_share: float = 0.6  # ESR changes by this share of the change in log CRP
    crp_visit_log_sd: float = 0.3
    esr_visit_log_sd: float = 0.2
    moderate_share: float = 0.25  # of the adverse events that do not end treatment


LATENT = Latent()
"""The model's constants."""


@dataclass(frozen=True)
class AdverseEventModel:
    """One adverse event term: probability over 16 weeks per arm, and the action when moderate."""

    term: str
    active: float
    placebo: float
    treatment: str


ADVERSE_EVENTS: tuple[AdverseEventModel, ...] = (
    AdverseEventModel("injection-site reaction", 0.25, 0.05, "none"),
    AdverseEventModel("upper respiratory tract infection", 0.20, 0.10, "symptomatic treatment"),
    AdverseEventModel("nasopharyngitis", 0.12, 0.08, "symptomatic treatment"),
    AdverseEventModel("headache", 0.10, 0.10, "analgesic"),
    AdverseEventModel("nausea", 0.05, 0.05, "antiemetic"),
    AdverseEventModel("urinary tract infection", 0.05, 0.02, "antibiotic"),
)
"""Adverse events that do not end treatment."""

WITHDRAWAL_EVENTS: Mapping[str, tuple[tuple[str, str, bool], ...]] = {
    "active": (
        ("pneumonia", "severe", True),
        ("allergic reaction", "moderate", False),
        ("raised ALT", "moderate", False),
    ),
    "placebo": (("anterior uveitis", "moderate", False),),
}
"""The events (term, severity, serious) behind the adverse-event withdrawals of each arm, in order."""


@dataclass(frozen=True)
class Patient:
    """One made-up patient: randomisation, disposition and the latent disease model."""

    patient_id: str
    arm: str
    prior_tnfi: str
    treated: bool
    status: str
    withdrawal_reason: str
    last_week: int
    improvement: float
    activity: float
    function: float


def _shape(week: float) -> float:
    """Share of the improvement by the primary week reached by ``week`` (most of it by week 8)."""
    tau = LATENT.time_constant
    return float((1 - np.exp(-week / tau)) / (1 - np.exp(-PRIMARY_WEEK / tau)))


def _on_grid(values: np.ndarray | float, measure: str, *, floor: bool = False) -> np.ndarray:
    """Round to the measure's grid and clip to its range (``floor``: at least one grid step)."""
    m = REGISTRY[measure]
    lower = m.lower + m.grid if floor else m.lower
    on = np.round(np.asarray(values, dtype=float) / m.grid) * m.grid
    return np.clip(on, lower, m.upper).round(_decimals(m.grid))


def _decimals(grid: float) -> int:
    """Decimals that write multiples of a decimal grid (0.1 -> 1, 1.0 -> 0, 0.01 -> 2)."""
    return max(0, -int(Decimal(str(grid)).normalize().as_tuple().exponent))


# -- randomisation and patients ---------------------------------------------------------------------------


def _randomise(rng: np.random.Generator) -> list[tuple[str, str]]:
    """(stratum, arm) per patient in enrolment order: permuted blocks of 4 within each stratum."""
    strata = rng.permutation([s for s, n in STRATUM_SIZES.items() for _ in range(n)])
    lists = {
        s: iter([arm for _ in range(n // len(BLOCK)) for arm in rng.permutation(BLOCK)])
        for s, n in STRATUM_SIZES.items()
    }
    return [(str(s), str(next(lists[str(s)]))) for s in strata]


def _demographics(rng: np.random.Generator, n: int) -> pd.DataFrame:
    sex = np.where(rng.random(n) < 0.75, "male", "female")
    age = np.clip(np.round(rng.normal(40, 10.5, n)), 18, 68)
    duration = np.clip(np.round(rng.gamma(2.0, 5.0, n), 1), 0.5, age - 12)
    hla_b27 = rng.random(n) < 0.85
    adult = rng.choice(["axial", "peripheral", "psoriatic"], size=n, p=[0.8, 0.12, 0.08])
    subtype = np.where(age - duration < 16, "juvenile", adult)
    return pd.DataFrame(
        {
            "sex": sex,
            "age_years": age.astype(int),
            "disease_duration_years": [f"{d:.1f}" for d in duration],
            "hla_b27": np.where(hla_b27, "true", "false"),
            "subtype": subtype,
        }
    )


def _patients(rng: np.random.Generator) -> list[Patient]:
    """Randomise, draw the latent disease model, then assign the withdrawals."""
    allocation = _randomise(rng)
    n = len(allocation)
    mean, sd, low, high = LATENT.activity
    activity = np.clip(rng.normal(mean, sd, n), low, high)
    f_mean, f_sd, f_low, f_high = LATENT.function
    slope = LATENT.function_on_activity
    function = np.clip(f_mean + slope * (activity - mean) + rng.normal(0, f_sd, n), f_low, f_high)
    improvement = np.empty(n)
    for i, (stratum, arm) in enumerate(allocation):
        model = DESIGN[arm]
        centre = model.mean + (model.prior_tnfi_shift if stratum == "yes" else 0.0)
        improvement[i] = np.clip(rng.normal(centre, model.sd), *LATENT.improvement_range)
    ids = [f"P{i + 1:02d}" for i in range(n)]
    # (treated, status, withdrawal_reason, last_week) per patient; everyone completes unless drawn below.
    disposition = {pid: (True, "completed", "", PRIMARY_WEEK) for pid in ids}
    for arm in ARMS:
        members = [i for i, (_, a) in enumerate(allocation) if a == arm]
        counts = WITHDRAWALS[arm]
        never = [int(i) for i in rng.choice(members, size=counts[NEVER_TREATED], replace=False)]
        for i in never:
            disposition[ids[i]] = (False, "withdrawn", "other", 0)
        treated = [i for i in members if i not in never]
        # Lack of efficacy: drawn from the poorest third of the arm's improvers; the others from anyone left.
        poorest = sorted(treated, key=lambda i: improvement[i])[: len(treated) // 3]
        for reason in ("lack_of_efficacy", "adverse_event", "lost_to_follow_up"):
            pool = poorest if reason == "lack_of_efficacy" else treated
            free = [i for i in pool if disposition[ids[i]][1] == "completed"]
            for i in rng.choice(free, size=counts[reason], replace=False):
                disposition[ids[i]] = (True, "withdrawn", reason, int(rng.choice(WITHDRAWAL_WEEKS[reason])))
    return [
        Patient(pid, arm, stratum, *disposition[pid], float(improvement[i]), float(activity[i]), float(function[i]))
        for i, (pid, (stratum, arm)) in enumerate(zip(ids, allocation, strict=True))
    ]


# -- visits -----------------------------------------------------------------------------------------------


def _course(base: float, improvement: float, rng: np.random.Generator, measure: str) -> np.ndarray:
    """One item at every scheduled week: ``base`` falling by ``improvement`` along :func:`_shape`, plus noise."""
    m = REGISTRY[measure]
    start = float(np.clip(base, m.lower, m.upper))
    shape = np.array([_shape(w) for w in WEEKS])
    noise = rng.normal(0, LATENT.visit_sd, len(WEEKS)) * (shape > 0)
    return _on_grid(start * (1 - improvement * shape) + noise, measure)


def _visit_values(p: Patient, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Every visit column of one patient at every scheduled week (rows past the last visit are dropped later)."""
    values = {}
    for items, offsets, level, share in (
        (BASDAI_ITEMS, BASDAI_OFFSETS, p.activity, 1.0),
        (BASFI_ITEMS, BASFI_OFFSETS, p.function, LATENT.function_response),
        (tuple(OTHER_OFFSETS), tuple(OTHER_OFFSETS.values()), p.activity, 1.0),
    ):
        for item, offset in zip(items, offsets, strict=True):
            base = level + offset + rng.normal(0, LATENT.item_sd)
            improvement = share * p.improvement + rng.normal(0, LATENT.item_response_sd)
            values[item] = _course(base, improvement, rng, item)
    # Laboratory values: CRP log-normal (skewed), ESR correlated with it; both fall on the active drug only.
    model = DESIGN[p.arm]
    shape = np.array([_shape(w) for w in WEEKS])
    z = rng.normal()
    crp0 = np.exp(np.log(LATENT.crp_median) + LATENT.crp_log_sd * z)
    esr0 = np.exp(np.log(LATENT.esr_median) + LATENT.esr_on_crp * z + rng.normal(0, LATENT.esr_log_sd))
    change = rng.normal(model.crp_log_change, model.crp_log_change_sd) * shape
    later = shape > 0
    esr = esr0 * np.exp(LATENT.esr_change_share * change + rng.normal(0, LATENT.esr_visit_log_sd, len(WEEKS)) * later)
    crp = crp0 * np.exp(change + rng.normal(0, LATENT.crp_visit_log_sd, len(WEEKS)) * later)
    values["esr_mm_h"] = _on_grid(esr, "esr_mm_h", floor=True)
    values["crp_mg_l"] = _on_grid(crp, "crp_mg_l", floor=True)
    return values


def _missed(patients: Sequence[Patient], rng: np.random.Generator) -> set[tuple[str, int]]:
    """About 5 % of the planned post-baseline visits of treated patients, never a patient's last visit."""
    planned = sum(1 for p in patients if p.treated for w in WEEKS if 0 < w <= p.last_week)
    eligible = [(p.patient_id, w) for p in patients if p.treated for w in WEEKS if 0 < w < p.last_week]
    chosen = rng.choice(len(eligible), size=round(MISSED_SHARE * planned), replace=False)
    return {eligible[i] for i in sorted(chosen)}


def _visits(patients: Sequence[Patient], rng: np.random.Generator) -> pd.DataFrame:
    frames = []
    for p in patients:
        frame = pd.DataFrame({"patient_id": p.patient_id, "week": WEEKS, **_visit_values(p, rng)})
        frames.append(frame[frame["week"] <= p.last_week])
    visits = pd.concat(frames, ignore_index=True)
    missed = _missed(patients, rng)
    keep = [(pid, w) not in missed for pid, w in zip(visits["patient_id"], visits["week"], strict=True)]
    return visits[keep].reset_index(drop=True)


# -- adverse events ---------------------------------------------------------------------------------------


def _adverse_events(patients: Sequence[Patient], rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    events = {arm: iter(WITHDRAWAL_EVENTS[arm]) for arm in ARMS}
    for p in patients:
        if not p.treated:
            continue
        exposure = p.last_week / PRIMARY_WEEK
        for ae in ADVERSE_EVENTS:
            happens = rng.random() < (ae.active if p.arm == "active" else ae.placebo) * exposure
            moderate = rng.random() < LATENT.moderate_share
            onset = int(rng.integers(1, p.last_week + 1))
            if happens:
                severity, action = ("moderate", ae.treatment) if moderate else ("mild", "none")
                rows.append((p.patient_id, ae.term, onset, severity, "false", action))
        if p.withdrawal_reason == "adverse_event":
            term, severity, serious = next(events[p.arm])
            onset = max(1, p.last_week - int(rng.integers(0, 2)))
            rows.append((p.patient_id, term, onset, severity, str(serious).lower(), "study drug withdrawn"))
    frame = pd.DataFrame(rows, columns=["patient_id", "term", "onset_week", "severity", "serious", "action"])
    return frame.sort_values(["patient_id", "onset_week", "term"], kind="stable").reset_index(drop=True)


# -- files ------------------------------------------------------------------------------------------------


def build(folder: str | Path = DEFAULT_FOLDER, *, seed: int = DEFAULT_SEED) -> Path:
    """Write the synthetic trial's files into ``folder``; returns the folder.

    Parameters
    ----------
    folder : path
        Where to write ``patients.csv``, ``visits.csv``, ``adverse_events.csv``, ``study.toml`` and
        ``README.md`` (created if absent).
    seed : int
        Seed of every random choice (one :class:`numpy.random.Generator`); the same seed gives the
        same files byte for byte.
    """
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    patients = _patients(rng)
    demographics = _demographics(rng, len(patients))
    visits = _visits(patients, rng)
    events = _adverse_events(patients, rng)
    table = pd.concat(
        [
            pd.DataFrame({"patient_id": [p.patient_id for p in patients]}),
            demographics,
            pd.DataFrame(
                {
                    "status": [p.status for p in patients],
                    "withdrawal_reason": [p.withdrawal_reason for p in patients],
                    "last_week": [p.last_week for p in patients],
                    "arm": [p.arm for p in patients],
                    "treated": [str(p.treated).lower() for p in patients],
                    STRATUM: [p.prior_tnfi for p in patients],
                }
            ),
        ],
        axis=1,
    )
    _csv(table, folder / "patients.csv")
    written = visits.copy()
    for column in written.columns[2:]:
        decimals = _decimals(REGISTRY[column].grid)
        written[column] = written[column].map(lambda v, d=decimals: f"{v + 0.0:.{d}f}")
    _csv(written, folder / "visits.csv")
    _csv(events, folder / "adverse_events.csv")
    (folder / "study.toml").write_text(study_file(), encoding="utf-8")
    (folder / "README.md").write_text(readme(table, visits, events, seed=seed), encoding="utf-8")
    return folder


def _csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def study_file() -> str:
    """The text of ``study.toml``: title, arms and control, stratum, schedule, baseline and primary week."""
    lines = [
        "[study]",
        f'title = "{TITLE}"',
        f'control = "{CONTROL}"',
        f'strata = ["{STRATUM}"]',
        f"schedule = [{', '.join(map(str, WEEKS))}]",
        f"baseline_week = {WEEKS[0]}",
        f"primary_week = {PRIMARY_WEEK}",
    ]
    for arm in ARMS:
        lines += ["", f"[arms.{arm}]", f'label = "{ARM_LABELS[arm]}"']
    return "\n".join(lines) + "\n"


def _scored(visits: pd.DataFrame) -> pd.DataFrame:
    """Every visit scored by axspa (indices, changes, responses), with the raw columns the README reports."""
    from axspa.derive import score_visits

    keep = ("patient_global", "back_pain", "esr_mm_h", "crp_mg_l")
    return score_visits(visits.assign(week=visits["week"].astype(float)), keep=keep)


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _number(x: float) -> str:
    return f"{x:g}"


def readme(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame, *, seed: int) -> str:
    """The folder's README: what the data are, the model, what this seed produced, the columns, how to rebuild."""
    arm_of = patients.set_index("patient_id")["arm"]
    sizes = {a: int((arm_of == a).sum()) for a in ARMS}

    def per_arm(values: pd.Series, arm: str) -> pd.Series:
        return values.reindex(arm_of.index[arm_of == arm])

    def counts(label: str, mask: pd.Series) -> list[object]:
        return [label, *(int(per_arm(mask.set_axis(patients["patient_id"]), a).sum()) for a in ARMS)]

    reasons = ("adverse_event", "lack_of_efficacy", "lost_to_follow_up", "other")
    disposition = [
        counts("randomised", patients["arm"].notna()),
        *(counts(f"{STRATUM} = {s}", patients[STRATUM] == s) for s in STRATUM_SIZES),
        counts("treated (any dose)", patients["treated"] == "true"),
        counts(f"completed week {PRIMARY_WEEK}", patients["status"] == "completed"),
        *(counts(f"withdrawn: {r}", patients["withdrawal_reason"] == r) for r in reasons),
    ]
    scored = _scored(visits)
    primary = scored[scored["week"] == PRIMARY_WEEK].set_index("patient_id")
    baseline = scored[scored["week"] == WEEKS[0]].set_index("patient_id")
    outcomes = [
        [f"{REGISTRY[c].display} at baseline, mean (SD)"]
        + [f"{per_arm(baseline[c], a).mean():.1f} ({per_arm(baseline[c], a).std():.1f})" for a in ARMS]
        for c in ("basdai", "basfi", "basg", "patient_global", "back_pain", "esr_mm_h")
    ]
    outcomes.append(
        [f"{REGISTRY['crp_mg_l'].display} at baseline, median (range)"]
        + [
            f"{per_arm(baseline['crp_mg_l'], a).median():.1f} "
            f"({per_arm(baseline['crp_mg_l'], a).min():.1f}-{per_arm(baseline['crp_mg_l'], a).max():.1f})"
            for a in ARMS
        ]
    )
    change = primary["basdai_chg"]
    outcomes.append(
        [f"BASDAI change to week {PRIMARY_WEEK}, mean (n observed)"]
        + [f"{per_arm(change, a).mean():.2f} ({per_arm(change, a).count()})" for a in ARMS]
    )
    outcomes += [
        [f"{REGISTRY[c].short} at week {PRIMARY_WEEK}, all randomised, non-responders imputed"]
        + [f"{int(per_arm(primary[c], a).fillna(False).astype(bool).sum())}/{sizes[a]}" for a in ARMS]
        for c in ("asas20", "asas40")
    ]
    outcomes.append(["adverse events (patients with one or more)", *(_ae_count(events, arm_of, a) for a in ARMS)])
    planned = sum(
        sum(1 for w in WEEKS if 0 < w <= last)
        for last, treated in zip(patients["last_week"], patients["treated"], strict=True)
        if treated == "true"
    )
    arm_header = ["", *(f"{ARM_LABELS[a]} (`{a}`)" for a in ARMS)]
    lo, hi = LATENT.improvement_range
    return README.format(
        name=NAME,
        seed=seed,
        n=len(patients),
        per_arm=sizes[ARMS[0]],
        control=CONTROL,
        stratum=STRATUM,
        strata=", ".join(f"{n} `{s}`" for s, n in STRATUM_SIZES.items()),
        block=len(BLOCK),
        weeks=", ".join(map(str, WEEKS)),
        primary=PRIMARY_WEEK,
        visits=len(visits),
        missed=planned - int((visits["week"] > WEEKS[0]).sum()),
        planned=planned,
        disposition=_table(arm_header, disposition),
        outcomes=_table(arm_header, outcomes),
        latent=LATENT,
        mid_share=f"{_shape(8):.0%}",
        improvement_range=f"{lo:g} to {hi:g}",
        arms=_table(
            ["arm", "mean", "SD", "shift after a prior TNF inhibitor", "change in log CRP, mean (SD)"],
            [
                [
                    a,
                    f"{m.mean:g}",
                    f"{m.sd:g}",
                    f"{m.prior_tnfi_shift:g}",
                    f"{m.crp_log_change:g} ({m.crp_log_change_sd:g})",
                ]
                for a, m in DESIGN.items()
            ],
        ),
        withdrawals=_table(["arm", *WITHDRAWALS[ARMS[0]]], [[a, *WITHDRAWALS[a].values()] for a in ARMS]),
        withdrawal_weeks="; ".join(f"{r}: weeks {', '.join(map(str, w))}" for r, w in WITHDRAWAL_WEEKS.items()),
        missed_share=f"{MISSED_SHARE:.0%}",
        moderate=f"{LATENT.moderate_share:.0%}",
        events=_table(
            ["term", "active", "placebo", "action when moderate"],
            [[e.term, f"{e.active:g}", f"{e.placebo:g}", e.treatment] for e in ADVERSE_EVENTS],
        ),
        withdrawal_events="; ".join(
            f"{a}: " + ", ".join(f"{t} ({sev}{', serious' if serious else ''})" for t, sev, serious in e)
            for a, e in WITHDRAWAL_EVENTS.items()
        ),
        measures=_table(
            ["column", "measure", "unit", "range", "grid"],
            [
                [f"`{c}`", REGISTRY[c].label, REGISTRY[c].unit, REGISTRY[c].range_text(), f"{REGISTRY[c].grid:g}"]
                for c in visits.columns[2:]
            ],
        ),
    )


def _ae_count(events: pd.DataFrame, arm_of: pd.Series, arm: str) -> str:
    mine = events[events["patient_id"].map(arm_of) == arm]
    return f"{len(mine)} ({mine['patient_id'].nunique()})"


README = """\
# Synthetic controlled trial: an anti-TNF-like drug against placebo (made-up patients)

**Every patient in this folder is made up.** No real trial, patient or drug is behind these files: a seeded
random model (`generators/{name}.py`, seed {seed}) invented all {n} patients, {per_arm} per arm, their visits and
their adverse events. They exist to test and to show axspa's controlled-trial pipeline (arms, analysis sets,
between-arm statistics, tables and figures by arm) on data with the untidy features real trials have. Nothing
here says anything about any real person or treatment; no figure here is a result to quote.

## Design

- Two arms, randomised 1:1: `active` (an anti-TNF-like drug) and `placebo`; `{control}` is the control arm.
- Randomisation stratified by prior TNF inhibitor use (`{stratum}`: {strata}) in permuted blocks of {block}
  within each stratum. Patients are numbered in the order they were randomised; within a stratum, its
  patients in that order form consecutive blocks of {block}, each with two patients per arm.
- Visits at weeks {weeks}; week 0 is the baseline, week {primary} the primary time point.
- Deliberately in the data: withdrawals for adverse events (more on the active drug), for lack of efficacy
  (more on placebo) and one patient lost to follow-up; one randomised patient per arm who withdrew before the
  first dose (`treated` false, only the baseline visit: in the full analysis set, not in the safety set);
  intermittent missed visits; a smaller improvement after a prior TNF inhibitor; a skewed CRP.

## What this seed produced

The generator writes this section from the files it builds. {visits} visits in all; {missed} of the {planned}
planned post-baseline visits of treated patients were missed (no row). BASDAI and the ASAS responses are
axspa's own scores (`axspa.derive.score_visits`: the patient global and total back pain as the ASAS domains).
The seed was chosen, counting up from 1, as the first whose trial shows ASAS20 in 22-23 of 40 (active) and
10-11 of 40 (placebo), ASAS40 in 15-17 and 4-6 of 40, and a mean BASDAI change from -2.65 to -2.35 and from
-0.95 to -0.65: the rates the design aims at (ASAS20 55-60 % against 25-30 %, ASAS40 about 40 % against about
12 %, BASDAI about -2.5 against -0.8).

{disposition}

{outcomes}

## The model

Each patient has a latent disease activity level (normal, mean {latent.activity[0]:g}, SD {latent.activity[1]:g},
kept within {latent.activity[2]:g}-{latent.activity[3]:g}: trials enrol active disease), a function level (mean
{latent.function[0]:g} at the mean activity, rising by {latent.function_on_activity:g} per unit of activity, SD
{latent.function[1]:g}) and a relative improvement by week {primary}, drawn by arm (below; normal, clipped to
{improvement_range}). Every item (BASDAI Q1-Q6, BASFI Q1-Q10, the two BAS-G items, the patient global, total back
pain) starts at the patient's level plus an item offset and a patient-item deviation (SD {latent.item_sd:g}). It
improves by the patient's relative improvement (BASFI items by {latent.function_response:g} of it) plus an
item-level deviation (SD {latent.item_response_sd:g}), along 1 - exp(-week / {latent.time_constant:g}) scaled to
reach the whole improvement at week {primary} ({mid_share} of it by week 8), plus visit noise (SD
{latent.visit_sd:g}). The items of one patient therefore move together. Baseline CRP is log-normal (median
{latent.crp_median:g} mg/L, SD of log CRP {latent.crp_log_sd:g}: strongly skewed), ESR log-normal (median
{latent.esr_median:g} mm/h) and correlated with it; log CRP changes by the arm's change below (ESR by
{latent.esr_change_share:g} of it), plus visit noise. Every value is rounded to its measure's grid and kept in its
range, both read from `axspa.measures.REGISTRY` (CRP and ESR at least one grid step).

Relative improvement by week {primary}, by arm:

{arms}

Withdrawals per arm and reason are fixed by design; which patients, and when, are drawn by the seed. A withdrawn
patient's last visit is at a scheduled week ({withdrawal_weeks}), and that week is `last_week`. Lack-of-efficacy
withdrawals are drawn from the poorest third of their arm's improvers; `never_treated` patients withdrew before
the first dose (reason `other`, `last_week` 0, `treated` false).

{withdrawals}

Missed visits: {missed_share} of the planned post-baseline visits of treated patients, drawn at random, never a
withdrawn patient's last visit nor a completer's week {primary}.

Adverse events that do not end treatment: each treated patient has each with the probability below (over
{primary} weeks, scaled by the time on study), moderate in {moderate} of cases (mild otherwise, with action
`none`), with an onset week drawn while on study. Each adverse-event withdrawal has its own event, with action
`study drug withdrawn` ({withdrawal_events}).

{events}

## Files and columns

- `study.toml`: the title, the control arm, the stratification factor, the visit schedule, the baseline and
  primary weeks, and each arm's label.
- `patients.csv`, one row per randomised patient: the canonical patient columns (`patient_id`, `sex`,
  `age_years`, `disease_duration_years`, `hla_b27`, `subtype`, `status` `completed` or `withdrawn`,
  `withdrawal_reason`, `last_week`: the week of the last visit, the week of withdrawal for a withdrawn
  patient), then `arm` (`active` or `placebo`, as randomised), `treated` (`true` if the patient received any
  study drug) and `{stratum}` (`yes` or `no`: prior TNF inhibitor use, the stratification factor).
- `visits.csv`, one row per patient and attended visit: `patient_id`, `week`, then the measures below. No row
  follows a patient's `last_week`; a missed visit has no row.
- `adverse_events.csv`, one row per event of a treated patient: `patient_id`, `term`, `onset_week`, `severity`
  (`mild`, `moderate`, `severe`), `serious` (`true`/`false`), `action`.

{measures}

## Rebuilding

From the repository root:

    python -m generators.{name} [--out DIR] [--seed N]

writes all five files (this README included) into `DIR` (default `data/{name}`). With the default seed ({seed})
it rebuilds the committed files byte for byte; `tests/generators/test_{name}.py` checks that, and the design
facts above, from the CSV files. The generator lives outside the installed package; a wheel carries the files
as `axspa/_data/{name}`, and `axspa.studies.{name}.load()` loads them.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m generators.synthetic_rct [--out DIR] [--seed N]``, from the repository root."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_FOLDER, help=f"folder to write (default data/{NAME})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    out = build(args.out, seed=args.seed)
    print(f"written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
