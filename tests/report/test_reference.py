"""analyze on a copy of the bundled reference study without patient T04 (an axial completer).

Expected values: tests/report/reference_one_removed.R (output in reference_one_removed.txt), which
reads the same files in R, drops T04, computes the indices from their items and runs
exactRankTests::wilcox.exact and binom.test. The response counts follow from the published
Table 2: every completer is an ASAS20 responder and both axial completers (T04, T05) responded
without reaching ASAS40, so without T04: ASAS20 7 and ASAS40 4 responders.
"""

import math
import re
from pathlib import Path

import pytest

from axspa.report import analyze
from axspa.studies import thalidomide_2003

from .test_pipeline import remove_patient

pytestmark = pytest.mark.slow  # its module fixture runs the whole analysis (about 5 s)

REFERENCE = Path(__file__).with_name("reference_one_removed.txt")


def _r_values() -> tuple[dict, dict, dict, float]:
    """Parse the R script's output (kept beside it, rebuilt whenever the bundled data are)."""
    outcomes, cp, ae, age = {}, {}, {}, float("nan")
    for line in REFERENCE.read_text().splitlines():
        if m := re.match(
            r"(\w+): n=(\d+) base_mean=(\S+) base_sd=(\S+) w24_mean=(\S+) w24_sd=(\S+) p=(\S+) "
            r"ci=\[(\S+), (\S+)\]",
            line,
        ):
            outcomes[m.group(1)] = (int(m.group(2)), *(float(m.group(i)) for i in range(3, 10)))
        elif m := re.match(r"(\d+)/(\d+): (\S+) (\S+)", line):
            cp[(int(m.group(1)), int(m.group(2)))] = (float(m.group(3)), float(m.group(4)))
        elif m := re.match(r"([a-z ]+): patients=(\d+) of (\d+)", line):
            ae[m.group(1)] = (int(m.group(2)), int(m.group(3)))
        elif m := re.match(r"age: mean=(\S+)", line):
            age = float(m.group(1))
    return outcomes, cp, ae, age


# measure: (n, base mean, base SD, week-24 mean, week-24 SD, exact p, HL CI low, high); binom.test limits;
# adverse events: (patients with the term, denominator); mean age.
R, CP, AE, AGE = _r_values()


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    root = tmp_path_factory.mktemp("reference")
    remove_patient(thalidomide_2003.folder(), root / "study", "T04")
    return analyze(root / "study", root / "out", scoring={"patient_global": "basg"}, progress=False)


def test_the_r_output_is_read_whole():
    # every line of reference_one_removed.txt the tests use was parsed (a format change would leave them empty)
    assert set(R) == {"basdai", "basfi", "basg", "esr_mm_h"}
    assert set(CP) == {(7, 7), (7, 9), (7, 12), (4, 7), (4, 9), (4, 12)}
    assert set(AE) == {"dry mouth", "constipation", "dizziness"} and not math.isnan(AGE)


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
    assert d.value(variable="age_years", statistic="mean") == pytest.approx(AGE)
    assert d.value(variable="age_years", statistic="min") == 19
    ae = analysis.tables["adverse_events"]
    assert set(AE) == {"dry mouth", "constipation", "dizziness"}
    for term, (k, n) in AE.items():
        assert ae.value(variable="term", level=term, statistic="patients") == k
        assert ae.value(variable="term", level=term, statistic="percent") == pytest.approx(100 * k / n)
    assert (analysis.paths["html"]).exists()
