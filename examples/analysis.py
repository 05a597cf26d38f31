"""A researcher's analysis with axspa's public API, end to end.

    python examples/analysis.py [STUDY_FOLDER] [OUT_FOLDER]

Without arguments it analyses the bundled reference study (thalidomide in ankylosing spondylitis,
reconstructed patient-level data) and writes into ``example-output``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from axspa.analysis_sets import completers, standard_sets
from axspa.derive import score_visits
from axspa.imputation import non_responder
from axspa.io import load_study
from axspa.report import mean_sd_plot, outcomes_table, response_table, write_report
from axspa.report.writer import Report, ReportFigure
from axspa.stats import wilcoxon_signed_rank


def main(argv: list[str]) -> int:
    if argv:
        folder = Path(argv[0])
    else:
        from axspa.studies import thalidomide_2003

        folder = thalidomide_2003.folder()
    out = Path(argv[1]) if len(argv) > 1 else Path("example-output")

    # 1. Load and validate the study; score indices and responses per visit.
    study = load_study(folder)
    # The reference study used BAS-G as its patient global; say so, or ASAS responses are not evaluable.
    scored = score_visits(study.visits, patient_global="basg", keep=("esr_mm_h",))
    last_week = scored["week"].max()

    # 2. Analysis sets: completers, enrolled minus adverse-event withdrawals, all enrolled.
    sets = standard_sets(study.patients)
    done = completers(study.patients)
    for s in sets.values():
        print(s.describe())

    # 3. One test by hand: BASDAI at the last visit against baseline, completers, exact.
    wide = done.select(scored).pivot(index="patient_id", columns="week", values="basdai")
    pairs = wide[[0.0, last_week]].dropna()
    result = wilcoxon_signed_rank(
        pairs[last_week].to_numpy(),
        pairs[0.0].to_numpy(),
        zero_method="wilcox",
        method="exact",
        correction=False,
        alternative="two-sided",
    )
    print(
        f"BASDAI week 0 -> {last_week:g} (n = {len(pairs)}): p = {result.pvalue:.4f}, "
        f"HL = {result.hodges_lehmann():.2f}"
    )

    # 4. ASAS20 with non-responder imputation over everyone treated, by hand.
    nri = non_responder(scored, sets["enrolled"], columns=["asas20"], weeks=[last_week])
    print(f"ASAS20, {nri.label}: {int(np.sum(nri.frame['asas20']))}/{sets['enrolled'].n}")

    # 5. Tables and a figure; then a report folder.
    responses = response_table(scored, list(sets.values()), week=last_week, responses=["asas20", "asas40"])
    outcomes = outcomes_table(scored, done, measures=["basdai", "basfi", "esr_mm_h"])
    print(responses)
    ax = mean_sd_plot(outcomes, ["basdai", "basfi"])
    report = Report(
        title=f"{study.name}: example analysis",
        tables=[responses, outcomes],
        figures=[ReportFigure("basdai_basfi", "BASDAI and BASFI, completers, mean ± SD", ax.get_figure(root=True))],
        methods=["Example analysis written with axspa's public API (examples/analysis.py)."],
    )
    paths = write_report(report, out)
    print(f"report written to {paths['html']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
