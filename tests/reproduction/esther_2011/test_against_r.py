"""axspa's recomputed ESTHER figures agree with base R on the same CSV files (r/recompute_esther.R, its output
r/esther_by_r.csv: BASDAI and BASFI from their items, mean, sd, sums and counts of sites, lm(change ~ arm +
baseline), wilcox.test of the baselines and ASAS partial remission at week 48)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

R_VALUES = {
    row["id"]: float(row["value"]) for row in csv.DictReader((Path(__file__).parent / "r" / "esther_by_r.csv").open())
}


def test_r_covers_every_mean_sd_and_p_of_the_reconstructed_measures():
    # 14 measures x (3 weeks x 2 arms x 2 figures + 2 p-values), 4 baseline p-values, 2 remission rates
    assert len(R_VALUES) == 14 * (3 * 2 * 2 + 2) + 4 + 2


@pytest.mark.parametrize("figure_id", sorted(R_VALUES))
def test_recomputed_figure_equals_r(figure_id, esther_rows):
    assert esther_rows[figure_id].comparison.recomputed == pytest.approx(R_VALUES[figure_id], rel=1e-10, abs=1e-15)
