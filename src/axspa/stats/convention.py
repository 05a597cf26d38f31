"""A Wilcoxon signed-rank test convention, named once and stated in every output that uses it.

Published p-values can only be checked, and reports can only be read, if the convention that
produced a p-value travels with it. :class:`SignedRankConvention` is that record; the
reconstruction and audit code (:mod:`axspa.forensics`) and the report tables
(:mod:`axspa.report`) both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import EllipsisType
from typing import Any

import numpy.typing as npt

from axspa.errors import InputError
from axspa.options import ALTERNATIVES, PRESETS, SIGNED_RANK_METHODS, Alternative, Preset, SignedRankMethod, ZeroMethod
from axspa.results import Result
from axspa.stats.signed_rank import (
    AUTO_EXACT_MAX_N,
    DEFAULT_DIGITS,
    SignedRankBatchResult,
    WilcoxonSignedRankResult,
    wilcoxon_signed_rank,
    wilcoxon_signed_rank_batch,
)

__all__ = ["SignedRankConvention"]

_ZERO_METHODS: dict[str, str] = {
    "wilcox": "zero differences dropped (n = non-zero differences; R, SAS, exactRankTests)",
    "pratt": "zero differences ranked, then their ranks dropped (Pratt; coin's default)",
}


@dataclass(frozen=True, slots=True, repr=False)
class SignedRankConvention(Result):
    """How a Wilcoxon signed-rank p-value is computed.

    Attributes
    ----------
    method : {"exact", "asymptotic", "auto"}
        "exact": the exact conditional null distribution of R+ (ties allowed); "asymptotic": the
        normal approximation with the tie- and zero-adjusted variance; "auto": the documented rule
        of :func:`axspa.stats.wilcoxon_signed_rank` (the result records what it chose).
    zero_method : {"wilcox", "pratt"}
        "wilcox" drops zero differences before ranking (R, SAS, exactRankTests); "pratt" ranks them
        and then drops their ranks (coin's default).
    alternative : {"two-sided", "less", "greater"}
        For R+ of the differences follow-up minus baseline: "less" tests for a decrease.
    correction : bool
        Continuity correction of the normal approximation (R's default; not scipy's or SPSS's).
        Not allowed with method "exact".
    digits : int or None
        Significant digits to which differences are rounded before ties and zeros are decided
        (default :data:`axspa.stats.DEFAULT_DIGITS`); None compares them unrounded.
    preset : {"R", "scipy", "SPSS"}, optional
        Reproduce another program's conventions in one argument (see
        :func:`axspa.stats.wilcoxon_signed_rank`); ``method``, ``zero_method`` and ``correction``
        must then be left at their defaults, because the preset fixes them.

    References
    ----------
    .. [1] Wilcoxon F. Individual comparisons by ranking methods. Biometrics Bull 1945;1:80-3.
    .. [2] Pratt JW. Remarks on zeros and ties in the Wilcoxon signed rank procedures.
       J Am Stat Assoc 1959;54:655-67.

    Examples
    --------
    >>> SignedRankConvention(method="asymptotic", correction=True).describe()
    'asymptotic, two-sided, zeros wilcox, continuity correction'
    >>> res = SignedRankConvention().test([-1, -2, -3, -4, -5, -6, -7, -8])
    >>> res.statistic, res.pvalue, res.method
    (0.0, 0.0078125, 'exact')
    """

    method: SignedRankMethod = "exact"
    zero_method: ZeroMethod = "wilcox"
    alternative: Alternative = "two-sided"
    correction: bool = False
    digits: int | None = DEFAULT_DIGITS
    preset: Preset | None = None

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("method", self.method, SIGNED_RANK_METHODS),
            ("zero_method", self.zero_method, tuple(_ZERO_METHODS)),
            ("alternative", self.alternative, ALTERNATIVES),
            ("preset", self.preset, (*PRESETS, None)),
        ):
            if value not in allowed:
                raise InputError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
        if not isinstance(self.correction, bool):
            raise InputError(f"correction must be True or False; got {self.correction!r}")
        if self.method == "exact" and self.correction and self.preset is None:
            raise InputError("correction applies to method 'asymptotic' only; got method 'exact' with True")
        if self.preset is not None and (self.method, self.zero_method, self.correction) != ("exact", "wilcox", False):
            raise InputError(
                f"preset={self.preset!r} fixes method, zero_method and correction; got method={self.method!r}, "
                f"zero_method={self.zero_method!r}, correction={self.correction!r}. Pass either a preset or "
                "the individual conventions"
            )
        if self.digits is not None and (isinstance(self.digits, bool) or not isinstance(self.digits, int)):
            raise InputError(f"digits must be a whole number of significant digits or None; got {self.digits!r}")

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :func:`axspa.stats.wilcoxon_signed_rank` (without ``digits``)."""
        if self.preset is not None:
            return {"preset": self.preset, "alternative": self.alternative}
        return {
            "method": self.method,
            "zero_method": self.zero_method,
            "alternative": self.alternative,
            "correction": self.correction,
        }

    def test(
        self, x: npt.ArrayLike, y: npt.ArrayLike | None = None, *, digits: int | EllipsisType | None = ...
    ) -> WilcoxonSignedRankResult:
        """Run :func:`axspa.stats.wilcoxon_signed_rank` on ``x - y`` (or on differences ``x``).

        ``digits`` overrides the convention's :attr:`digits` for this call.
        """
        return wilcoxon_signed_rank(x, y, digits=self.digits if digits is ... else digits, **self.kwargs())

    def test_rows(self, differences: npt.ArrayLike, *, digits: int | None = None) -> SignedRankBatchResult:
        """Run :func:`axspa.stats.wilcoxon_signed_rank_batch` on rows of differences."""
        return wilcoxon_signed_rank_batch(differences, digits=digits, **self.kwargs())

    def zero_text(self) -> str:
        """How zero differences are handled, in words."""
        return _ZERO_METHODS[self.zero_method]

    def describe(self) -> str:
        """The convention in a few comma-separated words."""
        if self.preset is not None:
            return f"preset {self.preset}, {self.alternative}"
        parts = [self.method, self.alternative, f"zeros {self.zero_method}"]
        if self.method != "exact":
            parts.append("continuity correction" if self.correction else "no continuity correction")
        return ", ".join(parts)

    def short(self) -> str:
        """The convention in a few words, for figure titles."""
        if self.preset is not None:
            return f"Wilcoxon signed-rank, {self.preset}'s conventions, {self.alternative}"
        zeros = "zeros dropped" if self.zero_method == "wilcox" else "Pratt zeros"
        text = f"Wilcoxon signed-rank, {self.method}, {zeros}, {self.alternative}"
        if self.method != "exact":
            text += ", continuity correction" if self.correction else ", no continuity correction"
        return text

    def sentence(self) -> str:
        """The convention as a sentence, for table notes and methods sections."""
        if self.preset is not None:
            return (
                f"Wilcoxon signed-rank test of visit minus baseline, {self.alternative}, with the conventions "
                f"of {self.preset} (see axspa.stats.wilcoxon_signed_rank)"
            )
        method = {
            "exact": "exact conditional distribution (ties allowed)",
            "asymptotic": "normal approximation with tie-corrected variance",
            "auto": (
                f"exact conditional distribution (ties allowed) up to {AUTO_EXACT_MAX_N} ranked differences, "
                "normal approximation with tie-corrected variance above (axspa.stats' 'auto' rule)"
            ),
        }[self.method]
        correction = "with" if self.correction else "without"
        return (
            f"Wilcoxon signed-rank test of visit minus baseline, {self.alternative}, {method}, "
            f"{self.zero_text()}, {correction} continuity correction"
        )
