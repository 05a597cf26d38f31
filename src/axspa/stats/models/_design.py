"""Model frames and design matrices shared by the linear models (ANCOVA, MMRM).

A model is a list of terms; a term is a product of components; a component is a factor (treatment coding: one
indicator column per level after the reference, named ``column + level`` as R names them) or a numeric column.
The same terms evaluated on a reference grid (factors at a chosen level or averaged with stated weights, numeric
columns at their mean) give the rows of least-squares means, so the fit and the LS means cannot disagree about
the design.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import linalg
from scipy import stats as sps
from threadpoolctl import threadpool_limits

from axspa.errors import InputError
from axspa.stats._results import HIDDEN, Result

FloatArray = npt.NDArray[np.float64]


_P = ParamSpec("_P")
_R = TypeVar("_R")


def serial_blas(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` with BLAS limited to one thread (threadpoolctl), for model fits made of many small products.

    A threaded BLAS spends more time waking and waiting for its threads than multiplying when the
    products are small and the machine is busy. Measured on the 2-core development machine under load: the
    cross products of one MMRM pattern (80,000 x 63) took 2.5 s with OpenBLAS's two threads and 0.04 s on
    one; the 1,000,000-visit analysis spent most of its model time so.
    """

    @functools.wraps(func)
    def on_one_thread(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with threadpool_limits(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    return on_one_thread


def level_label(value: object) -> str:
    """A level as R prints it in a coefficient name (``4.0`` as ``4``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Factor:
    """A categorical column coded by treatment contrasts against its first level."""

    column: str
    levels: tuple[object, ...]
    codes: npt.NDArray[np.intp]

    @property
    def names(self) -> list[str]:
        return [f"{self.column}{level_label(v)}" for v in self.levels[1:]]

    def indicators(self, codes: npt.NDArray[np.intp]) -> FloatArray:
        """Indicator columns (levels after the first) for the given level codes."""
        return (codes[:, None] == np.arange(1, len(self.levels))[None, :]).astype(np.float64)

    def weights(self, weighting: str) -> FloatArray:
        """The averaging weights of the levels: equal, or the observed proportions."""
        k = len(self.levels)
        if weighting == "equal":
            return np.full(k, 1.0 / k)
        return np.bincount(self.codes, minlength=k) / self.codes.size


@dataclass(frozen=True)
class Numeric:
    """A numeric column entering the model linearly."""

    column: str
    values: FloatArray

    @property
    def names(self) -> list[str]:
        return [self.column]


Component = Factor | Numeric


@dataclass(frozen=True, repr=False, slots=True)
class ModelFit(Result):
    """What every model fit reports: the arms, the design and the LS-means weighting in words, the tables.

    The tables are DataFrames kept out of the repr; :meth:`to_frame` returns ``differences``.
    """

    outcome: str
    treatment: str
    reference: object
    n_excluded: int
    confidence_level: float
    method: str
    design: str
    lsmean_weighting: str
    lsmeans: pd.DataFrame = field(metadata=HIDDEN)
    differences: pd.DataFrame = field(metadata=HIDDEN)
    coefficients: pd.DataFrame = field(metadata=HIDDEN)

    def to_frame(self) -> pd.DataFrame:
        """The differences against the reference arm (a copy)."""
        return self.differences.copy()


def check_frame(data: object, columns: dict[str, str | None]) -> pd.DataFrame:
    """Check that ``data`` is a DataFrame holding every named column (role -> column name)."""
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a pandas DataFrame (one row per observation); got {type(data).__name__}")
    for role, column in columns.items():
        if column is None:
            continue
        if column not in data.columns:
            known = ", ".join(repr(c) for c in list(data.columns)[:12])
            raise InputError(f"{role} column {column!r} is not in data; its columns are {known}")
    return data


def numeric_column(data: pd.DataFrame, column: str, role: str) -> FloatArray:
    """A column of real numbers (NaN for missing); text, booleans and dates are errors naming a value."""
    series = data[column]
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        bad = series[series.notna()]
        first = f"; first value {bad.iloc[0]!r} in row {bad.index[0]!r}" if len(bad) else ""
        raise InputError(
            f"{role} column {column!r} must be numeric (real numbers, NaN for missing); got dtype {dtype}{first}. "
            "Numeric strings are never parsed: convert the column first"
        )
    if pd.api.types.is_complex_dtype(dtype):
        raise InputError(f"{role} column {column!r} must hold real numbers; got complex dtype {dtype}")
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(values).any():
        rows = series.index[np.isinf(values)][:5].tolist()
        raise InputError(f"{role} column {column!r} must be finite; got infinite values in rows {rows}")
    return values


def factor(data: pd.DataFrame, column: str, role: str, keep: npt.NDArray[np.bool_]) -> Factor:
    """Code a column as a factor over the rows kept: categorical order if categorical, else sorted levels."""
    series = data[column][keep]
    if isinstance(series.dtype, pd.CategoricalDtype):
        used = set(series.dropna().unique().tolist())
        levels = tuple(c for c in series.cat.categories if c in used)
    else:
        try:
            levels = tuple(sorted(series.dropna().unique().tolist()))
        except TypeError as exc:
            raise InputError(f"{role} column {column!r} mixes values that cannot be ordered ({exc})") from exc
    lookup = {v: i for i, v in enumerate(levels)}
    codes = np.array([lookup[v] for v in series.tolist()], dtype=np.intp)
    return Factor(column, levels, codes)


def missing_mask(data: pd.DataFrame, columns: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Rows where any of the columns is missing."""
    return np.asarray(data[list(columns)].isna().any(axis=1).to_numpy(), dtype=bool)


def term_columns(components: Sequence[tuple[list[str], FloatArray]]) -> tuple[list[str], FloatArray]:
    """The columns of a product term: the row-wise Kronecker product of its components' columns."""
    names, values = components[0]
    for more_names, more in components[1:]:
        values = (values[:, :, None] * more[:, None, :]).reshape(values.shape[0], -1)
        names = [f"{a}:{b}" for a in names for b in more_names]
    return names, values


def assemble(terms: Sequence[Sequence[tuple[list[str], FloatArray]]], n: int) -> tuple[list[str], FloatArray]:
    """Intercept plus every term's columns."""
    names = ["(Intercept)"]
    blocks = [np.ones((n, 1))]
    for term in terms:
        term_names, block = term_columns(term)
        names.extend(term_names)
        blocks.append(block)
    return names, np.hstack(blocks)


def check_rank(x: FloatArray, names: Sequence[str]) -> None:
    """Raise if the design is singular, naming the columns that are combinations of the others."""
    if x.shape[0] < x.shape[1]:
        raise InputError(
            f"the design is singular: {x.shape[0]} observations for {x.shape[1]} fixed-effect coefficients"
        )
    # Pivoted QR of a p x p square root of the scaled Gram matrix: the same pivots and |R| as of x itself, at a
    # fraction of the cost for long designs. Its precision (about 1e-8) is ample to find structural aliasing.
    norms = np.sqrt((x * x).sum(axis=0))
    scaled = x / np.where(norms > 0, norms, 1.0)
    values, vectors = np.linalg.eigh(scaled.T @ scaled)
    root = np.sqrt(np.clip(values, 0.0, None))[:, None] * vectors.T
    _, r, piv = linalg.qr(root, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    tol = 1e-7 * max(float(diag.max()), 1.0)
    rank = int((diag > tol).sum())
    if rank < x.shape[1]:
        aliased = ", ".join(repr(names[i]) for i in sorted(piv[rank:]))
        raise InputError(
            f"the design is singular (rank {rank} of {x.shape[1]} columns): {aliased} is a linear combination of "
            "the other columns. Is a combination of factor levels empty, or a covariate constant?"
        )


def t_inference(estimate: FloatArray, se: FloatArray, df: FloatArray, confidence_level: float) -> dict[str, FloatArray]:
    """Statistic, two-sided p-value and interval on t(df) (a normal reference where df is infinite)."""
    stat = estimate / se
    pvalue = 2.0 * sps.t.sf(np.abs(stat), df)
    q = sps.t.ppf(0.5 + confidence_level / 2.0, df)
    return {"statistic": stat, "pvalue": pvalue, "low": estimate - q * se, "high": estimate + q * se}


def treatment_factor(data: pd.DataFrame, column: str, keep: npt.NDArray[np.bool_], reference: object) -> Factor:
    """The treatment factor with the reference arm first; one level only is an error."""
    arm = factor(data, column, "treatment", keep)
    if len(arm.levels) < 2:
        only = arm.levels[0] if arm.levels else "none"
        raise InputError(
            f"treatment column {column!r} must have at least two arms among the rows analysed; got one level ({only!r})"
        )
    if reference is None:
        return arm
    if reference not in arm.levels:
        raise InputError(f"reference must be one of the arms {list(arm.levels)!r}; got {reference!r}")
    order = [reference] + [v for v in arm.levels if v != reference]
    lookup = {arm.levels.index(v): i for i, v in enumerate(order)}
    codes = np.array([lookup[c] for c in arm.codes.tolist()], dtype=np.intp)
    return Factor(column, tuple(order), codes)


def data_columns(component: Component) -> tuple[list[str], FloatArray]:
    """A component's columns over the rows analysed."""
    if isinstance(component, Factor):
        return component.names, component.indicators(component.codes)
    return component.names, component.values[:, None]


def grid_component(component: Component, at: int | None, weighting: str) -> tuple[list[str], FloatArray]:
    """One component evaluated at one grid point: a factor at level ``at`` (or averaged), a covariate at its mean."""
    if isinstance(component, Numeric):
        return component.names, np.array([[component.values.mean()]])
    if at is None:
        return component.names, component.weights(weighting)[None, 1:]
    return component.names, component.indicators(np.array([at], dtype=np.intp))
