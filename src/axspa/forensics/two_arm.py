"""Reconstruction of a two-arm trial's values from per-arm summaries and between-arm ANCOVA p-values.

Given, for each of two arms, the number of patients, a value grid and range, the printed mean and SD at
baseline and at each follow-up week, and for each follow-up week the printed p-value of the between-arm
ANCOVA of the change from baseline (baseline as covariate), :func:`reconstruct_two_arm` searches for
patient-level values on the grid that reproduce every figure at its printed precision.
:func:`reconstruct_two_arm_counts` does the same for counts printed as a total and a number of patients with a
count above zero ("26 sites (in 15 patients)").

Design
------
1. Feasibility first: GRIM/GRIMMER on every margin (arm x week). A margin that fails is impossible on
   the grid, and the result says so. Then, for each follow-up week, the p-values any pairing of any data
   with the printed margins can give (the Cauchy-Schwarz envelope of the pooled within-arm cross-product,
   scanned over the margins' rounding intervals): a printed p outside it has no solution under the
   convention, and the result says so (a forensic finding, not an error).
2. Each margin is drawn as in SPRITE [1]_ (the sampler of :func:`axspa.forensics.reconstruct_paired`): a
   sample whose sum reproduces the mean, walked until its SD prints as the target; from a right-skewed
   start when a normal one fails (counts near zero). Counts: the patients counted at random, the total
   spread over them with a right skew. An optional ``accept(week, arm1, arm2)`` rejects draws.
3. With the margins fixed, the ANCOVA p-value depends on the data only through the pooled within-arm
   cross-product :math:`C = \\sum_a \\sum_i (x_{ai} - \\bar x_a)(y_{ai} - \\bar y_a)`, that is through how
   each arm's follow-up values are paired with its baseline values (a permutation). The pairing of each
   follow-up week is searched separately, by swaps of two follow-up values within an arm, each step taken
   among the swaps that bring the p-value closer to its printed interval (all swaps scored at once).
4. New follow-up margins are drawn when a pairing search stalls, new baselines when a week fails
   repeatedly, until ``max_restarts`` or ``max_seconds``.

All arithmetic on the data is in integer grid units, so means and SDs are checked exactly.

References
----------
.. [1] Heathers JAJ, Anaya J, van der Zee T, Brown NJL. Recovering data from summary statistics: Sample
   Parameter Reconstruction via Iterative TEchniques (SPRITE). PeerJ Preprints 2018;6:e26968v1.
.. [2] Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous anomalies in the
   reporting of results in psychology. Soc Psychol Personal Sci 2017;8:363-9.
.. [3] Snedecor GW, Cochran WG. Statistical Methods, 8th ed. Ames: Iowa State University Press, 1989,
   chapter 18 (analysis of covariance: adjusted difference and its variance).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from axspa.errors import ComputationError, InputError
from axspa.forensics.granularity import grimmer
from axspa.forensics.reconstruct import SearchProgress, _decimals_of, _Margin, _resolve_range, _sprite
from axspa.printed import Interval, check_n, parse_reported, resolve_rounding, to_fraction
from axspa.results import Result

__all__ = [
    "ANCOVA_P_METHODS",
    "TwoArmReconstruction",
    "ancova_pvalue_of_pairing",
    "reconstruct_two_arm",
    "reconstruct_two_arm_counts",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

ANCOVA_P_METHODS = ("t", "normal")
"""How the ANCOVA p-value is referred: t on the residual degrees of freedom (R's ``lm``), or the normal."""


@dataclass(frozen=True, repr=False, slots=True)
class TwoArmReconstruction(Result):
    """The outcome of :func:`reconstruct_two_arm`.

    Attributes
    ----------
    arms : tuple of str
        The two arms, in the order given.
    n : tuple of int
        Patients per arm.
    weeks : tuple of float
        Baseline week first, then the follow-up weeks.
    found : bool
        True if the values reproduce every figure.
    reason : str
        Why nothing was found ("" when found); starts with "impossible" when no sample exists on the grid.
    values : dict
        ``values[arm][week]``: the arm's values at that week, patient by patient (the same patient order
        at every week); empty when not found.
    pvalues : dict
        The ANCOVA p-value of each follow-up week (empty when not found).
    p_method : str
        ``"t"`` or ``"normal"`` (see :data:`ANCOVA_P_METHODS`).
    grid : Fraction
        The value grid used.
    targets : dict
        The printed figures matched, keyed ``"<arm>.<week>.mean"``, ``"<arm>.<week>.sd"``, ``"<week>.p"``.
    out_of_reach : dict
        The follow-up weeks whose printed p-value no data with the printed margins can give under the
        convention, each with the smallest and largest p-value such data can give (see Notes).
    restarts : int
        Baselines drawn.
    iterations : int
        Pairing steps taken (all weeks and restarts together).
    seconds : float
        Time taken.
    """

    arms: tuple[str, str]
    n: tuple[int, int]
    weeks: tuple[float, ...]
    found: bool
    reason: str
    values: dict[str, dict[float, tuple[float, ...]]]
    pvalues: dict[float, float]
    p_method: str
    grid: Fraction
    targets: dict[str, str] = field(default_factory=dict)
    out_of_reach: dict[float, tuple[float, float]] = field(default_factory=dict)
    restarts: int = 0
    iterations: int = 0
    seconds: float = 0.0

    def to_frame(self) -> pd.DataFrame:
        """One row per patient: arm, patient number within the arm and one column per week (empty if not found)."""
        rows = []
        for arm in self.arms if self.found else ():
            by_week = self.values[arm]
            for i in range(len(by_week[self.weeks[0]])):
                rows.append({"arm": arm, "patient": i + 1} | {f"week{w:g}": by_week[w][i] for w in self.weeks})
        return pd.DataFrame(rows, columns=["arm", "patient", *(f"week{w:g}" for w in self.weeks)])

    def __repr__(self) -> str:
        head = f"TwoArmReconstruction(arms={self.arms}, n={self.n}, grid={self.grid}, ANCOVA p ({self.p_method}): "
        if not self.found:
            return head + f"NOT FOUND - {self.reason}; {self.restarts} restarts, {self.seconds:.2f} s)"
        ps = ", ".join(f"week {w:g}: p={p:.4g}" for w, p in self.pvalues.items())
        return head + f"found; {ps}; {self.restarts} restarts, {self.seconds:.2f} s)"


def _ancova_p(
    c: FloatArray, sxx: float, syy: float, dx: float, dy: float, n: tuple[int, int], p_method: str
) -> FloatArray:
    r"""p-values of the arm effect for pooled within-arm cross-products ``c`` (vectorised).

    With within-arm sums of squares :math:`S_{xx}`, :math:`S_{yy}`, cross-product :math:`C`, differences of
    the arm means :math:`\Delta_x` (baseline) and :math:`\Delta_y` (follow-up): slope :math:`b = C / S_{xx}`,
    adjusted difference :math:`\hat\tau = \Delta_y - b \Delta_x`, residual variance
    :math:`s^2 = (S_{yy} - C^2 / S_{xx}) / (N - 3)` and
    :math:`\mathrm{Var}(\hat\tau) = s^2 (1/n_1 + 1/n_2 + \Delta_x^2 / S_{xx})` (Snedecor and Cochran,
    chapter 18). The change from baseline as outcome gives the same :math:`\hat\tau` and variance.
    """
    df = n[0] + n[1] - 3
    with np.errstate(divide="ignore", invalid="ignore"):
        rss = np.maximum(syy - c * c / sxx, 0.0)
        tau = dy - (c / sxx) * dx
        se = np.sqrt(rss / df * (1.0 / n[0] + 1.0 / n[1] + dx * dx / sxx))
        t = np.abs(tau) / se
    t = np.where(se > 0, t, np.where(np.abs(tau) > 0, np.inf, np.nan))
    if p_method == "normal":
        return np.asarray(special.erfc(t / math.sqrt(2.0)), dtype=np.float64)
    return np.asarray(2.0 * special.stdtr(df, -t), dtype=np.float64)


def ancova_pvalue_of_pairing(
    baseline: Sequence[Sequence[float]], followup: Sequence[Sequence[float]], *, p_method: str = "t"
) -> float:
    """The between-arm ANCOVA p-value of follow-up (or change) on arm and baseline, two arms, complete data.

    Parameters
    ----------
    baseline, followup : two sequences of float each
        Per arm, the baseline values and the follow-up values of the same patients, in the same order.
    p_method : {"t", "normal"}
        t on n1 + n2 - 3 degrees of freedom (R's ``lm``), or the normal distribution.

    Returns
    -------
    float
        Two-sided p-value of the arm coefficient.

    Examples
    --------
    R's ``summary(lm(y ~ arm + x))`` gives 0.116157528348 for these (tests/forensics/r/two_arm_ancova.R):

    >>> round(ancova_pvalue_of_pairing([[1, 2, 3], [1, 2, 3]], [[1, 2, 4], [2, 3, 4]]), 6)
    0.116158
    """
    if p_method not in ANCOVA_P_METHODS:
        raise InputError(f"p_method must be one of {', '.join(ANCOVA_P_METHODS)}; got {p_method!r}")
    if len(baseline) != 2 or len(followup) != 2:
        raise InputError(f"baseline and followup must hold two arms each; got {len(baseline)} and {len(followup)}")
    xs = [np.asarray(a, dtype=np.float64) for a in baseline]
    ys = [np.asarray(a, dtype=np.float64) for a in followup]
    for a, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if x.shape != y.shape or x.size < 2:
            raise InputError(f"arm {a + 1}: baseline and followup must hold the same number (>= 2) of values")
    stats = _pooled(xs, ys)
    n = (int(xs[0].size), int(xs[1].size))
    return float(_ancova_p(np.array([stats[4]]), stats[0], stats[1], stats[2], stats[3], n, p_method)[0])


def _pooled(xs: Sequence[npt.NDArray[np.float64]], ys: Sequence[npt.NDArray[np.float64]]) -> tuple[float, ...]:
    """Sxx, Syy, mean differences (arm 1 minus arm 2) of x and y, and the cross-product C, pooled within arms."""
    sxx = sum(float(((x - x.mean()) ** 2).sum()) for x in xs)
    syy = sum(float(((y - y.mean()) ** 2).sum()) for y in ys)
    c = sum(float(((x - x.mean()) * (y - y.mean())).sum()) for x, y in zip(xs, ys, strict=True))
    return sxx, syy, float(xs[0].mean() - xs[1].mean()), float(ys[0].mean() - ys[1].mean()), c


def _p_intervals(text: str, conventions: Sequence[str], argument: str) -> tuple[Interval, ...]:
    """True p-values that print as ``text``; "<0.001" means [0, 0.001)."""
    if not isinstance(text, str):
        raise InputError(f"{argument} must be a printed p-value (a string such as '0.02' or '<0.001'); got {text!r}")
    stripped = text.strip()
    if stripped.startswith("<"):
        bound = parse_reported(stripped[1:].strip(), argument=argument, nonnegative=True)
        return (Interval(Fraction(0), bound.value, True, False),)
    rep = parse_reported(stripped, argument=argument, nonnegative=True)
    if rep.value > 1:
        raise InputError(f"{argument} must be a probability in [0, 1]; got {text!r}")
    return tuple(rep.interval(c) for c in conventions)


def _envelope(
    boxes: Sequence[tuple[float, float]], n: tuple[int, int], p_method: str, points: int = 2001
) -> tuple[float, float]:
    r"""Smallest and largest ANCOVA p-value over the Cauchy-Schwarz envelope of the pooled cross-product.

    ``boxes`` holds the rounding intervals of the printed baseline mean and SD and follow-up mean and SD
    of arm 1, then of arm 2. At each corner of that box, every C with
    :math:`|C| < \sum_a \sqrt{S_{xx,a} S_{yy,a}}` (what any pairing of any data with those margins can
    give, by the Cauchy-Schwarz inequality) is scanned on ``points`` points.
    """
    lo_p, hi_p = math.inf, -math.inf
    for corner in np.array(np.meshgrid(*boxes, indexing="ij")).reshape(len(boxes), -1).T:
        mx1, sx1, my1, sy1, mx2, sx2, my2, sy2 = corner
        sxx = ((n[0] - 1) * sx1**2, (n[1] - 1) * sx2**2)
        syy = ((n[0] - 1) * sy1**2, (n[1] - 1) * sy2**2)
        bound = math.sqrt(sxx[0] * syy[0]) + math.sqrt(sxx[1] * syy[1])
        c = np.linspace(-bound, bound, points + 2)[1:-1]
        p = _ancova_p(c, sum(sxx), sum(syy), mx1 - mx2, my1 - my2, n, p_method)
        p = p[~np.isnan(p)]
        if p.size:
            lo_p, hi_p = min(lo_p, float(p.min())), max(hi_p, float(p.max()))
    return lo_p, hi_p


class _Week:
    """The pairing search of one follow-up week: both arms' baseline (x) and follow-up (y) in grid units."""

    def __init__(self, intervals: Sequence[Interval], n: tuple[int, int], p_method: str) -> None:
        self.intervals = tuple(intervals)  # empty: no p-value to match (any pairing will do)
        self.lo = float(min((iv.lo for iv in intervals), default=0))
        self.hi = float(max((iv.hi for iv in intervals), default=1))
        self.n = n
        self.p_method = p_method

        self.reachable = (math.inf, -math.inf)  # smallest and largest p any drawn margins could give

    def note_reachable(
        self, x: Sequence[FloatArray], y: Sequence[IntArray], stats: tuple[float, float, float, float]
    ) -> None:
        """Widen ``reachable`` by the p-values of every C between the arms' extreme pairings (sorted on sorted)."""
        lo_c = hi_c = 0.0
        for a in range(2):
            cx = np.sort(x[a] - x[a].mean())
            ys = np.sort(y[a]).astype(np.float64)
            lo_c += float((cx * ys[::-1]).sum())
            hi_c += float((cx * ys).sum())
        sxx, syy, dx, dy = stats
        p = _ancova_p(np.linspace(lo_c, hi_c, 2001), sxx, syy, dx, dy, self.n, self.p_method)
        p = p[~np.isnan(p)]
        if p.size:
            self.reachable = (min(self.reachable[0], float(p.min())), max(self.reachable[1], float(p.max())))

    def inside(self, p: float) -> bool:
        return not self.intervals or any(p in iv for iv in self.intervals)

    def distance(self, p: FloatArray) -> FloatArray:
        """0 inside the printed interval's hull, else the distance in log p (nan p: far)."""
        with np.errstate(divide="ignore"):
            lp = np.log(np.maximum(p, 1e-300))
        below = np.log(max(self.lo, 1e-300)) - lp
        above = lp - np.log(max(self.hi, 1e-300))
        d = np.maximum(np.maximum(below, above), 0.0)
        return np.where(np.isnan(p), np.inf, d)

    def search(
        self,
        rng: np.random.Generator,
        x: Sequence[IntArray],
        y: Sequence[IntArray],
        max_steps: int,
    ) -> tuple[list[IntArray], float, int] | None:
        """Permute each arm's y until the ANCOVA p prints as the target; (pairing, p, steps) or None."""
        xs = [a.astype(np.float64) for a in x]
        sxx = sum(float(((a - a.mean()) ** 2).sum()) for a in xs)
        syy = sum(float(((b - b.mean()) ** 2).sum()) for b in y)
        dx = float(xs[0].mean() - xs[1].mean())
        dy = float(y[0].mean() - y[1].mean())
        if sxx == 0:
            return None
        # Start from a moderately positive pairing: follow-up ranks follow baseline ranks plus noise.
        ys = []
        for a in range(2):
            key = np.argsort(np.argsort(xs[a] + rng.normal(0, xs[a].std() + 1.0, xs[a].size), kind="stable"))
            ys.append(np.sort(y[a])[key])
        pairs = [np.triu_indices(self.n[a], 1) for a in range(2)]
        centred = [xs[a] - xs[a].mean() for a in range(2)]
        c = float(sum((centred[a] * ys[a]).sum() for a in range(2)))
        for step in range(max_steps):
            p_now = float(_ancova_p(np.array([c]), sxx, syy, dx, dy, self.n, self.p_method)[0])
            if self.inside(p_now):
                return ys, p_now, step
            now = float(self.distance(np.array([p_now]))[0])
            # Every swap of two follow-up values within an arm: C changes by (cx_i - cx_j)(y_j - y_i).
            deltas = [
                (centred[a][ii] - centred[a][jj]) * (ys[a][jj] - ys[a][ii]).astype(np.float64)
                for a, (ii, jj) in enumerate(pairs)
            ]
            new_c = c + np.concatenate(deltas)
            p_new = _ancova_p(new_c, sxx, syy, dx, dy, self.n, self.p_method)
            dist = self.distance(p_new)
            hits = [int(k) for k in np.flatnonzero(dist == 0) if self.inside(float(p_new[k]))]
            if hits:
                k = int(rng.choice(hits))
            else:
                better = np.flatnonzero(dist < now)
                if not better.size:
                    self.note_reachable(xs, y, (sxx, syy, dx, dy))
                    return None
                # A random improving swap among the better half (keeps the pairing from looking sorted).
                order = better[np.argsort(dist[better], kind="stable")]
                k = int(rng.choice(order[: max(1, order.size // 2)]))
            arm = 0 if k < deltas[0].size else 1
            j = k if arm == 0 else k - deltas[0].size
            i1, i2 = int(pairs[arm][0][j]), int(pairs[arm][1][j])
            ys[arm][i1], ys[arm][i2] = ys[arm][i2], ys[arm][i1]
            c = float(new_c[k])
        return None


def _draw(rng: np.random.Generator, margin: _Margin) -> IntArray | None:
    """A SPRITE sample for one margin: from a normal start, else from a right-skewed (gamma) one.

    Scores of patients near remission (joint counts, enthesitis, CRP) pile up at the lower end with a
    long right tail; a normal start clipped at the range rarely walks to such a mean and SD.
    """
    values = _sprite(rng, margin, 50 * margin.n)
    if values is not None:
        return values

    def skewed(mean: float) -> IntArray:
        above = max(mean - margin.lo, 1e-9)
        shape = (above / max(margin.sd_units, 1e-9)) ** 2
        return np.asarray(np.rint(margin.lo + rng.gamma(shape, above / shape, margin.n)), dtype=np.int64)

    return _sprite(rng, margin, 50 * margin.n, start=skewed)


class _MeanSd:
    """A margin given by a printed mean and SD: drawn by SPRITE (:func:`_draw`)."""

    def __init__(self, margin: _Margin) -> None:
        self.margin = margin

    def draw(self, rng: np.random.Generator) -> IntArray | None:
        return _draw(rng, self.margin)

    def ok(self, values: IntArray) -> bool:
        return self.margin.ok(values)


class _Counts:
    """A margin of counts given by a printed total and number of patients with a count above zero."""

    def __init__(self, n: int, total: int, positives: int, upper: int) -> None:
        self.n, self.total, self.positives, self.upper = n, total, positives, upper

    def feasible(self) -> bool:
        return 0 <= self.positives <= self.n and self.positives <= self.total <= self.positives * self.upper

    def draw(self, rng: np.random.Generator) -> IntArray | None:
        """The positive patients at random, one count each, the rest spread over them with a right skew."""
        values = np.zeros(self.n, dtype=np.int64)
        if self.positives == 0:
            return values if self.total == 0 else None
        chosen = rng.choice(self.n, self.positives, replace=False)
        weights = rng.gamma(0.7, 1.0, self.positives)
        extra = rng.multinomial(self.total - self.positives, weights / weights.sum())
        counts = 1 + extra
        while counts.max() > self.upper:  # move the overflow to patients with room
            over = int(np.argmax(counts))
            room = np.flatnonzero(counts < self.upper)
            counts[over] -= 1
            counts[int(rng.choice(room))] += 1
        values[chosen] = counts
        return values

    def ok(self, values: IntArray) -> bool:
        v = np.asarray(values)
        return bool(
            v.sum() == self.total and (v > 0).sum() == self.positives and v.min() >= 0 and v.max() <= self.upper
        )


def _search_pairings(
    rng: np.random.Generator,
    arms: tuple[str, ...],
    sizes: tuple[int, int],
    margins: Mapping[tuple[str, float], _MeanSd | _Counts],
    base: float,
    follow: tuple[float, ...],
    week_search: Mapping[float, _Week],
    limits: tuple[int, float, int],
    report: Callable[[int, int, int], None],
    accept: Callable[[float, list[IntArray]], bool] | None = None,
) -> tuple[list[IntArray] | None, dict[float, tuple[list[IntArray], float]], int, int, int]:
    """Draw baselines, then each week's follow-up values and pairing (steps 2-4 of the module's design).

    ``limits`` is (max_restarts, max_seconds, progress_every). Returns the baselines (None if not found), the
    pairings found, the baselines drawn, the pairing steps taken and the fewest weeks left unmatched. Values that
    ``accept(week, values)`` rejects are drawn again.
    """
    max_restarts, max_seconds, progress_every = limits
    start = time.perf_counter()
    it, restarts, best_left = 0, 0, len(follow)
    while restarts < max_restarts and time.perf_counter() - start < max_seconds:
        restarts += 1
        if restarts % progress_every == 0:
            report(restarts, it, best_left)
        xs = [margins[(arm, base)].draw(rng) for arm in arms]
        if any(v is None for v in xs):
            continue
        x = [v for v in xs if v is not None]
        if accept is not None and not accept(base, x):
            continue
        done: dict[float, tuple[list[IntArray], float]] = {}
        for w in follow:
            for _ in range(8):
                ys = [margins[(arm, w)].draw(rng) for arm in arms]
                if any(v is None for v in ys) or (
                    accept is not None and not accept(w, [v for v in ys if v is not None])
                ):
                    continue
                got = week_search[w].search(rng, x, [v for v in ys if v is not None], 20 * (sizes[0] + sizes[1]))
                if got is not None:
                    it += got[2]
                    done[w] = (got[0], got[1])
                    break
            if w not in done:
                break
        best_left = min(best_left, len(follow) - len(done))
        if len(done) == len(follow):
            return x, done, restarts, it, 0
    return None, {}, restarts, it, best_left


def _not_found(
    limits: tuple[int, float, int], follow: tuple[float, ...], best_left: int, week_search: Mapping[float, _Week]
) -> str:
    unmatched = [
        f"week {w:g}: the margins drawn reached p in [{s.reachable[0]:.3g}, {s.reachable[1]:.3g}]"
        for w, s in week_search.items()
        if math.isfinite(s.reachable[0])
    ]
    return (
        f"not found within max_restarts={limits[0]} / max_seconds={limits[1]} (best: {best_left} of "
        f"{len(follow)} follow-up week(s) unmatched"
        + ("; " + "; ".join(unmatched) if unmatched else "")
        + "); this is not a proof that no sample exists"
    )


def reconstruct_two_arm(
    *,
    n: Mapping[str, int],
    grid: object,
    lower: object,
    upper: object,
    means: Mapping[str, Mapping[float, str]],
    sds: Mapping[str, Mapping[float, str]],
    p: Mapping[float, str | None],
    baseline_week: float = 0,
    p_method: str = "t",
    rounding: str | Sequence[str] = "nearest",
    p_rounding: str | Sequence[str] = "nearest",
    seed: int | np.random.Generator = 0,
    max_restarts: int = 200,
    max_seconds: float = 30.0,
    progress: bool | Callable[[SearchProgress], None] = False,
    progress_every: int = 10,
    accept: Callable[[float, tuple[float, ...], tuple[float, ...]], bool] | None = None,
) -> TwoArmReconstruction:
    """Find two arms' values on a grid that reproduce printed means, SDs and between-arm ANCOVA p-values.

    Parameters
    ----------
    n : mapping of str to int
        The two arms and their numbers of patients (at least 3 each), e.g. ``{"etanercept": 40, ...}``.
    grid : number or str
        Granularity of one value, in the unit of the figures (1 for a count, 0.1 for a score in tenths).
    lower, upper : number or str
        Range of one value.
    means, sds : mapping arm -> week -> str
        The printed mean and sample SD (divisor n - 1) of each arm at the baseline week and each follow-up
        week; every arm must give the same weeks.
    p : mapping week -> str
        For each follow-up week, the printed two-sided p-value of the arm effect in the ANCOVA of the
        change from baseline (or of the follow-up value: the arm effect is the same) with the baseline
        value as covariate, over every patient of both arms. "<0.001" is read as [0, 0.001). None: no
        p-value to match at that week (the margins only).
    baseline_week : float, default 0
        The week of the baseline values.
    p_method : {"t", "normal"}, default "t"
        t on n1 + n2 - 3 degrees of freedom (R's ``lm``), or the normal distribution.
    rounding, p_rounding : str or sequence of str, default "nearest"
        How the true means and SDs (and p-values) became the printed ones (see :func:`axspa.forensics.grim`).
    seed : int or numpy.random.Generator, default 0
        The search is deterministic for a seed as long as ``max_restarts``, not ``max_seconds``, ends it.
    max_restarts : int, default 200
        Baselines drawn before giving up.
    max_seconds : float, default 30
        Wall-clock limit.
    progress : bool or callable, default False
        True prints a line to stderr every ``progress_every`` restarts; a callable receives a
        :class:`axspa.forensics.SearchProgress` (``best_score``: the follow-up weeks not yet matched).
    progress_every : int, default 10
        Restarts between progress reports.
    accept : callable, optional
        A further condition on the two arms' values drawn at one week, ``accept(week, arm1, arm2) -> bool`` (in
        the unit of the figures, before pairing), e.g. a printed baseline p-value or a number of patients below a
        threshold; values it rejects are drawn again.

    Returns
    -------
    TwoArmReconstruction
        ``found`` True with the values, or False with the ``reason`` (a result, not an exception).

    Raises
    ------
    InputError
        If an argument is malformed (two arms needed, weeks differing between arms, figures not strings,
        a follow-up week without a p-value, grid not positive, range without a grid value).

    Notes
    -----
    A returned sample satisfies, exactly: every value is ``grid * k`` with integer k in [lower, upper]; each
    arm's mean and SD at each week print as their targets; each week's ANCOVA p-value prints as its target.
    With ``found`` False, the data are impossible on the grid when ``reason`` starts with "impossible" (a
    margin fails GRIMMER). It starts with "no solution under this convention" when a printed p-value lies
    outside every ANCOVA p-value that data with the printed margins can give: the pooled within-arm
    cross-product is bounded by Cauchy-Schwarz, and the envelope is scanned at each corner of the box of the
    margins' rounding intervals (a scan, not a symbolic proof). Otherwise the search gave up within its
    limits.

    Examples
    --------
    Two arms of six 0-10 scores in whole numbers; the printed figures are those of a hand-made data set
    (the tests give it):

    >>> r = reconstruct_two_arm(n={"A": 6, "B": 6}, grid=1, lower=0, upper=10,
    ...     means={"A": {0: "5.5", 12: "2.5"}, "B": {0: "5.5", 12: "4.5"}},
    ...     sds={"A": {0: "1.87", 12: "1.87"}, "B": {0: "1.87", 12: "1.87"}}, p={12: "<0.001"}, seed=1)
    >>> r.found, r.pvalues[12] < 0.001
    (True, True)
    """
    arms, sizes = _two_arms(n)
    g = to_fraction(grid, argument="grid", positive=True)
    lo_f, hi_f = _resolve_range(lower, "lower"), _resolve_range(upper, "upper")
    lo, hi = math.ceil(lo_f / g), math.floor(hi_f / g)
    if lo > hi:
        raise InputError(f"the range [lower, upper] must hold a grid value; got [{lower}, {upper}] with grid {grid}")
    if p_method not in ANCOVA_P_METHODS:
        raise InputError(f"p_method must be one of {', '.join(ANCOVA_P_METHODS)}; got {p_method!r}")
    conventions = resolve_rounding(rounding)
    p_conventions = resolve_rounding(p_rounding, argument="p_rounding")
    for arm in arms:
        if arm not in means or arm not in sds:
            raise InputError(f"means and sds must give figures for arm {arm!r}")
    weeks = tuple(sorted(float(w) for w in means[arms[0]]))
    base = float(baseline_week)
    for arm in arms:
        for name, table in (("means", means[arm]), ("sds", sds[arm])):
            if tuple(sorted(float(w) for w in table)) != weeks:
                raise InputError(f"{name}[{arm!r}] must give the weeks {list(weeks)}; got {sorted(table)}")
    if base not in weeks:
        raise InputError(f"the baseline week {baseline_week} must be among the weeks given; got {list(weeks)}")
    follow = tuple(w for w in weeks if w != base)
    limits = (
        _positive_int(max_restarts, "max_restarts"),
        _seconds(max_seconds),
        _positive_int(progress_every, "progress_every"),
    )
    rng = _rng(seed)

    def wk(w: float) -> str:
        return f"{w:g}"

    reps = {
        (arm, w, stat): parse_reported(
            table[next(k for k in table if float(k) == w)],
            argument=f"{stat}s[{arm!r}][{wk(w)}]",
            nonnegative=stat == "sd",
        )
        for arm in arms
        for w in weeks
        for stat, table in (("mean", means[arm]), ("sd", sds[arm]))
    }
    targets = {f"{arm}.{wk(w)}.{stat}": r.text for (arm, w, stat), r in reps.items()}
    week_search = _week_searches(p, follow, p_conventions, sizes, p_method, targets)
    outcome = _Outcomes(arms, sizes, (base, *follow), p_method, g, targets)

    # 1. Feasibility of every margin.
    margins: dict[tuple[str, float], _Margin] = {}
    for a, arm in enumerate(arms):
        for w in weeks:
            mean, sd = reps[(arm, w, "mean")], reps[(arm, w, "sd")]
            check = grimmer(
                mean=mean.text, sd=sd.text, n=sizes[a], grid=g, lower=lo_f, upper=hi_f, rounding=conventions
            )
            if not check.consistent:
                return outcome(
                    False,
                    f"impossible: arm {arm!r} at week {wk(w)}: mean {mean.text} and SD {sd.text} of {sizes[a]} "
                    f"values fail GRIMMER on grid {g} ({check.reason})",
                    0,
                    0,
                )
            margins[(arm, w)] = _Margin.make(sizes[a], g, lo, hi, mean, sd, conventions)

    # The envelope: p-values out of reach of any data with these margins under this convention.
    out_of_reach: dict[float, tuple[float, float]] = {}
    for w in follow:
        if not week_search[w].intervals:
            continue
        boxes = []
        for arm in arms:
            for ww, stat in ((base, "mean"), (base, "sd"), (w, "mean"), (w, "sd")):
                rounded = [reps[(arm, ww, stat)].interval(c) for c in conventions]
                boxes.append((float(min(iv.lo for iv in rounded)), float(max(iv.hi for iv in rounded))))
        p_lo, p_hi = _envelope(boxes, sizes, p_method)
        if week_search[w].hi < p_lo or week_search[w].lo > p_hi:
            out_of_reach[w] = (p_lo, p_hi)
    if out_of_reach:
        weeks_text = "; ".join(
            f"at week {wk(w)} the printed p {targets[f'{wk(w)}.p']} lies outside [{lo_p:.3g}, {hi_p:.3g}]"
            for w, (lo_p, hi_p) in out_of_reach.items()
        )
        return outcome(
            False,
            f"no solution under this convention: {weeks_text}, the ANCOVA p-values ({p_method}, {sizes[0]} + "
            f"{sizes[1]} patients) that any pairing of data with the printed margins can give (Cauchy-Schwarz "
            "envelope)",
            0,
            0,
            out_of_reach=out_of_reach,
        )

    def report(restarts: int, it: int, left: int) -> None:
        _report(progress, "reconstruct_two_arm", restarts, it, left, outcome.start)

    wrapped = {key: _MeanSd(m) for key, m in margins.items()}
    x, done, restarts, it, best_left = _search_pairings(
        rng, arms, sizes, wrapped, base, follow, week_search, limits, report, _in_units(accept, g)
    )
    if x is not None:
        return _finish(arms, x, done, base, follow, g, wrapped, week_search, outcome, restarts, it)
    return outcome(False, _not_found(limits, follow, best_left, week_search), restarts, it)


def reconstruct_two_arm_counts(
    *,
    n: Mapping[str, int],
    upper: int,
    totals: Mapping[str, Mapping[float, int]],
    positives: Mapping[str, Mapping[float, int]],
    p: Mapping[float, str | None],
    baseline_week: float = 0,
    p_method: str = "t",
    p_rounding: str | Sequence[str] = "nearest",
    seed: int | np.random.Generator = 0,
    max_restarts: int = 200,
    max_seconds: float = 30.0,
    progress: bool | Callable[[SearchProgress], None] = False,
    progress_every: int = 10,
    accept: Callable[[float, tuple[float, ...], tuple[float, ...]], bool] | None = None,
) -> TwoArmReconstruction:
    """Find two arms' counts per patient that give printed totals, numbers of patients counted and ANCOVA p-values.

    For figures printed as "26 sites (in 15 patients)": per arm and week the total count over the arm's patients
    and the number of patients with a count above zero; per follow-up week the between-arm ANCOVA p-value of the
    change in the count, baseline count as covariate (as :func:`reconstruct_two_arm`).

    Parameters
    ----------
    n : mapping of str to int
        The two arms and their numbers of patients (at least 3 each).
    upper : int
        The largest count one patient may have (at least 1).
    totals, positives : mapping arm -> week -> int
        The total count and the number of patients with a count above zero, at the baseline week and each
        follow-up week (the same weeks in every arm).
    p : mapping week -> str or None
        For each follow-up week, the printed p-value (None: no p-value to match).
    baseline_week, p_method, p_rounding, seed, max_restarts, max_seconds, progress, progress_every, accept
        As in :func:`reconstruct_two_arm`.

    Returns
    -------
    TwoArmReconstruction
        ``grid`` 1. ``found`` False with a ``reason`` starting "impossible" when a total cannot be spread over
        its patients (more patients counted than the arm holds, a total below the number of patients counted
        or above ``upper`` times it); otherwise starting "not found" when the search gave up.

    Raises
    ------
    InputError
        If an argument is malformed (two arms needed, weeks differing, counts not whole numbers).

    Examples
    --------
    >>> r = reconstruct_two_arm_counts(n={"A": 10, "B": 10}, upper=5,
    ...     totals={"A": {0: 12, 24: 3}, "B": {0: 11, 24: 10}},
    ...     positives={"A": {0: 6, 24: 3}, "B": {0: 6, 24: 6}}, p={24: None}, seed=1)
    >>> r.found, sum(r.values["A"][24.0]), sum(v > 0 for v in r.values["B"][0.0])
    (True, 3.0, 6)
    """
    arms, sizes = _two_arms(n)
    top = check_n(upper, argument="upper", minimum=1)
    if p_method not in ANCOVA_P_METHODS:
        raise InputError(f"p_method must be one of {', '.join(ANCOVA_P_METHODS)}; got {p_method!r}")
    p_conventions = resolve_rounding(p_rounding, argument="p_rounding")
    base = float(baseline_week)
    weeks = tuple(sorted(float(w) for w in totals[arms[0]])) if arms[0] in totals else ()
    margins: dict[tuple[str, float], _MeanSd | _Counts] = {}
    targets: dict[str, str] = {}
    for a, arm in enumerate(arms):
        for name, table in (("totals", totals), ("positives", positives)):
            if arm not in table or tuple(sorted(float(w) for w in table[arm])) != weeks:
                raise InputError(f"{name} must give arm {arm!r} the weeks {list(weeks)}")
        for w in weeks:
            total = check_n(_at(totals[arm], w), argument=f"totals[{arm!r}][{w:g}]", minimum=0)
            counted = check_n(_at(positives[arm], w), argument=f"positives[{arm!r}][{w:g}]", minimum=0)
            margins[(arm, w)] = _Counts(sizes[a], total, counted, top)
            targets[f"{arm}.{w:g}.total"], targets[f"{arm}.{w:g}.positives"] = str(total), str(counted)
    if base not in weeks:
        raise InputError(f"the baseline week {baseline_week} must be among the weeks given; got {list(weeks)}")
    follow = tuple(w for w in weeks if w != base)
    week_search = _week_searches(p, follow, p_conventions, sizes, p_method, targets)
    rng = _rng(seed)
    outcome = _Outcomes(arms, sizes, (base, *follow), p_method, Fraction(1), targets)

    for (arm, w), m in margins.items():
        if isinstance(m, _Counts) and not m.feasible():
            return outcome(
                False,
                f"impossible: arm {arm!r} at week {w:g}: a total of {m.total} over {m.positives} of {m.n} patients "
                f"with 1 to {m.upper} each",
                0,
                0,
            )

    def report(restarts: int, it: int, left: int) -> None:
        _report(progress, "reconstruct_two_arm_counts", restarts, it, left, outcome.start)

    limits = (
        _positive_int(max_restarts, "max_restarts"),
        _seconds(max_seconds),
        _positive_int(progress_every, "progress_every"),
    )
    x, done, restarts, it, best_left = _search_pairings(
        rng, arms, sizes, margins, base, follow, week_search, limits, report, _in_units(accept, Fraction(1))
    )
    if x is not None:
        return _finish(arms, x, done, base, follow, Fraction(1), margins, week_search, outcome, restarts, it)
    return outcome(False, _not_found(limits, follow, best_left, week_search), restarts, it)


def _in_units(
    accept: Callable[[float, tuple[float, ...], tuple[float, ...]], bool] | None, g: Fraction
) -> Callable[[float, list[IntArray]], bool] | None:
    """``accept`` on values in the unit of the figures, as a condition on values in grid units."""
    if accept is None:
        return None
    decimals = _decimals_of(g)

    def ok(week: float, x: list[IntArray]) -> bool:
        a, b = (tuple(round(float(k * g), decimals) for k in v.tolist()) for v in x)
        return bool(accept(week, a, b))

    return ok


def _at(table: Mapping[float, int], week: float) -> int:
    return next(v for k, v in table.items() if float(k) == week)


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{name} must be a positive integer; got {value!r}")
    return value


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise InputError(f"max_seconds must be a positive number; got {value!r}")
    return float(value)


def _rng(seed: object) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InputError(f"seed must be an integer or a numpy.random.Generator; got {seed!r}")
    return np.random.default_rng(seed)


def _two_arms(n: Mapping[str, int]) -> tuple[tuple[str, str], tuple[int, int]]:
    arms = tuple(n)
    if len(arms) != 2:
        raise InputError(f"n must name exactly two arms; got {list(arms)!r}")
    sizes = (
        check_n(n[arms[0]], argument=f"n[{arms[0]!r}]", minimum=3),
        check_n(n[arms[1]], argument=f"n[{arms[1]!r}]", minimum=3),
    )
    return (arms[0], arms[1]), sizes


def _week_searches(
    p: Mapping[float, str | None],
    follow: tuple[float, ...],
    p_conventions: Sequence[str],
    sizes: tuple[int, int],
    p_method: str,
    targets: dict[str, str],
) -> dict[float, _Week]:
    """The pairing search of each follow-up week (its printed p-value's intervals); adds the p-values to targets."""
    p_by_week = {float(w): v for w, v in p.items()}
    if sorted(p_by_week) != list(follow):
        raise InputError(f"p must give one p-value for each follow-up week {list(follow)}; got {sorted(p_by_week)}")
    searches = {}
    for w in follow:
        text = p_by_week[w]
        searches[w] = _Week(() if text is None else _p_intervals(text, p_conventions, f"p[{w:g}]"), sizes, p_method)
        if text is not None:
            targets[f"{w:g}.p"] = text.strip()
    return searches


class _Outcomes:
    """Builds the result of a search started when this object was made."""

    def __init__(
        self,
        arms: tuple[str, str],
        sizes: tuple[int, int],
        weeks: tuple[float, ...],
        p_method: str,
        grid: Fraction,
        targets: dict[str, str],
    ) -> None:
        self.arms, self.sizes, self.weeks, self.p_method, self.grid = arms, sizes, weeks, p_method, grid
        self.targets = targets
        self.start = time.perf_counter()

    def __call__(self, found: bool, reason: str, restarts: int, it: int, **kw: Any) -> TwoArmReconstruction:
        return TwoArmReconstruction(
            found=found,
            reason=reason,
            values=kw.get("values", {}),
            pvalues=kw.get("pvalues", {}),
            out_of_reach=kw.get("out_of_reach", {}),
            restarts=restarts,
            iterations=it,
            seconds=time.perf_counter() - self.start,
            arms=self.arms,
            n=self.sizes,
            weeks=self.weeks,
            p_method=self.p_method,
            grid=self.grid,
            targets=self.targets,
        )


def _report(
    progress: bool | Callable[[SearchProgress], None], name: str, restarts: int, it: int, left: int, start: float
) -> None:
    info = SearchProgress(iteration=it, restarts=restarts, best_score=float(left), seconds=time.perf_counter() - start)
    if callable(progress):
        progress(info)
    elif progress:
        print(
            f"{name}: {restarts} baselines drawn, {it} pairing steps, best: {left} week(s) unmatched, "
            f"{info.seconds:.1f} s",
            file=sys.stderr,
        )


def _finish(
    arms: tuple[str, ...],
    x: list[IntArray],
    done: dict[float, tuple[list[IntArray], float]],
    base: float,
    follow: tuple[float, ...],
    g: Fraction,
    margins: Mapping[tuple[str, float], _MeanSd | _Counts],
    week_search: Mapping[float, _Week],
    outcome: Callable[..., TwoArmReconstruction],
    restarts: int,
    it: int,
) -> TwoArmReconstruction:
    """Re-check a found sample from scratch (in the unit of the figures) and package it."""
    decimals = _decimals_of(g)
    values: dict[str, dict[float, tuple[float, ...]]] = {}
    for a, arm in enumerate(arms):
        units = {base: x[a]} | {w: done[w][0][a] for w in follow}
        for w, v in units.items():
            if not margins[(arm, w)].ok(np.asarray(v, dtype=np.int64)):
                raise ComputationError(f"internal error: arm {arm} week {w:g} does not reproduce its margin")
        values[arm] = {w: tuple(round(float(k * g), decimals) for k in units[w].tolist()) for w in (base, *follow)}
    pvalues = {}
    for w in follow:
        pw = ancova_pvalue_of_pairing(
            [values[arm][base] for arm in arms], [values[arm][w] for arm in arms], p_method=week_search[w].p_method
        )
        if not week_search[w].inside(pw):
            raise ComputationError(f"internal error: week {w:g}: p = {pw} does not print as the target")
        pvalues[w] = pw
    return outcome(True, "", restarts, it, values=values, pvalues=pvalues)
