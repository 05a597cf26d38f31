"""grid_audit: GRIMMER on ESTHER's printed per-arm means and SDs, on each measure's grid."""

from __future__ import annotations

from axspa.studies import esther_2011 as esther
from axspa.studies.controlled_reproduction import grid_audit


def test_a_mean_no_forty_whole_numbers_give_is_flagged():
    # 40 joint counts (whole numbers) printing as 0.34 would sum to [13.4, 13.8): no integer (GRIM).
    figures = esther.published_figures().copy()
    figures.loc["table3.joint_count.etanercept.week48.mean", "printed"] = "0.34"
    checks = {c.mean_id: c for c in grid_audit(figures, esther.load())}
    assert not checks["table3.joint_count.etanercept.week48.mean"].consistent
    assert checks["table3.joint_count.etanercept.week48.mean"].n == 40
    assert sum(not c.consistent for c in checks.values()) == 1
