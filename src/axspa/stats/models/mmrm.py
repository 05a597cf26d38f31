r"""Mixed model for repeated measures (MMRM) by restricted maximum likelihood, with LS means per arm and visit.

The model, for patient :math:`i` with observed visits :math:`O_i \subseteq \{1, \dots, T\}`:

.. math::

    y_{ij} = \mu + \tau_{a(i)} + \nu_j + (\tau\nu)_{a(i) j} + \beta x_i + (\beta\nu)_j x_i
             + \sum_k \gamma_k z_{ik} + e_{ij}, \qquad
    e_{i, O_i} \sim N(0, \Sigma_{O_i O_i}) \text{ independent between patients},

with :math:`x_i` the baseline value, :math:`z_{ik}` further covariates and :math:`\Sigma` unstructured (or
compound symmetric, or heterogeneous AR(1)). Every parameter is estimated by restricted maximum likelihood
(REML) from the visits each patient has: missing visits are ignorable when missing at random.

References
----------
.. [1] Mallinckrodt CH, Lane PW, Schnell D, Peng Y, Mancuso JP. Recommendations for the primary analysis of
   continuous endpoints in longitudinal clinical trials. Drug Inf J 2008;42:303-319.
.. [2] Patterson HD, Thompson R. Recovery of inter-block information when block sizes are unequal. Biometrika
   1971;58:545-554.
.. [3] Satterthwaite FE. An approximate distribution of estimates of variance components. Biometrics Bull
   1946;2:110-114.
.. [4] Pinheiro JC, Bates DM. Mixed-Effects Models in S and S-PLUS. Springer, 2000 (nlme's ``gls``, the
   reference implementation the tests compare with).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import linalg, optimize

from axspa.errors import ComputationError, InputError
from axspa.options import COVARIANCE_STRUCTURES, MMRM_DF_METHODS, CovarianceStructure, MmrmDF
from axspa.stats import _validate
from axspa.stats._results import HIDDEN, Result
from axspa.stats.models import _design
from axspa.stats.models._covariance import Structure, structure
from axspa.stats.models._design import Factor, FloatArray, ModelFit, Numeric

__all__ = ["MmrmConvergence", "MmrmResult", "mmrm"]

_LOG_2PI = float(np.log(2.0 * np.pi))
#: A fit is accepted when the predicted gain of one more Newton step is below this (log-likelihood units).
_DECREMENT_TOL = 1e-12
#: Below this Newton decrement the full Newton step is taken without a line search.
_QUADRATIC_REGION = 1e-6
_HESSIAN_NOTE = (
    "observed Hessian of the REML log-likelihood by central differences of its analytic gradient "
    "(step 1e-4 max(1, |theta|))"
)


@dataclass(frozen=True, repr=False, slots=True)
class MmrmConvergence(Result):
    """How the REML fit converged."""

    converged: bool
    iterations: int
    evaluations: int
    max_abs_gradient: float
    newton_decrement: float
    """g' (-H)^{-1} g / 2 at the optimum: the log-likelihood a further Newton step would gain."""
    message: str


@dataclass(frozen=True, repr=False, slots=True)
class MmrmResult(ModelFit):
    """An MMRM fit (from :func:`mmrm`).

    The tables (``lsmeans`` per arm and visit, ``differences`` per visit, ``coefficients``, ``covariance``: the
    fitted Sigma, visits by visits) are DataFrames kept out of the repr; :meth:`to_frame` returns ``differences``.
    """

    visit: str = ""
    covariance_structure: str = ""
    df_method: str = ""
    n_subjects: int = 0
    n_observations: int = 0
    n_parameters: int = 0
    loglik: float = np.nan
    """The REML log-likelihood, -1/2 [(N - p) log 2 pi + log|V| + log|X' V^-1 X| + r' V^-1 r]."""
    hessian: str = ""
    convergence: MmrmConvergence | None = None
    covariance: pd.DataFrame = field(default_factory=pd.DataFrame, metadata=HIDDEN)
    fixed_covariance: pd.DataFrame = field(default_factory=pd.DataFrame, metadata=HIDDEN)
    theta: FloatArray = field(default_factory=lambda: np.empty(0), metadata=HIDDEN)


class _Patterns:
    """The patients sharing one set of observed visits, reduced to sums that do not grow with n.

    All patterns with the same number s of observed visits are stacked (G patterns of one size), so that
    each evaluation of the likelihood makes one batched call per size instead of one per pattern. The sums
    of products are kept only where they can be non-zero: at any one visit most columns of the design are
    zero (the other visits' terms), so each pattern's sums are formed over the columns it uses and stored
    as entries (block (g, s, t) of the pattern's visits, design columns, value):

    * x'x: sum_i x_{i s a} x_{i t b} at block (g, s, t) and column pair (a, b);
    * x'y: sum_i x_{i s a} y_{i t} at block (g, s, t) and column a;
    * y'y: sum_i y_{i s} y_{i t}, dense (G, s, s).
    """

    def __init__(self, visits: npt.NDArray[np.intp], counts: npt.NDArray[np.intp], x: FloatArray, y: FloatArray):
        # visits: (G, s) observed visits of each pattern; counts: (G,) patients per pattern;
        # x: (n, s, p) and y: (n, s) of the patients, pattern by pattern in the order of ``visits``
        self.idx = visits
        self.n = counts.astype(np.float64)
        g, s = visits.shape
        p = x.shape[2]
        self.p = p
        self.yy = np.empty((g, s, s))
        xx: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], FloatArray]] = []
        xy: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], FloatArray]] = []
        ends = np.cumsum(counts)
        for k, (lo, hi) in enumerate(zip(ends - counts, ends, strict=True)):
            flat, yk = x[lo:hi].reshape(hi - lo, s * p), y[lo:hi]
            used = np.flatnonzero((flat != 0).any(axis=0))
            part = flat[:, used]
            at, col = np.divmod(used, p)  # the visit (within the pattern) and design column of each used column
            gram = part.T @ part
            keep = gram != 0
            block = k * s * s + at[:, None] * s + at[None, :]
            xx.append((block[keep], (col[:, None] * p + col[None, :])[keep], gram[keep]))
            cross = part.T @ yk
            keep = cross != 0
            block = k * s * s + at[:, None] * s + np.arange(s)[None, :]
            xy.append((block[keep], np.broadcast_to(col[:, None], cross.shape)[keep], cross[keep]))
            self.yy[k] = yk.T @ yk
        self.xx_block, self.xx_pair, self.xx_value = (np.concatenate(parts) for parts in zip(*xx, strict=True))
        self.xy_block, self.xy_col, self.xy_value = (np.concatenate(parts) for parts in zip(*xy, strict=True))
        self.n_blocks = g * s * s

    def block(self, sig: FloatArray) -> FloatArray:
        """Sigma restricted to each pattern's visits: (G, s, s)."""
        return sig[self.idx[:, :, None], self.idx[:, None, :]]

    def xwx(self, w: FloatArray) -> FloatArray:
        """sum_i X_i' W_g X_i over the patterns, for per-pattern weights ``w`` (G, s, s); as a p * p vector."""
        weights = w.reshape(-1)[self.xx_block] * self.xx_value
        return _sum_at(self.xx_pair, weights, self.p * self.p)

    def xwy(self, w: FloatArray) -> FloatArray:
        """sum_i X_i' W_g y_i over the patterns (p)."""
        weights = w.reshape(-1)[self.xy_block] * self.xy_value
        return _sum_at(self.xy_col, weights, self.p)

    def xbx(self, form: FloatArray) -> FloatArray:
        """Per pattern, sum_i X_i B X_i' for a p x p ``form`` B given as a p * p vector: (G, s, s)."""
        weights = form[self.xx_pair] * self.xx_value
        return _sum_at(self.xx_block, weights, self.n_blocks).reshape((*self.idx.shape, -1))

    def xby(self, beta: FloatArray) -> FloatArray:
        """Per pattern, sum_i (X_i beta) y_i': (G, s, s)."""
        weights = beta[self.xy_col] * self.xy_value
        return _sum_at(self.xy_block, weights, self.n_blocks).reshape((*self.idx.shape, -1))

    def scatter(self, blocks: FloatArray, t: int) -> FloatArray:
        """The sum of the (..., G, s, s) ``blocks`` placed at each pattern's visits of a (..., t, t) matrix."""
        lead = blocks.shape[:-3]
        at = (self.idx[:, :, None] * t + self.idx[:, None, :]).ravel()
        flat = blocks.reshape(-1, at.size)
        out: FloatArray = np.stack([np.bincount(at, weights=row, minlength=t * t) for row in flat])
        return out.reshape(*lead, t, t)


def _sum_at(index: npt.NDArray[np.intp], weights: FloatArray, size: int) -> FloatArray:
    """The sums of ``weights`` at each of ``size`` places (``np.bincount`` with weights)."""
    return np.bincount(index, weights=weights, minlength=size).astype(np.float64, copy=False)


class _Reml:
    """The REML log-likelihood of a linear model with patterned normal errors, its gradient and Hessian."""

    def __init__(self, groups: list[_Patterns], struct: Structure, n_obs: int, p: int, t: int) -> None:
        self.groups = groups
        self.struct = struct
        self.n_obs = n_obs
        self.p = p
        self.t = t
        self.evaluations = 0

    def _solve(self, sig: FloatArray) -> tuple[FloatArray, list[FloatArray], FloatArray, float, float]:
        """X' V^-1 X, the inverse of Sigma on each pattern, X' V^-1 y, log|V| and y' V^-1 y."""
        m = np.zeros(self.p * self.p)
        b = np.zeros(self.p)
        logdet = ywy = 0.0
        inverses = []
        for grp in self.groups:
            chol = np.linalg.cholesky(grp.block(sig))
            chol_inv = np.linalg.inv(chol)
            w = np.swapaxes(chol_inv, 1, 2) @ chol_inv
            inverses.append(w)
            logdet += 2.0 * float(grp.n @ np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1))
            m += grp.xwx(w)
            b += grp.xwy(w)
            ywy += float(w.reshape(-1) @ grp.yy.reshape(-1))
        return m.reshape(self.p, self.p), inverses, b, logdet, ywy

    def value_and_gradient(self, theta: FloatArray, gradient: bool = True) -> tuple[float, FloatArray, FloatArray]:
        """REML log-likelihood, its gradient, and the fixed effects, at theta."""
        self.evaluations += 1
        sig, dsig = self.struct.sigma(theta)
        m, inverses, b, logdet, ywy = self._solve(sig)
        m_chol = np.linalg.cholesky(m)
        m_chol_inv = np.linalg.inv(m_chol)
        m_inv = m_chol_inv.T @ m_chol_inv
        beta = m_inv @ b
        quad = ywy - float(b @ beta)
        ll = -0.5 * ((self.n_obs - self.p) * _LOG_2PI + logdet + 2.0 * float(np.log(np.diag(m_chol)).sum()) + quad)
        if not gradient:
            return ll, np.empty(0), beta
        big = np.zeros_like(sig)
        both = m_inv.reshape(-1) + np.outer(beta, beta).reshape(-1)
        for grp, w in zip(self.groups, inverses, strict=True):
            a = grp.xby(beta)  # sum_i (x_is beta) y_it
            inner = grp.xbx(both) + grp.yy - a - np.swapaxes(a, 1, 2)  # with sum_i x_is (M^-1 + beta beta') x_it'
            big += grp.scatter(grp.n[:, None, None] * w - w @ inner @ w, self.t)
        return ll, -0.5 * np.tensordot(dsig, big, axes=([1, 2], [0, 1])), beta

    def fixed_covariance(self, theta: FloatArray) -> FloatArray:
        """(X' V^-1 X)^-1 at theta."""
        return linalg.inv(self._solve(self.struct.sigma(theta)[0])[0])

    def variance_gradient(self, theta: FloatArray, contrasts: FloatArray) -> tuple[FloatArray, FloatArray]:
        """For each contrast c: c' Phi c and its gradient in theta, Phi = (X' V^-1 X)^-1 (analytic)."""
        sig, dsig = self.struct.sigma(theta)
        m, inverses, *_ = self._solve(sig)
        phi = linalg.inv(m)
        u = contrasts @ phi  # (m, p)
        var = np.einsum("jp,jp->j", u, contrasts)
        d = np.zeros((u.shape[0], *dsig.shape[1:]))
        uu = np.einsum("jp,jq->jpq", u, u).reshape(u.shape[0], -1)
        for grp, w in zip(self.groups, inverses, strict=True):
            q = np.stack([grp.xbx(form) for form in uu])  # sum_i x_is u u' x_it' per contrast
            d += grp.scatter(w @ q @ w, self.t)
        return var, np.tensordot(d, dsig, axes=([1, 2], [1, 2]))

    def hessian(self, theta: FloatArray) -> FloatArray:
        """Observed Hessian by central differences of the analytic gradient, symmetrised."""
        k = theta.size
        h = np.empty((k, k))
        for j in range(k):
            step = 1e-4 * max(1.0, abs(float(theta[j])))
            up, down = theta.copy(), theta.copy()
            up[j] += step
            down[j] -= step
            h[:, j] = (self.value_and_gradient(up)[1] - self.value_and_gradient(down)[1]) / (2.0 * step)
        return (h + h.T) / 2.0


def _fit(reml: _Reml, theta0: FloatArray) -> tuple[FloatArray, FloatArray, MmrmConvergence]:
    """Maximise the REML log-likelihood: quasi-Newton (BFGS), then Newton steps on the exact Hessian."""
    scale = float(reml.n_obs)

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        try:
            ll, grad, _ = reml.value_and_gradient(theta)
        except (linalg.LinAlgError, FloatingPointError):
            return np.inf, np.zeros_like(theta)
        return -ll / scale, -grad / scale

    with np.errstate(over="ignore", invalid="ignore"):
        opt = optimize.minimize(objective, theta0, jac=True, method="BFGS", options={"gtol": 1e-7, "maxiter": 2000})
    theta = np.asarray(opt.x, dtype=np.float64)
    iterations = int(opt.nit)
    reason = str(opt.message)
    decrement = np.inf
    hess = np.empty((0, 0))
    grad = np.empty(0)
    for _ in range(20):
        ll, grad, _ = reml.value_and_gradient(theta)
        hess = reml.hessian(theta)
        try:
            chol = linalg.cholesky(-hess, lower=True)
        except linalg.LinAlgError:
            reason = "the REML Hessian is not negative definite at the end of the search (a boundary solution?)"
            break
        step = linalg.cho_solve((chol, True), grad)
        decrement = float(grad @ step) / 2.0
        if decrement < _DECREMENT_TOL:
            # Close enough for Newton's quadratic convergence: the last step takes theta to the optimum to
            # rounding (the Hessian moves by the step, far below what the degrees of freedom can show).
            theta = theta + step
            final_grad = reml.value_and_gradient(theta)[1]
            conv = MmrmConvergence(
                converged=True,
                iterations=iterations + 1,
                evaluations=reml.evaluations,
                max_abs_gradient=float(np.abs(final_grad).max()),
                newton_decrement=decrement,
                message=f"converged: Newton decrement {decrement:.2e} < {_DECREMENT_TOL:.0e} before the last step",
            )
            return theta, hess, conv
        iterations += 1
        if decrement < _QUADRATIC_REGION:
            # Newton's full step: a line search here would compare log-likelihoods that differ by less than
            # their rounding error (about 1e-11 at 5,000 observations)
            theta = theta + step
            continue
        for shrink in 0.5 ** np.arange(30):
            trial = theta + shrink * step
            try:
                if reml.value_and_gradient(trial, gradient=False)[0] >= ll:
                    theta = trial
                    break
            except linalg.LinAlgError:
                continue
        else:
            reason = "no Newton step increases the REML log-likelihood"
            break
    raise ComputationError(
        f"the MMRM did not converge: {reason} (quasi-Newton stage: {opt.message}); max |gradient| "
        f"{float(np.abs(grad).max()) if grad.size else np.nan:.3g}, Newton decrement {decrement:.3g} after "
        f"{iterations} iterations. Is the covariance structure too rich for the data (few patients per visit, "
        "or two visits almost perfectly correlated)?"
    )


def _moment_covariance(resid: FloatArray, visit: FloatArray, subject: FloatArray, t: int) -> FloatArray:
    """Pairwise-available covariance of OLS residuals by visit; the diagonal if that is not positive definite."""
    wide = np.full((int(subject.max()) + 1, t), np.nan)
    wide[subject.astype(np.intp), visit.astype(np.intp)] = resid
    present = ~np.isnan(wide)
    filled = np.where(present, wide, 0.0)
    counts = present.T.astype(float) @ present.astype(float)
    s0 = (filled.T @ filled) / np.maximum(counts, 1.0)
    try:
        np.linalg.cholesky(s0)
    except np.linalg.LinAlgError:
        s0 = np.diag(np.diag(s0))
    return s0


def _check_long(data: pd.DataFrame, subj: Factor, vis: Factor, arm: Factor, keep: np.ndarray) -> None:
    """One row per subject and visit; one arm per subject; at least two observations per visit."""
    pairs = subj.codes * len(vis.levels) + vis.codes
    _, first, counts = np.unique(pairs, return_index=True, return_counts=True)
    if (counts > 1).any():
        j = int(first[np.argmax(counts > 1)])
        raise InputError(
            f"subject {subj.levels[subj.codes[j]]!r} has {int(counts.max())} rows at visit "
            f"{vis.levels[vis.codes[j]]!r}; an MMRM needs one row per subject and visit"
        )
    arms = np.full(len(subj.levels), -1)
    arms[subj.codes] = arm.codes
    if (arms[subj.codes] != arm.codes).any():
        j = int(np.argmax(arms[subj.codes] != arm.codes))
        raise InputError(f"subject {subj.levels[subj.codes[j]]!r} is in more than one arm; one arm per subject")
    per_visit = np.bincount(vis.codes, minlength=len(vis.levels))
    if len(vis.levels) < 2:
        raise InputError(
            f"an MMRM needs at least two visits; got one ({vis.levels[0]!r}). For a single visit use ancova"
        )
    if (per_visit < 2).any():
        j = int(np.argmin(per_visit))
        raise InputError(
            f"visit {vis.levels[j]!r} has {int(per_visit[j])} observation(s) of the outcome; each visit needs at "
            "least two to estimate its variance"
        )


@_design.serial_blas
def mmrm(
    data: pd.DataFrame,
    *,
    outcome: str,
    subject: str,
    visit: str,
    treatment: str,
    covariates: Sequence[str] = (),
    baseline: str | None = None,
    covariance: CovarianceStructure = "unstructured",
    df: MmrmDF = "satterthwaite",
    reference: object = None,
    confidence_level: float = 0.95,
) -> MmrmResult:
    r"""Mixed model for repeated measures: LS means per arm and visit and their differences, by REML.

    .. math::

        y_{ij} = \mu + \tau_{a(i)} + \nu_j + (\tau\nu)_{a(i) j} + \beta x_i + (\beta\nu)_j x_i
                 + \sum_k \gamma_k z_{ik} + e_{ij}, \qquad e_{i, O_i} \sim N(0, \Sigma_{O_i O_i})

    for patient :math:`i`, visit :math:`j` among the visits :math:`O_i` observed, baseline :math:`x_i`,
    covariates :math:`z_{ik}`; treatment coding (reference arm and first visit at zero).

    Parameters
    ----------
    data : pandas.DataFrame
        Long format: one row per patient and visit (rows with a missing outcome are visits not observed).
    outcome : str
        Numeric column analysed (e.g. ``"basdai_chg"``).
    subject, visit, treatment : str
        Columns of the patient, the visit (levels ordered as a categorical's or sorted) and the arm (constant
        within a patient).
    covariates : sequence of str
        Further columns as main effects: numeric ones linear, others as factors (treatment coding).
    baseline : str, optional
        Numeric baseline column; enters as ``baseline + baseline x visit``.
    covariance : {"unstructured", "compound_symmetry", "heterogeneous_ar1"}
        The structure of Sigma. Unstructured: :math:`\Sigma = LL^\top`, parameterised by the rows of the
        Cholesky factor :math:`L` with its diagonal on the log scale (positive definite at every step).
        Heterogeneous AR(1): :math:`\Sigma_{jk} = s_j s_k \rho^{|j - k|}` with :math:`j, k` the positions of the
        visits in the schedule.
    df : {"satterthwaite", "residual"}
        Degrees of freedom of the t intervals and tests: Satterthwaite per contrast, or N - p for all.
    reference : object, optional
        Reference arm (default: the first level).
    confidence_level : float
        Two-sided level of the intervals.

    Returns
    -------
    MmrmResult
        ``lsmeans`` (arm, visit, estimate, se, df, low, high), ``differences`` (per visit, arm minus reference:
        estimate, se, df, statistic, pvalue, low, high), ``coefficients`` (R's names), ``covariance`` (fitted
        Sigma, visits by visits), ``loglik`` (REML), ``convergence``, ``design`` and ``lsmean_weighting``.

    Raises
    ------
    InputError
        A missing column, a non-numeric outcome or baseline, two rows for one patient and visit, a patient in two
        arms, fewer than two visits, a visit with fewer than two observations, a treatment with one level, a
        singular design.
    ComputationError
        If the REML fit does not converge (the reason is in the message); no numbers are returned then.

    Notes
    -----
    REML log-likelihood, with :math:`V = \operatorname{diag}(\Sigma_{O_i O_i})` and :math:`r = y - X\hat\beta`:

    .. math::

        \ell_R(\theta) = -\tfrac12 \left[(N - p) \log 2\pi + \log|V| + \log|X^\top V^{-1} X|
                         + r^\top V^{-1} r\right].

    Patients are grouped by their pattern of observed visits, and the log-likelihood and its analytic gradient
    :math:`\partial\ell_R/\partial\theta_k = -\tfrac12 \operatorname{tr}(\partial\Sigma/\partial\theta_k\, G)`
    are computed from per-pattern sums whose size does not grow with the number of patients. The maximum is found
    by BFGS, then Newton steps on the observed Hessian until the Newton decrement is below 1e-12; a fit that does
    not get there raises. The Hessian is the exact observed Hessian of :math:`\ell_R`, computed by central
    differences (step :math:`10^{-4}\max(1, |\theta_k|)`) of the analytic gradient.

    Satterthwaite degrees of freedom of a contrast :math:`c^\top\beta` with variance
    :math:`v = c^\top \Phi c`, :math:`\Phi = (X^\top V^{-1} X)^{-1}`:
    :math:`\nu = 2 v^2 / (g^\top A g)` with :math:`g = \partial v / \partial\theta` (analytic) and
    :math:`A = (-H)^{-1}` from the observed Hessian :math:`H` (as R's mmrm package; not nlme's approximate
    covariance of the variance parameters, which emmeans uses for ``gls`` and which can be off by several
    per cent). Kenward-Roger is not offered.

    LS means: the model's prediction for an arm at a visit with baseline and numeric covariates at their mean
    over the observations analysed (each observed patient-visit counts once, as emmeans and SAS's LSMEANS) and
    factor covariates averaged with equal weights over their levels.

    Assumptions: the mean structure above (a separate arm effect and baseline slope at each visit), normal errors
    with the chosen covariance common to all arms, and data missing at random (a patient's missing visits depend
    only on what was observed). Rows with a missing subject, visit, arm, baseline or covariate are excluded and
    counted in ``n_excluded``. Cite the MMRM as [1]_, REML as [2]_ and the degrees of freedom as [3]_.

    References
    ----------
    .. [1] Mallinckrodt CH, Lane PW, Schnell D, Peng Y, Mancuso JP. Recommendations for the primary analysis of
       continuous endpoints in longitudinal clinical trials. Drug Inf J 2008;42:303-319.
    .. [2] Patterson HD, Thompson R. Recovery of inter-block information when block sizes are unequal.
       Biometrika 1971;58:545-554.
    .. [3] Satterthwaite FE. An approximate distribution of estimates of variance components. Biometrics Bull
       1946;2:110-114.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"id": np.repeat(np.arange(40), 3), "week": np.tile([4, 8, 12], 40),
    ...                   "arm": np.repeat(["placebo", "active"], 60)})
    >>> d["chg"] = rng.normal(size=120) - (d["arm"] == "active") * d["week"] / 8
    >>> r = mmrm(d, outcome="chg", subject="id", visit="week", treatment="arm", reference="placebo")
    >>> r.convergence.converged, r.differences.shape[0]
    (True, 3)
    """
    level = _validate.confidence_level(confidence_level)
    _validate.choice("covariance", covariance, COVARIANCE_STRUCTURES)
    _validate.choice("df", df, MMRM_DF_METHODS)
    covariates = list(covariates)
    roles: dict[str, str | None] = {"outcome": outcome, "subject": subject, "visit": visit, "treatment": treatment}
    roles["baseline"] = baseline
    roles.update({f"covariate {i + 1}": c for i, c in enumerate(covariates)})
    data = _design.check_frame(data, roles)
    y_all = _design.numeric_column(data, outcome, "outcome")
    base_all = None if baseline is None else _design.numeric_column(data, baseline, "baseline")
    numeric_cov = {
        c
        for c in covariates
        if pd.api.types.is_numeric_dtype(data[c].dtype) and not pd.api.types.is_bool_dtype(data[c].dtype)
    }
    cov_all = {c: _design.numeric_column(data, c, "covariate") for c in numeric_cov}
    model_cols = [outcome, subject, visit, treatment, *([baseline] if baseline else []), *covariates]
    keep = ~_design.missing_mask(data, model_cols)
    unobserved = np.isnan(y_all) & ~_design.missing_mask(data, [c for c in model_cols if c != outcome])
    excluded = int((~keep & ~unobserved).sum())
    if not keep.any():
        raise InputError(f"no row of data has every model column ({', '.join(model_cols)}) present")
    arm = _design.treatment_factor(data, treatment, keep, reference)
    vis = _design.factor(data, visit, "visit", keep)
    subj = _design.factor(data, subject, "subject", keep)
    _check_long(data, subj, vis, arm, keep)
    y = y_all[keep]
    n_obs = int(y.size)

    mains: list[Factor | Numeric] = [arm, vis]
    base = None if base_all is None or baseline is None else Numeric(baseline, base_all[keep])
    if base is not None:
        mains.append(base)
    for c in covariates:
        mains.append(Numeric(c, cov_all[c][keep]) if c in numeric_cov else _design.factor(data, c, "covariate", keep))
    terms: list[list[Factor | Numeric]] = [[comp] for comp in mains]
    terms.append([arm, vis])
    if base is not None:
        terms.append([vis, base])
    names, x = _design.assemble([[_design.data_columns(c) for c in term] for term in terms], n_obs)
    _design.check_rank(x, names)
    p = x.shape[1]
    if n_obs <= p:
        raise InputError(f"an MMRM needs more observations than coefficients; got {n_obs} for {p}")

    t = len(vis.levels)
    struct = structure(covariance, t)
    patterns = _patterns(subj.codes, vis.codes, x, y, t)
    reml = _Reml(patterns, struct, n_obs, p, t)
    ols = np.linalg.solve(x.T @ x, x.T @ y)
    s0 = _moment_covariance(y - x @ ols, vis.codes.astype(float), subj.codes.astype(float), t)
    theta, hess, conv = _fit(reml, struct.start(s0))
    ll, _, beta = reml.value_and_gradient(theta, gradient=False)
    sigma = struct.sigma(theta)[0]
    phi = reml.fixed_covariance(theta)

    grid = []
    for a in range(len(arm.levels)):
        for j in range(t):
            at = {id(arm): a, id(vis): j}
            parts = [[_design.grid_component(c, at.get(id(c)), "equal") for c in term] for term in terms]
            grid.append(_design.assemble(parts, 1)[1][0])
    rows = np.array(grid).reshape(len(arm.levels), t, p)
    diff_rows = (rows[1:] - rows[0][None]).reshape(-1, p)
    ls_rows = rows.reshape(-1, p)
    a_theta = linalg.inv(-hess)

    def table(lin: FloatArray) -> dict[str, FloatArray]:
        est = lin @ beta
        var, grad = reml.variance_gradient(theta, lin)
        se = np.sqrt(var)
        if df == "satterthwaite":
            dfs = 2.0 * var**2 / np.einsum("jk,kl,jl->j", grad, a_theta, grad)
        else:
            dfs = np.full(est.shape, float(n_obs - p))
        return {"estimate": est, "se": se, "df": dfs, **_design.t_inference(est, se, dfs, level)}

    ls = table(ls_rows)
    lsmeans = pd.DataFrame(
        {
            treatment: np.repeat(np.array(arm.levels, dtype=object), t),
            visit: np.tile(np.array(vis.levels, dtype=object), len(arm.levels)),
            **{k: ls[k] for k in ("estimate", "se", "df", "low", "high")},
        }
    )
    n_other = len(arm.levels) - 1
    differences = pd.DataFrame(
        {
            treatment: np.repeat(np.array(arm.levels[1:], dtype=object), t),
            "reference": arm.levels[0],
            visit: np.tile(np.array(vis.levels, dtype=object), n_other),
            **table(diff_rows),
        }
    )
    coef_se = np.sqrt(np.diag(phi))
    coefficients = pd.DataFrame({"term": names, "estimate": beta, "se": coef_se})
    labels = [str(v) for v in vis.levels]
    n_subjects = int(np.unique(subj.codes).size)
    weighting = _weighting_text(mains, arm, vis)
    design = _design_text(outcome, terms, struct, n_obs, n_subjects, excluded, p)
    tables = {"lsmeans": lsmeans, "differences": differences, "coefficients": coefficients}
    return MmrmResult(
        outcome=outcome,
        treatment=treatment,
        visit=visit,
        reference=arm.levels[0],
        covariance_structure=covariance,
        df_method=df,
        n_subjects=n_subjects,
        n_observations=n_obs,
        n_excluded=excluded,
        n_parameters=int(theta.size),
        loglik=float(ll),
        confidence_level=level,
        method=f"MMRM (REML), {struct.description}; {df} degrees of freedom",
        design=design,
        lsmean_weighting=weighting,
        hessian=_HESSIAN_NOTE,
        convergence=conv,
        covariance=pd.DataFrame(sigma, index=labels, columns=labels),
        fixed_covariance=pd.DataFrame(phi, index=names, columns=names),
        theta=theta,
        **tables,
    )


def _patterns(subject: np.ndarray, visit: np.ndarray, x: FloatArray, y: FloatArray, t: int) -> list[_Patterns]:
    """Group patients by the set of visits they have, stacked by its size; within a patient, visits in order."""
    order = np.lexsort((visit, subject))
    subject, visit = subject[order], visit[order]
    first = np.r_[True, subject[1:] != subject[:-1]]
    patient = np.cumsum(first) - 1  # 0, 1, ... per row
    # each patient's set of visits as the bits of one integer (up to 62 visits; more: rows of a mask)
    if t <= 62:
        code = np.zeros(int(patient[-1]) + 1, dtype=np.int64)
        np.add.at(code, patient, np.left_shift(np.int64(1), visit.astype(np.int64)))
        codes, inverse = np.unique(code, return_inverse=True)
        keys = ((codes[:, None] >> np.arange(t)) & 1).astype(bool)
    else:
        masks = np.zeros((int(patient[-1]) + 1, t), dtype=bool)
        masks[patient, visit] = True
        keys, inverse = np.unique(masks, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    sizes = keys.sum(axis=1)
    # rows ordered by (size of pattern, pattern, patient, visit): every pattern, and every size, is one run
    rows = order[np.lexsort((visit, patient, inverse[patient], sizes[inverse[patient]]))]
    out = []
    at = 0
    for size in np.unique(sizes):
        members = np.flatnonzero(sizes == size)  # patterns of this size, in the order of ``keys``
        counts = np.bincount(inverse, minlength=keys.shape[0])[members]
        n_rows = int(counts.sum()) * int(size)
        take = rows[at : at + n_rows]
        at += n_rows
        visits = np.nonzero(keys[members])[1].reshape(members.size, int(size))
        out.append(
            _Patterns(visits, counts, x[take].reshape(-1, int(size), x.shape[1]), y[take].reshape(-1, int(size)))
        )
    return out


def _weighting_text(mains: Sequence[Factor | Numeric], arm: Factor, vis: Factor) -> str:
    at = []
    for comp in mains:
        if comp is arm or comp is vis:
            continue
        if isinstance(comp, Numeric):
            at.append(f"{comp.column} at its mean over the observations analysed ({comp.values.mean():.6g})")
        else:
            at.append(f"{comp.column} averaged over its {len(comp.levels)} levels with equal weights")
    return "predictions for each arm and visit with " + ("; ".join(at) if at else "no covariates")


def _design_text(
    outcome: str,
    terms: Sequence[Sequence[Factor | Numeric]],
    struct: Structure,
    n_obs: int,
    n_subjects: int,
    excluded: int,
    p: int,
) -> str:
    words = " + ".join(" x ".join(c.column for c in term) for term in terms)
    dropped = f"; {excluded} rows with a missing subject, visit, arm or covariate excluded" if excluded else ""
    return (
        f"REML linear model: {outcome} = intercept + {words} + error, errors within a patient multivariate normal "
        f"with {struct.description} covariance, independent between patients; {n_obs} observations of "
        f"{n_subjects} patients (each contributes the visits observed){dropped}; {p} fixed-effect coefficients, "
        f"{struct.n_params()} covariance parameters"
    )
