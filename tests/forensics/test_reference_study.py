"""The reference study's paired figures (J Rheumatol 2003;30:2627-31), the first real use of the
forensic tools: each published mean +/- SD pair and Wilcoxon p is reconstructed from the printed
figures alone and re-checked independently (see forensics_checks). Grids come from the measure
registry; the test conventions are the ones the p-lattice allows."""

from fractions import Fraction

import pytest
from forensics_checks import assert_reproduces

from axspa.forensics import (
    SignedRankConvention,
    coarsest_consistent_grid,
    effective_grid,
    grim,
    p_lattice,
    reconstruct_paired,
)
from axspa.measures import BASDAI_ITEMS, UNIT_ALIASES, measure

EXACT = SignedRankConvention()  # exact, two-sided, zeros dropped

# Effective grids: BASDAI = 0.2 (Q1 + ... + Q4) + 0.1 (Q5 + Q6) from items in tenths -> 0.01;
# BASFI = mean of 10 items in tenths -> 0.01; BAS-G = mean of 2 items -> 0.05.
ITEM_GRID = measure(BASDAI_ITEMS[0]).grid
BASDAI_GRID = effective_grid(ITEM_GRID, weights=[Fraction(1, 5)] * 4 + [Fraction(1, 10)] * 2)
BASFI_GRID = effective_grid(ITEM_GRID, k=10)
BASG_GRID = effective_grid(ITEM_GRID, k=2)
# Labs in the paper's units: ESR mm/h (grid 1); CRP mg/dL = mg/L / 10 (0.1 mg/L -> 0.01 mg/dL);
# IgA mg/dL = g/L * 100 (0.01 g/L -> 1 mg/dL).
ESR = measure("esr_mm_h")
CRP = measure("crp_mg_l")
IGA = measure("iga_g_l")
# Exact conversion (in floats 0.1 / 10 is 0.010000000000000002, which is not the grid 0.01).
CRP_MG_DL = 1 / Fraction(str(UNIT_ALIASES["crp_mg_dl"].factor))
IGA_MG_DL = 1 / Fraction(str(UNIT_ALIASES["iga_mg_dl"].factor))

WEEK24 = {
    # name: (grid, upper, baseline mean, SD, week-24 mean, SD, p)
    "basdai": (BASDAI_GRID, 10, "4.97", "2.33", "3.1", "2.08", "0.0156"),
    "basfi": (BASFI_GRID, 10, "5.24", "2.6", "3.06", "2.14", "0.0078"),
    "basg": (BASG_GRID, 10, "6.02", "2.75", "3.21", "2.01", "0.0078"),
    "esr": (ESR.grid, ESR.upper, "69.5", "21.2", "34.2", "28", "0.0156"),
    "crp": (
        Fraction(str(CRP.grid)) * CRP_MG_DL,
        CRP.upper * CRP_MG_DL,
        "6.08",
        "4.97",
        "3.01",
        "3.55",
        "0.078",
    ),
    "iga": (Fraction(str(IGA.grid)) * IGA_MG_DL, IGA.upper * IGA_MG_DL, "496", "230", "505", "323", "0.375"),
}


def test_registry_grids_in_the_papers_units():
    assert (BASDAI_GRID, BASFI_GRID, BASG_GRID) == (Fraction(1, 100), Fraction(1, 100), Fraction(1, 20))
    assert (WEEK24["crp"][0], WEEK24["iga"][0]) == (Fraction(1, 100), 1)


@pytest.mark.parametrize("name", list(WEEK24))
def test_table_week24_paired(name):
    grid, upper, bm, bs, fm, fs, p = WEEK24[name]
    r = reconstruct_paired(
        n=8, grid=grid, lower=0, upper=upper, baseline_mean=bm, baseline_sd=bs, followup_mean=fm,
        followup_sd=fs, p=p, convention=EXACT, seed=2003,
    )  # fmt: skip
    assert_reproduces(r, n=8, grid=grid, lower=0, upper=upper, bm=bm, bs=bs, fm=fm, fs=fs, p=p, conv=EXACT)


def test_week8_esr_needs_a_finer_grid():
    # Ten ESR values in mm/h give means in steps of 0.1: "70.03" needs a sum in [700.25, 700.35]
    # (GRIM fails); grids 0.5 and 0.2 give sums 700.0/700.5 and 700.2/700.4, also outside; 0.1 gives
    # 700.3. "39.34" needs [393.35, 393.45]: 393.4 on the 0.1 grid.
    assert grim(mean="70.03", n=10, grid=ESR.grid).consistent is False
    grid = coarsest_consistent_grid(n=10, grid=ESR.grid, means=["70.03", "39.34"], sds=["21.16", "11.42"])
    assert grid == Fraction(1, 10)
    # "0.014" two-sided exact: 2 c / 1024 in [0.0135, 0.0145] -> c = 7 = P(R+ <= 4) * 1024 (untied).
    kw = dict(n=10, grid=grid, lower=0, upper=ESR.upper, bm="70.03", bs="21.16", fm="39.34", fs="11.42", p="0.014")
    r = reconstruct_paired(
        n=10, grid=grid, lower=0, upper=ESR.upper, baseline_mean="70.03", baseline_sd="21.16",
        followup_mean="39.34", followup_sd="11.42", p="0.014", convention=EXACT, seed=2003,
    )  # fmt: skip
    assert_reproduces(r, conv=EXACT, **kw)


def test_week8_basdai_p_0_007_is_not_exact_two_sided():
    # The p-lattice: no exact two-sided p (2 c / 2^m, m <= 10) prints as 0.007 (see test_plattice),
    # so the search refuses at once; exact one-sided (7 / 1024 at R+ = 4) and the normal approximation
    # without continuity correction (R+ = 1, p = 0.00691) both can.
    lattice = p_lattice(p="0.007", n=10)
    assert "two-sided" not in lattice.exact_with_ties
    figures = dict(baseline_mean="5.39", baseline_sd="2.33", followup_mean="3.78", followup_sd="1.67", p="0.007")
    base = dict(n=10, grid=BASDAI_GRID, lower=0, upper=10)
    refused = reconstruct_paired(convention=EXACT, **base, **figures)
    assert not refused.found and refused.reason.startswith("impossible")
    for conv in (SignedRankConvention(alternative="less"), SignedRankConvention(method="asymptotic")):
        r = reconstruct_paired(convention=conv, seed=2003, **base, **figures)
        assert_reproduces(
            r, conv=conv, n=10, grid=BASDAI_GRID, lower=0, upper=10, bm="5.39", bs="2.33", fm="3.78",
            fs="1.67", p="0.007",
        )  # fmt: skip


def test_week24_basfi_p_cannot_come_from_the_normal_approximation():
    # No sample of 8 pairs, tied or not, gives a two-sided normal-approximation p of 0.0078
    # (test_plattice enumerates every tie pattern and works the simplest case out by hand); the
    # reconstruction must say so at once instead of searching.
    grid, upper, bm, bs, fm, fs, p = WEEK24["basfi"]
    for correction in (False, True):
        r = reconstruct_paired(
            n=8, grid=grid, lower=0, upper=upper, baseline_mean=bm, baseline_sd=bs, followup_mean=fm,
            followup_sd=fs, p=p, convention=SignedRankConvention(method="asymptotic", correction=correction),
        )  # fmt: skip
        assert not r.found
        assert r.reason.startswith("impossible: no sample of 8 pairs, tied or not"), r.reason
        assert r.iterations == 0


WEEK8 = {
    "esr": (Fraction(1, 10), ESR.upper, "70.03", "21.16", "39.34", "11.42", "0.014"),
    "basdai": (BASDAI_GRID, 10, "5.39", "2.33", "3.78", "1.67", "0.007"),
}


@pytest.mark.slow
@pytest.mark.parametrize(("week", "name"), [*((24, k) for k in WEEK24), *((8, k) for k in WEEK8)])
def test_exact_one_sided_serves_every_paired_figure(week, name):
    # Exact one-sided ("less": follow-up below baseline) is the one convention that reproduces all
    # eight p-values: c / 2^m lattice points 2/128 (0.0156), 1/128 (0.0078), 10/128 (0.078),
    # 48/128 (0.375), 14/1024 (0.014), 7/1024 (0.007). (Exact two-sided cannot give 0.007.)
    grid, upper, bm, bs, fm, fs, p = (WEEK24 if week == 24 else WEEK8)[name]
    conv = SignedRankConvention(alternative="less")
    r = reconstruct_paired(
        n=8 if week == 24 else 10, grid=grid, lower=0, upper=upper, baseline_mean=bm, baseline_sd=bs,
        followup_mean=fm, followup_sd=fs, p=p, convention=conv, seed=2003,
    )  # fmt: skip
    assert_reproduces(
        r, n=8 if week == 24 else 10, grid=grid, lower=0, upper=upper, bm=bm, bs=bs, fm=fm, fs=fs, p=p, conv=conv
    )
