"""The week-8 figures of the text, in the 10 patients still on treatment at week 8.

No exact signed-rank p-value for 10 pairs prints as 0.007 two-sided (the lattice 2c/1024 gives
0.0059 and 0.0078), so these p-values are reproduced by the normal approximation without continuity
correction (SPSS's "Asymp. Sig."); the audit lists every convention that could produce them.
"""

from __future__ import annotations

import pytest

from axspa.stats import wilcoxon_signed_rank
from axspa.testing import assert_printed

from ._helpers import values_at


@pytest.mark.parametrize("measure", ["basdai", "esr_mm_h"])
@pytest.mark.parametrize(("week", "label"), [(0, "baseline"), (8, "week8")])
@pytest.mark.parametrize("statistic", ["mean", "sd"])
def test_week8_text_mean_and_sd(measure, week, label, statistic, scores, on_treatment_at_week_8, printed):
    values = values_at(scores, on_treatment_at_week_8, measure, week)
    assert values.notna().all() and len(values) == 10
    value = values.mean() if statistic == "mean" else values.std(ddof=1)
    figure = f"week8.{measure}.{label}.{statistic}"
    assert_printed(float(value), printed[figure], label=figure)


@pytest.mark.parametrize("measure", ["basdai", "esr_mm_h"])
def test_week8_text_p_value(measure, scores, on_treatment_at_week_8, printed):
    before = values_at(scores, on_treatment_at_week_8, measure, 0)
    after = values_at(scores, on_treatment_at_week_8, measure, 8)
    result = wilcoxon_signed_rank(
        after.to_numpy(),
        before.to_numpy(),
        method="asymptotic",
        zero_method="wilcox",
        correction=False,
        alternative="two-sided",
    )
    assert_printed(result.pvalue, printed[f"week8.{measure}.p"], label=f"week8.{measure}.p")


def test_week8_population_is_completers_and_lack_of_efficacy_dropouts(study, on_treatment_at_week_8):
    p = study.patients.set_index("patient_id").loc[on_treatment_at_week_8]
    assert sorted(p["status"].where(p["status"] == "completed", p["withdrawal_reason"]).value_counts().items()) == [
        ("completed", 8),
        ("lack_of_efficacy", 2),
    ]
