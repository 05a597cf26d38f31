"""Public names of axspa.stats and the module each comes from (read by type checkers and, at run time, by
axspa._lazy.attach_stub)."""

from axspa.options import BINOMIAL_CI_METHODS, PRESETS
from axspa.results import ConfidenceInterval
from axspa.stats.convention import SignedRankConvention
from axspa.stats.descriptive import QUANTILE_METHODS, DescriptiveSummary, describe, round_half_away
from axspa.stats.effect_size import ZEffectSize, signed_rank_z_effect_size
from axspa.stats.hodges_lehmann import HodgesLehmannResult, hodges_lehmann, walsh_averages, walsh_median
from axspa.stats.proportions import (
    BinomialInterval,
    BinomialTestResult,
    TwoByTwoResult,
    barnard,
    binomial_ci,
    binomial_test,
    boschloo,
    chi_square_2x2,
    fisher,
    mcnemar,
    table_2x2,
)
from axspa.stats.signed_rank import (
    AUTO_EXACT_MAX_N,
    DEFAULT_DIGITS,
    ExactSignedRankPValue,
    SignedRankBatchResult,
    SignedRankNullDistribution,
    WilcoxonSignedRankResult,
    matched_pairs_rank_biserial,
    signed_rank_exact_pvalue,
    signed_rank_null_distribution,
    wilcoxon_signed_rank,
    wilcoxon_signed_rank_batch,
)

__all__ = [
    "AUTO_EXACT_MAX_N",
    "BINOMIAL_CI_METHODS",
    "DEFAULT_DIGITS",
    "PRESETS",
    "QUANTILE_METHODS",
    "BinomialInterval",
    "BinomialTestResult",
    "ConfidenceInterval",
    "DescriptiveSummary",
    "ExactSignedRankPValue",
    "HodgesLehmannResult",
    "SignedRankBatchResult",
    "SignedRankConvention",
    "SignedRankNullDistribution",
    "TwoByTwoResult",
    "WilcoxonSignedRankResult",
    "ZEffectSize",
    "barnard",
    "binomial_ci",
    "binomial_test",
    "boschloo",
    "chi_square_2x2",
    "describe",
    "fisher",
    "hodges_lehmann",
    "matched_pairs_rank_biserial",
    "mcnemar",
    "round_half_away",
    "signed_rank_exact_pvalue",
    "signed_rank_null_distribution",
    "signed_rank_z_effect_size",
    "table_2x2",
    "walsh_averages",
    "walsh_median",
    "wilcoxon_signed_rank",
    "wilcoxon_signed_rank_batch",
]
