r"""The p-lattice check: which Wilcoxon signed-rank configurations can print a reported p-value?

For n pairs, the exact signed-rank p-values [1]_ of untied data lie on a lattice, with m the number of
non-zero differences and c an integer count of sign patterns:

.. math::

    p_\text{one-sided} = \frac{c}{2^m}, \qquad p_\text{two-sided} = \min\left(1, \frac{2c}{2^m}\right)

and the normal approximation maps each achievable R+ to one value. Listing every (m, R+, sidedness,
method, zero handling [2]_, continuity correction) whose p prints as the reported figure tells which
conventions a paper can have used, and flags a p-value that none produces.

References
----------
.. [1] Wilcoxon F. Individual comparisons by ranking methods. Biometrics Bulletin 1945;1:80-3.
.. [2] Pratt JW. Remarks on zeros and ties in the Wilcoxon signed rank procedures. J Am Stat Assoc
   1959;54:655-67.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from axspa.errors import InputError
from axspa.options import ALTERNATIVES, ZERO_METHODS, Alternative, SignedRankMethod, ZeroMethod
from axspa.printed import (
    Interval,
    ReportedNumber,
    check_n,
    parse_reported,
    resolve_rounding,
)
from axspa.results import Result
from axspa.stats import SignedRankConvention

__all__ = ["PLatticeMatch", "PLatticeResult", "SignedRankConvention", "p_lattice"]

METHODS: tuple[SignedRankMethod, ...] = ("exact", "asymptotic")

TIES_NOTE = (
    "Only untied data were enumerated: tied absolute differences change the exact conditional null "
    "distribution (mid-ranks) and the variance of the normal approximation, and the p-values that "
    "tied data can give have no closed-form lattice. A p-value not listed here may still arise from "
    "tied data: pass ties=True (n <= 10) to enumerate every tie pattern, or search with reconstruct_paired."
)
TIES_ENUMERATED_NOTE = (
    "Tied data were enumerated too: every split of the non-zero absolute differences into consecutive "
    "groups of ties (mid-ranks) with every number of positive differences in each group; together with "
    "the zeros this covers every sample of n pairs."
)
MAX_TIES_N = 10
"""Largest n for which ``p_lattice(ties=True)`` enumerates every tie pattern (about 10^5 rows at n = 10)."""


def _check_choice(value: object, allowed: Sequence[str], argument: str) -> str:
    if value not in allowed:
        raise InputError(f"{argument} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return str(value)


@dataclass(frozen=True, slots=True)
class PLatticeMatch(Result):
    """One untied configuration whose p-value prints as the reported one.

    Attributes
    ----------
    n_nonzero, n_zeros : int
        Non-zero and zero differences (n_nonzero + n_zeros = n).
    r_plus : int or float
        Sum of the (mid-)ranks of the positive differences (R's V): an int when whole, a float
        when it ends in .5 (ties).
    method, zero_method, alternative : str
        The convention; zero_method is "none" when there are no zeros (both rules agree).
    correction : bool
        Continuity correction (asymptotic only).
    pvalue : float
        The p-value this configuration gives.
    truncated : bool
        True if the p-value prints as the reported figure only when truncated, not rounded.
    tie_groups : tuple of int
        Sizes of the groups of tied non-zero absolute differences, smallest first (all ones when
        untied).
    """

    n_nonzero: int
    n_zeros: int
    r_plus: float
    method: str
    zero_method: str
    alternative: str
    correction: bool
    pvalue: float
    truncated: bool
    tie_groups: tuple[int, ...]

    @property
    def tied(self) -> bool:
        """Whether the configuration has tied non-zero absolute differences."""
        return any(t > 1 for t in self.tie_groups)


@dataclass(frozen=True, repr=False, slots=True)
class PLatticeResult(Result):
    """All signed-rank configurations (untied, and tied if asked) that reproduce a reported p-value.

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
    status : {"reproduced", "reproduced with ties only", "truncation only", "not reproduced"}
        Whether some untied configuration prints as ``p`` when rounded, only a tied one does, only
        a truncated one does, or none does.
    ties : bool
        Whether tied configurations were enumerated.
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
    ties: bool
    exact_with_ties: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        """True if no enumerated configuration prints as ``p`` when rounded (truncation aside)."""
        return self.status in ("truncation only", "not reproduced")

    def select(
        self,
        *,
        method: str | None = None,
        zero_method: str | None = None,
        alternative: str | None = None,
        correction: bool | None = None,
        truncated: bool | None = False,
        tied: bool | None = None,
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
            if tied is not None and m.tied != tied:
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
            "tie_groups",
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
            tie = f" ties {'+'.join(map(str, m.tie_groups))}" if m.tied else ""
            lines.append(
                f"  n_nonzero={m.n_nonzero} (zeros {m.zero_method}){tie} R+={m.r_plus:g}: {conv}, "
                f"p={m.pvalue:.6g}{trunc}"
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


def _near(pvalues: npt.NDArray[np.float64], intervals: Sequence[Interval]) -> npt.NDArray[np.bool_]:
    """A quick float pre-filter: p-values within a hair of one of the intervals (checked exactly later)."""
    out = np.zeros(pvalues.shape, dtype=bool)
    for iv in intervals:
        lo, hi = float(iv.lo), float(iv.hi)
        slack = 1e-9 * max(abs(lo), abs(hi), 1e-300)
        out |= (pvalues >= lo - slack) & (pvalues <= hi + slack)
    return out


def _compositions(m: int) -> Iterator[tuple[int, ...]]:
    """Every way of cutting m ranked values into consecutive groups (group sizes, in order)."""
    for cuts in range(2 ** (m - 1)):
        sizes, run = [], 1
        for i in range(m - 1):
            if cuts >> i & 1:
                sizes.append(run)
                run = 1
            else:
                run += 1
        sizes.append(run)
        yield tuple(sizes)


def _tied_rows(m: int, zeros: int) -> tuple[npt.NDArray[np.int64], list[tuple[int, ...]]]:
    """Rows of differences with at least one tie among m non-zero magnitudes, and their tie groups.

    Group g (1-based, in rank order) has magnitude g; every number of positive values per group.
    """
    blocks, groups = [], []
    for comp in _compositions(m):
        if max(comp) == 1:
            continue
        group_of = np.repeat(np.arange(len(comp)), comp)
        within = np.concatenate([np.arange(t) for t in comp])
        positives = np.array(list(itertools.product(*(range(t + 1) for t in comp))), dtype=np.int64)
        signs = np.where(within[None, :] < positives[:, group_of], 1, -1)
        block = signs * (group_of + 1)[None, :]
        blocks.append(np.hstack([np.zeros((block.shape[0], zeros), dtype=np.int64), block]))
        groups.extend([comp] * block.shape[0])
    if not blocks:
        return np.zeros((0, m + zeros), dtype=np.int64), []
    return np.vstack(blocks), groups


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
    methods: Sequence[SignedRankMethod] = METHODS,
    zero_methods: Sequence[ZeroMethod] = ZERO_METHODS,
    alternatives: Sequence[Alternative] = ALTERNATIVES,
    corrections: Sequence[bool] = (False, True),
    ties: bool = False,
) -> PLatticeResult:
    """List every signed-rank configuration whose p-value prints as ``p``.

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
    ties : bool, default False
        Also enumerate tied data: every split of the non-zero absolute differences into groups of
        ties, with every number of positive differences per group (n <= 10 only; the number of
        patterns grows about 3.4-fold per pair). The answer is then complete: a p-value no
        configuration gives cannot come from any sample of n pairs under the conventions tried.

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
    lattice min(1, 2 c / 2^m) two-sided, c / 2^m one-sided. With ``ties=True`` the same is done
    for every tie pattern; otherwise ties are not enumerated (see ``notes``).

    Examples
    --------
    "0.0078" with 8 pairs: 2 / 2^8 = 0.0078125 is the smallest exact two-sided p, all eight
    differences in the same direction (R+ = 0 or 36):

    >>> r = p_lattice(p="0.0078", n=8)
    >>> [(m.n_nonzero, m.r_plus) for m in r.select(method="exact", alternative="two-sided")]
    [(8, 0), (8, 36)]

    Two pairs with tied differences: mid-ranks 1.5 and 1.5, R+ = 0, normal approximation
    without correction: z = -1.5 / sqrt(4.5 / 4) = -1.414, p = 0.157, which no untied pair gives:

    >>> p_lattice(p="0.157", n=2).status
    'not reproduced'
    >>> r = p_lattice(p="0.157", n=2, ties=True)
    >>> r.status, [(m.tie_groups, m.r_plus) for m in r.select(alternative="two-sided")]
    ('reproduced with ties only', [((2,), 0), ((2,), 3)])
    """
    n = check_n(n)
    if not isinstance(ties, bool):
        raise InputError(f"ties must be True or False; got {ties!r}")
    if ties and n > MAX_TIES_N:
        raise InputError(f"ties=True enumerates every tie pattern and needs n <= {MAX_TIES_N}; got n = {n}")
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
        labels: tuple[str, ...] = ("none",) if z == 0 else tuple(zero_methods)
        for zlabel in labels:
            rows = _untied_rows(m, z, distinct_sums_only=zlabel != "pratt")
            groups = [(1,) * m] * len(rows)
            if ties:
                tied_rows, tied_groups = _tied_rows(m, z)
                rows = np.vstack([rows, tied_rows])
                groups = groups + tied_groups
            for mth in methods:
                for cc in (False,) if mth == "exact" else tuple(dict.fromkeys(corrections)):
                    for alt in alternatives:
                        conv = SignedRankConvention(
                            method=mth,
                            zero_method="pratt" if zlabel == "pratt" else "wilcox",
                            alternative=alt,
                            correction=cc,
                        )
                        res = conv.test_rows(rows)
                        seen: set[tuple[tuple[int, ...], float]] = set()
                        for i in np.flatnonzero(_near(res.pvalue, [*rounded_iv, *trunc_iv])).tolist():
                            comp, r_plus, pv = groups[i], float(res.statistic[i]), float(res.pvalue[i])
                            rounded = any(pv in iv for iv in rounded_iv)
                            if (comp, r_plus) in seen or not (rounded or any(pv in iv for iv in trunc_iv)):
                                continue
                            seen.add((comp, r_plus))
                            matches.append(
                                PLatticeMatch(
                                    n_nonzero=m,
                                    n_zeros=z,
                                    r_plus=int(r_plus) if float(r_plus).is_integer() else r_plus,
                                    method=mth,
                                    zero_method=zlabel,
                                    alternative=alt,
                                    correction=bool(cc),
                                    pvalue=float(pv),
                                    truncated=not rounded,
                                    tie_groups=comp,
                                )
                            )
    matches.sort(
        key=lambda x: (
            x.tied,
            x.n_nonzero,
            x.zero_method,
            x.method,
            x.alternative,
            x.correction,
            x.tie_groups,
            x.r_plus,
        )
    )
    if any(not m.truncated and not m.tied for m in matches):
        status = "reproduced"
    elif any(not m.truncated for m in matches):
        status = "reproduced with ties only"
    elif matches:
        status = "truncation only"
    else:
        status = "not reproduced"
    notes = [TIES_ENUMERATED_NOTE if ties else TIES_NOTE]
    if math.isclose(float(rep.value), 0.0):
        notes.append("A printed p of zero is a rounding of a small p; it matches only through rounding.")
    return PLatticeResult(
        p=rep.text,
        n=n,
        rounding=conventions,
        matches=tuple(matches),
        status=status,
        ties=ties,
        exact_with_ties=_dyadic_alternatives(rep, n, conventions),
        notes=tuple(notes),
    )
