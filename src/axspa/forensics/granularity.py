"""Granularity checks of published summaries: GRIM, GRIMMER and DEBIT.

Values recorded on a grid (integers, tenths of a 0-10 scale, ...) can only produce certain means
and standard deviations for a given sample size. These checks ask whether a mean, an SD, or the
mean and SD of binary data, printed at a given precision, could have arisen at all.

All arithmetic is exact (rationals), and reported figures are taken as strings so that "3.10"
keeps its two decimals. The ``rounding`` argument says how the true value may have become the
printed figure; the default ``"nearest"`` accepts any round-to-nearest rule (half up, half down,
half even). Whatever is requested, each result also lists every elementary convention, truncation
included, under which the figures are consistent (``consistent_under``), so a figure that only
truncation explains is visible as such.

References
----------
.. [1] Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous anomalies in
   the reporting of results in psychology. Soc Psychol Personal Sci 2017;8:363-9.
.. [2] Anaya J. The GRIMMER test: a method for testing the validity of reported measures of
   variability. PeerJ Preprints 2016;4:e2400v1.
.. [3] Allard A. Analytic-GRIMMER: a new way of testing the possibility of standard deviations.
   Blog post, 2018; implemented in the jamovi/R module of the same name.
.. [4] Heathers JAJ, Brown NJL. DEBIT: a simple consistency test for binary data. PsyArXiv 2019.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce

import pandas as pd

from axspa.errors import ComputationError, InputError
from axspa.printed import (
    ROUNDING_CONVENTIONS,
    Interval,
    ReportedNumber,
    check_n,
    parse_reported,
    resolve_rounding,
    to_fraction,
)
from axspa.results import Result

__all__ = [
    "DebitResult",
    "GrimResult",
    "GrimmerResult",
    "coarsest_consistent_grid",
    "debit",
    "effective_grid",
    "grim",
    "grimmer",
]


def _fmt(x: Fraction | float | None) -> str:
    return "None" if x is None else f"{float(x):.6g}"


@dataclass(frozen=True)
class _Scale:
    """n values on the grid {k * grid}, optionally inside [lower, upper]; everything in grid units."""

    n: int
    grid: Fraction
    kmin: int | None
    kmax: int | None

    @classmethod
    def make(cls, n: int, grid: object, lower: object, upper: object) -> _Scale:
        g = to_fraction(grid, argument="grid", positive=True)
        lo = None if lower is None else math.ceil(to_fraction(lower, argument="lower") / g)
        hi = None if upper is None else math.floor(to_fraction(upper, argument="upper") / g)
        if lo is not None and hi is not None and lo > hi:
            raise InputError(
                f"lower must not exceed upper and the range must hold a grid value; got "
                f"lower={lower!r}, upper={upper!r}, grid={grid!r}"
            )
        return cls(n=n, grid=g, kmin=lo, kmax=hi)

    def sums(self, mean: Interval) -> tuple[int, int] | None:
        """Range of sums (grid units) whose mean lies in ``mean`` and that the value range allows."""
        r = mean.scaled(self.n / self.grid).integers()
        if r is None:
            return None
        first, last = r
        if self.kmin is not None:
            first = max(first, self.n * self.kmin)
        if self.kmax is not None:
            last = min(last, self.n * self.kmax)
        return (first, last) if first <= last else None

    def q_bounds(self, k_sum: int) -> tuple[int, float]:
        """Smallest and largest sum of squares (grid units) of n values with sum ``k_sum``."""
        n = self.n
        q, r = divmod(k_sum, n)
        q_min = (n - r) * q * q + r * (q + 1) * (q + 1)
        if self.kmin is None or self.kmax is None:
            return q_min, math.inf
        a, b = self.kmin, self.kmax
        if b == a:
            return q_min, q_min
        t, rem = divmod(k_sum - n * a, b - a)
        if t >= n:
            return q_min, n * b * b
        return q_min, t * b * b + (a + rem) ** 2 + (n - t - 1) * a * a

    def mean_of(self, k_sum: int) -> Fraction:
        return self.grid * k_sum / self.n


@dataclass(frozen=True, repr=False, slots=True)
class GrimResult(Result):
    """Outcome of a GRIM check.

    Attributes
    ----------
    mean : str
        The reported mean, as printed.
    n : int
        Sample size.
    grid : Fraction
        Granularity of one value (1 for integers, 1/10 for tenths, 1/100 for a BASDAI).
    rounding : tuple of str
        Elementary conventions that were accepted.
    consistent : bool
        True if some sum of n grid values gives a mean that prints as ``mean`` under one of
        ``rounding`` (and, if a range was given, lies inside it).
    consistent_under : tuple of str
        Every elementary convention (of half_up, half_down, half_even, truncate) under which the
        mean is consistent, whatever was requested.
    sums : tuple of int
        Sums, in grid units, that reproduce the mean under ``rounding``.
    nearest_below, nearest_above : Fraction or None
        The achievable means (grid * sum / n) closest to the reported value from below and above
        (equal when the reported value itself is achievable).
    """

    mean: str
    n: int
    grid: Fraction
    rounding: tuple[str, ...]
    consistent: bool
    consistent_under: tuple[str, ...]
    sums: tuple[int, ...]
    nearest_below: Fraction | None
    nearest_above: Fraction | None

    def __repr__(self) -> str:
        verdict = "consistent" if self.consistent else "INCONSISTENT"
        return (
            f"GrimResult(mean={self.mean!r}, n={self.n}, grid={self.grid}, {verdict}; nearest achievable "
            f"means {_fmt(self.nearest_below)} and {_fmt(self.nearest_above)}; "
            f"consistent under: {', '.join(self.consistent_under) or 'none'})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row with the check's inputs and outcome."""
        return pd.DataFrame(
            [
                {
                    "check": "GRIM",
                    "mean": self.mean,
                    "n": self.n,
                    "grid": float(self.grid),
                    "rounding": "/".join(self.rounding),
                    "consistent": self.consistent,
                    "consistent_under": "/".join(self.consistent_under),
                    "nearest_below": None if self.nearest_below is None else float(self.nearest_below),
                    "nearest_above": None if self.nearest_above is None else float(self.nearest_above),
                }
            ]
        )


def _sums_by_convention(scale: _Scale, mean: ReportedNumber) -> dict[str, tuple[int, int] | None]:
    return {c: scale.sums(mean.interval(c)) for c in ROUNDING_CONVENTIONS}


def grim(
    *,
    mean: str,
    n: int,
    grid: object = 1,
    lower: object = None,
    upper: object = None,
    rounding: str | Sequence[str] = "nearest",
) -> GrimResult:
    r"""GRIM: can a mean printed as ``mean`` arise from ``n`` values on a grid?

    Parameters
    ----------
    mean : str
        The reported mean, as printed (a string, so "3.10" keeps two decimals).
    n : int
        Number of values averaged.
    grid : number or str, default 1
        Granularity of one value: 1 for integer data, 0.1 for items in tenths. For a score averaged
        over sub-items use :func:`effective_grid` (BASDAI from items in tenths: 0.01).
    lower, upper : number, optional
        Range of one value (e.g. 0 and 10); the mean must then lie in it.
    rounding : str or sequence of str, default "nearest"
        How the true mean became the printed one: "nearest" (half up, half down or half even),
        "any" (those or truncation), or elementary names ("half_up", "half_down", "half_even",
        "truncate").

    Returns
    -------
    GrimResult

    Raises
    ------
    InputError
        If an argument is malformed (the mean not a string, n < 1, grid not positive, ...).

    Notes
    -----
    The values are :math:`g k_i` with grid :math:`g` and integers :math:`k_i`, so the mean is

    .. math::

        \bar x = \frac{g K}{n}, \qquad K = \sum_i k_i \in \mathbb{Z}

    [1]_. The mean is consistent if some such K lies in the interval of true values that print as
    ``mean``.

    References
    ----------
    .. [1] Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous anomalies
       in the reporting of results in psychology. Soc Psychol Personal Sci 2017;8:363-9.

    Examples
    --------
    Brown and Heathers' example: a mean of 5.19 from 28 integer responses is impossible
    (145 / 28 = 5.179 and 146 / 28 = 5.214):

    >>> grim(mean="5.19", n=28)
    GrimResult(mean='5.19', n=28, grid=1, INCONSISTENT; nearest achievable means 5.17857 and 5.21429;
    consistent under: none)
    >>> grim(mean="5.18", n=28).consistent
    True
    """
    n = check_n(n)
    rep = parse_reported(mean, argument="mean")
    conventions = resolve_rounding(rounding)
    scale = _Scale.make(n, grid, lower, upper)
    by_conv = _sums_by_convention(scale, rep)
    ok = tuple(c for c in ROUNDING_CONVENTIONS if by_conv[c] is not None)
    sums: set[int] = set()
    for c in conventions:
        r = by_conv[c]
        if r is not None:
            sums.update(range(r[0], r[1] + 1))
    target = rep.value * n / scale.grid
    below, above = math.floor(target), math.ceil(target)
    if scale.kmin is not None:
        below, above = max(below, n * scale.kmin), max(above, n * scale.kmin)
    if scale.kmax is not None:
        below, above = min(below, n * scale.kmax), min(above, n * scale.kmax)
    return GrimResult(
        mean=rep.text,
        n=n,
        grid=scale.grid,
        rounding=conventions,
        consistent=bool(sums),
        consistent_under=ok,
        sums=tuple(sorted(sums)),
        nearest_below=scale.mean_of(below),
        nearest_above=scale.mean_of(above),
    )


@dataclass(frozen=True, repr=False, slots=True)
class GrimmerResult(Result):
    """Outcome of a GRIMMER check of a mean and SD.

    Attributes
    ----------
    mean, sd : str
        The reported figures, as printed.
    n : int
        Sample size.
    grid : Fraction
        Granularity of one value.
    rounding : tuple of str
        Elementary conventions that were accepted (the same convention for mean and SD).
    consistent : bool
        True if some sum K and sum of squares Q of n grid values reproduce both figures under one
        of ``rounding`` and pass the necessary conditions of the Notes of :func:`grimmer`.
    grim_consistent : bool
        Whether the mean alone passes GRIM.
    consistent_under : tuple of str
        Every elementary convention under which the pair is consistent.
    reason : str
        Why the check failed ("" when consistent).
    sd_below, sd_above : float or None
        For the sum closest to the reported mean, the SDs closest to the reported SD (from below and
        above) that pass the parity and bound conditions.
    """

    mean: str
    sd: str
    n: int
    grid: Fraction
    rounding: tuple[str, ...]
    consistent: bool
    grim_consistent: bool
    consistent_under: tuple[str, ...]
    reason: str
    sd_below: float | None
    sd_above: float | None

    def __repr__(self) -> str:
        verdict = "consistent" if self.consistent else f"INCONSISTENT ({self.reason})"
        return (
            f"GrimmerResult(mean={self.mean!r}, sd={self.sd!r}, n={self.n}, grid={self.grid}, {verdict}; "
            f"nearest achievable SDs {_fmt(self.sd_below)} and {_fmt(self.sd_above)}; "
            f"consistent under: {', '.join(self.consistent_under) or 'none'})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row with the check's inputs and outcome."""
        return pd.DataFrame(
            [
                {
                    "check": "GRIMMER",
                    "mean": self.mean,
                    "sd": self.sd,
                    "n": self.n,
                    "grid": float(self.grid),
                    "rounding": "/".join(self.rounding),
                    "consistent": self.consistent,
                    "grim_consistent": self.grim_consistent,
                    "consistent_under": "/".join(self.consistent_under),
                    "reason": self.reason,
                    "sd_below": self.sd_below,
                    "sd_above": self.sd_above,
                }
            ]
        )


def _variance_bounds(sd: Interval, n: int, grid: Fraction, ddof: int) -> tuple[int, int] | None:
    """Integer range of V = n * Q - K**2 (grid units) for an SD in ``sd``.

    The sample variance is grid**2 * V / (n * (n - ddof)).
    """
    return sd.squared().scaled(n * (n - ddof) / grid**2).integers()


def _parity_q(lo: float, hi: float, parity: int) -> tuple[int, int] | None:
    """First and last integer of the given parity in [lo, hi]."""
    first = math.ceil(lo)
    if first % 2 != parity:
        first += 1
    last = math.floor(hi) if math.isfinite(hi) else first
    if last % 2 != parity:
        last -= 1
    return (first, last) if first <= last else None


def grimmer(
    *,
    mean: str,
    sd: str,
    n: int,
    grid: object = 1,
    lower: object = None,
    upper: object = None,
    rounding: str | Sequence[str] = "nearest",
    ddof: int = 1,
) -> GrimmerResult:
    r"""GRIMMER: can a mean and SD printed as given arise from ``n`` values on a grid?

    Parameters
    ----------
    mean, sd : str
        The reported mean and standard deviation, as printed.
    n : int
        Sample size (at least 2).
    grid : number or str, default 1
        Granularity of one value (see :func:`grim` and :func:`effective_grid`).
    lower, upper : number, optional
        Range of one value; it bounds the largest possible SD.
    rounding : str or sequence of str, default "nearest"
        As in :func:`grim`; the same convention is applied to the mean and the SD.
    ddof : {1, 0}, default 1
        1 for the sample SD (divisor n - 1), 0 for the population SD.

    Returns
    -------
    GrimmerResult

    Raises
    ------
    InputError
        If an argument is malformed.

    Notes
    -----
    With values :math:`g k_i`, :math:`K = \sum k_i` and :math:`Q = \sum k_i^2` are integers and the
    variance is

    .. math::

        s^2 = \frac{g^2 (n Q - K^2)}{n (n - \text{ddof})}

    For every sum K allowed by GRIM, the check looks for
    an integer Q in the interval that the printed SD implies, with the parity of K (k**2 and k are
    both odd or both even, so Q = K mod 2; Anaya's observation, made analytic by Allard), and between
    the smallest Q for that sum (values as equal as possible) and the largest (values pushed to
    the range's ends) [1]_ [2]_. These conditions are necessary, not sufficient: a pair that passes may
    still be impossible (for very small n a few Q values near the bounds are not reachable); a
    sample found by :func:`axspa.forensics.reconstruct_paired` or SPRITE proves possibility.

    References
    ----------
    .. [1] Anaya J. The GRIMMER test: a method for testing the validity of reported measures of
       variability. PeerJ Preprints 2016;4:e2400v1.
    .. [2] Allard A. Analytic-GRIMMER: a new way of testing the possibility of standard deviations.
       Blog post, 2018; implemented in the jamovi/R module of the same name.

    Examples
    --------
    Five integer values with mean 3.0 have sum 15; an SD printed as 1.00 needs
    V = 5 Q - 225 in [4 * 5 * 0.995**2, 4 * 5 * 1.005**2] = [19.80, 20.20], so V = 20 and
    Q = 49, which is odd like K = 15 (e.g. 2, 2, 3, 4, 4):

    >>> grimmer(mean="3.0", sd="1.00", n=5).consistent
    True

    An SD of 1.10 needs V in [4 * 5 * 1.095**2, 4 * 5 * 1.105**2] = [23.98, 24.42], so V = 24, but
    then Q = 249 / 5 is not an integer:

    >>> grimmer(mean="3.0", sd="1.10", n=5)
    GrimmerResult(mean='3.0', sd='1.10', n=5, grid=1, INCONSISTENT (no integer sum of squares ...
    """
    n = check_n(n, minimum=2)
    if ddof not in (0, 1):
        raise InputError(f"ddof must be 0 (population SD) or 1 (sample SD); got {ddof!r}")
    rep_mean = parse_reported(mean, argument="mean")
    rep_sd = parse_reported(sd, argument="sd", nonnegative=True)
    conventions = resolve_rounding(rounding)
    scale = _Scale.make(n, grid, lower, upper)
    by_conv = _sums_by_convention(scale, rep_mean)

    def works(conv: str) -> bool:
        sums = by_conv[conv]
        v_range = _variance_bounds(rep_sd.interval(conv), n, scale.grid, ddof)
        if sums is None or v_range is None:
            return False
        for k_sum in range(sums[0], sums[1] + 1):
            q_min, q_max = scale.q_bounds(k_sum)
            lo = max(Fraction(q_min), Fraction(v_range[0] + k_sum * k_sum, n))
            hi = Fraction(v_range[1] + k_sum * k_sum, n)
            if math.isfinite(q_max):
                hi = min(hi, Fraction(int(q_max)))
            if lo <= hi and _parity_q(float(lo), float(hi), k_sum % 2) is not None:
                return True
        return False

    ok = tuple(c for c in ROUNDING_CONVENTIONS if works(c))
    grim_ok = any(by_conv[c] is not None for c in conventions)
    consistent = any(c in ok for c in conventions)
    if consistent:
        reason = ""
    elif not grim_ok:
        reason = "the mean fails GRIM"
    else:
        reason = "no integer sum of squares with the parity of the sum and within its bounds gives the SD"

    # Nearest achievable SDs around the reported one, for the sum closest to the reported mean.
    k0 = round(rep_mean.value * n / scale.grid)
    if scale.kmin is not None:
        k0 = max(k0, n * scale.kmin)
    if scale.kmax is not None:
        k0 = min(k0, n * scale.kmax)
    q_min, q_max = scale.q_bounds(k0)
    q_target = (rep_sd.value**2 * n * (n - ddof) / scale.grid**2 + k0 * k0) / n
    below = _parity_q(q_min, min(float(q_target), q_max), k0 % 2)
    above = _parity_q(max(float(q_target), q_min), q_max, k0 % 2) if math.isfinite(q_max) else None
    if above is None and not math.isfinite(q_max):
        first = math.ceil(q_target)
        above = (first + (first % 2 != k0 % 2), 0)

    def sd_of(q: int) -> float:
        return float(scale.grid) * math.sqrt(max(n * q - k0 * k0, 0) / (n * (n - ddof)))

    return GrimmerResult(
        mean=rep_mean.text,
        sd=rep_sd.text,
        n=n,
        grid=scale.grid,
        rounding=conventions,
        consistent=consistent,
        grim_consistent=grim_ok,
        consistent_under=ok,
        reason=reason,
        sd_below=None if below is None else sd_of(below[1]),
        sd_above=None if above is None else sd_of(above[0]),
    )


@dataclass(frozen=True, repr=False, slots=True)
class DebitResult(Result):
    """Outcome of a DEBIT check of the mean (proportion) and SD of binary data.

    Attributes
    ----------
    mean, sd : str
        The reported figures, as printed.
    n : int
        Sample size.
    rounding : tuple of str
        Elementary conventions that were accepted.
    consistent : bool
        True if some count of ones reproduces both figures under one of ``rounding``.
    consistent_under : tuple of str
        Every elementary convention under which the pair is consistent.
    counts : tuple of int
        The counts of ones (out of n) that reproduce both figures under ``rounding``.
    sds : tuple of float
        For each count whose proportion reproduces the mean, the SD it implies (for comparison).
    """

    mean: str
    sd: str
    n: int
    ddof: int
    rounding: tuple[str, ...]
    consistent: bool
    consistent_under: tuple[str, ...]
    counts: tuple[int, ...]
    sds: tuple[float, ...]

    def __repr__(self) -> str:
        verdict = "consistent" if self.consistent else "INCONSISTENT"
        shown = ", ".join(f"{s:.6g}" for s in self.sds) or "none"
        return (
            f"DebitResult(mean={self.mean!r}, sd={self.sd!r}, n={self.n}, {verdict}; SDs implied by the "
            f"mean: {shown}; consistent under: {', '.join(self.consistent_under) or 'none'})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row with the check's inputs and outcome."""
        return pd.DataFrame(
            [
                {
                    "check": "DEBIT",
                    "mean": self.mean,
                    "sd": self.sd,
                    "n": self.n,
                    "ddof": self.ddof,
                    "rounding": "/".join(self.rounding),
                    "consistent": self.consistent,
                    "consistent_under": "/".join(self.consistent_under),
                    "counts": ",".join(map(str, self.counts)),
                }
            ]
        )


def debit(*, mean: str, sd: str, n: int, rounding: str | Sequence[str] = "nearest", ddof: int = 1) -> DebitResult:
    r"""DEBIT: are a proportion and its SD, printed as given, possible for n binary values?

    Parameters
    ----------
    mean : str
        The reported mean of 0/1 data (a proportion between 0 and 1), as printed.
    sd : str
        The reported SD, as printed.
    n : int
        Sample size (at least 2).
    rounding : str or sequence of str, default "nearest"
        As in :func:`grim`.
    ddof : {1, 0}, default 1
        1 for the sample SD, 0 for the population SD.

    Returns
    -------
    DebitResult

    Raises
    ------
    InputError
        If an argument is malformed or the mean lies outside [0, 1].

    Notes
    -----
    With K ones among n values [1]_:

    .. math::

        \bar x = \frac{K}{n}, \qquad s^2 = \frac{K (n - K)}{n (n - \text{ddof})}

    The check tries every K = 0..n.

    References
    ----------
    .. [1] Heathers JAJ, Brown NJL. DEBIT: a simple consistency test for binary data. PsyArXiv
       2019.

    Examples
    --------
    20 values with 7 ones: mean 7/20 = 0.35, SD sqrt(7 * 13 / (20 * 19)) = sqrt(0.23947) = 0.489;
    an SD of 0.50 is impossible there:

    >>> debit(mean="0.35", sd="0.49", n=20).consistent
    True
    >>> debit(mean="0.35", sd="0.50", n=20).consistent
    False
    """
    n = check_n(n, minimum=2)
    if ddof not in (0, 1):
        raise InputError(f"ddof must be 0 (population SD) or 1 (sample SD); got {ddof!r}")
    rep_mean = parse_reported(mean, argument="mean", nonnegative=True)
    rep_sd = parse_reported(sd, argument="sd", nonnegative=True)
    if rep_mean.value > 1:
        raise InputError(f"mean must be a proportion in [0, 1] for binary data; got {mean!r}")
    conventions = resolve_rounding(rounding)

    def counts_under(conv: str) -> list[int]:
        m_iv, s_iv = rep_mean.interval(conv), rep_sd.interval(conv).squared()
        return [k for k in range(n + 1) if Fraction(k, n) in m_iv and Fraction(k * (n - k), n * (n - ddof)) in s_iv]

    found = {c: counts_under(c) for c in ROUNDING_CONVENTIONS}
    counts = sorted({k for c in conventions for k in found[c]})
    mean_counts = sorted({k for c in conventions for k in range(n + 1) if Fraction(k, n) in rep_mean.interval(c)})
    return DebitResult(
        mean=rep_mean.text,
        sd=rep_sd.text,
        n=n,
        ddof=ddof,
        rounding=conventions,
        consistent=bool(counts),
        consistent_under=tuple(c for c in ROUNDING_CONVENTIONS if found[c]),
        counts=tuple(counts),
        sds=tuple(math.sqrt(k * (n - k) / (n * (n - ddof))) for k in mean_counts),
    )


def effective_grid(item_grid: object, *, weights: Sequence[object] | None = None, k: int | None = None) -> Fraction:
    """Granularity of a score computed as a weighted sum of items that lie on a grid.

    Parameters
    ----------
    item_grid : number or str
        Granularity of each item (0.1 for 0-10 items recorded in tenths).
    weights : sequence of numbers, optional
        The weight of each item in the score (exact decimals or Fractions).
    k : int, optional
        Shorthand for a plain mean of k items (weights 1/k each). Give ``weights`` or ``k``.

    Returns
    -------
    Fraction
        The step of the lattice of achievable scores: ``item_grid`` times the greatest common
        divisor of the weights (for rationals, gcd of numerators over lcm of denominators).

    Raises
    ------
    InputError
        If neither or both of ``weights`` and ``k`` are given, or a value is not a positive number.

    Notes
    -----
    The lattice step is necessary for GRIM-type checks; not every lattice point inside the range is
    reachable near its ends, which only makes a check more lenient.

    Examples
    --------
    BASDAI = (Q1 + Q2 + Q3 + Q4 + (Q5 + Q6) / 2) / 5 from items in tenths (weights 1/5 and 1/10):
    0.1 * gcd(1/5, 1/10) = 0.1 * 1/10 = 0.01. BASFI (mean of 10 items): 0.01. BAS-G (mean of 2):
    0.05.

    >>> from fractions import Fraction as F
    >>> effective_grid("0.1", weights=[F(1, 5)] * 4 + [F(1, 10)] * 2)
    Fraction(1, 100)
    >>> effective_grid(0.1, k=2)
    Fraction(1, 20)
    """
    g = to_fraction(item_grid, argument="item_grid", positive=True)
    if (weights is None) == (k is None):
        raise InputError(f"give exactly one of weights and k; got weights={weights!r}, k={k!r}")
    if weights is None:
        ws = [Fraction(1, check_n(k, argument="k"))]
    else:
        if len(weights) == 0:
            raise InputError("weights must hold at least one weight; got an empty sequence")
        ws = [to_fraction(w, argument="weights", positive=True) for w in weights]
    num = reduce(math.gcd, (w.numerator for w in ws))
    den = reduce(math.lcm, (w.denominator for w in ws))
    return g * Fraction(num, den)


def coarsest_consistent_grid(
    *,
    n: int,
    grid: object,
    means: Sequence[str],
    sds: Sequence[str | None] | None = None,
    lower: object = None,
    upper: object = None,
    rounding: str | Sequence[str] = "nearest",
    divisors: Sequence[int] = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
) -> Fraction:
    """The coarsest grid, ``grid / d`` for d in ``divisors``, on which every figure passes GRIM/GRIMMER.

    Use it when a measure's real grid cannot produce a published figure (for example a mean
    printed "70.03" for 10 integer ESR values): the reconstruction then uses the coarsest finer
    grid that reproduces the figures, for that measure only, and says so.

    Parameters
    ----------
    n : int
        Sample size of every figure.
    grid : number or str
        The measure's real grid; candidates are ``grid / d``.
    means : sequence of str
        Reported means, as printed.
    sds : sequence of (str or None), optional
        Reported SDs, parallel to ``means`` (None where no SD is reported).
    lower, upper : number, optional
        Range of one value.
    rounding : str or sequence of str, default "nearest"
        As in :func:`grim`.
    divisors : sequence of int, default 1, 2, 5, 10, 20, ..., 1000
        Candidate refinements, tried from the smallest (coarsest grid) up. The default keeps to
        decimal grids (0.5, 0.2, 0.1, ...) as laboratories and scales record them.

    Returns
    -------
    Fraction
        The coarsest candidate grid on which every figure is consistent.

    Raises
    ------
    InputError
        If an argument is malformed.
    ComputationError
        If no candidate grid makes every figure consistent.

    Examples
    --------
    Ten integer values give means in steps of 0.1, so "70.03" needs a finer grid; 0.5 and 0.2
    give sums in steps of 0.5 and 0.2 (700.0, 700.5, 700.2, 700.4), none within
    [700.25, 700.35]; 0.1 gives 700.3:

    >>> coarsest_consistent_grid(n=10, grid=1, means=["70.03"])
    Fraction(1, 10)
    """
    n = check_n(n)
    if isinstance(means, str) or len(means) == 0:
        raise InputError(f"means must be a non-empty sequence of printed means; got {means!r}")
    sd_list: list[str | None] = [None] * len(means) if sds is None else list(sds)
    if isinstance(sds, str) or len(sd_list) != len(means):
        raise InputError(f"sds must be a sequence parallel to means ({len(means)} entries); got {sds!r}")
    base = to_fraction(grid, argument="grid", positive=True)
    for d in sorted(set(divisors)):
        if isinstance(d, bool) or not isinstance(d, int) or d < 1:
            raise InputError(f"divisors must be positive integers; got {d!r}")
        g = base / d
        ok = all(
            grim(mean=m, n=n, grid=g, lower=lower, upper=upper, rounding=rounding).consistent
            if s is None
            else grimmer(mean=m, sd=s, n=n, grid=g, lower=lower, upper=upper, rounding=rounding).consistent
            for m, s in zip(means, sd_list, strict=True)
        )
        if ok:
            return g
    raise ComputationError(
        f"no grid {base} / d for d in {sorted(set(divisors))} makes every figure consistent "
        f"(means {list(means)}, SDs {sd_list}, n = {n})"
    )
