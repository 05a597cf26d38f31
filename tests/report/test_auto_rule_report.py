"""The report records the signed-rank / rank-sum method used per p-value and interval, and the trajectory
figure draws a stated random sample above SPAGHETTI_MAX_LINES patients with values (and the report's caption says so
only then).

Sizes are chosen at the documented switch points (500 ranked differences; 200 observations in two arms; 50 lines).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import axspa
from axspa.analysis_sets import AnalysisSet
from axspa.report import analyze
from axspa.report.figures import spaghetti_plot
from axspa.report.figures.single_arm import SPAGHETTI_MAX_LINES
from axspa.report.tables import outcomes_table
from axspa.stats import SignedRankConvention


def _scored(n: int, seed: int = 0) -> tuple[pd.DataFrame, AnalysisSet]:
    rng = np.random.default_rng(seed)
    ids = [f"P{i:04d}" for i in range(n)]
    base = np.round(rng.uniform(3, 8, n), 1)
    change = np.round(rng.normal(-1, 1, n), 1)
    change[change == 0] = -0.1  # every change non-zero: n ranked differences
    scored = pd.DataFrame(
        {"patient_id": ids * 2, "week": [0.0] * n + [12.0] * n, "basdai": np.concatenate([base, base + change])}
    )
    return scored, AnalysisSet("all", "All", "every patient", tuple(ids))


def _method(table: object, statistic: str) -> str:
    """The method of the one row of ``statistic`` (weeks 0 and 12: one comparison, at week 12)."""
    data = table.data  # type: ignore[attr-defined]
    (method,) = data.loc[data["statistic"] == statistic, "method"].tolist()
    return method


def test_auto_is_exact_at_500_and_says_so_like_the_exact_default() -> None:
    scored, s = _scored(500)
    auto = outcomes_table(scored, s, measures=["basdai"], test=SignedRankConvention(method="auto"))
    assert "method used: exact" in _method(auto, "pvalue")
    assert _method(auto, "hl_ci_low").startswith("Hodges-Lehmann estimate, exact 95% CI")
    assert "†" not in "".join(auto.view["p"]) + " ".join(auto.notes)


def test_auto_is_asymptotic_at_501_recorded_in_rows_view_and_notes() -> None:
    scored, s = _scored(501)
    t = outcomes_table(scored, s, measures=["basdai"], test=SignedRankConvention(method="auto"))
    assert "method used: asymptotic" in _method(t, "pvalue")
    assert "asymptotic 95% CI" in _method(t, "hl_ci_low")
    row = t.view.loc[t.view["Week"] == "12"].iloc[0]
    assert row["p"].endswith(" †") and row["HL change (CI)"].endswith(" †")
    notes = " ".join(t.notes)
    assert "† asymptotic (normal approximation with tie-corrected variance): 1 of 1 p-values" in notes
    assert "up to 500 ranked differences" in notes
    exact = outcomes_table(scored, s, measures=["basdai"], test=SignedRankConvention(method="exact"))
    assert "method used: exact" in _method(exact, "pvalue")


def test_spaghetti_draws_every_patient_up_to_the_limit_and_a_stated_sample_above() -> None:
    scored, s = _scored(SPAGHETTI_MAX_LINES)
    ax = spaghetti_plot(scored, "basdai", s)
    assert [line.get_label() for line in ax.lines] == list(s.patient_ids)
    assert "random sample" not in ax.get_title()
    scored, s = _scored(3000)
    ax = spaghetti_plot(scored, "basdai", s, seed=3)
    assert len(ax.lines) == SPAGHETTI_MAX_LINES == 50
    drawn = [line.get_label() for line in ax.lines]
    assert len(set(drawn)) == 50 and set(drawn) <= set(s.patient_ids)
    assert drawn == sorted(drawn)  # in the order of the analysis set
    assert "a random sample of 50 of the 3000 patients with values (seed 3)" in ax.get_title()
    again = spaghetti_plot(scored, "basdai", s, seed=3)
    assert [line.get_label() for line in again.lines] == drawn  # seeded: the same sample


def test_change_by_arm_rank_sum_auto_switches_above_200_and_marks_the_view() -> None:
    from axspa.design import Arm, StudyDesign
    from axspa.report.tables import change_by_arm_table

    design = StudyDesign(arms=(Arm("active", "Active"), Arm("placebo", "Placebo")), control="placebo")
    for per_arm, expected in ((100, "exact"), (101, "asymptotic")):
        scored, s = _scored(2 * per_arm, seed=per_arm)
        fas = AnalysisSet("fas", "FAS", "all", s.patient_ids, arms=("active",) * per_arm + ("placebo",) * per_arm)
        t = change_by_arm_table(scored, fas, design, measures=["basdai"], model="ancova")
        p_method = _method(t, "rank_sum_pvalue")
        shift_method = _method(t, "shift_ci_low")
        p_view = t.view.loc[t.view["Week"] == "12", "p (rank-sum)"].iloc[0]
        if expected == "exact":
            assert "exact conditional distribution given ties" in p_method and "exact 95% CI" in shift_method
            assert not p_view.endswith("†")
        else:
            assert "normal approximation with tie-corrected variance" in p_method
            assert "asymptotic 95% CI" in shift_method and p_view.endswith(" †")
            assert "† marks the 1 of 1 p-values and intervals that are asymptotic" in " ".join(t.notes)


def _caption(with_basdai: int, without: int) -> str:
    """The trajectory caption of completers seen at weeks 0 and 12, ``without`` of them with no BASDAI item."""
    ids = [f"P{i:03d}" for i in range(with_basdai + without)]
    patients = pd.DataFrame({"patient_id": ids, "sex": "male", "age_years": 40, "status": "completed"})
    rows = []
    for i, pid in enumerate(ids):
        for week, value in ((0, 6.0), (12, 4.0 + (i % 5) / 10)):
            item = value if i < with_basdai else None
            rows.append({"patient_id": pid, "week": week, **{f"basdai_q{k}": item for k in range(1, 7)}})
    study = axspa.validate_frames(patients, pd.DataFrame(rows), name="caption")
    figures = analyze(study, None, measures=["basdai"], progress=False).report.figures
    return next(f for f in figures if f.name == "trajectories_basdai").caption


def test_the_trajectory_caption_speaks_of_a_sample_only_when_one_is_drawn() -> None:
    # 55 enrolled, 50 (SPAGHETTI_MAX_LINES) with values: every one of them is drawn, no sample
    caption = _caption(50, 5)
    assert caption.endswith("(n = 55); observed values.") and "sample" not in caption
    # 51 with values: a sample of 50 of them
    assert _caption(51, 0).endswith("a seeded random sample of 50 of the 51 patients with values is drawn.")
