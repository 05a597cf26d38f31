"""Benchmark of the forensic reconstruction on the reference study's paired figures.

Prints, for each published measure, the median time of a full reconstruct_paired search (exact,
two-sided, zeros dropped, or the convention its p-value needs) and its ratio to a baseline measured
in the same run: one batched exact signed-rank call of axspa.stats on 16 rows of 8 differences,
the unit of work the search repeats. The data generator's budget is about 6 s per search.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from axspa.forensics import SignedRankConvention, reconstruct_paired

EXACT = SignedRankConvention()
CASES = [
    # name, n, grid, upper, baseline mean, SD, follow-up mean, SD, p, convention
    ("BASDAI wk24", 8, "0.01", 10, "4.97", "2.33", "3.1", "2.08", "0.0156", EXACT),
    ("BASFI wk24", 8, "0.01", 10, "5.24", "2.6", "3.06", "2.14", "0.0078", EXACT),
    ("BAS-G wk24", 8, "0.05", 10, "6.02", "2.75", "3.21", "2.01", "0.0078", EXACT),
    ("ESR wk24", 8, "1", 200, "69.5", "21.2", "34.2", "28", "0.0156", EXACT),
    ("CRP wk24", 8, "0.01", 50, "6.08", "4.97", "3.01", "3.55", "0.078", EXACT),
    ("IgA wk24", 8, "1", 5000, "496", "230", "505", "323", "0.375", EXACT),
    ("ESR wk8", 10, "0.1", 200, "70.03", "21.16", "39.34", "11.42", "0.014", EXACT),
    ("BASDAI wk8", 10, "0.01", 10, "5.39", "2.33", "3.78", "1.67", "0.007", SignedRankConvention(alternative="less")),
]


def _median_seconds(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _search(case: tuple, seed: int) -> tuple[bool, float]:
    _, n, grid, upper, bm, bs, fm, fs, p, conv = case
    start = time.perf_counter()
    r = reconstruct_paired(
        n=n, grid=grid, lower=0, upper=upper, baseline_mean=bm, baseline_sd=bs, followup_mean=fm,
        followup_sd=fs, p=p, convention=conv, seed=seed,
    )  # fmt: skip
    return r.found, time.perf_counter() - start


def main() -> None:
    rows = np.random.default_rng(0).integers(-50, 50, (16, 8))
    baseline = _median_seconds(lambda: EXACT.test_rows(rows), 50)
    print(f"baseline: one batched exact signed-rank call (16 x 8): {baseline * 1e3:.2f} ms")
    total = 0.0
    for case in CASES:
        runs = [_search(case, seed) for seed in range(5)]  # five seeds, median time
        t = statistics.median(s for _, s in runs)
        total += t
        found = sum(f for f, _ in runs)
        print(f"{case[0]:12s} found {found}/5  median {t * 1e3:8.1f} ms  = {t / baseline:6.0f} x baseline")
    print(f"all {len(CASES)} searches (medians): {total:.2f} s (budget for the study's generator: 60 s)")


if __name__ == "__main__":
    main()
