"""r = Z / sqrt(N) is offered only with N's basis and the Z stated."""

from __future__ import annotations

import math

import pytest

from axspa.errors import InputError
from axspa.stats import signed_rank_z_effect_size, wilcoxon_signed_rank


def test_r_over_pairs_and_observations_differ_by_sqrt_2():
    # Differences 1..10, all positive: R+ = 55, E = 27.5, Var = 10*11*21/24 = 96.25, Z = 27.5/sqrt(96.25).
    res = wilcoxon_signed_rank(list(range(1, 11)), method="asymptotic", correction=False)
    z = 27.5 / math.sqrt(96.25)
    pairs = signed_rank_z_effect_size(res, n_basis="pairs")
    observations = signed_rank_z_effect_size(res, n_basis="observations")
    assert pairs.r == pytest.approx(z / math.sqrt(10), rel=1e-12)
    assert observations.r == pytest.approx(z / math.sqrt(20), rel=1e-12)
    assert (pairs.n, observations.n) == (10, 20)
    assert "without continuity correction" in pairs.z_description


def test_continuity_corrected_z_is_named():
    # With correction: Z = (27.5 - 0.5) / sqrt(96.25).
    res = wilcoxon_signed_rank(list(range(1, 11)), method="asymptotic", correction=True)
    effect = signed_rank_z_effect_size(res, n_basis="pairs")
    assert effect.z == pytest.approx(27.0 / math.sqrt(96.25), rel=1e-12)
    assert "with continuity correction" in effect.z_description


def test_exact_test_has_no_z():
    res = wilcoxon_signed_rank([1, 2, 3, -4, 5], method="exact")
    with pytest.raises(InputError, match="needs the Z of an asymptotic test"):
        signed_rank_z_effect_size(res, n_basis="pairs")


def test_n_basis_is_required_and_checked():
    res = wilcoxon_signed_rank([1, 2, 3, -4, 5], method="asymptotic")
    with pytest.raises(InputError, match="n_basis must be 'pairs' or 'observations'"):
        signed_rank_z_effect_size(res, n_basis="patients")  # type: ignore[arg-type]
