"""The one-row-per-visit rule on coded patients, in rows sorted by patient and week (the fast path)
and in any order, against a count of the (patient, week) pairs written out here."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from axspa.ingest.checks import repeated_coded_visits


def _by_counting(codes: np.ndarray, weeks: np.ndarray) -> list[bool]:
    pairs = [(int(c), float(w)) for c, w in zip(codes, weeks, strict=True)]
    known = [c >= 0 and not np.isnan(w) for c, w in pairs]
    counts = Counter(p for p, k in zip(pairs, known, strict=True) if k)
    return [k and counts[p] > 1 for p, k in zip(pairs, known, strict=True)]


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("order", ["sorted", "shuffled"])
def test_repeated_visits_agree_with_counting_the_pairs(seed: int, order: str) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 60))
    codes = rng.integers(-1 if seed % 3 == 0 else 0, 6, n)
    weeks = rng.choice([0.0, 2.0, 4.0, 12.0, 12.5, np.nan] if seed % 4 == 0 else [0.0, 2.0, 4.0, 12.0], n)
    if order == "sorted":
        at = np.lexsort((weeks, codes))
        codes, weeks = codes[at], weeks[at]
        if seed % 2:  # drop the repeats: strictly increasing rows take the fast path
            keep = np.ones(n, dtype=bool)
            keep[1:] = (np.diff(codes) != 0) | (np.diff(weeks) != 0)
            codes, weeks = codes[keep], weeks[keep]
    assert repeated_coded_visits(codes, weeks).tolist() == _by_counting(codes, weeks)


def test_sorted_rows_with_one_repeat_are_both_flagged() -> None:
    codes = np.array([0, 0, 0, 1, 1])
    weeks = np.array([0.0, 4.0, 4.0, 0.0, 4.0])
    assert repeated_coded_visits(codes, weeks).tolist() == [False, True, True, False, False]
    assert not repeated_coded_visits(codes[[0, 1, 3, 4]], weeks[[0, 1, 3, 4]]).any()
