"""Numerical core of the two-sample rank-sum test: the exact conditional null distribution with ties,
and order statistics of the pairwise differences.

Pure numpy; no input checking beyond what the algorithms need (the public function in
:mod:`axspa.stats.rank_sum` checks its arguments).

The exact null distribution
---------------------------
Under H0 every one of the C(N, m) ways to assign m of the N observed midranks to one sample
is equally likely, so W is the sum of a uniformly drawn m-subset of fixed scores. Midranks are
multiples of 1/2, so the doubled midranks are integers; subtracting the smallest and dividing by
the greatest common divisor of what is left gives non-negative integer scores r_1 <= ... <= r_N
with the same probabilities (W2 = m s_min + g R, R the subset sum of the r).

The lower tail of R is built by a dynamic programme over the scores in ascending order: C[j, k]
counts the j-subsets of the scores seen so far with sum k, and each score r adds
C[j + 1, k + r] += C[j, k] (rows from the top down, so each row is read before it is written).
Counts are float64 with a running power-of-two exponent (rescaled before they could overflow) and
are divided by C(N, m) at the end. Only what a tail needs is touched: columns up to k_max; rows that
can still reach m members; and in each row only the sums that are reachable (between the sum of the
j smallest and of the j largest scores seen) and still useful (the cheapest completion by the scores
not yet seen stays <= k_max). The cost is at most O(N m k_max) additions and far less in the tails. With ties the
distribution need not be symmetric (the midranks of a tied sample need not be symmetric about (N + 1)/2),
so the upper tail is the lower tail of the mirrored scores r_max - r_i, built the same way. It is
symmetric about its mean, and one table serves both tails, in two cases: equal samples (m = N - m:
the complement of an m-subset is an m-subset, with sum Tot - R) and scores that are their own mirror
image (r_i + r_{N+1-i} constant: no ties, or a mirror-image tie pattern). Then
P(R >= k) = P(R <= r_min + r_max - k). Every
probability is a sum of non-negative terms (no cancellation), so tails keep full relative precision
down to about 1e-300.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri
from scipy.stats import rankdata

from axspa.errors import ComputationError
from axspa.stats._select import DISTINCT_PAIRS_MAX, select_sums, select_tied_sums

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MAX_CELLS = 60_000_000
"""Largest table (rows x sums) the exact distribution may build (480 MB of float64); about 300 + 300
observations at the centre of the distribution."""
_RESCALE_EVERY = 256  # passes between overflow checks: counts grow at most 2^256 in between
_RESCALE_ABOVE = 2.0**600


def doubled_midranks(x: FloatArray, y: FloatArray) -> IntArray:
    """Twice the midranks of the pooled sample (x first, then y), as integers."""
    ranks = rankdata(np.concatenate([x, y]), method="average")
    return np.rint(2.0 * ranks).astype(np.int64)


def tie_sizes(pooled: FloatArray) -> IntArray:
    """Sizes of the groups of equal values in the pooled sample."""
    _, counts = np.unique(pooled, return_counts=True)
    return counts.astype(np.int64)


class _LowerTail:
    """P(R <= k) for the sum R of a uniformly drawn m-subset of sorted non-negative integer scores."""

    def __init__(self, r: IntArray, m: int) -> None:
        self.r = r
        self.m = m
        self.pmf: FloatArray = np.zeros(0)
        self.cdf: FloatArray = np.zeros(0)

    def ensure(self, k_max: int) -> None:
        """Build the pmf and cdf for k = 0..k_max (kept if already built that far)."""
        if self.cdf.size > k_max:
            return
        r, m = self.r, self.m
        n = int(r.size)
        if (m + 1) * (k_max + 1) > MAX_CELLS:
            raise ComputationError(
                f"the exact rank-sum distribution for samples of {m} and {n - m} would need a table of "
                f"{(m + 1) * (k_max + 1):,} cells (more than {MAX_CELLS:,}); use method='asymptotic'"
            )
        cum = np.concatenate([[0], np.cumsum(r)]).tolist()  # cum[j]: sum of the j smallest scores
        c = np.zeros((m + 1, k_max + 1), dtype=np.float64)
        c[0, 0] = 1.0
        e = 0  # c * 2^e counts the subsets
        for i in range(n):
            a = int(r[i])
            lo = max(0, m - (n - i))  # rows that can still reach m members
            rest_from = i + 1  # the scores not yet used start here (sorted, so the cheapest come first)
            for j in range(min(i, m - 1), lo - 1, -1):  # downwards: row j is read before it is written
                need = m - j - 1  # members still to choose after this one
                # j-subsets of the first i scores have sums from cum[j] (the j smallest) to cum[i] - cum[i - j]
                # (the j largest); a sum stays useful only while the cheapest completion keeps it <= k_max
                last = min(cum[i] - cum[i - j], k_max - a - (cum[rest_from + need] - cum[rest_from]))
                first = cum[j]
                if last >= first:
                    c[j + 1, first + a : last + a + 1] += c[j, first : last + 1]
            if (i + 1) % _RESCALE_EVERY == 0:
                top = float(c.max())
                if top > _RESCALE_ABOVE:
                    shift = math.frexp(top)[1]
                    c = np.ldexp(c, -shift)
                    e += shift
        # probabilities: counts / C(n, m), the binomial coefficient split into a float and a power of two
        total = math.comb(n, m)
        bits = max(total.bit_length() - 60, 0)
        mantissa = float(total >> bits)  # exact to 2^-53 relative (at most 60 bits, then rounded)
        self.pmf = np.ldexp(c[m] / mantissa, e - bits)
        self.cdf = np.cumsum(self.pmf)

    def at(self, k: int) -> float:
        """P(R <= k)."""
        if k < 0:
            return 0.0
        self.ensure(k)
        return float(self.cdf[k])


class SubsetSumDistribution:
    """Exact null distribution of the sum W2 of m of the doubled midranks ``scores2``.

    Parameters
    ----------
    scores2 : int array
        Doubled midranks of all N observations.
    m : int
        Size of the sample whose rank sum is the statistic (1 <= m <= N - 1).

    Notes
    -----
    The tables are built for the smaller of the two samples (size min(m, N - m)): the other
    sample's sum is the total less this one. Two lower tails are kept: ``A`` gives
    P(R <= k) = A(k + c_A) and ``B`` gives P(R >= k) = B(c_B - k), each the lower tail of a
    subset sum of sorted scores (the reduced scores or their mirror image top - r). When the
    distribution is symmetric (``symmetric``: equal samples or mirror-image scores) ``B`` is ``A``
    with c_B = r_min + r_max + c_A, and only one table is built.
    """

    def __init__(self, scores2: IntArray, m: int) -> None:
        s = np.sort(np.asarray(scores2, dtype=np.int64))
        n = int(s.size)
        self.m = int(m)
        self.s0 = int(s[0])
        rest = s - s[0]
        g = int(np.gcd.reduce(rest)) if rest.any() else 1
        self.g = g
        r = rest // g
        top = int(r[-1])
        mirror = (top - r)[::-1].copy()
        self.r_min = int(r[:m].sum())
        self.r_max = int(r[n - m :].sum())
        small = min(self.m, n - self.m)
        tot = int(r.sum())
        self.symmetric = 2 * self.m == n or bool(np.array_equal(mirror, r))
        if small == self.m:
            self._a, self._ca = _LowerTail(r, small), 0
            self._b, self._cb = _LowerTail(mirror, small), small * top
        else:  # R = Tot - R_y with R_y the sum over the other (smaller) sample
            self._a, self._ca = _LowerTail(mirror, small), small * top - tot
            self._b, self._cb = _LowerTail(r, small), tot
        if self.symmetric:  # P(R >= k) = P(R <= r_min + r_max - k): one table serves both tails
            self._b, self._cb = self._a, self.r_min + self.r_max + self._ca
        var = self.m * (n - self.m) / (n * (n - 1.0)) * float(((r - r.mean()) ** 2).sum()) if n > 1 else 0.0
        self._mean, self._sd = self.m * float(r.mean()), math.sqrt(var)

    def _to_r(self, w2: float) -> float:
        return (w2 - self.m * self.s0) / self.g

    def _from_r(self, k: int) -> int:
        return self.m * self.s0 + self.g * k

    def cdf(self, w2: float) -> float:
        """P(W2 <= w2)."""
        k = math.floor(self._to_r(w2))
        if k < self.r_min:
            return 0.0
        return 1.0 if k >= self.r_max else self._a.at(k + self._ca)

    def sf(self, w2: float) -> float:
        """P(W2 >= w2)."""
        k = math.ceil(self._to_r(w2))
        if k > self.r_max:
            return 0.0
        return 1.0 if k <= self.r_min else self._b.at(self._cb - k)

    def _extend(self, tail: _LowerTail, q: float, centre: float, limit: int) -> None:
        """Extend ``tail`` until its cdf reaches q (or up to ``limit``).

        The first try stops a quarter of a standard deviation beyond the normal approximation of the
        quantile (beyond about 60 observations the exact quantile lies within 0.1 standard deviations of
        it; the table's cost grows with its reach); each further try (a rebuild) reaches one more
        standard deviation.
        """
        z = abs(float(ndtri(q))) if 0.0 < q < 0.5 else 0.0
        step = int(self._sd) + 1
        k = min(max(int(centre - max(z - 0.25, 0.0) * self._sd) + 1, 0), limit)
        while True:
            tail.ensure(k)
            if tail.cdf[k] >= q or k >= limit:
                return
            k = min(limit, k + step)

    def lower_quantile(self, q: float, tol: float = 1e-12) -> int:
        """The smallest attainable w2 with P(W2 <= w2) >= q - tol (for q <= 1/2)."""
        a = self._a
        self._extend(a, q - tol, self._mean + self._ca, self.r_max + self._ca)
        ok = (a.cdf >= q - tol) & (a.pmf > 0)
        i = int(np.argmax(ok)) if ok.any() else self.r_max + self._ca
        return self._from_r(i - self._ca)

    def upper_quantile(self, q: float, tol: float = 1e-12) -> int:
        """The smallest attainable w2 with P(W2 <= w2) >= q - tol (for q >= 1/2).

        P(R <= k) = 1 - P(R >= k + 1), so k is c_B - u for the largest attainable index u of tail
        ``B`` with B(u - 1) <= 1 - q + tol.
        """
        b = self._b
        bound = 1.0 - q + tol
        self._extend(b, min(bound * (1.0 + 1e-9), 1.0), self._cb - self._mean, self._cb - self.r_min)
        below = np.concatenate([[0.0], b.cdf[:-1]])
        ok = (below <= bound) & (b.pmf > 0)
        u = int(np.flatnonzero(ok)[-1]) if ok.any() else self._cb - self.r_min
        return self._from_r(self._cb - u)


_DIRECT_MAX = 4_000_000  # up to this many differences they are formed at once


def order_statistics(
    x: FloatArray,
    y: FloatArray,
    ranks: list[int],
    *,
    direct_max: int | None = None,
    distinct_max: int = DISTINCT_PAIRS_MAX,
) -> list[float]:
    """The given 1-based order statistics of the n1 n2 differences x_i - y_j.

    Up to ``direct_max`` differences (default :data:`_DIRECT_MAX`) they are formed and partitioned. Above
    it, when the samples have few distinct values (data on a grid), the differences of distinct values are
    listed once with their multiplicities (:func:`axspa.stats._select.select_tied_sums`, up to
    ``distinct_max`` pairs of distinct values). Otherwise they are found in one shared pass by
    :func:`axspa.stats._select.select_sums` over the rows x_i and the sorted columns -y_j (fl(x_i + (-y_j))
    is the computed x_i - y_j), the randomized selection of Monahan (1984) and Johnson & Mizoguchi (1978),
    in O((n1 + n2) log) time per step and O(n1 + n2) memory, never listing the differences.
    """
    if not ranks:
        return []
    if x.size * y.size <= (_DIRECT_MAX if direct_max is None else direct_max):
        d = np.subtract.outer(x, y).ravel()
        idx = sorted({k - 1 for k in ranks})
        part = np.partition(d, idx)
        return [float(part[k - 1]) for k in ranks]
    cols = np.sort(-y)
    tied = select_tied_sums(x, cols, ranks, upper=False, limit=distinct_max)
    if tied is not None:
        return [tied[k] for k in ranks]
    start = np.zeros(x.size, dtype=np.int64)
    list_at = 1_000_000 if direct_max is None else 0
    found = select_sums(x, cols, start, ranks, list_at=list_at)
    return [found[k] for k in ranks]
