"""Response rates and 2x2 tables: binomial intervals, Fisher, Barnard, Boschloo, chi-square, McNemar.

Every function takes the method as an argument and records it in its result; nothing switches
from one test to another on its own. Wald intervals are deliberately not offered (8/8 gives
[1, 1]; see [1]_).

References
----------
.. [1] Brown LD, Cai TT, DasGupta A. Interval estimation for a binomial proportion. Stat Sci
   2001;16:101-133.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats as sps
from scipy.special import ndtri

from axspa.errors import InputError
from axspa.options import BINOMIAL_CI_METHODS, Alternative, BinomialCIMethod
from axspa.stats import _validate
from axspa.stats._results import HIDDEN, ConfidenceInterval, Result

__all__ = [
    "BINOMIAL_CI_METHODS",
    "BinomialInterval",
    "BinomialTestResult",
    "TwoByTwoResult",
    "barnard",
    "binomial_ci",
    "binomial_test",
    "boschloo",
    "chi_square_2x2",
    "fisher",
    "mcnemar",
    "table_2x2",
]


IntTable = npt.NDArray[np.int64]


def _counts(successes: object, n: object) -> tuple[int, int]:
    k = _validate.count("successes", successes)
    size = _validate.count("n", n, minimum=1)
    if k > size:
        raise InputError(f"successes must be between 0 and n={size}; got {k}")
    return k, size


# ---------------------------------------------------------------------------------------
# one proportion


@dataclass(frozen=True, slots=True, repr=False)
class BinomialInterval(Result):
    """A confidence interval for a binomial proportion (from :func:`binomial_ci`)."""

    successes: int
    n: int
    proportion: float
    low: float
    high: float
    confidence_level: float
    method: str

    @property
    def ci(self) -> ConfidenceInterval:
        """The interval as a :class:`~axspa.results.ConfidenceInterval` (``low, high = result.ci``)."""
        return ConfidenceInterval(self.low, self.high, self.confidence_level, self.method)


def binomial_ci(
    successes: int, n: int, *, confidence_level: float = 0.95, method: BinomialCIMethod = "clopper-pearson"
) -> BinomialInterval:
    r"""Two-sided confidence interval for a binomial proportion.

    Parameters
    ----------
    successes : int
        Number of responders, 0 <= successes <= n.
    n : int
        Number of patients in the denominator (state which population it is).
    confidence_level : float
        In (0, 1).
    method : {"clopper-pearson", "wilson", "jeffreys"}
        ``"clopper-pearson"`` (default): the exact interval, as R's binom.test.
        ``"wilson"``: the score interval, as R's prop.test(correct = FALSE).
        ``"jeffreys"``: equal-tailed Bayesian interval under a Beta(1/2, 1/2) prior.

    Returns
    -------
    BinomialInterval
        successes, n, proportion, low, high, confidence_level, method.

    Notes
    -----
    With :math:`\alpha = 1 -` confidence_level, :math:`x` successes out of :math:`n`, and
    :math:`B(q; a, b)` the :math:`q` quantile of the Beta(:math:`a, b`) distribution:

    - Clopper & Pearson [1]_ (low 0 if :math:`x = 0`, high 1 if :math:`x = n`):

      .. math::

          \left[\, B(\alpha/2;\ x,\ n - x + 1),\ B(1 - \alpha/2;\ x + 1,\ n - x) \,\right]

    - Wilson [2]_, with :math:`z = \Phi^{-1}(1 - \alpha/2)`, :math:`\hat p = x/n` and
      :math:`c = z^2/(2n)` (low 0 if :math:`x = 0`, high 1 if :math:`x = n`, as R):

      .. math::

          \frac{\hat p + c \mp z \sqrt{\hat p (1 - \hat p)/n + c/(2n)}}{1 + 2c}

    - Jeffreys [3]_ (low 0 if :math:`x = 0`, high 1 if :math:`x = n`):

      .. math::

          \left[\, B(\alpha/2;\ x + \tfrac12,\ n - x + \tfrac12),
          B(1 - \alpha/2;\ x + \tfrac12,\ n - x + \tfrac12) \,\right]

    References
    ----------
    .. [1] Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case
       of the binomial. Biometrika 1934;26:404-413.
    .. [2] Wilson EB. Probable inference, the law of succession, and statistical inference. J Am
       Stat Assoc 1927;22:209-212.
    .. [3] Brown LD, Cai TT, DasGupta A. Interval estimation for a binomial proportion. Stat Sci
       2001;16:101-133.

    Examples
    --------
    The reference study's 8 ASAS20 responders over three denominators:

    >>> ci = binomial_ci(8, 10)
    >>> round(ci.low, 3), round(ci.high, 3)
    (0.444, 0.975)
    >>> ci = binomial_ci(8, 10, method="wilson")
    >>> round(ci.low, 3), round(ci.high, 3)
    (0.49, 0.943)
    >>> ci = binomial_ci(8, 13)
    >>> round(ci.low, 3), round(ci.high, 3)
    (0.316, 0.861)
    """
    x, size = _counts(successes, n)
    level = _validate.confidence_level(confidence_level)
    meth = _validate.choice("method", method, BINOMIAL_CI_METHODS)
    alpha = 1.0 - level
    if meth == "clopper-pearson":
        low = 0.0 if x == 0 else float(sps.beta.ppf(alpha / 2, x, size - x + 1))
        high = 1.0 if x == size else float(sps.beta.ppf(1 - alpha / 2, x + 1, size - x))
    elif meth == "jeffreys":
        low = 0.0 if x == 0 else float(sps.beta.ppf(alpha / 2, x + 0.5, size - x + 0.5))
        high = 1.0 if x == size else float(sps.beta.ppf(1 - alpha / 2, x + 0.5, size - x + 0.5))
    else:
        z = float(ndtri(1 - alpha / 2))
        p = x / size
        c = z * z / (2 * size)
        half = z * math.sqrt(p * (1 - p) / size + c / (2 * size))
        low = 0.0 if x == 0 else (p + c - half) / (1 + 2 * c)
        high = 1.0 if x == size else (p + c + half) / (1 + 2 * c)
    return BinomialInterval(x, size, x / size, low, high, level, meth)


@dataclass(frozen=True, slots=True, repr=False)
class BinomialTestResult(Result):
    """Exact binomial test (from :func:`binomial_test`)."""

    successes: int
    n: int
    p0: float
    pvalue: float
    alternative: str
    method: str


def binomial_test(
    successes: int, n: int, *, p: float = 0.5, alternative: Alternative = "two-sided"
) -> BinomialTestResult:
    r"""Exact binomial test of H0: the success probability is ``p``.

    Parameters
    ----------
    successes, n : int
        Number of successes and of trials.
    p : float
        Probability under H0, in (0, 1).
    alternative : {"two-sided", "less", "greater"}

    Returns
    -------
    BinomialTestResult

    Notes
    -----
    One-sided p-values are binomial tails. The two-sided p-value sums the probabilities of
    all outcomes no more likely than the observed one (with a relative tolerance of 1e-7,
    as R's binom.test and scipy.stats.binomtest, which this wraps):

    .. math::

        p = \sum_{k:\ P(k) \le P(x) (1 + 10^{-7})} P(k), \qquad P(k) = \binom{n}{k} p_0^k (1 - p_0)^{n - k}

    For an interval use :func:`binomial_ci`: its default, the Clopper-Pearson interval [1]_, inverts the two
    one-sided tails of this test.

    References
    ----------
    .. [1] Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case
       of the binomial. Biometrika 1934;26:404-413.

    Examples
    --------
    R: binom.test(8, 10) gives p = 0.109375.

    >>> binomial_test(8, 10).pvalue
    0.109375
    """
    x, size = _counts(successes, n)
    alt = _validate.alternative(alternative)
    if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 < float(p) < 1.0:
        raise InputError(f"p must be a probability in (0, 1); got {p!r}")
    res = sps.binomtest(x, size, float(p), alternative=alt)
    return BinomialTestResult(x, size, float(p), float(res.pvalue), alt, "exact binomial")


# ---------------------------------------------------------------------------------------
# 2x2 tables


def table_2x2(*, successes_a: int, n_a: int, successes_b: int, n_b: int) -> IntTable:
    """Build the 2x2 table [[successes_a, n_a - successes_a], [successes_b, n_b - successes_b]].

    Parameters
    ----------
    successes_a, n_a : int
        Responders and patients in group a (0 <= successes_a <= n_a).
    successes_b, n_b : int
        The same for group b.

    Returns
    -------
    ndarray of int, shape (2, 2)
        Rows are the groups (a, b), columns (responders, non-responders).

    Examples
    --------
    >>> table_2x2(successes_a=8, n_a=10, successes_b=3, n_b=10).tolist()
    [[8, 2], [3, 7]]
    """
    xa, na = _counts(successes_a, n_a)
    xb, nb = _counts(successes_b, n_b)
    return np.array([[xa, na - xa], [xb, nb - xb]], dtype=np.int64)


def _table(table: Any) -> IntTable:
    arr = _validate.real_array("table", table, ndim=2)
    if arr.shape != (2, 2):
        raise InputError(f"table must be a 2x2 array of counts; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr != np.rint(arr)):
        raise InputError(f"table must hold non-negative whole counts; got {arr.tolist()}")
    return np.rint(arr).astype(np.int64)


@dataclass(frozen=True, slots=True, repr=False)
class TwoByTwoResult(Result):
    """A test on a 2x2 table.

    Attributes
    ----------
    statistic : float
        The test's statistic: the sample odds ratio (Fisher), the Wald statistic (Barnard),
        Fisher's one-sided p-value (Boschloo), X^2 (chi-square, McNemar asymptotic), or the
        smaller discordant count (McNemar exact).
    pvalue : float
    method : str
        The test actually carried out.
    alternative : str
    correction : bool
        Continuity correction applied (chi-square, McNemar asymptotic).
    table : ndarray
        The 2x2 table (not in ``to_frame()``).
    """

    statistic: float
    pvalue: float
    method: str
    alternative: str
    correction: bool
    table: IntTable = field(metadata=HIDDEN, compare=False)


def fisher(table: Any, *, alternative: Alternative = "two-sided") -> TwoByTwoResult:
    """Fisher's exact test of a 2x2 table.

    Parameters
    ----------
    table : array_like, 2x2
        Counts; rows are groups, columns outcomes (see :func:`table_2x2`).
    alternative : {"two-sided", "less", "greater"}
        One-sided alternatives refer to the odds ratio table[0,0] table[1,1] /
        (table[0,1] table[1,0]) being below or above 1.

    Returns
    -------
    TwoByTwoResult
        statistic = the sample odds ratio (R reports the conditional MLE instead).

    Notes
    -----
    Conditional on both margins, table[0,0] is hypergeometric [1]_. The two-sided
    p-value sums the probabilities of the tables no more likely than the observed one (with
    R's relative tolerance 1e-7); wraps scipy.stats.fisher_exact.

    References
    ----------
    .. [1] Fisher RA. The logic of inductive inference. J R Stat Soc 1935;98:39-82.

    Examples
    --------
    R: fisher.test(matrix(c(8, 3, 2, 7), 2)) gives p = 0.06977852.

    >>> round(fisher([[8, 2], [3, 7]]).pvalue, 8)
    0.06977852
    """
    tab = _table(table)
    alt = _validate.alternative(alternative)
    res = sps.fisher_exact(tab, alternative=alt)
    return TwoByTwoResult(float(res.statistic), float(res.pvalue), "fisher", alt, False, tab)


def barnard(table: Any, *, alternative: Alternative = "two-sided", pooled: bool = True, n: int = 32) -> TwoByTwoResult:
    """Barnard's unconditional exact test of a 2x2 table (wraps scipy.stats.barnard_exact).

    Parameters
    ----------
    table : array_like, 2x2
        Counts; the two columns are the two independent samples (scipy's convention).
    alternative : {"two-sided", "less", "greater"}
    pooled : bool
        Pooled (score) or unpooled (Wald) variance in the statistic.
    n : int
        Number of points of the nuisance-parameter grid (scipy's ``n``).

    Returns
    -------
    TwoByTwoResult
        statistic = the Wald statistic; method "barnard (pooled)" or "barnard (unpooled)".

    Notes
    -----
    The p-value is maximized over the nuisance parameter (the common proportion) rather than
    conditioned on the margins [1]_.

    References
    ----------
    .. [1] Barnard GA. A new test for 2x2 tables. Nature 1945;156:177.

    Examples
    --------
    scipy's documentation example (p = 0.068):

    >>> round(barnard([[7, 12], [8, 3]]).pvalue, 3)
    0.068
    """
    tab = _table(table)
    alt = _validate.alternative(alternative)
    pool = _validate.flag("pooled", pooled)
    grid = _validate.count("n", n, minimum=1)
    res = sps.barnard_exact(tab, alternative=alt, pooled=pool, n=grid)
    label = "barnard (pooled)" if pool else "barnard (unpooled)"
    return TwoByTwoResult(float(res.statistic), float(res.pvalue), label, alt, False, tab)


def boschloo(table: Any, *, alternative: Alternative = "two-sided", n: int = 32) -> TwoByTwoResult:
    """Boschloo's unconditional exact test of a 2x2 table (wraps scipy.stats.boschloo_exact).

    Parameters
    ----------
    table : array_like, 2x2
        Counts; the two columns are the two independent samples (scipy's convention).
    alternative : {"two-sided", "less", "greater"}
    n : int
        Number of points of the nuisance-parameter grid.

    Returns
    -------
    TwoByTwoResult
        statistic = Fisher's p-value used as the ordering statistic.

    Notes
    -----
    Orders tables by Fisher's p-value and maximizes the unconditional probability over the
    nuisance parameter; uniformly more powerful than Fisher's test [1]_.

    References
    ----------
    .. [1] Boschloo RD. Raised conditional level of significance for the 2x2-table when testing
       the equality of two probabilities. Statistica Neerlandica 1970;24:1-9.

    Examples
    --------
    >>> bos = boschloo([[7, 12], [8, 3]])
    >>> bool(bos.pvalue <= fisher([[7, 12], [8, 3]]).pvalue)
    True
    """
    tab = _table(table)
    alt = _validate.alternative(alternative)
    grid = _validate.count("n", n, minimum=1)
    res = sps.boschloo_exact(tab, alternative=alt, n=grid)
    return TwoByTwoResult(float(res.statistic), float(res.pvalue), "boschloo", alt, False, tab)


def chi_square_2x2(table: Any, *, correction: bool = False) -> TwoByTwoResult:
    r"""Pearson's chi-square test of a 2x2 table, with Yates's correction only if asked.

    Parameters
    ----------
    table : array_like, 2x2
        Counts; no margin may be zero.
    correction : bool
        Yates's continuity correction (default False).

    Returns
    -------
    TwoByTwoResult
        statistic = X^2 on 1 degree of freedom; the p-value is two-sided.

    Notes
    -----
    Pearson's statistic [1]_, with :math:`E` from the margins:

    .. math::

        X^2 = \sum_{\text{cells}} \frac{(|O - E| - c)^2}{E}, \qquad c = \min(0.5, |O - E|)

    with Yates's correction [2]_ (as R's chisq.test) and :math:`c = 0` without. This test is
    never chosen automatically; small expected counts are the caller's decision (see
    :func:`fisher`).

    References
    ----------
    .. [1] Pearson K. On the criterion that a given system of deviations from the probable in the case
       of a correlated system of variables is such that it can be reasonably supposed to have arisen
       from random sampling. Philos Mag 1900;50:157-175.
    .. [2] Yates F. Contingency tables involving small numbers and the chi-square test. Suppl J R
       Stat Soc 1934;1:217-235.

    Examples
    --------
    R: chisq.test(matrix(c(8, 3, 2, 7), 2), correct = FALSE) gives p = 0.02461876.

    >>> round(chi_square_2x2([[8, 2], [3, 7]]).pvalue, 8)
    0.02461876
    """
    tab = _table(table)
    cc = _validate.flag("correction", correction)
    if np.any(tab.sum(axis=0) == 0) or np.any(tab.sum(axis=1) == 0):
        raise InputError(f"the chi-square test needs non-zero margins; got table {tab.tolist()}")
    res = sps.chi2_contingency(tab, correction=cc)
    label = "chi-square (Yates)" if cc else "chi-square"
    return TwoByTwoResult(float(res.statistic), float(res.pvalue), label, "two-sided", cc, tab)


def mcnemar(table: Any, *, method: str = "exact", correction: bool = True) -> TwoByTwoResult:
    r"""McNemar's test for paired binary outcomes (e.g. BASDAI < 4 at baseline and week 24).

    Parameters
    ----------
    table : array_like, 2x2
        Paired counts: rows the first state (yes, no), columns the second (yes, no); the
        discordant pairs are table[0,1] and table[1,0].
    method : {"exact", "asymptotic"}
        ``"exact"`` (default): two-sided exact binomial test of table[0,1] among the b + c
        discordant pairs with p = 1/2. ``"asymptotic"``: chi-square on 1 degree of freedom.
    correction : bool
        Continuity correction of the asymptotic test (default True, as R's mcnemar.test);
        ignored by, and recorded as False for, the exact test. The result records whether
        it was applied.

    Returns
    -------
    TwoByTwoResult
        statistic = X^2 (asymptotic) or min(b, c) (exact); two-sided p-value.

    Notes
    -----
    With :math:`b` = table[0,1] and :math:`c` = table[1,0], McNemar's statistic [1]_ with
    Edwards's continuity correction [2]_:

    .. math::

        X^2 = \frac{(|b - c| - k)^2}{b + c}

    :math:`k = 1` with the correction and 0 without, exactly as R's mcnemar.test, which
    applies the correction only when :math:`b \ne c` (so :math:`b = c` gives :math:`X^2 = 0`, p = 1,
    and the result records ``correction=False``). The exact p-value is R's binom.test(b, b + c), 1
    when there are no discordant pairs.

    References
    ----------
    .. [1] McNemar Q. Note on the sampling error of the difference between correlated proportions
       or percentages. Psychometrika 1947;12:153-157.
    .. [2] Edwards AL. Note on the "correction for continuity" in testing the significance of the
       difference between correlated proportions. Psychometrika 1948;13:185-187.

    Examples
    --------
    R: binom.test(1, 8) gives p = 0.0703125 and mcnemar.test(matrix(c(5, 7, 1, 2), 2))
    p = 0.07709987.

    >>> mcnemar([[5, 1], [7, 2]]).pvalue
    0.0703125
    >>> round(mcnemar([[5, 1], [7, 2]], method="asymptotic").pvalue, 8)
    0.07709987
    """
    tab = _table(table)
    meth = _validate.choice("method", method, ("exact", "asymptotic"))
    cc = _validate.flag("correction", correction)
    b, c = int(tab[0, 1]), int(tab[1, 0])
    if meth == "exact":
        p = 1.0 if b + c == 0 else float(sps.binomtest(b, b + c, 0.5).pvalue)
        return TwoByTwoResult(float(min(b, c)), p, "mcnemar exact", "two-sided", False, tab)
    if b + c == 0:
        raise InputError(
            f"the asymptotic McNemar test needs discordant pairs; got table {tab.tolist()} "
            "(use method='exact', which gives p = 1)"
        )
    applied = cc and b != c  # as R: no correction when b = c (X^2 = 0)
    stat = (abs(b - c) - (1.0 if applied else 0.0)) ** 2 / (b + c)
    label = "mcnemar asymptotic (corrected)" if applied else "mcnemar asymptotic"
    return TwoByTwoResult(stat, float(sps.chi2.sf(stat, 1)), label, "two-sided", applied, tab)
