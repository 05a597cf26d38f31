"""Walsh-average order statistics found by selection (no listing) equal the sorted list's entries.

Expected values from the definition: all n(n+1)/2 averages d_i / 2 + d_j / 2 (i <= j) listed and sorted
here with numpy, compared exactly with the selection, which is forced (list_max=0) on samples that
include ties, grids, values near the float64 limit and mixed magnitudes (rounding plateaus).
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from axspa.stats import hodges_lehmann
from axspa.stats.hodges_lehmann import walsh_order_statistics

KINDS = ("normal", "grid", "integers", "huge", "mixed")


def _sample(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "normal":
        return rng.normal(size=n)
    if kind == "grid":
        return np.round(rng.normal(size=n), 1)
    if kind == "integers":
        return rng.integers(-3, 4, size=n).astype(float)
    if kind == "huge":
        return rng.normal(size=n) * 1e307
    return np.concatenate([rng.normal(size=n // 2) * 1e16, rng.normal(size=n - n // 2)])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [1, 2, 7, 600, 1500])
def test_selection_equals_the_sorted_list(kind: str, n: int) -> None:
    rng = np.random.default_rng(n * 10 + KINDS.index(kind))
    d = _sample(kind, n, rng)
    i, j = np.triu_indices(n)
    listed = np.sort(d[i] / 2 + d[j] / 2)
    ranks = sorted({1, listed.size, (listed.size + 1) // 2, int(rng.integers(1, listed.size + 1))})
    selected = walsh_order_statistics(d, ranks, list_max=0, distinct_max=0)
    assert selected == {r: float(listed[r - 1]) for r in ranks}


def test_interval_does_not_depend_on_listing_or_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    d = np.round(np.random.default_rng(3).normal(0.2, 1.0, size=1200), 1)
    listed = hodges_lehmann(d)
    module = sys.modules["axspa.stats.hodges_lehmann"]  # the module, not the function of the same name
    monkeypatch.setattr(module, "LIST_WALSH_MAX", 0)
    selected = hodges_lehmann(d)
    assert (selected.estimate, selected.low, selected.high) == (listed.estimate, listed.low, listed.high)
    # and both equal the definition: zeros dropped ("wilcox"), all n(n+1)/2 Walsh averages sorted by numpy, the
    # median and the k-th from each end, k the smallest q with P(R+ <= q) >= 0.025 for n untied ranks (the
    # null distribution by halving at every rank, P_j(q) = (P_{j-1}(q) + P_{j-1}(q - j)) / 2)
    nz = d[d != 0]
    n = nz.size
    i, j = np.triu_indices(n)
    walsh = np.sort(nz[i] / 2 + nz[j] / 2)
    p = np.zeros(n * (n + 1) // 4 + 1)
    p[0] = 1.0
    for rank in range(1, n + 1):
        p[rank:] = (p[rank:] + p[:-rank]) / 2.0  # right-hand side built first: the old P_{j-1}
        p[:rank] /= 2.0
    k = int(np.argmax(np.cumsum(p) >= 0.025 - 10 * np.finfo(float).eps))
    assert (listed.n, listed.k) == (n, k)
    assert listed.estimate == pytest.approx(float(np.median(walsh)), rel=1e-15)
    assert (listed.low, listed.high) == (walsh[k - 1], walsh[walsh.size - k])


@pytest.mark.parametrize("kind", ("grid", "integers", "mixed"))
@pytest.mark.parametrize("n", [3, 40, 900, 2100])
@pytest.mark.parametrize("list_at", [0, 1_000_000])
def test_many_ranks_in_one_pass_equal_the_sorted_list(kind: str, n: int, list_at: int) -> None:
    # all ranks found together (one shared bracket, split where a pivot falls between them) equal the
    # sorted list of all averages at those ranks; list_at=0 lists only the last 4n candidates of a bracket
    rng = np.random.default_rng(n + 7 * KINDS.index(kind) + list_at % 7)
    d = _sample(kind, n, rng)
    i, j = np.triu_indices(n)
    listed = np.sort(d[i] / 2 + d[j] / 2)
    m = listed.size
    ranks = [1, 2, m, (m + 1) // 2, m // 2 + 1, max(1, m // 3), m + 1 - max(1, m // 3)]
    ranks += [int(r) for r in rng.integers(1, m + 1, size=8)] + [ranks[-1]]  # a repeated rank too
    selected = walsh_order_statistics(d, ranks, list_max=0, list_at=list_at, distinct_max=0)
    assert selected == {r: float(listed[r - 1]) for r in ranks}
    assert walsh_order_statistics(d, ranks) == selected  # the listing path (np.partition at all ranks)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [1, 2, 7, 600, 1500])
def test_tie_weighted_listing_equals_the_sorted_list(kind: str, n: int) -> None:
    # the averages of distinct values listed once with their multiplicities (data on a grid) are the
    # same doubles at every rank as the full sorted list, ties at the rank boundaries included
    rng = np.random.default_rng(n * 13 + KINDS.index(kind))
    d = _sample(kind, n, rng)
    i, j = np.triu_indices(n)
    listed = np.sort(d[i] / 2 + d[j] / 2)
    m = listed.size
    ranks = sorted({1, min(2, m), m, (m + 1) // 2, m // 2 + 1, *(int(r) for r in rng.integers(1, m + 1, size=6))})
    selected = walsh_order_statistics(d, ranks, list_max=0)
    assert selected == {r: float(listed[r - 1]) for r in ranks}


def test_listing_every_walsh_average_is_refused_above_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from axspa.errors import InputError
    from axspa.stats.hodges_lehmann import walsh_averages

    module = sys.modules["axspa.stats.hodges_lehmann"]
    monkeypatch.setattr(module, "WALSH_LIST_MAX", 14)
    assert walsh_averages([1.0, 2.0, 3.0, 4.0]).size == 10  # 4 x 5 / 2, under the limit
    with pytest.raises(InputError, match=r"^d has 5 values, so 15 Walsh averages \(0\.0 GB\): more than the 14 "):
        walsh_averages([1.0, 2.0, 3.0, 4.0, 5.0])
