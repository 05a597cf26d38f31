"""Selection of an order statistic among pairwise sums without listing them (Walsh averages, differences).

The k-th smallest of the sums r_i + c_j (c sorted ascending, each row i restricted to the columns
[a_i, b_i)) is found by the randomized selection of Monahan (1984) and Johnson & Mizoguchi (1978):
a pivot among the sums still in play splits them by counting, per row and by bisection, those at
most (and below) the pivot, until few enough remain to list. The Hodges-Lehmann estimates use it: the
Walsh averages d_i / 2 + d_j / 2 (j >= i) of one sample and the differences x_i - y_j of two.

References
----------
.. [1] Monahan JF. Algorithm 616: fast computation of the Hodges-Lehmann location estimator. ACM Trans
   Math Softw 1984;10:265-270.
.. [2] Johnson DB, Mizoguchi T. Selecting the Kth element in X + Y and X1 + X2 + ... + Xm. SIAM J Comput
   1978;7:147-153.
.. [3] Floyd RW, Rivest RL. Expected time bounds for selection. Commun ACM 1975;18:165-172.
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
    the ordered doubles (their integer keys), so ties and rounding plateaus cost nothing extra. The
    bisection starts from a bracket of a few units in the last place around the computed p - rows[i],
    checked before use (a row whose bracket fails the check starts from the whole range of doubles), and
    goes on only with the rows still open: a few steps per row instead of 64.
    """
    within = np.less if strict else np.less_equal
    big = np.finfo(np.float64).max
    with np.errstate(over="ignore", invalid="ignore"):
        guess = p - rows
        reach = 4.0 * np.spacing(np.maximum(np.maximum(abs(p), np.abs(rows)), np.abs(guess)))
        low, high = guess - reach, guess + reach
        checked = np.isfinite(low) & np.isfinite(high) & within(rows + low, p) & ~within(rows + high, p)
        top_in = within(rows + big, p)  # only when p is at the top of the range
    lo = _order_key(np.where(checked, low, -big))  # fl(r - big) <= -big/2 < p: within
    hi = _order_key(np.where(checked, high, big))
    open_rows = np.flatnonzero(hi - lo > 1)
    while open_rows.size:
        below, above = lo[open_rows], hi[open_rows]
        mid = below + (above - below) // np.uint64(2)
        with np.errstate(over="ignore"):
            ok = within(rows[open_rows] + _from_order_key(mid), p)
        lo[open_rows] = np.where(ok, mid, below)
        hi[open_rows] = np.where(ok, above, mid)
        open_rows = open_rows[hi[open_rows] - lo[open_rows] > 1]
    t: FloatArray = np.where(top_in, big, _from_order_key(lo))
    return t


_SAMPLE = 16_384
"""Sums in play drawn to place each pivot (Floyd & Rivest 1975)."""
_MARGIN = 2.5
"""How many sampling standard deviations (of a sample quantile, sqrt(S) / S) a pivot is placed beyond its rank."""


def _pivot(
    rows: FloatArray,
    cols: FloatArray,
    a: IntArray,
    width: IntArray,
    ends: IntArray,
    q: float,
    rng: np.random.Generator,
) -> float:
    """A sum in play just beyond relative rank ``q`` among those in play, from a random sample of them.

    Floyd and Rivest's choice: below the middle the pivot is the sample quantile a margin above q, so that
    the wanted rank falls among the few sums below it; above the middle, a margin below q. Each step thus
    keeps a fraction of about 2 x 2.5 / sqrt(16384), 4 %, of the sums in play, instead of a random split.
    Any sum in play is a correct pivot; the choice only decides how fast the bracket closes.
    """
    total = int(ends[-1])
    picks = rng.integers(total, size=min(_SAMPLE, total))
    row = np.searchsorted(ends, picks, side="right")
    sample = rows[row] + cols[a[row] + picks - (ends[row] - width[row])]
    margin = _MARGIN * np.sqrt(sample.size)
    at = q * sample.size + (margin if q <= 0.5 else -margin)
    index = min(max(int(at), 0), sample.size - 1)
    return float(np.partition(sample, index)[index])


def select_sums(
    rows: FloatArray, cols: FloatArray, start: IntArray, ranks: list[int], *, list_at: int = 1_000_000
) -> dict[int, float]:
    """The sums fl(rows[i] + cols[j]) of the given ranks (1-based) over j in [start[i], len(cols)), by rank.

    ``cols`` must be sorted ascending. All ranks share one pass: each row keeps the column range
    [a_i, b_i) still in play for the ranks not yet found, and a pivot from the sums in play splits them by
    counting (O(n log n) per step, O(log M) expected steps, O(n) memory). The pivot is drawn as Floyd and
    Rivest (1975) draw theirs, just beyond the first wanted rank (:func:`_pivot`). Ranks on both sides of a
    pivot continue in two brackets; a bracket with at most max(4n, ``list_at``) sums is listed once and
    partitioned at all its ranks together.
    """
    out: dict[int, float] = {}
    pending = sorted(set(ranks))
    if pending:
        rng = np.random.default_rng(0)  # the pivots change the path, never the result
        a = np.asarray(start, dtype=np.int64).copy()
        _select_in(rows, cols, a, np.full(rows.size, cols.size, dtype=np.int64), 0, pending, rng, list_at, out)
    return out


def _select_in(
    rows: FloatArray,
    cols: FloatArray,
    a: IntArray,
    b: IntArray,
    below: int,
    ranks: list[int],
    rng: np.random.Generator,
    list_at: int,
    out: dict[int, float],
) -> None:
    """Fill ``out`` with the sorted ``ranks``, all in the bracket [a_i, b_i) above ``below`` smaller sums."""
    n = rows.size
    while ranks:
        width = b - a
        ends = np.cumsum(width)
        total = int(ends[-1])
        if total <= max(4 * n, list_at):
            r = np.repeat(np.arange(n), width)
            c = np.arange(total) + np.repeat(a - (ends - width), width)
            kth = [k - below - 1 for k in ranks]
            listed = np.partition(rows[r] + cols[c], kth)
            out.update({k: float(listed[i]) for k, i in zip(ranks, kth, strict=True)})
            return
        pivot = _pivot(rows, cols, a, width, ends, (ranks[0] - below) / total, rng)
        at_most = np.clip(np.searchsorted(cols, largest_addend(rows, pivot, strict=False), side="right"), a, b)
        less = np.clip(np.searchsorted(cols, largest_addend(rows, pivot, strict=True), side="right"), a, b)
        n_at_most = below + int((at_most - a).sum())
        n_less = below + int((less - a).sum())
        if not n_less < n_at_most:  # the pivot is in play, so it counts itself: a failed count is a bug
            raise ComputationError(f"pairwise-sum selection made no progress at ranks {ranks} (n = {n})")
        out.update({k: pivot for k in ranks if n_less < k <= n_at_most})
        lower = [k for k in ranks if k <= n_less]
        if lower:
            _select_in(rows, cols, a, less, below, lower, rng, list_at, out)
        ranks = [k for k in ranks if k > n_at_most]
        below, a = n_at_most, at_most


DISTINCT_PAIRS_MAX = 4_000_000
"""Up to this many pairs of distinct values, order statistics of pairwise sums come from the tie-weighted
listing of :func:`select_tied_sums` (data on a grid: registry scores at 0.1 steps have a few hundred
distinct values however many patients there are)."""


def select_tied_sums(
    rows: FloatArray, cols: FloatArray, ranks: list[int], *, upper: bool, limit: int = DISTINCT_PAIRS_MAX
) -> dict[int, float] | None:
    """The sums fl(rows[i] + cols[j]) of the given ranks (1-based), listed once per pair of distinct values.

    Each distinct row value u (count a_u) and column value v (count b_v) stand for a_u b_v equal sums
    fl(u + v); sorting the distinct sums and accumulating these weights gives every rank at once, in
    O(U V log(U V)) time for U distinct rows and V distinct columns, whatever the sample sizes. With
    ``upper`` (``rows`` and ``cols`` the same values, sums over j >= i as for the Walsh averages) a pair
    of distinct values u < v stands for a_u a_v sums and u with itself for a_u (a_u + 1) / 2.

    Returns None when there are more than ``limit`` pairs of distinct values (then
    :func:`select_sums` is the way). The sums are the same doubles as the full listing gives, so the
    result is identical to it: ties merely change how many times a value is counted.
    """
    u, a = np.unique(rows, return_counts=True)
    v, b = (u, a) if upper else np.unique(cols, return_counts=True)
    pairs = u.size * (u.size + 1) // 2 if upper else u.size * v.size
    if pairs > limit:
        return None
    weight = np.multiply.outer(a, b).astype(np.int64)
    sums = np.add.outer(u, v)
    if upper:
        i, j = np.triu_indices(u.size)
        weight = np.where(i == j, a[i] * (a[i] + 1) // 2, weight[i, j])
        sums = sums[i, j]
    else:
        weight, sums = weight.ravel(), sums.ravel()
    order = np.argsort(sums, kind="stable")
    reached = np.cumsum(weight[order])
    where = np.searchsorted(reached, np.asarray(ranks, dtype=np.int64), side="left")
    if (where >= reached.size).any() or min(ranks) < 1:
        raise ComputationError(f"ranks {ranks} outside 1..{int(reached[-1])} pairwise sums")
    return {k: float(sums[order[w]]) for k, w in zip(ranks, where.tolist(), strict=True)}
