"""Reconstruction of paired samples from published summaries (SPRITE extended to paired data).

Given n pairs, a value grid and range, the printed means and SDs at baseline and follow-up and a
printed Wilcoxon signed-rank p-value under a named convention, :func:`reconstruct_paired` searches
for pairs (baseline_i, followup_i) on the grid that reproduce every figure at its printed precision.

Design
------
1. Feasibility first: GRIM/GRIMMER on both margins; for n <= 10 the p-lattice with every tie
   pattern says whether any sample of n pairs can give the p-value under the convention; for larger
   n and the exact test, whether any dyadic value c / 2^m can print as it.
2. Candidate (n non-zero, R+) pairs come from the p-lattice and steer the search.
3. Each margin is drawn as in SPRITE [1]_: a random sample with a sum that
   reproduces the mean, then moves (+d on one value, -d on another) that keep the sum and walk the
   SD into its interval.
4. The pairing is then searched: permuting the follow-up values over the baseline values changes
   the differences but not the margins; small moves inside each margin that keep its mean and SD
   (at the printed precision) add finer changes. Every candidate is scored by its p-value under the
   named convention, computed exactly for method "exact" (exact conditional distribution, ties
   allowed), and accepted only if it prints as the reported p-value.
5. New margins are drawn when the pairing search stalls, until ``max_iter`` or ``max_seconds``.

All arithmetic on the data is in integer grid units, so means and SDs are checked exactly.

References
----------
.. [1] Heathers JAJ, Anaya J, van der Zee T, Brown NJL. Recovering data from summary statistics:
   Sample Parameter Reconstruction via Iterative TEchniques (SPRITE). PeerJ Preprints
   2018;6:e26968v1.
.. [2] Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous anomalies in
   the reporting of results in psychology. Soc Psychol Personal Sci 2017;8:363-9.
.. [3] Anaya J. The GRIMMER test: a method for testing the validity of reported measures of
   variability. PeerJ Preprints 2016;4:e2400v1.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from axspa.errors import ComputationError, InputError
from axspa.forensics.granularity import grimmer
from axspa.forensics.plattice import MAX_TIES_N, PLatticeMatch, SignedRankConvention, p_lattice
from axspa.printed import (
    Interval,
    ReportedNumber,
    check_n,
    parse_reported,
    resolve_rounding,
    to_fraction,
)
from axspa.results import Result

__all__ = ["PairedReconstruction", "SearchProgress", "reconstruct_paired"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class SearchProgress(Result):
    """A progress report of a running search (passed to a progress callback).

    Attributes
    ----------
    iteration : int
        Iterations so far (all restarts together).
    restarts : int
        Margins drawn so far.
    best_score : float
        Best score so far (0 means every figure matches).
    seconds : float
        Time spent so far.
    """

    iteration: int
    restarts: int
    best_score: float
    seconds: float


@dataclass(frozen=True, repr=False, slots=True)
class PairedReconstruction(Result):
    """The outcome of :func:`reconstruct_paired`.

    Attributes
    ----------
    n : int
        Number of pairs asked for.
    found : bool
        True if the pairs reproduce every figure.
    reason : str
        Why nothing was found ("" when found).
    baseline, followup : tuple of float
        The pairs (empty when not found); follow-up minus baseline is the difference tested.
    r_plus : float or None
        R+ of the differences (sum of the ranks of positive differences, mid-ranks for ties).
    pvalue : float or None
        Their p-value under ``convention``.
    n_nonzero : int or None
        Number of non-zero differences.
    ties : bool or None
        Whether the non-zero absolute differences have ties.
    convention : SignedRankConvention
        The test convention the p-value was matched under.
    grid : Fraction
        The value grid used.
    targets : dict
        The printed figures matched (strings).
    candidates : tuple of PLatticeMatch
        The (n non-zero, R+) configurations of the p-lattice under the convention (with every tie
        pattern for n <= 10, untied only above).
    iterations, restarts : int
        Search effort.
    seconds : float
        Time taken.
    """

    n: int
    found: bool
    reason: str
    baseline: tuple[float, ...]
    followup: tuple[float, ...]
    r_plus: float | None
    pvalue: float | None
    n_nonzero: int | None
    ties: bool | None
    convention: SignedRankConvention
    grid: Fraction
    targets: dict[str, str] = field(default_factory=dict)
    candidates: tuple[PLatticeMatch, ...] = ()
    iterations: int = 0
    restarts: int = 0
    seconds: float = 0.0

    def to_frame(self) -> pd.DataFrame:
        """One row per pair: baseline, follow-up and their difference (empty when not found)."""
        frame = pd.DataFrame({"baseline": list(self.baseline), "followup": list(self.followup)})
        decimals = _decimals_of(self.grid)
        frame["difference"] = (frame["followup"] - frame["baseline"]).round(decimals)
        frame.index = pd.RangeIndex(1, len(frame) + 1, name="pair")
        return frame

    def __repr__(self) -> str:
        head = f"PairedReconstruction(n={self.n}, grid={self.grid}, {self.convention.describe()}: "
        if not self.found:
            return head + f"NOT FOUND - {self.reason}; {self.iterations} iterations, {self.seconds:.2f} s)"
        return (
            head
            + f"found; R+={self.r_plus:g} with {self.n_nonzero} non-zero"
            + (" (tied)" if self.ties else "")
            + f", p={self.pvalue:.6g}; baseline={list(self.baseline)}, followup={list(self.followup)})"
        )


def _decimals_of(grid: Fraction) -> int:
    """Decimals needed to print multiples of ``grid`` exactly (capped at 12 for non-decimal grids)."""
    for d in range(13):
        if (grid * 10**d).denominator == 1:
            return d
    return 12


@dataclass
class _Margin:
    """The constraints of one margin in grid units: admissible sums and V = n Q - K^2 ranges."""

    n: int
    lo: int
    hi: int
    sums: tuple[int, ...]
    v_ranges: tuple[tuple[int, int], ...]
    sd_units: float

    @classmethod
    def make(
        cls,
        n: int,
        grid: Fraction,
        lo: int,
        hi: int,
        mean: ReportedNumber,
        sd: ReportedNumber,
        conventions: Sequence[str],
    ) -> _Margin:
        sums: set[int] = set()
        ranges: list[tuple[int, int]] = []
        for c in conventions:
            r = mean.interval(c).scaled(n / grid).integers()
            if r is not None:
                sums.update(k for k in range(r[0], r[1] + 1) if n * lo <= k <= n * hi)
            v = sd.interval(c).squared().scaled(n * (n - 1) / grid**2).integers()
            if v is not None:
                ranges.append(v)
        return cls(
            n=n,
            lo=lo,
            hi=hi,
            sums=tuple(sorted(sums)),
            v_ranges=tuple(sorted(set(ranges))),
            sd_units=float(sd.value / grid),
        )

    def v_ok(self, v: int) -> bool:
        return any(a <= v <= b for a, b in self.v_ranges)

    def ok(self, values: IntArray) -> bool:
        k = int(values.sum())
        return k in self.sums and self.v_ok(self.n * int((values * values).sum()) - k * k)

    def v_target(self, v: int) -> float:
        """Middle of the admissible V range nearest to ``v``."""
        best = min(self.v_ranges, key=lambda ab: 0 if ab[0] <= v <= ab[1] else min(abs(v - ab[0]), abs(v - ab[1])))
        return (best[0] + best[1]) / 2.0


def _sprite(
    rng: np.random.Generator, margin: _Margin, max_steps: int, start: Callable[[float], IntArray] | None = None
) -> IntArray | None:
    """Draw one sample of n grid values whose mean and SD print as the targets, or None.

    ``start(mean)`` gives the first draw (in grid units) for the target mean; by default a normal draw
    with the target SD. Either way the draw is clipped to the range, then walked to the targets.
    """
    n, lo, hi = margin.n, margin.lo, margin.hi
    k_sum = int(rng.choice(margin.sums))
    first = start(k_sum / n) if start is not None else np.rint(rng.normal(k_sum / n, margin.sd_units, n))
    values = np.clip(first, lo, hi).astype(np.int64)
    # Fix the sum, moving random values toward it.
    for _ in range(100 * n):
        diff = k_sum - int(values.sum())
        if diff == 0:
            break
        movable = np.flatnonzero(values < hi) if diff > 0 else np.flatnonzero(values > lo)
        i = int(rng.choice(movable))
        room = hi - values[i] if diff > 0 else values[i] - lo
        step = int(min(abs(diff), room, max(1, rng.integers(1, abs(diff) + 1))))
        values[i] += step if diff > 0 else -step
    if int(values.sum()) != k_sum:
        return None
    ii, jj = np.nonzero(~np.eye(n, dtype=bool))
    for _ in range(max_steps):
        q = int((values * values).sum())
        v = n * q - k_sum * k_sum
        if margin.v_ok(v):
            return values
        # Moves values[i] += d, values[j] -= d; Q changes by 2 d (v_i - v_j) + 2 d^2.
        dq = (margin.v_target(v) - v) / n
        g = (values[ii] - values[jj]).astype(np.float64)
        disc = g * g + 2.0 * dq
        root = np.where(disc >= 0, (-g + np.sqrt(np.maximum(disc, 0.0))) / 2.0, -g / 2.0)
        d = np.concatenate([np.floor(root), np.ceil(root)]).astype(np.int64)
        i2, j2 = np.concatenate([ii, ii]), np.concatenate([jj, jj])
        vi, vj = values[i2] + d, values[j2] - d
        keep = (d != 0) & (vi >= lo) & (vi <= hi) & (vj >= lo) & (vj <= hi)
        if not keep.any():
            return None
        d, i2, j2 = d[keep], i2[keep], j2[keep]
        gg = values[i2] - values[j2]
        new_v = v + n * (2 * d * gg + 2 * d * d)
        inside = np.array([margin.v_ok(int(x)) for x in new_v])
        if inside.any():
            pick = int(rng.choice(np.flatnonzero(inside)))
        else:
            dist = np.abs(new_v - margin.v_target(v))
            best = np.argsort(dist, kind="stable")[: min(3, len(dist))]
            pick = int(rng.choice(best))
        values[i2[pick]] += d[pick]
        values[j2[pick]] -= d[pick]
    return None


class _Scorer:
    """Scores pairings: 0 if the p-value prints as the target, otherwise a distance (cached).

    The distance is 1 + |log p - log target| + how far R+ is from the nearest untied candidate of
    the p-lattice with the same number of non-zero differences (a gentle steer toward them).
    """

    def __init__(
        self,
        convention: SignedRankConvention,
        intervals: Sequence[Interval],
        target: float,
        candidates: Sequence[PLatticeMatch],
    ) -> None:
        self.convention = convention
        self.intervals = tuple(intervals)
        self.log_target = math.log(max(target, 1e-300))
        self.by_m: dict[int, list[float]] = {}
        for c in candidates:
            self.by_m.setdefault(c.n_nonzero, []).append(c.r_plus)
        self.cache: dict[bytes, float] = {}

    def _score(self, r_plus: float, p: float, m: int) -> float:
        if not math.isfinite(p):  # every difference zero: no test
            return 1e9
        if any(p in iv for iv in self.intervals):
            return 0.0
        s = 1.0 + abs(math.log(max(p, 1e-300)) - self.log_target)
        if self.by_m:
            if m in self.by_m:
                s += min(abs(r_plus - r) for r in self.by_m[m]) / (m * (m + 1) / 2)
            else:
                s += min(abs(m - k) for k in self.by_m)
        return s

    def scores(self, rows: IntArray) -> npt.NDArray[np.float64]:
        """Scores of the differences in each row of ``rows``."""
        keys = [r.tobytes() for r in np.sort(rows, axis=1)]
        todo = [i for i, k in enumerate(keys) if k not in self.cache]
        if todo:
            uniq = list(dict.fromkeys(keys[i] for i in todo))
            first = [keys.index(k) for k in uniq]
            res = self.convention.test_rows(rows[first])
            n_nonzero = rows.shape[1] - res.n_zero
            for j, k in enumerate(uniq):
                self.cache[k] = self._score(float(res.statistic[j]), float(res.pvalue[j]), int(n_nonzero[j]))
        return np.array([self.cache[k] for k in keys])


_PROPOSALS = 16  # candidate moves scored together in one batched signed-rank call


def _propose(
    rng: np.random.Generator,
    x: IntArray,
    y: IntArray,
    margins: dict[str, _Margin],
    lo: int,
    hi: int,
    ii: IntArray,
    jj: IntArray,
    baseline_fixed: bool,
) -> tuple[IntArray, IntArray] | None:
    """One random move: swap two follow-up values (re-pairing), or move a step between two values
    of one margin (never the baseline when it is held fixed) if its mean and SD still print as the
    targets. None if the move is not allowed."""
    k = int(rng.integers(len(ii)))
    move = rng.random()
    if move < 0.6:
        ny = y.copy()
        ny[ii[k]], ny[jj[k]] = y[jj[k]], y[ii[k]]
        return x, ny
    side, vals = ("baseline", x) if move < 0.8 and not baseline_fixed else ("followup", y)
    i, j = (ii[k], jj[k]) if rng.random() < 0.5 else (jj[k], ii[k])
    step = int(rng.integers(1, 4))
    moved = vals.copy()
    moved[i] += step
    moved[j] -= step
    if moved[i] > hi or moved[j] < lo or not margins[side].ok(moved):
        return None
    return (moved, y) if side == "baseline" else (x, moved)


def _resolve_range(value: object, argument: str) -> Fraction:
    if value is None:
        raise InputError(f"{argument} is required: the range of one value (e.g. 0 and 10); got None")
    return to_fraction(value, argument=argument)


def reconstruct_paired(
    *,
    n: int,
    grid: object,
    lower: object,
    upper: object,
    baseline_mean: str,
    baseline_sd: str,
    followup_mean: str,
    followup_sd: str,
    p: str,
    convention: SignedRankConvention | None = None,
    rounding: str | Sequence[str] = "nearest",
    p_rounding: str | Sequence[str] = "nearest",
    seed: int | np.random.Generator = 0,
    max_iter: int = 20_000,
    max_seconds: float = 30.0,
    progress: bool | Callable[[SearchProgress], None] = False,
    progress_every: int = 1_000,
    fixed_baseline: Sequence[float] | None = None,
    accept: Callable[[tuple[float, ...], tuple[float, ...]], bool] | None = None,
) -> PairedReconstruction:
    """Find paired samples on a grid that reproduce printed means, SDs and a signed-rank p-value.

    Parameters
    ----------
    n : int
        Number of pairs (at least 2).
    grid : number or str
        Granularity of one value, in the unit of the figures (0.01 for a BASDAI from items in
        tenths, 1 for ESR in mm/h). See :func:`axspa.forensics.effective_grid` and
        :func:`axspa.forensics.coarsest_consistent_grid`.
    lower, upper : number or str
        Range of one value (e.g. 0 and 10).
    baseline_mean, baseline_sd, followup_mean, followup_sd : str
        The printed figures (sample SD, divisor n - 1).
    p : str
        The printed p-value of the signed-rank test of follow-up minus baseline.
    convention : SignedRankConvention, optional
        How the p-value was computed; default exact, two-sided, zeros dropped (Wilcox).
    rounding : str or sequence of str, default "nearest"
        How the true means and SDs became the printed ones (see :func:`axspa.forensics.grim`).
    p_rounding : str or sequence of str, default "nearest"
        The same for the p-value ("any" also accepts a truncated p).
    seed : int or numpy.random.Generator, default 0
        The search is deterministic for a given seed as long as ``max_iter``, not ``max_seconds``,
        ends it.
    max_iter : int, default 20000
        Iterations before giving up (over all restarts; each iteration scores 16 candidate moves
        in one batched signed-rank call).
    max_seconds : float, default 30
        Wall-clock limit.
    progress : bool or callable, default False
        True prints a line to stderr every ``progress_every`` iterations; a callable receives a
        :class:`SearchProgress` instead.
    progress_every : int, default 1000
        Iterations between progress reports.
    fixed_baseline : sequence of float, optional
        Baseline values to keep as they are (in this order), for instance a subgroup's values
        already reconstructed; they must lie on the grid and print as the baseline figures. Only
        the follow-up values and the pairing are searched, and the result keeps this order.
    accept : callable, optional
        A further condition on a candidate, ``accept(baseline, followup) -> bool`` (values in
        the unit of the figures), e.g. a response pattern the pairs must allow. A sample is
        returned only if it holds.

    Returns
    -------
    PairedReconstruction
        ``found`` is True and the pairs reproduce every figure, or False with the ``reason``.

    Raises
    ------
    InputError
        If an argument is malformed (figures not strings, n < 2, grid not positive, range empty).
    ComputationError
        If a sample the search accepted fails the final exact re-check (a bug, never expected).

    Notes
    -----
    A returned sample satisfies, exactly: every value is ``grid * k`` with integer k in
    [lower, upper]; each mean and sample SD prints as its target under ``rounding``; the p-value
    of follow-up minus baseline under ``convention`` prints as ``p`` under ``p_rounding``. A
    result with ``found`` False does not prove that no sample exists unless ``reason`` says it is
    impossible (GRIM/GRIMMER failure; for n <= 10 no tie pattern gives the p-value; an exact
    p-value that no c / 2^m can print); otherwise it only says the search did not find one within
    its limits (the margins and the p-value may still not be reachable together).

    References
    ----------
    .. [1] Heathers JAJ, Anaya J, van der Zee T, Brown NJL. Recovering data from summary
       statistics: Sample Parameter Reconstruction via Iterative TEchniques (SPRITE). PeerJ
       Preprints 2018;6:e26968v1.

    Examples
    --------
    Eight pairs of 0-10 scores in tenths; "p = 0.0078" (exact, two-sided) needs all eight
    differences in one direction:

    >>> r = reconstruct_paired(n=8, grid="0.1", lower=0, upper=10, baseline_mean="5.2",
    ...     baseline_sd="2.6", followup_mean="3.1", followup_sd="2.1", p="0.0078", seed=1)
    >>> r.found, r.r_plus, r.n_nonzero
    (True, 0.0, 8)
    >>> bool((r.to_frame()["difference"] < 0).all())
    True
    """
    n = check_n(n, minimum=2)
    g = to_fraction(grid, argument="grid", positive=True)
    lo_f, hi_f = _resolve_range(lower, "lower"), _resolve_range(upper, "upper")
    lo, hi = math.ceil(lo_f / g), math.floor(hi_f / g)
    if lo > hi:
        raise InputError(f"the range [lower, upper] must hold a grid value; got [{lower}, {upper}] with grid {grid}")
    conv = convention if convention is not None else SignedRankConvention()
    if not isinstance(conv, SignedRankConvention):
        raise InputError(f"convention must be a SignedRankConvention; got {convention!r}")
    conventions = resolve_rounding(rounding)
    p_conventions = resolve_rounding(p_rounding, argument="p_rounding")
    reps = {
        "baseline_mean": parse_reported(baseline_mean, argument="baseline_mean"),
        "baseline_sd": parse_reported(baseline_sd, argument="baseline_sd", nonnegative=True),
        "followup_mean": parse_reported(followup_mean, argument="followup_mean"),
        "followup_sd": parse_reported(followup_sd, argument="followup_sd", nonnegative=True),
    }
    rep_p = parse_reported(p, argument="p", nonnegative=True)
    if rep_p.value > 1:
        raise InputError(f"p must be a probability in [0, 1]; got {p!r}")
    for name, value in (("max_iter", max_iter), ("progress_every", progress_every)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InputError(f"{name} must be a positive integer; got {value!r}")
    if not isinstance(max_seconds, (int, float)) or max_seconds <= 0:
        raise InputError(f"max_seconds must be a positive number; got {max_seconds!r}")
    fixed = None if fixed_baseline is None else _on_grid(fixed_baseline, n, g, lo, hi)
    if not isinstance(seed, np.random.Generator) and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise InputError(f"seed must be an integer or a numpy.random.Generator; got {seed!r}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    targets = {k: v.text for k, v in reps.items()} | {"p": rep_p.text}
    start = time.perf_counter()

    def give_up(
        reason: str, candidates: tuple[PLatticeMatch, ...] = (), it: int = 0, restarts: int = 0
    ) -> PairedReconstruction:
        return PairedReconstruction(
            n=n,
            found=False,
            reason=reason,
            baseline=(),
            followup=(),
            r_plus=None,
            pvalue=None,
            n_nonzero=None,
            ties=None,
            convention=conv,
            grid=g,
            targets=targets,
            candidates=candidates,
            iterations=it,
            restarts=restarts,
            seconds=time.perf_counter() - start,
        )

    # 1. Feasibility of the margins (GRIM / GRIMMER) and of the p-value.
    for side in ("baseline", "followup"):
        check = grimmer(
            mean=reps[f"{side}_mean"].text,
            sd=reps[f"{side}_sd"].text,
            n=n,
            grid=g,
            lower=lo_f,
            upper=hi_f,
            rounding=conventions,
        )
        if not check.consistent:
            return give_up(f"impossible: the {side} mean and SD fail GRIMMER on grid {g} ({check.reason})")
    lattice_args: dict[str, Any] = {
        "p": rep_p.text,
        "n": n,
        "rounding": p_conventions,
        "truncation": False,
        "methods": [conv.method],
        "zero_methods": [conv.zero_method],
        "alternatives": [conv.alternative],
        "corrections": [conv.correction],
    }
    lattice = p_lattice(**lattice_args)
    if conv.method == "exact" and conv.alternative not in lattice.exact_with_ties:
        return give_up(
            f"impossible: no exact {conv.alternative} signed-rank p-value for up to {n} non-zero differences "
            f"(c / 2^m, tied or not) prints as {rep_p.text}",
        )
    if not lattice.matches and n <= MAX_TIES_N:
        # No untied sample gives the p-value: enumerate every tie pattern (complete for n <= 10).
        lattice = p_lattice(**lattice_args, ties=True)
        if not lattice.matches:
            return give_up(
                f"impossible: no sample of {n} pairs, tied or not, gives a p-value that prints as "
                f"{rep_p.text} under {conv.describe()} (every tie pattern enumerated)"
            )
    candidates = lattice.matches
    margins = {
        side: _Margin.make(n, g, lo, hi, reps[f"{side}_mean"], reps[f"{side}_sd"], conventions)
        for side in ("baseline", "followup")
    }
    if fixed is not None and not margins["baseline"].ok(fixed):
        return give_up("the fixed baseline values do not print as the baseline mean and SD", candidates)
    intervals = [rep_p.interval(c) for c in p_conventions]
    scorer = _Scorer(conv, intervals, float(rep_p.value), candidates)

    def report(it: int, restarts: int, best: float) -> None:
        info = SearchProgress(iteration=it, restarts=restarts, best_score=best, seconds=time.perf_counter() - start)
        if callable(progress):
            progress(info)
        elif progress:
            print(
                f"reconstruct_paired: {it} iterations, {restarts} margins drawn, best score {best:.4g}, "
                f"{info.seconds:.1f} s",
                file=sys.stderr,
            )

    # 2-5. Draw margins, then search the pairing.
    it, restarts, best_overall, rejected = 0, 0, math.inf, 0
    stall_limit = 8 * n
    ii, jj = np.triu_indices(n, 1)
    while it < max_iter and time.perf_counter() - start < max_seconds:
        x = fixed.copy() if fixed is not None else _sprite(rng, margins["baseline"], 50 * n)
        y = _sprite(rng, margins["followup"], 50 * n)
        restarts += 1
        if x is None or y is None:
            it += 1
            continue
        # Start from a random pairing, or from sorted-on-sorted (the most one-directional one).
        if rng.random() < 0.5:
            y = np.sort(y)[np.argsort(np.argsort(x, kind="stable"), kind="stable")]
        current = float(scorer.scores((y - x)[None, :])[0])
        best_here, stall = current, 0
        while current > 0 and stall < stall_limit and it < max_iter:
            it += 1
            stall += 1
            if it % progress_every == 0:
                report(it, restarts, min(best_overall, current))
            if it % 50 == 0 and time.perf_counter() - start >= max_seconds:
                break
            proposals = [
                p
                for p in (_propose(rng, x, y, margins, lo, hi, ii, jj, fixed is not None) for _ in range(_PROPOSALS))
                if p
            ]
            if not proposals:
                continue
            scores = scorer.scores(np.vstack([ny - nx for nx, ny in proposals]))
            k = int(np.argmin(scores))
            new = float(scores[k])
            if new <= current or rng.random() < math.exp(-(new - current) / 0.05):
                (x, y), current = proposals[k], new
                if current < best_here:
                    best_here, stall = current, 0
        best_overall = min(best_overall, current)
        if current == 0:
            found = _finish(x, y, g, conv, scorer, margins, targets, candidates, it, restarts, start)
            if accept is None or accept(found.baseline, found.followup):
                return found
            rejected += 1
    if best_overall == math.inf:
        reason = (
            f"the search could not draw margins matching the means and SDs within max_iter={max_iter} / "
            f"max_seconds={max_seconds}; this is not a proof that no sample exists"
        )
    else:
        reason = (
            f"not found within max_iter={max_iter} / max_seconds={max_seconds} "
            f"({restarts} margins drawn; best p distance score {best_overall:.3g}"
            + (f"; {rejected} matching samples failed the accept condition" if rejected else "")
            + "); this is not a proof that no sample exists"
        )
    return give_up(reason, candidates, it, restarts)


def _on_grid(values: Sequence[float], n: int, g: Fraction, lo: int, hi: int) -> IntArray:
    """Values in the unit of the figures as integer grid units; every one must be on the grid and in range."""
    if len(values) != n:
        raise InputError(f"fixed_baseline must hold n = {n} values; got {len(values)}")
    units = []
    for i, value in enumerate(values):
        k = Fraction(str(value)) / g
        if k.denominator != 1 or not lo <= k <= hi:
            raise InputError(f"fixed_baseline[{i}] must be a multiple of the grid {g} in the range; got {value!r}")
        units.append(int(k))
    return np.array(units, dtype=np.int64)


def _finish(
    x: IntArray,
    y: IntArray,
    g: Fraction,
    conv: SignedRankConvention,
    scorer: _Scorer,
    margins: dict[str, _Margin],
    targets: dict[str, str],
    candidates: tuple[PLatticeMatch, ...],
    it: int,
    restarts: int,
    start: float,
) -> PairedReconstruction:
    """Re-check a found sample from scratch and package it."""
    if not (margins["baseline"].ok(x) and margins["followup"].ok(y)):
        raise ComputationError("internal error: an accepted sample does not reproduce its margins")
    res = conv.test(y - x, digits=None)
    if not any(res.pvalue in iv for iv in scorer.intervals):
        raise ComputationError("internal error: an accepted sample does not reproduce the p-value")
    decimals = _decimals_of(g)
    return PairedReconstruction(
        n=len(x),
        found=True,
        reason="",
        baseline=tuple(round(float(k * g), decimals) for k in x.tolist()),
        followup=tuple(round(float(k * g), decimals) for k in y.tolist()),
        r_plus=res.statistic,
        pvalue=res.pvalue,
        n_nonzero=len(x) - res.n_zero,
        ties=res.ties,
        convention=conv,
        grid=g,
        targets=targets,
        candidates=candidates,
        iterations=it,
        restarts=restarts,
        seconds=time.perf_counter() - start,
    )
