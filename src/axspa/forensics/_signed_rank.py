"""Minimal Wilcoxon signed-rank machinery used by the forensic checks.

Interim: this module stands in for :mod:`axspa.stats` until that package provides its exact
conditional signed-rank distribution; then these functions delegate to it, so the formulas
live once. Everything is in doubled ranks (integer scores ``a_i = 2 * rank_i``, mid-ranks for
ties), as in the Streitberg-Roehmel shift algorithm.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def doubled_ranks(magnitudes: npt.ArrayLike) -> IntArray:
    """Twice the mid-ranks of ``magnitudes`` (ties get the mean of their ranks), as integers."""
    x = np.asarray(magnitudes)
    order = np.argsort(x, kind="stable")
    xs = x[order]
    out = np.empty(len(x), dtype=np.int64)
    start = 0
    for i in range(1, len(xs) + 1):
        if i == len(xs) or xs[i] != xs[start]:
            # positions start..i-1 (ranks start+1..i) share the mean rank; doubled: start + 1 + i
            out[order[start:i]] = start + 1 + i
            start = i
    return out


def null_pmf(scores: npt.ArrayLike) -> FloatArray:
    """P(T = t), t = 0..sum(scores), for T = the sum of the scores that carry a positive sign.

    Each sign is + or - with probability 1/2 independently (the permutation null of the signed-rank
    test, conditional on the scores). Built one score at a time, halving at each step.
    """
    a = np.asarray(scores, dtype=np.int64)
    pmf = np.zeros(int(a.sum()) + 1)
    pmf[0] = 1.0
    top = 0
    for s in a:
        s = int(s)
        new = pmf[: top + s + 1] * 0.5
        new[s:] += pmf[: top + 1] * 0.5
        pmf[: top + s + 1] = new
        top += s
    return pmf


def exact_pvalues(pmf: FloatArray, t: npt.ArrayLike, alternative: str) -> FloatArray:
    """Exact p-values of observed statistics ``t`` (indices into ``pmf``)."""
    tt = np.asarray(t, dtype=np.int64)
    cdf = np.cumsum(pmf)
    sf = np.cumsum(pmf[::-1])[::-1]
    less, greater = cdf[tt], sf[tt]
    if alternative == "less":
        return np.minimum(less, 1.0)
    if alternative == "greater":
        return np.minimum(greater, 1.0)
    return np.minimum(1.0, 2.0 * np.minimum(less, greater))


def normal_pvalues(t: npt.ArrayLike, scores: npt.ArrayLike, alternative: str, correction: bool) -> FloatArray:
    """Normal-approximation p-values for doubled statistics ``t`` given doubled scores.

    R+ = t / 2 has mean sum(r) / 2 and variance sum(r^2) / 4 over the ranks r = scores / 2 in use
    (this is the tie- and zero-adjusted variance). The continuity correction moves R+ by 1/2 toward
    the mean, as R's ``wilcox.test(correct = TRUE)`` does.
    """
    r = np.asarray(scores, dtype=np.float64) / 2.0
    stat = np.asarray(t, dtype=np.float64) / 2.0
    mean = r.sum() / 2.0
    sd = float(np.sqrt((r * r).sum() / 4.0))
    if sd == 0.0:
        return np.ones_like(stat)
    if alternative == "two-sided":
        shift = np.sign(stat - mean) * 0.5 if correction else 0.0
        z = (stat - mean - shift) / sd
        return np.minimum(1.0, 2.0 * np.minimum(ndtr(z), ndtr(-z)))
    if alternative == "greater":
        z = (stat - mean - (0.5 if correction else 0.0)) / sd
        return np.asarray(ndtr(-z))
    z = (stat - mean + (0.5 if correction else 0.0)) / sd
    return np.asarray(ndtr(z))


def signed_rank(
    d: npt.ArrayLike, *, method: str, zero_method: str, alternative: str, correction: bool
) -> tuple[float, float, int]:
    """R+, p-value and number of non-zero differences of the signed-rank test on differences ``d``.

    ``method`` "exact" uses the exact conditional null distribution (ties allowed), "asymptotic"
    the normal approximation with tie-adjusted variance. ``zero_method`` "wilcox" drops zeros before
    ranking; "pratt" ranks them with the others and then drops their ranks.
    """
    x = np.asarray(d)
    if zero_method == "wilcox":
        x = x[x != 0]
        scores = doubled_ranks(np.abs(x))
    else:
        all_scores = doubled_ranks(np.abs(x))
        scores = all_scores[x != 0]
        x = x[x != 0]
    t2 = int(scores[x > 0].sum())
    if len(scores) == 0:
        return 0.0, 1.0, 0
    if method == "exact":
        p = float(exact_pvalues(null_pmf(scores), [t2], alternative)[0])
    else:
        p = float(normal_pvalues([t2], scores, alternative, correction)[0])
    return t2 / 2.0, p, len(scores)
