"""SDTM in: the domains DM, SUPPDM, DS, QS, LB, AE, SV and EX (CSV or SAS transport) to a canonical study.

:func:`read_sdtm` reads a folder of SDTM domains, one file per domain named after it (``dm.csv`` or
``DM.xpt``; any case), and builds the canonical tables of a study folder (patients, visits, adverse events;
see the README's data contract), validated by :func:`axspa.io.validate_frames`. :func:`write_sdtm_study`
writes them as a study folder with the exclusions report. Every SDTM record either goes into the study or
is listed in the exclusions report (:data:`EXCLUSION_REPORT_COLUMNS`: domain, file, row, USUBJID,
variable, value, rule and reason); rows count data records from 1, the header not counted.

Where each canonical value comes from
-------------------------------------
- **Patients** (DM, one record per subject): ``patient_id`` is SUBJID (USUBJID when DM has no SUBJID);
  ``sex`` from SEX (M, F; U is missing); ``age_years`` from AGE (AGEU must be YEARS); the reference date
  (study day 1) is RFSTDTC, else RFXSTDTC. With two or more planned arms (ARMCD) the study is controlled:
  ``arm`` is ARMCD in lower case, labelled by ARM; ``treated`` is whether the subject has an EX record
  (without an EX domain: ACTARMCD is not ``NOTTRT``). Disease duration, subtype and the stratification
  factors have no SDTM variable: they come from SUPPDM (QNAM ``DISDURY``, disease duration in years;
  ``AXSUBTYP``, the subtype; a stratum's QNAM is :func:`stratum_qnam` of its name). HLA-B27 is the LB
  test ``HLAB27AG`` (LBSTRESC POSITIVE or NEGATIVE). A further SUPPDM record of a subject's qualifier, or
  HLA-B27 record of a subject, is listed (rule ``duplicate``): the first gives the value.
- **Disposition** (DS): the subject's latest disposition event (DSCAT ``DISPOSITION EVENT``, or every DS
  record when DS has no DSCAT): DSDECOD ``COMPLETED`` gives ``completed``, a term of CDISC's NCOMPLT
  codelist (:data:`axspa.cdisc.terms.NCOMPLT`) ``withdrawn`` with that reason, any other term
  ``withdrawn`` with reason ``other``; ``last_week`` is DSSTDTC in weeks from the reference date. A subject
  without a disposition event is ``ongoing``.
- **Visits** (QS, LB, with SV): a QS record's QSTESTCD and an LB record's LBTESTCD name the canonical
  column through the table of parameter codes (:func:`axspa.cdisc.terms.read_codes`: the questionnaire
  codes, QSCAT and QSTESTCD, are sponsor-defined, **not CDISC controlled terminology**; the laboratory codes
  CRP, ESR and IGA are CDISC LBTESTCD terms). The value is the standard result: QSSTRESN (QSSTRESC when
  QSSTRESN is blank), LBSTRESN, or LBSTRESC when LBSTRESN is blank (a value below the limit of
  quantification, ``"<5"``, is kept as such). LBSTRESU must be a unit the column accepts: the canonical one
  (mg/L for CRP, g/L for IgA, mm/h for ESR) or one of :data:`axspa.measures.UNIT_ALIASES` (mg/dL); a test
  given in one other unit keeps it, and the loader converts it once, with the factor of
  :data:`~axspa.measures.UNIT_ALIASES`; a test given in several units is converted here, with the same
  factor, to the canonical unit.
- **Analysis visits.** The records of one visit (USUBJID and VISITNUM; the date when VISITNUM is blank)
  are dated by SV's SVSTDTC for that visit, else by their earliest --DTC (SV holds one record per subject and
  visit: a further SV record of the same visit is listed, rule ``duplicate``). The visit's analysis week comes
  from its study day and the schedule's visit windows (:func:`axspa.ingest.schedule.dates_to_weeks`; the
  schedule of a ``study.toml`` beside the domains, else the planned study days VISITDY of SV, with windows
  of one day). With a baseline flag (--LOBXFL, else --BLFL) in a domain, its records flagged ``Y`` are the
  baseline (week ``baseline_week``, 0 by default) whatever their date, and its records not flagged that
  fall in the baseline week are listed (rule ``baseline_flag``).
- **Adverse events** (AE): ``term`` is AETERM, ``onset_week`` AESTDTC in weeks from the reference date,
  ``severity`` AESEV, ``serious`` AESER (Y, N), ``action`` AEACNOTH, else AEACN.

Dates are ISO 8601. A partial date is imputed to the first day of the missing month or year (the
``"first"`` imputation of admiral's ``derive_vars_dt`` [2]_) and kept, with its imputation flag (``D``:
the day was imputed; ``M``: the month and day), in :attr:`SdtmStudy.imputed_dates`. A blank character
value is missing. Records of tests axspa does not use, protocol milestones in DS, earlier disposition
events and visits without QS or LB records are listed as not used (rule ``not_used``); like the visits the
schedule's windows leave out (rule ``visit_window``) and records not flagged as baseline at the baseline
week, they inform and do not make strict reading fail (:data:`INFORMATION_RULES`). Every other problem is
an error naming the domain, the variable, the row, the subject and the value.

A ``study.toml`` beside the domains (the file of a study folder, :mod:`axspa.ingest.study_file`) declares
what SDTM does not say: the control arm, the strata, the primary week, visit windows and the study's own
measures.

References
----------
.. [1] CDISC. Study Data Tabulation Model Implementation Guide: Human Clinical Trials, version 3.4, 2021
   (DM, DS, QS, LB, AE, SV, EX; --LOBXFL; study days, section 4.4.4; partial dates, section 4.4.2).
.. [2] admiral: ADaM in R Asset Library, ``derive_vars_dt`` and the vignette "Date and Time Imputation"
   (date imputation ``"first"``; flag ``--DTF``: ``D`` day imputed, ``M`` month imputed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from axspa.cdisc.terms import HLA_B27_TEST, NCOMPLT, SEX_CODES, Parameter, read_codes
from axspa.design import ARM_CODE, Arm, StudyDesign
from axspa.errors import DataValidationError, InputError, Problem
from axspa.ingest.columns import ADVERSE_EVENTS, PATIENTS, VISITS
from axspa.ingest.schedule import INFORMATION_RULES as SCHEDULE_INFORMATION
from axspa.ingest.schedule import dates_to_weeks
from axspa.ingest.study_file import STUDY_FILE, read_study_file, study_file_text
from axspa.io import LoadedStudy, check_on_invalid, read_table, validate_frames
from axspa.measures import REGISTRY, UNIT_ALIASES, MeasureKind
from axspa.options import OnInvalid
from axspa.results import Result, compact
from axspa.spreadsheet import write_csv
from axspa.units import parse_lab_value, parse_number

__all__ = [
    "DOMAINS",
    "EXCLUSIONS_FILE",
    "EXCLUSION_REPORT_COLUMNS",
    "IMPUTED_DATES_FILE",
    "IMPUTED_DATE_COLUMNS",
    "INFORMATION_RULES",
    "SUPPDM_QNAMS",
    "SdtmStudy",
    "read_sdtm",
    "stratum_qnam",
    "write_sdtm_study",
]

DOMAINS: tuple[str, ...] = ("DM", "SUPPDM", "DS", "QS", "LB", "AE", "SV", "EX")
"""The domains read, in the order records are reported; only DM is required."""

_REQUIRED: Mapping[str, tuple[str, ...]] = {
    "DM": ("USUBJID",),
    "SUPPDM": ("USUBJID", "QNAM", "QVAL"),
    "DS": ("USUBJID", "DSDECOD"),
    "QS": ("USUBJID", "QSTESTCD"),
    "LB": ("USUBJID", "LBTESTCD", "LBSTRESU"),
    "AE": ("USUBJID", "AETERM"),
    "SV": ("USUBJID", "VISITNUM"),
    "EX": ("USUBJID",),
}

SUPPDM_QNAMS: Mapping[str, str] = {"DISDURY": "disease_duration_years", "AXSUBTYP": "subtype"}
"""SUPPDM QNAM -> the patients' column it gives (sponsor-defined qualifiers, not CDISC terms)."""

EXCLUSION_REPORT_COLUMNS = ("domain", "file", "row", "USUBJID", "variable", "value", "rule", "reason")
"""Columns of the SDTM exclusions report, one line per reason a record is not in the study."""

IMPUTED_DATE_COLUMNS = ("domain", "file", "row", "USUBJID", "variable", "value", "imputed", "flag")
"""Columns of the table of partial dates: the date as given, the date used and the imputation flag."""

INFORMATION_RULES = frozenset({"not_used", "baseline_flag"}) | SCHEDULE_INFORMATION
"""Rules that list a record without being an error: strict reading does not fail on them."""

EXCLUSIONS_FILE = "sdtm_exclusions.csv"
IMPUTED_DATES_FILE = "sdtm_imputed_dates.csv"

_DISPOSITION_EVENT = "DISPOSITION EVENT"
_COMPLETED = "COMPLETED"
_NOT_ASSIGNED = frozenset({"SCRNFAIL", "NOTASSGN"})  # ARMCD of a screen failure, of a subject not assigned
_NOT_TREATED = frozenset({"NOTTRT"}) | _NOT_ASSIGNED
_SEX = {code: sex for sex, code in SEX_CODES.items()}
_UNKNOWN_SEX = frozenset({"U", "UNDIFFERENTIATED"})
_REASONS = {term: reason for reason, term in NCOMPLT.items()}
_HLA = {"POSITIVE": "true", "NEGATIVE": "false"}
_YES_NO = {"Y": "true", "N": "false"}
_DTC = re.compile(r"^(\d{4})(?:-(\d{2}|-)(?:-(\d{2})?)?)?(?:T[0-9:.,+\-Z]*)?$")
_XPT_ZERO = 1e-78  # pandas reads an XPT zero as 5.397605e-79 (pandas-dev/pandas#50670)
_BASELINE = "baseline"


def stratum_qnam(name: str) -> str:
    """The SUPPDM QNAM of a stratification factor: its name in upper case, letters and digits, 8 at most.

    Examples
    --------
    >>> stratum_qnam("prior_tnfi"), stratum_qnam("region")
    ('PRIORTNF', 'REGION')
    """
    return re.sub(r"[^A-Z0-9]", "", name.upper())[:8]


@dataclass(frozen=True, slots=True)
class _Rec:
    """One SDTM record: where it is and whose it is."""

    domain: str
    file: str
    row: int
    usubjid: str | None


_Records = list[tuple[_Rec, dict[str, str | None]]]
"""The records of a domain: where each is, and its values by variable (blank: None)."""

_Belongs = Callable[[_Rec], bool]
"""Whether a record's subject is a patient of the study (a record that is not is listed)."""


@dataclass
class _Measurement:
    rec: _Rec
    column: str  # canonical column
    value: str
    unit_column: str  # the column of its unit (canonical, or an alias such as crp_mg_dl)
    visitnum: str | None
    when: date | None
    flagged: bool | None  # None: the domain has no baseline flag
    variable: str  # the SDTM variable of the value
    flag_variable: str | None  # --LOBXFL or --BLFL


@dataclass
class _Log:
    listed: list[dict[str, Any]] = field(default_factory=list)
    imputed: list[dict[str, Any]] = field(default_factory=list)

    def add(self, rec: _Rec, variable: str | None, value: object, rule: str, reason: str) -> None:
        self.listed.append(
            {
                "domain": rec.domain,
                "file": rec.file,
                "row": rec.row,
                "USUBJID": rec.usubjid,
                "variable": variable,
                "value": value,
                "rule": rule,
                "reason": reason,
            }
        )

    def rows(self) -> set[tuple[str, int]]:
        return {(e["file"], e["row"]) for e in self.listed}


@dataclass(frozen=True, slots=True, repr=False)
class SdtmStudy(Result):
    """A study read from SDTM domains: the loaded study, the tables to write and every record left out.

    Attributes
    ----------
    study : LoadedStudy
        The canonical study (:func:`axspa.io.validate_frames` of :attr:`tables`).
    tables : dict of DataFrame
        ``patients``, ``visits`` and ``adverse_events`` as text, the rows that loaded, as
        :func:`write_sdtm_study` writes them.
    exclusions : DataFrame
        One line per reason an SDTM record is not in the study (:data:`EXCLUSION_REPORT_COLUMNS`).
    imputed_dates : DataFrame
        Every partial date read, the date used and its imputation flag (:data:`IMPUTED_DATE_COLUMNS`).
    records_read : dict
        Records read per domain.
    """

    study: LoadedStudy
    tables: dict[str, pd.DataFrame]
    exclusions: pd.DataFrame
    imputed_dates: pd.DataFrame
    records_read: dict[str, int]

    def _summary_items(self) -> list[tuple[str, str]]:
        return [
            ("name", compact(self.study.name)),
            ("records_read", compact(self.records_read)),
            ("records_listed", str(len(self.exclusions[["file", "row"]].drop_duplicates()))),
            ("imputed_dates", str(len(self.imputed_dates))),
            (
                "loaded",
                compact(dict(zip(*self.study.to_frame()[["table", "loaded"]].to_dict("list").values(), strict=True))),
            ),
        ]

    def to_frame(self) -> pd.DataFrame:
        """Records read, in the study and listed, per domain (``domain``, ``read``, ``used``, ``listed``).

        A record whose only listing is a value set missing (rule ``set_missing``) is in the study and listed.
        """
        listed = self.exclusions.drop_duplicates(["domain", "row"]).groupby("domain").size()
        left_out = self.exclusions[self.exclusions["rule"] != "set_missing"]
        out = left_out.drop_duplicates(["domain", "row"]).groupby("domain").size()
        rows = [
            {"domain": d, "read": n, "used": n - int(out.get(d, 0)), "listed": int(listed.get(d, 0))}
            for d, n in self.records_read.items()
        ]
        return pd.DataFrame(rows, columns=["domain", "read", "used", "listed"])


# -- reading the files ---------------------------------------------------------------------------------


def _domain_files(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        domain = path.stem.upper()
        if path.suffix.lower() not in (".csv", ".xpt") or domain not in DOMAINS or not path.is_file():
            continue
        if domain in found:
            raise InputError(
                f"SDTM folder {folder.name!r} holds two files of domain {domain}: {found[domain].name} and "
                f"{path.name}; keep one"
            )
        found[domain] = path
    if "DM" not in found:
        raise InputError(f"SDTM folder {folder.name!r} has no DM domain (dm.csv or dm.xpt); it is required")
    return found


def _text(value: object) -> str | None:
    """A cell as stripped text; blank (or NaN) is missing. Numbers of an XPT file are written in full."""
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        number = 0.0 if abs(float(value)) < _XPT_ZERO else float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = str(value).strip()
    return text or None


def _read_domain(path: Path, domain: str) -> pd.DataFrame:
    if path.suffix.lower() == ".xpt":
        try:
            frame = _read_xpt(path)
        except Exception as exc:  # pandas raises several kinds for a file that is not SAS transport
            raise InputError(f"{path.name} is not a SAS transport (XPT) file that can be read: {exc}") from None
    else:
        frame = read_table(path)
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    missing = [v for v in _REQUIRED[domain] if v not in frame.columns]
    if missing:
        raise InputError(f"{path.name}: domain {domain} lacks the variable(s) {', '.join(missing)}; they are required")
    return pd.DataFrame(
        {c: pd.Series([_text(v) for v in frame[c].to_numpy(dtype=object)], dtype=object) for c in frame.columns}
    )


def _read_xpt(path: Path) -> pd.DataFrame:
    """A SAS transport file read with :func:`pandas.read_sas`, every record kept.

    When the records are shorter than 80 bytes, pandas (3.0) counts them by taking every 8-byte run of
    blanks in the file's last 80-byte line as padding, so it drops the last record(s) when blank text
    (a blank flag, a short value in a long field) fills such a run. Here the records are counted from
    the record length instead (trailing records of blanks only are padding: a numeric value is never blank,
    and USUBJID is required) and pandas reads that many.
    """
    with pd.read_sas(path, format="xport", iterator=True, encoding="latin-1") as reader:
        start, length = int(getattr(reader, "record_start")), int(getattr(reader, "record_length"))  # noqa: B009
        data = path.read_bytes()
        n = (len(data) - start) // length if length else 0
        while n and not data[start + (n - 1) * length : start + n * length].strip(b" "):
            n -= 1
        if n == 0:
            return pd.DataFrame(columns=list(getattr(reader, "columns")))  # noqa: B009
        setattr(reader, "nobs", n)  # noqa: B010
        frame: pd.DataFrame = reader.read()
    return frame


def _dtc(raw: str | None, rec: _Rec, variable: str, log: _Log) -> tuple[date | None, bool]:
    """An ISO 8601 date (partial ones imputed to the first day, logged with their flag); (date, readable)."""
    if raw is None:
        return None, True
    m = _DTC.match(raw)
    problem = f"{rec.domain}.{variable} must be an ISO 8601 date (YYYY-MM-DD, or partial: YYYY-MM, YYYY); got {raw!r}"
    if m is None:
        log.add(rec, variable, raw, "date", problem)
        return None, False
    year, month, day = m.group(1), m.group(2), m.group(3)
    month_known = month is not None and month != "-"
    flag = None if month_known and day is not None else ("D" if month_known else "M")
    try:
        when = date(int(year), int(month) if month_known else 1, int(day) if flag is None else 1)
    except ValueError:
        log.add(rec, variable, raw, "date", problem)
        return None, False
    if flag is not None:
        log.imputed.append(
            {
                "domain": rec.domain,
                "file": rec.file,
                "row": rec.row,
                "USUBJID": rec.usubjid,
                "variable": variable,
                "value": raw,
                "imputed": when.isoformat(),
                "flag": flag,
            }
        )
    return when, True


def _number_text(value: float) -> str:
    return f"{round(value, 4):.4f}".rstrip("0").rstrip(".")


def _weeks_after(when: date, reference: date) -> str:
    return _number_text((when - reference).days / 7)


def _records(frame: pd.DataFrame, domain: str, file: str) -> _Records:
    out = []
    for i, row in enumerate(frame.to_dict(orient="records")):
        cells = {str(k): v for k, v in row.items()}
        out.append((_Rec(domain, file, i + 1, cells.get("USUBJID")), cells))
    return out


# -- the reader ----------------------------------------------------------------------------------------


@dataclass
class _Patient:
    rec: _Rec
    row: dict[str, str | None]
    provenance: dict[str, tuple[_Rec, str]]  # canonical column -> (record, SDTM variable)
    reference: date | None = None
    records: list[_Rec] = field(default_factory=list)  # every other record that gives the patient a value

    def source(self, column: str, rec: _Rec, variable: str) -> None:
        """Record that ``column`` comes from ``variable`` of ``rec``."""
        self.provenance[column] = (rec, variable)
        if rec != self.rec and rec not in self.records:
            self.records.append(rec)


def read_sdtm(
    folder: str | Path,
    *,
    strict: bool = True,
    name: str | None = None,
    codes: str | Path | None = None,
    on_invalid: OnInvalid = "exclude",
) -> SdtmStudy:
    r"""Read a folder of SDTM domains (CSV or SAS transport) into a canonical study.

    Parameters
    ----------
    folder : str or Path
        Folder with one file per domain, named after it (``dm.csv``, ``QS.xpt``, ...): DM (required),
        SUPPDM, DS, QS, LB, AE, SV, EX; optionally a ``study.toml`` (see the module's notes).
    strict : bool, default True
        True: raise one error listing every problem. False: load what can be loaded; every record left
        out is in :attr:`SdtmStudy.exclusions` with its reason.
    name : str, optional
        The study's name; the folder's name by default.
    codes : str or Path, optional
        An edited copy of the table of parameter codes (:func:`axspa.cdisc.terms.read_codes`), whose
        QSTESTCD (the ADQS PARAMCD) and LBTESTCD name the columns; the shipped ``codes.csv`` by default.
    on_invalid : {"exclude", "missing"}, default "exclude"
        With ``strict=False``: a canonical row with a bad value is left out, or loads with the value set
        missing where the loading rules allow it (:func:`axspa.io.validate_frames`). A value set missing is
        blank in :attr:`SdtmStudy.tables` and listed in :attr:`SdtmStudy.exclusions` at its SDTM record and
        variable, with rule ``set_missing``.

    Returns
    -------
    SdtmStudy
        The loaded study, its tables as text, the records left out and the partial dates imputed.

    Raises
    ------
    DataValidationError
        In strict mode, when a record breaks a rule; each problem names the file (domain), the row, the
        subject (USUBJID), the variable and the value.
    InputError
        If the folder does not exist, has no DM domain or two files of one domain, a file cannot be read,
        a domain lacks a required variable, or the dates need a schedule the study does not give.

    Examples
    --------
    One subject, two visits of BASDAI question 1 and a test axspa does not use:

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = pathlib.Path(tmp)
    ...     _ = (folder / "dm.csv").write_text("USUBJID,SUBJID,RFSTDTC,AGE,SEX\nS-1,1,2024-01-01,40,M\n")
    ...     _ = (folder / "qs.csv").write_text(
    ...         "USUBJID,QSTESTCD,QSSTRESN,VISITNUM,QSDTC\n"
    ...         "S-1,BASDAI01,6,1,2024-01-01\nS-1,BASDAI01,4,2,2024-01-29\nS-1,SF36PF,40,2,2024-01-29\n")
    ...     _ = (folder / "study.toml").write_text("[study]\nschedule = [0, 4]\n")
    ...     sdtm = read_sdtm(folder)
    >>> sdtm.study.visits[["patient_id", "week", "basdai_q1"]].values.tolist()
    [['1', 0.0, 6.0], ['1', 4.0, 4.0]]
    >>> sdtm.exclusions[["file", "row", "USUBJID", "rule"]].values.tolist()
    [['qs.csv', 3, 'S-1', 'not_used']]
    """
    folder = Path(folder)
    check_on_invalid(on_invalid, strict=strict)
    if not folder.is_dir():
        raise InputError(f"SDTM folder {str(folder)!r} does not exist or is not a folder")
    files = _domain_files(folder)
    domains = {d: _read_domain(p, d) for d, p in files.items()}
    registry, design = read_study_file(folder)
    log = _Log()
    table = read_codes(codes)

    patients = _demographics(domains["DM"], files["DM"].name, log)
    not_randomised = _not_randomised(patients, log)
    in_dm = {u for u in domains["DM"]["USUBJID"] if u is not None}

    def belongs(rec: _Rec) -> bool:
        """Whether the record's subject is a patient of the study; if not, the record is listed."""
        if rec.usubjid is None:
            log.add(rec, "USUBJID", None, "required", f"{rec.domain}.USUBJID is blank; every record needs it")
            return False
        if rec.usubjid in patients:
            return True
        if rec.usubjid in not_randomised:
            log.add(
                rec,
                "USUBJID",
                rec.usubjid,
                "not_used",
                f"the subject was not randomised (DM.ARMCD {not_randomised[rec.usubjid]})",
            )
        elif rec.usubjid in in_dm:
            reason = f"the DM record of subject {rec.usubjid!r} is not loaded (see its DM row)"
            log.add(rec, "USUBJID", rec.usubjid, "unknown_patient", reason)
        else:
            reason = f"{rec.domain}.USUBJID {rec.usubjid!r} is not in DM"
            log.add(rec, "USUBJID", rec.usubjid, "unknown_patient", reason)
        return False

    # the design: arms from DM, the schedule from the study file or SV's planned days
    design = _arms(patients, design, log)
    if not design.schedule and "SV" in domains and "VISITDY" in domains["SV"].columns:
        design = replace(design, schedule=_planned_weeks(domains["SV"]["VISITDY"]))
    baseline_week = design.baseline_week if design.baseline_week is not None else 0.0

    if "SUPPDM" in domains:
        _supplemental(_records(domains["SUPPDM"], "SUPPDM", files["SUPPDM"].name), patients, design, belongs, log)
    _disposition(domains.get("DS"), files.get("DS"), patients, belongs, log)
    _treated(domains, files, patients, design, belongs, log)

    measurements: list[_Measurement] = []
    if "QS" in domains:
        measurements += _questionnaires(_records(domains["QS"], "QS", files["QS"].name), table, belongs, log)
    if "LB" in domains:
        measurements += _labs(_records(domains["LB"], "LB", files["LB"].name), table, patients, belongs, log)
    sv = _records(domains["SV"], "SV", files["SV"].name) if "SV" in domains else []
    visits, visit_prov = _visits(measurements, sv, patients, design, baseline_week, belongs, log, table)
    events, event_prov = _adverse_events(domains.get("AE"), files.get("AE"), patients, belongs, log)

    # the canonical tables, validated
    ids = {u: p.row["patient_id"] for u, p in patients.items()}
    pt = pd.DataFrame([p.row for p in patients.values()])
    order = [*PATIENTS.columns, "arm", "treated", *design.strata]
    pt = pt[sorted(pt.columns, key=lambda c: order.index(c) if c in order else len(order))]
    pt = pt.drop(columns=[c for c in pt.columns if pt[c].isna().all() and c not in _REQUIRED_PATIENT])
    visits["patient_id"] = visits["patient_id"].map(ids)
    if len(events):
        events["patient_id"] = events["patient_id"].map(ids)
    sources = {"patients": files["DM"].name, "visits": "QS/LB", "adverse_events": "AE"}
    loaded = validate_frames(
        pt,
        visits,
        events,
        strict=False,
        name=name or folder.name,
        sources=sources,
        registry=registry,
        design=design,
        on_invalid=on_invalid,
    )
    patient_prov = list(patients.values())
    given = {"patients": pt, "visits": visits, "adverse_events": events}
    _blank_set_missing(loaded, sources, given, patient_prov, visit_prov, event_prov, log)
    kept = _map_back(loaded, sources, patient_prov, visit_prov, event_prov, log)
    tables = {key: table[kept[key]].reset_index(drop=True) for key, table in given.items()}
    rank = {d: i for i, d in enumerate(DOMAINS)}
    listed = sorted(log.listed, key=lambda e: (rank[e["domain"]], e["row"]))
    exclusions = pd.DataFrame(listed, columns=list(EXCLUSION_REPORT_COLUMNS))
    errors = [e for e in listed if e["rule"] not in INFORMATION_RULES]
    if strict and errors:
        problems = [
            Problem(e["rule"], e["reason"], e["variable"], e["value"], e["file"], e["row"], e["USUBJID"])
            for e in errors
        ]
        raise DataValidationError(problems=problems, summary=f"SDTM folder {folder.name!r}")
    return SdtmStudy(
        study=loaded,
        tables=tables,
        exclusions=exclusions,
        imputed_dates=pd.DataFrame(log.imputed, columns=list(IMPUTED_DATE_COLUMNS)),
        records_read={d: len(domains[d]) for d in DOMAINS if d in domains},
    )


_REQUIRED_PATIENT = ("patient_id", "sex", "age_years", "status")


def _demographics(dm: pd.DataFrame, file: str, log: _Log) -> dict[str, _Patient]:
    patients: dict[str, _Patient] = {}
    use_subjid = "SUBJID" in dm.columns and dm["SUBJID"].notna().all() and dm["SUBJID"].is_unique
    for rec, row in _records(dm, "DM", file):
        usubjid = rec.usubjid
        if usubjid is None:
            log.add(rec, "USUBJID", None, "required", "DM.USUBJID is blank; every subject needs it")
            continue
        if usubjid in patients:
            first = patients[usubjid].rec.row
            log.add(rec, "USUBJID", usubjid, "duplicate", f"DM.USUBJID {usubjid!r} repeats DM row {first}")
            continue
        out: dict[str, str | None] = {"patient_id": row["SUBJID"] if use_subjid else usubjid}
        prov: dict[str, tuple[_Rec, str]] = {"patient_id": (rec, "SUBJID" if use_subjid else "USUBJID")}
        sex = row.get("SEX")
        if sex is not None and sex.upper() not in _SEX and sex.upper() not in _UNKNOWN_SEX:
            log.add(rec, "SEX", sex, "choice", f"DM.SEX must be M, F or U; got {sex!r}")
            continue
        out["sex"] = _SEX.get(sex.upper()) if sex is not None else None
        prov["sex"] = (rec, "SEX")
        unit = row.get("AGEU")
        if unit is not None and unit.upper() != "YEARS":
            log.add(rec, "AGEU", unit, "unit", f"DM.AGEU must be YEARS; got {unit!r}")
            continue
        out["age_years"] = row.get("AGE")
        prov["age_years"] = (rec, "AGE")
        reference, readable = None, True
        for variable in ("RFSTDTC", "RFXSTDTC"):
            if row.get(variable) is not None:
                reference, readable = _dtc(row[variable], rec, variable, log)
                break
        if not readable:
            continue
        out["arm_code"] = row.get("ARMCD")
        out["arm_label"] = row.get("ARM")
        out["actual_arm"] = row.get("ACTARMCD")
        patients[usubjid] = _Patient(rec, out, prov, reference)
    return patients


def _not_randomised(patients: dict[str, _Patient], log: _Log) -> dict[str, str]:
    """Take out (and list) the subjects whose ARMCD says they were not randomised; their USUBJID -> ARMCD."""
    out = {}
    for usubjid, p in list(patients.items()):
        code = p.row["arm_code"]
        if code is not None and code.upper() in _NOT_ASSIGNED:
            log.add(p.rec, "ARMCD", code, "not_used", f"the subject was not randomised (DM.ARMCD {code})")
            out[usubjid] = code
            del patients[usubjid]
    return out


def _arms(patients: dict[str, _Patient], design: StudyDesign, log: _Log) -> StudyDesign:
    """The design with the arms of DM (two or more ARMCD values make the study controlled)."""
    labels: dict[str, str] = {}
    for p in patients.values():
        code = p.row.pop("arm_code")
        label = p.row.pop("arm_label")
        p.row["arm"] = None if code is None else code.lower()
        if code is not None:
            labels.setdefault(code.lower(), label or code)
    controlled = sum(ARM_CODE.fullmatch(c) is not None for c in labels) >= 2
    for usubjid, p in list(patients.items()):
        arm = p.row.pop("arm")
        if not controlled:
            continue
        if arm is None or not ARM_CODE.fullmatch(arm):
            log.add(
                p.rec,
                "ARMCD",
                arm,
                "choice",
                f"DM.ARMCD must be a code of letters, digits and _ starting with a letter (the arm); got {arm!r}",
            )
            del patients[usubjid]
            continue
        p.row["arm"] = arm
        p.provenance["arm"] = (p.rec, "ARMCD")
    if not controlled or design.controlled:
        return design
    good = sorted(c for c in labels if ARM_CODE.fullmatch(c))
    return replace(design, arms=tuple(Arm(c, labels[c]) for c in good), declared=True)


def _planned_weeks(visitdy: pd.Series) -> tuple[float, ...]:
    days = {float(parse_number(d)) for d in visitdy.dropna()}
    return tuple(sorted((d - 1 if d > 0 else d) / 7 for d in days))


def _supplemental(
    records: _Records, patients: dict[str, _Patient], design: StudyDesign, belongs: _Belongs, log: _Log
) -> None:
    strata = {stratum_qnam(s): s for s in design.strata}
    given: dict[tuple[str, str], _Rec] = {}  # the record that gave each subject's qualifier
    for rec, row in records:
        if not belongs(rec):
            continue
        qnam = (row.get("QNAM") or "").upper()
        column = SUPPDM_QNAMS.get(qnam) or strata.get(qnam)
        if column is None:
            log.add(
                rec,
                "QNAM",
                row.get("QNAM"),
                "not_used",
                f"SUPPDM.QNAM {row.get('QNAM')!r} is not a qualifier axspa uses",
            )
            continue
        first = given.setdefault((str(rec.usubjid), column), rec)
        if first is not rec:  # one value per subject and qualifier: the first gives it
            _repeated(log, rec, first, "QNAM", row.get("QNAM"), f"QNAM {qnam}")
            continue
        value = row.get("QVAL")
        patient = patients[str(rec.usubjid)]
        patient.row[column] = value.lower() if column == "subtype" and value else value
        patient.source(column, rec, "QVAL")


def _disposition(
    ds: pd.DataFrame | None, path: Path | None, patients: dict[str, _Patient], belongs: _Belongs, log: _Log
) -> None:
    events: dict[str, list[tuple[_Rec, dict, date | None]]] = {}
    for p in patients.values():
        p.row.update(status="ongoing", withdrawal_reason=None, last_week=None)
    if ds is None or path is None:
        return
    for rec, row in _records(ds, "DS", path.name):
        if not belongs(rec):
            continue
        category = row.get("DSCAT")
        if "DSCAT" in ds.columns and (category or "").upper() != _DISPOSITION_EVENT:
            log.add(rec, "DSCAT", category, "not_used", f"DS.DSCAT {category!r} is not a disposition event")
            continue
        when, readable = _dtc(row.get("DSSTDTC"), rec, "DSSTDTC", log)
        if readable:
            events.setdefault(str(rec.usubjid), []).append((rec, row, when))
    for usubjid, items in events.items():
        order = sorted(range(len(items)), key=lambda k: (items[k][2] or date.min, k))
        rec, row, when = items[order[-1]]
        for k in order[:-1]:
            log.add(
                items[k][0],
                "DSDECOD",
                items[k][1].get("DSDECOD"),
                "not_used",
                f"an earlier disposition event; the subject's end of study is DS row {rec.row}",
            )
        p = patients[usubjid]
        term = (row.get("DSDECOD") or "").upper()
        p.row["status"] = "completed" if term == _COMPLETED else "withdrawn"
        p.row["withdrawal_reason"] = None if term == _COMPLETED else _REASONS.get(term, "other")
        if when is not None and p.reference is not None:
            p.row["last_week"] = _weeks_after(when, p.reference)
        for column, variable in (("status", "DSDECOD"), ("withdrawal_reason", "DSDECOD"), ("last_week", "DSSTDTC")):
            p.source(column, rec, variable)


def _treated(
    domains: dict[str, pd.DataFrame],
    files: dict[str, Path],
    patients: dict[str, _Patient],
    design: StudyDesign,
    belongs: _Belongs,
    log: _Log,
) -> None:
    actual = {u: p.row.pop("actual_arm") for u, p in patients.items()}
    if "EX" not in domains:
        if design.controlled and any(a is not None for a in actual.values()):
            for u, p in patients.items():
                p.row["treated"] = "false" if (actual[u] or "").upper() in _NOT_TREATED else "true"
                p.provenance["treated"] = (p.rec, "ACTARMCD")
        return
    dosed: set[str] = set()
    for rec, _row in _records(domains["EX"], "EX", files["EX"].name):
        if not belongs(rec):
            continue
        if not design.controlled:
            log.add(rec, None, None, "not_used", "a single-arm study records no treated flag; EX is not used")
            continue
        dosed.add(str(rec.usubjid))
        patients[str(rec.usubjid)].source("treated", rec, "USUBJID")
    if design.controlled:
        for u, p in patients.items():
            p.row["treated"] = "true" if u in dosed else "false"
            p.provenance.setdefault("treated", (p.rec, "USUBJID"))


def _flag_variable(frame: pd.DataFrame, domain: str) -> str | None:
    for suffix in ("LOBXFL", "BLFL"):
        if f"{domain}{suffix}" in frame.columns:
            return f"{domain}{suffix}"
    return None


def _flagged(rec: _Rec, row: dict, variable: str | None, log: _Log) -> tuple[bool | None, bool]:
    if variable is None:
        return None, True
    value = row.get(variable)
    if value is not None and value.upper() != "Y":
        log.add(rec, variable, value, "choice", f"{rec.domain}.{variable} must be Y or blank; got {value!r}")
        return None, False
    return value is not None, True


def _standard_result(row: Mapping[str, str | None], domain: str) -> tuple[str | None, str]:
    """The standard result of a findings record and its variable: --STRESN, else --STRESC."""
    numeric, character = f"{domain}STRESN", f"{domain}STRESC"
    return (row.get(numeric), numeric) if row.get(numeric) is not None else (row.get(character), character)


def _readable_result(
    rec: _Rec, code: str, value: str | None, variable: str, parse: Callable[[str], object], expected: str, log: _Log
) -> bool:
    """Whether a result can be read; a blank one is listed as not used, an unreadable one as an error."""
    domain = rec.domain
    if value is None:
        reason = f"{domain} record of {code} without a result ({domain}STRESN and {domain}STRESC blank)"
        log.add(rec, f"{domain}STRESC", None, "not_used", reason)
        return False
    try:
        parse(value)
    except ValueError:
        log.add(rec, variable, value, "type", f"{domain}.{variable} of {code} must be {expected}; got {value!r}")
        return False
    return True


def _questionnaires(
    records: _Records, codes: tuple[Parameter, ...], belongs: _Belongs, log: _Log
) -> list[_Measurement]:
    items = {
        p.paramcd: p.column
        for p in codes
        if p.dataset == "ADQS" or (p.column in REGISTRY and REGISTRY[p.column].kind is MeasureKind.METROLOGY)
    }
    out = []
    flag = _flag_variable(pd.DataFrame(columns=list(records[0][1]) if records else []), "QS")
    for rec, row in records:
        if not belongs(rec):
            continue
        code = row.get("QSTESTCD")
        if code not in items:
            log.add(
                rec,
                "QSTESTCD",
                code,
                "not_used",
                f"QS.QSTESTCD {code!r} is not a questionnaire code of the table of parameter codes (codes.csv)",
            )
            continue
        value, variable = _standard_result(row, "QS")
        if not _readable_result(rec, str(code), value, variable, parse_number, "a number", log):
            continue
        flagged, ok = _flagged(rec, row, flag, log)
        when, readable = _dtc(row.get("QSDTC"), rec, "QSDTC", log)
        if ok and readable:
            out.append(
                _Measurement(rec, items[code], str(value), items[code], _visitnum(row), when, flagged, variable, flag)
            )
    return out


def _lab_units(column: str) -> dict[str, str]:
    units = {REGISTRY[column].unit.upper(): column}
    units |= {a.unit.upper(): a.column for a in UNIT_ALIASES.values() if a.canonical == column}
    return units


def _labs(
    records: _Records, codes: tuple[Parameter, ...], patients: dict[str, _Patient], belongs: _Belongs, log: _Log
) -> list[_Measurement]:
    tests = {p.paramcd: p.column for p in codes if p.column in REGISTRY and REGISTRY[p.column].kind is MeasureKind.LAB}
    flag = _flag_variable(pd.DataFrame(columns=list(records[0][1]) if records else []), "LB")
    out = []
    hla_b27: dict[str, _Rec] = {}  # the record that gave each subject's HLA-B27
    for rec, row in records:
        if not belongs(rec):
            continue
        code = row.get("LBTESTCD")
        value, variable = _standard_result(row, "LB")
        if code == HLA_B27_TEST:
            if value is not None and value.upper() not in _HLA:
                log.add(
                    rec,
                    variable,
                    value,
                    "choice",
                    f"LB.{variable} of {HLA_B27_TEST} must be POSITIVE or NEGATIVE; got {value!r}",
                )
                continue
            first = hla_b27.setdefault(str(rec.usubjid), rec)
            if first is not rec:  # one result per subject: the first gives it
                _repeated(log, rec, first, variable, value, f"LBTESTCD {HLA_B27_TEST}")
                continue
            patients[str(rec.usubjid)].row["hla_b27"] = None if value is None else _HLA[value.upper()]
            patients[str(rec.usubjid)].source("hla_b27", rec, variable)
            continue
        if code not in tests:
            log.add(rec, "LBTESTCD", code, "not_used", f"LB.LBTESTCD {code!r} is not a laboratory test axspa uses")
            continue
        if not _readable_result(rec, code, value, variable, parse_lab_value, "a number or '<limit'", log):
            continue
        units = _lab_units(tests[code])
        unit = row.get("LBSTRESU")
        if unit is None or unit.upper() not in units:
            accepted = ", ".join(
                REGISTRY[tests[code]].unit if c == tests[code] else UNIT_ALIASES[c].unit for c in units.values()
            )
            log.add(rec, "LBSTRESU", unit, "unit", f"LB.LBSTRESU of {code} must be one of {accepted}; got {unit!r}")
            continue
        flagged, ok = _flagged(rec, row, flag, log)
        when, readable = _dtc(row.get("LBDTC"), rec, "LBDTC", log)
        if ok and readable:
            out.append(
                _Measurement(
                    rec,
                    tests[code],
                    str(value),
                    units[unit.upper()],
                    _visitnum(row),
                    when,
                    flagged,
                    variable,
                    flag,
                )
            )
    return out


def _repeated(log: _Log, rec: _Rec, first: _Rec, variable: str | None, value: object, what: str = "") -> None:
    """List ``rec``, a further record of what ``first`` gave already (one per subject): the first is used."""
    what = what or f"{variable} {value}"
    reason = f"{rec.domain} record of subject {rec.usubjid}, {what}, repeats {rec.domain} row {first.row}"
    log.add(rec, variable, value, "duplicate", f"{reason}; the first is used")


def _visitnum(row: Mapping[str, str | None]) -> str | None:
    """VISITNUM written the same way whatever the file wrote (``1``, ``1.0``): the key of a visit."""
    raw = row.get("VISITNUM")
    try:
        return None if raw is None else _number_text(parse_number(raw))
    except ValueError:
        return raw


def _convert(value: str, factor: float) -> str:
    lab = parse_lab_value(value)
    if lab is None:
        return value
    number = f"{lab.value * factor:.12g}"
    return f"<{number}" if lab.censored else number


def _visits(
    measurements: list[_Measurement],
    sv: _Records,
    patients: dict[str, _Patient],
    design: StudyDesign,
    baseline_week: float,
    belongs: _Belongs,
    log: _Log,
    codes: tuple[Parameter, ...],
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The visits table (patient = USUBJID for now) and, per row, the records of each column."""
    sv_dates: dict[tuple[str, str], tuple[date | None, _Rec]] = {}
    for rec, row in sv:
        if not belongs(rec):
            continue
        when, readable = _dtc(row.get("SVSTDTC"), rec, "SVSTDTC", log)
        if not readable:
            continue
        key = (str(rec.usubjid), str(_visitnum(row)))
        if key in sv_dates:  # SV holds one record per subject and visit: the first dates the visit
            _repeated(log, rec, sv_dates[key][1], "VISITNUM", key[1])
            continue
        sv_dates[key] = (when, rec)
    # group the records into visits
    visits: dict[tuple[str, str], list[_Measurement]] = {}
    for m in measurements:
        u = str(m.rec.usubjid)
        if m.flagged:
            key = (u, _BASELINE)
        elif m.visitnum is not None:
            key = (u, f"V{m.visitnum}")
        elif m.when is not None:
            key = (u, f"D{m.when.isoformat()}")
        else:
            log.add(
                m.rec,
                "VISITNUM",
                None,
                "date",
                f"{m.rec.domain} record without VISITNUM or a date: its visit is unknown",
            )
            continue
        visits.setdefault(key, []).append(m)
    keys = list(visits)
    sv_of: dict[tuple[str, str], list[_Rec]] = {}  # the SV records of each visit
    for key, ms in visits.items():
        numbers = dict.fromkeys(m.visitnum for m in ms if m.visitnum is not None)
        sv_of[key] = [sv_dates[(key[0], n)][1] for n in numbers if (key[0], n) in sv_dates]
    used_sv = {rec for recs in sv_of.values() for rec in recs}
    table = []
    for u, k in keys:
        when = None
        if k.startswith("V") and (u, k[1:]) in sv_dates:
            when = sv_dates[(u, k[1:])][0]
        if when is None and k != _BASELINE:
            known = [m.when for m in visits[(u, k)] if m.when is not None]
            when = min(known) if known else None
        table.append(
            {
                "patient_id": u,
                "week": _number_text(baseline_week) if k == _BASELINE else None,
                "visit_date": None if when is None else when.isoformat(),
            }
        )
    for key, (_when, rec) in sv_dates.items():
        if rec not in used_sv:
            log.add(rec, "VISITNUM", key[1], "not_used", "a visit without QS or LB records")
    frame = pd.DataFrame(table, columns=["patient_id", "week", "visit_date"])
    reference = pd.DataFrame(
        {
            "patient_id": list(patients),
            "reference_date": [None if p.reference is None else p.reference.isoformat() for p in patients.values()],
        }
    )
    week = np.full(len(keys), np.nan)
    if not design.schedule and frame["week"].isna().any():
        raise InputError(
            "the QS and LB records are dated, but no visit schedule assigns them to analysis weeks: give SV with the "
            "planned study days (VISITDY), or a study.toml beside the domains with the schedule ([study] schedule = "
            "[...], or [schedule] weeks and window_days)"
        )
    dated_visits = dates_to_weeks(reference, frame, design, sources={"patients": "DM", "visits": "visits"})
    if dated_visits is not None and len(keys):
        bad = dated_visits.bad_visits.copy()
        problems = dated_visits.problems + dated_visits.decide(dated_visits.visits, bad, "visits")
        for p in problems:
            if p.row is None or p.source != "visits":
                continue
            for m in visits[keys[p.row - 1]]:
                log.add(m.rec, f"{m.rec.domain}DTC", None if m.when is None else m.when.isoformat(), p.rule, p.message)
            for rec in sv_of[keys[p.row - 1]]:
                log.add(rec, "SVSTDTC", frame["visit_date"].iloc[p.row - 1], p.rule, p.message)
        week = pd.to_numeric(dated_visits.visits["week"], errors="coerce").to_numpy(dtype=float)
        week[bad] = np.nan
        for j in np.flatnonzero(~bad & np.isnan(week)):
            for m in visits[keys[int(j)]]:
                log.add(
                    m.rec,
                    f"{m.rec.domain}DTC",
                    None,
                    "date",
                    f"{m.rec.domain} record without a date: its analysis week is unknown",
                )
    # one row per patient and week
    rows: dict[tuple[str, float], dict[str, Any]] = {}
    flagged_patients = {u for u, k in keys if k == _BASELINE}
    for i, key in enumerate(keys):
        if np.isnan(week[i]):
            continue
        w = float(week[i])
        visit = rows.setdefault((key[0], w), {"patient_id": key[0], "week": _number_text(w), "_recs": {}, "_all": []})
        for m in visits[key]:
            if m.flagged is False and w == baseline_week:
                whose = "" if key[0] in flagged_patients else " (the subject has no flagged record)"
                log.add(
                    m.rec,
                    m.flag_variable,
                    None,
                    "baseline_flag",
                    f"at the baseline week but not flagged as the baseline record{whose}",
                )
                continue
            if m.column in visit["_recs"]:
                first = visit["_recs"][m.column][0]
                log.add(
                    m.rec,
                    m.variable,
                    m.value,
                    "duplicate",
                    f"a second {m.column} of the subject at week {w:g}; {first.domain} row {first.row} gives it",
                )
                continue
            visit["_recs"][m.column] = (m.rec, m.variable, m)
            visit["_all"].append(m.rec)
        visit["_all"] += [rec for rec in sv_of[key] if rec not in visit["_all"]]
    order = {u: i for i, u in enumerate(patients)}
    ordered = sorted(rows.values(), key=lambda r: (order[r["patient_id"]], float(r["week"])))
    # the columns, in the order of the table of codes; a test given in several units converted to the canonical one
    units: dict[str, set[str]] = {}
    for r in ordered:
        for column, (_rec, _var, m) in r["_recs"].items():
            units.setdefault(column, set()).add(m.unit_column)
    out_rows, prov = [], []
    for r in ordered:
        values: dict[str, Any] = {"patient_id": r["patient_id"], "week": r["week"]}
        sources: dict[str, tuple[_Rec, str]] = {}
        for column, (rec, var, m) in r["_recs"].items():
            target = m.unit_column if len(units[column]) == 1 else column
            value = m.value
            if target != m.unit_column:
                value = _convert(value, UNIT_ALIASES[m.unit_column].factor)
            values[target] = value
            sources[target] = (rec, var)
        out_rows.append(values)
        prov.append({"fields": sources, "all": r["_all"]})
    columns = ["patient_id", "week"] + [c for c in _column_order(codes) if any(c in v for v in out_rows)]
    return pd.DataFrame(out_rows, columns=columns), prov


def _column_order(codes: tuple[Parameter, ...]) -> list[str]:
    order = []
    for p in codes:
        order.append(p.column)
        order += [a.column for a in UNIT_ALIASES.values() if a.canonical == p.column]
    return order


def _adverse_events(
    ae: pd.DataFrame | None, path: Path | None, patients: dict[str, _Patient], belongs: _Belongs, log: _Log
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    columns = list(ADVERSE_EVENTS.columns)
    if ae is None or path is None:
        return pd.DataFrame(columns=columns), []
    rows, prov = [], []
    for rec, row in _records(ae, "AE", path.name):
        if not belongs(rec):
            continue
        when, readable = _dtc(row.get("AESTDTC"), rec, "AESTDTC", log)
        if not readable:
            continue
        reference = patients[str(rec.usubjid)].reference
        if when is not None and reference is None:
            log.add(
                rec,
                "AESTDTC",
                row.get("AESTDTC"),
                "reference_date",
                "the onset week cannot be computed: DM gives no RFSTDTC or RFXSTDTC for the subject",
            )
            continue
        serious = row.get("AESER")
        if serious is not None and serious.upper() not in _YES_NO:
            log.add(rec, "AESER", serious, "choice", f"AE.AESER must be Y or N; got {serious!r}")
            continue
        action = row.get("AEACNOTH") or (row.get("AEACN") or "").lower() or None
        rows.append(
            {
                "patient_id": rec.usubjid,
                "term": row.get("AETERM"),
                "onset_week": None if when is None or reference is None else _weeks_after(when, reference),
                "severity": None if row.get("AESEV") is None else str(row["AESEV"]).lower(),
                "serious": None if serious is None else _YES_NO[serious.upper()],
                "action": action,
            }
        )
        fields = {
            "term": "AETERM",
            "onset_week": "AESTDTC",
            "severity": "AESEV",
            "serious": "AESER",
            "action": "AEACNOTH" if row.get("AEACNOTH") else "AEACN",
        }
        prov.append({"fields": {c: (rec, v) for c, v in fields.items()}, "all": [rec]})
    return pd.DataFrame(rows, columns=columns), prov


def _provenance(
    table: str, i: int, patients: list[_Patient], visit_prov: list[dict[str, Any]], event_prov: list[dict[str, Any]]
) -> tuple[dict[str, tuple[_Rec, str]], list[_Rec]]:
    """The SDTM record and variable of each field of canonical row ``i`` of ``table``, and all its records."""
    if table == "patients":
        p = patients[i]
        return dict(p.provenance), [p.rec, *p.records]
    prov = (visit_prov if table == "visits" else event_prov)[i]
    return prov["fields"], prov["all"]


def _blank_set_missing(
    loaded: LoadedStudy,
    sources: Mapping[str, str],
    tables: Mapping[str, pd.DataFrame],
    patients: list[_Patient],
    visit_prov: list[dict[str, Any]],
    event_prov: list[dict[str, Any]],
    log: _Log,
) -> None:
    """Blank in the canonical tables (as text) each value the loading set missing, and list it at its record."""
    table_of = {v: k for k, v in sources.items()}
    for e in loaded.set_missing.to_dict(orient="records"):
        table = table_of.get(e["source"])
        if table is None or pd.isna(e["row"]):
            continue
        i, field_name = int(e["row"]) - 1, str(e["field"])
        tables[table].loc[tables[table].index[i], field_name] = None
        fields, everything = _provenance(table, i, patients, visit_prov, event_prov)
        rec, variable = fields.get(field_name, (everything[0], None))
        where = f"{rec.domain}.{variable} ({field_name})" if variable else field_name
        log.add(rec, variable, e["value"], "set_missing", f"{where} set missing ({e['rule']}): {e['message']}")


def _map_back(
    loaded: LoadedStudy,
    sources: Mapping[str, str],
    patients: list[_Patient],
    visit_prov: list[dict[str, Any]],
    event_prov: list[dict[str, Any]],
    log: _Log,
) -> dict[str, np.ndarray]:
    """List the SDTM records of the canonical rows the checks excluded; the rows kept, per table."""
    table_of = {v: k for k, v in sources.items()}
    sizes = {"patients": len(patients), "visits": len(visit_prov), "adverse_events": len(event_prov)}
    kept = {k: np.ones(n, dtype=bool) for k, n in sizes.items()}
    for e in loaded.exclusions.to_dict(orient="records"):
        table = table_of.get(e["source"])
        if table is None or pd.isna(e["row"]):
            continue
        i = int(e["row"]) - 1
        kept[table][i] = False
        fields, everything = _provenance(table, i, patients, visit_prov, event_prov)
        field_name = e["field"] if isinstance(e["field"], str) else None
        if field_name in fields:
            rec, variable = fields[field_name]
            log.add(rec, variable, e["value"], e["rule"], f"{rec.domain}.{variable} ({field_name}): {e['message']}")
            others = [r for r in everything if r != rec]
        else:
            others = everything
        for rec in others:
            log.add(rec, None, None, e["rule"], f"not loaded with its {table} row: {e['message']}")
    return kept


def write_sdtm_study(sdtm: SdtmStudy, folder: str | Path) -> dict[str, Path]:
    """Write a study read from SDTM as a canonical study folder, with its exclusions report.

    Parameters
    ----------
    sdtm : SdtmStudy
        What :func:`read_sdtm` returned.
    folder : str or Path
        Created if needed. Receives ``patients.csv``, ``visits.csv``, ``adverse_events.csv``, a
        ``study.toml`` when the study has a design to declare (arms, schedule, strata), the exclusions
        report (:data:`EXCLUSIONS_FILE`) and the partial dates imputed (:data:`IMPUTED_DATES_FILE`).

    Returns
    -------
    dict
        File name -> path written. The folder loads with :func:`axspa.io.load_study` to the same study.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for key, spec in (("patients", PATIENTS), ("visits", VISITS), ("adverse_events", ADVERSE_EVENTS)):
        path = folder / spec.filename
        sdtm.tables[key].to_csv(path, index=False, lineterminator="\n")
        paths[spec.filename] = path
    text = study_file_text(sdtm.study.registry, sdtm.study.design)
    if text:
        (folder / STUDY_FILE).write_text(text, encoding="utf-8")
        paths[STUDY_FILE] = folder / STUDY_FILE
    for name, frame in ((EXCLUSIONS_FILE, sdtm.exclusions), (IMPUTED_DATES_FILE, sdtm.imputed_dates)):
        write_csv(frame, folder / name)
        paths[name] = folder / name
    return paths
