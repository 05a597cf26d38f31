"""Selection of an order statistic among pairwise sums without listing them (Walsh averages, differences).

The k-th smallest of the sums r_i + c_j (c sorted ascending, each row i restricted to the columns
[a_i, b_i)) is found by the randomized selection of Monahan (1984) and Johnson & Mizoguchi (1978):
a random pivot among the sums still in play splits them by counting, per row and by bisection, those at
most (and below) the pivot, until few enough remain to list. The Hodges-Lehmann estimates use it: the
Walsh averages d_i / 2 + d_j / 2 (j >= i) of one sample and the differences x_i - y_j of two.

References
----------
.. [1] Monahan JF. Algorithm 616: fast computation of the Hodges-Lehmann location estimator. ACM Trans
   Math Softw 1984;10:265-270.
.. [2] Johnson DB, Mizoguchi T. Selecting the Kth element in X + Y and X1 + X2 + ... + Xm. SIAM J Comput
   1978;7:147-153.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from axspa.errors import ComputationError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_SIGN = np.uint64(1 << 63)


def _order_key(values: FloatArray) -> npt.NDArray[np.uint64]:
    """A uint64 key per double that sorts exactly as the doubles do."""
    bits = values.view(np.uint64)
    out: npt.NDArray[np.uint64] = np.where(bits >> np.uint64(63) == 1, ~bits, bits | _SIGN)
    return out


def _from_order_key(keys: npt.NDArray[np.uint64]) -> FloatArray:
    """The doubles of the given keys (the inverse of :func:`_order_key`)."""
    bits = np.where(keys >> np.uint64(63) == 1, keys & ~_SIGN, ~keys)
    out: FloatArray = bits.view(np.float64)
    return out


def largest_addend(rows: FloatArray, p: float, *, strict: bool) -> FloatArray:
    """Per row i, the largest double t with fl(rows[i] + t) <= p (< p if ``strict``).

    Rounding is monotone, so fl(rows[i] + c) <= p exactly when c <= t. The t are found by bisection over
    the ordered doubles (their integer keys), 64 steps at most, so ties and rounding plateaus cost
    nothing extra.
    """
    within = np.less if strict else np.less_equal
    big = np.finfo(np.float64).max
    lo = _order_key(np.full(rows.size, -big))  # fl(r - big) <= -big/2 < p: within
    hi = _order_key(np.full(rows.size, big))
    with np.errstate(over="ignore"):
        top_in = within(rows + big, p)  # only when p is at the top of the range
        while True:
            open_rows = hi - lo > 1
            if not open_rows.any():
                break
            mid = lo + (hi - lo) // np.uint64(2)
            ok = within(rows + _from_order_key(mid), p)
            lo = np.where(open_rows & ok, mid, lo)
            hi = np.where(open_rows & ~ok, mid, hi)
    t: FloatArray = np.where(top_in, big, _from_order_key(lo))
    return t


def select_sum(rows: FloatArray, cols: FloatArray, start: IntArray, rank: int, *, list_at: int = 1_000_000) -> float:
    """The sum fl(rows[i] + cols[j]) of the given rank (1-based) over j in [start[i], len(cols)).

    ``cols`` must be sorted ascending. Each row keeps the column range [a_i, b_i) still in play; a
    random pivot from the sums in play splits them by counting (O(n log n) per step, O(log M) expected
    steps, O(n) memory), until at most max(4n, ``list_at``) remain, which are listed and partitioned.
    """
    rng = np.random.default_rng(0)  # the pivots change the path, never the result
    n = rows.size
    a = np.asarray(start, dtype=np.int64).copy()
    b = np.full(n, cols.size, dtype=np.int64)
    below = 0  # sums already known to lie below the answer
    while True:
        width = b - a
        ends = np.cumsum(width)
        total = int(ends[-1])
        if total <= max(4 * n, list_at):
            r = np.repeat(np.arange(n), width)
            c = np.arange(total) + np.repeat(a - (ends - width), width)
            return float(np.partition(rows[r] + cols[c], rank - below - 1)[rank - below - 1])
        pick = int(rng.integers(total))
        row = int(np.searchsorted(ends, pick, side="right"))
        pivot = float(rows[row] + cols[a[row] + pick - (int(ends[row]) - int(width[row]))])
        at_most = np.clip(np.searchsorted(cols, largest_addend(rows, pivot, strict=False), side="right"), a, b)
        less = np.clip(np.searchsorted(cols, largest_addend(rows, pivot, strict=True), side="right"), a, b)
        n_at_most = below + int((at_most - a).sum())
        n_less = below + int((less - a).sum())
        if not n_less < n_at_most:  # the pivot is in play, so it counts itself: a failed count is a bug
            raise ComputationError(f"pairwise-sum selection made no progress at rank {rank} (n = {n})")
        if rank <= n_less:
            b = less
        elif rank <= n_at_most:
            return pivot
        else:
            below, a = n_at_most, at_most
