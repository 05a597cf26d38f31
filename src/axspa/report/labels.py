"""Display names in tables and figures: of columns (:func:`label_of`, reading the registry) and of the methods
an option names (the interval of a proportion, of a difference of proportions, the 2x2 test)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from axspa.measures import MeasureRegistry
from axspa.measures import label as registry_label
from axspa.options import BinomialCIMethod, RiskDifferenceMethod, TwoByTwoTest

__all__ = ["BINOMIAL_CI_NAMES", "RISK_DIFFERENCE_NAMES", "TWO_BY_TWO_TEST_NAMES", "label_of"]

BINOMIAL_CI_NAMES: Mapping[BinomialCIMethod, str] = MappingProxyType(
    {"clopper-pearson": "Clopper-Pearson exact", "wilson": "Wilson score", "jeffreys": "Jeffreys"}
)
"""The confidence interval of a binomial proportion, by its option value."""

RISK_DIFFERENCE_NAMES: Mapping[RiskDifferenceMethod, str] = MappingProxyType(
    {
        "newcombe": "Newcombe hybrid score (Newcombe 1998, method 10)",
        "miettinen-nurminen": "Miettinen-Nurminen score",
        "mee": "Mee score (no variance factor N/(N - 1))",
        "agresti-caffo": "Agresti-Caffo (one success and one failure added per arm)",
        "wald": "Wald (simple asymptotic)",
    }
)
"""The confidence interval of a difference of two proportions, by its option value."""

TWO_BY_TWO_TEST_NAMES: Mapping[TwoByTwoTest, str] = MappingProxyType(
    {
        "fisher": "Fisher's exact test",
        "chi-square": "Pearson's chi-square test without continuity correction",
        "chi-square-yates": "Pearson's chi-square test with Yates's continuity correction",
        "barnard": "Barnard's unconditional exact test",
        "boschloo": "Boschloo's unconditional exact test",
    }
)
"""The test of equal proportions in a 2x2 table, by its option value."""


def label_of(column: str, registry: MeasureRegistry | None = None) -> str:
    """Display name of a column, from the measure registry (:func:`axspa.measures.label`)."""
    return registry_label(column, registry)
