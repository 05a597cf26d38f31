"""Time of the outcomes table on 3,000 patients x 8 visits: signed-rank method "auto" against "exact".

    python -m benchmarks.bench_tables [--patients N] [--full-exact] [--no-analyze]

A seeded synthetic scored frame (values on the grids of the measures, so with many ties) is tabulated by
:func:`axspa.report.tables.outcomes_table` with ``SignedRankConvention(method="auto")`` (exact up to 500
ranked differences, asymptotic above, intervals likewise) and with ``method="exact"``. The exact run covers
BASDAI only unless ``--full-exact`` (all seven measures take minutes). Then ``axspa.report.analyze`` runs end
to end (no files written) on a generated study of the same size with the plan's test set to "auto". The
target is the whole analyze on 3,000 x 8 under 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

WEEKS = (0, 2, 4, 8, 12, 16, 20, 24)
MEASURES = ("basdai", "basfi", "basg", "asdas_crp", "esr_mm_h", "crp_mg_l", "iga_g_l")
TARGET_SECONDS = 10.0


def scored_frame(n_patients: int, seed: int = 14) -> pd.DataFrame:
    """A scored frame: every patient at every week, each measure on its reporting grid."""
    rng = np.random.default_rng(seed)
    ids = np.repeat([f"P{i:05d}" for i in range(n_patients)], len(WEEKS))
    weeks = np.tile(np.asarray(WEEKS, dtype=float), n_patients)
    drift = 1 - 0.3 * weeks / 24
    level = np.repeat(rng.uniform(3, 8, n_patients), len(WEEKS))
    frame = {"patient_id": ids, "week": weeks}
    for m, scale, digits in (
        ("basdai", 1.0, 1),
        ("basfi", 0.9, 1),
        ("basg", 1.1, 1),
        ("asdas_crp", 0.45, 2),
        ("esr_mm_h", 5.0, 0),
        ("crp_mg_l", 3.0, 1),
        ("iga_g_l", 0.4, 2),
    ):
        values = scale * level * drift + rng.normal(0, scale * 0.8, level.size)
        frame[m] = np.round(np.clip(values, 0, None), digits)
    return pd.DataFrame(frame)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=3000)
    parser.add_argument("--full-exact", action="store_true")
    parser.add_argument("--no-analyze", action="store_true")
    args = parser.parse_args()

    from axspa.analysis_sets import AnalysisSet
    from axspa.report.tables import outcomes_table
    from axspa.stats import SignedRankConvention

    scored = scored_frame(args.patients)
    everyone = AnalysisSet("all", "All patients", "every patient", tuple(scored["patient_id"].unique()))
    print(f"scored frame: {args.patients} patients x {len(WEEKS)} visits, {len(MEASURES)} measures")
    start = time.perf_counter()
    auto = outcomes_table(scored, everyone, measures=MEASURES, test=SignedRankConvention(method="auto"))
    t_auto = time.perf_counter() - start
    used = auto.data.loc[auto.data["statistic"] == "pvalue", "method"].str.extract(r"method used: (\w+)")[0]
    print(f"outcomes_table, auto : {t_auto:7.2f} s  ({used.value_counts().to_dict()})")
    exact_measures = MEASURES if args.full_exact else ("basdai",)
    start = time.perf_counter()
    outcomes_table(scored, everyone, measures=exact_measures, test=SignedRankConvention(method="exact"))
    t_exact = time.perf_counter() - start
    start = time.perf_counter()
    outcomes_table(scored, everyone, measures=exact_measures, test=SignedRankConvention(method="auto"))
    t_auto_same = time.perf_counter() - start
    print(
        f"outcomes_table, exact: {t_exact:7.2f} s on {', '.join(exact_measures)} "
        f"(auto on the same: {t_auto_same:.2f} s; ratio exact / auto {t_exact / t_auto_same:.1f})"
    )
    if args.no_analyze:
        return
    from axspa.report import analyze
    from axspa.report.plan import AnalysisPlan
    from benchmarks.bench_report import generated_study

    with tempfile.TemporaryDirectory() as tmp:
        folder = generated_study(Path(tmp) / "study", n_patients=args.patients)
        plan = AnalysisPlan(test=SignedRankConvention(method="auto"))
        start = time.perf_counter()
        analyze(folder, plan=plan, progress=False)
        t_analyze = time.perf_counter() - start
    verdict = "meets" if t_analyze < TARGET_SECONDS else "misses"
    print(
        f"analyze (load + score + tables + figures, auto): {t_analyze:.2f} s; {verdict} the {TARGET_SECONDS:g} s target"
    )


if __name__ == "__main__":
    main()
