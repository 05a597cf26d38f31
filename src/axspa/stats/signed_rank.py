"""Wilcoxon signed-rank test: exact conditional (ties and zeros) and asymptotic.

Conventions (each an argument, each recorded in the result):

- zero handling: ``"wilcox"`` drops zero differences (Wilcoxon 1945; R, SAS,
  exactRankTests); ``"pratt"`` ranks the zeros with the others and then drops their ranks
  (Pratt 1959; coin's default).
- method: ``"exact"`` is the exact distribution conditional on the observed (mid)ranks,
  valid with ties and zeros (Streitberg & Roehmel 1986); ``"asymptotic"`` is the normal
  approximation with the conditional (tie- and Pratt-adjusted) mean and variance;
  ``"auto"`` is exact when at most :data:`AUTO_EXACT_MAX_N` differences are ranked,
  asymptotic beyond.
- continuity correction (asymptotic only): off by default (scipy, SPSS); R's default is on.
- ties and zeros are decided on differences rounded to ``digits`` significant digits of the
  largest absolute input value (default :data:`DEFAULT_DIGITS` = 10).
- presets reproduce other software in one argument: ``"R"`` (wilcox.test, R < 4.6),
  ``"scipy"`` (scipy.stats.wilcoxon 1.15+, method="auto"), ``"SPSS"`` (Asymp. Sig.).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from axspa.errors import InputError
from axspa.options import PRESETS, SIGNED_RANK_METHODS, ZERO_METHODS, Alternative, Preset, SignedRankMethod, ZeroMethod
from axspa.stats import _validate
from axspa.stats._paired import (
    DEFAULT_DIGITS,
    check_digits,
    differences,
    keys_and_zeros,
    used_sample,
)
from axspa.stats._results import HIDDEN, Result
from axspa.stats._signed_rank_core import (
    AUTO_EXACT_MAX_N,
    BoolArray,
    FloatArray,
    IntArray,
    batch_exact_tails,
    exact_distribution,
    exact_tails,
    has_ties,
    normal_tails,
    rank_rows,
)
from axspa.stats.hodges_lehmann import HodgesLehmannResult, interval_from_sample, walsh_median

__all__ = [
    "AUTO_EXACT_MAX_N",
    "DEFAULT_DIGITS",
    "PRESETS",
    "SignedRankBatchResult",
    "SignedRankNullDistribution",
    "WilcoxonSignedRankResult",
    "matched_pairs_rank_biserial",
    "signed_rank_exact_pvalue",
    "signed_rank_null_distribution",
    "wilcoxon_signed_rank",
    "wilcoxon_signed_rank_batch",
]

METHODS = SIGNED_RANK_METHODS

_PRESET_CONVENTIONS = {
    # preset: (zero_method, correction of the asymptotic branch)
    "R": ("wilcox", True),
    "scipy": ("wilcox", False),
    "SPSS": ("wilcox", False),
}


# ---------------------------------------------------------------------------------------
# conventions


@dataclass(frozen=True)
class _Conventions:
    zero_method: str
    method: str  # "auto", "exact", "asymptotic" or a preset name (its own rule)
    correction: bool
    alternative: str
    digits: int | None
    preset: str | None


def _conventions(
    zero_method: str | None,
    method: str | None,
    correction: bool | None,
    alternative: str,
    digits: int | None,
    preset: str | None,
) -> _Conventions:
    alt = _validate.alternative(alternative)
    dig = check_digits(digits)
    if preset is not None:
        _validate.choice("preset", preset, PRESETS)
        given = [
            name
            for name, v in (("zero_method", zero_method), ("method", method), ("correction", correction))
            if v is not None
        ]
        if given:
            raise InputError(
                f"preset={preset!r} fixes zero_method, method and correction; got {', '.join(given)} "
                "as well. Pass either a preset or the individual conventions"
            )
        zm, cc = _PRESET_CONVENTIONS[preset]
        return _Conventions(zm, preset, cc, alt, dig, preset)
    zm = _validate.choice("zero_method", "wilcox" if zero_method is None else zero_method, ZERO_METHODS)
    meth = _validate.choice("method", "auto" if method is None else method, METHODS)
    cc = False if correction is None else _validate.flag("correction", correction)
    return _Conventions(zm, meth, cc, alt, dig, None)


def _choose_methods(rule: str, n_used: IntArray, n_pairs: int, ties: BoolArray, n_zero: IntArray) -> IntArray:
    """1 where the exact method applies, 0 where the asymptotic one does."""
    clean = ~ties & (n_zero == 0)
    if rule == "exact":
        exact = np.ones(n_used.shape, dtype=bool)
    elif rule == "asymptotic" or rule == "SPSS":
        exact = np.zeros(n_used.shape, dtype=bool)
    elif rule == "auto":
        exact = n_used <= AUTO_EXACT_MAX_N
    elif rule == "R":  # wilcox.test: exact if n < 50 without ties and zeros
        exact = (n_used < 50) & clean
    else:  # "scipy": exact untied if n <= 50; full permutation (= exact conditional) if n <= 13
        exact = ((n_pairs <= 50) & clean) | np.full(n_used.shape, n_pairs <= 13)
    return exact.astype(np.int64)


# ---------------------------------------------------------------------------------------
# shared computation on rows of differences


@dataclass(frozen=True)
class _Rows:
    statistic: FloatArray
    r_minus: FloatArray
    z: FloatArray
    pvalue: FloatArray
    log_pvalue: FloatArray
    point: FloatArray
    n: IntArray
    n_zero: IntArray
    ties: BoolArray
    exact: IntArray
    zero: BoolArray


def _compute_rows(d: FloatArray, scale: FloatArray, conv: _Conventions, *, single: bool) -> _Rows:
    keys, zero = keys_and_zeros(d, scale, conv.digits)
    ranks, pos, neg = rank_rows(keys, conv.zero_method)
    n_pairs = d.shape[1]
    n_zero = zero.sum(axis=1).astype(np.int64)
    n_used = n_pairs - n_zero if conv.zero_method == "wilcox" else np.full_like(n_zero, n_pairs)
    ties = has_ties(keys)
    r_plus = np.where(pos, ranks, 0.0).sum(axis=1)
    r_minus = np.where(neg, ranks, 0.0).sum(axis=1)
    exact = _choose_methods(conv.method, n_used, n_pairs, ties, n_zero)
    exact = np.where(n_zero == n_pairs, 0, exact)  # nothing to test: reported as NaN below

    rows = d.shape[0]
    z = np.full(rows, np.nan)
    pvalue = np.full(rows, np.nan)
    log_p = np.full(rows, np.nan)
    point = np.full(rows, np.nan)

    asym = (exact == 0) & (n_zero < n_pairs)
    if asym.any():
        mean = ranks[asym].sum(axis=1) / 2.0  # E T = sum a_i / 2
        var = (ranks[asym] ** 2).sum(axis=1) / 4.0  # Var T = sum a_i^2 / 4
        z[asym], pvalue[asym], log_p[asym] = normal_tails(
            r_plus[asym], mean, var, correction=conv.correction, alternative=conv.alternative
        )

    ex = exact == 1
    if ex.any():
        scores2 = np.rint(2.0 * ranks[ex]).astype(np.int64)
        t2 = np.rint(2.0 * r_plus[ex]).astype(np.int64)
        if single:
            pairs = [exact_tails(s, int(t)) for s, t in zip(scores2, t2, strict=True)]
            probs = np.array([pr for pr, _ in pairs])
            logs = np.array([lg for _, lg in pairs])
        else:
            probs = batch_exact_tails(scores2, t2)
            with np.errstate(divide="ignore"):
                logs = np.log(probs)
        pv, lp = _pick_tail(probs, logs, conv.alternative)
        pvalue[ex], log_p[ex], point[ex] = pv, lp, probs[:, 2]
    return _Rows(r_plus, r_minus, z, pvalue, log_p, point, n_used, n_zero, ties, exact, zero)


def _pick_tail(probs: FloatArray, logs: FloatArray, alternative: str) -> tuple[FloatArray, FloatArray]:
    """p-value and log p-value from (lower, upper, point) columns of probabilities and logs."""
    if alternative == "less":
        return probs[:, 0], logs[:, 0]
    if alternative == "greater":
        return probs[:, 1], logs[:, 1]
    p = np.minimum(1.0, 2.0 * np.minimum(probs[:, 0], probs[:, 1]))
    lp = np.minimum(0.0, np.log(2.0) + np.minimum(logs[:, 0], logs[:, 1]))
    return p, lp


# ---------------------------------------------------------------------------------------
# one sample


@dataclass(frozen=True, repr=False, slots=True)
class WilcoxonSignedRankResult(Result):
    """Result of :func:`wilcoxon_signed_rank`.

    Attributes
    ----------
    statistic : float
        R+ (R's V): the sum of the ranks of the positive differences.
    r_minus : float
        R-: the sum of the ranks of the negative differences.
    pvalue : float
        The p-value for ``alternative`` by ``method``.
    log_pvalue : float
        Natural log of the p-value, accurate also where ``pvalue`` underflows (exact
        tails below about 1e-308).
    point_probability : float
        P(T = statistic) under H0 (exact method; NaN for the asymptotic one), for a mid-p.
    z : float
        The standardized statistic, continuity-corrected if ``correction`` (asymptotic
        only; NaN for the exact method).
    n : int
        Number of differences ranked: the non-zero ones (``"wilcox"``) or all (``"pratt"``).
    n_zero : int
        Number of zero differences.
    ties : bool
        Whether tied non-zero absolute differences occurred.
    method : str
        The method actually used: ``"exact"`` or ``"asymptotic"``.
    zero_method, alternative : str
    correction : bool
        Whether a continuity correction was applied (never for the exact method).
    digits : int or None
        Significant digits that decided ties and zeros.
    preset : str or None
        The preset that fixed the conventions, if any.
    """

    statistic: float
    r_minus: float
    pvalue: float
    log_pvalue: float
    point_probability: float
    z: float
    n: int
    n_zero: int
    ties: bool
    method: str
    zero_method: str
    correction: bool
    alternative: str
    digits: int | None
    preset: str | None
    sample: FloatArray = field(metadata=HIDDEN, compare=False)

    def mid_pvalue(self) -> float:
        """The mid-p-value: the p-value less half the point probability (exact method only).

        One-sided: P(T more extreme than t) + P(T = t) / 2; two-sided: twice the smaller
        one-sided mid-p, at most 1.
        """
        if self.method != "exact":
            raise InputError(f"a mid-p-value needs the exact method; this result used method={self.method!r}")
        if self.alternative == "two-sided":
            if self.statistic == self.r_minus:  # t at the centre: both tails hold P(T = t)
                return 1.0
            return min(1.0, self.pvalue - self.point_probability)
        return self.pvalue - 0.5 * self.point_probability

    def rank_biserial(self) -> float:
        """Matched-pairs rank-biserial correlation (R+ - R-) / (R+ + R-) (Kerby 2014)."""
        return _rank_biserial(self.statistic, self.r_minus)

    def hodges_lehmann(self) -> float:
        """Hodges-Lehmann estimate (median of the Walsh averages) on the same sample as the test."""
        return walsh_median(self.sample)

    def confidence_interval(self, confidence_level: float = 0.95, method: str = "exact") -> HodgesLehmannResult:
        """Confidence interval for the pseudomedian, same sample and sidedness as the test.

        ``method``: ``"exact"`` (Bauer 1972; the default), ``"asymptotic"`` (normal critical value,
        tie-corrected variance) or ``"auto"`` (exact up to ``AUTO_EXACT_MAX_N`` differences); pass
        ``result.method`` for the method the test used. Returns a
        :class:`axspa.stats.HodgesLehmannResult` whose ``method`` records the one used.
        """
        return interval_from_sample(
            self.sample,
            ties=self.ties,
            zero_method=self.zero_method,
            confidence_level=confidence_level,
            alternative=self.alternative,
            method=method,
        )


def _rank_biserial(r_plus: float, r_minus: float) -> float:
    total = r_plus + r_minus
    return float((r_plus - r_minus) / total) if total > 0 else math.nan


def wilcoxon_signed_rank(
    x: Any,
    y: Any = None,
    *,
    zero_method: ZeroMethod | None = None,
    method: SignedRankMethod | None = None,
    correction: bool | None = None,
    alternative: Alternative = "two-sided",
    digits: int | None = DEFAULT_DIGITS,
    preset: Preset | None = None,
) -> WilcoxonSignedRankResult:
    """Wilcoxon signed-rank test for paired samples (or one sample of differences).

    Parameters
    ----------
    x : array_like, 1-D
        First measurements (e.g. week 24), or the differences if ``y`` is None. Real, finite
        numbers only: drop incomplete pairs explicitly before testing. Booleans, strings
        (numeric ones too), dates, complex numbers, None and other objects are refused.
    y : array_like, 1-D, optional
        Second measurements (e.g. baseline). The test is on d = x - y. Two pandas Series are
        paired by index label (the same labels in any order; labels found on one side only are
        an error naming them); otherwise pairs are formed by position.
    zero_method : {"wilcox", "pratt"}, optional
        Zero differences: dropped (``"wilcox"``, the default) or ranked and their ranks
        dropped (``"pratt"``).
    method : {"auto", "exact", "asymptotic"}, optional
        ``"exact"``: exact distribution conditional on the observed midranks (ties and
        zeros allowed). ``"asymptotic"``: normal approximation. ``"auto"`` (default): exact
        when at most ``AUTO_EXACT_MAX_N`` (500) differences are ranked, asymptotic beyond.
    correction : bool, optional
        Continuity correction of the normal approximation (default False). Ignored by, and
        recorded as False for, the exact method.
    alternative : {"two-sided", "less", "greater"}
        "greater": the differences x - y tend to be positive (R+ large).
    digits : int or None
        Ties and zeros are decided on the differences rounded to ``digits`` significant digits
        of the largest absolute input value (default 10), so that float noise in x - y does
        not break real ties or real zeros. None compares the raw differences (R's default,
        ``digits.rank = Inf``).
    preset : {"R", "scipy", "SPSS"}, optional
        Conventions of other software in one argument (do not combine with zero_method,
        method or correction):

        - ``"R"``: wilcox.test (R < 4.6): zeros dropped; exact if n < 50 without ties or
          zeros, otherwise normal with continuity correction.
        - ``"scipy"``: scipy.stats.wilcoxon 1.15+ with method="auto": zeros dropped; exact
          if n <= 50 (pairs, zeros included) without ties or zeros, exact conditional
          (scipy's full permutation) if n <= 13, otherwise normal without correction.
        - ``"SPSS"``: "Asymp. Sig.": zeros dropped, normal with tie-corrected variance, no
          continuity correction.

    Returns
    -------
    WilcoxonSignedRankResult
        Records the statistic R+, R-, the p-value (and its log), P(T = t), n, the number of
        zeros, whether ties occurred and every convention used, including the method actually
        used. Methods: ``confidence_interval()``, ``hodges_lehmann()``, ``rank_biserial()``,
        ``mid_pvalue()``, ``to_frame()``.

    Raises
    ------
    InputError
        Non-real, empty, non-finite or mismatched input; an x - y that overflows float64 (the
        position is named); no non-zero difference; an unknown convention.

    Notes
    -----
    R+ = sum of the ranks of |d_i| over d_i > 0 [1]_, with midranks for ties.
    Under H0, given the ranks a_i of the n ranked non-zero differences, R+ = sum a_i B_i with
    independent B_i ~ Bernoulli(1/2).

    Exact: the distribution of R+ follows from prod_i (1 + z^(2 a_i)) / 2 on the doubled
    midranks (integers), built by the shift algorithm of Streitberg & Roehmel (1986) with
    power-of-two rescaling, and only up to the needed tail. One-sided p = P(T <= t) or
    P(T >= t); two-sided p = min(1, 2 min(P(T <= t), P(T >= t))). Untied, p lies on the
    lattice c / 2^n.

    Asymptotic: E T = sum a_i / 2 and Var T = sum a_i^2 / 4. Without zeros this is
    n(n+1)/4 and n(n+1)(2n+1)/24 - sum(t^3 - t)/48 over tie groups of size t (Hollander &
    Wolfe); with Pratt's zeros it subtracts the zeros' ranks, n0(n0+1)/4
    and n0(n0+1)(2n0+1)/24 (Pratt 1959; Cureton 1967). With the continuity correction
    z = (T - E T - c) / sqrt(Var T), c = 0.5 towards the mean, as in R's wilcox.test.

    References
    ----------
    .. [1] Wilcoxon F. Individual comparisons by ranking methods. Biometrics Bulletin
       1945;1:80-83.
    .. [2] Pratt JW. Remarks on zeros and ties in the Wilcoxon signed rank procedures. J Am Stat
       Assoc 1959;54:655-667.
    .. [3] Cureton EE. The normal approximation to the signed-rank sampling distribution when
       zero differences are present. J Am Stat Assoc 1967;62:1068-1069.
    .. [4] Streitberg B, Roehmel J. Exact distributions for permutation and rank tests: an
       introduction to some recently published algorithms. Statistical Software Newsletter
       1986;12:10-17.
    .. [5] Hollander M, Wolfe DA. Nonparametric Statistical Methods. New York: Wiley, 1973
       (2nd ed. 1999).

    Examples
    --------
    Hamilton depression scale factor of 9 patients at the first (x) and second (y) visit
    after the start of a therapy (Hollander & Wolfe 1973, p. 29f; the example of R's
    ?wilcox.test, which gives V = 40 and p = 0.01953 for alternative = "greater"):

    >>> x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    >>> y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    >>> res = wilcoxon_signed_rank(x, y)
    >>> res.statistic, res.pvalue, res.method
    (40.0, 0.0390625, 'exact')
    >>> wilcoxon_signed_rank(x, y, alternative="greater").pvalue
    0.01953125

    Ties and zeros: the exact conditional p-value (R: exactRankTests::wilcox.exact gives
    V = 35, p = 0.015625) and R's wilcox.test convention (normal approximation with
    continuity correction, p = 0.02039484):

    >>> d = [2, 2, -1, 3, 0, 4, 4, 5, 0, 3]
    >>> res = wilcoxon_signed_rank(d, method="exact")
    >>> res.statistic, res.pvalue, res.n, res.n_zero, res.ties
    (35.0, 0.015625, 8, 2, True)
    >>> r = wilcoxon_signed_rank(d, preset="R")
    >>> r.method, r.correction, round(r.pvalue, 8)
    ('asymptotic', True, 0.02039484)
    """
    conv = _conventions(zero_method, method, correction, alternative, digits, preset)
    d, scale = differences(x, y, ndim=1)
    rows = _compute_rows(d[None, :], np.atleast_1d(scale), conv, single=True)
    if int(rows.n_zero[0]) == d.size:
        raise InputError(
            f"all {d.size} differences are zero (at digits={conv.digits}); the signed-rank test needs "
            "at least one non-zero difference"
        )
    used_exact = bool(rows.exact[0])
    return WilcoxonSignedRankResult(
        statistic=float(rows.statistic[0]),
        r_minus=float(rows.r_minus[0]),
        pvalue=float(rows.pvalue[0]),
        log_pvalue=float(rows.log_pvalue[0]),
        point_probability=float(rows.point[0]),
        z=float(rows.z[0]),
        n=int(rows.n[0]),
        n_zero=int(rows.n_zero[0]),
        ties=bool(rows.ties[0]),
        method="exact" if used_exact else "asymptotic",
        zero_method=conv.zero_method,
        correction=conv.correction and not used_exact,
        alternative=conv.alternative,
        digits=conv.digits,
        preset=conv.preset,
        sample=used_sample(d, rows.zero[0], conv.zero_method),
    )


def matched_pairs_rank_biserial(
    x: Any, y: Any = None, *, zero_method: ZeroMethod = "wilcox", digits: int | None = DEFAULT_DIGITS
) -> float:
    """Matched-pairs rank-biserial correlation r = (R+ - R-) / (R+ + R-) (Kerby 2014).

    Parameters
    ----------
    x, y : array_like
        As in :func:`wilcoxon_signed_rank` (d = x - y).
    zero_method : {"wilcox", "pratt"}
        Zeros dropped, or ranked with the others and their ranks then dropped.
    digits : int or None
        Rounding that decides ties and zeros, as in :func:`wilcoxon_signed_rank`.

    Returns
    -------
    float
        r in [-1, 1]: the proportion of favourable minus unfavourable rank evidence.

    References
    ----------
    .. [1] Kerby DS. The simple difference formula: an approach to teaching nonparametric
       correlation. Comprehensive Psychology 2014;3:11.IT.3.1.

    Examples
    --------
    >>> matched_pairs_rank_biserial([1.5, -0.5, 2.0, 3.0])
    0.8
    """
    res = wilcoxon_signed_rank(x, y, zero_method=zero_method, method="asymptotic", digits=digits)
    return res.rank_biserial()


# ---------------------------------------------------------------------------------------
# many samples


@dataclass(frozen=True, repr=False, slots=True)
class SignedRankBatchResult(Result):
    """Result of :func:`wilcoxon_signed_rank_batch`: one entry per sample (row).

    Attributes are arrays of length m (samples) as in :class:`WilcoxonSignedRankResult`;
    ``method`` holds the method used for each row. Rows without a non-zero difference have
    NaN statistics and p-values.
    """

    statistic: FloatArray
    r_minus: FloatArray
    pvalue: FloatArray
    point_probability: FloatArray
    z: FloatArray
    n: IntArray
    n_zero: IntArray
    ties: BoolArray
    method: np.ndarray
    zero_method: str
    correction: bool
    alternative: str
    digits: int | None
    preset: str | None

    def to_frame(self) -> pd.DataFrame:
        """One row per sample; the conventions as constant columns."""
        frame = pd.DataFrame(
            {
                name: getattr(self, name)
                for name in (
                    "statistic",
                    "r_minus",
                    "pvalue",
                    "point_probability",
                    "z",
                    "n",
                    "n_zero",
                    "ties",
                    "method",
                )
            }
        )
        for name in ("zero_method", "correction", "alternative", "digits", "preset"):
            frame[name] = getattr(self, name)
        return frame

    def __repr__(self) -> str:
        names, counts = np.unique(self.method, return_counts=True)
        methods = ", ".join(f"{m}={int(c)}" for m, c in zip(names, counts, strict=True))
        return (
            f"SignedRankBatchResult(samples={self.pvalue.size}, methods: {methods}, "
            f"zero_method={self.zero_method!r}, correction={self.correction}, "
            f"alternative={self.alternative!r}, preset={self.preset!r})"
        )


def wilcoxon_signed_rank_batch(
    x: Any,
    y: Any = None,
    *,
    zero_method: ZeroMethod | None = None,
    method: SignedRankMethod | None = None,
    correction: bool | None = None,
    alternative: Alternative = "two-sided",
    digits: int | None = DEFAULT_DIGITS,
    preset: Preset | None = None,
) -> SignedRankBatchResult:
    """The signed-rank test on many samples of the same size in one vectorized call.

    Parameters
    ----------
    x : array_like, 2-D (m samples, n pairs)
        One sample per row: first measurements, or differences if ``y`` is None.
    y : array_like, 2-D, optional
        Second measurements, same shape as ``x``. Two DataFrames are paired by their index and
        column labels (as two Series are by :func:`wilcoxon_signed_rank`); arrays by position.
    zero_method, method, correction, alternative, digits, preset
        As in :func:`wilcoxon_signed_rank`, applied row by row (``"auto"`` and the presets
        decide the method per row, recorded in ``method``).

    Returns
    -------
    SignedRankBatchResult
        Arrays of length m: statistic (R+), r_minus, pvalue, point_probability, z, n, n_zero,
        ties, method.

    Notes
    -----
    Same formulas as :func:`wilcoxon_signed_rank`. For the exact method, rows with the same
    multiset of midranks share one distribution and the distinct ones are built together by
    the shift algorithm, vectorized over rows, in probability space (halving at each pass);
    p-values below about 1e-308 underflow to 0 here (the single-sample function keeps them
    in log space). Rows with no non-zero difference get NaN, not an error.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = rng.integers(-3, 6, size=(4, 10))
    >>> res = wilcoxon_signed_rank_batch(d, method="exact")
    >>> res.pvalue.shape, list(res.method)
    ((4,), ['exact', 'exact', 'exact', 'exact'])
    >>> bool(res.pvalue[0] == wilcoxon_signed_rank(d[0], method="exact").pvalue)
    True
    """
    conv = _conventions(zero_method, method, correction, alternative, digits, preset)
    d, scale = differences(x, y, ndim=2)
    rows = _compute_rows(d, scale, conv, single=False)
    empty = rows.n_zero == d.shape[1]
    stat = np.where(empty, np.nan, rows.statistic)
    rmin = np.where(empty, np.nan, rows.r_minus)
    return SignedRankBatchResult(
        statistic=stat,
        r_minus=rmin,
        pvalue=rows.pvalue,
        point_probability=rows.point,
        z=rows.z,
        n=rows.n,
        n_zero=rows.n_zero,
        ties=rows.ties,
        method=np.where(rows.exact == 1, "exact", "asymptotic").astype(object),
        zero_method=conv.zero_method,
        correction=conv.correction,
        alternative=conv.alternative,
        digits=conv.digits,
        preset=conv.preset,
    )


# ---------------------------------------------------------------------------------------
# the exact null distribution, for given ranks


def _scores(n: int | None, ranks: Any) -> IntArray:
    if (n is None) == (ranks is None):
        raise InputError(f"give exactly one of n (untied ranks 1..n) and ranks; got n={n!r}, ranks={ranks!r}")
    if n is not None:
        size = _validate.count("n", n, minimum=1)
        return 2 * np.arange(1, size + 1, dtype=np.int64)
    r = _validate.finite_array("ranks", ranks)
    doubled = 2.0 * r
    if np.any(r <= 0) or np.any(doubled != np.rint(doubled)):
        bad = r[(r <= 0) | (doubled != np.rint(doubled))][:5]
        raise InputError(f"ranks must be positive multiples of 1/2 (midranks); got {bad.tolist()}")
    return np.rint(doubled).astype(np.int64)


@dataclass(frozen=True, repr=False, slots=True)
class SignedRankNullDistribution(Result):
    """Exact null distribution of R+ given the ranks (from :func:`signed_rank_null_distribution`).

    Attributes
    ----------
    support : ndarray
        The attainable values of R+ (multiples of 1/2), ascending.
    pmf : ndarray
        P(R+ = value) for each support value.
    log_pmf : ndarray
        Natural log of ``pmf``, accurate far below 1e-300; NaN for attainable values so far out
        in the tails (n above about 1000) that the scaled computation does not resolve them.
    n : int
        Number of ranks (non-zero differences).
    """

    support: FloatArray
    pmf: FloatArray
    log_pmf: FloatArray
    n: int

    def cdf(self, t: float) -> float:
        """P(R+ <= t)."""
        return float(self.pmf[self.support <= t].sum())

    def sf(self, t: float) -> float:
        """P(R+ >= t) (note: >=, the upper tail including t)."""
        return float(self.pmf[self.support >= t].sum())

    def __repr__(self) -> str:
        return (
            f"SignedRankNullDistribution(n={self.n}, support {self.support[0]:g}..{self.support[-1]:g} "
            f"({self.support.size} values))"
        )


def signed_rank_null_distribution(*, n: int | None = None, ranks: Any = None) -> SignedRankNullDistribution:
    """Exact null distribution of the signed-rank statistic R+ for given ranks.

    Parameters
    ----------
    n : int, optional
        Untied case: ranks 1..n.
    ranks : array_like, optional
        The (mid)ranks of the non-zero differences: positive multiples of 1/2 (Pratt ranks
        may start above 1). Give exactly one of ``n`` and ``ranks``.

    Returns
    -------
    SignedRankNullDistribution
        Support (attainable values of R+), pmf and log pmf.

    Notes
    -----
    Generating function prod_i (1 + z^(2 r_i)) / 2 on the doubled ranks, built by the shift
    algorithm (Streitberg & Roehmel 1986). Cost O(n sum r_i); memory O(sum r_i). For tails
    of a single value use :func:`signed_rank_exact_pvalue`, which builds only the tail.

    References
    ----------
    .. [1] Streitberg B, Roehmel J. Exact distributions for permutation and rank tests.
       Statistical Software Newsletter 1986;12:10-17.

    Examples
    --------
    >>> dist = signed_rank_null_distribution(n=3)
    >>> dist.support.tolist(), (dist.pmf * 8).tolist()
    ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0])
    >>> signed_rank_null_distribution(ranks=[1.5, 1.5, 3]).support.tolist()
    [0.0, 1.5, 3.0, 4.5, 6.0]
    """
    scores2 = _scores(n, ranks)
    support2, pmf, log_pmf = exact_distribution(scores2)
    return SignedRankNullDistribution(support2 / 2.0, pmf, log_pmf, int(scores2.size))


@dataclass(frozen=True, repr=False, slots=True)
class ExactSignedRankPValue(Result):
    """An exact signed-rank p-value for a given statistic and ranks (:func:`signed_rank_exact_pvalue`).

    Attributes
    ----------
    statistic : float
        The R+ asked about.
    pvalue : float
        Exact p-value (0.0 where it underflows; see ``log_pvalue``).
    log_pvalue : float
        Natural log of the p-value, accurate far below 1e-300.
    point_probability : float
        P(R+ = statistic) (0 if the value is not attainable).
    n : int
        Number of ranks.
    alternative : str
    """

    statistic: float
    pvalue: float
    log_pvalue: float
    point_probability: float
    n: int
    alternative: str


def signed_rank_exact_pvalue(
    statistic: float, *, n: int | None = None, ranks: Any = None, alternative: Alternative = "two-sided"
) -> ExactSignedRankPValue:
    """Exact p-value of an observed R+ given the ranks (or n, untied).

    Parameters
    ----------
    statistic : float
        Observed R+ (a multiple of 1/2).
    n : int, optional
        Untied case: ranks 1..n.
    ranks : array_like, optional
        (Mid)ranks of the non-zero differences. Give exactly one of ``n`` and ``ranks``.
    alternative : {"two-sided", "less", "greater"}

    Returns
    -------
    ExactSignedRankPValue
        pvalue, log_pvalue (accurate far below 1e-300) and P(R+ = statistic).

    Notes
    -----
    Builds the exact distribution (Streitberg & Roehmel 1986) only up to the needed tail,
    min(t, S - t) with S = sum of ranks, in O(n min(t, S - t)). Two-sided p = min(1, 2 min(P(T
    <= t), P(T >= t))).

    Examples
    --------
    >>> signed_rank_exact_pvalue(40, n=9).pvalue
    0.0390625
    >>> res = signed_rank_exact_pvalue(0, n=2000, alternative="less")
    >>> res.pvalue, round(float(res.log_pvalue / np.log(2)), 9)
    (0.0, -2000.0)
    """
    alt = _validate.alternative(alternative)
    scores2 = _scores(n, ranks)
    t = _validate.real_scalar("statistic", statistic)
    if 2 * t != round(2 * t):
        raise InputError(f"statistic must be a finite multiple of 1/2 (R+); got {statistic!r}")
    probs, logs = exact_tails(scores2, round(2 * t))
    p, lp = _pick_tail(probs[None, :], logs[None, :], alt)
    return ExactSignedRankPValue(t, float(p[0]), float(lp[0]), float(probs[2]), int(scores2.size), alt)
