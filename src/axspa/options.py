"""The option vocabularies of axspa, each defined once as a ``Literal`` type with its tuple of values.

Signatures use the ``Literal`` types (so a type checker catches ``alternative="two_sided"``); the
run-time checks use the tuples derived from them (so the two cannot disagree). Nothing here imports
anything from axspa, so every layer may use it.

Examples
--------
>>> ALTERNATIVES
('two-sided', 'less', 'greater')
>>> "nri" in RESPONSE_IMPUTATIONS, "nri" in CONTINUOUS_IMPUTATIONS
(True, False)
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "ALTERNATIVES",
    "ANCOVA_INTERVALS",
    "BINOMIAL_CI_METHODS",
    "CENTERS",
    "CHANGE_MODELS",
    "CONTINUOUS_IMPUTATIONS",
    "COVARIANCE_STRUCTURES",
    "ERROR_BARS",
    "IMPUTATION_METHODS",
    "MMRM_DF_METHODS",
    "ON_INVALID",
    "PRESETS",
    "RESPONSE_IMPUTATIONS",
    "RISK_DIFFERENCE_METHODS",
    "SIGNED_RANK_METHODS",
    "SPREADS",
    "STANDARD_SETS",
    "STRATA_WEIGHTINGS",
    "TWO_BY_TWO_TESTS",
    "ZERO_METHODS",
    "Alternative",
    "AncovaInterval",
    "BinomialCIMethod",
    "Center",
    "ChangeModel",
    "ContinuousImputation",
    "CovarianceStructure",
    "ErrorBar",
    "ImputationMethod",
    "MmrmDF",
    "OnInvalid",
    "Preset",
    "ResponseImputation",
    "RiskDifferenceMethod",
    "SignedRankMethod",
    "Spread",
    "StandardSet",
    "StrataWeighting",
    "TwoByTwoTest",
    "ZeroMethod",
]

Alternative = Literal["two-sided", "less", "greater"]
"""Alternative hypothesis of a test (scipy's names). For R+ of follow-up minus baseline, "less" tests a decrease."""

ZeroMethod = Literal["wilcox", "pratt"]
"""Zero differences in a signed-rank test: dropped before ranking (wilcox) or ranked, then dropped (pratt)."""

SignedRankMethod = Literal["auto", "exact", "asymptotic"]
"""Null distribution of the signed-rank statistic."""

Preset = Literal["R", "scipy", "SPSS"]
"""Signed-rank conventions of other software, fixed in one argument."""

BinomialCIMethod = Literal["clopper-pearson", "wilson", "jeffreys"]
"""Confidence interval of a binomial proportion."""

RiskDifferenceMethod = Literal["newcombe", "miettinen-nurminen", "mee", "agresti-caffo", "wald"]
"""Confidence interval of a difference of two proportions (:func:`axspa.stats.risk_difference`)."""

TwoByTwoTest = Literal["fisher", "chi-square", "chi-square-yates", "barnard", "boschloo"]
"""Test of equal proportions in a 2x2 table (:func:`axspa.stats.two_by_two_test`)."""

ImputationMethod = Literal["observed", "locf", "bocf", "nri"]
"""Every imputation of :mod:`axspa.imputation` by its key."""

ContinuousImputation = Literal["observed", "locf", "bocf"]
"""The imputations that apply to continuous outcomes."""

ResponseImputation = Literal["nri", "observed"]
"""The imputations that apply to binary responses."""

Center = Literal["mean", "median"]
"""Central value of a numeric baseline characteristic."""

Spread = Literal["range", "sd"]
"""Spread shown beside it."""

ErrorBar = Literal["SD", "SE"]
"""What the error bars of a mean show: the standard deviation or the standard error of the mean."""

StandardSet = Literal["completers", "enrolled_minus_adverse_event", "enrolled"]
"""Names of the analysis sets a single-arm report shows side by side (:func:`axspa.analysis_sets.standard_sets`).

Every analysis set is named by its :attr:`~axspa.analysis_sets.AnalysisSet.name`; the published
figures of a bundled study name their population the same way.
"""

AncovaInterval = Literal["t", "normal"]
"""ANCOVA intervals: t on the residual degrees of freedom, or estimate +/- z SE (as some published tables)."""

StrataWeighting = Literal["equal", "proportional"]
"""How a stratum is averaged in an LS mean: equal weights per level, or the observed proportions."""

CovarianceStructure = Literal["unstructured", "compound_symmetry", "heterogeneous_ar1"]
"""Within-patient covariance of an MMRM."""

ChangeModel = Literal["auto", "mmrm", "ancova"]
"""Model of change from baseline between arms: MMRM over the visits, ANCOVA at each visit, or ``"auto"``
(MMRM when there are at least two post-baseline visits, else ANCOVA)."""

MmrmDF = Literal["satterthwaite", "residual"]
"""Degrees of freedom of MMRM contrasts: Satterthwaite from the exact REML Hessian, or N - p."""

OnInvalid = Literal["exclude", "missing"]
"""Lenient loading of a row with a bad value: exclude the row, or set the bad value missing and keep the row
(a value a row cannot be without, such as ``patient_id``, ``week`` or another required field, still excludes it).
Either way the report lists the value with its reason (:func:`axspa.io.load_study`)."""

ALTERNATIVES: tuple[Alternative, ...] = get_args(Alternative)
ZERO_METHODS: tuple[ZeroMethod, ...] = get_args(ZeroMethod)
SIGNED_RANK_METHODS: tuple[SignedRankMethod, ...] = get_args(SignedRankMethod)
PRESETS: tuple[Preset, ...] = get_args(Preset)
BINOMIAL_CI_METHODS: tuple[BinomialCIMethod, ...] = get_args(BinomialCIMethod)
RISK_DIFFERENCE_METHODS: tuple[RiskDifferenceMethod, ...] = get_args(RiskDifferenceMethod)
TWO_BY_TWO_TESTS: tuple[TwoByTwoTest, ...] = get_args(TwoByTwoTest)
IMPUTATION_METHODS: tuple[ImputationMethod, ...] = get_args(ImputationMethod)
CONTINUOUS_IMPUTATIONS: tuple[ContinuousImputation, ...] = get_args(ContinuousImputation)
RESPONSE_IMPUTATIONS: tuple[ResponseImputation, ...] = get_args(ResponseImputation)
STANDARD_SETS: tuple[StandardSet, ...] = get_args(StandardSet)
CENTERS: tuple[Center, ...] = get_args(Center)
SPREADS: tuple[Spread, ...] = get_args(Spread)
ERROR_BARS: tuple[ErrorBar, ...] = get_args(ErrorBar)
ANCOVA_INTERVALS: tuple[AncovaInterval, ...] = get_args(AncovaInterval)
STRATA_WEIGHTINGS: tuple[StrataWeighting, ...] = get_args(StrataWeighting)
COVARIANCE_STRUCTURES: tuple[CovarianceStructure, ...] = get_args(CovarianceStructure)
MMRM_DF_METHODS: tuple[MmrmDF, ...] = get_args(MmrmDF)
CHANGE_MODELS: tuple[ChangeModel, ...] = get_args(ChangeModel)
ON_INVALID: tuple[OnInvalid, ...] = get_args(OnInvalid)
