"""Loading with a mapping file against loading the same data written canonically (issue target: at most 1.5x).

Run with ``python -m benchmarks.bench_mapping`` (``--help`` for the options). From the seeded cohort of
:mod:`benchmarks.bench_cohort` (100,000 patients x 10 visits by default) it writes two folders of the same
data:

* canonical: ``patients.csv`` and ``visits.csv`` as :func:`benchmarks.bench_cohort.write_cohort` writes them;
* an export as a hospital system writes it: other headers (``Pat.-Nr.``, ``BASDAI 1 [mm]``, ``CRP [mg/dL]``),
  the BASDAI and BASFI items in mm (0-100), CRP in mg/dL, sex as ``M``/``F``, free-text withdrawal
  reasons, ``n.a.`` for an empty cell, and a mapping file (``mapping.toml``) that turns it back.

It checks that both load to the same study, then times ``load_study(canonical)`` and
``load_study(export, mapping=...)`` interleaved, ``--repeats`` runs each, and prints the medians and their
ratio.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from axspa.io import load_study
from axspa.measures import BASDAI_ITEMS, BASFI_ITEMS
from benchmarks.bench_cohort import SEED, make_cohort

MM_ITEMS = (*BASDAI_ITEMS, *BASFI_ITEMS)
"""Items the export records on a 0-100 mm line."""

REASONS = {
    "adverse_event": "Side effects (rash)",
    "lack_of_efficacy": "No improvement",
    "lost_to_follow_up": "Lost to follow-up",
    "other": "Moved away",
}


def _header(column: str) -> str:
    if column == "patient_id":
        return "Pat.-Nr."
    if column in MM_ITEMS:
        return f"{column.replace('_q', ' ').upper()} [mm]"
    if column == "crp_mg_l":
        return "CRP [mg/dL]"
    return column.replace("_", " ").title()


def _mm(text: pd.Series) -> pd.Series:
    """0-10 values written on the 0-100 mm line (``4.3`` -> ``43``), empty cells as ``n.a.``."""
    numbers = pd.to_numeric(text.replace("", np.nan))
    out = (numbers * 10).round(6).map(lambda v: f"{v:g}", na_action="ignore")
    return out.fillna("n.a.")


def _mg_dl(text: pd.Series) -> pd.Series:
    """CRP in mg/L as text (``"<3"`` kept censored) written in mg/dL."""
    censored = text.str.startswith("<")
    numbers = pd.to_numeric(text.str.lstrip("<").replace("", np.nan))
    out = (numbers / 10).round(6).map(lambda v: f"{v:g}", na_action="ignore")
    out = out.where(~censored, "<" + out)
    return out.fillna("n.a.")


def write_folders(root: Path, n_patients: int, n_visits: int = 10, seed: int = SEED) -> tuple[Path, Path]:
    """The canonical folder and the export folder (with ``mapping.toml``) of the same cohort."""
    patients, visits = make_cohort(n_patients, n_visits, seed)
    canonical, export = root / "canonical", root / "export"
    canonical.mkdir()
    export.mkdir()
    patients.to_csv(canonical / "patients.csv", index=False, lineterminator="\n")
    visits.to_csv(canonical / "visits.csv", index=False, lineterminator="\n")
    out_visits = visits.copy()
    for item in MM_ITEMS:
        out_visits[item] = _mm(visits[item])
    out_visits["crp_mg_l"] = _mg_dl(visits["crp_mg_l"])
    out_visits.columns = [_header(c) for c in visits.columns]
    out_patients = patients.assign(
        sex=patients["sex"].map({"male": "M", "female": "F"}),
        withdrawal_reason=patients["withdrawal_reason"].map(REASONS),
    )
    out_patients.columns = [_header(c) for c in patients.columns]
    out_patients.to_csv(export / "demographics.csv", index=False, lineterminator="\n")
    out_visits.to_csv(export / "visits_export.csv", index=False, lineterminator="\n")
    renames = "\n".join(f'"{_header(c)}" = "{c if c != "crp_mg_l" else "crp"}"' for c in visits.columns)
    patient_renames = "\n".join(f'"{_header(c)}" = "{c}"' for c in patients.columns)
    reasons = "\n".join(f'"{text}" = "{code}"' for code, text in REASONS.items())
    scales = "\n".join(f'{item} = "0-100"' for item in MM_ITEMS)
    (export / "mapping.toml").write_text(
        f"""missing = ["n.a."]

[patients]
file = "demographics.csv"

[patients.columns]
{patient_renames}

[patients.recode.sex.values]
M = "male"
F = "female"

[patients.recode.withdrawal_reason.values]
{reasons}

[visits]
file = "visits_export.csv"

[visits.columns]
{renames}

[visits.scales]
{scales}

[visits.units]
crp = "mg/dL"
"""
    )
    return canonical, export


def run(n_patients: int = 100_000, n_visits: int = 10, repeats: int = 5) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        canonical, export = write_folders(Path(tmp), n_patients, n_visits)
        plain = load_study(canonical)
        mapped = load_study(export, mapping=export / "mapping.toml")
        for name in ("patients", "visits"):  # the same study either way
            pd.testing.assert_frame_equal(
                getattr(plain, name).reset_index(drop=True),
                getattr(mapped, name).reset_index(drop=True)[getattr(plain, name).columns],
                check_dtype=False,
            )
        times: dict[str, list[float]] = {"canonical": [], "mapping": []}
        for _ in range(repeats):
            for label, call in (
                ("canonical", lambda: load_study(canonical)),
                ("mapping", lambda: load_study(export, mapping=export / "mapping.toml")),
            ):
                t0 = time.perf_counter()
                call()
                times[label].append(time.perf_counter() - t0)
    base, with_mapping = (statistics.median(times[k]) for k in ("canonical", "mapping"))
    n = len(plain.visits)
    print(f"cohort: {n_patients:,} patients, {n:,} visits; medians of {repeats} interleaved runs")
    print(f"  load_study(canonical folder)          {base:8.3f} s")
    print(f"  load_study(export, mapping=...)       {with_mapping:8.3f} s")
    print(f"  mapping / canonical = {with_mapping / base:.2f}x wall  (target <= 1.5)")
    return {"canonical_s": base, "mapping_s": with_mapping, "ratio": with_mapping / base}


def main(argv: Iterable[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_mapping", description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(None if argv is None else list(argv))
    return run(args.patients, args.visits, args.repeats)


if __name__ == "__main__":
    main()
