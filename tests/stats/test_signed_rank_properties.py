"""Property tests of the signed-rank test (hypothesis; the "ci" profile is derandomized)."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import ndtr

from axspa.stats import signed_rank_exact_pvalue, signed_rank_null_distribution, wilcoxon_signed_rank

ALTERNATIVES = ("two-sided", "less", "greater")

# paired integer data on a coarse grid: ties and zeros are common
pairs = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(-6, 6), min_size=n, max_size=n),
        st.lists(st.integers(-6, 6), min_size=n, max_size=n),
    )
)
conventions = st.tuples(
    st.sampled_from(("wilcox", "pratt")),
    st.sampled_from(("exact", "asymptotic")),
    st.booleans(),
    st.sampled_from(ALTERNATIVES),
)


def _has_nonzero(x: list[int], y: list[int]) -> bool:
    return any(a != b for a, b in zip(x, y, strict=True))


@given(pairs, conventions)
def test_pvalue_is_a_probability(data: tuple[list[int], list[int]], conv: tuple[str, str, bool, str]) -> None:
    x, y = data
    if not _has_nonzero(x, y):
        return
    zm, method, cc, alt = conv
    res = wilcoxon_signed_rank(x, y, zero_method=zm, method=method, correction=cc, alternative=alt)
    assert 0.0 <= res.pvalue <= 1.0
    assert res.log_pvalue <= 0.0
    assert math.isclose(math.exp(res.log_pvalue), res.pvalue, rel_tol=1e-12)
    assert res.statistic + res.r_minus > 0
    if method == "exact":
        assert 0.0 < res.point_probability <= res.pvalue or alt == "two-sided"


@given(pairs, conventions)
def test_swapping_x_and_y(data: tuple[list[int], list[int]], conv: tuple[str, str, bool, str]) -> None:
    x, y = data
    if not _has_nonzero(x, y):
        return
    zm, method, cc, _ = conv
    kw = {"zero_method": zm, "method": method, "correction": cc}
    two_xy = wilcoxon_signed_rank(x, y, alternative="two-sided", **kw)
    two_yx = wilcoxon_signed_rank(y, x, alternative="two-sided", **kw)
    assert two_xy.pvalue == two_yx.pvalue
    assert two_xy.statistic == two_yx.r_minus
    less_xy = wilcoxon_signed_rank(x, y, alternative="less", **kw)
    greater_yx = wilcoxon_signed_rank(y, x, alternative="greater", **kw)
    assert math.isclose(less_xy.pvalue, greater_yx.pvalue, rel_tol=1e-13, abs_tol=1e-300)


@given(
    st.lists(st.integers(1, 10_000), min_size=1, max_size=45, unique=True),
    st.lists(st.booleans(), min_size=45, max_size=45),
    st.sampled_from(ALTERNATIVES),
)
def test_untied_exact_pvalues_lie_on_the_lattice(mags: list[int], signs: list[bool], alt: str) -> None:
    d = [m if s else -m for m, s in zip(mags, signs, strict=False)]
    n = len(d)
    res = wilcoxon_signed_rank(d, method="exact", alternative=alt)
    c = res.pvalue * 2.0**n
    if alt == "two-sided":
        assert res.pvalue == 1.0 or (c / 2 == round(c / 2))  # 2 c / 2^n
    else:
        assert c == round(c)  # c / 2^n
    assert res.point_probability * 2.0**n == round(res.point_probability * 2.0**n)


@given(st.lists(st.integers(-20, 20), min_size=2, max_size=30), st.sampled_from(("wilcox", "pratt")))
def test_exact_p_is_a_tail_of_the_null_distribution(d: list[int], zm: str) -> None:
    if not any(d):
        return
    res = wilcoxon_signed_rank(d, zero_method=zm, method="exact", alternative="less")
    # rebuild the ranks independently by sorting, to check the tail sum
    arr = np.array(d, dtype=float)
    pool = arr if zm == "pratt" else arr[arr != 0]
    absd = np.abs(pool)
    ranks = np.array([np.sum(absd < v) + (np.sum(absd == v) + 1) / 2 for v in absd])
    dist = signed_rank_null_distribution(ranks=ranks[pool != 0])
    assert math.isclose(res.pvalue, dist.cdf(res.statistic), rel_tol=1e-12)


def test_exact_and_asymptotic_converge_as_n_grows() -> None:
    # largest absolute difference between the exact cdf and the continuity-corrected normal cdf
    gaps = []
    for n in (10, 40, 160, 640):
        dist = signed_rank_null_distribution(n=n)
        mean, sd = n * (n + 1) / 4, math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
        exact_cdf = np.cumsum(dist.pmf)
        normal_cdf = ndtr((dist.support + 0.5 - mean) / sd)
        gaps.append(float(np.max(np.abs(exact_cdf - normal_cdf))))
    # the gap shrinks like 1/n (about 0.083 / n): quadrupling n divides it by about 4
    assert all(b < a / 3.9 for a, b in itertools.pairwise(gaps))
    assert gaps[-1] < 2e-4
    # and on samples: exact vs asymptotic p-values of the same data
    rng = np.random.default_rng(11)
    diffs = []
    for n in (10, 100, 1000):
        d = rng.permutation(np.arange(1.0, n + 1)) * rng.choice([-1.0, 1.0], size=n)
        e = wilcoxon_signed_rank(d, method="exact").pvalue
        a = wilcoxon_signed_rank(d, method="asymptotic", correction=True).pvalue
        diffs.append(abs(e - a))
    assert diffs[-1] < 1e-3


@given(
    st.lists(st.integers(1, 40), min_size=1, max_size=12),
    st.integers(-2, 500),
    st.sampled_from(ALTERNATIVES),
)
def test_exact_pvalue_at_any_statistic_matches_the_distribution(doubled: list[int], t2: int, alt: str) -> None:
    # any (mid)ranks and any half-integer statistic, attainable or not, inside or outside the support
    ranks = np.array(doubled) / 2.0
    dist = signed_rank_null_distribution(ranks=ranks)
    t = min(t2, int(2 * ranks.sum()) + 2) / 2.0
    res = signed_rank_exact_pvalue(t, ranks=ranks, alternative=alt)
    lower, upper = dist.cdf(t), dist.sf(t)
    expected = {"less": lower, "greater": upper, "two-sided": min(1.0, 2 * min(lower, upper))}[alt]
    assert math.isclose(res.pvalue, expected, rel_tol=1e-12, abs_tol=1e-300)
    attained = dist.pmf[dist.support == t]
    expected_point = float(attained[0]) if attained.size else 0.0
    assert math.isclose(res.point_probability, expected_point, rel_tol=1e-12)


@given(
    st.lists(st.integers(-30, 30), min_size=1, max_size=25),
    st.sampled_from((1e-295, 1e-250, 1e-3, 7.5, 1e250)),
    st.sampled_from(("wilcox", "pratt")),
)
def test_scale_invariance(d: list[int], factor: float, zm: str) -> None:
    if not any(d):
        return
    base = wilcoxon_signed_rank(d, zero_method=zm, method="exact")
    scaled = wilcoxon_signed_rank(np.array(d, dtype=float) * factor, zero_method=zm, method="exact")
    assert (scaled.statistic, scaled.n, scaled.n_zero, scaled.ties) == (
        base.statistic,
        base.n,
        base.n_zero,
        base.ties,
    )
    assert scaled.pvalue == base.pvalue
