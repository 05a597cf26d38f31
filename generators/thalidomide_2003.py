"""Rebuild the reconstructed patient-level files of the reference study from its published figures.

The paper (J Rheumatol 2003;30:2627-31) prints only summaries. This generator makes up 13
patients whose data reproduce every printed figure when axspa's own pipeline runs on them.
It reads the figures from ``published.json`` (never a copy typed in here), and it is
deterministic: the same seed rebuilds ``patients.csv``, ``visits.csv`` and
``adverse_events.csv`` byte for byte.

How
---
1. Patients (Table 1 and 2): ages, durations and subtypes chosen by hand so that the mean age
   is 37 (range 19-54), the disease duration has mean *and* median 13.8 (range 7-25, so both
   readings of the paper hold), juvenile-onset patients have age minus duration below 16, and
   the completers' subtypes are those the ASAS results imply (ASAS40: 2 juvenile, 1 peripheral,
   1 psoriatic; ASAS20 but not 40: 2 axial, 2 peripheral).
2. Week 24, the 8 completers: for each of the six measures, :func:`axspa.forensics.reconstruct_paired`
   finds 8 (baseline, week 24) pairs on the measure's grid matching the printed means, SDs and
   the exact signed-rank p-value. BASFI and BAS-G pairs must also allow the published ASAS
   pattern (every completer improved by more than 20 % and 1 unit; four by more than 40 % and
   2 units).
3. Week 8, the 10 patients on treatment: the two lack-of-efficacy dropouts' baselines are found
   so that the 10 baselines match the week-8 text; their week-8 values are reconstructed with the
   completers' baselines held fixed, under the convention the p-lattice admits (a normal
   approximation: the printed p-values lie on no exact lattice for n = 10).
4. Everything else (visits in between, the withdrawals' visits, the pain item) follows smooth,
   seeded trajectories on the instruments' grids. Indices are split into items (BASDAI Q1-Q6,
   BASFI 1-10, BAS-G's two items) that give back exactly the target index, with the ASAS
   inflammation domain (mean of Q5 and Q6) set by each patient's response class.
5. The result is checked: loaded, scored and compared with every published figure.

Where a printed figure cannot arise from a measure's real grid (GRIM), the coarsest finer grid
that reproduces it is used for that measure only; :func:`grid_notes` says which, and
``conventions.json`` records it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from axspa.errors import ComputationError
from axspa.forensics import SignedRankConvention, coarsest_consistent_grid, reconstruct_paired
from axspa.studies import thalidomide_2003 as reference
from generators._common import basdai_items as _basdai_items
from generators._common import decimals as _decimals
from generators._common import run_build
from generators._common import split_total as _split

__all__ = ["DEFAULT_SEED", "PATIENT_DESIGN", "WEEKS", "build", "grid_notes", "main"]

DEFAULT_SEED = 2003
WEEKS = (0, 2, 4, 8, 12, 16, 20, 24)


@dataclass(frozen=True)
class PatientDesign:
    """One made-up patient: demographics, disposition and the week-24 response class."""

    patient_id: str
    age_years: int
    disease_duration_years: float
    subtype: str
    status: str
    withdrawal_reason: str | None
    last_week: int
    response: str  # "asas40", "asas20" (not 40), "dropout" (lack of efficacy), "ae" (adverse event)


PATIENT_DESIGN: tuple[PatientDesign, ...] = (
    PatientDesign("T01", 19, 7.0, "juvenile", "completed", None, 24, "asas40"),
    PatientDesign("T02", 28, 14.5, "juvenile", "completed", None, 24, "asas40"),
    PatientDesign("T03", 33, 18.2, "juvenile", "withdrawn", "adverse_event", 2, "ae"),
    PatientDesign("T04", 45, 13.8, "axial", "completed", None, 24, "asas20"),
    PatientDesign("T05", 38, 11.0, "axial", "completed", None, 24, "asas20"),
    PatientDesign("T06", 41, 16.0, "axial", "withdrawn", "adverse_event", 2, "ae"),
    PatientDesign("T07", 29, 7.5, "axial", "withdrawn", "adverse_event", 3, "ae"),
    PatientDesign("T08", 36, 9.6, "axial", "withdrawn", "lack_of_efficacy", 8, "dropout"),
    PatientDesign("T09", 54, 25.0, "peripheral", "completed", None, 24, "asas40"),
    PatientDesign("T10", 40, 13.0, "peripheral", "completed", None, 24, "asas20"),
    PatientDesign("T11", 31, 12.0, "peripheral", "completed", None, 24, "asas20"),
    PatientDesign("T12", 47, 17.2, "peripheral", "withdrawn", "lack_of_efficacy", 8, "dropout"),
    PatientDesign("T13", 40, 14.6, "psoriatic", "completed", None, 24, "asas40"),
)

# The published measures: the figures' measure name -> (visit column, real grid, range, decimals written).
# Indices are reconstructed on the grid their items give: BASDAI and BASFI from items in tenths
# give multiples of 0.01, BAS-G (mean of two items in tenths) multiples of 0.05.
MEASURE_GRIDS: Mapping[str, tuple[Fraction, float, float]] = {
    "basdai": (Fraction(1, 100), 0.0, 10.0),
    "basfi": (Fraction(1, 100), 0.0, 10.0),
    "basg": (Fraction(1, 20), 0.0, 10.0),
    "esr_mm_h": (Fraction(1), 1.0, 140.0),
    "crp_mg_dl": (Fraction(1, 100), 0.0, 30.0),
    "iga_mg_dl": (Fraction(1), 50.0, 1500.0),
}

EXACT = SignedRankConvention(method="exact", zero_method="wilcox", alternative="two-sided")
NORMAL_NO_CORRECTION = SignedRankConvention(
    method="asymptotic", zero_method="wilcox", alternative="two-sided", correction=False
)

WEEK8_CONVENTIONS = (
    NORMAL_NO_CORRECTION,
    EXACT,
    SignedRankConvention(method="exact", zero_method="wilcox", alternative="less"),
)
"""Conventions tried, in order, for the week-8 p-values (the first that reproduces a figure is kept)."""


def _figures() -> dict[str, str]:
    return {f["id"]: f["printed"] for f in reference.published()["figures"]}


def _grid_for(measure: str, figures: Mapping[str, str]) -> Fraction:
    """The measure's real grid, or the coarsest finer one that its printed figures need."""
    grid, lower, upper = MEASURE_GRIDS[measure]
    chosen = grid
    for prefix, n, weeks in (("week24", 8, ("baseline", "week24")), ("week8", 10, ("baseline", "week8"))):
        means = [figures.get(f"{prefix}.{measure}.{w}.mean") for w in weeks]
        sds = [figures.get(f"{prefix}.{measure}.{w}.sd") for w in weeks]
        if None in means:
            continue
        needed = coarsest_consistent_grid(
            n=n, grid=grid, means=[m for m in means if m], sds=sds, lower=lower, upper=upper
        )
        chosen = min(chosen, Fraction(needed))
    return chosen


def grid_notes(figures: Mapping[str, str] | None = None) -> dict[str, str]:
    """The measures whose printed figures need a grid finer than the instrument's, with the grid used."""
    figures = figures if figures is not None else _figures()
    notes = {}
    for measure, (grid, _, _) in MEASURE_GRIDS.items():
        chosen = _grid_for(measure, figures)
        if chosen != grid:
            notes[measure] = f"grid {grid} cannot reproduce the printed figures; {chosen} used"
    return notes


# -- step 2 and 3: the published pairs --------------------------------------------------------------------


def _asas_pattern_possible(baseline: Sequence[float], followup: Sequence[float], n_strong: int) -> bool:
    """Every pair improved by > 20 % and >= 1 unit, and ``n_strong`` pairs by > 40 % and >= 2 units."""
    b, f = np.asarray(baseline), np.asarray(followup)
    eps = 1e-9
    moderate = (f < 0.8 * b - eps) & (b - f >= 1 - eps)
    strong = (f < 0.6 * b - eps) & (b - f >= 2 - eps)
    return bool(moderate.all() and strong.sum() >= n_strong)


def _reconstruct(
    measure: str,
    prefix: str,
    weeks: tuple[str, str],
    n: int,
    convention: SignedRankConvention,
    figures: Mapping[str, str],
    rng: np.random.Generator,
    *,
    fixed_baseline: Sequence[float] | None = None,
    accept: Callable[[Sequence[float], Sequence[float]], bool] | None = None,
    progress: bool = False,
    max_seconds: float = 20.0,
) -> tuple[np.ndarray, np.ndarray]:
    grid = _grid_for(measure, figures)
    _, lower, upper = MEASURE_GRIDS[measure]
    printed = {
        side: (figures[f"{prefix}.{measure}.{week}.mean"], figures[f"{prefix}.{measure}.{week}.sd"])
        for side, week in zip(("baseline", "followup"), weeks, strict=True)
    }

    def clear_of_ties(b: Sequence[float], f: Sequence[float]) -> bool:
        # Rounding half away from zero is axspa's display rule; a mean or SD that sits on a rounding
        # tie could print either way after floating-point arithmetic, so none may sit there.
        return all(_prints_robustly(values, *printed[side]) for side, values in (("baseline", b), ("followup", f)))

    def accepted(b: Sequence[float], f: Sequence[float]) -> bool:
        return clear_of_ties(b, f) and (accept is None or accept(b, f))

    result = reconstruct_paired(
        n=n,
        grid=grid,
        lower=lower,
        upper=upper,
        baseline_mean=figures[f"{prefix}.{measure}.{weeks[0]}.mean"],
        baseline_sd=figures[f"{prefix}.{measure}.{weeks[0]}.sd"],
        followup_mean=figures[f"{prefix}.{measure}.{weeks[1]}.mean"],
        followup_sd=figures[f"{prefix}.{measure}.{weeks[1]}.sd"],
        p=figures[f"{prefix}.{measure}.p"],
        convention=convention,
        seed=rng,
        fixed_baseline=fixed_baseline,
        accept=accepted,
        rounding="half_up",
        p_rounding="half_up",
        max_seconds=max_seconds,
        progress=progress,
    )
    if not result.found:
        raise ComputationError(f"no reconstruction of {prefix} {measure}: {result.reason}")
    return np.asarray(result.baseline, dtype=float), np.asarray(result.followup, dtype=float)


def _prints_robustly(values: Sequence[float], mean_text: str, sd_text: str) -> bool:
    """The mean and SD print as published even if nudged by 1e-9 either way (rounding half away from zero)."""
    from axspa.printed import matches_printed

    x = np.asarray(values, dtype=float)
    mean, sd = float(x.mean()), float(x.std(ddof=1))
    return all(matches_printed(mean + e, mean_text) and matches_printed(sd + e, sd_text) for e in (-1e-9, 1e-9))


def _near_printed(values: np.ndarray, text: str) -> np.ndarray:
    """Where ``values`` lie within half a unit of the last printed digit of ``text`` (plus 1e-6 of slack).

    A necessary condition for printing as ``text`` under any rounding to its decimals; cheap on a whole grid.
    """
    from axspa.printed import parse_reported

    figure = parse_reported(text, argument="printed figure")
    return np.abs(values - float(figure.value)) <= 0.5 * 10.0**-figure.decimals + 1e-6


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation (average ranks for ties)."""
    rx, ry = pd.Series(x).rank().to_numpy(), pd.Series(y).rank().to_numpy()
    return float(np.corrcoef(rx, ry)[0, 1])


def _extra_baselines(
    measure: str,
    fixed: np.ndarray,
    k: int,
    figures: Mapping[str, str],
    rng: np.random.Generator,
    prefer: float,
) -> np.ndarray:
    """``k`` = 2 more baseline values so that all baselines print as the week-8 mean and SD.

    Every pair on the grid is tried; among those that match, the one closest to ``prefer``
    (a plausible level for patients who later drop out for lack of efficacy) is kept.
    """
    from axspa.printed import matches_printed

    if k != 2:
        raise ComputationError("only two extra baselines are supported")
    grid = _grid_for(measure, figures)
    _, lower, upper = MEASURE_GRIDS[measure]
    step = float(grid)
    values = np.round(np.arange(lower, upper + step / 2, step), 10)
    a, b = np.meshgrid(values, values, indexing="ij")
    keep = a <= b
    a, b = a[keep], b[keep]
    n = len(fixed) + 2
    total = fixed.sum() + a + b
    squares = (fixed**2).sum() + a**2 + b**2
    mean = total / n
    sd = np.sqrt(np.maximum(squares - n * mean**2, 0) / (n - 1))
    mean_text = figures[f"week8.{measure}.baseline.mean"]
    sd_text = figures[f"week8.{measure}.baseline.sd"]
    # The exact check runs only on the pairs whose mean and SD lie near their figures: a value that prints
    # as a figure is within half a unit of its last digit, so the pairs left out could not match anyway.
    ok = np.zeros(len(mean), dtype=bool)
    for i in np.flatnonzero(_near_printed(mean, mean_text) & _near_printed(sd, sd_text)):
        m, s = mean[i], sd[i]
        ok[i] = all(matches_printed(m + e, mean_text) and matches_printed(s + e, sd_text) for e in (-1e-9, 1e-9))
    if not ok.any():
        raise ComputationError(f"no two baselines complete the week-8 {measure} figures")
    candidates = np.flatnonzero(ok)
    distance = np.abs(a[candidates] - prefer) + np.abs(b[candidates] - prefer)
    best = candidates[distance <= distance.min() + 1e-9]
    pick = best[rng.integers(len(best))]
    return np.array([a[pick], b[pick]])


# -- step 4: trajectories and items -----------------------------------------------------------------------


def _on_grid(x: float | np.ndarray, grid: Fraction, lower: float, upper: float) -> np.ndarray:
    step = float(grid)
    return np.clip(np.round(np.asarray(x, dtype=float) / step) * step, lower, upper).round(10)


def _schedule(patient: PatientDesign) -> list[int]:
    return [w for w in WEEKS if w <= patient.last_week]


def _shape(week: float) -> float:
    """Share of the eventual change reached by ``week`` (most of it in the first 2-3 months)."""
    return float((1 - np.exp(-week / 7.0)) / (1 - np.exp(-24 / 7.0)))


def _fill(
    anchors: dict[int, float],
    weeks: list[int],
    noise: float,
    grid: Fraction,
    lower: float,
    upper: float,
    rng: np.random.Generator,
) -> dict[int, float]:
    """Values at every scheduled week: the anchors as given, the rest along :func:`_shape`."""
    known = sorted(anchors)
    out = {}
    for w in weeks:
        if w in anchors:
            out[w] = float(anchors[w])
            continue
        before = max(k for k in known if k < w)
        after = [k for k in known if k > w]
        if after:
            a = min(after)
            share = (_shape(w) - _shape(before)) / (_shape(a) - _shape(before))
            target = anchors[before] + share * (anchors[a] - anchors[before])
        else:
            target = anchors[before]
        out[w] = float(_on_grid(target + rng.normal(0, noise), grid, lower, upper))
    return out


def _pick(rng: np.random.Generator, low: float, high: float) -> float:
    return float(rng.uniform(low, high))


def build(folder: str | Path, *, seed: int = DEFAULT_SEED, progress: bool = False) -> Path:
    """Rebuild the reference study's files into ``folder``; returns the folder.

    Parameters
    ----------
    folder : path
        Where to write ``patients.csv``, ``visits.csv``, ``adverse_events.csv`` and
        ``conventions.json``.
    seed : int
        Seed of every random choice; the same seed gives the same files byte for byte.
    progress : bool
        Show the reconstruction searches' progress on standard error.
    """
    rng = np.random.default_rng(seed)
    figures = _figures()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    completers = [p for p in PATIENT_DESIGN if p.status == "completed"]
    dropouts = [p for p in PATIENT_DESIGN if p.response == "dropout"]
    n_strong = sum(p.response == "asas40" for p in completers)
    anchors: dict[str, dict[str, dict[int, float]]] = {
        m: {p.patient_id: {} for p in PATIENT_DESIGN} for m in MEASURE_GRIDS
    }
    conventions: dict[str, dict[str, object]] = {}

    def pattern_ok(b: Sequence[float], f: Sequence[float]) -> bool:
        return _asas_pattern_possible(b, f, n_strong)

    # Week 24: the completers' pairs.
    for measure in MEASURE_GRIDS:
        accept = pattern_ok if measure in ("basfi", "basg") else None
        base, last = _reconstruct(
            measure,
            "week24",
            ("baseline", "week24"),
            len(completers),
            EXACT,
            figures,
            rng,
            accept=accept,
            progress=progress,
        )
        conventions[f"week24.{measure}.p"] = asdict(EXACT)
        if measure in ("basfi", "basg"):
            # ASAS40 patients get pairs improved by > 40 % and >= 2 units.
            eligible = np.flatnonzero((last < 0.6 * base - 1e-9) & (base - last >= 2 - 1e-9))
            strong = [int(i) for i in rng.permutation(eligible)][:n_strong]
        elif measure == "basdai":
            # The largest relative BASDAI improvements go to the ASAS40 patients, so that their
            # inflammation domain (part of BASDAI) can fall far enough, and the others' far enough only.
            strong = [int(i) for i in rng.permutation(np.argsort(last / base, kind="stable")[:n_strong])]
        else:
            strong = []
        if strong:
            others = iter(int(i) for i in rng.permutation(len(base)) if i not in strong)
            ordered = iter(strong)
            assignment = [next(ordered) if p.response == "asas40" else next(others) for p in completers]
        else:
            assignment = [int(i) for i in rng.permutation(len(base))]
        for patient, i in zip(completers, assignment, strict=True):
            anchors[measure][patient.patient_id].update({0: float(base[i]), 24: float(last[i])})

    # Week 8: the completers and the two lack-of-efficacy dropouts.
    for measure in ("basdai", "esr_mm_h"):
        fixed = np.array([anchors[measure][p.patient_id][0] for p in completers])
        extra = _extra_baselines(
            measure, fixed, len(dropouts), figures, rng, prefer=float(figures[f"week8.{measure}.baseline.mean"])
        )
        baselines = np.concatenate([fixed, extra])

        def no_response(b: Sequence[float], f: Sequence[float], k: int = len(fixed)) -> bool:
            return bool(np.all(np.asarray(f)[k:] > 0.8 * np.asarray(b)[k:]))

        week24 = np.array([anchors[measure][p.patient_id][24] for p in completers])

        def on_course(b: Sequence[float], f: Sequence[float], k: int = len(fixed), end: np.ndarray = week24) -> bool:
            # A plausible course: the completers' week-8 values rank much as their week-24 values do.
            return _spearman(np.asarray(f)[:k], end) >= 0.6

        # Lack of efficacy is a clinical judgement: the dropouts' BASDAI must not improve by 20 %.
        # Their ESR is left free (the week-8 ESR SD leaves no room for a dropout at 93 mm/h to stay there).
        def week8_accept(b: Sequence[float], f: Sequence[float], basdai: bool = measure == "basdai") -> bool:
            return on_course(b, f) and (not basdai or no_response(b, f))

        for convention in WEEK8_CONVENTIONS:
            try:
                _, week8 = _reconstruct(
                    measure,
                    "week8",
                    ("baseline", "week8"),
                    len(baselines),
                    convention,
                    figures,
                    rng,
                    fixed_baseline=baselines.tolist(),
                    accept=week8_accept,
                    progress=progress,
                )
            except ComputationError:
                continue
            conventions[f"week8.{measure}.p"] = asdict(convention)
            break
        else:
            raise ComputationError(f"no convention reproduces the week-8 {measure} figures")
        for patient, b, w in zip(completers + dropouts, baselines, week8, strict=True):
            anchors[measure][patient.patient_id].update({0: float(b), 8: float(w)})

    visits = _visits(anchors, rng)
    _write(folder, visits, conventions, rng)
    return folder


def _visits(anchors: dict[str, dict[str, dict[int, float]]], rng: np.random.Generator) -> pd.DataFrame:
    """Every visit of every patient: item-level values on the instruments' grids."""
    completers = [p for p in PATIENT_DESIGN if p.status == "completed"]
    rows = []
    for patient in PATIENT_DESIGN:
        weeks = _schedule(patient)
        values: dict[str, dict[int, float]] = {}
        for measure, (grid, lower, upper) in MEASURE_GRIDS.items():
            own = dict(anchors[measure][patient.patient_id])
            if 0 not in own:  # not in a published population: a plausible baseline
                levels = np.array([anchors[measure][p.patient_id][0] for p in completers])
                own[0] = float(_on_grid(rng.normal(levels.mean(), levels.std(ddof=1) * 0.7), grid, lower, upper))
            if max(own) < weeks[-1]:  # no published end point: little change by the last visit
                own[weeks[-1]] = float(_on_grid(own[0] * _pick(rng, 0.9, 1.05), grid, lower, upper))
            spread = max(abs(v - own[0]) for v in own.values()) * 0.08 + float(grid)
            values[measure] = _fill(own, weeks, spread, grid, lower, upper, rng)
        pain, inflammation = _domains(patient, values["basdai"], rng)
        for w in weeks:
            items = _basdai_items(values["basdai"][w], inflammation[w], rng)
            basfi_items = _split(round(values["basfi"][w] * 100), 10, 100, rng)
            basg_items = _split(round(values["basg"][w] * 20), 2, 100, rng, spread=0.1)
            row: dict[str, object] = {"patient_id": patient.patient_id, "week": w}
            row.update({f"basdai_q{i}": v for i, v in enumerate(items, start=1)})
            row.update({f"basfi_q{i}": v / 10 for i, v in enumerate(basfi_items, start=1)})
            row.update({"basg_week": basg_items[0] / 10, "basg_6m": basg_items[1] / 10, "back_pain": pain[w]})
            row.update({m: values[m][w] for m in ("esr_mm_h", "crp_mg_dl", "iga_mg_dl")})
            rows.append(row)
    return pd.DataFrame(rows)


def _class_end(start: float, response: str, cap: float, rng: np.random.Generator) -> float | None:
    """A follow-up value for one ASAS domain that puts ``start`` -> end in the response class.

    ASAS40 patients improve by at least 2.1 units and more than 42 % (so by > 40 % and >= 2 units
    with room to spare); ASAS20-only patients by at least 1.1 units and 21-38 % (so by > 20 % and
    >= 1 unit, but never 40 %). None if no such value exists below ``cap``.
    """
    if response == "asas40":
        low, high = max(2.1, 0.42 * start), start
    else:
        low, high = max(1.1, 0.21 * start), 0.38 * start
    low = max(low, start - cap)
    if low > high:
        return None
    return start - _pick(rng, low, high)


def _domains(
    patient: PatientDesign, basdai: dict[int, float], rng: np.random.Generator
) -> tuple[dict[int, float], dict[int, float]]:
    """The ASAS pain item and the inflammation target at every visit, by response class.

    Both start near the patient's BASDAI. A completer's week-24 values follow its response class
    (:func:`_class_end`); the others change little by their last visit. Inflammation, the mean
    of BASDAI Q5 and Q6, can be at most 5 x BASDAI.
    """
    weeks = sorted(basdai)
    tenth, twentieth = Fraction(1, 10), Fraction(1, 20)
    responder = patient.response in ("asas40", "asas20")
    floor = {"asas40": 2.4, "asas20": 3.0}.get(patient.response, 0.0)
    end_week = 24 if responder else weeks[-1]
    for _ in range(1000):
        pain0 = float(_on_grid(max(basdai[0] + rng.normal(0.8, 0.6), floor + 0.3), tenth, 0.0, 9.5))
        infl0 = float(_on_grid(max(basdai[0] + rng.normal(0.4, 0.5), floor + 0.2), twentieth, 0.0, 9.5))
        if infl0 > 5 * basdai[0]:
            continue
        if responder:
            pain_end = _class_end(pain0, patient.response, 10.0, rng)
            infl_end = _class_end(infl0, patient.response, 5 * basdai[24], rng)
            if pain_end is None or infl_end is None:
                continue
            pain_end = float(_on_grid(pain_end, tenth, 0.0, 10.0))
            infl_end = float(_on_grid(infl_end, twentieth, 0.0, 10.0))
            if not (_in_class(pain0, pain_end, patient.response) and _in_class(infl0, infl_end, patient.response)):
                continue
        else:
            ratio = _pick(rng, 0.9, 1.05)
            pain_end = float(_on_grid(pain0 * ratio, tenth, 0.0, 10.0))
            infl_end = float(_on_grid(min(infl0 * ratio, 5 * basdai[end_week]), twentieth, 0.0, 10.0))
        pain = _fill({0: pain0, end_week: pain_end}, weeks, 0.25, tenth, 0.0, 10.0, rng)
        infl = _fill({0: infl0, end_week: infl_end}, weeks, 0.25, twentieth, 0.0, 10.0, rng)
        return pain, infl
    raise ComputationError(f"no pain and inflammation values fit patient {patient.patient_id}")


def _in_class(start: float, end: float, response: str) -> bool:
    """Whether start -> end (on the grid) is a change of the response class, with margins of 0.05 units."""
    drop = start - end
    if response == "asas40":
        return drop >= 2.05 and end < 0.6 * start - 0.01
    return drop >= 1.05 and 0.8 * start - 0.01 > end > 0.6 * start + 0.01


# -- files ------------------------------------------------------------------------------------------------


def _write(
    folder: Path, visits: pd.DataFrame, conventions: dict[str, dict[str, object]], rng: np.random.Generator
) -> None:
    import json

    patients = pd.DataFrame(
        {
            "patient_id": [p.patient_id for p in PATIENT_DESIGN],
            "sex": "male",
            "age_years": [p.age_years for p in PATIENT_DESIGN],
            "disease_duration_years": [f"{p.disease_duration_years:.1f}" for p in PATIENT_DESIGN],
            "hla_b27": "true",
            "subtype": [p.subtype for p in PATIENT_DESIGN],
            "status": [p.status for p in PATIENT_DESIGN],
            "withdrawal_reason": [p.withdrawal_reason or "" for p in PATIENT_DESIGN],
            "last_week": [p.last_week for p in PATIENT_DESIGN],
        }
    )
    patients.to_csv(folder / "patients.csv", index=False, lineterminator="\n")
    out = visits.copy()
    for column in out.columns:
        if column.startswith(("basdai_q", "basfi_q", "basg_")) or column == "back_pain":
            out[column] = out[column].map(lambda v: f"{v + 0.0:.1f}")
    figures = _figures()
    for column in ("esr_mm_h", "crp_mg_dl", "iga_mg_dl"):
        decimals = _decimals(_grid_for(column, figures))
        out[column] = out[column].map(lambda v, d=decimals: f"{v + 0.0:.{d}f}")
    out.to_csv(folder / "visits.csv", index=False, lineterminator="\n")
    _adverse_events(rng).to_csv(folder / "adverse_events.csv", index=False, lineterminator="\n")
    notes = {"p_value_conventions": conventions, "grids": dict(sorted(grid_notes(figures).items()))}
    (folder / "conventions.json").write_text(json.dumps(notes, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _adverse_events(rng: np.random.Generator) -> pd.DataFrame:
    """Adverse events: the completers' counts of the text and the three withdrawals' events."""
    completers = [p.patient_id for p in PATIENT_DESIGN if p.status == "completed"]
    rows = []

    def add(pid: str, term: str, week: int, severity: str, action: str) -> None:
        rows.append(
            {
                "patient_id": pid,
                "term": term,
                "onset_week": week,
                "severity": severity,
                "serious": "false",
                "action": action,
            }
        )

    for term, count in (("dry mouth", 7), ("constipation", 7), ("dizziness", 6)):
        for pid in sorted(rng.choice(completers, size=count, replace=False)):
            add(pid, term, int(rng.integers(1, 5)), "mild", "lifestyle advice or medication")
    drowsy = sorted(rng.choice(completers, size=3, replace=False))
    for k, pid in enumerate(drowsy):
        if k < 2:
            add(
                pid,
                "daytime drowsiness",
                int(rng.integers(2, 5)),
                "severe",
                "regimen changed to 200 mg once at bedtime",
            )
        else:
            add(pid, "daytime drowsiness", int(rng.integers(2, 5)), "mild", "none")
    add(
        str(rng.choice(completers)),
        "hand numbness",
        int(rng.integers(4, 13)),
        "mild",
        "none; nerve conduction normal; resolved in 2 weeks",
    )
    for p in PATIENT_DESIGN:
        if p.withdrawal_reason == "adverse_event":
            term = "drug eruption" if p.last_week == 2 else "dizziness and drowsiness"
            add(p.patient_id, term, p.last_week, "severe", "thalidomide stopped; withdrawn")
    return pd.DataFrame(rows).sort_values(["patient_id", "onset_week", "term"], kind="stable")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m generators.thalidomide_2003 [FOLDER]``, from the repository root."""
    return run_build(__doc__, build, reference.folder(), DEFAULT_SEED, argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
