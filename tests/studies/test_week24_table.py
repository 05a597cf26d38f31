"""The week-24 table: six measures in the 8 completers, mean and SD at baseline and week 24, and the
paired Wilcoxon signed-rank p-value (exact, zeros dropped, two-sided: the convention under which every
number of this table reproduces)."""

from __future__ import annotations

import pytest

from axspa.stats import wilcoxon_signed_rank
from axspa.testing import assert_printed

from ._helpers import values_at

MEASURES = ("basdai", "basfi", "basg", "esr_mm_h", "crp_mg_dl", "iga_mg_dl")


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize(("week", "label"), [(0, "baseline"), (24, "week24")])
@pytest.mark.parametrize("statistic", ["mean", "sd"])
def test_week24_table_mean_and_sd(measure, week, label, statistic, scores, completers, printed):
    values = values_at(scores, completers, measure, week)
    assert values.notna().all() and len(values) == 8
    value = values.mean() if statistic == "mean" else values.std(ddof=1)
    figure = f"week24.{measure}.{label}.{statistic}"
    assert_printed(float(value), printed[figure], label=figure)


@pytest.mark.parametrize("measure", MEASURES)
def test_week24_table_p_value(measure, scores, completers, printed):
    before = values_at(scores, completers, measure, 0)
    after = values_at(scores, completers, measure, 24)
    result = wilcoxon_signed_rank(
        after.to_numpy(), before.to_numpy(), method="exact", zero_method="wilcox", alternative="two-sided"
    )
    assert result.method == "exact"
    assert_printed(result.pvalue, printed[f"week24.{measure}.p"], label=f"week24.{measure}.p")
