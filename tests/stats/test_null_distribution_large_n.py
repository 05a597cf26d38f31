"""The exact null distribution past the float64 range of its far tails (n above about 1000).

Audit of every reader of the null distribution for the flaw that made the Hodges-Lehmann interval
wrong from n = 1536 on (far-tail values dropped, then the rest read by position): the support
must list every attainable value, and an unresolved log-probability is NaN, never -inf.
Expected values from the definition: the untied statistic of ranks 1..n takes every integer from
0 to n(n+1)/2 (every such integer is a sum of distinct ranks), P(R+ = 0) = P(R+ = 1) = 2^-n
(only the empty set, or {1}), and P(R+ <= q) for q = 0, 1, 2 is 1, 2, 3 times 2^-n.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from axspa.stats import signed_rank_exact_pvalue, signed_rank_null_distribution


@pytest.mark.slow
@pytest.mark.parametrize("n", [1100, 1600])
def test_support_is_every_attainable_value(n: int) -> None:
    dist = signed_rank_null_distribution(n=n)
    total = n * (n + 1) // 2
    assert dist.support.size == total + 1
    assert dist.support[0] == 0.0 and dist.support[-1] == total
    assert np.all(np.diff(dist.support) == 1.0)
    assert dist.pmf.sum() == pytest.approx(1.0, rel=1e-12)
    assert not np.isneginf(dist.log_pmf).any()
    assert dist.pmf[0] == 0.0  # 2^-n is below the smallest double
    if n == 1100:  # resolved by the scaled counts
        assert dist.log_pmf[0] == pytest.approx(-n * math.log(2), rel=1e-12)
        assert not np.isnan(dist.log_pmf).any()
    else:  # too far out for one power-of-two scale: unresolved, said by NaN (documented)
        assert np.isnan(dist.log_pmf[0])
    # read by value: the symmetric centre
    assert dist.cdf(total / 2) == pytest.approx(0.5 + dist.pmf[dist.support == total / 2][0] / 2, rel=1e-12)


def test_far_tail_pvalues_by_value() -> None:
    # P(R+ <= 2) = 3 / 2^n for n = 2000: log p = log 3 - 2000 log 2
    res = signed_rank_exact_pvalue(2, n=2000, alternative="less")
    assert res.log_pvalue == pytest.approx(math.log(3) - 2000 * math.log(2), rel=1e-14)
