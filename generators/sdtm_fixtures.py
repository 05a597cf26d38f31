"""Write the bundled studies as synthetic SDTM: the reference study and the synthetic controlled trial.

No public SDTM data set holds BASDAI or BASFI, so the SDTM test fixtures of axspa are its own bundled
studies written as SDTM domains (CSV): DM, SUPPDM, DS, QS, LB, AE, SV and EX, and for the controlled
trial its ``study.toml`` (control arm, stratum, schedule, primary week: facts SDTM does not carry). Read
back with :func:`axspa.cdisc.sdtm.read_sdtm`, they must give the study folder's analysis, table for table.

Dates come from weeks: each patient's reference date (RFSTDTC, study day 1) is a fixed date of the study
plus a seeded number of days (staggered enrolment), and a record of week w is dated reference + 7w days
(study day 7w + 1). Questionnaire codes (QSCAT, QSTESTCD, QSTEST) are the sponsor-defined codes of
``axspa/cdisc/codes.csv``, not CDISC controlled terminology; the laboratory codes (CRP, ESR, IGA,
HLAB27AG) are CDISC's. The week-0 records carry --LOBXFL = Y. The same seed rebuilds every file byte for
byte: ``python -m generators.sdtm_fixtures [--out DIR]`` (default ``tests/cdisc/sdtm``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from axspa.cdisc.sdtm import SUPPDM_QNAMS, stratum_qnam
from axspa.cdisc.terms import HLA_B27_TEST, NCOMPLT, SEX_CODES, read_codes
from axspa.measures import REGISTRY, UNIT_ALIASES, MeasureKind

__all__ = ["DEFAULT_SEED", "STUDIES", "build", "main"]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT / "tests" / "cdisc" / "sdtm"
DEFAULT_SEED = 2003


@dataclass(frozen=True)
class Source:
    """One bundled study and how it is written as SDTM."""

    folder: str  # under data/
    studyid: str
    start: date  # the first reference date; patients enrol over the following days
    treatment: str  # EXTRT of a single-arm study (a controlled trial uses its arm labels)


STUDIES = (
    Source("thalidomide_2003", "THAL2003", date(2002, 3, 4), "THALIDOMIDE"),
    Source("synthetic_rct", "SYNRCT", date(2024, 1, 8), ""),
)
"""The studies written, each into a folder of its name."""

_ENROLMENT_DAYS = 180
_QS_CODES = {p.column: p for p in read_codes() if p.dataset == "ADQS"}
_LAB_CODES = {p.column: p for p in read_codes() if REGISTRY[p.column].kind is MeasureKind.LAB}
_HLA = {"true": "POSITIVE", "false": "NEGATIVE"}
_SUPP_LABELS = {"DISDURY": "Disease Duration (Years)", "AXSUBTYP": "Axial SpA Subtype"}


def _unit(column: str) -> tuple[str, str]:
    """(canonical column, unit) of a visits column holding a laboratory value."""
    if column in UNIT_ALIASES:
        return UNIT_ALIASES[column].canonical, UNIT_ALIASES[column].unit
    return column, REGISTRY[column].unit


def _dtc(reference: date, week: float) -> str:
    return (reference + timedelta(days=round(7 * week))).isoformat()


def _day(week: float) -> int:
    offset = round(7 * week)
    return offset + 1 if offset >= 0 else offset


def _visit(week: float, schedule: Sequence[float]) -> tuple[int, str, int]:
    """VISITNUM, VISIT and VISITDY of a week."""
    return schedule.index(week) + 1, "BASELINE" if week == 0 else f"WEEK {week:g}", _day(week)


def _frame(rows: list[dict[str, object]], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def _write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def _study(source: Source, out: Path, seed: int) -> None:
    folder = ROOT / "data" / source.folder
    patients, visits, events = (
        pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
        for table in ("patients", "visits", "adverse_events")
    )
    study_file = folder / "study.toml"
    controlled = "arm" in patients.columns
    labels: dict[str, str] = {}
    if controlled:
        import tomllib

        arms = tomllib.loads(study_file.read_text(encoding="utf-8"))["arms"]
        labels = {code: spec["label"] for code, spec in arms.items()}
    strata = [c for c in ("prior_tnfi",) if c in patients.columns]
    rng = np.random.default_rng([seed, STUDIES.index(source)])
    reference = {
        pid: source.start + timedelta(days=int(d))
        for pid, d in zip(patients["patient_id"], rng.integers(0, _ENROLMENT_DAYS, len(patients)), strict=True)
    }
    schedule = sorted({float(w) for w in visits["week"]})
    usubjid = {pid: f"{source.studyid}-{pid}" for pid in patients["patient_id"]}
    common = {"STUDYID": source.studyid}

    dm, supp, ds, ex = [], [], [], []
    for p in patients.to_dict(orient="records"):
        pid, ref = p["patient_id"], reference[p["patient_id"]]
        treated = p.get("treated", "true") == "true"
        armcd = p["arm"].upper() if controlled else source.treatment[:8]
        arm = labels[p["arm"]] if controlled else source.treatment.title()
        dm.append(
            common
            | {
                "DOMAIN": "DM",
                "USUBJID": usubjid[pid],
                "SUBJID": pid,
                "RFSTDTC": ref.isoformat(),
                "RFXSTDTC": ref.isoformat() if treated else "",
                "SITEID": "01",
                "AGE": p["age_years"],
                "AGEU": "YEARS",
                "SEX": SEX_CODES[p["sex"]],
                "ARMCD": armcd,
                "ARM": arm,
                "ACTARMCD": armcd if treated else "NOTTRT",
                "ACTARM": arm if treated else "Not Treated",
            }
        )
        qualifiers = {q: p.get(c, "") for q, c in SUPPDM_QNAMS.items()} | {stratum_qnam(s): p[s] for s in strata}
        for qnam, value in qualifiers.items():
            if value:
                supp.append(
                    common
                    | {
                        "RDOMAIN": "DM",
                        "USUBJID": usubjid[pid],
                        "QNAM": qnam,
                        "QLABEL": _SUPP_LABELS.get(qnam, "Stratification Factor"),
                        "QVAL": value.upper() if qnam == "AXSUBTYP" else value,
                        "QORIG": "CRF",
                    }
                )
        disposition = [("RANDOMIZED", "PROTOCOL MILESTONE", ref.isoformat())] if controlled else []
        if p["status"] != "ongoing":
            term = "COMPLETED" if p["status"] == "completed" else NCOMPLT[p["withdrawal_reason"] or "other"]
            end = _dtc(ref, float(p["last_week"])) if p["last_week"] else ""
            disposition.append((term, "DISPOSITION EVENT", end))
        for seq, (term, category, when) in enumerate(disposition, start=1):
            ds.append(
                common
                | {
                    "DOMAIN": "DS",
                    "USUBJID": usubjid[pid],
                    "DSSEQ": seq,
                    "DSTERM": term,
                    "DSDECOD": term,
                    "DSCAT": category,
                    "DSSTDTC": when,
                }
            )
        if treated:
            ex.append(
                common
                | {
                    "DOMAIN": "EX",
                    "USUBJID": usubjid[pid],
                    "EXSEQ": 1,
                    "EXTRT": arm.upper() if controlled else source.treatment,
                    "EXSTDTC": ref.isoformat(),
                    "EXENDTC": _dtc(ref, float(p["last_week"])) if p["last_week"] else "",
                }
            )

    qs, lb, sv = [], [], []
    qs_seq: dict[str, int] = {}
    lb_seq: dict[str, int] = {}
    for v in visits.to_dict(orient="records"):
        pid, week = v["patient_id"], float(v["week"])
        ref, subject = reference[pid], usubjid[pid]
        visitnum, visit, visitdy = _visit(week, schedule)
        when = _dtc(ref, week)
        timing = {"VISITNUM": visitnum, "VISIT": visit, "VISITDY": visitdy}
        baseline = "Y" if week == 0 else ""
        sv.append(
            common
            | {"DOMAIN": "SV", "USUBJID": subject}
            | timing
            | {"SVSTDTC": when, "SVENDTC": when, "SVSTDY": _day(week)}
        )
        for column, value in ((str(c), x) for c, x in v.items()):
            if not value or column in ("patient_id", "week"):
                continue
            if column in _QS_CODES:
                code = _QS_CODES[column]
                qs_seq[pid] = qs_seq.get(pid, 0) + 1
                qs.append(
                    common
                    | {
                        "DOMAIN": "QS",
                        "USUBJID": subject,
                        "QSSEQ": qs_seq[pid],
                        "QSTESTCD": code.paramcd,
                        "QSTEST": code.param,
                        "QSCAT": code.category,
                        "QSORRES": value,
                        "QSSTRESC": value,
                        "QSSTRESN": value,
                        "QSLOBXFL": baseline,
                    }
                    | timing
                    | {"QSDTC": when, "QSDY": _day(week)}
                )
            else:
                canonical, unit = _unit(column)
                code = _LAB_CODES[canonical]
                censored = value.startswith("<")
                lb_seq[pid] = lb_seq.get(pid, 0) + 1
                lb.append(
                    common
                    | {
                        "DOMAIN": "LB",
                        "USUBJID": subject,
                        "LBSEQ": lb_seq[pid],
                        "LBTESTCD": code.paramcd,
                        "LBTEST": code.param,
                        "LBCAT": "CHEMISTRY" if code.paramcd != "ESR" else "HEMATOLOGY",
                        "LBORRES": value,
                        "LBORRESU": unit,
                        "LBSTRESC": value,
                        "LBSTRESN": "" if censored else value,
                        "LBSTRESU": unit,
                        "LBLOBXFL": baseline,
                    }
                    | timing
                    | {"LBDTC": when, "LBDY": _day(week)}
                )
    for p in patients.to_dict(orient="records"):
        if p.get("hla_b27"):
            pid = p["patient_id"]
            lb_seq[pid] = lb_seq.get(pid, 0) + 1
            lb.append(
                common
                | {
                    "DOMAIN": "LB",
                    "USUBJID": usubjid[pid],
                    "LBSEQ": lb_seq[pid],
                    "LBTESTCD": HLA_B27_TEST,
                    "LBTEST": "HLA-B27 Antigen",
                    "LBCAT": "IMMUNOLOGY",
                    "LBORRES": _HLA[p["hla_b27"]],
                    "LBORRESU": "",
                    "LBSTRESC": _HLA[p["hla_b27"]],
                    "LBSTRESN": "",
                    "LBSTRESU": "",
                    "LBLOBXFL": "",
                    "VISITNUM": 1,
                    "VISIT": "BASELINE",
                    "VISITDY": 1,
                    "LBDTC": reference[pid].isoformat(),
                    "LBDY": 1,
                }
            )
    lb.sort(key=lambda r: (list(usubjid.values()).index(str(r["USUBJID"])), int(str(r["LBSEQ"]))))

    ae = []
    ae_seq: dict[str, int] = {}
    for e in events.to_dict(orient="records"):
        pid = e["patient_id"]
        ae_seq[pid] = ae_seq.get(pid, 0) + 1
        onset = float(e["onset_week"]) if e["onset_week"] else None
        ae.append(
            common
            | {
                "DOMAIN": "AE",
                "USUBJID": usubjid[pid],
                "AESEQ": ae_seq[pid],
                "AETERM": e["term"],
                "AESEV": e["severity"].upper(),
                "AESER": {"true": "Y", "false": "N", "": ""}[e["serious"]],
                "AEACN": "",
                "AEACNOTH": e["action"],
                "AESTDTC": "" if onset is None else _dtc(reference[pid], onset),
                "AESTDY": "" if onset is None else _day(onset),
            }
        )

    out.mkdir(parents=True, exist_ok=True)
    tables = {"dm": dm, "suppdm": supp, "ds": ds, "qs": qs, "lb": lb, "ae": ae, "sv": sv, "ex": ex}
    for name, rows in tables.items():
        _write(_frame(rows, list(rows[0])), out / f"{name}.csv")
    if controlled:
        shutil.copyfile(study_file, out / "study.toml")


def build(out: str | Path = DEFAULT_FOLDER, *, seed: int = DEFAULT_SEED) -> Path:
    """Write every study of :data:`STUDIES` as SDTM CSV files into ``out/<study>``; returns ``out``."""
    out = Path(out)
    for source in STUDIES:
        _study(source, out / source.folder, seed)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generators.sdtm_fixtures", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_FOLDER, help="output folder (default tests/cdisc/sdtm)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    print(f"SDTM fixtures written to {build(args.out, seed=args.seed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
