"""Run every benchmark: ``python -m benchmarks`` (or ``make benchmark``).

Each ``bench_*.py`` module exposes ``main()``, which measures axspa against a baseline in the
same process and prints ratios (medians of several runs). Run one with
``python -m benchmarks.bench_<name>``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        importlib.import_module(f"benchmarks.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
