"""The signed-rank effect size r = Z / sqrt(N), offered only with its two ambiguities stated.

r = Z / sqrt(N) is reported in two ways that differ by a factor of sqrt(2): N as the number of
pairs, or as the number of observations (2 x pairs); and Z with or without a continuity or tie
correction. :func:`signed_rank_z_effect_size` takes both choices as required arguments and
returns them with the value. The matched-pairs rank-biserial correlation
(:func:`axspa.stats.matched_pairs_rank_biserial`, [1]_) has no such ambiguity and is
usually the better choice.

References
----------
.. [1] Kerby DS. The simple difference formula: an approach to teaching nonparametric correlation.
   Compr Psychol 2014;3:11.IT.3.1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from axspa.errors import InputError
from axspa.stats._results import Result
from axspa.stats.signed_rank import WilcoxonSignedRankResult

__all__ = ["ZEffectSize", "signed_rank_z_effect_size"]


@dataclass(frozen=True, slots=True, repr=False)
class ZEffectSize(Result):
    """r = Z / sqrt(N) with the choices that produced it.

    Attributes
    ----------
    r : float
        The effect size.
    z : float
        The standardized statistic used (as the test computed it).
    n : int
        The N divided by.
    n_basis : {"pairs", "observations"}
        What N counts.
    z_description : str
        Which Z: the normal approximation's, with or without continuity correction, with the
        tie- and zero-adjusted variance.
    """

    r: float
    z: float
    n: int
    n_basis: str
    z_description: str


def signed_rank_z_effect_size(
    result: WilcoxonSignedRankResult, *, n_basis: Literal["pairs", "observations"]
) -> ZEffectSize:
    r"""r = Z / sqrt(N) from an asymptotic signed-rank test, with N's basis stated.

    Parameters
    ----------
    result : WilcoxonSignedRankResult
        A test computed with ``method="asymptotic"`` (its ``z`` is the Z used).
    n_basis : {"pairs", "observations"}
        N = the number of pairs ranked (``result.n``), or twice that (observations). Required:
        the two readings differ by a factor of sqrt(2).

    Returns
    -------
    ZEffectSize

    Raises
    ------
    InputError
        If ``result`` is not asymptotic (an exact test has no Z) or ``n_basis`` is unknown.

    Notes
    -----
    The effect size of [1]_:

    .. math::

        r = \frac{Z}{\sqrt{N}}

    with :math:`N` the number of pairs or the number of observations; [2]_ note the two readings of N.

    References
    ----------
    .. [1] Rosenthal R. Meta-analytic procedures for social research. Newbury Park: Sage; 1991.
    .. [2] Fritz CO, Morris PE, Richler JJ. Effect size estimates: current use, calculations, and
       interpretation. J Exp Psychol Gen 2012;141:2-18.

    Examples
    --------
    Ten positive differences 1..10: R+ = 55, mean 27.5, variance 10 x 11 x 21 / 24 = 96.25,
    Z = 27.5 / 9.8107 = 2.803; r = 2.803 / sqrt(10) = 0.886 over pairs, / sqrt(20) = 0.627 over
    observations.

    >>> from axspa.stats import wilcoxon_signed_rank
    >>> res = wilcoxon_signed_rank(list(range(1, 11)), method="asymptotic", correction=False)
    >>> round(signed_rank_z_effect_size(res, n_basis="pairs").r, 3)
    0.886
    >>> round(signed_rank_z_effect_size(res, n_basis="observations").r, 3)
    0.627
    """
    if not isinstance(result, WilcoxonSignedRankResult):
        raise InputError(
            f"result must be a WilcoxonSignedRankResult (from axspa.stats.wilcoxon_signed_rank); got "
            f"{type(result).__name__}"
        )
    if result.method != "asymptotic" or math.isnan(result.z):
        raise InputError(
            f"r = Z / sqrt(N) needs the Z of an asymptotic test; got a test computed by method {result.method!r}"
        )
    counts = {"pairs": result.n, "observations": 2 * result.n}
    if n_basis not in counts:
        raise InputError(f"n_basis must be 'pairs' or 'observations'; got {n_basis!r}")
    n = counts[n_basis]
    correction = "with" if result.correction else "without"
    return ZEffectSize(
        r=result.z / math.sqrt(n),
        z=result.z,
        n=n,
        n_basis=n_basis,
        z_description=f"normal approximation {correction} continuity correction, tie- and zero-adjusted "
        f"variance, zeros {result.zero_method}",
    )
