"""Hodges-Lehmann estimate of the pseudomedian with its exact (Bauer 1972) confidence interval."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from axspa.errors import InputError
from axspa.stats import _validate
from axspa.stats._paired import (
    DEFAULT_DIGITS,
    ZERO_METHODS,
    check_digits,
    differences,
    keys_and_zeros,
    used_sample,
)
from axspa.stats._results import Result
from axspa.stats._signed_rank_core import FloatArray, exact_distribution, has_ties

__all__ = ["HodgesLehmannResult", "hodges_lehmann", "walsh_averages", "walsh_median"]

# R's qsignrank compares the cdf with p - 10 * DBL_EPSILON
_FUZZ = 10 * np.finfo(np.float64).eps


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

    Examples
    --------
    >>> walsh_averages([1.0, 2.0, 4.0]).tolist()
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0]
    """
    arr = _validate.finite_array("d", d)
    i, j = np.triu_indices(arr.size)
    out: FloatArray = np.sort((arr[i] + arr[j]) / 2.0)
    return out


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
    return float(np.median(walsh_averages(d)))


@dataclass(frozen=True, repr=False)
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


def interval_from_sample(
    sample: FloatArray, *, ties: bool, zero_method: str, confidence_level: float, alternative: str
) -> HodgesLehmannResult:
    """Estimate and exact interval from the differences already chosen by the zero rule."""
    level = _validate.confidence_level(confidence_level)
    alt = _validate.alternative(alternative)
    n = int(sample.size)
    if n == 0:
        raise InputError("no differences left for the Hodges-Lehmann estimate (all zero under 'wilcox')")
    walsh = walsh_averages(sample)
    m = walsh.size
    _, pmf, _ = exact_distribution(2 * np.arange(1, n + 1, dtype=np.int64))
    cdf = np.cumsum(pmf)  # P(R+ <= q) for q = 0, 1, ..., M (untied: every value attainable)
    alpha = 1.0 - level
    tail = alpha / 2.0 if alt == "two-sided" else alpha
    k = int(np.searchsorted(cdf, tail - _FUZZ, side="left"))  # smallest q with P(T <= q) >= tail
    k = max(k, 1)
    miss = float(cdf[k - 1])  # P(R+ <= k - 1)
    low, high = float(walsh[k - 1]), float(walsh[m - k])
    if alt == "greater":
        high = np.inf
        achieved = 1.0 - miss
    elif alt == "less":
        low = -np.inf
        achieved = 1.0 - miss
    else:
        achieved = 1.0 - 2.0 * miss
    return HodgesLehmannResult(
        estimate=float(np.median(walsh)),
        low=low,
        high=high,
        confidence_level=level,
        achieved_confidence=achieved,
        k=k,
        n=n,
        ties=ties,
        zero_method=zero_method,
        alternative=alt,
        method="exact (Bauer 1972)",
    )


def hodges_lehmann(
    x: Any,
    y: Any = None,
    *,
    zero_method: str = "wilcox",
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
    digits: int | None = DEFAULT_DIGITS,
) -> HodgesLehmannResult:
    """Hodges-Lehmann estimate of the pseudomedian of x - y, with its exact confidence interval.

    Parameters
    ----------
    x : array_like, 1-D
        First measurements, or the differences if ``y`` is None (finite values only).
    y : array_like, 1-D, optional
        Second measurements, paired with ``x`` by position.
    zero_method : {"wilcox", "pratt"}
        ``"wilcox"``: zero differences are dropped (as R's wilcox.test); ``"pratt"``: they
        are kept. Use the same convention as the test the interval goes with.
    confidence_level : float
        Requested confidence level, in (0, 1).
    alternative : {"two-sided", "less", "greater"}
        Two-sided interval, or the one-sided interval matching a one-sided test (as R).
    digits : int or None
        Significant digits that decide zeros and ties (see :func:`wilcoxon_signed_rank`).

    Returns
    -------
    HodgesLehmannResult
        Estimate, limits, requested and achieved confidence, k and n.

    Notes
    -----
    Walsh averages W = (d_i + d_j) / 2 for i <= j, M = n(n+1)/2 of them; the estimate is
    their median (Hodges & Lehmann 1963). Exact interval (Bauer 1972; Hollander &
    Wolfe): k = the smallest q with P(R+ <= q) >= alpha/2 under the untied null
    distribution of n (at least 1); the interval is [W_(k), W_(M+1-k)] with achieved coverage
    1 - 2 P(R+ <= k - 1). One-sided: alpha instead of alpha/2 and one limit infinite. This is
    R's wilcox.test(conf.int = TRUE) for untied data; with ties the same interval is given
    but its coverage is only approximate (flagged by ``ties``).

    References
    ----------
    1. Hodges JL, Lehmann EL. Estimates of location based on rank tests. Ann Math Stat
       1963;34:598-611.
    2. Bauer DF. Constructing confidence sets using rank statistics. J Am Stat Assoc
       1972;67:687-690.
    3. Hollander M, Wolfe DA. Nonparametric Statistical Methods. New York: Wiley, 1973 (2nd ed. 1999).

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
    )
