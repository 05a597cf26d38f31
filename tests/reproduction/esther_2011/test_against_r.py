"""axspa's recomputed ESTHER figures agree with base R on the same CSV files (r/recompute_esther.R, its output
r/esther_by_r.csv: BASDAI and BASFI from their items, mean, sd, sums and counts of sites, lm(change ~ arm +
baseline) with the week-48 difference and its confint, wilcox.test of the baselines and ASAS partial remission
at week 48)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

R_VALUES = {
    row["id"]: float(row["value"]) for row in csv.DictReader((Path(__file__).parent / "r" / "esther_by_r.csv").open())
}


FIGURE_IDS = sorted(i for i in R_VALUES if not i.startswith("difference."))
DIFFERENCE_IDS = sorted(i for i in R_VALUES if i.startswith("difference."))


def test_r_covers_every_mean_sd_and_p_of_the_reconstructed_measures():
    # 14 measures x (3 weeks x 2 arms x 2 figures + 2 p-values), 4 baseline p-values, 2 remission rates
    assert len(FIGURE_IDS) == 14 * (3 * 2 * 2 + 2) + 4 + 2
    assert len(DIFFERENCE_IDS) == 14 * 3


@pytest.fixture(scope="module")
def differences(esther_machinery):
    return esther_machinery.differences(48).set_index("measure")


@pytest.mark.parametrize("key", DIFFERENCE_IDS)
def test_week48_difference_and_interval_equal_r(key, differences):
    _, measure, _, part = key.split(".")
    column = {"estimate": "difference", "low": "difference_ci_low", "high": "difference_ci_high"}[part]
    assert differences.loc[measure, column] == pytest.approx(R_VALUES[key], rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("figure_id", FIGURE_IDS)
def test_recomputed_figure_equals_r(figure_id, esther_rows):
    assert esther_rows[figure_id].comparison.recomputed == pytest.approx(R_VALUES[figure_id], rel=1e-10, abs=1e-15)
