r"""Analysis of covariance by ordinary least squares, with least-squares means per arm.

The model, for patient :math:`i` in arm :math:`a(i)` and stratum levels :math:`s(i)`:

.. math::

    y_i = \mu + \tau_{a(i)} + \sum_k \gamma_k x_{ik} + \sum_m \delta_{m, s_m(i)} + \varepsilon_i,
    \qquad \varepsilon_i \sim N(0, \sigma^2) \text{ independent},

with :math:`\tau` and :math:`\delta` in treatment coding (the reference arm and the first level of each stratum
at zero). Assumptions: the effect of each covariate is linear and the same in every arm (no treatment by
covariate interaction), residuals independent with one variance and, for exact t intervals, normal.

References
----------
.. [1] Searle SR, Speed FM, Milliken GA. Population marginal means in the linear model: an alternative to least
   squares means. Am Stat 1980;34:216-221.
.. [2] European Medicines Agency. Guideline on adjustment for baseline covariates in clinical trials.
   EMA/CHMP/295050/2013, 2015.
.. [3] Lenth RV. emmeans: Estimated marginal means, aka least-squares means. R package (the reference
   implementation the tests compare with).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import linalg

from axspa.errors import InputError
from axspa.options import ANCOVA_INTERVALS, STRATA_WEIGHTINGS, AncovaInterval, StrataWeighting
from axspa.stats import _validate
from axspa.stats._results import HIDDEN
from axspa.stats.models import _design
from axspa.stats.models._design import Factor, FloatArray, ModelFit, Numeric

__all__ = ["AncovaResult", "ancova"]


@dataclass(frozen=True, repr=False, slots=True)
class AncovaResult(ModelFit):
    """An ANCOVA fit (from :func:`ancova`).

    The tables (``lsmeans``, ``differences``, ``coefficients``, ``covariance`` of the coefficients) are DataFrames
    kept out of the repr; :meth:`to_frame` returns ``differences``.
    """

    n: int = 0
    residual_df: int = 0
    residual_sd: float = np.nan
    """sqrt(RSS / (n - p)): the estimate of sigma on the residual degrees of freedom (R's ``sigma()``)."""
    rms_residual: float = np.nan
    """sqrt(RSS / n): the root mean square of the residuals (dividing by n, as some published tables)."""
    interval: str = "t"
    covariance: pd.DataFrame = field(default_factory=pd.DataFrame, metadata=HIDDEN)


def _describe(components: Sequence[Factor | Numeric], arm: Factor, weighting: str) -> tuple[str, str]:
    parts, at = [], []
    for comp in components:
        if isinstance(comp, Factor) and comp is arm:
            parts.append(f"{comp.column} (treatment coding, reference {arm.levels[0]!r})")
        elif isinstance(comp, Factor):
            parts.append(f"{comp.column} ({len(comp.levels)} levels, treatment coding)")
            at.append(f"{comp.column} averaged over its {len(comp.levels)} levels with {weighting} weights")
        else:
            parts.append(f"{comp.column} (linear)")
            at.append(f"{comp.column} at its mean over the rows analysed ({comp.values.mean():.6g})")
    where = "; ".join(at) if at else "no covariates"
    return " + ".join(parts), f"predictions for each arm with {where}"


@_design.serial_blas
def ancova(
    data: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str] = (),
    strata: Sequence[str] = (),
    reference: object = None,
    confidence_level: float = 0.95,
    interval: AncovaInterval = "t",
    strata_weighting: StrataWeighting = "equal",
) -> AncovaResult:
    r"""Analysis of covariance: LS means per arm and their differences against a reference arm.

    The outcome (typically the change from baseline) is regressed by ordinary least squares on the arm, numeric
    covariates (typically the baseline value) and categorical strata:

    .. math::

        y_i = \mu + \tau_{a(i)} + \sum_k \gamma_k x_{ik} + \sum_m \delta_{m, s_m(i)} + \varepsilon_i,
        \qquad \varepsilon_i \sim N(0, \sigma^2).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per patient.
    outcome : str
        Numeric column analysed (e.g. ``"basdai_chg"``).
    treatment : str
        Column of the arm (any labels; a categorical's order is kept, otherwise levels sorted).
    covariates : sequence of str
        Numeric columns entering linearly (e.g. ``("basdai_base",)``).
    strata : sequence of str
        Categorical columns (e.g. region), in treatment coding.
    reference : object, optional
        The reference arm (default: the first level).
    confidence_level : float
        Two-sided level of the intervals.
    interval : {"t", "normal"}
        ``"t"``: t intervals and p-values on the residual degrees of freedom ``n - p`` (as R's ``lm`` and
        ``emmeans``); ``"normal"``: estimate +/- z SE and normal p-values (as tables that print 1.96 SE).
    strata_weighting : {"equal", "proportional"}
        How strata are averaged in an LS mean: equal weights per level (emmeans' and SAS's default) or the
        observed proportions.

    Returns
    -------
    AncovaResult
        ``lsmeans`` (arm, estimate, se, df, low, high), ``differences`` (arm minus reference: estimate, se, df,
        statistic, pvalue, low, high), ``coefficients``, ``residual_sd`` (on ``residual_df``), ``rms_residual``
        (dividing by n), ``design`` and ``lsmean_weighting`` in words.

    Raises
    ------
    InputError
        If a column is missing or of the wrong kind (a non-numeric outcome or covariate), the treatment has one
        level, the design is singular, or no residual degrees of freedom are left.

    Notes
    -----
    LS mean of arm :math:`a`: :math:`\hat\mu + \hat\tau_a + \sum_k \hat\gamma_k \bar x_k + \sum_m \sum_l w_{ml}
    \hat\delta_{ml}` with :math:`\bar x_k` the mean over the rows analysed and :math:`w_{ml}` the stratum
    weights; its standard error from :math:`\hat\sigma^2 (X^\top X)^{-1}`. The difference of two arms does not
    depend on the weighting (no interaction). Rows with a missing value in any model column are excluded and
    counted in ``n_excluded`` (complete cases, as R's ``lm``).

    Assumptions: covariate effects linear and common to all arms, independent normal residuals with one variance.
    Cite the method as ANCOVA with LS means [1]_ and for the covariate adjustment [2]_.

    References
    ----------
    .. [1] Searle SR, Speed FM, Milliken GA. Population marginal means in the linear model: an alternative to
       least squares means. Am Stat 1980;34:216-221.
    .. [2] European Medicines Agency. Guideline on adjustment for baseline covariates in clinical trials.
       EMA/CHMP/295050/2013, 2015.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"arm": ["P", "P", "P", "A", "A", "A"], "base": [5.0, 6, 7, 5, 6, 7],
    ...                   "chg": [-1.0, -0.5, -1.5, -2.0, -3.0, -2.5]})
    >>> r = ancova(d, outcome="chg", treatment="arm", covariates=["base"], reference="P")
    >>> float(r.differences["estimate"].iloc[0]), r.residual_df
    (-1.5, 3)
    """
    level = _validate.confidence_level(confidence_level)
    _validate.choice("interval", interval, ANCOVA_INTERVALS)
    _validate.choice("strata_weighting", strata_weighting, STRATA_WEIGHTINGS)
    covariates, strata = list(covariates), list(strata)
    roles: dict[str, str | None] = {"outcome": outcome, "treatment": treatment}
    roles.update({f"covariate {i + 1}": c for i, c in enumerate(covariates)})
    roles.update({f"stratum {i + 1}": s for i, s in enumerate(strata)})
    data = _design.check_frame(data, roles)
    y_all = _design.numeric_column(data, outcome, "outcome")
    x_all = {c: _design.numeric_column(data, c, "covariate") for c in covariates}
    keep = ~_design.missing_mask(data, [outcome, treatment, *covariates, *strata])
    if not keep.any():
        raise InputError(f"no row of data has every model column ({', '.join(roles.values())}) present")  # type: ignore[arg-type]
    arm = _design.treatment_factor(data, treatment, keep, reference)
    components: list[Factor | Numeric] = [arm]
    components += [Numeric(c, x_all[c][keep]) for c in covariates]
    components += [_design.factor(data, s, "stratum", keep) for s in strata]
    y = y_all[keep]
    n = int(y.size)

    names, x = _design.assemble([[_design.data_columns(c)] for c in components], n)
    _design.check_rank(x, names)
    p = x.shape[1]
    if n <= p:
        raise InputError(f"ANCOVA needs more rows than coefficients; got {n} rows for {p} coefficients")
    q, r = linalg.qr(x, mode="economic")
    beta = linalg.solve_triangular(r, q.T @ y)
    resid = y - x @ beta
    rss = float(resid @ resid)
    df_res = n - p
    sigma2 = rss / df_res
    r_inv = linalg.solve_triangular(r, np.eye(p))
    cov = sigma2 * (r_inv @ r_inv.T)

    grid = []
    for a in range(len(arm.levels)):
        row_parts = [[_design.grid_component(c, a if c is arm else None, strata_weighting)] for c in components]
        grid.append(_design.assemble(row_parts, 1)[1][0])
    rows = np.array(grid)
    df_used = float(df_res) if interval == "t" else np.inf

    def table(lin: FloatArray) -> dict[str, FloatArray]:
        est = lin @ beta
        se = np.sqrt(np.einsum("ip,pq,iq->i", lin, cov, lin))
        df = np.full(est.shape, df_used)
        return {"estimate": est, "se": se, "df": df, **_design.t_inference(est, se, df, level)}

    ls = table(rows)
    lsmeans = pd.DataFrame({treatment: list(arm.levels), **{k: ls[k] for k in ("estimate", "se", "df", "low", "high")}})
    diffs = pd.DataFrame({treatment: list(arm.levels[1:]), "reference": arm.levels[0], **table(rows[1:] - rows[0])})
    coef_se = np.sqrt(np.diag(cov))
    coef = pd.DataFrame({"term": names, "estimate": beta, "se": coef_se})
    coef = coef.assign(**{k: v for k, v in _design.t_inference(beta, coef_se, np.full(p, df_used), level).items()})
    terms, at = _describe(components, arm, strata_weighting)
    excluded = int((~keep).sum())
    design = (
        f"ordinary least squares: {outcome} = intercept + {terms} + independent normal error; {n} rows analysed"
        f"{f' ({excluded} with a missing model value excluded)' if excluded else ''}, {p} coefficients, "
        f"{df_res} residual degrees of freedom"
    )
    method = "ANCOVA (OLS), " + ("t interval on the residual df" if interval == "t" else "normal interval (z)")
    return AncovaResult(
        outcome=outcome,
        treatment=treatment,
        reference=arm.levels[0],
        n=n,
        n_excluded=excluded,
        residual_df=df_res,
        residual_sd=float(np.sqrt(sigma2)),
        rms_residual=float(np.sqrt(rss / n)),
        interval=interval,
        confidence_level=level,
        method=method,
        design=design,
        lsmean_weighting=at,
        **{"lsmeans": lsmeans, "differences": diffs, "coefficients": coef},
        covariance=pd.DataFrame(cov, index=names, columns=names),
    )
