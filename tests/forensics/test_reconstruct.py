"""reconstruct_paired: every returned sample is re-checked here with code independent of the library
(exact rational means and SDs, and a brute-force enumeration of all 2^m sign patterns for the
exact signed-rank p-value, scipy for the normal approximation)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pytest
from forensics_checks import assert_reproduces, mean_sd, reference_p
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from axspa.errors import InputError
from axspa.forensics import SearchProgress, SignedRankConvention, reconstruct_paired

# ---------------------------------------------------------------- behaviour


def test_docstring_like_case_and_frame():
    kw = dict(n=8, grid="0.1", lower=0, upper=10, bm="5.2", bs="2.6", fm="3.1", fs="2.1", p="0.0078")
    conv = SignedRankConvention()
    r = reconstruct_paired(
        n=8, grid="0.1", lower=0, upper=10, baseline_mean="5.2", baseline_sd="2.6",
        followup_mean="3.1", followup_sd="2.1", p="0.0078", seed=3,
    )  # fmt: skip
    assert_reproduces(r, conv=conv, **kw)
    frame = r.to_frame()
    assert list(frame.columns) == ["baseline", "followup", "difference"]
    assert len(frame) == 8
    assert "found" in repr(r)


def test_deterministic_under_a_seed():
    kw = dict(
        n=8, grid=1, lower=0, upper=200, baseline_mean="69.5", baseline_sd="21.2",
        followup_mean="34.2", followup_sd="28", p="0.0156",
    )  # fmt: skip
    a = reconstruct_paired(seed=11, **kw)
    b = reconstruct_paired(seed=11, **kw)
    c = reconstruct_paired(seed=np.random.default_rng(11), **kw)
    assert a.found and (a.baseline, a.followup) == (b.baseline, b.followup) == (c.baseline, c.followup)


def test_impossible_exact_p_is_reported_without_search():
    # Two-sided exact p-values are 2 c / 2^m; with m <= 10 none lies in [0.0065, 0.0075] (see
    # test_plattice), so "0.007" cannot come from an exact two-sided test, tied or not.
    r = reconstruct_paired(
        n=10, grid="0.01", lower=0, upper=10, baseline_mean="5.39", baseline_sd="2.33",
        followup_mean="3.78", followup_sd="1.67", p="0.007",
    )  # fmt: skip
    assert not r.found
    assert r.reason.startswith("impossible: no exact two-sided")
    assert r.iterations == 0
    assert "NOT FOUND" in repr(r)
    assert r.to_frame().empty


def test_grimmer_failure_is_reported():
    # "70.03" from 10 integers fails GRIM (sums in [700.25, 700.35]).
    r = reconstruct_paired(
        n=10, grid=1, lower=0, upper=200, baseline_mean="70.03", baseline_sd="21.16",
        followup_mean="39.34", followup_sd="11.42", p="0.014",
    )  # fmt: skip
    assert not r.found
    assert "baseline mean and SD fail GRIMMER" in r.reason


def test_search_is_bounded_and_says_it_is_not_a_proof():
    # Baseline all 1.0 and follow-up all 9.0 (SDs of 0): every difference is +8, so R+ = 36 and the
    # exact two-sided p is 2 / 256 = 0.0078, never 0.0156. Nothing can be moved; the search must stop.
    r = reconstruct_paired(
        n=8, grid="0.1", lower=0, upper=10, baseline_mean="1.0", baseline_sd="0.0",
        followup_mean="9.0", followup_sd="0.0", p="0.0156", max_iter=500,
    )  # fmt: skip
    assert not r.found
    assert r.iterations <= 500
    assert "not a proof" in r.reason


def test_progress_callback_and_stderr(capsys):
    seen: list[SearchProgress] = []
    kw = dict(
        n=8, grid="0.1", lower=0, upper=10, baseline_mean="1.0", baseline_sd="0.0",
        followup_mean="9.0", followup_sd="0.0", p="0.0156", max_iter=300, progress_every=100,
    )  # fmt: skip
    reconstruct_paired(progress=seen.append, **kw)
    assert [s.iteration for s in seen] == [100, 200, 300]
    reconstruct_paired(progress=True, **kw)
    assert "reconstruct_paired: 100 iterations" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"baseline_mean": 4.97}, "baseline_mean must be the figure as printed"),
        ({"n": 1}, "n must be an integer >= 2"),
        ({"grid": "-1"}, "grid must be positive"),
        ({"lower": 5, "upper": 4}, "must hold a grid value"),
        ({"upper": None}, "upper is required"),
        ({"p": "2"}, "p must be a probability"),
        ({"convention": "exact"}, "convention must be a SignedRankConvention"),
        ({"max_iter": 0}, "max_iter must be a positive integer"),
        ({"seed": "abc"}, "seed must be an integer or a numpy.random.Generator"),
        ({"fixed_baseline": [5.0] * 7}, "fixed_baseline must hold n = 8 values"),
        ({"rounding": "up"}, "rounding must be"),
    ],
)
def test_input_errors(change, message):
    kw = dict(
        n=8, grid="0.01", lower=0, upper=10, baseline_mean="4.97", baseline_sd="2.33",
        followup_mean="3.1", followup_sd="2.08", p="0.0156",
    )  # fmt: skip
    kw.update(change)
    with pytest.raises(InputError, match=message):
        reconstruct_paired(**kw)


# ---------------------------------------------------------------- property


def _fmt(value: Decimal, decimals: int) -> str:
    return str(value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


CONVENTIONS = [
    SignedRankConvention(),
    SignedRankConvention(alternative="less"),
    SignedRankConvention(zero_method="pratt"),
    SignedRankConvention(method="asymptotic"),
    SignedRankConvention(method="asymptotic", correction=True, zero_method="pratt"),
]


@st.composite
def paired_summaries(draw):
    n = draw(st.integers(4, 9))
    grid = draw(st.sampled_from(["1", "0.5", "0.1"]))
    top = draw(st.integers(5, 40))
    units = st.lists(st.integers(0, top), min_size=n, max_size=n)
    base, follow = draw(units), draw(units)
    g = Fraction(grid)
    bvals = [float(k * g) for k in base]
    fvals = [float(k * g) for k in follow]
    conv = draw(st.sampled_from(CONVENTIONS))
    d = [Fraction(str(b)) - Fraction(str(a)) for a, b in zip(bvals, fvals, strict=True)]
    assume(any(d))  # with every difference zero there is no test (axspa.stats refuses it, as R does)
    p = reference_p(d, conv)
    bm, bs = mean_sd(bvals)
    fm, fs = mean_sd(fvals)
    return dict(
        n=n, grid=grid, lower=0, upper=float(top * g), bm=_fmt(bm, 2), bs=_fmt(bs, 2), fm=_fmt(fm, 2),
        fs=_fmt(fs, 2), p=_fmt(Decimal(repr(p)), 3), conv=conv,
    )  # fmt: skip


@pytest.mark.slow
@settings(max_examples=40)
@given(paired_summaries(), st.integers(0, 2**32 - 1))
def test_a_returned_reconstruction_satisfies_every_constraint(case, seed):
    r = reconstruct_paired(
        n=case["n"], grid=case["grid"], lower=case["lower"], upper=case["upper"],
        baseline_mean=case["bm"], baseline_sd=case["bs"], followup_mean=case["fm"], followup_sd=case["fs"],
        p=case["p"], convention=case["conv"], seed=seed, max_iter=20_000, max_seconds=5,
    )  # fmt: skip
    # The summaries come from real data, so the feasibility checks must never call them impossible.
    assert not r.reason.startswith("impossible"), r.reason
    assert r.found or "not a proof" in r.reason, r.reason
    if r.found:
        assert_reproduces(r, **case)


@pytest.mark.slow
def test_search_finds_samples_that_exist():
    # Summaries of 30 random paired samples (fixed seed): a sample exists for each, and the search
    # must find one (it need not be the original).
    gen = np.random.default_rng(20260101)
    for i in range(30):
        n = int(gen.integers(5, 11))
        top = int(gen.integers(10, 60))
        g = Fraction(["1", "0.1"][i % 2])
        base = [float(k * g) for k in gen.integers(0, top + 1, n)]
        follow = [float(k * g) for k in gen.integers(0, top + 1, n)]
        conv = CONVENTIONS[i % len(CONVENTIONS)]
        d = [Fraction(str(b)) - Fraction(str(a)) for a, b in zip(base, follow, strict=True)]
        bm, bs = mean_sd(base)
        fm, fs = mean_sd(follow)
        case = dict(
            n=n, grid=str(g), lower=0, upper=float(top * g), bm=_fmt(bm, 2), bs=_fmt(bs, 2), fm=_fmt(fm, 2),
            fs=_fmt(fs, 2), p=_fmt(Decimal(repr(reference_p(d, conv))), 3), conv=conv,
        )  # fmt: skip
        r = reconstruct_paired(
            n=n, grid=case["grid"], lower=0, upper=case["upper"], baseline_mean=case["bm"],
            baseline_sd=case["bs"], followup_mean=case["fm"], followup_sd=case["fs"], p=case["p"],
            convention=conv, seed=i, max_iter=50_000,
        )  # fmt: skip
        assert_reproduces(r, **case)
