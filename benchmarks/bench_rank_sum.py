"""Benchmark of the exact two-sample rank-sum test with ties against coin::wilcox_test, measured in one run.

Run with ``python -m benchmarks.bench_rank_sum`` (``--quick``: 3 repeats instead of 5). R (Rscript with the
coin package) is called in the same run, on the same data; without it the benchmark says so and is skipped.
Both sides are timed inside their own process: each time printed is the median of 5 repeats (R's start-up
and the data transfer are not counted), and the ratio is coin's median over axspa's. The p-values and
intervals are checked to agree (1e-9 relative) before any ratio is printed.

Cases, 100 + 100 observations rounded to one decimal (heavy ties, as BASDAI changes are):

1. a treatment effect of 0.4 SD (p about 3e-5: both tails far from the centre);
2. no effect (p about 0.32: both tails near the centre, the costliest case);
3. case 1 with the Hodges-Lehmann shift and its exact 95% interval (coin: conf.int = TRUE); axspa's time
   includes the test itself.

Latest run (2-core machine shared with other jobs, load average about 6, which inflates both sides; medians
of 5 repeats per side): effect 49.6 ms vs coin 729 ms (14.7x), no effect 67.1 ms vs 886 ms (13.2x),
shift and interval 114.8 ms vs 874 ms (7.6x). The issue's target, 100x, is not met, and the exact
algorithm cannot meet it in numpy. Unloaded, coin takes about 220 ms, so 100x leaves about 2.2 ms, of
which the input checks, midranks and the median of the 10,000 differences take 0.45 ms. The equal arms
make the null distribution symmetric, so one tail table serves the two-sided p-value; what remains is
the dynamic programme over (members, sum) for that tail. Restricted to the states whose completions can
still fall on either side of the cut-off (the network algorithm's bounds) it needs about 8 million cell
updates at 100 + 100 with these ties (5.5 million if states carrying less than 1e-16 of the tail are
dropped as well); at the 0.65 ns per update measured for numpy here that is 3.6 to 5 ms before any
per-call overhead, and the interval needs a second table (to its 2.5 % quantile). Fourier inversion is
costlier still at 1e-9 relative accuracy in the tails (over 10,000 points of the sum axis, each a
product over the tie groups for some 40 values of the count variable).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from axspa.stats import wilcoxon_rank_sum

TARGET = 100.0

_R_CODE = r"""
suppressMessages(library(coin))
args <- commandArgs(trailingOnly = TRUE)
reps <- as.integer(args[2])
d <- read.csv(args[1])
d$group <- factor(d$group, levels = c("x", "y"))
med <- function(f) { t <- replicate(reps, system.time(f())[["elapsed"]]); list(median(t), f()) }
for (case in unique(d$case)) {
  s <- d[d$case == case, ]
  a <- med(function() pvalue(wilcox_test(value ~ group, data = s, distribution = "exact")))
  cat(case, "pvalue", sprintf("%.17g", a[[2]]), sprintf("%.6f", a[[1]]), "\n")
  if (case == "effect") {
    b <- med(function() confint(wilcox_test(value ~ group, data = s, distribution = "exact", conf.int = TRUE)))
    cat(case, "interval", sprintf("%.17g", b[[2]]$conf.int[1]), sprintf("%.17g", b[[2]]$conf.int[2]),
        sprintf("%.6f", b[[1]]), "\n")
  }
}
"""


def _median_time(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times = []
    out = None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def _samples() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(20261126)
    y = np.round(rng.normal(0.0, 1.0, 100), 1)
    return {
        "effect": (np.round(rng.normal(0.4, 1.0, 100), 1), y),
        "null": (np.round(rng.normal(0.0, 1.0, 100), 1), y),
    }


def _coin(samples: dict[str, tuple[np.ndarray, np.ndarray]], reps: int) -> dict[str, list[float]] | None:
    """coin's p-values, intervals and median times, or None when R or coin is missing."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "samples.csv"
        lines = ["case,group,value"]
        for case, (x, y) in samples.items():
            lines += [f"{case},x,{v!r}" for v in x.tolist()] + [f"{case},y,{v!r}" for v in y.tolist()]
        data.write_text("\n".join(lines) + "\n")
        script = Path(tmp) / "bench.R"
        script.write_text(_R_CODE)
        done = subprocess.run([rscript, str(script), str(data), str(reps)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"  coin not available ({done.stderr.strip().splitlines()[-1] if done.stderr else 'no output'})")
        return None
    out: dict[str, list[float]] = {}
    for line in done.stdout.splitlines():
        case, what, *values = line.split()
        out[f"{case}_{what}"] = [float(v) for v in values]
    return out


REPEATS = 5
QUICK_REPEATS = 3


def _repeats(quick: bool) -> int:
    return QUICK_REPEATS if quick else REPEATS


def run(quick: bool = False) -> dict[str, float] | None:
    """Run the cases; return the timings (seconds) and ratios, or None without R."""
    reps = _repeats(quick)
    samples = _samples()
    coin = _coin(samples, reps)
    if coin is None:
        return None
    res: dict[str, float] = {}
    for case, (x, y) in samples.items():
        t, p = _median_time(lambda x=x, y=y: wilcoxon_rank_sum(x, y, method="exact").pvalue, reps)
        ref_p, t_coin = coin[f"{case}_pvalue"]
        if not np.isclose(p, ref_p, rtol=1e-9, atol=0.0):
            raise RuntimeError(f"{case}: p-values differ (axspa {p!r}, coin {ref_p!r})")
        res.update({f"{case}_axspa": t, f"{case}_coin": t_coin, f"{case}_ratio": t_coin / t, f"{case}_p": p})
    x, y = samples["effect"]
    t, hl = _median_time(lambda: wilcoxon_rank_sum(x, y, method="exact").hodges_lehmann(0.95), reps)
    low, high, t_coin = coin["effect_interval"]
    if (hl.low, hl.high) != (low, high) and not np.allclose([hl.low, hl.high], [low, high], rtol=1e-9):
        raise RuntimeError(f"interval differs (axspa {hl.low}, {hl.high}; coin {low}, {high})")
    res.update(interval_axspa=t, interval_coin=t_coin, interval_ratio=t_coin / t)
    return res


def main(argv: list[str] | None = None) -> int:
    """Print the timings and ratios. ``--quick`` uses fewer repeats."""
    args = sys.argv[1:] if argv is None else argv
    quick = "--quick" in args
    r = run(quick=quick)
    if r is None:
        print("exact rank-sum benchmark skipped: Rscript with the coin package is needed for the baseline")
        return 0
    reps = _repeats(quick)
    print(
        "exact rank-sum test with ties, 100 + 100: axspa vs coin::wilcox_test "
        f"(median of {reps} repeats per side, same run, same data; ratio = coin / axspa)"
    )
    for case, label in (("effect", "effect 0.4 SD "), ("null", "no effect     "), ("interval", "HL + 95% CI   ")):
        print(
            f"  {label} axspa {r[f'{case}_axspa'] * 1e3:8.1f} ms   coin {r[f'{case}_coin'] * 1e3:8.1f} ms   "
            f"ratio {r[f'{case}_ratio']:6.1f}x  (target >= {TARGET:.0f}x)"
            + (f"   p = {r[f'{case}_p']:.3g}" if f"{case}_p" in r else "")
        )
    ok = all(r[f"{c}_ratio"] >= TARGET for c in ("effect", "null", "interval"))
    print("  all targets met" if ok else "  TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
