"""The work counts behind the rank-sum benchmark's ``--work`` (benchmarks/bench_rank_sum.py).

``coin_updates`` is checked against the loops of coin's ``R_cpermdist2`` written out one iteration at a time, and
``open_states`` against every m-subset of small tied samples, enumerated.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from benchmarks.bench_rank_sum import coin_updates, open_states


def _coin_loops(scores2: np.ndarray, m: int) -> int:
    """Iterations of the innermost loop of coin's R_cpermdist2 (StreitbergRoehmel.c), transcribed literally."""
    score_b = sorted(int(v) for v in scores2)
    add = min(score_b) - 1
    score_b = [v - add for v in score_b]
    n = len(score_b)
    sum_a = m
    sum_b = sum(score_b[n - sum_a :])
    s_a = s_b = 0
    count = 0
    for k in range(n):
        s_a += 1
        s_b += score_b[k]
        min_b = min(sum_b, s_b)
        for _i in range(min(sum_a, s_a), 0, -1):
            for _j in range(min_b, score_b[k] - 1, -1):
                count += 1
    return count


def _enumerated(scores2: np.ndarray, m: int, w2: int, *, by_group: bool) -> tuple[int, int]:
    """open_states by brute force: each m-subset, followed stage by stage."""
    s = sorted(int(v) for v in scores2)
    n = len(s)
    if by_group:
        ends = [0] + [i + 1 for i in range(n) if i == n - 1 or s[i + 1] != s[i]]
    else:
        ends = list(range(n + 1))
    totals: list[dict[tuple[int, int], list[int]]] = [{} for _ in ends]
    for subset in itertools.combinations(range(n), m):
        total = sum(s[i] for i in subset)
        for stage, end in enumerate(ends):
            chosen = [i for i in subset if i < end]
            key = (len(chosen), sum(s[i] for i in chosen))
            totals[stage].setdefault(key, []).append(total)
    per_stage = [sum(min(t) <= w2 < max(t) for t in states.values()) for states in totals]
    branches = [ends[k + 1] - ends[k] + 1 if by_group else 1 for k in range(len(ends) - 1)]
    moves = sum(o * b for o, b in zip(per_stage[:-1], branches, strict=True))
    return sum(per_stage), moves


@pytest.mark.parametrize("seed", range(6))
def test_coin_updates_are_the_iterations_of_its_loops(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 30))
    scores2 = np.sort(rng.integers(2, 3 * n, n))
    m = int(rng.integers(1, n))
    assert coin_updates(scores2, m) == _coin_loops(scores2, m)


@pytest.mark.parametrize("by_group", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_open_states_match_enumeration(seed: int, by_group: bool) -> None:
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(5, 12))
    values = rng.integers(0, 5, n)  # few distinct values: heavy ties
    ranks = np.argsort(np.argsort(values, kind="stable"), kind="stable") + 1.0
    midranks = np.array([ranks[values == v].mean() for v in values])
    scores2 = np.rint(2 * midranks).astype(np.int64)
    m = int(rng.integers(1, n))
    lowest, highest = int(np.sort(scores2)[:m].sum()), int(np.sort(scores2)[n - m :].sum())
    for w2 in (lowest - 1, lowest, (lowest + highest) // 2, highest - 1, highest):
        assert open_states(scores2, m, w2, by_group=by_group) == _enumerated(scores2, m, w2, by_group=by_group)


def test_a_hand_counted_case() -> None:
    # Scores 1, 2, 3; choose 2; decide P(total <= 4). The 2-subsets: {1,2} = 3, {1,3} = 4, {2,3} = 5.
    # Start: the empty choice can still end at 3, 4 or 5: open (1).
    # After score 1: not taken, the only completion is {2,3} = 5 (settled, > 4); taken, the completions are 3 and 4
    # (settled, <= 4). After scores 2 and 3 every state has one completion or is complete: settled.
    # So 1 open state, and 1 move out of it (score 1, added to it).
    assert open_states(np.array([1, 2, 3]), 2, 4, by_group=False) == (1, 1)
    # By group the three scores are three groups of one: the open start state moves 0 or 1 of the first group.
    assert open_states(np.array([1, 2, 3]), 2, 4, by_group=True) == (1, 2)
