"""Exact small-sample statistics: signed-rank test, Hodges-Lehmann, proportions, summaries."""

from axspa.stats.hodges_lehmann import HodgesLehmannResult, hodges_lehmann, walsh_averages, walsh_median
from axspa.stats.signed_rank import (
    AUTO_EXACT_MAX_N,
    DEFAULT_DIGITS,
    PRESETS,
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
    "DEFAULT_DIGITS",
    "PRESETS",
    "ExactSignedRankPValue",
    "HodgesLehmannResult",
    "SignedRankBatchResult",
    "SignedRankNullDistribution",
    "WilcoxonSignedRankResult",
    "hodges_lehmann",
    "matched_pairs_rank_biserial",
    "signed_rank_exact_pvalue",
    "signed_rank_null_distribution",
    "walsh_averages",
    "walsh_median",
    "wilcoxon_signed_rank",
    "wilcoxon_signed_rank_batch",
]
