r"""Binary outcomes compared between two arms across strata (e.g. region, prior TNF inhibitor):
the Cochran-Mantel-Haenszel test, the Mantel-Haenszel common odds ratio and the Mantel-Haenszel risk
difference.

Each stratum k is given by its counts: ``x1[k]`` responders of ``n1[k]`` patients in arm 1 and
``x2[k]`` of ``n2[k]`` in arm 2, as in :func:`axspa.stats.risk_difference`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats as sps
from scipy.special import ndtri

from axspa.errors import InputError
from axspa.stats import _validate
from axspa.stats._results import ConfidenceInterval, Result

__all__ = ["CMHResult", "StratifiedRiskDifference", "cmh", "mh_risk_difference"]

FloatArray = npt.NDArray[np.float64]

MH_ODDS_RATIO_INTERVAL = "robins-breslow-greenland"
MH_RISK_DIFFERENCE_METHOD = "mantel-haenszel (sato variance)"


def _strata(x1: Any, n1: Any, x2: Any, n2: Any) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Check the per-stratum counts: equal lengths, whole numbers, 0 <= x <= n, n >= 1."""
    arrays = {name: _validate.real_array(name, v) for name, v in (("x1", x1), ("n1", n1), ("x2", x2), ("n2", n2))}
    sizes = {name: a.size for name, a in arrays.items()}
    if len(set(sizes.values())) != 1:
        raise InputError(f"x1, n1, x2 and n2 must give one count per stratum each; got lengths {sizes}")
    for name, a in arrays.items():
        bad = (a < 0) | (a != np.rint(a))
        if bad.any():
            raise InputError(
                f"{name} must hold non-negative whole counts; got {a[bad][0]!r} in stratum {_validate.positions(bad)}"
            )
    for xn, nn in (("x1", "n1"), ("x2", "n2")):
        x, n = arrays[xn], arrays[nn]
        if (n < 1).any():
            raise InputError(f"{nn} must be at least 1 in every stratum; got 0 in stratum {_validate.positions(n < 1)}")
        if (x > n).any():
            where = x > n
            raise InputError(
                f"{xn} must not exceed {nn}; got {xn}={x[where][0]:g} > {nn}={n[where][0]:g} in stratum "
                f"{_validate.positions(where)}"
            )
    return arrays["x1"], arrays["n1"], arrays["x2"], arrays["n2"]


@dataclass(frozen=True, repr=False, slots=True)
class CMHResult(Result):
    """Result of :func:`cmh`.

    Attributes
    ----------
    statistic : float
        The Cochran-Mantel-Haenszel chi-square on 1 degree of freedom (continuity-corrected if
        ``correction``).
    pvalue : float
    estimate : float
        The Mantel-Haenszel common odds ratio (arm 1 against arm 2).
    low, high : float
        Its two-sided Robins-Breslow-Greenland interval.
    confidence_level : float
    n_strata : int
    method : str
        ``"cochran-mantel-haenszel"`` or ``"cochran-mantel-haenszel (continuity corrected)"``.
    correction : bool
    alternative : str
    interval_method : str
        ``"robins-breslow-greenland"``.
    """

    statistic: float
    pvalue: float
    estimate: float
    low: float
    high: float
    confidence_level: float
    n_strata: int
    method: str
    correction: bool
    alternative: str
    interval_method: str = MH_ODDS_RATIO_INTERVAL

    def confidence_interval(self) -> ConfidenceInterval:
        """The interval of the common odds ratio."""
        return ConfidenceInterval(self.low, self.high, self.confidence_level, self.interval_method)


def cmh(
    x1: Any,
    n1: Any,
    x2: Any,
    n2: Any,
    *,
    correction: bool = False,
    alternative: str = "two-sided",
    confidence_level: float = 0.95,
) -> CMHResult:
    r"""Cochran-Mantel-Haenszel test of a common association across strata, with the Mantel-Haenszel
    common odds ratio and its Robins-Breslow-Greenland interval.

    Parameters
    ----------
    x1, n1 : array_like of int
        Responders and patients in arm 1, one entry per stratum (n1 >= 1).
    x2, n2 : array_like of int
        The same for arm 2.
    correction : bool
        Continuity correction of the test (default False; R's mantelhaen.test uses True).
    alternative : {"two-sided", "less", "greater"}
        ``"greater"``: the common odds ratio exceeds 1 (arm 1 responds more).
    confidence_level : float
        Of the two-sided interval, in (0, 1).

    Returns
    -------
    CMHResult

    Raises
    ------
    InputError
        For invalid counts, or when no stratum holds both responders and non-responders (the test
        statistic's variance is 0).

    Notes
    -----
    With :math:`a_k, b_k` the responders and non-responders of arm 1 in stratum :math:`k`,
    :math:`c_k, d_k` those of arm 2, :math:`N_k` the stratum size and :math:`m_{1k}, m_{2k}` its
    responder and non-responder totals [1]_ [2]_:

    .. math::

        X^2 = \frac{\left(\left|\sum_k (a_k - n_{1k} m_{1k}/N_k)\right| - c\right)^2}
        {\sum_k n_{1k} n_{2k} m_{1k} m_{2k} / (N_k^2 (N_k - 1))}

    with :math:`c = 1/2` under the continuity correction (applied only when the sum's absolute value
    is at least 1/2, as R) and 0 otherwise. One-sided p-values use the signed root of :math:`X^2`.
    Strata with :math:`N_k = 1` add nothing. The common odds ratio is
    :math:`\hat\psi = R/S`, :math:`R = \sum a_k d_k / N_k`, :math:`S = \sum b_k c_k / N_k`, and the
    variance of :math:`\log\hat\psi` is the Robins-Breslow-Greenland estimate [3]_ with
    :math:`P_k = (a_k + d_k)/N_k`, :math:`Q_k = (b_k + c_k)/N_k`, :math:`R_k = a_k d_k/N_k`,
    :math:`S_k = b_k c_k/N_k`:

    .. math::

        \frac{\sum P_k R_k}{2 R^2} + \frac{\sum (P_k S_k + Q_k R_k)}{2 R S} + \frac{\sum Q_k S_k}{2 S^2}

    When :math:`R = 0` or :math:`S = 0` the estimate is 0 or infinite and the interval is (0, inf);
    when both are 0 the estimate is NaN.

    References
    ----------
    .. [1] Cochran WG. Some methods for strengthening the common chi-square tests. Biometrics
       1954;10:417-451.
    .. [2] Mantel N, Haenszel W. Statistical aspects of the analysis of data from retrospective studies
       of disease. J Natl Cancer Inst 1959;22:719-748.
    .. [3] Robins J, Breslow N, Greenland S. Estimators of the Mantel-Haenszel variance consistent in
       both sparse data and large-strata limiting models. Biometrics 1986;42:311-323.

    Examples
    --------
    R: mantelhaen.test(array(c(8, 3, 2, 7, 5, 2, 5, 8), c(2, 2, 2)), correct = FALSE) gives
    X-squared = 6.4, p = 0.01141203639, common odds ratio 6:

    >>> res = cmh([8, 5], [10, 10], [3, 2], [10, 10])
    >>> round(res.statistic, 9), round(res.pvalue, 11), round(res.estimate, 9)
    (6.4, 0.01141203639, 6.0)
    """
    x1a, n1a, x2a, n2a = _strata(x1, n1, x2, n2)
    cc = _validate.flag("correction", correction)
    alt = _validate.alternative(alternative)
    level = _validate.confidence_level(confidence_level)
    a, b, c, d = x1a, n1a - x1a, x2a, n2a - x2a
    total = n1a + n2a
    m1, m2 = a + c, b + d
    use = total > 1
    delta = float(np.sum((a - n1a * m1 / total)[use]))
    var = float(np.sum((n1a * n2a * m1 * m2 / (total**2 * (total - 1.0)))[use]))
    if var <= 0.0:
        raise InputError(
            "the CMH test needs a stratum with both responders and non-responders; got none "
            f"(responders per stratum {m1.astype(int).tolist()}, non-responders {m2.astype(int).tolist()})"
        )
    yates = 0.5 if cc and abs(delta) >= 0.5 else 0.0
    stat = (abs(delta) - yates) ** 2 / var
    if alt == "two-sided":
        pvalue = float(sps.chi2.sf(stat, 1))
    else:
        z = math.copysign(math.sqrt(stat), delta)
        pvalue = float(sps.norm.cdf(z) if alt == "less" else sps.norm.sf(z))
    est, low, high = _mh_odds_ratio(a, b, c, d, total, level)
    label = "cochran-mantel-haenszel (continuity corrected)" if cc else "cochran-mantel-haenszel"
    return CMHResult(stat, pvalue, est, low, high, level, int(a.size), label, cc, alt)


def _mh_odds_ratio(
    a: FloatArray, b: FloatArray, c: FloatArray, d: FloatArray, total: FloatArray, level: float
) -> tuple[float, float, float]:
    """Mantel-Haenszel common odds ratio and its Robins-Breslow-Greenland interval."""
    rk, sk = a * d / total, b * c / total
    pk, qk = (a + d) / total, (b + c) / total
    r, s = float(rk.sum()), float(sk.sum())
    if r == 0.0 and s == 0.0:
        return math.nan, 0.0, math.inf
    if r == 0.0 or s == 0.0:
        return (0.0 if r == 0.0 else math.inf), 0.0, math.inf
    var = (
        float((pk * rk).sum()) / (2 * r * r)
        + float((pk * sk + qk * rk).sum()) / (2 * r * s)
        + float((qk * sk).sum()) / (2 * s * s)
    )
    est = r / s
    half = float(ndtri(1.0 - (1.0 - level) / 2.0)) * math.sqrt(var)
    return est, est * math.exp(-half), est * math.exp(half)


@dataclass(frozen=True, repr=False, slots=True)
class StratifiedRiskDifference(Result):
    """Result of :func:`mh_risk_difference`.

    Attributes
    ----------
    estimate : float
        The Mantel-Haenszel risk difference (arm 1 minus arm 2).
    se : float
        Its standard error (Sato's variance).
    low, high : float
        Two-sided Wald limits estimate -/+ z se.
    confidence_level : float
    z, pvalue : float
        Wald test of a zero difference, estimate / se (NaN when se is 0).
    n_strata : int
    method : str
    """

    estimate: float
    se: float
    low: float
    high: float
    confidence_level: float
    z: float
    pvalue: float
    n_strata: int
    method: str = MH_RISK_DIFFERENCE_METHOD

    def confidence_interval(self) -> ConfidenceInterval:
        """The interval of the stratified risk difference."""
        return ConfidenceInterval(self.low, self.high, self.confidence_level, self.method)


def mh_risk_difference(
    x1: Any, n1: Any, x2: Any, n2: Any, *, confidence_level: float = 0.95
) -> StratifiedRiskDifference:
    r"""Mantel-Haenszel risk difference across strata with Sato's variance.

    Parameters
    ----------
    x1, n1 : array_like of int
        Responders and patients in arm 1, one entry per stratum (n1 >= 1).
    x2, n2 : array_like of int
        The same for arm 2.
    confidence_level : float
        In (0, 1).

    Returns
    -------
    StratifiedRiskDifference

    Notes
    -----
    With weights :math:`w_k = n_{1k} n_{2k} / N_k` [1]_ and :math:`W = \sum w_k`:

    .. math::

        \widehat{RD} = \frac{\sum_k (x_{1k} n_{2k} - x_{2k} n_{1k}) / N_k}{W}

    and Sato's variance [2]_ (as metafor's ``rma.mh(measure = "RD")``):

    .. math::

        \widehat{V} = \frac{\widehat{RD} \sum_k \left( x_{2k} \frac{n_{1k}^2}{N_k^2}
        - x_{1k} \frac{n_{2k}^2}{N_k^2} + \frac{n_{1k} n_{2k} (n_{2k} - n_{1k})}{2 N_k^2} \right)
        + \sum_k \frac{x_{1k} (n_{2k} - x_{2k}) + x_{2k} (n_{1k} - x_{1k})}{2 N_k}}{W^2}

    The interval is :math:`\widehat{RD} \mp z \sqrt{\widehat V}`, not cut to [-1, 1].

    References
    ----------
    .. [1] Mantel N, Haenszel W. Statistical aspects of the analysis of data from retrospective studies
       of disease. J Natl Cancer Inst 1959;22:719-748.
    .. [2] Sato T. On the variance estimator for the Mantel-Haenszel risk difference (letter).
       Biometrics 1989;45:1323-1324.

    Examples
    --------
    metafor: rma.mh(ai = c(8, 5), n1i = c(10, 10), ci = c(3, 2), n2i = c(10, 10), measure = "RD")
    gives 0.4 (0.1228192351, 0.6771807649):

    >>> res = mh_risk_difference([8, 5], [10, 10], [3, 2], [10, 10])
    >>> round(res.estimate, 10), round(res.low, 10), round(res.high, 10)
    (0.4, 0.1228192351, 0.6771807649)
    """
    x1a, n1a, x2a, n2a = _strata(x1, n1, x2, n2)
    level = _validate.confidence_level(confidence_level)
    total = n1a + n2a
    w = n1a * n2a / total
    big_w = float(w.sum())
    est = float(((x1a * n2a - x2a * n1a) / total).sum()) / big_w
    f1, f2 = n1a / total, n2a / total
    p_term = float((x2a * f1**2 - x1a * f2**2 + f1 * f2 * (n2a - n1a) / 2).sum())
    q_term = float(((x1a * (n2a - x2a) + x2a * (n1a - x1a)) / total).sum()) / 2
    var = (est * p_term + q_term) / big_w**2
    se = math.sqrt(max(var, 0.0))
    half = float(ndtri(1.0 - (1.0 - level) / 2.0)) * se
    z = est / se if se > 0 else math.nan
    pvalue = float(2 * sps.norm.sf(abs(z))) if se > 0 else math.nan
    return StratifiedRiskDifference(est, se, est - half, est + half, level, z, pvalue, int(x1a.size))
