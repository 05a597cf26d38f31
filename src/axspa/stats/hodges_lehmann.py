"""Hodges-Lehmann estimate of the pseudomedian with its exact (Bauer 1972) confidence interval."""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special
from scipy.stats import rankdata

from axspa.errors import ConfidenceLevelWarning, InputError
from axspa.options import ZERO_METHODS, Alternative, ZeroMethod
from axspa.stats import _validate
from axspa.stats._paired import (
    DEFAULT_DIGITS,
    check_digits,
    differences,
    keys_and_zeros,
    used_sample,
)
from axspa.stats._results import ConfidenceInterval, Result
from axspa.stats._select import DISTINCT_PAIRS_MAX, select_sums, select_tied_sums
from axspa.stats._signed_rank_core import AUTO_EXACT_MAX_N, FloatArray, has_ties, untied_cdf_window

__all__ = [
    "ACHIEVED_CONFIDENCE_TOLERANCE",
    "HodgesLehmannResult",
    "hodges_lehmann",
    "walsh_averages",
    "walsh_median",
]

# R's qsignrank compares the cdf with p - 10 * DBL_EPSILON
_FUZZ = 10 * np.finfo(np.float64).eps

ACHIEVED_CONFIDENCE_TOLERANCE = 0.02
"""An exact interval whose achieved confidence exceeds the requested level by more than this
emits a :class:`axspa.errors.ConfidenceLevelWarning` (a markedly conservative interval)."""


def walsh_averages(d: Any) -> FloatArray:
    """The M = n(n+1)/2 Walsh averages (d_i + d_j) / 2, i <= j, sorted ascending.

    Parameters
    ----------
    d : array_like, 1-D
        Paired differences (finite).

    Returns
    -------
    ndarray
        The sorted Walsh averages, whose median is the Hodges-Lehmann estimate.

    Raises
    ------
    InputError
        If there would be more than :data:`WALSH_LIST_MAX` averages (n above about 14,000: 8 bytes each,
        800 MB): :func:`hodges_lehmann` and :func:`walsh_order_statistics` find the estimate and the
        order statistics an interval needs without listing them.

    Examples
    --------
    >>> walsh_averages([1.0, 2.0, 4.0]).tolist()
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0]
    """
    arr = _validate.finite_array("d", d)
    m = arr.size * (arr.size + 1) // 2
    if m > WALSH_LIST_MAX:
        raise InputError(
            f"d has {arr.size:,} values, so {m:,} Walsh averages ({8 * m / 1e9:.1f} GB): more than the "
            f"{WALSH_LIST_MAX:,} listed at most. The Hodges-Lehmann estimate and interval (hodges_lehmann) and "
            "any order statistic (walsh_order_statistics) are found without listing them"
        )
    return _walsh(arr)


WALSH_LIST_MAX = 100_000_000
"""Most Walsh averages :func:`walsh_averages` lists (800 MB of doubles)."""


def _walsh_unsorted(arr: FloatArray) -> FloatArray:
    """The n(n+1)/2 Walsh averages of checked, finite differences, unsorted.

    Formed as d_i / 2 + d_j / 2 (the rounded (d_i + d_j) / 2, without overflow), row by row so
    that no index arrays of the same length are needed.
    """
    half = arr / 2.0
    n = arr.size
    out: FloatArray = np.empty(n * (n + 1) // 2, dtype=np.float64)
    pos = 0
    for i in range(n):
        np.add(half[i], half[i:], out=out[pos : pos + n - i])
        pos += n - i
    return out


def _walsh(arr: FloatArray) -> FloatArray:
    """Sorted Walsh averages of checked, finite differences."""
    out: FloatArray = np.sort(_walsh_unsorted(arr))
    return out


LIST_WALSH_MAX = 4_000_000
"""Up to this many Walsh averages (n of about 2,800) they are listed and the needed ones picked by
partition; above it each needed order statistic is found by selection without listing them."""


def walsh_order_statistics(
    d: FloatArray,
    ranks: list[int],
    *,
    list_max: int | None = None,
    list_at: int = 1_000_000,
    distinct_max: int = DISTINCT_PAIRS_MAX,
) -> dict[int, float]:
    """The Walsh averages of the given ranks (1-based, ascending order), for checked finite differences.

    Up to ``list_max`` averages (default :data:`LIST_WALSH_MAX`) they are listed and picked by
    ``np.partition`` at all ranks at once (O(M)); above it, when the differences have few distinct values
    (data on a grid), the averages of distinct values are listed once with their multiplicities
    (:func:`axspa.stats._select.select_tied_sums`, up to ``distinct_max`` pairs of distinct values);
    otherwise they are found together by
    :func:`axspa.stats._select.select_sums` (the randomized selection of Monahan 1984 and Johnson & Mizoguchi
    1978, one shared pass for all ranks) in O(n) memory, which lists the last at most max(4n, ``list_at``)
    candidates of a bracket once for all its ranks.
    """
    n = d.size
    m = n * (n + 1) // 2
    if m <= (LIST_WALSH_MAX if list_max is None else list_max):
        index = sorted({r - 1 for r in ranks})
        picked = np.partition(_walsh_unsorted(d), index)
        return {i + 1: float(picked[i]) for i in index}
    half = np.sort(d) / 2.0  # row i holds half[i] + half[j] for j >= i, ascending in j
    tied = select_tied_sums(half, half, ranks, upper=True, limit=distinct_max)
    if tied is not None:
        return tied
    start = np.arange(n, dtype=np.int64)
    return select_sums(half, half, start, ranks, list_at=list_at)


def _median_rank(m: int) -> list[int]:
    """The ranks whose average is the median of m values: one (m odd) or two (m even)."""
    return [(m + 1) // 2, m // 2 + 1]


def _median_of(order: dict[int, float], m: int) -> float:
    """The median of m values from their order statistics (the middle pair averaged as a / 2 + b / 2)."""
    low, high = _median_rank(m)
    return order[low] if m % 2 else order[low] / 2.0 + order[high] / 2.0


def walsh_median(d: Any) -> float:
    """Median of the Walsh averages: the Hodges-Lehmann estimate of the pseudomedian.

    Parameters
    ----------
    d : array_like, 1-D
        Paired differences (finite), after the zero handling of the test they go with.

    Returns
    -------
    float

    Examples
    --------
    >>> walsh_median([1.0, 2.0, 4.0])
    2.25
    """
    return _walsh_median(_validate.finite_array("d", d))


def _walsh_median(arr: FloatArray) -> float:
    """Median of the Walsh averages of checked differences, by selection above :data:`LIST_WALSH_MAX`."""
    m = arr.size * (arr.size + 1) // 2
    return _median_of(walsh_order_statistics(arr, _median_rank(m)), m)


@dataclass(frozen=True, repr=False, slots=True)
class HodgesLehmannResult(Result):
    """Hodges-Lehmann estimate and exact confidence interval.

    Attributes
    ----------
    estimate : float
        Median of the Walsh averages (a pseudomedian, not a difference of medians).
    low, high : float
        Confidence limits (-inf or inf for a one-sided interval).
    confidence_level : float
        Requested level.
    achieved_confidence : float
        Exact coverage 1 - 2 P(R+ <= k - 1) (one-sided: 1 - P(R+ <= k - 1)) for continuous
        data; approximate when ``ties``.
    k : int
        Rank of the lower Walsh average used (W_(k), W_(M+1-k)).
    n : int
        Number of differences used (same zero handling as the test).
    ties : bool
        Whether tied absolute differences occurred (coverage then only approximate).
    zero_method, alternative, method : str
    """

    estimate: float
    low: float
    high: float
    confidence_level: float
    achieved_confidence: float
    k: int
    n: int
    ties: bool
    zero_method: str
    alternative: str
    method: str

    @property
    def ci(self) -> ConfidenceInterval:
        """The interval as a :class:`~axspa.results.ConfidenceInterval` (``low, high = result.ci``)."""
        return ConfidenceInterval(self.low, self.high, self.confidence_level, self.method)


@functools.lru_cache(maxsize=512)
def bauer_cutoff(n: int, tail: float) -> tuple[int, float]:
    """The rank k of the lower limit and P(R+ <= k - 1), for n untied ranks and a tail probability.

    k is the smallest q with P(R+ <= q) >= tail (as R's ``qsignrank``, which compares with
    tail - 10 machine epsilons), at least 1. The cumulative distribution is read by statistic
    value from :func:`axspa.stats._signed_rank_core.untied_cdf_window`, built up to a point
    safely above the normal approximation of the quantile (all of it when that is not enough),
    with far-tail mass below tail * 2^-60 dropped; results are cached per (n, tail).
    """
    total = n * (n + 1) // 2
    sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0)
    guess = total / 2.0 + sd * float(special.ndtri(tail)) if 0.0 < tail < 1.0 else total
    upto = min(total, max(0, math.ceil(guess + 0.5 * sd + 10.0)))
    while True:
        # dropped far-tail mass below tail * 2^-60: far below the rounding of the compared values
        lo, cdf = untied_cdf_window(n, upto, resolution=tail * 2.0**-60 / (n * (upto + 1.0)))
        idx = int(np.searchsorted(cdf, tail - _FUZZ, side="left"))
        if idx < cdf.size or upto == total:
            break
        upto = total
    k = max(lo + idx, 1)
    miss = float(cdf[k - 1 - lo]) if k - 1 >= lo else 0.0  # below lo: only the dropped mass
    return k, miss


HL_INTERVAL_METHODS = ("exact", "asymptotic", "auto")
"""Methods of the Hodges-Lehmann interval: exact (Bauer 1972), asymptotic (normal critical value with the
tie-corrected variance) or ``"auto"`` (exact up to :data:`AUTO_EXACT_MAX_N` differences)."""

EXACT_INTERVAL_METHOD = "exact (Bauer 1972)"
ASYMPTOTIC_INTERVAL_METHOD = "asymptotic (normal critical value, tie-corrected variance)"


def asymptotic_cutoff(abs_values: FloatArray, tail: float) -> tuple[int, float]:
    """The rank k of the lower limit and the normal approximation of P(R+ <= k - 1).

    k = max(1, ceil(E - z sigma)) with E = n(n+1)/4, sigma^2 = sum a_i^2 / 4 over the midranks a_i of the
    absolute values (the tie-corrected variance n(n+1)(2n+1)/24 - sum(t^3 - t)/48) and z the upper
    ``tail`` quantile of the standard normal (Hollander & Wolfe 1999, eq. 3.28, without continuity
    correction, as the test).
    """
    n = abs_values.size
    ranks = rankdata(abs_values, method="average")
    mean = n * (n + 1) / 4.0
    sd = math.sqrt(float((ranks**2).sum()) / 4.0)
    z = float(special.ndtri(1.0 - tail))
    k = max(1, math.ceil(mean - z * sd - 1e-9))
    miss = float(special.ndtr((k - 1 - mean) / sd)) if sd > 0 else 0.0
    return k, miss


def interval_method(method: str, n: int) -> str:
    """``"exact"`` or ``"asymptotic"``: ``method`` with ``"auto"`` resolved by n (:data:`AUTO_EXACT_MAX_N`)."""
    meth = _validate.choice("method", method, HL_INTERVAL_METHODS)
    if meth == "auto":
        return "exact" if n <= AUTO_EXACT_MAX_N else "asymptotic"
    return meth


def interval_from_sample(
    sample: FloatArray,
    *,
    ties: bool,
    zero_method: str,
    confidence_level: float,
    alternative: str,
    method: str = "exact",
) -> HodgesLehmannResult:
    """Estimate and interval from the (checked, finite) differences chosen by the zero rule.

    ``method``: ``"exact"`` (Bauer 1972), ``"asymptotic"`` (normal critical value with tie-corrected
    variance, :func:`asymptotic_cutoff`) or ``"auto"`` (exact up to :data:`AUTO_EXACT_MAX_N` differences).
    """
    level = _validate.confidence_level(confidence_level)
    alt = _validate.alternative(alternative)
    n = int(sample.size)
    if n == 0:
        raise InputError("no differences left for the Hodges-Lehmann estimate (all zero under 'wilcox')")
    used = interval_method(method, n)
    m = n * (n + 1) // 2
    alpha = 1.0 - level
    tail = alpha / 2.0 if alt == "two-sided" else alpha
    if used == "exact":
        k, miss = bauer_cutoff(n, tail)
    else:
        k, miss = asymptotic_cutoff(np.abs(sample), tail)
    order = walsh_order_statistics(sample, [k, m + 1 - k, *_median_rank(m)])
    low, high = order[k], order[m + 1 - k]
    estimate = _median_of(order, m)
    if alt == "greater":
        high = np.inf
        achieved = 1.0 - miss
    elif alt == "less":
        low = -np.inf
        achieved = 1.0 - miss
    else:
        achieved = 1.0 - 2.0 * miss
    if used == "exact":
        _warn_confidence(level, achieved, n)
    return HodgesLehmannResult(
        estimate=estimate,
        low=low,
        high=high,
        confidence_level=level,
        achieved_confidence=achieved,
        k=k,
        n=n,
        ties=ties,
        zero_method=zero_method,
        alternative=alt,
        method=EXACT_INTERVAL_METHOD if used == "exact" else ASYMPTOTIC_INTERVAL_METHOD,
    )


def _warn_confidence(level: float, achieved: float, n: int) -> None:
    """Warn when the exact interval misses the requested level, or exceeds it by a wide margin."""
    if achieved < level - _FUZZ:
        warnings.warn(
            f"confidence_level={level:g} is not achievable by the exact interval with n = {n} differences: "
            f"the widest interval (the smallest and largest Walsh averages) has confidence {achieved:.6g}, "
            "reported as achieved_confidence",
            ConfidenceLevelWarning,
            stacklevel=4,
        )
    elif achieved - level > ACHIEVED_CONFIDENCE_TOLERANCE:
        warnings.warn(
            f"the exact interval with n = {n} differences has confidence {achieved:.6g}, more than "
            f"{ACHIEVED_CONFIDENCE_TOLERANCE:g} above the requested confidence_level={level:g} (the next "
            "narrower interval would fall short of it); reported as achieved_confidence",
            ConfidenceLevelWarning,
            stacklevel=4,
        )


def hodges_lehmann(
    x: Any,
    y: Any = None,
    *,
    zero_method: ZeroMethod = "wilcox",
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
    digits: int | None = DEFAULT_DIGITS,
    method: str = "exact",
) -> HodgesLehmannResult:
    r"""Hodges-Lehmann estimate of the pseudomedian of x - y, with its exact (or asymptotic) confidence interval.

    Parameters
    ----------
    x : array_like, 1-D
        First measurements, or the differences if ``y`` is None: real, finite numbers
        (booleans, strings, dates, complex numbers and None are refused).
    y : array_like, 1-D, optional
        Second measurements. Two pandas Series are paired by index label (same labels in any
        order; different labels are an error); otherwise pairs are formed by position.
    zero_method : {"wilcox", "pratt"}
        ``"wilcox"``: zero differences are dropped (as R's wilcox.test); ``"pratt"``: they
        are kept. Use the same convention as the test the interval goes with.
    confidence_level : float
        Requested confidence level, in (0, 1).
    alternative : {"two-sided", "less", "greater"}
        Two-sided interval, or the one-sided interval matching a one-sided test (as R).
    digits : int or None
        Significant digits that decide zeros and ties (see :func:`wilcoxon_signed_rank`).
    method : {"exact", "asymptotic", "auto"}
        ``"exact"`` (default): Bauer's interval from the exact null distribution. ``"asymptotic"``: the
        normal critical value with the tie-corrected variance. ``"auto"``: exact when at most
        ``AUTO_EXACT_MAX_N`` (500) differences are used, asymptotic beyond. The result's ``method`` says
        which was used.

    Returns
    -------
    HodgesLehmannResult
        Estimate, limits, requested and achieved confidence, k and n.

    Raises
    ------
    InputError
        Non-real, non-finite, empty or mismatched input, an x - y that overflows float64, no
        difference left after the zero rule, or an unknown convention.

    Warns
    -----
    ConfidenceLevelWarning
        When the requested level is not achievable with n differences (the widest interval
        is returned with its achieved confidence, as R does with its warning), or when the
        achieved confidence exceeds the requested one by more than
        :data:`ACHIEVED_CONFIDENCE_TOLERANCE`.

    Notes
    -----
    The Walsh averages are :math:`W_{ij} = (d_i + d_j) / 2` for :math:`i \le j`,
    :math:`M = n(n+1)/2` of them, and the estimate is their median [1]_. The exact interval
    [2]_ [3]_ takes

    .. math::

        k = \max\left(1, \min\{q : P(R^+ \le q) \ge \alpha / 2\}\right), \qquad
        [W_{(k)}, W_{(M+1-k)}], \qquad 1 - 2 P(R^+ \le k - 1),

    the last being the achieved coverage, under the untied null distribution of the
    signed-rank statistic :math:`R^+` of n ranks. The asymptotic interval takes instead
    :math:`k = \max(1, \lceil n(n+1)/4 - z_{1-\alpha/2}\,\sigma \rceil)` with
    :math:`\sigma^2 = \sum a_i^2 / 4` over the midranks :math:`a_i` of the :math:`|d_i|` (the
    tie-corrected variance; [3]_, eq. 3.28, without continuity correction), and reports the normal
    approximation :math:`1 - 2\Phi((k - 1 - n(n+1)/4)/\sigma)` as achieved confidence. One-sided:
    :math:`\alpha` instead of :math:`\alpha / 2` and one limit infinite. The distribution is read by the value of
    :math:`R^+` and built only up to the cut-off on a window of about 24 standard deviations,
    so it stays exact at any n (time about O(n^2.5), memory O(n^1.5)); the cut-off is cached
    per n and level. The Walsh averages needed (two limits and the median) are picked by
    partition up to :data:`LIST_WALSH_MAX` of them and above it by randomized selection
    without listing them (Monahan 1984 [4]_; Johnson & Mizoguchi 1978 [5]_), in O(n) memory.
    This is R's
    ``wilcox.test(conf.int = TRUE)`` for untied data at the n where R's counts do not
    overflow (n up to about 1000); with ties the same interval is given but its coverage is
    only approximate (flagged by ``ties``). Walsh averages are formed as
    :math:`d_i / 2 + d_j / 2`, which equals the rounded :math:`(d_i + d_j) / 2` and cannot
    overflow.

    References
    ----------
    .. [1] Hodges JL, Lehmann EL. Estimates of location based on rank tests. Ann Math Stat
       1963;34:598-611.
    .. [2] Bauer DF. Constructing confidence sets using rank statistics. J Am Stat Assoc
       1972;67:687-690.
    .. [3] Hollander M, Wolfe DA. Nonparametric Statistical Methods. New York: Wiley, 1973
       (2nd ed. 1999).
    .. [4] Monahan JF. Algorithm 616: fast computation of the Hodges-Lehmann location
       estimator. ACM Trans Math Softw 1984;10:265-270.
    .. [5] Johnson DB, Mizoguchi T. Selecting the Kth element in X + Y and X1 + X2 + ... + Xm.
       SIAM J Comput 1978;7:147-153.

    Examples
    --------
    The depression data of Hollander & Wolfe (1973, p. 29f), first (x) and second (y) visit
    (R: wilcox.test(x, y, paired = TRUE, conf.int = TRUE) gives 0.46, [0.010, 0.786]):

    >>> x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    >>> y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    >>> hl = hodges_lehmann(x, y)
    >>> round(hl.estimate, 3), round(hl.low, 3), round(hl.high, 3), round(hl.achieved_confidence, 3)
    (0.46, 0.01, 0.786, 0.961)
    """
    zm = _validate.choice("zero_method", zero_method, ZERO_METHODS)
    dig = check_digits(digits)
    d, scale = differences(x, y, ndim=1)
    keys, zero = keys_and_zeros(d[None, :], np.atleast_1d(scale), dig)
    return interval_from_sample(
        used_sample(d, zero[0], zm),
        ties=bool(has_ties(keys)[0]),
        zero_method=zm,
        confidence_level=confidence_level,
        alternative=alternative,
        method=method,
    )
