"""A controlled trial analysed with axspa's public API: responses and change by arm, with between-arm statistics.

    python examples/controlled_trial.py [STUDY_FOLDER]

Without an argument it analyses the bundled synthetic trial (80 made-up patients, an anti-TNF-like drug
against placebo; see data/synthetic_rct/README.md). A study folder of your own needs an ``arm`` column in
patients.csv and a ``study.toml`` naming the arms and the control arm.
"""

from __future__ import annotations

import sys
from pathlib import Path

from axspa.analysis_sets import controlled_sets
from axspa.derive import score_visits
from axspa.imputation import non_responder
from axspa.io import load_study
from axspa.stats import ancova, cmh, mh_risk_difference, risk_difference, wilcoxon_rank_sum


def main(argv: list[str]) -> int:
    if argv:
        study = load_study(Path(argv[0]))
    else:
        from axspa.studies import synthetic_rct

        study = synthetic_rct.load()
    design = study.design
    treated_arm = next(a.code for a in design.arms if a.code != design.control)
    week = design.primary_week

    # 1. Analysis sets: full analysis set (as randomised), safety set (as treated), completers.
    sets = controlled_sets(study.patients, design)
    for s in sets.values():
        print(s.describe())
    fas = sets["fas"]
    arm_of = fas.arm_of()

    # 2. Responses at the primary week over the full analysis set, non-responders imputed.
    scored = score_visits(study.visits)
    nri = non_responder(scored, fas, columns=["asas20", "asas40"], weeks=[week]).frame
    nri = nri.assign(arm=nri["patient_id"].map(arm_of))
    stratum = design.strata[0] if design.strata else None
    for response in ("asas20", "asas40"):
        x = nri.groupby("arm")[response].sum()
        n = nri.groupby("arm")[response].size()
        rd = risk_difference(int(x[treated_arm]), int(n[treated_arm]), int(x[design.control]), int(n[design.control]))
        ci = rd.confidence_interval()
        print(
            f"{response.upper()} week {week:g}: {x[treated_arm]}/{n[treated_arm]} vs "
            f"{x[design.control]}/{n[design.control]}; difference {rd.estimate:.3f} "
            f"({ci.low:.3f} to {ci.high:.3f}), {rd.method}"
        )
        if stratum is not None:
            # The same over the randomisation strata: Cochran-Mantel-Haenszel and the MH risk difference.
            by = nri.assign(stratum=nri["patient_id"].map(study.patients.set_index("patient_id")[stratum]))
            table = by.groupby(["stratum", "arm"])[response].agg(["sum", "size"]).unstack("arm")
            counts = (table["sum"][treated_arm], table["size"][treated_arm])
            control = (table["sum"][design.control], table["size"][design.control])
            c = cmh(*counts, *control)
            mh = mh_risk_difference(*counts, *control)
            print(f"  stratified by {stratum}: CMH p = {c.pvalue:.4f}; MH risk difference {mh.estimate:.3f}")

    # 3. Change in BASDAI at the primary week, observed cases: rank-sum test and ANCOVA on baseline and stratum.
    change = fas.select(scored)
    change = change[change["week"] == week].dropna(subset=["basdai_chg"])
    change = change.assign(
        arm=change["patient_id"].map(arm_of),
        **({stratum: change["patient_id"].map(study.patients.set_index("patient_id")[stratum])} if stratum else {}),
    )
    for code in (treated_arm, design.control):
        values = change.loc[change["arm"] == code, "basdai_chg"]
        print(f"BASDAI change week {week:g}, {code}: mean {values.mean():.2f} (n = {len(values)})")
    w = wilcoxon_rank_sum(
        change.loc[change["arm"] == treated_arm, "basdai_chg"].to_numpy(),
        change.loc[change["arm"] == design.control, "basdai_chg"].to_numpy(),
        method="exact",
    )
    print(f"  rank-sum p = {w.pvalue:.4g} ({w.method}); shift estimate {w.hodges_lehmann().estimate:.2f}")
    model = ancova(
        change,
        outcome="basdai_chg",
        treatment="arm",
        covariates=["basdai_base"],
        strata=[stratum] if stratum else [],
        reference=design.control,
    )
    print(model.differences.to_string(index=False))

    # 4. Adverse events by arm over the safety set.
    safety = sets["safety"]
    events = safety.select(study.adverse_events)
    events = events.assign(arm=events["patient_id"].map(safety.arm_of()))
    for code in (treated_arm, design.control):
        mine = events[events["arm"] == code]
        n = sum(1 for a in safety.arms if a == code)
        print(f"adverse events, {code}: {len(mine)} in {mine['patient_id'].nunique()} of {n} treated patients")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
