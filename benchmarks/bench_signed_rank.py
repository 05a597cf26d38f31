"""Benchmark of the exact signed-rank test against scipy.stats.wilcoxon, measured in one run.

Run with ``python -m benchmarks.bench_signed_rank``. Every timing is the median of several
repeats; every ratio compares two timings taken in this run, on the same data, after checking
that both give the same p-value. scipy is always called with explicit ``method`` and
``zero_method`` (its defaults changed in 1.15).

Cases:

1. n = 13 with ties: scipy's default path (method="auto") runs a full sign-flip permutation
   (2^13 patterns) for n <= 13 with ties; axspa builds the exact conditional distribution.
2. n = 500, untied: scipy's method="exact" against axspa's exact method.
3. n = 2000, untied, data drawn under H0 (the statistic near the centre: the costliest tail).
4. 10,000 samples of n = 10 in one call (untied, so scipy's vectorized method="exact" is a
   valid baseline), and the same with ties (exact conditional; no scipy baseline).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.stats as sps

from axspa.stats import wilcoxon_signed_rank, wilcoxon_signed_rank_batch


def _median_time(fn: Callable[[], Any], repeats: int, inner: int = 1) -> tuple[float, Any]:
    """Median over ``repeats`` of the mean time of ``inner`` calls; and the last result."""
    times = []
    out = None
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            out = fn()
        times.append((time.perf_counter() - start) / inner)
    return statistics.median(times), out


def _check(ours: float, theirs: float, what: str) -> None:
    if not np.isclose(ours, theirs, rtol=1e-9, atol=0.0):
        raise RuntimeError(f"{what}: p-values differ (axspa {ours!r}, scipy {theirs!r})")


def run(quick: bool = False) -> dict[str, float]:
    """Run the benchmark cases; return the timings (seconds) and ratios."""
    rng = np.random.default_rng(20261124)
    res: dict[str, float] = {}
    reps = 3 if quick else 5

    # 1. n = 13 with ties (and no zeros): scipy's permutation path vs the exact conditional
    d13 = rng.integers(1, 6, size=13) * rng.choice([-1, 1], size=13, p=[0.3, 0.7])
    assert len(np.unique(np.abs(d13))) < 13
    t_ours, ours = _median_time(lambda: wilcoxon_signed_rank(d13, method="exact").pvalue, reps, inner=200)
    t_scipy, theirs = _median_time(
        lambda: sps.wilcoxon(d13, method="auto", zero_method="wilcox", correction=False).pvalue,
        3 if not quick else 1,
    )
    _check(ours, float(theirs), "n = 13 with ties")
    res.update(n13_ties_axspa=t_ours, n13_ties_scipy=t_scipy, n13_ties_ratio=t_scipy / t_ours)

    # 2. n = 500 untied: both exact
    d500 = rng.permutation(np.arange(1.0, 501.0)) * rng.choice([-1.0, 1.0], size=500, p=[0.45, 0.55])
    t_ours, ours = _median_time(lambda: wilcoxon_signed_rank(d500, method="exact").pvalue, reps + 2)
    t_scipy, theirs = _median_time(lambda: sps.wilcoxon(d500, method="exact", zero_method="wilcox").pvalue, reps + 2)
    _check(ours, float(theirs), "n = 500 untied")
    res.update(n500_axspa=t_ours, n500_scipy=t_scipy, n500_ratio=t_scipy / t_ours)

    # 3. n = 2000 untied, drawn under H0
    d2000 = rng.normal(0.0, 1.0, size=2000)
    t_ours, ours = _median_time(lambda: wilcoxon_signed_rank(d2000, method="exact").pvalue, reps)
    res.update(n2000_axspa=t_ours, n2000_pvalue=float(ours))

    # 4. batch: 10,000 samples of n = 10
    batch = rng.normal(0.3, 1.0, size=(10_000, 10))
    t_ours, ours = _median_time(lambda: wilcoxon_signed_rank_batch(batch, method="exact").pvalue, reps)
    t_scipy, theirs = _median_time(
        lambda: sps.wilcoxon(batch, axis=1, method="exact", zero_method="wilcox").pvalue, reps
    )
    if not np.allclose(ours, theirs, rtol=1e-9, atol=0.0):
        raise RuntimeError("batch: p-values differ from scipy")
    tied = np.round(rng.normal(0.3, 1.0, size=(10_000, 10)) * 2)
    t_tied, _ = _median_time(lambda: wilcoxon_signed_rank_batch(tied, method="exact").pvalue, reps)
    res.update(batch_axspa=t_ours, batch_scipy=t_scipy, batch_ratio=t_scipy / t_ours, batch_tied_axspa=t_tied)
    return res


def main(argv: list[str] | None = None) -> int:
    """Print the timings and ratios. ``--quick`` uses fewer repeats."""
    args = sys.argv[1:] if argv is None else argv
    r = run(quick="--quick" in args)
    print("exact signed-rank test: axspa vs scipy.stats.wilcoxon (median times, same run, same data)")
    print(
        f"  n = 13 with ties    axspa exact {r['n13_ties_axspa'] * 1e3:8.3f} ms   scipy auto (permutation) "
        f"{r['n13_ties_scipy']:7.3f} s    ratio {r['n13_ties_ratio']:10.0f}x  (target >= 1000x)"
    )
    print(
        f"  n = 500 untied      axspa exact {r['n500_axspa'] * 1e3:8.3f} ms   scipy exact "
        f"{r['n500_scipy'] * 1e3:8.3f} ms    ratio {r['n500_ratio']:10.2f}x  (target >= 1x)"
    )
    print(f"  n = 2000 untied     axspa exact {r['n2000_axspa']:8.3f} s    (target < 3 s; p = {r['n2000_pvalue']:.4f})")
    print(
        f"  10,000 x n = 10     axspa batch {r['batch_axspa']:8.3f} s    scipy exact, axis=1 "
        f"{r['batch_scipy']:6.3f} s    ratio {r['batch_ratio']:10.2f}x  (target < 1 s)"
    )
    print(f"  10,000 x n = 10 tied  axspa batch exact conditional {r['batch_tied_axspa']:8.3f} s")
    ok = (
        r["n13_ties_ratio"] >= 1000
        and r["n500_ratio"] >= 1
        and r["n2000_axspa"] < 3
        and r["batch_axspa"] < 1
        and r["batch_tied_axspa"] < 1
    )
    print("  all targets met" if ok else "  TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
