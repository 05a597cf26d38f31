"""MMRM on complete, balanced data against the closed form of the multivariate linear model.

With every patient seen at every visit, no covariates and an unstructured covariance, the REML fit is the
multivariate linear model (Anderson, An Introduction to Multivariate Statistical Analysis, 3rd ed., ch. 8): the LS
mean of an arm at a visit is the arm's observed mean there, Sigma is the pooled within-arm covariance with
divisor n - k (k arms), the SE of a difference is sqrt(Sigma_jj (1/n_1 + 1/n_2)), and its Satterthwaite degrees
of freedom are exactly n - k. The expected values below are those textbook formulas, computed with numpy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from axspa.stats import mmrm


@pytest.fixture(scope="module")
def balanced() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    n_a, n_b, t = 14, 17, 4
    chol = np.array([[1.0, 0, 0, 0], [0.6, 0.9, 0, 0], [0.4, 0.5, 1.1, 0], [0.3, 0.2, 0.6, 1.3]])
    ya = rng.normal(size=(n_a, t)) @ chol.T
    yb = rng.normal(size=(n_b, t)) @ chol.T - np.array([0.0, 0.5, 1.0, 1.5])
    y = np.vstack([ya, yb])
    d = pd.DataFrame(
        {
            "id": np.repeat(np.arange(n_a + n_b), t),
            "week": np.tile([2, 4, 8, 12], n_a + n_b),
            "arm": np.repeat(["placebo"] * n_a + ["active"] * n_b, t),
            "chg": y.ravel(),
        }
    )
    return d, ya, yb


def test_balanced_complete_data_reproduce_the_multivariate_linear_model(balanced) -> None:
    d, ya, yb = balanced
    res = mmrm(d, outcome="chg", subject="id", visit="week", treatment="arm", reference="placebo")
    n = len(ya) + len(yb)
    pooled = ((ya - ya.mean(0)).T @ (ya - ya.mean(0)) + (yb - yb.mean(0)).T @ (yb - yb.mean(0))) / (n - 2)
    np.testing.assert_allclose(res.covariance.to_numpy(), pooled, rtol=1e-7)
    ls = res.lsmeans.set_index(["arm", "week"])
    np.testing.assert_allclose(ls.loc["placebo", "estimate"], ya.mean(0), rtol=1e-9)
    np.testing.assert_allclose(ls.loc["active", "estimate"], yb.mean(0), rtol=1e-9)
    np.testing.assert_allclose(ls.loc["placebo", "se"], np.sqrt(np.diag(pooled) / len(ya)), rtol=1e-7)
    diff = res.differences
    np.testing.assert_allclose(diff["estimate"], yb.mean(0) - ya.mean(0), rtol=1e-9)
    np.testing.assert_allclose(diff["se"], np.sqrt(np.diag(pooled) * (1 / len(ya) + 1 / len(yb))), rtol=1e-7)
    np.testing.assert_allclose(diff["df"], n - 2, rtol=1e-5)
    np.testing.assert_allclose(ls["df"], n - 2, rtol=1e-5)
    assert res.convergence.converged and res.convergence.newton_decrement < 1e-12
    assert res.n_subjects == n and res.n_observations == 4 * n and res.n_parameters == 10


def test_result_reports_the_design_and_the_weighting(balanced) -> None:
    d, *_ = balanced
    d = d.assign(base=np.repeat(np.linspace(4, 7, d["id"].nunique()), 4))
    res = mmrm(d, outcome="chg", subject="id", visit="week", treatment="arm", baseline="base", reference="placebo")
    assert "unstructured" in res.method and "satterthwaite" in res.method
    assert "arm + week + base + arm x week + week x base" in res.design
    assert "base at its mean over the observations analysed (5.5)" in res.lsmean_weighting
    assert list(res.coefficients["term"][:4]) == ["(Intercept)", "armactive", "week4", "week8"]
    assert res.to_frame().shape == (4, 10)
    assert "MmrmResult(" in repr(res) and "lsmeans" not in repr(res)


def test_residual_df_option_uses_n_minus_p(balanced) -> None:
    d, *_ = balanced
    res = mmrm(d, outcome="chg", subject="id", visit="week", treatment="arm", df="residual")
    assert (res.differences["df"] == 4 * d["id"].nunique() - 8).all()
