"""reconstruct_paired with baseline values held fixed and a further acceptance condition.

The returned sample is re-checked by forensics_checks (exact rational means and SDs, scipy's normal
approximation for the p-value), which shares no code with axspa.forensics or axspa.printed.
"""

from __future__ import annotations

import pytest
from forensics_checks import assert_reproduces, mean_sd, prints_as

from axspa.errors import InputError
from axspa.forensics import SignedRankConvention, reconstruct_paired

# Ten values in tenths: sum 53.9 -> mean 5.39; sum of squares 339.53 -> SD sqrt((339.53 - 10 * 5.39^2) / 9)
# = sqrt(49.009 / 9) = 2.3335 -> "2.33".
BASELINE = (8.0, 5.7, 2.7, 2.9, 4.4, 4.6, 6.2, 7.9, 8.9, 2.6)

# The week-8 BASDAI figures of the reference paper, under the normal approximation without correction.
FIGURES = dict(
    n=10,
    grid="0.1",
    lower=0,
    upper=10,
    baseline_mean="5.39",
    baseline_sd="2.33",
    followup_mean="3.78",
    followup_sd="1.67",
    p="0.007",
    convention=SignedRankConvention(method="asymptotic", correction=False),
    seed=3,
)


def test_fixed_baseline_is_kept_in_order_and_followup_matches_everything():
    mean, sd = mean_sd(BASELINE)
    assert prints_as(mean, "5.39") and prints_as(sd, "2.33")
    result = reconstruct_paired(
        **FIGURES,
        fixed_baseline=BASELINE,
        accept=lambda b, f: f[-1] >= b[-1],  # the last patient must not improve
    )
    assert result.found, result.reason
    assert result.baseline == BASELINE
    assert result.followup[-1] >= BASELINE[-1]
    # grid, range, both means and SDs and the p-value (scipy's wilcoxon on the differences), checked independently
    assert_reproduces(
        result, n=10, grid="0.1", lower=0, upper=10, bm="5.39", bs="2.33", fm="3.78", fs="1.67", p="0.007",
        conv=FIGURES["convention"],
    )  # fmt: skip


def test_fixed_baseline_that_misses_its_figures_is_reported():
    result = reconstruct_paired(**{**FIGURES, "baseline_mean": "5.00"}, fixed_baseline=BASELINE)
    assert not result.found
    assert "fixed baseline values do not print as the baseline mean and SD" in result.reason


def test_fixed_baseline_off_grid_is_an_input_error():
    with pytest.raises(InputError, match=r"fixed_baseline\[0\] must be a multiple of the grid 1/10"):
        reconstruct_paired(**FIGURES, fixed_baseline=(8.45, *BASELINE[1:]))
