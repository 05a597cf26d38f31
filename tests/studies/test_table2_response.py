"""Table 2 and the text's response figures, from item-level data through score_visits.

ASAS20/ASAS40 are checked under the standard definitions (Anderson 2001; Brandt 2004) and under the
paper's own wording ("> 20 % improvement of more than 3 of 4 domains", read literally as all four).
"""

from __future__ import annotations

import pytest

from axspa.stats import binomial_ci
from axspa.testing import assert_printed


def _count(study, status=None, reason=None):
    p = study.patients
    mask = p["status"].notna()
    if status:
        mask &= p["status"] == status
    if reason:
        mask &= p["withdrawal_reason"] == reason
    return int(mask.sum())


@pytest.mark.parametrize(
    ("figure", "status", "reason"),
    [
        ("table2.enrolled", None, None),
        ("table2.withdrew_side_effects", None, "adverse_event"),
        ("table2.dropout_no_response", None, "lack_of_efficacy"),
        ("table2.completed", "completed", None),
    ],
)
def test_table2_disposition(figure, status, reason, study, printed):
    assert_printed(_count(study, status, reason), printed[figure], label=figure)


def _week24(scores):
    return scores[scores["week"] == 24].set_index("patient_id")


@pytest.mark.parametrize("definition", ["standard", "paper"])
def test_table2_asas20_responders(definition, scores, printed):
    column = "asas20" if definition == "standard" else "asas20_paper"
    assert_printed(int(_week24(scores)[column].sum()), printed["table2.asas20.responders"])


@pytest.mark.parametrize("definition", ["standard", "paper"])
def test_table2_rate_among_completers(definition, scores, completers, printed):
    column = "asas20" if definition == "standard" else "asas20_paper"
    responders = int(_week24(scores).loc[completers, column].sum())
    assert (
        f"{responders}/{len(completers)} ({round(100 * responders / len(completers))})"
        == printed["table2.asas20.rate_completers"]
    )


@pytest.mark.parametrize(
    ("figure", "column"), [("table2.asas20.rate_enrollers", "asas20"), ("text.asas40.rate_enrollers", "asas40")]
)
@pytest.mark.parametrize("definition", ["standard", "paper"])
def test_table2_rate_among_enrollers(figure, column, definition, study, scores, printed):
    # "Enrollers": the 13 enrolled minus the 3 adverse-event withdrawals; the 2 lack-of-efficacy
    # dropouts have no week-24 visit and count as non-responders.
    enrollers = study.patients.loc[study.patients["withdrawal_reason"] != "adverse_event", "patient_id"]
    name = column if definition == "standard" else f"{column}_paper"
    responses = _week24(scores)[name].reindex(enrollers).fillna(False).astype(bool)
    k, n = int(responses.sum()), len(enrollers)
    assert f"{k}/{n} ({round(100 * k / n)})" == printed[figure]


@pytest.mark.parametrize(
    ("figure", "subtype", "level"),
    [
        ("text.asas40.responders.juvenile", "juvenile", "asas40"),
        ("text.asas40.responders.peripheral", "peripheral", "asas40"),
        ("text.asas40.responders.psoriatic", "psoriatic", "asas40"),
        ("text.asas20_not_40.responders.axial", "axial", "asas20_only"),
        ("text.asas20_not_40.responders.peripheral", "peripheral", "asas20_only"),
    ],
)
@pytest.mark.parametrize("definition", ["standard", "paper"])
def test_text_responders_by_subtype(figure, subtype, level, definition, scores, printed):
    week24 = _week24(scores)
    suffix = "" if definition == "standard" else "_paper"
    a20, a40 = week24[f"asas20{suffix}"].astype(bool), week24[f"asas40{suffix}"].astype(bool)
    hits = a40 if level == "asas40" else a20 & ~a40
    assert_printed(int((hits & (week24["subtype"] == subtype)).sum()), printed[figure], label=figure)


def test_asas40_implies_asas20_for_every_visit(scores):
    assert not (scores["asas40"].fillna(False) & ~scores["asas20"].fillna(False)).any()


def test_response_rate_with_nonresponder_imputation_over_everyone_treated(study, scores):
    # Everyone treated (13): withdrawals count as non-responders -> 8/13, the ITT composite view.
    responses = _week24(scores)["asas20"].reindex(study.patients["patient_id"]).fillna(False).astype(bool)
    assert (int(responses.sum()), len(responses)) == (8, 13)


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    # Clopper-Pearson 95 % intervals; 8/10 and 8/13 from R's binom.test(8, 10) and binom.test(8, 13)
    # (0.4439045-0.9747893, 0.3157776-0.8614207); 8/8: lower bound (alpha/2)^(1/n) = 0.025^(1/8) = 0.631, upper 1.
    [(8, 8, "0.631", "1.000"), (8, 10, "0.444", "0.975"), (8, 13, "0.316", "0.861")],
)
def test_clopper_pearson_intervals_of_the_three_denominators(k, n, low, high):
    interval = binomial_ci(k, n, method="clopper-pearson")
    assert_printed(interval.low, low)
    assert_printed(interval.high, high)
