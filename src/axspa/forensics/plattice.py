"""The p-lattice check: which Wilcoxon signed-rank configurations can print a reported p-value?

For n pairs, the exact signed-rank p-values of untied data lie on a lattice (c / 2^m one-sided,
min(1, 2c / 2^m) two-sided, m the number of non-zero differences), and the normal approximation
maps each achievable R+ to one value. Listing every (m, R+, sidedness, method, zero handling,
continuity correction) whose p prints as the reported figure tells which conventions a paper can
have used, and flags a p-value that none produces.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from axspa.errors import InputError
from axspa.forensics._reported import (
    ReportedNumber,
    check_n,
    parse_reported,
    resolve_rounding,
)
from axspa.stats import (
    DEFAULT_DIGITS,
    SignedRankBatchResult,
    WilcoxonSignedRankResult,
    wilcoxon_signed_rank,
    wilcoxon_signed_rank_batch,
)

__all__ = ["PLatticeMatch", "PLatticeResult", "SignedRankConvention", "p_lattice"]

METHODS = ("exact", "asymptotic")
ZERO_METHODS = ("wilcox", "pratt")
ALTERNATIVES = ("two-sided", "less", "greater")

TIES_NOTE = (
    "Only untied data are enumerated: tied absolute differences change the exact conditional null "
    "distribution (mid-ranks) and the variance of the normal approximation, and the p-values that "
    "tied data can give have no closed-form lattice. A p-value not listed here may still arise from "
    "tied data; reconstruct_paired searches tied samples too."
)


def _check_choice(value: object, allowed: Sequence[str], argument: str) -> str:
    if value not in allowed:
        raise InputError(f"{argument} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return str(value)


@dataclass(frozen=True)
class SignedRankConvention:
    """A named way of computing the Wilcoxon signed-rank p-value.

    Attributes
    ----------
    method : {"exact", "asymptotic"}
        "exact": the exact conditional null distribution of R+ (ties allowed); "asymptotic": the
        normal approximation with the tie- and zero-adjusted variance.
    zero_method : {"wilcox", "pratt"}
        "wilcox" drops zero differences before ranking (R, SAS, exactRankTests); "pratt" ranks them
        and then drops their ranks (coin's default).
    alternative : {"two-sided", "less", "greater"}
        For R+ of the differences follow-up minus baseline: "less" tests for a decrease.
    correction : bool
        Continuity correction of the normal approximation (R's default; not scipy's or SPSS's).
        Only meaningful with method "asymptotic".

    Examples
    --------
    >>> SignedRankConvention(method="asymptotic", correction=True).describe()
    'asymptotic, two-sided, zeros wilcox, continuity correction'
    """

    method: str = "exact"
    zero_method: str = "wilcox"
    alternative: str = "two-sided"
    correction: bool = False

    def __post_init__(self) -> None:
        _check_choice(self.method, METHODS, "method")
        _check_choice(self.zero_method, ZERO_METHODS, "zero_method")
        _check_choice(self.alternative, ALTERNATIVES, "alternative")
        if not isinstance(self.correction, bool):
            raise InputError(f"correction must be True or False; got {self.correction!r}")
        if self.method == "exact" and self.correction:
            raise InputError("correction applies to method 'asymptotic' only; got method 'exact' with True")

    def describe(self) -> str:
        """The convention in words."""
        parts = [self.method, self.alternative, f"zeros {self.zero_method}"]
        if self.method == "asymptotic":
            parts.append("continuity correction" if self.correction else "no continuity correction")
        return ", ".join(parts)

    def test(self, differences: object, *, digits: int | None = DEFAULT_DIGITS) -> WilcoxonSignedRankResult:
        """Run :func:`axspa.stats.wilcoxon_signed_rank` on ``differences`` under this convention.

        Examples
        --------
        Eight decreases, ranks 1..8 all negative: R+ = 0, exact two-sided p = 2 / 2^8 = 0.0078125.

        >>> res = SignedRankConvention().test([-1, -2, -3, -4, -5, -6, -7, -8])
        >>> res.statistic, res.pvalue, res.method
        (0.0, 0.0078125, 'exact')
        """
        return wilcoxon_signed_rank(
            differences,
            method=self.method,
            zero_method=self.zero_method,
            alternative=self.alternative,
            correction=self.correction,
            digits=digits,
        )

    def test_rows(self, differences: npt.ArrayLike, *, digits: int | None = None) -> SignedRankBatchResult:
        """Run :func:`axspa.stats.wilcoxon_signed_rank_batch` on rows of differences under this convention."""
        return wilcoxon_signed_rank_batch(
            differences,
            method=self.method,
            zero_method=self.zero_method,
            alternative=self.alternative,
            correction=self.correction,
            digits=digits,
        )


@dataclass(frozen=True)
class PLatticeMatch:
    """One untied configuration whose p-value prints as the reported one.

    Attributes
    ----------
    n_nonzero, n_zeros : int
        Non-zero and zero differences (n_nonzero + n_zeros = n).
    r_plus : int
        Sum of the ranks of the positive differences (R's V).
    method, zero_method, alternative : str
        The convention; zero_method is "none" when there are no zeros (both rules agree).
    correction : bool
        Continuity correction (asymptotic only).
    pvalue : float
        The p-value this configuration gives.
    truncated : bool
        True if the p-value prints as the reported figure only when truncated, not rounded.
    """

    n_nonzero: int
    n_zeros: int
    r_plus: int
    method: str
    zero_method: str
    alternative: str
    correction: bool
    pvalue: float
    truncated: bool


@dataclass(frozen=True, repr=False)
class PLatticeResult:
    """All untied signed-rank configurations that reproduce a reported p-value.

    Attributes
    ----------
    p : str
        The reported p-value, as printed.
    n : int
        The stated number of pairs.
    rounding : tuple of str
        Rounding conventions accepted for the printed p (truncation is listed separately).
    matches : tuple of PLatticeMatch
        Every matching configuration, rounded and truncated.
    status : {"reproduced", "truncation only", "not reproduced"}
        Whether some configuration prints as ``p`` when rounded, only when truncated, or never.
    exact_with_ties : tuple of str
        Alternatives for which some dyadic value c / 2^m (m <= n; doubled and capped at 1 for
        two-sided) prints as ``p``. Every exact signed-rank p-value, tied or not, is of this
        form, so an alternative missing here cannot give ``p`` exactly even with ties.
    notes : tuple of str
        What the enumeration covers and what it does not (ties).
    """

    p: str
    n: int
    rounding: tuple[str, ...]
    matches: tuple[PLatticeMatch, ...]
    status: str
    exact_with_ties: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        """True if no untied configuration prints as ``p`` when rounded."""
        return self.status != "reproduced"

    def select(
        self,
        *,
        method: str | None = None,
        zero_method: str | None = None,
        alternative: str | None = None,
        correction: bool | None = None,
        truncated: bool | None = False,
    ) -> tuple[PLatticeMatch, ...]:
        """The matches under a convention (None leaves a field free).

        A zero_method of "wilcox" or "pratt" also keeps matches without zeros (zero_method "none"),
        where both rules agree. By default truncated matches are left out.
        """
        out = []
        for m in self.matches:
            if method is not None and m.method != method:
                continue
            if zero_method is not None and m.zero_method not in (zero_method, "none"):
                continue
            if alternative is not None and m.alternative != alternative:
                continue
            if correction is not None and m.correction != correction:
                continue
            if truncated is not None and m.truncated != truncated:
                continue
            out.append(m)
        return tuple(out)

    def to_frame(self) -> pd.DataFrame:
        """One row per matching configuration."""
        columns = [
            "n_nonzero",
            "n_zeros",
            "r_plus",
            "method",
            "zero_method",
            "alternative",
            "correction",
            "pvalue",
            "truncated",
        ]
        return pd.DataFrame([[getattr(m, c) for c in columns] for m in self.matches], columns=columns)

    def __repr__(self) -> str:
        rounded = [m for m in self.matches if not m.truncated]
        lines = [f"PLatticeResult(p={self.p!r}, n={self.n}: {self.status.upper()}"]
        shown = rounded if rounded else list(self.matches)
        for m in shown[:12]:
            conv = f"{m.method} {m.alternative}"
            if m.method == "asymptotic":
                conv += ", cc" if m.correction else ", no cc"
            trunc = " (truncated)" if m.truncated else ""
            lines.append(
                f"  n_nonzero={m.n_nonzero} (zeros {m.zero_method}) R+={m.r_plus}: {conv}, p={m.pvalue:.6g}{trunc}"
            )
        if len(shown) > 12:
            lines.append(f"  ... and {len(shown) - 12} more")
        lines.append(f"  exact with ties possible for: {', '.join(self.exact_with_ties) or 'none'})")
        return "\n".join(lines)


def _untied_rows(m: int, zeros: int, *, distinct_sums_only: bool) -> npt.NDArray[np.int64]:
    """Rows of differences: ``zeros`` zeros and magnitudes 1..m with every achievable sign pattern.

    One row per (number of positive differences s, sum of their magnitudes) -- with Pratt's zeros
    R+ = s * zeros + sum, so both matter; with zeros dropped only the sum does.
    """
    rows = []
    sums_seen: set[int] = set()
    for size in range(m + 1):
        low = size * (size + 1) // 2
        high = size * (2 * m - size + 1) // 2
        for total in range(low, high + 1):
            if distinct_sums_only and total in sums_seen:
                continue
            sums_seen.add(total)
            subset = list(range(1, size + 1))
            excess = total - low
            for pos in range(size - 1, -1, -1):  # raise the largest first, each as far as it goes
                step = min(excess, m - (size - 1 - pos) - subset[pos])
                subset[pos] += step
                excess -= step
            row = -np.arange(1, m + 1, dtype=np.int64)
            row[np.asarray(subset, dtype=np.int64) - 1] *= -1
            rows.append(np.concatenate([np.zeros(zeros, dtype=np.int64), row]))
    return np.vstack(rows)


def _dyadic_alternatives(rep: ReportedNumber, n: int, conventions: Sequence[str]) -> tuple[str, ...]:
    intervals = [rep.interval(c) for c in conventions]
    out = []
    for alternative, factor in (("two-sided", 2), ("less", 1), ("greater", 1)):
        found = False
        for m in range(1, n + 1):
            for iv in intervals:
                # c / 2^m * factor in iv (or 1 when capped, two-sided)
                r = iv.scaled(Fraction(2**m, factor)).integers()
                if r is not None and max(r[0], 0) <= min(r[1], 2**m):
                    found = True
            if alternative == "two-sided" and any(1 in iv for iv in intervals):
                found = True
        if found:
            out.append(alternative)
    return tuple(out)


def p_lattice(
    *,
    p: str,
    n: int,
    rounding: str | Sequence[str] = "nearest",
    truncation: bool = True,
    methods: Sequence[str] = METHODS,
    zero_methods: Sequence[str] = ZERO_METHODS,
    alternatives: Sequence[str] = ALTERNATIVES,
    corrections: Sequence[bool] = (False, True),
) -> PLatticeResult:
    """List every untied signed-rank configuration whose p-value prints as ``p``.

    Parameters
    ----------
    p : str
        The reported p-value, as printed (e.g. "0.0156"); its printed precision is used.
    n : int
        The stated number of pairs; configurations with 1..n non-zero differences are tried.
    rounding : str or sequence of str, default "nearest"
        How the true p became the printed one ("nearest", or names as in :func:`grim`).
    truncation : bool, default True
        Also list configurations that print as ``p`` only when truncated, marked ``truncated``.
    methods, zero_methods, alternatives, corrections : sequences
        The conventions to try (all by default).

    Returns
    -------
    PLatticeResult

    Raises
    ------
    InputError
        If ``p`` is not a printed number in [0, 1] or another argument is malformed.

    Notes
    -----
    For every number m of non-zero differences and every achievable R+ of untied data (ranks 1..m
    with zeros dropped, "wilcox"; z+1..n with z zeros ranked, "pratt"), one sample of differences
    is built and tested with :func:`axspa.stats.wilcoxon_signed_rank_batch` under each
    convention, so the p-values are exactly those the library reports. Exact p-values lie on the
    lattice min(1, 2 c / 2^m) two-sided, c / 2^m one-sided. Ties are not enumerated (see ``notes``).

    Examples
    --------
    "0.0078" with 8 pairs: 2 / 2^8 = 0.0078125 is the smallest exact two-sided p, all eight
    differences in the same direction (R+ = 0 or 36):

    >>> r = p_lattice(p="0.0078", n=8)
    >>> [(m.n_nonzero, m.r_plus) for m in r.select(method="exact", alternative="two-sided")]
    [(8, 0), (8, 36)]
    """
    n = check_n(n)
    rep = parse_reported(p, argument="p", nonnegative=True)
    if rep.value > 1:
        raise InputError(f"p must be a probability in [0, 1]; got {p!r}")
    conventions = resolve_rounding(rounding)
    for mth in methods:
        _check_choice(mth, METHODS, "methods")
    for zm in zero_methods:
        _check_choice(zm, ZERO_METHODS, "zero_methods")
    for alt in alternatives:
        _check_choice(alt, ALTERNATIVES, "alternatives")
    rounded_iv = [rep.interval(c) for c in conventions]
    trunc_iv = [rep.interval("truncate")] if truncation else []

    matches: list[PLatticeMatch] = []
    for m in range(1, n + 1):
        z = n - m
        for zm in ["none"] if z == 0 else list(zero_methods):
            rows = _untied_rows(m, z, distinct_sums_only=zm != "pratt")
            for mth in methods:
                for cc in (False,) if mth == "exact" else tuple(dict.fromkeys(corrections)):
                    for alt in alternatives:
                        conv = SignedRankConvention(
                            method=mth,
                            zero_method="wilcox" if zm == "none" else zm,
                            alternative=alt,
                            correction=cc,
                        )
                        res = conv.test_rows(rows)
                        seen: set[float] = set()
                        for r_plus, pv in zip(res.statistic.tolist(), res.pvalue.tolist(), strict=True):
                            if r_plus in seen:
                                continue
                            seen.add(r_plus)
                            rounded = any(pv in iv for iv in rounded_iv)
                            if rounded or any(pv in iv for iv in trunc_iv):
                                matches.append(
                                    PLatticeMatch(
                                        n_nonzero=m,
                                        n_zeros=z,
                                        r_plus=round(r_plus),
                                        method=mth,
                                        zero_method=zm,
                                        alternative=alt,
                                        correction=bool(cc),
                                        pvalue=float(pv),
                                        truncated=not rounded,
                                    )
                                )
    matches.sort(key=lambda x: (x.n_nonzero, x.zero_method, x.method, x.alternative, x.correction, x.r_plus))
    if any(not m.truncated for m in matches):
        status = "reproduced"
    elif matches:
        status = "truncation only"
    else:
        status = "not reproduced"
    notes = [TIES_NOTE]
    if math.isclose(float(rep.value), 0.0):
        notes.append("A printed p of zero is a rounding of a small p; it matches only through rounding.")
    return PLatticeResult(
        p=rep.text,
        n=n,
        rounding=conventions,
        matches=tuple(matches),
        status=status,
        exact_with_ties=_dyadic_alternatives(rep, n, conventions),
        notes=tuple(notes),
    )
