"""Bad input to ancova and mmrm: each a clear error naming the problem; a fit that cannot converge raises."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from axspa.errors import ComputationError, InputError
from axspa.stats import ancova, mmrm


def _long(n: int = 12, visits: tuple[int, ...] = (4, 8, 12), seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    d = pd.DataFrame(
        {
            "id": np.repeat([f"P{i:02d}" for i in range(n)], len(visits)),
            "week": np.tile(visits, n),
            "arm": np.repeat(np.where(np.arange(n) % 2 == 0, "placebo", "active"), len(visits)),
            "base": np.repeat(rng.normal(6.0, 1.0, n), len(visits)),
        }
    )
    d["chg"] = rng.normal(-1.0, 1.0, len(d))
    return d


def _mmrm(d: pd.DataFrame, **kw):
    return mmrm(d, outcome="chg", subject="id", visit="week", treatment="arm", **kw)


def test_mmrm_visit_with_one_observation() -> None:
    d = _long()
    d.loc[(d["week"] == 12) & (d["id"] != "P03"), "chg"] = np.nan
    with pytest.raises(InputError, match=r"visit 12 has 1 observation\(s\)"):
        _mmrm(d)


def test_mmrm_singular_design_names_the_aliased_column() -> None:
    d = _long()
    d.loc[(d["week"] == 12) & (d["arm"] == "active"), "chg"] = np.nan  # no active patient seen at week 12
    with pytest.raises(InputError, match=r"design is singular.*'armplacebo:week12'"):
        _mmrm(d, reference="active")


def test_mmrm_treatment_with_one_level() -> None:
    d = _long().assign(arm="placebo")
    with pytest.raises(InputError, match=r"treatment column 'arm' must have at least two arms.*'placebo'"):
        _mmrm(d)


def test_mmrm_non_numeric_outcome() -> None:
    d = _long()
    d["chg"] = d["chg"].map(lambda v: f"{v:.2f}")
    with pytest.raises(InputError, match=r"outcome column 'chg' must be numeric.*dtype (object|str)"):
        _mmrm(d)


def test_mmrm_non_numeric_baseline() -> None:
    d = _long().assign(base="high")
    with pytest.raises(InputError, match=r"baseline column 'base' must be numeric"):
        _mmrm(d, baseline="base")


def test_mmrm_two_rows_for_one_patient_and_visit() -> None:
    d = _long()
    d = pd.concat([d, d.iloc[[4]]], ignore_index=True)
    with pytest.raises(InputError, match=r"subject 'P01' has 2 rows at visit 8"):
        _mmrm(d)


def test_mmrm_patient_in_two_arms() -> None:
    d = _long()
    d.loc[(d["id"] == "P02") & (d["week"] == 12), "arm"] = "active"
    with pytest.raises(InputError, match=r"subject 'P02' is in more than one arm"):
        _mmrm(d)


def test_mmrm_single_visit_points_to_ancova() -> None:
    with pytest.raises(InputError, match=r"at least two visits.*use ancova"):
        _mmrm(_long(visits=(12,)))


def test_mmrm_missing_column_and_unknown_options() -> None:
    with pytest.raises(InputError, match=r"baseline column 'basdai_base' is not in data"):
        _mmrm(_long(), baseline="basdai_base")
    with pytest.raises(InputError, match=r"covariance must be one of"):
        _mmrm(_long(), covariance="toeplitz")
    with pytest.raises(InputError, match=r"df must be one of"):
        _mmrm(_long(), df="kenward-roger")
    with pytest.raises(InputError, match=r"data must be a pandas DataFrame"):
        mmrm([1, 2], outcome="chg", subject="id", visit="week", treatment="arm")


def test_mmrm_that_cannot_converge_raises_with_the_reason() -> None:
    # week 8 repeats week 4 exactly (plus a constant): the residual covariance is singular, the REML
    # log-likelihood grows without bound towards the boundary, and no optimum exists.
    d = _long(n=16)
    w4 = d.loc[d["week"] == 4, "chg"].to_numpy()
    d.loc[d["week"] == 8, "chg"] = w4 + 0.5
    with pytest.raises(ComputationError, match=r"did not converge: .+"):
        _mmrm(d)


def _wide(n: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    return pd.DataFrame(
        {"arm": np.where(np.arange(n) % 2 == 0, "P", "A"), "base": rng.normal(6, 1, n), "chg": rng.normal(-1, 1, n)}
    )


def test_ancova_bad_input() -> None:
    d = _wide()
    with pytest.raises(InputError, match=r"outcome column 'arm' must be numeric"):
        ancova(d, outcome="arm", treatment="chg")
    with pytest.raises(InputError, match=r"treatment column 'arm' must have at least two arms.*'P'"):
        ancova(d.assign(arm="P"), outcome="chg", treatment="arm")
    with pytest.raises(InputError, match=r"design is singular.*'base2'"):
        ancova(d.assign(base2=d["base"] * 2), outcome="chg", treatment="arm", covariates=["base", "base2"])
    with pytest.raises(InputError, match=r"interval must be one of 't', 'normal'"):
        ancova(d, outcome="chg", treatment="arm", interval="z")
    with pytest.raises(InputError, match=r"reference must be one of the arms"):
        ancova(d, outcome="chg", treatment="arm", reference="placebo")
    with pytest.raises(InputError, match=r"covariate column 'arm' must be numeric"):
        ancova(d, outcome="chg", treatment="arm", covariates=["arm"])
