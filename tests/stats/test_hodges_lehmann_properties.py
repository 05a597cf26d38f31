"""Property tests of the Hodges-Lehmann estimate and its exact interval (hypothesis).

The achieved coverage is checked against a brute-force count written out here: every one of the
2^n sign patterns of the ranks 1..n is listed and P(R+ <= k - 1) counted directly.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from axspa.errors import ConfidenceLevelWarning
from axspa.stats import hodges_lehmann

LEVELS = (0.5, 0.8, 0.9, 0.95, 0.99)
ALTERNATIVES = ("two-sided", "less", "greater")

# untied non-zero integer differences (distinct absolute values), so the coverage is exact
untied = st.lists(st.integers(1, 60), min_size=1, max_size=12, unique=True).flatmap(
    lambda mags: st.lists(st.sampled_from((-1, 1)), min_size=len(mags), max_size=len(mags)).map(
        lambda signs: [m * s for m, s in zip(mags, signs, strict=True)]
    )
)


def _quiet(d: list[int], **kwargs: object):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConfidenceLevelWarning)
        return hodges_lehmann(d, **kwargs)  # type: ignore[arg-type]


def _brute_force_lower_tail(n: int, q: int) -> float:
    """P(R+ <= q) by listing all 2^n sign patterns of the ranks 1..n."""
    hits = sum(
        1
        for signs in itertools.product((0, 1), repeat=n)
        if sum(r * s for r, s in zip(range(1, n + 1), signs, strict=True)) <= q
    )
    return hits / 2**n


@given(untied, st.sampled_from(LEVELS), st.sampled_from(ALTERNATIVES))
def test_achieved_coverage_is_the_brute_force_count(d: list[int], level: float, alternative: str) -> None:
    res = _quiet(d, confidence_level=level, alternative=alternative)
    miss = _brute_force_lower_tail(len(d), res.k - 1)
    expected = 1 - 2 * miss if alternative == "two-sided" else 1 - miss
    assert abs(res.achieved_confidence - expected) < 1e-12
    # at least the requested level, unless the level is not achievable at all (then k = 1 and a warning)
    if res.achieved_confidence < level:
        assert res.k == 1
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            hodges_lehmann(d, confidence_level=level, alternative=alternative)
        assert any(issubclass(w.category, ConfidenceLevelWarning) for w in caught)
    else:
        # and k is the largest such rank: one step narrower does not exceed the level (R's rule picks k as the
        # smallest q with P(R+ <= q) >= tail, so a narrower interval reaching the level exactly is not taken)
        narrower = _brute_force_lower_tail(len(d), res.k)
        assert (1 - 2 * narrower if alternative == "two-sided" else 1 - narrower) <= level + 1e-12


@given(untied, st.sampled_from(ALTERNATIVES))
def test_interval_widens_with_the_level(d: list[int], alternative: str) -> None:
    intervals = [_quiet(d, confidence_level=level, alternative=alternative) for level in LEVELS]
    for narrow, wide in itertools.pairwise(intervals):
        assert wide.low <= narrow.low
        assert wide.high >= narrow.high


@given(
    st.lists(st.integers(-20, 20), min_size=1, max_size=30).filter(lambda v: any(v)),
    st.sampled_from(LEVELS),
    st.sampled_from(ALTERNATIVES),
)
def test_estimate_lies_inside(d: list[int], level: float, alternative: str) -> None:
    res = _quiet(d, confidence_level=level, alternative=alternative)
    assert res.low <= res.estimate <= res.high


@given(
    st.lists(st.tuples(st.integers(-50, 50), st.integers(-50, 50)), min_size=1, max_size=30).filter(
        lambda p: any(a != b for a, b in p)
    ),
    st.integers(-1000, 1000),
    st.sampled_from(LEVELS),
)
def test_shifting_both_samples_changes_nothing(pairs: list[tuple[int, int]], shift: int, level: float) -> None:
    x = np.array([a for a, _ in pairs], dtype=float)
    y = np.array([b for _, b in pairs], dtype=float)
    base = _quiet(x, y=y, confidence_level=level)  # type: ignore[arg-type]
    moved = _quiet(x + shift, y=y + shift, confidence_level=level)  # type: ignore[arg-type]
    assert (moved.estimate, moved.low, moved.high, moved.k, moved.n) == (
        base.estimate,
        base.low,
        base.high,
        base.k,
        base.n,
    )


@given(untied)
def test_estimate_is_the_median_of_the_pairwise_averages(d: list[int]) -> None:
    # written out from the definition: all (d_i + d_j) / 2 with i <= j
    averages = sorted((d[i] + d[j]) / 2 for i in range(len(d)) for j in range(i, len(d)))
    mid = len(averages) // 2
    expected = averages[mid] if len(averages) % 2 else (averages[mid - 1] + averages[mid]) / 2
    assert _quiet(d).estimate == expected
