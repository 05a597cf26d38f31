"""Rebuild the reconstructed patient-level files of the ESTHER trial from its published figures.

The paper (Song IH, et al. Ann Rheum Dis 2011;70:590-6) prints per-arm means and SDs at baseline, week 24 and
week 48 and between-arm ANCOVA p-values of the change (Table 3 and the MRI table). This generator makes up 40
etanercept and 36 sulfasalazine patients whose values reproduce those figures. It reads the figures from
``published.json`` (never a copy typed in here), and it is deterministic: the same seed rebuilds
``patients.csv``, ``visits.csv`` and ``conventions.json`` byte for byte.

How
---
1. For each measure of Table 3 and the MRI table, :func:`axspa.forensics.reconstruct_two_arm` finds, per arm,
   values on the measure's grid whose mean and SD print as published at weeks 0, 24 and 48 and whose ANCOVA
   p-value (change from baseline on arm and baseline, every patient of both arms, t on 73 degrees of freedom)
   prints as published at weeks 24 and 48; each arm's follow-up values are paired with its baseline values
   (a permutation) to reach the p-value. Each measure has its own random stream (seed, measure number), so one
   measure can be rebuilt alone.
2. The MRI enthesitis and posterior-segment site counts, printed as a total over the arm and a number of
   patients with a site ("26 sites (in 15 patients)"), are reconstructed per patient by
   :func:`axspa.forensics.reconstruct_two_arm_counts`, with their ANCOVA p-values as above.
3. Where no data with the printed margins can give a printed p-value under that convention (the reconstruction
   says so), the measure is reconstructed on its means and SDs only, and ``conventions.json`` records the
   figures not reproduced with the reason.
4. BASDAI and BASFI are split into items in tenths that give back the reconstructed index exactly.
5. The patients' demographic columns are made up (the paper's Table 1 could not be read): they reproduce
   nothing and are labelled so in the README. Every patient is given as completing week 48, since the
   withdrawals could not be read; Table 3's means are over all 40 and 36 patients.

Patients of one arm are matched across measures by their position in each measure's reconstruction, so the
correlations between measures within a patient are not those of the trial.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from axspa.errors import ComputationError
from axspa.forensics import SearchProgress, reconstruct_two_arm, reconstruct_two_arm_counts
from axspa.printed import matches_printed
from axspa.stats import wilcoxon_rank_sum
from axspa.studies import esther_2011 as study
from generators._common import basdai_items, decimals, run_build, split_total

__all__ = [
    "ARMS",
    "COUNT_MEASURES",
    "DEFAULT_SEED",
    "MEASURES",
    "WEEKS",
    "build",
    "main",
    "reconstruct_counts",
    "reconstruct_measure",
]

DEFAULT_SEED = 2011
WEEKS = (0, 24, 48)
ARMS = {"etanercept": ("E", 40), "sulfasalazine": ("S", 36)}
P_METHOD = "t"
# Figures are matched as rounded half away from zero, as the reproduction compares them (axspa.printed).


@dataclass(frozen=True)
class MeasureSpec:
    """One published measure: its figures' table prefix, its visit column, grid and range."""

    measure: str
    table: str
    column: str
    grid: Fraction
    lower: float
    upper: float


# BASDAI and BASFI are reconstructed in tenths (a subset of the hundredths their items in tenths give); the
# study-declared measures on the grids study.toml argues; patient global and CRP on the registry's grids.
MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec("basdai", "table3", "basdai", Fraction(1, 10), 0, 10),
    MeasureSpec("basfi", "table3", "basfi", Fraction(1, 10), 0, 10),
    MeasureSpec("patient_global", "table3", "patient_global", Fraction(1, 10), 0, 10),
    MeasureSpec("physician_global", "table3", "physician_global", Fraction(1, 10), 0, 10),
    MeasureSpec("joint_count", "table3", "joint_count", Fraction(1), 0, 64),
    MeasureSpec("enthesitis_score", "table3", "enthesitis_score", Fraction(1), 0, 17),
    MeasureSpec("basmi", "table3", "basmi", Fraction(1, 10), 0, 10),
    MeasureSpec("eq5d", "table3", "eq5d", Fraction(1, 1000), 0, 1),
    MeasureSpec("asqol", "table3", "asqol", Fraction(1), 0, 18),
    MeasureSpec("crp_mg_l", "table3", "crp_mg_l", Fraction(1, 10), 0, 500),
    MeasureSpec("mri_sij", "mri_table", "mri_sij", Fraction(1, 2), 0, 24),
    MeasureSpec("mri_spine", "mri_table", "mri_spine", Fraction(1, 2), 0, 69),
)


# The MRI table's site counts ("26 sites (in 15 patients)"), each with the cap of study.toml.
COUNT_MEASURES: Mapping[str, int] = {"mri_enthesitis": 40, "mri_posterior_segments": 40}


BASELINE_TEST = {"method": "asymptotic", "correction": True}
"""The MRI table's baseline p-values name no test. A t test cannot give the spine score's 0.09 from its printed
means and SDs (0.18 to 0.30 over their rounding intervals, Student or Welch); the reconstruction assumes the
Wilcoxon rank-sum test, normal approximation with tie correction and continuity correction (SAS NPAR1WAY's and
R wilcox.test's default with ties), arguments of :func:`axspa.stats.wilcoxon_rank_sum`."""


Accept = Callable[[float, tuple[float, ...], tuple[float, ...]], bool]


def _accept(baseline_p: str | None = None, remission: bool = False) -> Accept | None:
    """Draws allowed: at baseline, a rank-sum p printing as ``baseline_p``; with ``remission``, at week 48 at
    least as many values at most 2 in each arm as the remission counts need (:data:`REMISSION`)."""
    if baseline_p is None and not remission:
        return None

    def accept(week: float, a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        if week == 0 and baseline_p is not None:
            return matches_printed(wilcoxon_rank_sum(a, b, **BASELINE_TEST).pvalue, baseline_p)  # type: ignore[arg-type]
        if week == 48 and remission:
            return all(sum(v <= 2 for v in values) >= REMISSION[arm] for arm, values in zip(ARMS, (a, b), strict=True))
        return True

    return accept


def _figures() -> dict[str, str]:
    return {f["id"]: f["printed"] for f in study.published()["figures"]}


def reconstruct_measure(
    spec: MeasureSpec, *, seed: int = DEFAULT_SEED, progress: bool = False
) -> tuple[dict[str, dict[int, tuple[float, ...]]], dict[str, object]]:
    """Reconstruct one measure: ``values[arm][week]`` and what ``conventions.json`` says of it.

    The p-values are matched when any data can give them; otherwise the margins alone are reconstructed and
    the note gives the reconstruction's reason.
    """
    figures = _figures()
    index = [m.measure for m in MEASURES].index(spec.measure)
    rng = np.random.default_rng([seed, index])
    means = {a: {w: figures[f"{spec.table}.{spec.measure}.{a}.week{w}.mean"] for w in WEEKS} for a in ARMS}
    sds = {a: {w: figures[f"{spec.table}.{spec.measure}.{a}.week{w}.sd"] for w in WEEKS} for a in ARMS}
    p: dict[float, str | None] = {w: figures[f"{spec.table}.{spec.measure}.week{w}.p"] for w in WEEKS[1:]}

    def show(info: SearchProgress) -> None:
        print(f"{spec.measure}: {info.restarts} baselines drawn, {info.seconds:.1f} s", file=sys.stderr)

    kw = dict(
        n={a: n for a, (_, n) in ARMS.items()},
        grid=spec.grid,
        lower=spec.lower,
        upper=spec.upper,
        means=means,
        sds=sds,
        p_method=P_METHOD,
        rounding="half_up",
        p_rounding="half_up",
        max_restarts=400,
        max_seconds=600.0,
        progress=show if progress else False,
        accept=_accept(
            figures.get(f"{spec.table}.{spec.measure}.week0.p"), spec.measure in ("basfi", "patient_global")
        ),
    )
    result = reconstruct_two_arm(p=p, seed=rng, **kw)  # type: ignore[arg-type]
    note: dict[str, object] = {"grid": str(spec.grid), "p_not_matched": {}}
    if not result.found:
        if not result.out_of_reach:
            raise ComputationError(f"{spec.measure}: {result.reason}")
        note["p_not_matched"] = {
            f"{spec.table}.{spec.measure}.week{w:g}.p": f"printed {p[w]}; under this convention any data with the "
            f"printed means and SDs give p in [{lo:.3g}, {hi:.3g}] (Cauchy-Schwarz envelope of the pooled "
            "within-arm cross-product)"
            for w, (lo, hi) in result.out_of_reach.items()
        }
        kept = {w: (None if w in result.out_of_reach else v) for w, v in p.items()}
        result = reconstruct_two_arm(p=kept, seed=rng, **kw)  # type: ignore[arg-type]
        if not result.found:
            raise ComputationError(f"{spec.measure}, without the p-values out of reach: {result.reason}")
    values = {a: {int(w): v for w, v in result.values[a].items()} for a in ARMS}
    return values, note


def reconstruct_counts(measure: str, *, seed: int = DEFAULT_SEED) -> dict[str, dict[int, tuple[float, ...]]]:
    """Reconstruct one MRI site count: per-patient counts giving the printed totals, patients and p-values."""
    figures = _figures()
    rng = np.random.default_rng([seed, len(MEASURES) + 2 + list(COUNT_MEASURES).index(measure)])
    key = f"mri_table.{measure}"
    result = reconstruct_two_arm_counts(
        n={a: n for a, (_, n) in ARMS.items()},
        upper=COUNT_MEASURES[measure],
        totals={a: {w: int(figures[f"{key}.{a}.week{w}.sites"]) for w in WEEKS} for a in ARMS},
        positives={a: {w: int(figures[f"{key}.{a}.week{w}.patients"]) for w in WEEKS} for a in ARMS},
        p={w: figures[f"{key}.week{w}.p"] for w in WEEKS[1:]},
        p_method=P_METHOD,
        p_rounding="half_up",
        seed=rng,
        max_restarts=400,
        max_seconds=600.0,
        accept=_accept(figures[f"{key}.week0.p"]),
    )
    if not result.found:
        raise ComputationError(f"{measure}: {result.reason}")
    return {a: {int(w): v for w, v in result.values[a].items()} for a in ARMS}


def _p_not_matched(note: Mapping[str, object]) -> dict[str, str]:
    out = note["p_not_matched"]
    return dict(out) if isinstance(out, Mapping) else {}


def _patients(rng: np.random.Generator) -> pd.DataFrame:
    """Made-up demographics (the paper's Table 1 could not be read): adults with symptoms under 5 years."""
    rows = []
    for arm, (prefix, n) in ARMS.items():
        for i in range(n):
            rows.append(
                {
                    "patient_id": f"{prefix}{i + 1:02d}",
                    "sex": "male" if rng.random() < 0.6 else "female",
                    "age_years": int(np.clip(np.rint(rng.normal(33, 8)), 18, 60)),
                    "disease_duration_years": f"{float(np.clip(rng.gamma(2.5, 1.0), 0.3, 4.9)):.1f}",
                    "hla_b27": "true" if rng.random() < 0.85 else "false",
                    "subtype": "axial",
                    "status": "completed",
                    "withdrawal_reason": "",
                    "last_week": WEEKS[-1],
                    "arm": arm,
                    "treated": "true",
                }
            )
    return pd.DataFrame(rows)


def _basfi_items(basfi: float, rng: np.random.Generator) -> list[float]:
    """Ten BASFI items in tenths whose mean is exactly ``basfi`` (a multiple of 0.1): they sum to 100 x BASFI tenths."""
    return [v / 10 for v in split_total(round(basfi * 100), 10, 100, rng)]


REMISSION = {"etanercept": 20, "sulfasalazine": 7}
"""Patients in clinical remission at week 48, read as ASAS partial remission (Anderson 2001: patient global, pain,
BASFI and inflammation all at most 2 on 0-10): 50 % of 40 and 7 of 36 (19.4 %, printed 19 %). The paper's own
definition is in its text, which could not be read; this reading is an assumption (conventions.json)."""

Values = dict[str, dict[str, dict[int, tuple[float, ...]]]]


def _align_remission(values: Values, rng: np.random.Generator) -> tuple[Values, dict[str, set[int]]]:
    """Reorder patients within each arm, measure by measure, so that the remission patients are the ones with the
    lowest week-48 BASDAI, BASFI and patient global (whole patients move, so every per-arm figure is unchanged)."""
    out = {m: {a: dict(v) for a, v in by_arm.items()} for m, by_arm in values.items()}
    chosen: dict[str, set[int]] = {}
    for arm, (_, n) in ARMS.items():
        k = REMISSION[arm]
        remission = [int(i) for i in rng.permutation(n)[:k]]
        others = [i for i in range(n) if i not in remission]
        chosen[arm] = set(remission)
        for measure in ("basdai", "basfi", "patient_global"):
            order = np.argsort(np.asarray(values[measure][arm][48]), kind="stable")
            if measure != "basdai" and values[measure][arm][48][int(order[k - 1])] > 2:
                raise ComputationError(f"{arm}: fewer than {k} patients with {measure} <= 2 at week 48")
            low = [int(j) for j in rng.permutation(order[:k])]
            high = [int(j) for j in rng.permutation(order[k:])]
            source = dict(zip(remission + others, low + high, strict=True))
            out[measure][arm] = {w: tuple(v[source[i]] for i in range(n)) for w, v in values[measure][arm].items()}
    return out, chosen


def _visits(values: Values, remission: Mapping[str, set[int]], rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for arm, (prefix, n) in ARMS.items():
        for i in range(n):
            for w in WEEKS:
                row: dict[str, object] = {"patient_id": f"{prefix}{i + 1:02d}", "week": w}
                basdai = values["basdai"][arm][w][i]
                inflammation = float(np.clip(basdai + rng.normal(0, 1.0), 0, 10))
                pain = float(np.clip(basdai + rng.normal(0, 1.0), 0, 10))
                if w == 48 and i in remission[arm]:  # ASAS partial remission: pain and inflammation <= 2 too
                    inflammation, pain = min(inflammation, 1.9), float(rng.uniform(0, 2))
                elif w == 48:  # not in remission: pain above 2
                    pain = max(pain, float(rng.uniform(2.2, 6)))
                row["back_pain"] = f"{round(pain, 1):.1f}"
                row.update(
                    zip([f"basdai_q{k}" for k in range(1, 7)], basdai_items(basdai, inflammation, rng), strict=True)
                )
                row.update(
                    zip(
                        [f"basfi_q{k}" for k in range(1, 11)],
                        _basfi_items(values["basfi"][arm][w][i], rng),
                        strict=True,
                    )
                )
                for spec in MEASURES:
                    if spec.measure not in ("basdai", "basfi"):
                        row[spec.column] = f"{values[spec.measure][arm][w][i]:.{decimals(spec.grid)}f}"
                for measure in COUNT_MEASURES:
                    row[measure] = f"{values[measure][arm][w][i]:.0f}"
                rows.append(row)
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        if column.startswith(("basdai_q", "basfi_q")):
            frame[column] = frame[column].map(lambda v: f"{v + 0.0:.1f}")
    return frame


def build(
    folder: str | Path, *, seed: int = DEFAULT_SEED, progress: bool = False, measures: Sequence[str] | None = None
) -> Path:
    """Rebuild the study's files into ``folder``; returns the folder.

    Parameters
    ----------
    folder : path
        Where to write ``patients.csv``, ``visits.csv`` and ``conventions.json``.
    seed : int
        Seed of every random choice; the same seed gives the same files byte for byte.
    progress : bool
        Show the reconstruction searches' progress on standard error.
    measures : sequence of str, optional
        Reconstruct only these measures and write only ``patients.csv`` and ``<measure>.json`` files of their
        values (a quick check that one measure rebuilds as committed); by default every measure and all files.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    chosen = [m for m in MEASURES if measures is None or m.measure in measures]
    patients = _patients(np.random.default_rng([seed, len(MEASURES)]))
    patients.to_csv(folder / "patients.csv", index=False, lineterminator="\n")
    values, notes = {}, {}
    for spec in chosen:
        values[spec.measure], notes[spec.measure] = reconstruct_measure(spec, seed=seed, progress=progress)
    for measure in COUNT_MEASURES:
        if measures is None or measure in measures:
            values[measure] = reconstruct_counts(measure, seed=seed)
    if measures is not None:
        for name, v in values.items():
            (folder / f"{name}.json").write_text(json.dumps(v, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return folder
    aligned, remission = _align_remission(values, np.random.default_rng([seed, len(MEASURES) + 4]))
    _visits(aligned, remission, np.random.default_rng([seed, len(MEASURES) + 1])).to_csv(
        folder / "visits.csv", index=False, lineterminator="\n"
    )
    conventions = {
        "ancova": {
            "model": "change from baseline ~ arm + baseline value (ordinary least squares)",
            "population": "every randomised patient: etanercept n=40, sulfasalazine n=36 at every week "
            "(Table 3: 'Every mean value refers to the complete intention-to-treat population')",
            "p_method": "t on the residual degrees of freedom, 40 + 36 - 3 = 73 (R lm)",
            "missing_data": "none in the reconstruction: every patient has every value (the paper's handling of "
            "withdrawals could not be read)",
            "note": "The printed figures cannot tell this convention from others (the normal approximation, "
            "observed cases after withdrawals) except where a p-value is out of its reach: the CRP rows (see "
            "not_reproduced). Other conventions were not examined.",
        },
        "remission": {
            "definition": "ASAS partial remission at week 48 (patient global, back pain, BASFI and inflammation "
            "(mean of BASDAI questions 5 and 6) each <= 2 on 0-10), every randomised patient as denominator",
            "counts": REMISSION,
            "note": "The abstract prints 50 % and 19 % without counts or definition; the text that gives them could "
            "not be read. The definition is assumed; back pain, not printed, is made up to give these counts.",
        },
        "baseline_p": {
            "test": "Wilcoxon rank-sum of the baseline values, etanercept against sulfasalazine",
            "arguments": BASELINE_TEST,
            "note": "The MRI table's footnote names no test. Its spine p (0.09) is out of reach of a t test on the "
            "printed means and SDs (0.18 to 0.30); the rank-sum test is assumed, not found in the paper.",
        },
        "measures": notes,
        "not_reproduced": {k: v for note in notes.values() for k, v in _p_not_matched(note).items()},
        "seed": seed,
    }
    (folder / "conventions.json").write_text(json.dumps(conventions, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m generators.esther_2011 [FOLDER]``, from the repository root."""
    return run_build(__doc__, build, study.folder(), DEFAULT_SEED, argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
