"""End-to-end times of the reference study: regenerating its files and `axspa reproduce`.

Targets (issue acceptance): a full regeneration of the reconstructed files under 60 s, and the
end-to-end `axspa reproduce`, import time included, under 10 s on a 2-core machine. Each is run
as a fresh process and compared, in the same run, with a baseline process that only imports the
scientific stack (numpy, pandas, scipy, pydantic), so the ratio shows what axspa itself adds.
Medians of several runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the generator runs as a module from the repository root


def _seconds(command: list[str], repeats: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(repeats: int = 3) -> dict[str, float]:
    python = sys.executable
    baseline = _seconds([python, "-c", "import numpy, pandas, scipy.stats, pydantic"], repeats)
    with tempfile.TemporaryDirectory() as folder:
        build = _seconds([python, "-m", "generators.thalidomide_2003", folder], repeats, cwd=ROOT)
    reproduce = _seconds([python, "-m", "axspa", "reproduce"], repeats)
    with tempfile.TemporaryDirectory() as folder:
        report = _seconds([python, "-m", "axspa", "reproduce", "--out", folder], repeats)
    results = {
        "import baseline": baseline,
        "regenerate files": build,
        "axspa reproduce": reproduce,
        "reproduce --out": report,
    }
    print(f"medians of {repeats} runs, each a fresh process")
    for name, seconds in results.items():
        print(f"  {name:<20} {seconds:7.2f} s   ({seconds / baseline:5.1f}x the import baseline)")
    print(f"  regeneration under 60 s: {build < 60};  reproduce with the report under 10 s: {report < 10}")
    return results


if __name__ == "__main__":
    main()
