"""Descriptive summaries and display rounding (half away from zero, never banker's rounding)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import numpy as np

from axspa.stats import _validate
from axspa.stats._results import Result

__all__ = ["QUANTILE_METHODS", "DescriptiveSummary", "describe", "round_half_away"]

QUANTILE_METHODS = ("linear", "averaged_inverted_cdf", "weibull", "hazen", "median_unbiased")
"""numpy quantile methods offered: "linear" = R type 7 (default); "averaged_inverted_cdf" =
R type 2 = SAS PCTLDEF=5 (the SAS default); "weibull" = R type 6 = SAS PCTLDEF=4 (also
SPSS); "hazen" = R type 5; "median_unbiased" = R type 8."""


@dataclass(frozen=True, slots=True, repr=False)
class DescriptiveSummary(Result):
    """Summary of one variable (from :func:`describe`)."""

    n: int
    n_missing: int
    mean: float
    sd: float
    median: float
    q1: float
    q3: float
    min: float
    max: float
    quantile_method: str


def describe(values: Any, *, quantile_method: str = "linear") -> DescriptiveSummary:
    r"""n, mean, SD (n - 1), median, quartiles, minimum and maximum.

    Parameters
    ----------
    values : array_like, 1-D
        The observations; NaN marks a missing value. Missing values are counted in
        ``n_missing`` and left out of every statistic (they are never imputed).
    quantile_method : str
        numpy's quantile method for the quartiles: ``"linear"`` (R type 7, the default),
        ``"averaged_inverted_cdf"`` (SAS's default, PCTLDEF=5), ``"weibull"`` (SPSS; SAS
        PCTLDEF=4), ``"hazen"``, ``"median_unbiased"``.

    Returns
    -------
    DescriptiveSummary
        n (non-missing), n_missing, mean, sd, median, q1, q3, min, max, quantile_method. With
        n = 1 the SD is NaN; with n = 0 every statistic is NaN.

    Raises
    ------
    InputError
        Infinite values, a non-numeric input or an unknown quantile method.

    Notes
    -----
    The sample standard deviation (as R's sd and SAS's STD):

    .. math::

        \mathrm{SD} = \sqrt{\frac{1}{n - 1} \sum_{i=1}^{n} (x_i - \bar x)^2}

    Quartile definitions differ between packages [1]_; the one used is recorded.

    References
    ----------
    .. [1] Hyndman RJ, Fan Y. Sample quantiles in statistical packages. Am Stat 1996;50:361-365.

    Examples
    --------
    >>> s = describe([4.0, 2.0, 5.0, float("nan"), 7.0])
    >>> s.n, s.n_missing, s.mean, s.median, round(s.sd, 4)
    (4, 1, 4.5, 4.5, 2.0817)
    >>> s.q1, s.q3
    (3.5, 5.5)
    >>> describe([4.0, 2.0, 5.0, 7.0], quantile_method="averaged_inverted_cdf").q1
    3.0
    """
    arr = _validate.real_array("values", values, missing_ok=True)
    meth = _validate.choice("quantile_method", quantile_method, QUANTILE_METHODS)
    missing = np.isnan(arr)
    obs = arr[~missing]
    n = int(obs.size)
    if n == 0:
        nan = math.nan
        return DescriptiveSummary(0, int(missing.sum()), nan, nan, nan, nan, nan, nan, nan, meth)
    quartiles = np.quantile(obs, [0.25, 0.75], method=meth)  # type: ignore[call-overload]
    q1, q3 = float(quartiles[0]), float(quartiles[1])
    return DescriptiveSummary(
        n=n,
        n_missing=int(missing.sum()),
        mean=float(obs.mean()),
        sd=float(obs.std(ddof=1)) if n > 1 else math.nan,
        median=float(np.median(obs)),
        q1=q1,
        q3=q3,
        min=float(obs.min()),
        max=float(obs.max()),
        quantile_method=meth,
    )


def round_half_away(value: float, decimals: int = 0, *, missing: str = "") -> str:
    """Format a number for display, rounded half away from zero to ``decimals`` places.

    Parameters
    ----------
    value : float
        The number, unrounded (keep it unrounded for any computation).
    decimals : int
        Decimal places to show, >= 0 (trailing zeros are kept: 0.5 with 2 -> "0.50").
    missing : str
        What to show for NaN.

    Returns
    -------
    str

    Notes
    -----
    The rule: round half away from zero the decimal number that the float stands for, taken
    as its shortest repr (the digits that were typed or printed: ``repr(2.675)`` is
    "2.675"), not the binary value (2.67499999999999982236431605997495353221893310546875).
    So 2.675 -> "2.68", 0.125 -> "0.13", -2.5 -> "-3", as SAS's ROUND and printed formats
    give, and unlike Python's round() (banker's rounding on the binary value: round(2.675, 2)
    is 2.67 and round(0.125, 2) is 0.12). A result that rounds to zero is shown without a
    minus sign ("0.00", not "-0.00").

    Examples
    --------
    >>> round_half_away(2.675, 2), round_half_away(0.125, 2), round_half_away(-2.5)
    ('2.68', '0.13', '-3')
    >>> round_half_away(0.5, 2), round_half_away(-0.001, 2), round_half_away(float("nan"), 1)
    ('0.50', '0.00', '')
    """
    places = _validate.count("decimals", decimals)
    if isinstance(value, float | np.floating) and math.isnan(value):
        return missing
    v = _validate.real_scalar("value", value)
    with localcontext() as ctx:
        ctx.prec = 800  # enough for any double at any sensible number of places
        q = Decimal(repr(v)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if q == 0:
            q = abs(q)
        return f"{q:f}"
