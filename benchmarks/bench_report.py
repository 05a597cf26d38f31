"""End-to-end time of ``axspa.report.analyze`` in a fresh interpreter, imports included.

    python -m benchmarks.bench_report [--repeat N] [--patients N]

Runs the whole pipeline (load, score, tables, figures, HTML/Markdown/CSV/PNG/SVG report) on the
bundled reference study when its visits file is present, otherwise on a generated study of the same
design (13 patients, visits at weeks 0, 2, 4, 8, 12, 16, 20, 24), each time in a new Python process.
The baseline, measured in the same run, is a process that only imports numpy, pandas and matplotlib.
The target is under 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

TARGET_SECONDS = 10.0
WEEKS = (0, 2, 4, 8, 12, 16, 20, 24)


def generated_study(folder: Path, n_patients: int = 13, seed: int = 2003) -> Path:
    """Write a plausible study of the reference design into ``folder``."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    patients, visits = [], []
    for i in range(n_patients):
        pid = f"B{i + 1:03d}"
        withdrawn = i % 5 == 0
        last = 8 if withdrawn else 24
        patients.append(
            {
                "patient_id": pid,
                "sex": "male",
                "age_years": int(rng.integers(30, 55)),
                "disease_duration_years": float(rng.integers(70, 250)) / 10,
                "hla_b27": "true",
                "subtype": ("juvenile", "axial", "peripheral", "psoriatic")[i % 4],
                "status": "withdrawn" if withdrawn else "completed",
                "withdrawal_reason": "lack_of_efficacy" if withdrawn else "",
                "last_week": last,
            }
        )
        level = rng.uniform(4, 8)
        for w in WEEKS:
            if w > last:
                break
            drift = level * (1 - 0.4 * w / 24)
            items = np.clip(np.round(drift + rng.normal(0, 0.8, 20), 1), 0, 10)
            row = {"patient_id": pid, "week": w}
            row |= {f"basdai_q{k + 1}": items[k] for k in range(6)}
            row |= {f"basfi_q{k + 1}": items[6 + k] for k in range(10)}
            row |= {
                "basg_week": items[16],
                "basg_6m": items[17],
                "patient_global": items[16],
                "back_pain": items[18],
                "esr_mm_h": int(rng.integers(10, 90)),
                "crp_mg_l": float(np.round(rng.uniform(1, 60), 1)),
                "iga_g_l": float(np.round(rng.uniform(2, 7), 2)),
            }
            visits.append(row)
    pd.DataFrame(patients).to_csv(folder / "patients.csv", index=False)
    pd.DataFrame(visits).to_csv(folder / "visits.csv", index=False)
    return folder


def study_folder(tmp: Path, n_patients: int | None) -> tuple[Path, str]:
    if n_patients is None:
        try:
            from axspa.studies import thalidomide_2003

            folder = thalidomide_2003.folder()
            if (folder / "visits.csv").exists():
                return folder, "bundled reference study"
        except (ImportError, OSError, ValueError):  # no bundled study here: generate one
            pass
        n_patients = 13
    return generated_study(tmp / "study", n_patients), f"generated study ({n_patients} patients)"


def timed(code: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"benchmark run failed:\n{done.stderr}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit status 1 if the median end-to-end time exceeds the target."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_report")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--patients", type=int, default=None, help="generate a study of this size")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder, what = study_folder(tmp, args.patients)
        analyze = f"from axspa.report import analyze; analyze({str(folder)!r}, {str(tmp / 'out')!r}, progress=False)"
        baseline = "import numpy, pandas, matplotlib"
        base_times = [timed(baseline) for _ in range(args.repeat)]
        times = [timed(analyze) for _ in range(args.repeat)]
    base, total = statistics.median(base_times), statistics.median(times)
    print(f"study: {what}")
    print(f"baseline (import numpy, pandas, matplotlib): median {base:.2f} s over {args.repeat} runs")
    print(
        f"analyze end to end incl. import:             median {total:.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}); {total / base:.1f} x baseline"
    )
    ok = total < TARGET_SECONDS
    print(f"target < {TARGET_SECONDS:.0f} s: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
