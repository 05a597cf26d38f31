"""Covariance structures of the within-patient errors of an MMRM, each with its derivatives.

Every structure maps an unconstrained parameter vector theta to a positive definite T x T matrix Sigma and gives
dSigma/dtheta_k for each k, which is all the REML gradient needs (:mod:`axspa.stats.models.mmrm`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from axspa.stats.models._design import FloatArray


class Structure(ABC):
    """A covariance structure over ``t`` visits (each concrete structure gives the three methods)."""

    name = ""
    description = ""

    def __init__(self, t: int) -> None:
        self.t = t

    @abstractmethod
    def n_params(self) -> int:
        """Number of parameters in theta."""

    @abstractmethod
    def sigma(self, theta: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Sigma (t x t) and its derivatives (k x t x t) at theta."""

    @abstractmethod
    def start(self, s0: FloatArray) -> FloatArray:
        """Starting values from a moment estimate ``s0`` of Sigma (positive definite)."""


class Unstructured(Structure):
    r"""Sigma = L L' with L lower triangular; theta lists the rows of L with the diagonal on the log scale."""

    name = "unstructured"
    description = "unstructured (one variance per visit, one covariance per pair; Cholesky factor, log diagonal)"

    def __init__(self, t: int) -> None:
        super().__init__(t)
        self.rows, self.cols = np.tril_indices(t)
        self.diag = self.rows == self.cols

    def n_params(self) -> int:
        return self.rows.size

    def sigma(self, theta: FloatArray) -> tuple[FloatArray, FloatArray]:
        values = np.where(self.diag, np.exp(np.where(self.diag, theta, 0.0)), theta)
        chol = np.zeros((self.t, self.t))
        chol[self.rows, self.cols] = values
        k = np.arange(self.rows.size)
        d_chol = np.zeros((k.size, self.t, self.t))
        d_chol[k, self.rows, self.cols] = np.where(self.diag, values, 1.0)
        half = d_chol @ chol.T
        return chol @ chol.T, half + half.transpose(0, 2, 1)

    def start(self, s0: FloatArray) -> FloatArray:
        chol = np.linalg.cholesky(s0)
        values = chol[self.rows, self.cols]
        return np.where(self.diag, np.log(np.where(self.diag, values, 1.0)), values)


class CompoundSymmetry(Structure):
    r"""Sigma = s2 ((1 - rho) I + rho J); theta = (log s2, z) with rho = (e^z - 1) / (e^z + t - 1)."""

    name = "compound_symmetry"
    description = "compound symmetry (one variance, one correlation for every pair of visits)"

    def n_params(self) -> int:
        return 2

    def _rho(self, z: float) -> tuple[float, float]:
        e = np.exp(z)
        return (e - 1.0) / (e + self.t - 1.0), e * self.t / (e + self.t - 1.0) ** 2

    def sigma(self, theta: FloatArray) -> tuple[FloatArray, FloatArray]:
        s2 = float(np.exp(theta[0]))
        rho, d_rho = self._rho(float(theta[1]))
        eye, ones = np.eye(self.t), np.ones((self.t, self.t))
        sig = s2 * ((1.0 - rho) * eye + rho * ones)
        return sig, np.stack([sig, s2 * d_rho * (ones - eye)])

    def start(self, s0: FloatArray) -> FloatArray:
        s2 = float(np.mean(np.diag(s0)))
        off = float((s0.sum() - np.trace(s0)) / (self.t * (self.t - 1))) / s2
        rho = min(max(off, -0.5 / (self.t - 1)), 0.95)
        return np.array([np.log(s2), np.log((1.0 + (self.t - 1.0) * rho) / (1.0 - rho))])


class HeterogeneousAR1(Structure):
    r"""Sigma_jk = s_j s_k rho^|j - k| (visits by position); theta = (log s_1, ..., log s_t, atanh rho)."""

    name = "heterogeneous_ar1"
    description = (
        "heterogeneous first-order autoregressive (one SD per visit, correlation rho^|j - k| by position in the "
        "visit schedule)"
    )

    def __init__(self, t: int) -> None:
        super().__init__(t)
        idx = np.arange(t)
        self.lag = np.abs(idx[:, None] - idx[None, :]).astype(np.float64)

    def n_params(self) -> int:
        return self.t + 1

    def sigma(self, theta: FloatArray) -> tuple[FloatArray, FloatArray]:
        sd = np.exp(theta[: self.t])
        rho = float(np.tanh(theta[self.t]))
        corr = rho**self.lag
        sig = np.outer(sd, sd) * corr
        d = np.zeros((self.t + 1, self.t, self.t))
        for j in range(self.t):
            d[j, j, :] += sig[j, :]
            d[j, :, j] += sig[:, j]
        lag_minus = np.where(self.lag > 0, self.lag - 1.0, 0.0)
        d[self.t] = np.outer(sd, sd) * self.lag * rho**lag_minus * (1.0 - rho**2)
        return sig, d

    def start(self, s0: FloatArray) -> FloatArray:
        sd = np.sqrt(np.diag(s0))
        lag1 = np.diag(s0, 1) / (sd[:-1] * sd[1:])
        rho = float(np.clip(np.mean(lag1), -0.9, 0.9))
        return np.concatenate([np.log(sd), [np.arctanh(rho)]])


def structure(name: str, t: int) -> Structure:
    """The covariance structure called ``name`` over ``t`` visits."""
    classes: dict[str, type[Structure]] = {
        "unstructured": Unstructured,
        "compound_symmetry": CompoundSymmetry,
        "heterogeneous_ar1": HeterogeneousAR1,
    }
    return classes[name](t)
