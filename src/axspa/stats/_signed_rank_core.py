"""Numerical core of the signed-rank test: ranking, exact null distribution, normal tails.

Pure numpy; no input checking beyond what the algorithms need (the public functions in
:mod:`axspa.stats.signed_rank` check their arguments).

The exact null distribution
---------------------------
Under H0 each of the 2^n sign patterns of the n non-zero differences is equally likely,
so R+ = sum_i a_i B_i with independent B_i ~ Bernoulli(1/2) and fixed scores a_i (the
(mid)ranks). Midranks are multiples of 1/2, so the doubled ranks are integers and the
probability generating function of 2 R+ is prod_i (1 + z^(2 r_i)) / 2. It is built by one
shift-and-add pass per score (Streitberg & Roehmel 1986). Dividing every score by their
greatest common divisor first shortens the support without changing the probabilities.

Counts are held in float64 with a running power-of-two exponent: after a pass, the array
times 2^exponent equals the number of sign patterns, and every few hundred passes the
array is multiplied by an exact power of two so it never overflows (the same numbers as
halving at every pass, without the underflow). Probabilities are the counts times 2^-n,
applied exactly with ldexp, and their logs are taken from the scaled counts, so tail
probabilities far below 1e-300 (n above about 1000) keep their full relative precision.
Two buffers are used in turn, so a pass allocates nothing.

Only the tail that is needed is built: P(T <= k) needs the counts up to k only, and the
distribution is symmetric about S/2 (S = sum of scores), so any tail is a lower tail of
length at most S/2. The cost is O(n * min(t, S - t)) additions.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import special
from scipy.stats import rankdata

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

LN2 = math.log(2.0)

AUTO_EXACT_MAX_N = 500
"""``method="auto"`` of the signed-rank test and its Hodges-Lehmann interval is exact when at most this
many differences are ranked (n used), asymptotic beyond. Measured on two cores with differences on a 0.1
grid (many ties): the exact test and the exact interval each take about 25 ms at n = 500, 0.27 s and
0.06 s at n = 1,000, 6 s and 1.2 s at n = 3,000."""
_RESCALE_EVERY = 256  # passes between overflow checks: counts grow at most 2^256 in between
_RESCALE_ABOVE = 2.0**600


def rounding_keys(d: FloatArray, scale: FloatArray, digits: int | None) -> FloatArray:
    """Differences on the grid that decides ties and zeros.

    Each row of ``d`` is rounded to ``digits`` significant digits of that row's ``scale``
    (the largest absolute input value of the row): the grid step is
    10^(floor(log10(scale)) - digits + 1), so decimal data sit exactly on the grid. The result
    is an integer-valued float array of grid units (exact for ``digits`` <= 15).
    ``digits=None`` returns ``d`` unchanged, and so does a row whose grid step would underflow
    (inputs below about 1e-290 in magnitude).
    """
    if digits is None:
        return d
    safe = np.where(scale > 0, scale, 1.0)
    step = (10.0 ** (np.floor(np.log10(safe)) - digits + 1))[..., None]
    usable = step > 1e-300
    with np.errstate(divide="ignore", invalid="ignore"):
        keys: FloatArray = np.where(usable, np.rint(d / np.where(usable, step, 1.0)), d)
    return keys


def rank_rows(keys: FloatArray, zero_method: str) -> tuple[FloatArray, BoolArray, BoolArray]:
    """Midranks of |keys| per row, following the zero convention.

    Returns
    -------
    ranks : float array, same shape as keys
        Ranks of the non-zero entries (0 where the entry is zero). ``"wilcox"`` ranks the
        non-zero entries among themselves; ``"pratt"`` ranks all entries, zeros included,
        and then drops the zeros' ranks (Pratt 1959).
    positive, negative : bool arrays
    """
    absk = np.abs(keys)
    ranks: FloatArray = rankdata(absk, method="average", axis=-1).astype(np.float64)
    zero = absk == 0
    if zero_method == "wilcox":
        # zeros hold the smallest ranks 1..n0, so ranking among the non-zero ones only
        # subtracts n0 from every non-zero rank
        ranks = ranks - zero.sum(axis=-1, keepdims=True)
    ranks = np.where(zero, 0.0, ranks)
    return ranks, keys > 0, keys < 0


def has_ties(keys: FloatArray) -> BoolArray:
    """Whether each row has tied non-zero absolute values."""
    s = np.sort(np.abs(keys), axis=-1)
    same = (s[..., 1:] == s[..., :-1]) & (s[..., 1:] != 0)
    out: BoolArray = same.any(axis=-1)
    return out


# ---------------------------------------------------------------------------------------
# exact distribution, one score vector


def _counts_upto(scores: IntArray, m: int) -> tuple[FloatArray, int]:
    """Scaled counts of sign patterns with sum of scores k = 0..m.

    Returns (c, e) with count(k) = c[k] * 2^e. ``scores`` must be positive integers,
    best sorted ascending (the reachable support then grows slowly). Two buffers are used
    in turn (new[k] = old[k] + old[k - a]), so no pass allocates memory.
    """
    c = np.zeros(m + 1, dtype=np.float64)
    buf = np.zeros(m + 1, dtype=np.float64)
    c[0] = 1.0
    e = 0
    reach = 0  # entries above reach are zero in both buffers
    for i, a in enumerate(scores.tolist()):
        new_reach = min(reach + a, m)
        if a <= new_reach:
            buf[:a] = c[:a]
            np.add(c[a : new_reach + 1], c[: new_reach + 1 - a], out=buf[a : new_reach + 1])
            c, buf = buf, c
        reach = new_reach
        if (i + 1) % _RESCALE_EVERY == 0:
            top = float(c[: reach + 1].max())
            if top > _RESCALE_ABOVE:
                shift = math.frexp(top)[1]
                c[: reach + 1] = np.ldexp(c[: reach + 1], -shift)  # buf is overwritten before use
                e += shift
    return c, e


def reduce_scores(scores2: IntArray) -> tuple[IntArray, int]:
    """Positive integer scores divided by their gcd, sorted ascending; and the gcd."""
    s = np.asarray(scores2, dtype=np.int64)
    s = s[s != 0]
    if s.size == 0:
        return s, 1
    g = int(np.gcd.reduce(s))
    return np.sort(s // g), g


def exact_tails(scores2: IntArray, t2: int) -> tuple[FloatArray, FloatArray]:
    """Exact P(T <= t), P(T >= t), P(T = t) and their natural logs, for doubled scores and 2t.

    ``scores2`` are the doubled (mid)ranks of the non-zero differences (integers; zeros
    are ignored), ``t2`` is twice the observed statistic (an integer). Probabilities are
    conditional on the scores (exact conditional distribution with ties). The plain values
    are scaled by exact powers of two (they may underflow to 0 far out in the tails); the
    logs keep full relative precision there.

    Returns
    -------
    probs, logs : arrays of 3 floats, (lower, upper, point)
    """
    s, g = reduce_scores(scores2)
    n = int(s.size)
    total = int(s.sum())
    k_lo = t2 // g  # P(T <= t) = P(Tg <= k_lo)
    k_hi = -((-t2) // g)  # P(T >= t) = P(Tg >= k_hi) = P(Tg <= S - k_hi)
    on_lattice = t2 % g == 0
    a, b = k_lo, total - k_hi
    if a < 0:  # t below the support
        return np.array([0.0, 1.0, 0.0]), np.array([-math.inf, 0.0, -math.inf])
    if b < 0:  # t above the support
        return np.array([1.0, 0.0, 0.0]), np.array([0.0, -math.inf, -math.inf])
    m = min(a, b)
    c, e = _counts_upto(s, m)
    cdf = np.cumsum(c)
    shift = e - n
    scale = shift * LN2
    small = math.ldexp(float(cdf[m]), shift)
    log_small = math.log(cdf[m]) + scale
    # the other tail: P(Tg <= max(a, b)) = 1 - P(Tg <= S - max(a, b) - 1), an index <= m
    j = total - max(a, b) - 1
    rest = math.ldexp(float(cdf[j]), shift) if j >= 0 else 0.0
    large = 1.0 - rest
    log_large = math.log1p(-rest) if rest < 1.0 else -math.inf
    point, log_point = 0.0, -math.inf
    if on_lattice:
        idx = k_lo if k_lo <= m else total - k_lo
        if c[idx] > 0:
            point, log_point = math.ldexp(float(c[idx]), shift), math.log(c[idx]) + scale
    if a <= b:
        return np.array([small, large, point]), np.array([log_small, log_large, log_point])
    return np.array([large, small, point]), np.array([log_large, log_small, log_point])


def _attainable(scores: IntArray, total: int) -> BoolArray:
    """Which sums k = 0..total some sign pattern reaches (a boolean shift-and-or pass per score)."""
    reach = np.zeros(total + 1, dtype=bool)
    reach[0] = True
    for a in scores.tolist():
        reach[a:] |= reach[: total + 1 - a].copy()
    return reach


def exact_distribution(scores2: IntArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """Full exact null distribution of 2T: support (in units of 2T), pmf and log pmf.

    The support is every attainable value. The pmf is exact where it is representable in
    float64 (0.0 below the smallest double). The log pmf keeps values far below 1e-300 as far
    as one power-of-two scale allows (about 600 orders of magnitude below the mode), which
    covers n up to about 1000 completely; for attainable values further out in the tails,
    whose probability the scaled counts no longer resolve, it is NaN (never -inf, which would
    claim the value impossible).
    """
    s, g = reduce_scores(scores2)
    n = int(s.size)
    total = int(s.sum())
    c, e = _counts_upto(s, total)
    scale = (e - n) * LN2
    with np.errstate(divide="ignore"):
        log_pmf = np.log(c) + scale
    support = np.arange(total + 1, dtype=np.int64) * g
    # without rescaling no count can have underflowed, so c > 0 is attainability itself
    keep = c > 0 if e == 0 else _attainable(s, total)
    log_pmf[keep & (c == 0)] = np.nan
    return support[keep], np.ldexp(c[keep], e - n), log_pmf[keep]


def untied_cdf_window(n: int, upto: int, *, resolution: float) -> tuple[int, FloatArray]:
    """P(R+ <= q) for q = lo, ..., ``upto`` under the untied null distribution of n ranks.

    The counts of the partial sums over ranks 1..j are built rank by rank (new[k] = old[k] +
    old[k - j], with the power-of-two scaling of :func:`_counts_upto`), but only on a window of
    sums: values above ``upto`` are never needed, and values whose probability under the
    partial distribution is below ``resolution`` are dropped from both ends of the window after
    every pass. A partial sum q with probability p_j(q) after j ranks contributes at most p_j(q)
    to any later probability (the remaining ranks only spread it), so the dropped mass in any
    returned value is at most n (upto + 1) ``resolution``. The partial counts are unimodal and
    symmetric about j(j+1)/4 (the coefficients of prod (1 + z^i) are), so the ends to drop are
    found by bisection on either side of the centre, and the window stays about 24 standard
    deviations of the partial sum wide instead of n(n+1)/4: the cost is about O(n^2.5) additions
    rather than O(n^3), with memory of two windows.

    Returns
    -------
    lo : int
        The first sum in the window; P(R+ <= lo - 1) is below n (upto + 1) ``resolution``.
    cdf : ndarray
        ``cdf[i]`` is P(R+ <= lo + i) less the dropped mass (entry i is the statistic value
        lo + i: the untied statistic takes every integer 0..n(n+1)/2).
    """
    sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0)
    capacity = min(upto + 1, int(40.0 * sd) + 2 * n + 64)
    buffers = [np.empty(capacity, dtype=np.float64), np.empty(capacity, dtype=np.float64)]
    buffers[0][0] = 1.0
    cur, start, size = 0, 0, 1  # the counts are buffers[cur][start : start + size]
    lo, e = 0, 0  # entry i times 2^e is the number of sign patterns of ranks 1..j with sum lo + i
    for j in range(1, n + 1):
        c = buffers[cur][start : start + size]
        new_size = min(size + j, upto - lo + 1)
        if new_size > capacity:
            capacity = max(new_size, 2 * capacity)
            buffers = [np.empty(capacity, dtype=np.float64), np.empty(capacity, dtype=np.float64)]
            buffers[cur][:size] = c
            c, start = buffers[cur][:size], 0
        out = buffers[1 - cur]
        low = min(j, size, new_size)
        out[:low] = c[:low]  # sums below j: no pattern with rank j reaches them
        if size < j:
            out[size : min(j, new_size)] = 0.0
        both = min(size, new_size)
        if both > j:
            np.add(c[j:both], c[: both - j], out=out[j:both])
        top_from = max(j, size)
        if new_size > top_from:
            out[top_from:new_size] = c[top_from - j : new_size - j]  # sums above the old top: rank j taken
        c = out[:new_size]
        mid = min(max(j * (j + 1) // 4 - lo, 0), new_size - 1)  # the centre, where the counts peak
        if c[mid] > _RESCALE_ABOVE:
            shift = math.frexp(float(c[mid]))[1]
            c *= 2.0**-shift
            e += shift
        threshold = math.ldexp(resolution, j - e)  # probability c * 2^(e - j) below resolution
        first = min(int(np.searchsorted(c[: mid + 1], threshold, side="left")), mid)
        dropped_top = int(np.searchsorted(c[mid:][::-1], threshold, side="left"))
        last = max(new_size - 1 - dropped_top, first)
        cur, start, size = 1 - cur, first, last - first + 1
        lo += first
    counts = buffers[cur][start : start + size]
    out_cdf: FloatArray = np.ldexp(np.cumsum(counts), e - n)
    return lo, out_cdf


# ---------------------------------------------------------------------------------------
# exact distribution, many score vectors at once


_VECTORIZE_MAX_WIDTH = 20_000  # beyond this support length one pattern at a time is faster
_VECTORIZE_MIN_PATTERNS = 8


def _pattern_tails(scores2: IntArray, t2: IntArray) -> FloatArray:
    """Exact (lower, upper, point) for one score vector and many attainable statistics.

    One full distribution by the scaled-count shift algorithm (:func:`_counts_upto`), read at
    every ``t2``; values are exact powers-of-two rescalings, so tails keep full precision down
    to the smallest double.
    """
    s, g = reduce_scores(scores2)
    n, total = int(s.size), int(s.sum())
    c, e = _counts_upto(s, total)
    cdf = np.cumsum(c)
    k = t2 // g  # attainable statistics are multiples of g
    out = np.empty((t2.size, 3), dtype=np.float64)
    out[:, 0] = np.ldexp(cdf[k], e - n)
    out[:, 1] = np.ldexp(cdf[total - k], e - n)  # symmetry: P(T >= t) = P(T <= S - t)
    out[:, 2] = np.ldexp(c[k], e - n)
    return out


def batch_exact_tails(scores2: IntArray, t2: IntArray, *, max_cells: int = 4_000_000) -> FloatArray:
    """Exact P(T <= t), P(T >= t) and P(T = t) for each row of doubled scores.

    ``t2`` must be attainable (twice an observed R+). Rows with the same multiset of scores
    share one distribution (so untied rows of the same n cost one distribution). Many small
    distinct distributions are built together, vectorized over rows, in chunks of at most
    ``max_cells`` cells, with probabilities halved at every pass (tails below the smallest
    double, about 2^-1074, underflow to 0); few or long ones are built one at a time by
    :func:`_pattern_tails`.

    Returns an array of shape (rows, 3).
    """
    rows, ncol = scores2.shape
    srt = np.sort(scores2, axis=1)
    uniq, inverse = np.unique(srt, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    totals = uniq.sum(axis=1)
    width = int(totals.max()) + 1
    out = np.empty((rows, 3), dtype=np.float64)
    if uniq.shape[0] < _VECTORIZE_MIN_PATTERNS or width > _VECTORIZE_MAX_WIDTH:
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(uniq.shape[0] + 1))
        for u in range(uniq.shape[0]):
            members = order[bounds[u] : bounds[u + 1]]
            out[members] = _pattern_tails(uniq[u], t2[members])
        return out
    chunk = max(1, max_cells // width)
    cols = np.arange(width)
    for start in range(0, uniq.shape[0], chunk):
        block = uniq[start : start + chunk]
        p = np.zeros((block.shape[0], width), dtype=np.float64)
        p[:, 0] = 1.0
        for j in range(ncol):
            a = block[:, j]
            if not a.any():
                continue
            src = cols[None, :] - a[:, None]
            shifted = np.take_along_axis(p, np.maximum(src, 0), axis=1)
            p = 0.5 * (p + np.where(src >= 0, shifted, 0.0))
        cdf = np.cumsum(p, axis=1)
        members = np.flatnonzero((inverse >= start) & (inverse < start + block.shape[0]))
        local = inverse[members] - start
        t = t2[members]
        tot = totals[start + local]
        out[members, 0] = cdf[local, t]
        out[members, 1] = cdf[local, tot - t]  # symmetry: P(T >= t) = P(T <= S - t)
        out[members, 2] = p[local, t]
    return out


# ---------------------------------------------------------------------------------------
# normal approximation


def normal_tails(
    statistic: FloatArray,
    mean: FloatArray,
    variance: FloatArray,
    *,
    correction: bool,
    alternative: str,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """z, p-value and log p-value of the normal approximation.

    z = (T - E T - c) / sqrt(Var T); with the continuity correction c = 0.5 in the
    direction of the alternative (two-sided: towards the mean, c = sign(T - E T) / 2), as
    in R's wilcox.test; otherwise c = 0. Two-sided p = 2 min(Phi(z), 1 - Phi(z)).
    """
    diff = np.asarray(statistic, dtype=np.float64) - mean
    if correction:
        if alternative == "two-sided":
            cc = 0.5 * np.sign(diff)
        elif alternative == "greater":
            cc = np.full_like(diff, 0.5)
        else:
            cc = np.full_like(diff, -0.5)
        diff = diff - cc
    with np.errstate(divide="ignore", invalid="ignore"):
        z = diff / np.sqrt(variance)
    if alternative == "less":
        logp = special.log_ndtr(z)
    elif alternative == "greater":
        logp = special.log_ndtr(-z)
    else:
        logp = np.minimum(LN2 + special.log_ndtr(-np.abs(z)), 0.0)
    return z, np.exp(logp), logp
