"""Pieces the study generators share: item splits that give back an index exactly, and the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np

from axspa.errors import ComputationError

__all__ = ["basdai_items", "decimals", "run_build", "split_total"]


def split_total(total: int, parts: int, cap: int, rng: np.random.Generator, spread: float = 0.35) -> list[int]:
    """Split an integer total into ``parts`` integers in [0, cap], near equal, summing exactly."""
    if not 0 <= total <= parts * cap:
        raise ComputationError(f"cannot split {total} into {parts} parts of at most {cap}")
    weights = np.clip(1 + spread * rng.standard_normal(parts), 0.2, None)
    raw = total * weights / weights.sum()
    values = np.minimum(np.floor(raw).astype(int), cap)
    order = np.argsort(-(raw - np.floor(raw)))
    i = 0
    while values.sum() < total:
        j = order[i % parts]
        if values[j] < cap:
            values[j] += 1
        i += 1
    return [int(v) for v in values]


def basdai_items(basdai: float, inflammation: float, rng: np.random.Generator) -> list[float]:
    """Six BASDAI items in tenths giving exactly ``basdai``, with (Q5 + Q6) / 2 near ``inflammation``.

    BASDAI = (Q1 + Q2 + Q3 + Q4 + (Q5 + Q6) / 2) / 5 (Garrett 1994). In units of 0.05, 5 x BASDAI
    is ``b = 100 x BASDAI`` and the inflammation term ``i``; Q1..Q4 sum to (b - i) x 0.05, a whole
    number of tenths when b - i is even, and Q5 + Q6 = i tenths.
    """
    b = round(basdai * 100)
    i = round(inflammation / 0.05)
    i = min(max(i, b - 800, 0), min(b, 200))
    if (b - i) % 2:
        i += 1 if i + 1 <= min(b, 200) else -1
    first_four = split_total((b - i) // 2, 4, 100, rng)
    last_two = split_total(i, 2, 100, rng, spread=0.15)
    return [v / 10 for v in first_four + last_two]


def decimals(grid: Fraction) -> int:
    """Decimals needed to write multiples of a decimal grid (0.1 -> 1, 0.01 -> 2, 1 -> 0)."""
    decimals = 0
    while grid.denominator != 1:
        grid *= 10
        decimals += 1
    return decimals


def run_build(doc: str | None, build: Callable[..., Path], folder: Path, seed: int, argv: Sequence[str] | None) -> int:
    """The generators' command line: ``[FOLDER] [--seed N] [--progress]``; calls ``build(folder, seed=, progress=)``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("folder", type=Path, nargs="?", default=folder)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args(argv)
    out = build(args.folder, seed=args.seed, progress=args.progress)
    print(f"written to {out}", file=sys.stderr)
    return 0
