"""The option vocabularies are defined once (axspa.options); every table of choices keyed by them agrees."""

import typing

import pandas as pd
import pytest

from axspa import options
from axspa.analysis_sets import standard_sets
from axspa.errors import InputError
from axspa.imputation import IMPUTATIONS
from axspa.report import labels
from axspa.stats import SignedRankConvention, convention
from axspa.studies import thalidomide_2003 as reference
from axspa.studies.reproduction import analysis_set


def test_each_tuple_is_its_literal():
    assert options.ALTERNATIVES == ("two-sided", "less", "greater")
    assert options.ZERO_METHODS == ("wilcox", "pratt")
    assert options.IMPUTATION_METHODS == ("observed", "locf", "bocf", "nri")
    assert typing.get_args(options.ResponseImputation) == options.RESPONSE_IMPUTATIONS
    assert options.CHANGE_MODELS == ("auto", "mmrm", "ancova")
    assert options.RISK_DIFFERENCE_METHODS == ("newcombe", "miettinen-nurminen", "mee", "agresti-caffo", "wald")
    assert options.TWO_BY_TWO_TESTS == ("fisher", "chi-square", "chi-square-yates", "barnard", "boschloo")


def test_tables_keyed_by_a_vocabulary_cover_it_exactly():
    assert tuple(IMPUTATIONS) == options.IMPUTATION_METHODS
    assert set(options.CONTINUOUS_IMPUTATIONS) | set(options.RESPONSE_IMPUTATIONS) == set(IMPUTATIONS)
    assert tuple(labels.BINOMIAL_CI_NAMES) == options.BINOMIAL_CI_METHODS
    assert tuple(labels.RISK_DIFFERENCE_NAMES) == options.RISK_DIFFERENCE_METHODS
    assert tuple(labels.TWO_BY_TWO_TEST_NAMES) == options.TWO_BY_TWO_TESTS
    assert tuple(convention._ZERO_METHODS) == options.ZERO_METHODS
    patients = pd.DataFrame(
        {"patient_id": ["A", "B"], "status": ["completed", "withdrawn"], "withdrawal_reason": ["", "adverse_event"]}
    )
    assert tuple(standard_sets(patients)) == options.STANDARD_SETS


def test_published_populations_are_analysis_set_names():
    study = reference.load()
    for figure in reference.published()["figures"]:
        assert analysis_set(study, figure["population"]).name == figure["population"]


def test_convention_rejects_a_value_outside_the_vocabulary():
    with pytest.raises(InputError, match="alternative must be one of 'two-sided', 'less', 'greater'"):
        SignedRankConvention(alternative="two_sided")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="preset"):
        SignedRankConvention(preset="R", method="asymptotic")


def test_convention_with_a_preset_and_digits():
    # R's wilcox.test is exact for n < 50 without ties: V = 5 (the rank of 5), and 10 of the 32 subsets
    # of {1, ..., 5} sum to at most 5 ({}, {1}..{5}, {1,2}, {1,3}, {1,4}, {2,3}): p = 2 * 10 / 32 = 0.625.
    r = SignedRankConvention(preset="R").test([-1.0, -2.0, -3.0, -4.0, 5.0])
    assert r.statistic == 5.0
    assert r.pvalue == 0.625
    assert r.preset == "R"
    c = SignedRankConvention(digits=None)
    assert c.digits is None and c.describe() == "exact, two-sided, zeros wilcox"
