r"""Comparing a binary outcome between two arms: risk difference, risk ratio and odds ratio with their
intervals, and the 2x2 tests chosen by name.

Arm 1 (``x1`` responders of ``n1`` patients, usually the experimental arm) is compared with arm 2
(``x2`` of ``n2``, usually the control): the difference is p1 - p2, the ratios p1 / p2 and
odds(p1) / odds(p2). Every result names its method; nothing switches method on its own (a Wald
interval is offered, labelled, never the default).

The methods and their references are in each function's docstring.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize
from scipy.special import gammaln, ndtri

from axspa.errors import InputError
from axspa.options import RISK_DIFFERENCE_METHODS, TWO_BY_TWO_TESTS
from axspa.stats import _validate
from axspa.stats._results import ConfidenceInterval, Result
from axspa.stats.proportions import (
    TwoByTwoResult,
    barnard,
    binomial_ci,
    boschloo,
    chi_square_2x2,
    fisher,
    table_2x2,
)

__all__ = [
    "ODDS_RATIO_METHODS",
    "RISK_DIFFERENCE_METHODS",
    "RISK_RATIO_METHODS",
    "TWO_BY_TWO_TESTS",
    "ProportionComparison",
    "odds_ratio",
    "risk_difference",
    "risk_ratio",
    "two_by_two_test",
]

RISK_RATIO_METHODS = ("katz",)
ODDS_RATIO_METHODS = ("woolf", "exact")


@dataclass(frozen=True, repr=False, slots=True)
class ProportionComparison(Result):
    """A between-arm comparison of two proportions (from :func:`risk_difference`, :func:`risk_ratio`
    or :func:`odds_ratio`).

    Attributes
    ----------
    measure : str
        ``"risk difference"`` (p1 - p2), ``"risk ratio"`` (p1 / p2) or ``"odds ratio"``.
    estimate : float
        The sample value (for ``odds_ratio(method="exact")`` the conditional maximum-likelihood
        estimate, as R's fisher.test).
    low, high : float
        Two-sided confidence limits.
    confidence_level : float
    method : str
        The interval's method, e.g. ``"newcombe"`` or ``"wald"``.
    x1, n1, x2, n2 : int
        Responders and patients in arm 1 and arm 2.
    pvalue : float
        Two-sided p-value of ``test`` (NaN when no test was asked for).
    test : str or None
        The 2x2 test that gave ``pvalue`` (see :func:`two_by_two_test`).
    """

    measure: str
    estimate: float
    low: float
    high: float
    confidence_level: float
    method: str
    x1: int
    n1: int
    x2: int
    n2: int
    pvalue: float = math.nan
    test: str | None = None

    def confidence_interval(self, confidence_level: float | None = None) -> ConfidenceInterval:
        """The interval at the result's level, or recomputed by the same method at another level."""
        if confidence_level is None:
            return ConfidenceInterval(self.low, self.high, self.confidence_level, self.method)
        fn = _MEASURES[self.measure]
        other = fn(self.x1, self.n1, self.x2, self.n2, method=self.method, confidence_level=confidence_level)
        return other.confidence_interval()


def _arms(x1: object, n1: object, x2: object, n2: object) -> tuple[int, int, int, int]:
    """Check the counts of two arms (0 <= x <= n, n >= 1)."""
    out = []
    for xn, nn, xv, nv in (("x1", "n1", x1, n1), ("x2", "n2", x2, n2)):
        k = _validate.count(xn, xv)
        size = _validate.count(nn, nv, minimum=1)
        if k > size:
            raise InputError(f"{xn} must be between 0 and {nn}={size}; got {xn}={k}")
        out += [k, size]
    return out[0], out[1], out[2], out[3]


def _z(level: float) -> float:
    return float(ndtri(1.0 - (1.0 - level) / 2.0))


def _test_pvalue(x1: int, n1: int, x2: int, n2: int, test: str | None) -> tuple[float, str | None]:
    if test is None:
        return math.nan, None
    res = two_by_two_test(x1, n1, x2, n2, test=test)
    return res.pvalue, res.method


# ---------------------------------------------------------------------------------------
# risk difference


def _restricted_mle(p1: float, n1: int, p2: float, n2: int, delta: float) -> tuple[float, float]:
    """Maximum-likelihood p1, p2 under p1 - p2 = delta: the closed-form root of the likelihood cubic
    (Farrington & Manning 1990), kept inside the admissible range."""
    theta = n2 / n1
    a = 1.0 + theta
    b = -(1.0 + theta + p1 + theta * p2 + delta * (theta + 2.0))
    c = delta * delta + delta * (2.0 * p1 + theta + 1.0) + p1 + theta * p2
    d = -p1 * delta * (1.0 + delta)
    v = b**3 / (27.0 * a**3) - b * c / (6.0 * a * a) + d / (2.0 * a)
    s = b * b / (9.0 * a * a) - c / (3.0 * a)
    u = math.copysign(math.sqrt(max(s, 0.0)), v)
    ratio = 0.0 if u == 0.0 else max(-1.0, min(1.0, v / u**3))
    w = (math.pi + math.acos(ratio)) / 3.0
    q1 = 2.0 * u * math.cos(w) - b / (3.0 * a)
    q1 = min(max(q1, max(0.0, delta)), min(1.0, 1.0 + delta))
    return q1, q1 - delta


def _score_interval(x1: int, n1: int, x2: int, n2: int, z: float, factor: float) -> tuple[float, float]:
    """Invert the score test of p1 - p2 = delta (Mee: factor 1; Miettinen-Nurminen: N / (N - 1))."""
    p1, p2 = x1 / n1, x2 / n2
    d = p1 - p2

    def g(delta: float) -> float:  # <= 0 inside the interval, > 0 at delta = -1 and 1
        q1, q2 = _restricted_mle(p1, n1, p2, n2, delta)
        var = (q1 * (1.0 - q1) / n1 + q2 * (1.0 - q2) / n2) * factor
        return (d - delta) ** 2 - z * z * var

    low = -1.0 if d <= -1.0 else _bracketed_root(g, d, -1.0)
    high = 1.0 if d >= 1.0 else _bracketed_root(g, d, 1.0)
    return low, high


def _bracketed_root(g: Callable[[float], float], d: float, end: float) -> float:
    """The root of g between the estimate d and ``end`` (-1 or 1).

    The bracket always holds a root: at ``end`` the variance is 0, so g = (d - end)^2 > 0, while
    just beside d, g = (delta - d)^2 - z^2 V(delta) < 0 (also when V(d) = 0, as for 0/n vs 0/n,
    since V grows linearly away from d).
    """
    inner = d + 1e-12 * (end - d)
    if g(inner) > 0.0:  # the interval closes at the estimate
        return d
    lo, hi = sorted((inner, end))
    return float(optimize.brentq(g, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500))


def _wald(p1: float, n1: int, p2: float, n2: int, z: float) -> tuple[float, float]:
    d = p1 - p2
    half = z * math.sqrt(p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2)
    return max(-1.0, d - half), min(1.0, d + half)


def risk_difference(
    x1: int,
    n1: int,
    x2: int,
    n2: int,
    *,
    method: str = "newcombe",
    confidence_level: float = 0.95,
    test: str | None = None,
) -> ProportionComparison:
    r"""Difference of two proportions p1 - p2 (e.g. ASAS40 response rate, drug minus placebo) with an
    interval.

    Parameters
    ----------
    x1, n1 : int
        Responders and patients in arm 1 (0 <= x1 <= n1, n1 >= 1).
    x2, n2 : int
        The same for arm 2 (the comparator).
    method : {"newcombe", "miettinen-nurminen", "mee", "agresti-caffo", "wald"}
        ``"newcombe"`` (default): Newcombe's hybrid score interval [1]_ (method 10).
        ``"miettinen-nurminen"``: the score interval with the variance factor N/(N - 1) [2]_.
        ``"mee"``: the same score interval without that factor (Mee 1984).
        ``"agresti-caffo"``: Wald after adding one success and one failure per arm [3]_.
        ``"wald"``: the simple Wald interval (poor coverage; zero width at 0/n and n/n).
    confidence_level : float
        In (0, 1).
    test : {"fisher", "chi-square", "chi-square-yates", "barnard", "boschloo"}, optional
        Also give the two-sided p-value of this 2x2 test (see :func:`two_by_two_test`).

    Returns
    -------
    ProportionComparison
        measure ``"risk difference"``; ``.estimate``, ``.confidence_interval()``, ``.method``
        (and ``.pvalue``, ``.test`` when a test was asked for).

    Notes
    -----
    With :math:`d = \hat p_1 - \hat p_2` and :math:`z = \Phi^{-1}(1 - \alpha/2)`:

    - Newcombe: with the Wilson limits :math:`(l_i, u_i)` of each arm,

      .. math::

          \left[\, d - \sqrt{(\hat p_1 - l_1)^2 + (u_2 - \hat p_2)^2},\
          d + \sqrt{(u_1 - \hat p_1)^2 + (\hat p_2 - l_2)^2} \,\right]

    - Score (Miettinen-Nurminen, Mee): every :math:`\delta` with

      .. math::

          (d - \delta)^2 \le z^2 \left( \frac{\tilde p_1 \tilde q_1}{n_1} + \frac{\tilde p_2 \tilde q_2}{n_2}
          \right) \lambda, \qquad \lambda = \frac{N}{N - 1} \text{ (Miettinen-Nurminen) or } 1 \text{ (Mee)},

      :math:`\tilde p_1, \tilde p_2 = \tilde p_1 - \delta` the maximum-likelihood estimates under
      :math:`p_1 - p_2 = \delta` (the closed-form root of a cubic [5]_). Both limits are found by
      Brent's method on a bracket that always holds the root: at :math:`\delta = \pm 1` the variance
      is 0, so the left side is positive, while at :math:`\delta = d` it is not.

    - Agresti-Caffo: :math:`\tilde p_i = (x_i + 1)/(n_i + 2)`, then
      :math:`\tilde p_1 - \tilde p_2 \pm z \sqrt{\sum_i \tilde p_i (1 - \tilde p_i)/(n_i + 2)}`.
    - Wald: :math:`d \pm z \sqrt{\hat p_1 \hat q_1 / n_1 + \hat p_2 \hat q_2 / n_2}`.

    Wald and Agresti-Caffo limits are cut to [-1, 1]. The Agresti-Caffo interval is centred on the
    adjusted difference, so in tiny arms at levels below 95% it can miss the observed difference
    (0/1 against 1/1 at 90%: d = -1, interval -0.966 to 0.300). The published check [4]_: 7/34 against 1/34
    gives d = 0.176, Newcombe 0.019 to 0.34, Agresti-Caffo 0.012 to 0.32, Wald 0.029 to 0.32,
    Miettinen-Nurminen 0.027 to 0.345 and Mee 0.028 to 0.344.

    References
    ----------
    .. [1] Newcombe RG. Interval estimation for the difference between independent proportions:
       comparison of eleven methods. Stat Med 1998;17:873-890.
    .. [2] Miettinen O, Nurminen M. Comparative analysis of two rates. Stat Med 1985;4:213-226.
    .. [3] Agresti A, Caffo B. Simple and effective confidence intervals for proportions and
       differences of proportions result from adding two successes and two failures. Am Stat
       2000;54:280-288.
    .. [4] Fagerland MW, Lydersen S, Laake P. Recommended confidence intervals for two independent
       binomial proportions. Stat Methods Med Res 2015;24:224-254.
    .. [5] Farrington CP, Manning G. Test statistics and sample size formulae for comparative
       binomial trials with null hypothesis of non-zero risk difference or non-unity relative risk.
       Stat Med 1990;9:1447-1454.

    Examples
    --------
    >>> rd = risk_difference(7, 34, 1, 34)
    >>> round(rd.estimate, 3), round(rd.low, 3), round(rd.high, 3), rd.method
    (0.176, 0.019, 0.34, 'newcombe')
    >>> ac = risk_difference(7, 34, 1, 34, method="agresti-caffo")
    >>> round(ac.low, 3), round(ac.high, 3)
    (0.012, 0.322)
    """
    a1, m1, a2, m2 = _arms(x1, n1, x2, n2)
    meth = _validate.choice("method", method, RISK_DIFFERENCE_METHODS)
    level = _validate.confidence_level(confidence_level)
    z = _z(level)
    p1, p2 = a1 / m1, a2 / m2
    d = p1 - p2
    if meth == "newcombe":
        w1 = binomial_ci(a1, m1, confidence_level=level, method="wilson")
        w2 = binomial_ci(a2, m2, confidence_level=level, method="wilson")
        low = d - math.hypot(p1 - w1.low, w2.high - p2)
        high = d + math.hypot(w1.high - p1, p2 - w2.low)
    elif meth in ("miettinen-nurminen", "mee"):
        factor = (m1 + m2) / (m1 + m2 - 1.0) if meth == "miettinen-nurminen" else 1.0
        low, high = _score_interval(a1, m1, a2, m2, z, factor)
    elif meth == "agresti-caffo":
        low, high = _wald((a1 + 1) / (m1 + 2), m1 + 2, (a2 + 1) / (m2 + 2), m2 + 2, z)
    else:
        low, high = _wald(p1, m1, p2, m2, z)
    pvalue, test_name = _test_pvalue(a1, m1, a2, m2, test)
    return ProportionComparison("risk difference", d, low, high, level, meth, a1, m1, a2, m2, pvalue, test_name)


# ---------------------------------------------------------------------------------------
# ratios


def risk_ratio(
    x1: int,
    n1: int,
    x2: int,
    n2: int,
    *,
    method: str = "katz",
    confidence_level: float = 0.95,
    test: str | None = None,
) -> ProportionComparison:
    r"""Risk ratio p1 / p2 with Katz's log interval.

    Parameters
    ----------
    x1, n1, x2, n2 : int
        Responders and patients in arm 1 and arm 2.
    method : {"katz"}
        The interval on the log scale [1]_.
    confidence_level : float
        In (0, 1).
    test : str, optional
        Also give the two-sided p-value of this 2x2 test (see :func:`two_by_two_test`).

    Returns
    -------
    ProportionComparison
        measure ``"risk ratio"``.

    Raises
    ------
    InputError
        When x1 or x2 is 0: the ratio is 0 or infinite and the log interval does not exist (use
        :func:`risk_difference`, whose intervals handle zero counts).

    Notes
    -----
    .. math::

        \exp\left( \log\frac{\hat p_1}{\hat p_2} \pm z
        \sqrt{\frac{1}{x_1} - \frac{1}{n_1} + \frac{1}{x_2} - \frac{1}{n_2}} \right)

    (zero width when both arms respond completely).

    References
    ----------
    .. [1] Katz D, Baptista J, Azen SP, Pike MC. Obtaining confidence intervals for the risk ratio
       in cohort studies. Biometrics 1978;34:469-474.

    Examples
    --------
    >>> rr = risk_ratio(7, 34, 1, 34)
    >>> round(rr.estimate, 3), round(rr.low, 3), round(rr.high, 2)
    (7.0, 0.91, 53.87)
    """
    a1, m1, a2, m2 = _arms(x1, n1, x2, n2)
    meth = _validate.choice("method", method, RISK_RATIO_METHODS)
    level = _validate.confidence_level(confidence_level)
    for name, k in (("x1", a1), ("x2", a2)):
        if k == 0:
            raise InputError(
                f"the risk ratio's log interval needs responders in both arms; got {name}=0 "
                f"({a1}/{m1} vs {a2}/{m2}). Report the risk difference instead"
            )
    est = (a1 / m1) / (a2 / m2)
    half = _z(level) * math.sqrt(1.0 / a1 - 1.0 / m1 + 1.0 / a2 - 1.0 / m2)
    pvalue, test_name = _test_pvalue(a1, m1, a2, m2, test)
    return ProportionComparison(
        "risk ratio", est, est * math.exp(-half), est * math.exp(half), level, meth, a1, m1, a2, m2, pvalue, test_name
    )


def odds_ratio(
    x1: int,
    n1: int,
    x2: int,
    n2: int,
    *,
    method: str = "woolf",
    confidence_level: float = 0.95,
    test: str | None = None,
) -> ProportionComparison:
    r"""Odds ratio of arm 1 against arm 2 with Woolf's logit interval or the exact conditional one.

    Parameters
    ----------
    x1, n1, x2, n2 : int
        Responders and patients in arm 1 and arm 2.
    method : {"woolf", "exact"}
        ``"woolf"`` (default): sample odds ratio with the logit interval [1]_. ``"exact"``: the
        conditional maximum-likelihood estimate with the exact conditional interval that inverts
        Fisher's test (R's fisher.test, solved to 1e-13 rather than uniroot's default tolerance).
    confidence_level : float
        In (0, 1).
    test : str, optional
        Also give the two-sided p-value of this 2x2 test (see :func:`two_by_two_test`).

    Returns
    -------
    ProportionComparison
        measure ``"odds ratio"``.

    Raises
    ------
    InputError
        For ``"woolf"`` with a zero cell (use ``method="exact"``, which handles it).

    Notes
    -----
    With the table :math:`a = x_1, b = n_1 - x_1, c = x_2, d = n_2 - x_2`, Woolf:

    .. math::

        \exp\left( \log\frac{a d}{b c} \pm z \sqrt{\frac1a + \frac1b + \frac1c + \frac1d} \right)

    Exact: the limits are the odds ratios at which one tail of the noncentral hypergeometric
    distribution of :math:`a` given the margins equals :math:`\alpha/2` [2]_. When nobody (or
    everybody) responded in both arms the table carries no information on the odds ratio: the
    estimate is NaN and the interval (0, inf) (R's fisher.test reports 0 as the estimate then).

    References
    ----------
    .. [1] Woolf B. On estimating the relation between blood group and disease. Ann Hum Genet
       1955;19:251-253.
    .. [2] Cornfield J. A statistical problem arising from retrospective studies. In: Neyman J,
       ed. Proceedings of the Third Berkeley Symposium on Mathematical Statistics and Probability,
       vol 4. Berkeley: University of California Press, 1956:135-148.

    Examples
    --------
    R's fisher.test(matrix(c(7, 1, 27, 33), 2)) prints 8.328 (0.973, 396.2), but it finds these
    roots with uniroot's default tolerance; its own equations solved to 1e-13 give 8.329 (0.973, 397.0):

    >>> orx = odds_ratio(7, 34, 1, 34, method="exact")
    >>> round(orx.estimate, 3), round(orx.low, 3), round(orx.high, 1)
    (8.329, 0.973, 397.0)
    """
    a1, m1, a2, m2 = _arms(x1, n1, x2, n2)
    meth = _validate.choice("method", method, ODDS_RATIO_METHODS)
    level = _validate.confidence_level(confidence_level)
    a, b, c, d = a1, m1 - a1, a2, m2 - a2
    if meth == "woolf":
        if min(a, b, c, d) == 0:
            raise InputError(
                f"Woolf's interval needs four non-zero cells; got [[{a}, {b}], [{c}, {d}]] "
                "(responders, non-responders by arm). Use method='exact'"
            )
        est = (a * d) / (b * c)
        half = _z(level) * math.sqrt(1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d)
        low, high = est * math.exp(-half), est * math.exp(half)
    elif a + c == 0 or b + d == 0:  # no responders (or no non-responders) at all: nothing to estimate
        est, low, high = math.nan, 0.0, math.inf
    else:
        est, low, high = _exact_odds_ratio(a, b, c, d, level)
    pvalue, test_name = _test_pvalue(a1, m1, a2, m2, test)
    return ProportionComparison("odds ratio", est, low, high, level, meth, a1, m1, a2, m2, pvalue, test_name)


def _exact_odds_ratio(a: int, b: int, c: int, d: int, level: float) -> tuple[float, float, float]:
    """Conditional MLE and exact conditional interval of the odds ratio (both column margins non-zero).

    Given the margins, a follows Fisher's noncentral hypergeometric distribution with weights
    C(a + b, u) C(c + d, m - u) psi^u on its support; every equation is solved for log(psi) by Brent's
    method to 1e-13 on a bracket widened until it holds the root (each function is monotone in psi).
    """
    rows, m = a + b, a + c  # arm-1 size and the responders in all
    lo, hi = max(0, m - (c + d)), min(rows, m)
    support = np.arange(lo, hi + 1, dtype=np.float64)
    log_comb = -gammaln(support + 1) - gammaln(rows - support + 1) - gammaln(m - support + 1)
    log_comb -= gammaln(c + d - m + support + 1)  # log C(rows, u) C(c + d, m - u) up to a constant

    def weights(log_psi: float) -> npt.NDArray[np.float64]:
        w = log_comb + log_psi * support
        e = np.exp(w - w.max())
        out: npt.NDArray[np.float64] = e / e.sum()
        return out

    def solve(f: Callable[[float], float]) -> float:
        """Root of an increasing function of log(psi)."""
        left, right = -1.0, 1.0
        while f(left) > 0.0:
            left *= 2.0
        while f(right) < 0.0:
            right *= 2.0
        return math.exp(optimize.brentq(f, left, right, xtol=1e-13, rtol=4 * np.finfo(float).eps, maxiter=500))

    tail = (1.0 - level) / 2.0
    upper_from_a = support >= a
    at_most_a = support <= a
    est = 0.0 if a == lo else math.inf if a == hi else solve(lambda t: float(weights(t) @ support) - a)
    low = 0.0 if a == lo else solve(lambda t: float(weights(t)[upper_from_a].sum()) - tail)
    high = math.inf if a == hi else solve(lambda t: tail - float(weights(t)[at_most_a].sum()))
    return est, low, high


_MEASURES: dict[str, Callable[..., ProportionComparison]] = {
    "risk difference": risk_difference,
    "risk ratio": risk_ratio,
    "odds ratio": odds_ratio,
}


# ---------------------------------------------------------------------------------------
# tests, chosen by name


def two_by_two_test(
    x1: int, n1: int, x2: int, n2: int, *, test: str = "fisher", alternative: str = "two-sided"
) -> TwoByTwoResult:
    """Test p1 = p2 for two arms with the 2x2 test named by ``test``.

    Parameters
    ----------
    x1, n1, x2, n2 : int
        Responders and patients in arm 1 and arm 2.
    test : {"fisher", "chi-square", "chi-square-yates", "barnard", "boschloo"}
        ``"fisher"`` (default): Fisher's exact test (:func:`fisher`). ``"chi-square"`` and
        ``"chi-square-yates"``: Pearson's chi-square without and with Yates's correction
        (:func:`chi_square_2x2`; two-sided only). ``"barnard"``: Barnard's unconditional test with
        the pooled (score) statistic (:func:`barnard`). ``"boschloo"``: Boschloo's unconditional
        test (:func:`boschloo`). The test is never switched (no automatic fallback from
        chi-square to Fisher).
    alternative : {"two-sided", "less", "greater"}
        ``"greater"``: p1 > p2.

    Returns
    -------
    TwoByTwoResult
        ``.pvalue`` and ``.method``, which names the test carried out.

    Examples
    --------
    R: fisher.test(matrix(c(7, 1, 27, 33), 2))$p.value is 0.0544001305:

    >>> res = two_by_two_test(7, 34, 1, 34, test="fisher")
    >>> res.method, round(res.pvalue, 10)
    ('fisher', 0.0544001305)
    """
    a1, m1, a2, m2 = _arms(x1, n1, x2, n2)
    name = _validate.choice("test", test, TWO_BY_TWO_TESTS)
    alt = _validate.alternative(alternative)
    tab = table_2x2(successes_a=a1, n_a=m1, successes_b=a2, n_b=m2)
    if name == "fisher":
        return fisher(tab, alternative=alt)
    if name in ("chi-square", "chi-square-yates"):
        if alt != "two-sided":
            raise InputError(f"the chi-square test is two-sided only; got alternative={alt!r} (use test='fisher')")
        return chi_square_2x2(tab, correction=name == "chi-square-yates")
    # scipy's unconditional tests take the two samples as columns
    if name == "barnard":
        return barnard(tab.T, alternative=alt)
    return boschloo(tab.T, alternative=alt)
