"""Checks of reconstructed samples that share no code with axspa.forensics.

Exact rational means and SDs (decimal rounding half up, half down or half even), a brute-force
enumeration of all 2^m sign patterns for the exact signed-rank p-value, and scipy for the normal
approximation.
"""

import itertools
from decimal import ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import wilcoxon

from axspa.forensics import PairedReconstruction, SignedRankConvention


def _to_decimal(x: Fraction, sqrt: bool = False) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(x.numerator) / Decimal(x.denominator)
        return d.sqrt() if sqrt else d


def prints_as(value: Decimal, text: str) -> bool:
    """Whether ``value`` rounds to ``text`` half up, half down or half even."""
    q = Decimal(1).scaleb(Decimal(text).as_tuple().exponent)
    return any(
        value.quantize(q, rounding=r) == Decimal(text) for r in (ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN)
    )


def mean_sd(values) -> tuple[Decimal, Decimal]:
    xs = [Fraction(str(v)) for v in values]
    n = len(xs)
    m = sum(xs) / n
    var = sum((x - m) ** 2 for x in xs) / (n - 1)
    return _to_decimal(m), _to_decimal(var, sqrt=True)


def midranks(values: list[Fraction]) -> list[Fraction]:
    return [sum(1 for w in values if w < v) + Fraction(sum(1 for w in values if w == v) + 1, 2) for v in values]


def brute_force_exact_p(d, zero_method: str, alternative: str) -> float:
    """Exact conditional signed-rank p-value by enumerating all 2^m sign patterns."""
    ds = [Fraction(str(v)) for v in d]
    if zero_method == "wilcox":
        ds = [v for v in ds if v != 0]
        ranks = midranks([abs(v) for v in ds])
    else:
        all_ranks = midranks([abs(v) for v in ds])
        ranks = [r for r, v in zip(all_ranks, ds, strict=True) if v != 0]
        ds = [v for v in ds if v != 0]
    obs = sum(r for r, v in zip(ranks, ds, strict=True) if v > 0)
    le = ge = 0
    for signs in itertools.product((0, 1), repeat=len(ranks)):
        t = sum(r for r, s in zip(ranks, signs, strict=True) if s)
        le += t <= obs
        ge += t >= obs
    total = 2 ** len(ranks)
    if alternative == "less":
        return le / total
    if alternative == "greater":
        return ge / total
    return min(1.0, 2 * min(le, ge) / total)


def reference_p(d, conv: SignedRankConvention) -> float:
    if conv.method == "exact":
        return brute_force_exact_p(d, conv.zero_method, conv.alternative)
    res = wilcoxon(
        np.asarray(d, dtype=float),
        zero_method=conv.zero_method,
        correction=conv.correction,
        alternative=conv.alternative,
        method="asymptotic",
    )
    return float(res.pvalue)


def assert_reproduces(r: PairedReconstruction, *, n, grid, lower, upper, bm, bs, fm, fs, p, conv):
    assert r.found, r.reason
    assert len(r.baseline) == len(r.followup) == n
    g = Fraction(str(grid))
    for v in (*r.baseline, *r.followup):
        f = Fraction(str(v))
        assert (f / g).denominator == 1, f"{v} is off the grid {grid}"
        assert Fraction(str(lower)) <= f <= Fraction(str(upper))
    m, s = mean_sd(r.baseline)
    assert prints_as(m, bm) and prints_as(s, bs), (m, s)
    m, s = mean_sd(r.followup)
    assert prints_as(m, fm) and prints_as(s, fs), (m, s)
    d = [Fraction(str(b)) - Fraction(str(a)) for a, b in zip(r.baseline, r.followup, strict=True)]
    pv = reference_p(d, conv)
    assert prints_as(Decimal(repr(pv)), p), pv
    assert r.pvalue == pytest.approx(pv, rel=1e-9, abs=1e-12)
