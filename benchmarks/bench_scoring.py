"""Benchmark of the scoring path: ``score_visits`` against its plain NumPy floor and a per-record loop.

Run with ``python -m benchmarks.bench_scoring`` (``--help`` for the sizes). It builds a seeded, realistic
visits frame (100,000 patients x 10 visits by default: items on the 0.1 grid drifting with a latent disease
activity, CRP in mg/L with censored values, some missing items, some patients without a baseline row) and
times, in the same run:

* ``score_visits`` on the whole frame;
* the NumPy floor, :func:`numpy_scores`: from the same frame, the input columns as float arrays and the
  patients as integer codes (``pd.factorize``), then every index, ASDAS state, baseline, change, % change
  and response (value and missing mask, the same three-valued rule) that ``score_visits`` returns, into
  arrays it allocates itself. It checks nothing and builds no frame: that is the overhead measured. Its
  results are checked against ``score_visits`` before timing, so the comparison is like for like;
* optionally, a per-record loop over the first ``--loop-visits`` visits, scoring each visit by calling the
  compute functions on scalars (``axspa.models.Visit`` records when that module exists, dicts otherwise).

The two are timed interleaved (A B, B A, ...; a garbage collection before each call), ``--repeats`` runs
each, so both see the same load; it prints the medians (wall and CPU), the ratio of the medians, each run's
ratio, the peak memory of one call of each (tracemalloc, result included) and the process's peak resident
memory (getrusage).

Measured on the 2-core development machine, 999,000 visits, medians of 5 interleaved runs, while other
jobs kept its load average at about 4 (so wall time is about twice CPU time; the CPU ratio is the steadier):

    code                 score_visits  NumPy floor  ratio, wall (per run)  ratio, CPU  peak memory
    before (this floor)  3.03 s        2.07 s       1.46x (1.21-2.05)      1.46x       435 MiB
    after                2.19 s        2.11 s       1.04x (0.96-1.38)      1.22x       697 MiB

(Floor peak: 671 MiB; process peak resident memory, with the
246 MiB input frame: about 1,170 MiB.) The earlier version of this benchmark gave the floor its inputs
already extracted and its outputs preallocated outside the timing; against it the old code measured 1.79x
in one run here (1.52 s against 0.85 s) and 1.9x to 3.0x from run to run. What changed: the response
criteria coerce their domains once and compute each domain's worst and best case once for all nine
criteria (they were recomputed per criterion, on row subsets); the patients are factorized once for the
one-row-per-visit check and the baseline lookup; the CRP censoring flags and each column's baseline are
read once. The after-peak is higher because those shared cases are held while the criteria are evaluated.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from axspa import indices, response
from axspa.derive import RESPONSE_COLUMNS, score_visits
from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS, BASG_ITEMS

WEEKS = (0, 2, 4, 8, 12, 16, 20, 24, 36, 52)
ITEMS = (*BASDAI_ITEMS, *BASFI_ITEMS, *BASG_ITEMS, "patient_global", "back_pain")
TOL = indices.TOLERANCE


# ------------------------------------------------------------------------------------------ data


def make_visits(n_patients: int, n_visits: int, seed: int = 20260101) -> pd.DataFrame:
    """A realistic canonical visits frame, the same for the same arguments."""
    rng = np.random.default_rng(seed)
    n = n_patients * n_visits
    weeks = np.tile(np.asarray(WEEKS[:n_visits], dtype=float), n_patients)
    # latent disease activity: baseline 3-8, improving by a patient-specific fraction over the visits
    start = rng.uniform(3, 8, n_patients)
    gain = rng.uniform(-0.1, 0.7, n_patients)
    progress = np.tile(np.linspace(0, 1, n_visits), n_patients)
    level = np.repeat(start, n_visits) * (1 - np.repeat(gain, n_visits) * progress)
    cols: dict[str, Any] = {
        "patient_id": np.repeat(np.array([f"P{i:06d}" for i in range(n_patients)], dtype=object), n_visits),
        "week": weeks,
    }
    for name in ITEMS:
        values = np.round(np.clip(level + rng.normal(0, 1.2, n), 0, 10), 1)
        values[rng.random(n) < 0.02] = np.nan  # 2 % of items missing
        cols[name] = values
    crp = np.round(np.exp(rng.normal(np.log(2 + 3 * level), 0.6)), 1).clip(0, 500)
    censored = crp < 3.0  # the laboratory reports "<3": value holds the detection limit
    cols["crp_mg_l"] = np.where(censored, 3.0, crp)
    cols["crp_mg_l_censored"] = pd.array(censored, dtype="boolean")
    cols["esr_mm_h"] = np.round(rng.gamma(2.0, 4 + 3 * level)).clip(0, 200)
    cols["lateral_flexion_cm"] = np.round(np.clip(rng.normal(14 - level, 2.5, n), 0, 50), 1)
    frame = pd.DataFrame(cols)
    no_baseline = np.repeat(rng.random(n_patients) < 0.01, n_visits) & (weeks == 0)  # 1 % lack week 0
    return frame[~no_baseline].reset_index(drop=True)


# ------------------------------------------------------------------------------------------ plain NumPy


def _arrays(visits: pd.DataFrame) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Inputs for the NumPy version: float arrays per column and integer patient codes (part of the floor)."""
    a = {c: visits[c].to_numpy(dtype=float, na_value=np.nan) for c in (*ITEMS, "crp_mg_l", "esr_mm_h")}
    a["lateral_flexion_cm"] = visits["lateral_flexion_cm"].to_numpy(dtype=float, na_value=np.nan)
    a["week"] = visits["week"].to_numpy(dtype=float)
    a["crp_censored"] = visits["crp_mg_l_censored"].to_numpy(dtype=bool, na_value=False)
    codes = pd.factorize(visits["patient_id"])[0]
    return a, codes


NUMPY_OUTPUTS = ("basdai", "basfi", "basg", "inflammation", "asdas_crp", "asdas_esr")
NUMPY_RESPONSES = RESPONSE_COLUMNS


def allocate(n: int, n_patients: int) -> dict[str, np.ndarray]:
    out = {}
    for name in NUMPY_OUTPUTS:
        for suffix in ("", "_base", "_chg", "_pchg"):
            out[name + suffix] = np.empty(n)
    for name in ("asdas_crp_state", "asdas_esr_state"):
        out[name] = np.empty(n, dtype=np.int8)
    for name in NUMPY_RESPONSES:
        out[name] = np.empty(n, dtype=bool)
        out[name + "_na"] = np.empty(n, dtype=bool)
    out["first"] = np.empty(n_patients, dtype=np.int64)
    return out


def numpy_scores(visits: pd.DataFrame) -> dict[str, np.ndarray]:
    """Every index, state, change and response of score_visits, in plain NumPy, from the same frame.

    The floor: the input columns as float arrays, the patients as integer codes, then the formulas into
    newly allocated arrays (as score_visits allocates its own); no checks and no frame. A response is two
    boolean arrays, its value and its missing mask (what a nullable boolean column holds).
    """
    a, codes = _arrays(visits)
    out = allocate(len(codes), int(codes.max()) + 1)
    _formulas(a, codes, out)
    return out


def _formulas(a: Mapping[str, np.ndarray], codes: np.ndarray, out: dict[str, np.ndarray]) -> None:
    """The formulas of :func:`numpy_scores` into the arrays of ``out``."""
    q = [a[c] for c in BASDAI_ITEMS]
    pg, pain = a["patient_global"], a["back_pain"]
    np.add(q[0], q[1], out=out["basdai"])
    for x in (q[2], q[3]):
        out["basdai"] += x
    out["basdai"] += (q[4] + q[5]) / 2
    out["basdai"] /= 5
    out["basfi"][:] = a[BASFI_ITEMS[0]]
    for c in BASFI_ITEMS[1:]:
        out["basfi"] += a[c]
    out["basfi"] /= 10
    np.add(a["basg_week"], a["basg_6m"], out=out["basg"])
    out["basg"] /= 2
    np.add(q[4], q[5], out=out["inflammation"])
    out["inflammation"] /= 2
    crp = np.where((a["crp_mg_l"] < 2) | a["crp_censored"], 2.0, a["crp_mg_l"])
    items = 0.121 * q[1] + 0.058 * q[5] + 0.110 * pg + 0.073 * q[2]
    np.add(items, 0.579 * np.log1p(crp), out=out["asdas_crp"])
    items = 0.079 * q[1] + 0.069 * q[5] + 0.113 * pg + 0.086 * q[2]
    np.add(items, 0.293 * np.sqrt(a["esr_mm_h"]), out=out["asdas_esr"])
    for name in ("asdas_crp", "asdas_esr"):
        s = out[name]
        st = out[name + "_state"]
        st[:] = 3
        st[s <= 3.5 + TOL] = 2
        st[s < 2.1 - TOL] = 1
        st[s < 1.3 - TOL] = 0
        st[np.isnan(s)] = -1

    # baseline row of each patient
    first = out["first"]
    first[:] = -1
    at_base = np.flatnonzero(a["week"] == 0)
    first[codes[at_base]] = at_base
    brow = first[codes]
    has_base = brow >= 0

    def base(x: np.ndarray) -> np.ndarray:
        return np.where(has_base, x[brow], np.nan)

    for name in NUMPY_OUTPUTS:
        b = out[name + "_base"]
        b[:] = base(out[name])
        np.subtract(out[name], b, out=out[name + "_chg"])
        out[name + "_pchg"][:] = np.nan
        np.divide(100 * out[name + "_chg"], b, out=out[name + "_pchg"], where=b != 0)

    # responses: each unknown at the worst case (True there -> True) and the best case (False -> False)
    def cases(b: np.ndarray, f: np.ndarray, lo: float, hi: float, higher: bool = False) -> list:
        bl, bh, fl, fh = np.fmax(b, lo), np.fmin(b, hi), np.fmax(f, lo), np.fmin(f, hi)
        if higher:
            return [(bh, fl, fl - bh), (bl, fh, fh - bl)]
        return [(bl, fh, bl - fh), (bh, fl, bh - fl)]

    def reached(chg: np.ndarray, b: np.ndarray, units: float, frac: float, strict: bool = False) -> np.ndarray:
        need = np.maximum(units, frac * b)
        ok = chg > need + TOL if strict else chg >= need - TOL
        return ok & (chg > TOL)

    fn, infl = out["basfi"], out["inflammation"]
    dom = [cases(base(x), x, 0, 10) for x in (pg, pain, fn, infl)]
    crp_base = base(a["crp_mg_l"])
    crp_lo_b = np.where(base(a["crp_censored"].astype(float)) == 1, 0.0, np.fmax(crp_base, 0))
    crp_lo_f = np.where(a["crp_censored"], 0.0, np.fmax(a["crp_mg_l"], 0))
    crp_hi_b, crp_hi_f = np.fmin(crp_base, 500), np.fmin(a["crp_mg_l"], 500)
    crp_cases = [(crp_lo_b, crp_hi_f, crp_lo_b - crp_hi_f), (crp_hi_b, crp_lo_f, crp_hi_b - crp_lo_f)]
    flex = cases(base(a["lateral_flexion_cm"]), a["lateral_flexion_cm"], 0, 50, higher=True)
    stiff = cases(base(infl), infl, 0, 10)

    def count(ds: Sequence[list], k: int, units: float, frac: float, strict: bool = False) -> np.ndarray:
        return sum(reached(d[k][2], d[k][0], units, frac, strict).astype(np.int8) for d in ds)

    def store(name: str, worst: np.ndarray, best: np.ndarray, needs_base: bool = True) -> None:
        out[name][:] = worst
        out[name + "_na"][:] = (best & ~worst) | (~has_base if needs_base else False)

    def asas(k: int, units: float, frac: float, w_units: float, w_frac: float) -> np.ndarray:
        ok = count(dom, k, units, frac) >= 3
        for d in dom:
            ok &= ~reached(-d[k][2], d[k][0], w_units, w_frac)
        return ok

    store("asas20", asas(0, 1, 0.2, 1, 0.2), asas(1, 1, 0.2, 1, 0.2))
    store("asas40", asas(0, 2, 0.4, 0, 0), asas(1, 2, 0.4, 0, 0))
    six = [*dom, crp_cases, flex]
    store("asas_5of6", count(six, 0, 0, 0.2) >= 5, count(six, 1, 0, 0.2) >= 5)
    paper = [*dom[:3], stiff]
    for name, frac in (("asas20_paper", 0.2), ("asas40_paper", 0.4)):
        store(name, count(paper, 0, 0, frac, True) >= 4, count(paper, 1, 0, frac, True) >= 4)
    bd = cases(base(out["basdai"]), out["basdai"], 0, 10)
    store("basdai50", count([bd], 0, 0, 0.5) >= 1, count([bd], 1, 0, 0.5) >= 1)
    out["basdai50_na"] |= out["basdai_base"] == 0
    ad = cases(out["asdas_crp_base"], out["asdas_crp"], 0, 10)
    store("asdas_crp_cii", count([ad], 0, 1.1, 0), count([ad], 1, 1.1, 0))
    store("asdas_crp_mi", count([ad], 0, 2.0, 0), count([ad], 1, 2.0, 0))
    pr_worst = np.ones(len(pg), dtype=bool)
    pr_best = np.ones(len(pg), dtype=bool)
    for x in (pg, pain, fn, infl):
        pr_worst &= np.fmin(x, 10) <= 2 + TOL
        pr_best &= np.fmax(x, 0) <= 2 + TOL
    store("asas_pr", pr_worst, pr_best, needs_base=False)


def check_agreement(scores: pd.DataFrame, out: Mapping[str, np.ndarray]) -> None:
    """The NumPy version computes what score_visits computes (else the comparison would be unfair)."""
    for name in NUMPY_OUTPUTS:
        for suffix in ("", "_base", "_chg", "_pchg"):
            np.testing.assert_allclose(scores[name + suffix].to_numpy(), out[name + suffix], rtol=1e-12)
    for name in ("asdas_crp_state", "asdas_esr_state"):
        np.testing.assert_array_equal(scores[name].cat.codes.to_numpy(), out[name])
    for name in NUMPY_RESPONSES:
        col = scores[name]
        np.testing.assert_array_equal(col.isna().to_numpy(), out[name + "_na"], err_msg=name)
        known = ~out[name + "_na"]
        np.testing.assert_array_equal(col.to_numpy(dtype=bool, na_value=False)[known], out[name][known])


# ------------------------------------------------------------------------------------------ per record


def _records(visits: pd.DataFrame) -> tuple[list[Any], str]:
    """The visits as records: ``axspa.models.Visit`` objects if that model exists, else plain dicts."""
    rows = visits.replace({np.nan: None}).to_dict("records")
    try:
        model = importlib.import_module("axspa.models").Visit
    except (ImportError, AttributeError):
        return rows, "dict"
    return [model.model_validate(r) for r in rows], "axspa.models.Visit"


def _get(record: Any, name: str) -> Any:
    return record[name] if isinstance(record, dict) else getattr(record, name)


def score_record(r: Any) -> dict[str, Any]:
    """Indices of one visit, each computed by the compute tier on scalars."""
    g = _get
    q = {f"q{i}": g(r, c) for i, c in enumerate(BASDAI_ITEMS, 1)}
    asdas_items = {
        "back_pain": q["q2"],
        "stiffness_duration": q["q6"],
        "patient_global": g(r, "patient_global"),
        "peripheral_pain": q["q3"],
    }
    return {
        "basdai": indices.basdai(**q).iloc[0],
        "basfi": indices.basfi(**{f"q{i}": g(r, c) for i, c in enumerate(BASFI_ITEMS, 1)}).iloc[0],
        "basg": indices.basg(week=g(r, "basg_week"), six_months=g(r, "basg_6m")).iloc[0],
        "inflammation": indices.inflammation(q5=q["q5"], q6=q["q6"]).iloc[0],
        "asdas_crp": indices.asdas_crp(
            **asdas_items, crp_mg_l=g(r, "crp_mg_l"), crp_censored=g(r, "crp_mg_l_censored")
        ).iloc[0],
        "asdas_esr": indices.asdas_esr(**asdas_items, esr_mm_h=g(r, "esr_mm_h")).iloc[0],
        "patient_global": g(r, "patient_global"),
        "pain": g(r, "back_pain"),
    }


def per_record_loop(records: Sequence[Any]) -> list[dict[str, Any]]:
    """Score visit by visit: indices, state, and the ASAS responses against the patient's baseline."""
    baseline = {_get(r, "patient_id"): score_record(r) for r in records if _get(r, "week") == 0}
    results = []
    for r in records:
        s = score_record(r)
        s["asdas_crp_state"] = indices.asdas_state(score=s["asdas_crp"]).iloc[0]
        b = baseline.get(_get(r, "patient_id"))
        if b is not None:
            kw = {
                f"{d}_{t}": v[d]
                for d in ("patient_global", "pain", "function", "inflammation")
                for t, v in (("base", b | {"function": b["basfi"]}), ("fu", s | {"function": s["basfi"]}))
            }
            s["asas20"] = response.asas20(**kw).iloc[0]
            s["asas40"] = response.asas40(**kw).iloc[0]
            s["basdai50"] = response.basdai50(basdai_base=b["basdai"], basdai_fu=s["basdai"]).iloc[0]
        results.append(s)
    return results


# ------------------------------------------------------------------------------------------ timing


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU (process) time of one call, in seconds, after a garbage collection."""
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def interleaved(fns: Mapping[str, Callable[[], object]], repeats: int) -> dict[str, tuple[list[float], list[float]]]:
    """Wall and CPU times of ``repeats`` calls of each function, run in turn (A B, B A, A B, ...).

    Interleaving exposes both functions to the same load on a shared machine, and alternating the
    order cancels any advantage of running first or second.
    """
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in fns}
    names = list(fns)
    for r in range(repeats):
        for name in names if r % 2 == 0 else names[::-1]:
            wall, cpu = _timed(fns[name])
            times[name][0].append(wall)
            times[name][1].append(cpu)
    return times


def peak_memory(fn: Callable[[], object]) -> float:
    """Peak memory (MiB) traced by tracemalloc during one call, above what was allocated before it.

    NumPy and pandas report their array buffers to tracemalloc, so this counts every array the call
    holds at its worst moment, its result included.
    """
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - base) / 2**20


def _max_rss_mib() -> float:
    """Peak resident memory of this process so far (MiB), from getrusage (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(
    n_patients: int = 100_000,
    n_visits: int = 10,
    repeats: int = 5,
    loop_visits: int = 10_000,
    loop_repeats: int = 1,
) -> dict[str, float]:
    visits = make_visits(n_patients, n_visits)
    n = len(visits)
    input_mib = visits.memory_usage(deep=True).sum() / 2**20
    scores = score_visits(visits)  # warm-up, and the results the NumPy version must match
    check_agreement(scores, numpy_scores(visits))
    del scores

    times = interleaved({"score_visits": lambda: score_visits(visits), "numpy": lambda: numpy_scores(visits)}, repeats)
    t_derive, c_derive = (statistics.median(x) for x in times["score_visits"])
    t_numpy, c_numpy = (statistics.median(x) for x in times["numpy"])
    ratios = [d / f for d, f in zip(times["score_visits"][0], times["numpy"][0], strict=True)]
    mem_derive = peak_memory(lambda: score_visits(visits))
    mem_numpy = peak_memory(lambda: numpy_scores(visits))
    result = {
        "visits": n,
        "score_visits_s": t_derive,
        "numpy_s": t_numpy,
        "slowdown_vs_numpy": t_derive / t_numpy,
        "cpu_slowdown_vs_numpy": c_derive / c_numpy,
        "score_visits_peak_mib": mem_derive,
        "numpy_peak_mib": mem_numpy,
    }
    print(f"visits: {n:,} ({n_patients:,} patients x up to {n_visits}); input frame {input_mib:,.0f} MiB")
    print(f"medians of {repeats} interleaved runs")
    print(f"  {'':34} {'wall s':>8} {'cpu s':>8} {'wall us/visit':>14} {'peak MiB':>9}")
    rows = [
        ("score_visits", t_derive, c_derive, mem_derive),
        ("plain NumPy floor (agrees)", t_numpy, c_numpy, mem_numpy),
    ]
    for label, wall, cpu, mem in rows:
        print(f"  {label:34} {wall:8.3f} {cpu:8.3f} {1e6 * wall / n:14.2f} {mem:9.0f}")
    print(
        f"  score_visits / NumPy floor         = {result['slowdown_vs_numpy']:.2f}x wall,"
        f" {result['cpu_slowdown_vs_numpy']:.2f}x cpu  (target <= 2)"
    )
    print(f"  per-run wall ratios                = {', '.join(f'{r:.2f}' for r in ratios)}")
    if loop_visits > 0:
        records, kind = _records(visits.iloc[:loop_visits])
        m = len(records)
        t_loop = statistics.median(_timed(lambda: per_record_loop(records))[0] for _ in range(loop_repeats))
        result |= {"loop_visits": m, "loop_s": t_loop, "speedup_per_visit_vs_loop": (t_loop / m) / (t_derive / n)}
        print(f"  per-record loop ({m:,}, {kind}): {t_loop:.3f} s wall, median of {loop_repeats} run(s)")
        print(f"  per-visit speed-up over the loop   = {result['speedup_per_visit_vs_loop']:.0f}x  (target >= 100)")
    print(f"  peak resident memory of the process = {_max_rss_mib():,.0f} MiB (input, warm-up and timing runs)")
    return result


def main(argv: Iterable[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_scoring", description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=10, help="visits per patient (at most 10)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--loop-visits", type=int, default=10_000, help="0 skips the per-record loop")
    parser.add_argument("--loop-repeats", type=int, default=1)
    args = parser.parse_args(None if argv is None else list(argv))
    return run(args.patients, min(args.visits, len(WEEKS)), args.repeats, args.loop_visits, args.loop_repeats)


if __name__ == "__main__":
    main()
