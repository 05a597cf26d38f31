"""ANCOVA against R's lm and emmeans (relative agreement 1e-8).

Expected values come from ../r/ancova_reference_*.csv, written by ../r/make_ancova_reference.R from the data in
../r/ancova_datasets.csv: lm(y ~ arm + covariates + strata), emmeans(~ arm) with equal and proportional weights,
trt.vs.ctrl contrasts against placebo, t intervals on the residual df and normal ones (df = Inf).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from axspa.stats import ancova

R = Path(__file__).parent.parent / "r"
DATA = pd.read_csv(R / "ancova_datasets.csv")
FITS = pd.read_csv(R / "ancova_reference_fits.csv", keep_default_na=False)
COEF = pd.read_csv(R / "ancova_reference_coef.csv")
LSMEANS = pd.read_csv(R / "ancova_reference_lsmeans.csv")
DIFFS = pd.read_csv(R / "ancova_reference_differences.csv")
RTOL = 1e-8


@cache
def _fit(dataset: int, interval: str = "t", weighting: str = "equal"):
    spec = FITS.loc[FITS["dataset"] == dataset].iloc[0]
    covariates = [c for c in spec["covariates"].split(";") if c]
    strata = [s for s in spec["strata"].split(";") if s]
    data = DATA.loc[DATA["dataset"] == dataset]
    return spec, ancova(
        data,
        outcome="y",
        treatment="arm",
        covariates=covariates,
        strata=strata,
        reference="placebo",
        interval=interval,
        strata_weighting=weighting,
    )


def _assert_close(ours, ref, what: str) -> None:
    ours, ref = np.asarray(ours, dtype=float), np.asarray(ref, dtype=float)
    assert ref.size > 0, (what, "no reference rows selected")  # np.allclose of two empty arrays is True
    both_inf = np.isinf(ours) & np.isinf(ref)
    assert np.allclose(np.where(both_inf, 0, ours), np.where(both_inf, 0, ref), rtol=RTOL, atol=0), (what, ours, ref)


def test_the_reference_covers_the_cases() -> None:
    assert len(FITS) == 12
    assert (FITS["strata"] != "").sum() >= 6 and (FITS["covariates"] == "").sum() >= 2
    assert DATA["y"].isna().any()


@pytest.mark.parametrize("dataset", sorted(FITS["dataset"]))
def test_fit_coefficients_and_residual_sd_agree_with_lm(dataset: int) -> None:
    spec, res = _fit(dataset)
    assert res.n == spec["n"] and res.residual_df == spec["df_residual"]
    assert res.n_excluded == int((DATA["dataset"] == dataset).sum()) - spec["n"]
    _assert_close(res.residual_sd, spec["sigma"], "sigma")
    _assert_close(res.rms_residual, spec["rms"], "rms")
    ref = COEF.loc[COEF["dataset"] == dataset].set_index("term")
    ours = res.coefficients.set_index("term").loc[ref.index]
    for col in ("estimate", "se", "statistic", "pvalue"):
        _assert_close(ours[col], ref[col], col)


@pytest.mark.parametrize("interval", ["t", "normal"])
@pytest.mark.parametrize("weighting", ["equal", "proportional"])
@pytest.mark.parametrize("dataset", sorted(FITS["dataset"]))
def test_lsmeans_agree_with_emmeans(dataset: int, interval: str, weighting: str) -> None:
    _, res = _fit(dataset, interval, weighting)
    sel = (LSMEANS["dataset"] == dataset) & (LSMEANS["interval"] == interval) & (LSMEANS["weighting"] == weighting)
    ref = LSMEANS.loc[sel].set_index("arm")
    ours = res.lsmeans.set_index("arm").loc[ref.index]
    for col in ("estimate", "se", "df", "low", "high"):
        _assert_close(ours[col], ref[col], col)


@pytest.mark.parametrize("interval", ["t", "normal"])
@pytest.mark.parametrize("dataset", sorted(FITS["dataset"]))
def test_differences_agree_with_emmeans_contrasts(dataset: int, interval: str) -> None:
    _, res = _fit(dataset, interval)
    ref = DIFFS.loc[(DIFFS["dataset"] == dataset) & (DIFFS["interval"] == interval)]
    ours = res.differences.assign(contrast=res.differences["arm"] + " - " + res.differences["reference"])
    ours = ours.set_index("contrast").loc[ref["contrast"]]
    for col in ("estimate", "se", "df", "low", "high", "statistic", "pvalue"):
        _assert_close(ours[col], ref[col].to_numpy(), col)
