"""Registry-scale benchmark: a seeded cohort of N patients x 10 visits, loaded from CSV files.

Run with ``python -m benchmarks.bench_cohort`` (``--help`` for the options). It writes a valid cohort
(100,000 patients x 10 visits by default, ``--patients`` for smaller runs) to a temporary folder in the
canonical columns, with values as a real export has them: plain numbers mostly, about 3 % of CRP values
censored (``"<3"``), about 2 % of items and labs empty, a few patients withdrawn, two arms. It then
times, in the same run:

* ``pandas.read_csv`` of ``visits.csv`` with its defaults (the baseline);
* ``axspa.load_study`` of the folder (patients, visits, every rule checked);

medians of ``--repeats`` runs (at least 3 at full size), and prints the ratio load_study / read_csv
(target: at most 3x on the 1,000,000-visit file). Peak memory of each step is measured in a fresh
process (Linux's ``VmHWM``, the maximum resident set) so the steps do not inherit each other's peak.

Later steps (``score_visits`` against its NumPy floor, ``analyze`` end to end) are added to
:func:`steps`; each step receives the folder and the loaded study.

Measured on the 2-core development machine (Python 3.11, pandas 3.1 whose C parser reads in two threads),
100,000 x 10 (1,000,000 visits, 97 MB), while other work kept the load average near 8, so wall time is
inflated and CPU time is the steadier figure:

==========================================  ========  =======  =========  ======  ===============
step                                        wall s    CPU s    x wall     x CPU   peak MB (rise)
==========================================  ========  =======  =========  ======  ===============
read_csv, before (text read + cell checks)  2.86      1.02     1          1       555 (+471)
load_study, before                          118.5     38.3     41.5       37.5    1357 (+1273)
read_csv, after (medians of 5)              3.88      1.26     1          1       555 (+471)
load_study, after                           9.05      2.74     2.33       2.18    648 (+564)
==========================================  ========  =======  =========  ======  ===============

At a quieter moment (load average 2) the best of 5 runs were 0.52-0.57 s for read_csv and 1.64 s for
load_study (0.66 s reading both tables typed, 0.96 s checking): about 3x, since read_csv uses both cores and
the checks one. Later work on the checks (ids factorized once and shared by the cross-table rules, runs of one
id hashed once, numbers in range cleared by their extremes) brought the checking to about 0.55 s: on the idle
machine, medians of 3, read_csv 0.62 s and load_study 1.29 s, 2.07x (9 interleaved pairs: 2.18x-2.37x).

CSV engine, measured in one run (medians of 5, load average 8): pandas' C parser with its defaults 3.70 s,
with load_study's typed options 3.63 s, ``engine="pyarrow"`` 3.57 s, ``pyarrow.csv.read_csv`` with typed
columns then ``to_pandas`` 3.98 s (best 2.99 s). pyarrow (26.0) is no faster here on two cores, and with it
installed pandas 3 changes every string column to Arrow storage, so it is not a dependency.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from axspa.derive import score_visits
from axspa.io import LoadedStudy, load_study
from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS, BASG_ITEMS
from axspa.report import analyze
from benchmarks.bench_scoring import check_agreement, numpy_scores

WEEKS = (0, 2, 4, 8, 12, 16, 20, 24, 36, 52)
ITEMS = (*BASDAI_ITEMS, *BASFI_ITEMS, *BASG_ITEMS, "patient_global", "back_pain")
SEED = 20260514


# ------------------------------------------------------------------------------------------ data


def make_cohort(n_patients: int, n_visits: int = 10, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Patients and visits tables of a valid cohort, as text columns a CSV export would hold.

    Every patient has ``n_visits`` visits at the first ``n_visits`` weeks of :data:`WEEKS`, a baseline
    at week 0 and nothing after a withdrawal, so the folder loads with no problem in strict mode.
    """
    rng = np.random.default_rng(seed)
    n = n_patients * n_visits
    ids = np.array([f"P{i:06d}" for i in range(1, n_patients + 1)], dtype=object)
    age = rng.integers(18, 76, n_patients)
    withdrawn = rng.random(n_patients) < 0.08
    reasons = np.array(["adverse_event", "lack_of_efficacy", "lost_to_follow_up", "other"], dtype=object)
    patients = pd.DataFrame(
        {
            "patient_id": ids,
            "sex": rng.choice(np.array(["male", "female"], dtype=object), n_patients, p=[0.7, 0.3]),
            "age_years": age.astype(str),
            "disease_duration_years": np.round(rng.uniform(0, 1, n_patients) * (age - 16), 1).astype(str),
            "hla_b27": rng.choice(np.array(["yes", "no", ""], dtype=object), n_patients, p=[0.8, 0.15, 0.05]),
            "subtype": rng.choice(np.array(["axial", "peripheral", "psoriatic"], dtype=object), n_patients),
            "status": np.where(withdrawn, "withdrawn", "completed").astype(object),
            "withdrawal_reason": np.where(withdrawn, rng.choice(reasons, n_patients), "").astype(object),
            # a withdrawn patient left after the last visit of the schedule (so every patient has n_visits)
            "last_week": np.where(withdrawn, str(WEEKS[n_visits - 1]), "").astype(object),
            "arm": rng.choice(np.array(["active", "placebo"], dtype=object), n_patients),
            "treated": np.full(n_patients, "yes", dtype=object),
        }
    )
    # latent disease activity per visit: baseline 3-8, improving by a patient-specific fraction
    start = np.repeat(rng.uniform(3, 8, n_patients), n_visits)
    gain = np.repeat(rng.uniform(-0.1, 0.7, n_patients), n_visits)
    level = start * (1 - gain * np.tile(np.linspace(0, 1, n_visits), n_patients))
    visits: dict[str, Any] = {
        "patient_id": np.repeat(ids, n_visits),
        "week": np.tile(np.asarray(WEEKS[:n_visits]), n_patients).astype(str),
    }
    for name in ITEMS:
        visits[name] = _text(np.round(np.clip(level + rng.normal(0, 1.2, n), 0, 10), 1), rng, empty=0.02)
    visits["esr_mm_h"] = _text(np.round(rng.gamma(2.0, 4 + 3 * level)).clip(0, 200), rng, empty=0.02)
    crp = _text(np.round(np.exp(rng.normal(np.log(2 + 3 * level), 0.6)), 1).clip(0, 500), rng, empty=0.02)
    crp[rng.random(n) < 0.03] = "<3"  # below the laboratory's detection limit
    visits["crp_mg_l"] = crp
    visits["lateral_flexion_cm"] = _text(np.round(np.clip(rng.normal(14 - level, 2.5, n), 0, 50), 1), rng, 0.05)
    return patients, pd.DataFrame(visits)


def _text(values: np.ndarray, rng: np.random.Generator, empty: float) -> np.ndarray:
    """Numbers as an export writes them (``4`` for 4.0, ``4.3``), a fraction ``empty`` of cells left empty."""
    text = np.array([f"{v:g}" for v in values.tolist()], dtype=object)
    text[rng.random(len(values)) < empty] = ""
    return text


def write_cohort(folder: Path, n_patients: int, n_visits: int = 10, seed: int = SEED) -> Path:
    """Write ``patients.csv`` and ``visits.csv`` of :func:`make_cohort` into ``folder``."""
    patients, visits = make_cohort(n_patients, n_visits, seed)
    patients.to_csv(folder / "patients.csv", index=False, lineterminator="\n")
    visits.to_csv(folder / "visits.csv", index=False, lineterminator="\n")
    return folder


# ------------------------------------------------------------------------------------------ timing


@dataclass(frozen=True)
class Step:
    """One timed step: ``run(folder, study)`` is called ``repeats`` times; the median is reported.

    A step that ``needs_study`` is given the loaded study (its peak memory is measured after loading it).
    """

    label: str
    run: Callable[[Path, LoadedStudy | None], object]
    needs_study: bool = False


def _loaded(study: LoadedStudy | None) -> LoadedStudy:
    if study is None:
        raise ValueError("this step needs the loaded study")
    return study


def _analyze(folder: Path) -> object:
    """``axspa.analyze`` end to end (load, score, tables, figures, report) into a temporary folder."""
    with tempfile.TemporaryDirectory() as out:
        return analyze(folder, out, control="placebo", progress=False)


def steps() -> list[Step]:
    """The steps timed in one run, the baseline first."""
    return [
        Step("pandas.read_csv(visits.csv)", lambda folder, _: pd.read_csv(folder / "visits.csv")),
        Step("load_study", lambda folder, _: load_study(folder)),
        Step("score_visits", lambda _, study: score_visits(_loaded(study).visits), needs_study=True),
        Step("NumPy floor of score_visits", lambda _, study: numpy_scores(_loaded(study).visits), needs_study=True),
        Step("analyze (load to report)", lambda folder, _: _analyze(folder)),
    ]


_PEAK = """
import sys
from pathlib import Path
from axspa.io import load_study
from benchmarks.bench_cohort import high_water_mb, steps
folder, index = Path(sys.argv[1]), int(sys.argv[2])
step = steps()[index]
study = load_study(folder) if step.needs_study else None
before = high_water_mb()
step.run(folder, study)
print(before, high_water_mb())
"""


def high_water_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux's VmHWM, which starts afresh in a new program).

    ``resource.getrusage(...).ru_maxrss`` is not used: Linux carries it over from the parent process.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_memory_mb(folder: Path, index: int) -> tuple[float, float, float]:
    """Peak resident memory (MB) of a fresh process before and after running step ``index`` once, and the rise."""
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, str(folder), str(index)], capture_output=True, text=True, check=True, cwd=root
    )
    before, after = (float(x) for x in out.stdout.split())
    return before, after, after - before


def _interleaved(timed: list[Step], folder: Path, study: LoadedStudy, repeats: int) -> list[tuple[float, float]]:
    """Median wall-clock and CPU (process) seconds of each step over ``repeats`` rounds.

    The steps take turns within each round, so a change in the machine's load touches them alike.
    """
    times: list[list[tuple[float, float]]] = [[] for _ in timed]
    for _ in range(repeats):
        for step, spent in zip(timed, times, strict=True):
            t0, c0 = time.perf_counter(), time.process_time()
            step.run(folder, study)
            spent.append((time.perf_counter() - t0, time.process_time() - c0))
    return [(statistics.median(w for w, _ in t), statistics.median(c for _, c in t)) for t in times]


def run(n_patients: int = 100_000, n_visits: int = 10, repeats: int = 3, memory: bool = True) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_cohort(Path(tmp), n_patients, n_visits)
        size = (folder / "visits.csv").stat().st_size / 1e6
        study = load_study(folder)  # warm-up, and proof that the cohort is valid
        check_agreement(score_visits(study.visits), numpy_scores(study.visits))  # the floor computes the same
        n = len(study.visits)
        print(
            f"cohort: {n_patients:,} patients x {n_visits} visits = {n:,} visits ({size:.0f} MB); "
            f"medians of {repeats} runs"
        )
        print(f"  {'':34} {'wall s':>8} {'cpu s':>8} {'x baseline':>11} {'peak MB':>9} {'(step)':>8}")
        result: dict[str, float] = {"visits": n}
        timed = steps()
        medians = _interleaved(timed, folder, study, repeats)
        base = medians[0][0]
        for i, (step, (wall, cpu)) in enumerate(zip(timed, medians, strict=True)):
            peak = "{1:9.0f} {2:+8.0f}".format(*peak_memory_mb(folder, i)) if memory else f"{'-':>9} {'':8}"
            print(f"  {step.label:34} {wall:8.3f} {cpu:8.3f} {wall / base:10.2f}x {peak}")
            result[step.label] = wall
        ratio = result["load_study"] / result["pandas.read_csv(visits.csv)"]
        print(f"  load_study / read_csv = {ratio:.2f}x wall  (target <= 3)")
        result["load_ratio"] = ratio
        scoring = result["score_visits"] / result["NumPy floor of score_visits"]
        print(f"  score_visits / NumPy floor = {scoring:.2f}x wall  (target <= 2)")
        result["score_ratio"] = scoring
        print(f"  analyze end to end = {result['analyze (load to report)']:.1f} s wall  (target < 60 s, < 4 GB)")
    return result


def main(argv: Iterable[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_cohort", description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=10, help="visits per patient (at most 10)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory runs (fresh processes)")
    args = parser.parse_args(None if argv is None else list(argv))
    return run(args.patients, min(args.visits, len(WEEKS)), args.repeats, memory=not args.no_memory)


if __name__ == "__main__":
    main()
