"""The p-lattice check and the signed-rank conventions, with every expected value worked out by hand."""

import pytest

from axspa.errors import InputError
from axspa.forensics import SignedRankConvention, p_lattice


def _exact_two_sided(result):
    return {(m.n_nonzero, m.zero_method, m.r_plus) for m in result.select(method="exact", alternative="two-sided")}


def test_0_0078_with_8_pairs_is_all_pairs_in_one_direction():
    # Untied, 8 non-zero: P(R+ = 0) = 1 / 256, two-sided p = 2 / 256 = 0.0078125 -> "0.0078".
    # The next lattice point, 2 * 2 / 256 = 0.015625, prints "0.0156"; with 7 non-zero the smallest
    # two-sided p is 2 / 128 = 0.015625 too.
    r = p_lattice(p="0.0078", n=8)
    assert _exact_two_sided(r) == {(8, "none", 0), (8, "none", 36)}
    assert r.status == "reproduced" and not r.flagged


def test_0_0156_with_8_pairs():
    # Two-sided 2 c / 2^m = 0.015625 needs c / 2^m = 1 / 128:
    #  m = 8: c = 2, P(R+ <= 1) = 2 / 256 (R+ = 0 from {}, R+ = 1 from {1}): R+ = 1 or 36 - 1 = 35;
    #  m = 7 (one zero): c = 1, R+ = 0 or the maximum: 28 (ranks 1..7, zero dropped) or
    #  35 (Pratt: the zero takes rank 1, the others ranks 2..8 summing to 35).
    r = p_lattice(p="0.0156", n=8)
    assert _exact_two_sided(r) == {
        (8, "none", 1),
        (8, "none", 35),
        (7, "wilcox", 0),
        (7, "wilcox", 28),
        (7, "pratt", 0),
        (7, "pratt", 35),
    }


def test_0_007_with_10_pairs_needs_one_sided_exact_or_asymptotic():
    # Two-sided exact p is 2 c / 2^m. "0.007" means [0.0065, 0.0075]: m = 10 needs c in
    # [3.328, 3.84], m = 9 c in [1.664, 1.92], m = 8 c in [0.832, 0.96], m <= 7 c < 0.5: no integer,
    # so no exact two-sided p, tied or not, prints as 0.007.
    r = p_lattice(p="0.007", n=10)
    assert _exact_two_sided(r) == set()
    assert r.exact_with_ties == ("less", "greater")
    # One-sided, m = 10: c / 1024 in [0.0065, 0.0075] -> c = 7. Untied counts of R+ = 0, 1, 2, 3, 4
    # are 1, 1, 1, 2, 2 ({}, {1}, {2}, {3} {1,2}, {4} {1,3}): cumulative 7 at R+ = 4; 7/1024 = 0.0068359.
    less = r.select(method="exact", alternative="less")
    assert [(m.n_nonzero, m.r_plus) for m in less] == [(10, 4)]
    assert less[0].pvalue == 7 / 1024
    # Normal approximation, two-sided, no continuity correction, m = 10, R+ = 1: mean 10 * 11 / 4 = 27.5,
    # variance 10 * 11 * 21 / 24 = 96.25 (sd 9.8107), z = -26.5 / 9.8107 = -2.7011,
    # p = 2 * Phi(-2.7011) = 2 * 0.003455 = 0.00691 -> "0.007".
    asym = r.select(method="asymptotic", alternative="two-sided", correction=False)
    assert (10, "none", 1) in {(m.n_nonzero, m.zero_method, m.r_plus) for m in asym}
    hit = next(m for m in asym if m.n_nonzero == 10 and m.r_plus == 1)
    assert hit.pvalue == pytest.approx(0.00691, abs=2e-5)


def test_a_p_value_nothing_produces_is_flagged():
    # One pair: exact p in {0.5, 1} (one-sided) and 1 (two-sided). Normal approximation: R+ in {0, 1},
    # mean 0.5, sd 0.5, z = -1 or 1 without correction (p 0.1587, 0.8413, two-sided 0.3173) and
    # z = 0 or +-2 with it (p 0.5, 0.9772, two-sided 1). "0.25" is none of them, even truncated.
    r = p_lattice(p="0.25", n=1)
    assert r.status == "not reproduced" and r.flagged
    assert r.matches == ()
    assert r.exact_with_ties == ()
    # 0.3173 rounds to "0.32" but truncates to "0.31": listed, flagged as truncation only.
    t = p_lattice(p="0.31", n=1)
    assert t.status == "truncation only"
    assert {(m.method, m.alternative, m.correction, m.truncated) for m in t.matches} == {
        ("asymptotic", "two-sided", False, True)
    }
    assert p_lattice(p="0.31", n=1, truncation=False).matches == ()


def test_result_frame_and_notes():
    r = p_lattice(p="0.0078", n=8, methods=["exact"], alternatives=["two-sided"])
    frame = r.to_frame()
    assert sorted(frame["r_plus"]) == [0, 36]
    assert "no closed-form lattice" in r.notes[0]
    assert "REPRODUCED" in repr(r)


def _test(conv, d):
    res = conv.test(d)
    return res.statistic, res.pvalue


def test_signed_rank_convention_untied_and_tied_by_hand():
    conv = SignedRankConvention()
    # Ranks 1..8 all negative: R+ = 0, exact two-sided p = 2 / 256.
    assert _test(conv, [-1, -2, -3, -4, -5, -6, -7, -8]) == (0.0, 2 / 256)
    # Ties: d = -1, -1, -2, +2: mid-ranks 1.5, 1.5, 3.5, 3.5, R+ = 3.5. Doubled scores 3, 3, 7, 7; the 16
    # sign patterns give doubled sums 0 (1), 3 (2), 6 (1), 7 (2), 10 (4), 13 (2), 14 (1), 17 (2), 20 (1).
    # P(T <= 7) = 6 / 16, P(T >= 7) = 12 / 16; two-sided p = 2 * 6 / 16 = 0.75.
    assert _test(conv, [-1, -1, -2, 2]) == (3.5, 0.75)
    assert _test(SignedRankConvention(alternative="greater"), [-1, -1, -2, 2])[1] == 12 / 16
    # Zeros: d = 0, -1, -2, -3. Wilcox drops the zero: ranks 1, 2, 3, R+ = 0, P = 1/8, two-sided 0.25.
    # Pratt ranks it (rank 1) and drops it: ranks 2, 3, 4, still R+ = 0 and two-sided 0.25 exactly, but
    # the normal approximation differs: Wilcox mean 3, var 14 / 4; Pratt mean 4.5, var 29 / 4.
    assert _test(SignedRankConvention(zero_method="pratt"), [0, -1, -2, -3]) == (0.0, 0.25)
    wil = _test(SignedRankConvention(method="asymptotic"), [0, -1, -2, -3])[1]
    pra = _test(SignedRankConvention(method="asymptotic", zero_method="pratt"), [0, -1, -2, -3])[1]
    # z = -3 / sqrt(3.5) = -1.6036 -> 2 * 0.05441 = 0.1088; z = -4.5 / sqrt(7.25) = -1.6713 -> 0.0947.
    assert wil == pytest.approx(0.1088, abs=2e-4)
    assert pra == pytest.approx(0.0947, abs=2e-4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "permutation"}, "method must be one of"),
        ({"zero_method": "zsplit"}, "zero_method must be one of"),
        ({"alternative": "two.sided"}, "alternative must be one of"),
        ({"method": "exact", "correction": True}, "correction applies to method 'asymptotic'"),
    ],
)
def test_convention_input_errors(kwargs, message):
    with pytest.raises(InputError, match=message):
        SignedRankConvention(**kwargs)


def test_p_lattice_input_errors():
    with pytest.raises(InputError, match="p must be a probability"):
        p_lattice(p="1.5", n=8)
    with pytest.raises(InputError, match="p must be the figure as printed"):
        p_lattice(p=0.0156, n=8)
    with pytest.raises(InputError, match="n must be an integer"):
        p_lattice(p="0.0156", n=0)


def test_ties_two_pairs_by_hand():
    # n = 2, both differences negative and tied: mid-ranks 1.5, 1.5, R+ = 0. Normal approximation,
    # no correction: mean 1.5, variance (1.5^2 + 1.5^2) / 4 = 1.125, z = -1.5 / 1.06066 = -1.41421,
    # p = 2 * Phi(-1.41421) = 2 * 0.078650 = 0.157299 -> "0.157". Untied, ranks 1 and 2: mean 1.5,
    # variance 5 / 4, R+ = 0 gives z = -1.3416, p = 0.1797, R+ = 1 gives p = 0.6547; one non-zero
    # difference gives z = -1 (p = 0.3173): none prints as 0.157.
    assert p_lattice(p="0.157", n=2).status == "not reproduced"
    r = p_lattice(p="0.157", n=2, ties=True)
    assert r.status == "reproduced with ties only" and not r.flagged
    hits = {(m.tie_groups, m.r_plus, m.method, m.correction) for m in r.select(alternative="two-sided")}
    assert hits == {((2,), 0.0, "asymptotic", False), ((2,), 3.0, "asymptotic", False)}
    assert "every split" in r.notes[0]
    assert "ties 2" in repr(r)


def test_ties_cannot_give_a_two_sided_asymptotic_0_0078_with_8_pairs():
    # With every tie pattern enumerated the answer is complete: the two-sided normal approximation
    # cannot give 0.0078 for 8 pairs, whatever the ties, zeros or continuity correction. The simplest
    # case by hand: R+ = 0 with 8 non-zero differences, no correction, z = sum(r) / sqrt(sum(r^2)) =
    # 36 / sqrt(204 - sum(t^3 - t) / 12); p in [0.00775, 0.00785] needs z in [2.6596, 2.6623], i.e.
    # sum(t^3 - t) over tie groups in [249.4, 253.9]; group sizes summing to 8 give t^3 - t from
    # {6, 24, 60, 120, 210, 336}: 210 + 6 = 216 (6 + 2 values), 120 + 60 = 180 (5 + 3), 336 (7), ...
    # and reaching 240-260 needs 10 or more values (120 + 120, 210 + 24 + 6).
    r = p_lattice(p="0.0078", n=8, ties=True, methods=["asymptotic"], alternatives=["two-sided"])
    assert r.status == "not reproduced" and r.flagged
    assert r.matches == ()
    # One-sided it can, e.g. with Pratt zeros and a continuity correction: one zero (rank 1), seven
    # negative differences with ranks 2, 3, 4 and four ties at ranks 5-8 (mid-rank 6.5). R+ = 0,
    # mean (2 + 3 + 4 + 4 * 6.5) / 2 = 17.5, variance (4 + 9 + 16 + 4 * 42.25) / 4 = 49.5;
    # z = (0 - 17.5 + 0.5) / 7.0356 = -2.4163, p = Phi(-2.4163) = 0.00784 -> "0.0078".
    one_sided = p_lattice(p="0.0078", n=8, ties=True, methods=["asymptotic"], alternatives=["less"])
    assert ("pratt", True, 0.0, (1, 1, 1, 4)) in {
        (m.zero_method, m.correction, m.r_plus, m.tie_groups) for m in one_sided.matches
    }
    # The exact test gives it untied (all eight in one direction), and with ties as well.
    exact = p_lattice(p="0.0078", n=8, ties=True, methods=["exact"], alternatives=["two-sided"])
    assert exact.status == "reproduced"
    assert exact.select(tied=True)


def test_ties_enumeration_is_bounded():
    with pytest.raises(InputError, match="ties=True enumerates every tie pattern and needs n <= 10"):
        p_lattice(p="0.05", n=11, ties=True)
