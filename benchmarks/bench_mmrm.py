"""Benchmark of :func:`axspa.stats.mmrm` against R's ``nlme::gls`` on the same data, measured in one run.

    python -m benchmarks.bench_mmrm [--repeat N]

Data: 300 patients, 6 visits, 2 arms, baseline and baseline x visit, 15 % monotone dropout (generated, seeded).
Model: unstructured covariance by REML. R: ``gls(y ~ arm + week + base + arm:week + week:base, correlation =
corSymm(form = ~ vi | id), weights = varIdent(form = ~ 1 | week), method = "REML")``, timed inside R (R's start-up
and package loading excluded), twice: with nlme's default controls (which also compute nlme's approximate
covariance of the variance parameters, ``apVar``) and with ``apVar = FALSE``, the fastest way to get the fit;
the ratio is taken against the faster of the two. axspa's time includes its Satterthwaite degrees of freedom,
LS means and differences, which gls alone does not give. Both fits are checked to agree (REML log-likelihood
to 1e-6 relative) before any ratio is printed. Skipped, with a message, when Rscript or nlme is missing.
Targets: faster than R, and under 1 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from axspa.stats import mmrm

TARGET_SECONDS = 1.0

R_SCRIPT = r"""
suppressPackageStartupMessages(library(nlme))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1]); d <- d[!is.na(d$y), ]
d$week <- factor(d$week); d$arm <- factor(d$arm, levels = c("placebo", "active")); d$vi <- as.integer(d$week)
repeats <- as.integer(args[2])
run <- function(ctl) {
  times <- numeric(repeats)
  for (k in seq_len(repeats)) {
    times[k] <- system.time(fit <- gls(y ~ arm + week + base + arm:week + week:base, data = d,
      correlation = corSymm(form = ~ vi | id), weights = varIdent(form = ~ 1 | week), method = "REML",
      control = ctl))[["elapsed"]]
  }
  list(seconds = median(times), loglik = as.numeric(logLik(fit)))
}
out <- list(default = run(glsControl()), no_apvar = run(glsControl(apVar = FALSE)))
cat(jsonlite::toJSON(out, auto_unbox = TRUE, digits = 15))
"""


def trial(n: int = 300, visits: int = 6, dropout: float = 0.15, seed: int = 20261126) -> pd.DataFrame:
    """A generated two-arm trial with monotone dropout (long format; missing visits as NaN)."""
    rng = np.random.default_rng(seed)
    sd = np.linspace(1.0, 1.6, visits)
    corr = 0.3 + 0.7 * 0.7 ** np.abs(np.subtract.outer(np.arange(visits), np.arange(visits)))
    np.fill_diagonal(corr, 1.0)
    chol = np.linalg.cholesky(corr * np.outer(sd, sd))
    arm = np.where(rng.random(n) < 0.5, "active", "placebo")
    base = rng.normal(6.0, 1.2, n)
    effect = np.outer(arm == "active", np.linspace(0.2, 1.2, visits))
    y = -1.0 - effect - 0.3 * (base[:, None] - 6.0) + rng.normal(size=(n, visits)) @ chol.T
    drop = rng.random(n) < dropout
    last = rng.integers(1, visits, n)
    y[drop[:, None] & (np.arange(visits)[None, :] >= last[:, None])] = np.nan
    return pd.DataFrame(
        {
            "id": np.repeat(np.arange(n), visits),
            "week": np.tile([2, 4, 8, 12, 16, 24][:visits], n),
            "arm": np.repeat(arm, visits),
            "base": np.repeat(base.round(2), visits),
            "y": y.ravel().round(4),
        }
    )


def _fit(d: pd.DataFrame) -> float:
    res = mmrm(d, outcome="y", subject="id", visit="week", treatment="arm", baseline="base", reference="placebo")
    return res.loglik


def run_r(d: pd.DataFrame, repeats: int) -> dict[str, dict[str, float]] | None:
    """Time gls in R on the same data; None (with a message) when R or nlme is absent."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        print("  skipped: Rscript not found (install r-base-core and r-cran-nlme to compare with nlme::gls)")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        data, script = Path(tmp) / "trial.csv", Path(tmp) / "bench.R"
        d.to_csv(data, index=False)
        script.write_text(R_SCRIPT, encoding="utf-8")
        done = subprocess.run(
            [rscript, str(script), str(data), str(repeats)], capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        print(f"  skipped: the R side failed (is nlme installed?): {done.stderr.strip()[:300]}")
        return None
    result: dict[str, dict[str, float]] = json.loads(done.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    """Print the timings and the ratio against R."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_mmrm")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    d = trial()
    n_obs = int(d["y"].notna().sum())
    _fit(d)  # warm-up: imports and first-call costs
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        loglik = _fit(d)
        times.append(time.perf_counter() - start)
    ours = statistics.median(times)
    print(f"MMRM, unstructured covariance, REML: 300 patients x 6 visits, 15 % monotone dropout ({n_obs} observations)")
    print(f"  axspa.stats.mmrm (fit, Satterthwaite df, LS means)  {ours:7.3f} s   (target < {TARGET_SECONDS:.0f} s)")
    r = run_r(d, max(1, args.repeat // 2))
    ok = ours < TARGET_SECONDS
    if r is not None:
        for name, label in (("default", "default controls"), ("no_apvar", "apVar = FALSE")):
            if not np.isclose(r[name]["loglik"], loglik, rtol=1e-6, atol=0.0):
                raise RuntimeError(f"gls ({label}) and axspa disagree: logLik {r[name]['loglik']!r} vs {loglik!r}")
            print(f"  nlme::gls, {label:<17}                     {r[name]['seconds']:7.3f} s")
        fastest = min(r["default"]["seconds"], r["no_apvar"]["seconds"])
        print(f"  ratio (fastest gls / axspa)                       {fastest / ours:7.1f}x  (target > 1x)")
        ok = ok and fastest > ours
    print("  all targets met" if ok else "  TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
