"""Proportions and 2x2 tests: intervals checked against R, conventions, properties and input errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axspa.errors import InputError
from axspa.stats import (
    barnard,
    binomial_ci,
    binomial_test,
    boschloo,
    chi_square_2x2,
    fisher,
    mcnemar,
    table_2x2,
)


def _r3(ci: object) -> tuple[float, float]:
    return round(ci.low, 3), round(ci.high, 3)  # type: ignore[attr-defined]


def test_spec_checks_for_the_reference_study() -> None:
    # R 4: binom.test(8, 10)$conf.int 0.4439045-0.9747893; prop.test(8, 10, correct = FALSE)$conf.int
    # 0.4901625-0.9433178; binom.test(8, 13)$conf.int 0.3157776-0.8614207
    assert _r3(binomial_ci(8, 10)) == (0.444, 0.975)
    assert _r3(binomial_ci(8, 10, method="wilson")) == (0.490, 0.943)
    assert _r3(binomial_ci(8, 13)) == (0.316, 0.861)


def test_all_responders_is_not_a_degenerate_interval() -> None:
    # 8/8: Wald would give [1, 1]; the exact interval is [(alpha/2)^(1/8), 1]
    ci = binomial_ci(8, 8)
    assert ci.high == 1.0 and ci.low == pytest.approx(0.025 ** (1 / 8), rel=1e-12)
    zero = binomial_ci(0, 8)
    assert zero.low == 0.0 and zero.high == pytest.approx(1 - 0.025 ** (1 / 8), rel=1e-12)
    for method in ("wilson", "jeffreys"):
        assert binomial_ci(8, 8, method=method).high == 1.0
        assert binomial_ci(0, 8, method=method).low == 0.0


@given(
    st.integers(1, 200).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.sampled_from(("clopper-pearson", "wilson", "jeffreys")),
    st.sampled_from((0.8, 0.9, 0.95, 0.99)),
)
def test_interval_contains_the_estimate_and_widens_with_level(case: tuple[int, int], method: str, level: float) -> None:
    x, n = case
    ci = binomial_ci(x, n, method=method, confidence_level=level)
    assert 0.0 <= ci.low <= ci.proportion <= ci.high <= 1.0
    wider = binomial_ci(x, n, method=method, confidence_level=min(0.999, level + 0.009))
    assert wider.low <= ci.low + 1e-15 and wider.high >= ci.high - 1e-15


def test_results_record_method_and_frame() -> None:
    ci = binomial_ci(8, 13, method="jeffreys")
    assert ci.method == "jeffreys" and ci.to_frame().loc[0, "n"] == 13
    assert "method='jeffreys'" in repr(ci)
    res = fisher([[8, 2], [3, 7]], alternative="greater")
    assert (res.method, res.alternative) == ("fisher", "greater")
    assert "table" not in res.to_frame().columns
    assert chi_square_2x2([[8, 2], [3, 7]], correction=True).method == "chi-square (Yates)"
    assert mcnemar([[5, 1], [7, 2]]).method == "mcnemar exact"
    assert mcnemar([[5, 3], [3, 2]], method="asymptotic").correction is False  # b = c: R applies none
    assert barnard([[7, 12], [8, 3]], pooled=False).method == "barnard (unpooled)"


def test_table_builder() -> None:
    tab = table_2x2(successes_a=8, n_a=10, successes_b=3, n_b=13)
    assert tab.tolist() == [[8, 2], [3, 10]]
    with pytest.raises(InputError, match="successes must be between 0 and n=10; got 11"):
        table_2x2(successes_a=11, n_a=10, successes_b=3, n_b=13)


@given(st.lists(st.integers(0, 12), min_size=4, max_size=4), st.sampled_from(("less", "greater")))
def test_boschloo_is_at_least_as_powerful_as_fisher(cells: list[int], alt: str) -> None:
    tab = np.array(cells).reshape(2, 2)
    if (tab.sum(axis=0) == 0).any():
        return
    # one-sided Boschloo p <= one-sided Fisher p (Boschloo 1970), up to the nuisance grid
    assert boschloo(tab, alternative=alt).pvalue <= fisher(tab, alternative=alt).pvalue + 1e-12


def test_mcnemar_exact_without_discordant_pairs() -> None:
    assert mcnemar([[4, 0], [0, 6]]).pvalue == 1.0
    with pytest.raises(InputError, match="needs discordant pairs"):
        mcnemar([[4, 0], [0, 6]], method="asymptotic")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: binomial_ci(11, 10), "successes must be between 0 and n=10; got 11"),
        (lambda: binomial_ci(3, 0), "n must be an integer >= 1; got 0"),
        (
            lambda: binomial_ci(3, 10, method="wald"),
            "method must be one of 'clopper-pearson', 'wilson', 'jeffreys'",
        ),
        (lambda: binomial_ci(3, 10, confidence_level=95), "confidence_level must be in \\(0, 1\\)"),
        (lambda: binomial_ci(2.5, 10), "successes must be an integer >= 0; got 2.5"),
        (lambda: binomial_test(3, 10, p=1.5), "p must be a probability in \\(0, 1\\); got 1.5"),
        (lambda: fisher([[1, 2, 3], [4, 5, 6]]), "table must be a 2x2 array of counts; got shape \\(2, 3\\)"),
        (lambda: fisher([[1, -2], [3, 4]]), "table must hold non-negative whole counts"),
        (lambda: chi_square_2x2([[0, 0], [3, 4]]), "needs non-zero margins"),
        (lambda: mcnemar([[1, 2], [3, 4]], method="mid-p"), "method must be one of 'exact', 'asymptotic'"),
        (lambda: fisher([[1, 2], [3, 4]], alternative="two.sided"), "alternative must be one of"),
    ],
)
def test_input_errors(call: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        call()  # type: ignore[operator]
