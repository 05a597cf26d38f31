"""analyze on a copy of the bundled reference study without patient T04 (an axial completer).

Expected values: tests/report/reference_one_removed.R (output in reference_one_removed.txt), which
reads the same files in R, drops T04, computes the indices from their items and runs
exactRankTests::wilcox.exact and binom.test. The response counts follow from the published
Table 2: every completer is an ASAS20 responder and both axial completers (T04, T05) responded
without reaching ASAS40, so without T04: ASAS20 7 and ASAS40 4 responders.
"""

import pytest

from axspa.report import analyze
from axspa.studies import thalidomide_2003

from .test_pipeline import remove_patient

R = {  # measure: (n, base mean, base SD, week-24 mean, week-24 SD, exact p, HL CI low, high)
    "basdai": (7, 5.1814285714, 2.4341968461, 3.2285714286, 2.2018509530, 0.03125, -3.475, -0.225),
    "basfi": (7, 4.5642857143, 1.8936724210, 2.4514285714, 1.3752869830, 0.015625, -2.92, -1.17),
    "basg": (7, 5.8428571429, 2.9253815380, 3.1857142857, 2.1746099815, 0.015625, -3.875, -1.625),
    "esr_mm_h": (7, 71.4, 22.1200512356, 35.1285714286, 29.8210615888, 0.03125, -62.05, -3.6),
}
CP = {  # binom.test
    (7, 7): (0.5903836028, 1.0),
    (7, 9): (0.3999064263, 0.9718550265),
    (7, 12): (0.2766696857, 0.8483477702),
    (4, 7): (0.1840515676, 0.9010117216),
    (4, 9): (0.1369956623, 0.7879914932),
    (4, 12): (0.0992460911, 0.6511244936),
}


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    root = tmp_path_factory.mktemp("reference")
    remove_patient(thalidomide_2003.folder(), root / "study", "T04")
    return analyze(root / "study", root / "out", scoring={"patient_global": "basg"}, progress=False)


def test_outcomes_without_one_patient(analysis):
    t = analysis.tables["outcomes"]
    for m, (n, b, bsd, f, fsd, p, lo, hi) in R.items():

        def v(stat, m=m):
            return t.value(variable=m, week=24.0, level="paired", statistic=stat)

        assert v("n") == n
        assert v("baseline_mean") == pytest.approx(b, abs=1e-9)
        assert v("baseline_sd") == pytest.approx(bsd, abs=1e-9)
        assert v("mean") == pytest.approx(f, abs=1e-9)
        assert v("sd") == pytest.approx(fsd, abs=1e-9)
        assert v("pvalue") == pytest.approx(p, abs=1e-12)
        assert v("hl_ci_low") == pytest.approx(lo, abs=1e-9)
        assert v("hl_ci_high") == pytest.approx(hi, abs=1e-9)


def test_responses_and_denominators_without_one_patient(analysis):
    t = analysis.tables["responses"]
    for label, n in (
        ("Completers", 7),
        ("Enrolled minus withdrawals for adverse events", 9),
        ("All enrolled (treated)", 12),
    ):
        for response, k in (("asas20", 7), ("asas40", 4)):
            assert t.value(population=label, variable=response, statistic="responders") == k
            assert t.value(population=label, variable=response, statistic="denominator") == n
            assert t.value(population=label, variable=response, statistic="ci_low") == pytest.approx(CP[(k, n)][0])
            assert t.value(population=label, variable=response, statistic="ci_high") == pytest.approx(CP[(k, n)][1])


def test_demographics_and_adverse_events_without_one_patient(analysis):
    d = analysis.tables["demographics"]
    assert d.value(variable="age_years", statistic="mean") == pytest.approx(36.3333333333)
    assert d.value(variable="age_years", statistic="min") == 19
    ae = analysis.tables["adverse_events"]
    for term, k in (("dry mouth", 6), ("constipation", 6), ("dizziness", 5)):
        assert ae.value(variable="term", level=term, statistic="patients") == k
        assert ae.value(variable="term", level=term, statistic="percent") == pytest.approx(100 * k / 12)
    assert (analysis.paths["html"]).exists()
