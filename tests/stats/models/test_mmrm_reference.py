"""MMRM against a tightly converged nlme::gls (REML) with emmeans, on 36 generated trials.

Expected values come from ../r/mmrm_reference_*.csv, written by ../r/make_mmrm_reference.R from the data in
../r/mmrm_datasets.csv (balanced, monotone dropout, intermittent missing visits; 2 to 6 visits; 20 to 400
patients; 2 or 3 arms). The R script states how the reference is made tight (gls with tightened controls, then
Newton steps on the REML log-likelihood written out in R, then gls refitted at that optimum) and how the reference
Satterthwaite degrees of freedom come from the exact Hessian of the REML log-likelihood (numDeriv, Richardson).

Tolerances (the acceptance criteria of the MMRM issue): REML log-likelihood, fixed effects, standard errors, LS
means and differences 1e-6 relative (a fixed effect or estimate relative to the larger of its size and its
standard error, so that an estimate near zero is not judged on its rounding); degrees of freedom 1e-3 relative.
A few small trials run in the default suite; all 42 fits are marked slow.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from axspa.stats import mmrm

R = Path(__file__).parent.parent / "r"
DATA = pd.read_csv(R / "mmrm_datasets.csv")
FITS = pd.read_csv(R / "mmrm_reference_fits.csv")
COEF = pd.read_csv(R / "mmrm_reference_coef.csv")
LSMEANS = pd.read_csv(R / "mmrm_reference_lsmeans.csv", dtype={"week": str})
DIFFS = pd.read_csv(R / "mmrm_reference_differences.csv", dtype={"week": str})
SIGMA = pd.read_csv(R / "mmrm_reference_sigma.csv")
RTOL = 1e-6
DF_RTOL = 1e-3
CASES = [(int(r.dataset), str(r.structure)) for r in FITS.itertuples()]
QUICK = [
    (1, "unstructured"),
    (2, "compound_symmetry"),
    (9, "unstructured"),
    (11, "heterogeneous_ar1"),
    (19, "unstructured"),
]


def _case_id(case: tuple[int, str]) -> str:
    return f"{case[0]}-{case[1]}"


@cache
def _fit(dataset: int, structure: str):
    spec = FITS.loc[(FITS["dataset"] == dataset) & (FITS["structure"] == structure)].iloc[0]
    data = DATA.loc[DATA["dataset"] == dataset]
    res = mmrm(
        data,
        outcome="y",
        subject="id",
        visit="week",
        treatment="arm",
        baseline="base" if spec["baseline"] else None,
        covariates=["region"] if spec["region"] else [],
        covariance=structure,
        reference="placebo",
    )
    return spec, res


def _rel(ours, ref, scale=None) -> float:
    ours, ref = np.asarray(ours, dtype=float), np.asarray(ref, dtype=float)
    scale = np.abs(ref) if scale is None else np.maximum(np.abs(ref), np.asarray(scale, dtype=float))
    return float(np.max(np.abs(ours - ref) / scale))


def _check(dataset: int, structure: str) -> None:
    spec, res = _fit(dataset, structure)
    key = lambda t: (t["dataset"] == dataset) & (t["structure"] == structure)  # noqa: E731
    assert res.convergence.converged
    assert res.n_observations == spec["n_obs"]
    assert _rel(res.loglik, spec["loglik"]) < RTOL, (res.loglik, spec["loglik"])

    coef = COEF.loc[key(COEF)].set_index("term")
    ours = res.coefficients.set_index("term").loc[coef.index]
    assert len(coef) == len(res.coefficients)
    assert _rel(ours["estimate"], coef["estimate"], coef["se"]) < RTOL
    assert _rel(ours["se"], coef["se"]) < RTOL

    ls = LSMEANS.loc[key(LSMEANS)].set_index(["arm", "week"])
    mine = res.lsmeans.assign(week=res.lsmeans["week"].astype(str)).set_index(["arm", "week"]).loc[ls.index]
    assert _rel(mine["estimate"], ls["estimate"], ls["se"]) < RTOL
    assert _rel(mine["se"], ls["se"]) < RTOL
    assert _rel(mine["df"], ls["df"]) < DF_RTOL, (mine["df"].to_numpy(), ls["df"].to_numpy())

    diff = DIFFS.loc[key(DIFFS)].set_index(["contrast", "week"])
    d = res.differences
    d = d.assign(contrast=d["arm"] + " - " + d["reference"], week=d["week"].astype(str)).set_index(["contrast", "week"])
    d = d.loc[diff.index]
    assert _rel(d["estimate"], diff["estimate"], diff["se"]) < RTOL
    assert _rel(d["se"], diff["se"]) < RTOL
    assert _rel(d["df"], diff["df"]) < DF_RTOL, (d["df"].to_numpy(), diff["df"].to_numpy())

    sig = SIGMA.loc[key(SIGMA)]
    fitted = res.covariance.to_numpy()[sig["row"] - 1, sig["col"] - 1]
    scale = np.sqrt(np.diag(res.covariance.to_numpy()))
    assert _rel(fitted, sig["value"], scale[sig["row"] - 1] * scale[sig["col"] - 1]) < RTOL


def test_the_reference_covers_the_acceptance_grid() -> None:
    un = FITS.loc[FITS["structure"] == "unstructured"]
    assert len(un) >= 30
    assert set(un["missing"]) == {"balanced", "monotone", "intermittent"}
    assert un["visits"].min() == 2 and un["visits"].max() == 6
    assert un["n"].min() == 20 and un["n"].max() == 400
    assert {"compound_symmetry", "heterogeneous_ar1"} <= set(FITS["structure"])
    # the R side agrees with itself: nlme's log-likelihood at the polished optimum is the one written out in R,
    # and polishing never lowered what the tight gls fit reached
    assert np.allclose(FITS["loglik"], FITS["loglik_polished_r"], rtol=1e-10, atol=0)
    assert (FITS["loglik_polished_r"] >= FITS["loglik_gls_tight"] - 1e-9).all()


@pytest.mark.parametrize("case", QUICK, ids=_case_id)
def test_mmrm_agrees_with_gls_on_small_trials(case: tuple[int, str]) -> None:
    _check(*case)


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if c not in QUICK], ids=_case_id)
def test_mmrm_agrees_with_gls(case: tuple[int, str]) -> None:
    _check(*case)
