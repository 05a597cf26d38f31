"""Reading and writing studies: CSV (or Excel) files <-> records <-> canonical frames.

A study folder holds ``patients.csv``, ``visits.csv`` and, optionally,
``adverse_events.csv`` in the canonical columns (see the README's data contract).
:func:`load_study` never drops a row silently: in strict mode it raises one
:class:`~axspa.errors.DataValidationError` listing every problem; in lenient mode it loads
the good rows and lists every excluded row, with its reason, in an exclusions report.

Two engines apply the same rules: ``"frame"`` checks whole columns at once (fast, for
large data) and ``"records"`` builds one Pydantic record per row (for small data, and to
cross-check the frame engine). Both return the same frames and the same problems.
"""

from __future__ import annotations

import codecs
import csv
import mmap
import warnings
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype
from pydantic import ValidationError

from axspa.design import ARM_CODE, SINGLE_ARM, StudyDesign
from axspa.errors import SUMMARY_LINES, DataValidationError, InputError, Problem, summarize_problems
from axspa.ingest.checks import (
    CodedIds,
    check_table,
    conform,
    cross_record_problems,
    keep_with_missing,
    not_settable,
    plain_value,
    warn_implausible,
)
from axspa.ingest.columns import (
    ADVERSE_EVENTS,
    ALIAS_COLUMNS,
    PATIENTS,
    VISITS,
    Column,
    Kind,
    RuleError,
    TableSpec,
    patients_spec,
    visits_spec,
)
from axspa.ingest.distinct import map_cells
from axspa.ingest.missing import is_missing
from axspa.ingest.schedule import INFORMATION_RULES, dates_to_weeks, fractional_week_warning, last_week_notes
from axspa.ingest.study_file import STUDY_FILE, read_study_file, study_file_text
from axspa.measures import REGISTRY, UNIT_ALIASES, MeasureKind, MeasureRegistry
from axspa.models import AdverseEvent, Patient, Study, Visit, frame_to_records, records_to_frame
from axspa.options import ON_INVALID, OnInvalid
from axspa.results import Result, compact

__all__ = [
    "EXCLUSION_COLUMNS",
    "LoadedStudy",
    "check_on_invalid",
    "load_study",
    "problem_table",
    "read_table",
    "sheet_names",
    "validate_frames",
    "write_study",
]

Engine = Literal["frame", "records"]

EXCLUSION_COLUMNS = ("source", "row", "patient_id", "week", "field", "value", "rule", "message")
"""Columns of the exclusions report, one line per problem."""

_MODELS: dict[str, type[Patient] | type[Visit] | type[AdverseEvent]] = {
    "patients": Patient,
    "visits": Visit,
    "adverse_events": AdverseEvent,
}


@dataclass(frozen=True, slots=True, repr=False)
class LoadedStudy(Result):
    """A study loaded into canonical frames, with everything that was not loaded.

    It follows the result protocol of :mod:`axspa.results`: its repr and ``_repr_html_`` give a
    compact summary (rows loaded per table, excluded rows, notes, the study's own measures, the
    input units), never the rows, and :meth:`to_frame` gives the rows read, loaded and excluded per
    table. The fields cannot be reassigned; the frames are the loaded data, so copy one before
    changing it.

    Attributes
    ----------
    name : str
        Name of the study (the folder name by default).
    patients, visits, adverse_events : DataFrame
        Canonical frames of the loaded rows, in file order, with a fresh index.
    exclusions : DataFrame
        One line per problem of an excluded row (columns :data:`EXCLUSION_COLUMNS`); a row
        with several problems has several lines. Dated visits the schedule's windows leave out are
        here too (rule ``visit_window``), with the rule that decided.
    notes : list of Problem
        Problems that exclude no row: unknown columns (dropped), patients without baseline, withdrawn
        patients whose last_week is later than their last visit.
    rows_read : dict
        Number of data rows read per table.
    input_units : dict
        Canonical column -> the column in another accepted unit that the data came in (e.g.
        ``{"crp_mg_l": "crp_mg_dl"}``), so reports can show values in the unit the user supplied.
    registry : MeasureRegistry
        The measures of this study: the built-in ones plus those its ``study.toml`` declares (each a
        visit column). Pass it to :func:`axspa.measures.lookup` and :func:`axspa.measures.label`.
    design : StudyDesign
        Arms, control arm, strata and schedule (:mod:`axspa.design`): from the study file, or the arms
        read from the patients' ``arm`` column; :data:`~axspa.design.SINGLE_ARM` for a study without arms.
    set_missing : DataFrame
        With ``on_invalid="missing"``: one line per bad value that was set missing in a row that loaded
        (columns :data:`EXCLUSION_COLUMNS`, the reason as found); empty otherwise.

    Examples
    --------
    >>> from axspa.studies import thalidomide_2003
    >>> thalidomide_2003.load()
    LoadedStudy(name='thalidomide_2003', patients=13, visits=78, adverse_events=27, excluded_rows=0, notes=1,
                study_measures=(), input_units={'crp_mg_l': 'crp_mg_dl', 'iga_g_l': 'iga_mg_dl'})
    """

    name: str
    patients: pd.DataFrame
    visits: pd.DataFrame
    adverse_events: pd.DataFrame
    exclusions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(EXCLUSION_COLUMNS)))
    notes: list[Problem] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)
    input_units: dict[str, str] = field(default_factory=dict)
    registry: MeasureRegistry = field(default_factory=lambda: REGISTRY)
    design: StudyDesign = SINGLE_ARM
    set_missing: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(EXCLUSION_COLUMNS)))

    @property
    def study_measures(self) -> tuple[str, ...]:
        """Names of the measures this study declares in its ``study.toml`` (visit columns)."""
        return self.registry.names(MeasureKind.STUDY)

    @property
    def excluded_rows(self) -> pd.DataFrame:
        """One line per excluded row: source, row, patient_id, week and all its reasons."""
        if self.exclusions.empty:
            return pd.DataFrame(columns=["source", "row", "patient_id", "week", "reasons"])
        grouped = self.exclusions.groupby(["source", "row"], sort=True, dropna=False)
        return grouped.agg(
            patient_id=("patient_id", "first"),
            week=("week", "first"),
            reasons=("message", "; ".join),
        ).reset_index()

    def _loaded_counts(self) -> list[tuple[str, int, int]]:
        """(table, rows read, rows loaded) for each table."""
        tables = (("patients", self.patients), ("visits", self.visits), ("adverse_events", self.adverse_events))
        return [(table, self.rows_read.get(table, len(frame)), len(frame)) for table, frame in tables]

    def _summary_items(self) -> list[tuple[str, str]]:
        """Counts only, so the repr stays short whatever the size of the study."""
        loaded = [(t, str(n) if n == read else f"{n} of {read} read") for t, read, n in self._loaded_counts()]
        n_excluded = len(self.exclusions[["source", "row"]].drop_duplicates())
        return [
            ("name", compact(self.name)),
            *loaded,
            ("excluded_rows", str(n_excluded)),
            ("notes", str(len(self.notes))),
            *([("values_set_missing", str(len(self.set_missing)))] if len(self.set_missing) else []),
            ("study_measures", compact(self.study_measures)),
            ("input_units", compact(dict(self.input_units))),
        ] + (
            [("arms", compact(self.design.arm_labels)), ("control", compact(self.design.control))]
            if self.design.controlled
            else []
        )

    def to_frame(self) -> pd.DataFrame:
        """Rows read, loaded and excluded per table (``table``, ``read``, ``loaded``, ``excluded``).

        Examples
        --------
        >>> from axspa.studies import thalidomide_2003
        >>> thalidomide_2003.load().to_frame()
                    table  read  loaded  excluded
        0        patients    13      13         0
        1          visits    78      78         0
        2  adverse_events    27      27         0
        """
        rows = [{"table": t, "read": read, "loaded": n, "excluded": read - n} for t, read, n in self._loaded_counts()]
        return pd.DataFrame(rows, columns=["table", "read", "loaded", "excluded"])

    def to_study(self) -> Study:
        """The loaded rows as validated records.

        Raises
        ------
        InputError
            If the study declares its own measures: the records hold the built-in measures only.
        """
        if self.study_measures:
            raise InputError(
                f"study {self.name!r} declares its own measures ({', '.join(self.study_measures)}), "
                "which the records (axspa.models.Visit) do not hold; use the frames"
            )
        return Study(
            name=self.name,
            patients=tuple(frame_to_records(self.patients, Patient)),
            visits=tuple(frame_to_records(self.visits, Visit)),
            adverse_events=tuple(frame_to_records(self.adverse_events, AdverseEvent)),
        )

    def summary(self, *, full: bool = True) -> str:
        """A short account of what was loaded and what was not.

        Parameters
        ----------
        full : bool
            List every excluded row and note (the default); if false and they do not fit in
            :data:`~axspa.errors.SUMMARY_LINES` lines, a summary by file, column and rule instead.
        """
        lines = [f"study {self.name!r}:"]
        lines += [f"  {table}: {n} of {read} rows loaded" for table, read, n in self._loaded_counts()]
        excluded = self.excluded_rows
        set_missing = [_problem_of(row) for row in self.set_missing.to_dict("records")]
        if not full and len(excluded) + len(self.notes) + len(set_missing) > SUMMARY_LINES - len(lines) - 2:
            problems = [_problem_of(row) for row in self.exclusions.to_dict("records")] + list(self.notes)
            problems += set_missing
            also = f", values set missing ({len(set_missing)})" if set_missing else ""
            lines.append(
                f"  excluded rows ({len(excluded)}){also} and notes ({len(self.notes)}), by file, column and rule:"
            )
            lines += [f"    {line}" for line in summarize_problems(problems, max_lines=SUMMARY_LINES - len(lines))]
            return "\n".join(lines)
        if len(excluded):
            lines.append(f"  excluded rows ({len(excluded)}):")
            lines += [f"    {r.source} row {r.row}: {r.reasons}" for r in excluded.itertuples()]
        if set_missing:
            lines.append(f"  values set missing, their rows loaded ({len(set_missing)}):")
            lines += [f"    {p}" for p in set_missing]
        if self.notes:
            lines.append("  notes:")
            lines += [f"    {p}" for p in self.notes]
        return "\n".join(lines)


def read_table(path: str | Path, *, sheet: str | None = None, delimiter: str = ",") -> pd.DataFrame:
    """Read one table as strings, keeping every value as written (``"<5"`` stays ``"<5"``).

    Parameters
    ----------
    path : str or Path
        A ``.csv`` file (UTF-8, comma-separated, a header row), or an Excel workbook (``.xlsx``,
        ``.xlsm``, ``.xls``; its first sheet), which needs the optional ``openpyxl`` package
        (``pip install axspa[excel]``). Any other suffix is read as CSV.
    sheet : str, optional
        The sheet of a workbook to read (default: its first).
    delimiter : str
        The field separator of a CSV file, one of :data:`CSV_DELIMITERS` (an export's, given by a mapping
        file); the canonical tables are comma-separated.

    Returns
    -------
    DataFrame
        One column per header, every value a string exactly as written (spaces after a comma
        dropped); an empty field is missing (NaN from a CSV, None from a workbook). A blank line
        between the rows of a CSV file is a row of missing fields, as a workbook's blank row is, so
        every row keeps the number a spreadsheet shows; blank lines before the header or after the
        last row hold no row. Nothing is converted or checked here: :func:`validate_frames` does that.

    Raises
    ------
    InputError
        If the file cannot be read as a table, with a message naming the file and, where there is
        one, the line: it does not exist or is a folder; it is empty (no header); it is not UTF-8 or
        UTF-16 text (a UTF-8 or UTF-16 byte-order mark is honoured, any other encoding is refused
        with the encoding to use); its header is separated by another delimiter (say, the semicolons
        of a European Excel export); a row has more fields than the header; a quote is not closed; the
        header names a column twice; a workbook is not a workbook, has no sheet ``sheet``, or
        ``openpyxl`` is not installed.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "visits.csv"
    ...     _ = path.write_text("patient_id,week,crp_mg_l\\nA,0,<5\\nA,4,\\n")
    ...     table = read_table(path)
    >>> table
      patient_id week crp_mg_l
    0          A    0       <5
    1          A    4      NaN
    >>> table["week"].tolist()
    ['0', '4']
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path.name} is a folder, not a file; expected a table (CSV or Excel workbook)")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        with _os_errors(path):
            return _read_workbook(path, sheet)
    _check_delimiter_name(delimiter)
    encoding = _csv_encoding(path)
    with _csv_errors(path, encoding, delimiter):
        lines = _BlankLines.of(path, encoding)
        frame = pd.read_csv(
            path, dtype=str, encoding=encoding, index_col=False, sep=delimiter, **_CSV_TEXT, **lines.options
        )
        _check_header(path, encoding, delimiter)
    return lines.trim(frame)


CSV_DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
"""The field separators a CSV table may use, with their names. Canonical tables use the comma; an export
read through a mapping file may use any of these (Excel writes semicolons where the decimal separator is a
comma)."""


def _check_delimiter_name(delimiter: str) -> None:
    if delimiter not in CSV_DELIMITERS:
        choices = ", ".join(repr(d) for d in CSV_DELIMITERS)
        raise InputError(f"delimiter must be one of {choices}; got {delimiter!r}")


def sniff_delimiter(path: str | Path) -> str:
    """The field separator of a CSV file: the one of :data:`CSV_DELIMITERS` its header line holds most often.

    A header with none of them (a table of one column) is taken as comma-separated.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "export.csv"
    ...     _ = path.write_text("Pat.-Nr.;BASDAI 1;CRP [mg/dl]\\nA;3,5;0,4\\n")
    ...     sniff_delimiter(path)
    ';'
    """
    path = Path(path)
    return _delimiter_of(_header_line(path, _csv_encoding(path)))


def _delimiter_of(header: str) -> str:
    counts = {d: header.count(d) for d in CSV_DELIMITERS}
    best = max(counts, key=lambda d: counts[d])  # ties go to the first listed: the comma
    return best if counts[best] else ","


def _header_line(path: Path, encoding: str) -> str:
    with _os_errors(path), path.open(encoding=encoding, newline="") as stream:
        try:
            return stream.readline()
        except UnicodeDecodeError:
            return ""  # reported, with its line, by the read itself


def _check_delimiter(path: Path, encoding: str, delimiter: str) -> None:
    """Refuse a file whose header is separated by another delimiter than ``delimiter`` (and not by it)."""
    header = _header_line(path, encoding)
    found = _delimiter_of(header)
    if delimiter in header or found == delimiter:  # found differs only when it is in the header
        return
    raise InputError(
        f"{path.name}, line 1: the fields are separated by {CSV_DELIMITERS[found]}s ({found!r}), not by "
        f"{CSV_DELIMITERS[delimiter]}s; save the table comma-separated (Excel: 'CSV UTF-8 (Comma delimited)'), "
        f"or read it through a mapping file whose table says delimiter = {found!r} (axspa map drafts one)"
    )


# How read_table reads a CSV file: only an empty field is missing, spaces after a comma are dropped.
_CSV_TEXT: dict[str, Any] = {"keep_default_na": False, "na_values": [""], "skipinitialspace": True}


@dataclass(frozen=True, slots=True)
class _BlankLines:
    """The blank lines before the header and after the last row of a CSV file.

    A blank line between rows is a row (every field missing), as a spreadsheet shows it, so the rows
    after it keep the numbers a person sees and the blank row is listed, not dropped unseen; blank lines
    before the header or after the last row hold no row.
    """

    leading: int
    trailing: int

    _CHUNK = 1 << 16

    @classmethod
    def of(cls, path: Path, encoding: str) -> _BlankLines:
        if encoding == "utf-8":
            with path.open("rb") as stream:
                head = stream.read(cls._CHUNK)
                size = stream.seek(0, 2)
                stream.seek(max(0, size - cls._CHUNK))
                tail = stream.read()
            if size > cls._CHUNK and not tail.strip(b"\r\n"):  # a tail of blank lines only: read it all
                head = tail = path.read_bytes()
            return cls(cls._leading(head.decode("utf-8", "ignore")), cls._trailing(tail.decode("utf-8", "ignore")))
        text = path.read_text(encoding=encoding)  # a byte-order mark: UTF-16 or UTF-8 (rare), read whole
        return cls(cls._leading(text.lstrip("\ufeff")), cls._trailing(text))

    @staticmethod
    def _leading(text: str) -> int:
        rest = text.lstrip("\r\n")
        return (text[: len(text) - len(rest)].replace("\r\n", "\n").count("\n")) if rest else 0

    @staticmethod
    def _trailing(text: str) -> int:
        rest = text.rstrip("\r\n")
        if not rest:
            return 0
        return max(0, text[len(rest) :].replace("\r\n", "\n").count("\n") - 1)  # the last row's own line end

    @property
    def options(self) -> dict[str, Any]:
        """The parser's options: keep blank lines as rows, skip those before the header."""
        return {"skip_blank_lines": False, "skiprows": self.leading}

    def trim(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` without the rows of the blank lines after its last row."""
        if not self.trailing or len(frame) < self.trailing:
            return frame
        if not frame.iloc[len(frame) - self.trailing :].isna().all(axis=None):
            return frame  # not blank after all (a quoted field ending in line ends): keep every row
        return frame.iloc[: len(frame) - self.trailing]


EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})
"""File suffixes read as Excel workbooks; any other file is read as CSV."""

_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@contextmanager
def _os_errors(path: Path) -> Iterator[None]:
    """An OS error while reading ``path`` (a folder, no permission, a dangling link) as an :class:`InputError`."""
    if path.is_dir():
        raise InputError(f"{path.name} is a folder, not a file; expected a table (CSV or Excel workbook)")
    try:
        yield
    except OSError as exc:
        raise InputError(f"cannot read {path.name}: {exc.strerror or exc}") from None


def _read_workbook(path: Path, sheet: str | None) -> pd.DataFrame:
    """A sheet of a workbook as strings (the first by default); a file that is not a workbook is an InputError."""
    try:
        frame = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=object)
    except ImportError as exc:
        raise InputError(f"reading {path.name} needs openpyxl: pip install 'axspa[excel]'") from exc
    except OSError:
        raise
    except ValueError as exc:
        if sheet is not None and "not found" in str(exc):
            raise InputError(f"workbook {path.name} has no sheet {sheet!r}: {exc}") from None
        raise _not_a_workbook(path, exc) from None
    except Exception as exc:  # openpyxl, xlrd and zipfile raise many kinds for a file that is not a workbook
        raise _not_a_workbook(path, exc) from None
    return frame.map(lambda v: None if pd.isna(v) else str(v).strip())


def sheet_names(path: str | Path) -> list[str]:
    """The sheet names of a workbook, in order.

    Raises
    ------
    InputError
        If the file does not exist, is a folder, is not a workbook, or ``openpyxl`` is not installed.
    """
    path = Path(path)
    with _os_errors(path):
        try:
            return [str(name) for name in pd.ExcelFile(path).sheet_names]
        except ImportError as exc:
            raise InputError(f"reading {path.name} needs openpyxl: pip install 'axspa[excel]'") from exc
        except OSError:
            raise
        except Exception as exc:  # as in _read_workbook
            raise _not_a_workbook(path, exc) from None


def _not_a_workbook(path: Path, exc: Exception) -> InputError:
    return InputError(
        f"{path.name} is not an Excel workbook that can be read ({type(exc).__name__}: {exc}); "
        "save it again from Excel as .xlsx, or as CSV UTF-8"
    )


def _text_encoding(path: Path) -> str:
    """UTF-8, or the encoding its byte-order mark names (UTF-8, UTF-16); NUL bytes mean it is not text."""
    with path.open("rb") as stream:
        head = stream.read(8192)
    for mark, encoding in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return encoding
    if b"\x00" in head:
        line = head[: head.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            f"{path.name}, line {line}: not a text file (it holds NUL bytes; UTF-16 without a byte-order mark?); "
            "save it as CSV in UTF-8"
        )
    return "utf-8"


def _csv_encoding(path: Path) -> str:
    """The encoding of a CSV file (:func:`_text_encoding`), with OS errors as :class:`InputError`."""
    with _os_errors(path):
        return _text_encoding(path)


@contextmanager
def _csv_errors(path: Path, encoding: str, delimiter: str) -> Iterator[None]:
    """Encoding, quoting, field-count and OS errors of reading a CSV file as :class:`InputError` with a line."""
    try:
        _check_delimiter(path, encoding, delimiter)
        with _os_errors(path), warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)  # a row longer than the header
            yield
    except UnicodeDecodeError as exc:
        raise InputError(_decode_message(path, exc)) from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{path.name} is empty; expected a header row naming the columns") from None
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        raise InputError(_parser_message(path, encoding, delimiter, exc)) from None


def _decode_message(path: Path, exc: UnicodeDecodeError) -> str:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as again:
        exc = again
    line = data[: exc.start].count(b"\n") + 1
    byte = data[exc.start : exc.start + 1].hex()
    return (
        f"{path.name}, line {line}: not UTF-8 text (byte 0x{byte}); it looks like Latin-1/Windows-1252 or another "
        "legacy encoding. Save it as UTF-8 (Excel: 'CSV UTF-8'; or UTF-16 with a byte-order mark)"
    )


def _parser_message(path: Path, encoding: str, delimiter: str, exc: Exception) -> str:
    """Where the CSV breaks, found again with the csv module (the parser's messages count lines differently)."""
    with path.open(encoding=encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=delimiter, skipinitialspace=True, strict=True)
        try:
            width = len(next(reader))
            for fields in reader:
                if len(fields) > width:
                    return (
                        f"{path.name}, line {reader.line_num}: {len(fields)} fields, but the header has {width}; "
                        f"quote a value that holds a {CSV_DELIMITERS[delimiter]}"
                    )
        except csv.Error as error:
            return f'{path.name}, line {reader.line_num}: not valid CSV ({error}); is a quote (") not closed?'
    return f"{path.name}: not valid CSV ({exc})"


def _check_header(path: Path, encoding: str, delimiter: str) -> None:
    with path.open(encoding=encoding, newline="") as stream:
        header = [name.strip() for name in next(csv.reader(stream, delimiter=delimiter, skipinitialspace=True), [])]
    seen: set[str] = set()
    for name in header:
        if name in seen and name:
            columns = [str(i + 1) for i, other in enumerate(header) if other == name]
            raise InputError(
                f"{path.name}, line 1: column {name!r} appears more than once in the header (columns "
                f"{', '.join(columns)}); keep one"
            )
        seen.add(name)


def _read_csv_typed(path: Path, spec: TableSpec) -> pd.DataFrame:
    """Read a CSV table for the frame engine: what :func:`read_table` gives, with numbers parsed by the C parser.

    The columns of numbers in ``spec`` (and accepted alternative units) are read by :func:`read_table_typed`;
    missing fields are the same as in :func:`read_table` (only an empty field is missing), so
    :func:`validate_frames` gives the same result on either table.
    """
    rules = {**(ALIAS_COLUMNS if spec.name == VISITS.name else {}), **spec.columns}
    return read_table_typed(path, rules.get)


def read_table_typed(
    path: str | Path,
    number_rule: Callable[[str], Column | None],
    *,
    missing: Collection[str] = (),
    delimiter: str = ",",
) -> pd.DataFrame:
    """:func:`read_table` with the columns of numbers of a CSV file parsed by pandas' C parser.

    Each column that ``number_rule`` gives a rule of numbers (kind NUMBER or LAB) is left to the C
    parser, which returns a column of floats or integers when every field is a number or missing, and
    the fields as written otherwise (e.g. a laboratory column with censored values such as ``"<5"``).
    Every other column is read as text. A number that the column's rule may reject (not finite, out of
    range) is replaced by its field as written, read again from the file, so the checks report it
    exactly as they report it from :func:`read_table`. A workbook, or a CSV file with a byte-order mark,
    is read by :func:`read_table` (as text).

    Parameters
    ----------
    path : str or Path
        The table.
    number_rule : callable
        For a header, the :class:`~axspa.ingest.columns.Column` rule of the numbers it holds, or None.
    missing : collection of str
        Fields read as missing besides the empty field (a mapping's missing-value tokens, as written).
    delimiter : str
        The field separator of a CSV file (see :func:`read_table`).

    Returns
    -------
    DataFrame
    """
    path = Path(path)
    if path.is_dir() or path.suffix.lower() in EXCEL_SUFFIXES:
        return read_table(path)
    _check_delimiter_name(delimiter)
    encoding = _csv_encoding(path)
    if encoding != "utf-8":  # a byte-order mark: rare, read as text
        return read_table(path, delimiter=delimiter)
    with _csv_errors(path, encoding, delimiter):
        return _typed_columns(path, number_rule, missing, delimiter)


def _typed_columns(
    path: Path, number_rule: Callable[[str], Column | None], missing: Collection[str], delimiter: str
) -> pd.DataFrame:
    lines = _BlankLines.of(path, "utf-8")
    options = dict(_CSV_TEXT, encoding="utf-8", index_col=False, sep=delimiter, **lines.options)
    options["na_values"] = ["", *missing]
    if not _has_initial_space(path, delimiter):  # no field starts with a space; skipping one costs a third
        options["skipinitialspace"] = False
    names = list(pd.read_csv(path, nrows=0, **options).columns)
    rules = {n: rule for n in names if (rule := number_rule(n)) is not None and rule.kind in (Kind.NUMBER, Kind.LAB)}
    _check_header(path, "utf-8", delimiter)
    if not rules:
        return lines.trim(pd.read_csv(path, dtype=str, **options))
    frame = lines.trim(pd.read_csv(path, dtype={n: object for n in names if n not in rules}, **options))
    patches: dict[str, np.ndarray] = {}
    for name, rule in rules.items():
        kind = frame[name].dtype.kind
        if kind in "if":
            patches[name] = rule.outside(frame[name].to_numpy(dtype=np.float64))
        elif kind != "O" or infer_dtype(frame[name], skipna=True) not in ("string", "empty"):
            # booleans ("True"/"False"), integers beyond 64 bits: read as written
            patches[name] = np.ones(len(frame), dtype=bool)
    patches = {n: rows for n, rows in patches.items() if rows.any()}
    if patches:
        written = lines.trim(pd.read_csv(path, usecols=list(patches), dtype=str, **options))
        for name, rows in patches.items():
            column = frame[name].astype(object)
            column[rows] = written[name].to_numpy(dtype=object)[rows]
            frame[name] = column
    return frame


def _has_initial_space(path: Path, delimiter: str = ",") -> bool:
    """Whether a field of a file may start with a space: a space after the delimiter or at the start of a line.

    Those are the spaces the parser's ``skipinitialspace`` drops (spaces inside a field, as in a header
    ``BASDAI 1 [mm]``, are kept either way). One scan at memory speed; an empty file counts as having one.
    """
    with path.open("rb") as handle:
        if handle.seek(0, 2) == 0:
            return True
        after = delimiter.encode() + b"\r\n"  # the bytes a field starts after
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            at = data.find(b" ")
            for _ in range(1000):  # spaces inside fields (a header's "BASDAI 1 [mm]") are few in a table of numbers
                if at < 0:
                    return False
                if at == 0 or data[at - 1] in after:
                    return True
                at = data.find(b" ", at + 1)
            text = np.frombuffer(data, dtype=np.uint8)  # many spaces: look at every one at once
            before = text[np.flatnonzero(text[1:] == 32)]  # the byte before each space after the first byte
            found = bool(np.isin(before, np.frombuffer(after, dtype=np.uint8)).any())
            del text, before  # the mmap closes only when no array looks into it
            return found


def _find(folder: Path, spec: TableSpec) -> Path | None:
    stem = Path(spec.filename).stem
    for suffix in (".csv", ".xlsx"):
        candidate = folder / f"{stem}{suffix}"
        if candidate.exists() or candidate.is_symlink():
            return _inside(folder, candidate)
    return None


def _inside(folder: Path, path: Path) -> Path:
    """``path`` itself, if it (or the file a link in it points to) lies inside the study folder."""
    target = path.resolve()
    if not target.is_relative_to(folder.resolve()):
        raise InputError(
            f"{path.name} in study folder {folder.name!r} is a link to {str(target)!r}, outside the folder; "
            "copy the file into the study folder"
        )
    return path


def load_study(
    folder: str | Path,
    *,
    strict: bool = True,
    engine: Engine = "frame",
    baseline_week: float | None = None,
    name: str | None = None,
    mapping: str | Path | None = None,
    on_invalid: OnInvalid = "exclude",
) -> LoadedStudy:
    """Load a study folder into canonical frames.

    Parameters
    ----------
    folder : path
        Folder with ``patients.csv`` and ``visits.csv`` (``adverse_events.csv`` optional;
        ``.xlsx`` files of the same names are read when there is no CSV), and optionally a
        ``study.toml`` declaring the study's design (arms, control arm, strata, visit schedule) and
        its own measures (:mod:`axspa.ingest.study_file`), which load as extra visit columns checked
        like the built-in ones.
    strict : bool, default True
        True: raise one error listing every problem. False: load the good rows and report
        the others in :attr:`LoadedStudy.exclusions`. Either way, visits a schedule's windows leave
        out are listed there, not raised (see :func:`validate_frames`).
    on_invalid : {"exclude", "missing"}, default "exclude"
        Lenient loading only: a row with a bad value is excluded (listed in
        :attr:`LoadedStudy.exclusions`), or loads with the bad value set missing (listed in
        :attr:`LoadedStudy.set_missing`) unless the row cannot be without it; see :func:`validate_frames`.
    engine : {"frame", "records"}
        Vectorized column checks, or one Pydantic record per row. Same rules, same result.
    baseline_week : float, optional
        Week of the baseline visit that every patient must have; by default the study file's
        ``baseline_week``, else 0.
    name : str, optional
        Study name; the folder's name by default.
    mapping : path, optional
        A mapping file (:mod:`axspa.ingest.mapping`) naming the files and sheets of an export and how
        their headers and values translate; applied before validation, in place of the folder's
        canonical files (the folder still gives its ``study.toml``).

    Returns
    -------
    LoadedStudy
        The loaded rows as canonical frames, the excluded rows with their reasons, the notes, the
        rows read per table, the units the data came in and the study's registry of measures.

    Raises
    ------
    DataValidationError
        In strict mode, if anything is wrong; ``.problems`` lists every problem.
    InputError
        If the folder or a required file does not exist, a file cannot be read as a table
        (:func:`read_table` lists why), a file is a link to a file outside the folder, or ``engine``
        is not ``"frame"`` or ``"records"``.

    Notes
    -----
    Each table is read with :func:`read_table` and checked by :func:`validate_frames`, which
    states the rules. A study folder written by :func:`write_study` loads back to the same study.

    Examples
    --------
    The bundled reference study (13 patients, 3 of whom withdrew after adverse events and 2 for
    lack of efficacy) loads without problems; one note says that a patient withdrew between visits:

    >>> from axspa.studies import thalidomide_2003
    >>> study = load_study(thalidomide_2003.folder(), name="thalidomide_2003")
    >>> print(study.summary())
    study 'thalidomide_2003':
      patients: 13 of 13 rows loaded
      visits: 78 of 78 rows loaded
      adverse_events: 27 of 27 rows loaded
      notes:
        patients.csv, row 7, patient T07: withdrawn at last_week 3, later than the last visit (week 2): withdrawn
        between visits, or is a later visit missing?
    >>> study.patients["patient_id"].tolist()[:3], study.input_units["crp_mg_l"]
    (['T01', 'T02', 'T03'], 'crp_mg_dl')
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"study folder {str(folder)!r} does not exist or is not a folder")
    if (folder / STUDY_FILE).exists() or (folder / STUDY_FILE).is_symlink():
        _inside(folder, folder / STUDY_FILE)
    registry, design = read_study_file(folder)
    # for reading: which columns hold numbers (the arm and strata columns of a controlled trial are text)
    specs = {PATIENTS.name: PATIENTS, VISITS.name: visits_spec(registry), ADVERSE_EVENTS.name: ADVERSE_EVENTS}
    raw: dict[str, pd.DataFrame] = {}
    sources: dict[str, str] = {}
    if mapping is not None:
        from axspa.ingest.mapping import read_mapped_tables

        raw, sources = read_mapped_tables(mapping, registry=registry)
    for spec in (PATIENTS, VISITS, ADVERSE_EVENTS) if mapping is None else ():
        path = _find(folder, spec)
        if path is None:
            if spec is ADVERSE_EVENTS:
                raw[spec.name] = pd.DataFrame({c: pd.Series(dtype=str) for c in spec.columns})
                sources[spec.name] = spec.filename
                continue
            raise InputError(f"study folder {folder.name!r} has no {spec.filename}")
        typed = engine == "frame" and path.suffix.lower() == ".csv"
        raw[spec.name] = _read_csv_typed(path, specs[spec.name]) if typed else read_table(path)
        sources[spec.name] = path.name
    return validate_frames(
        raw["patients"],
        raw["visits"],
        raw.get("adverse_events"),
        strict=strict,
        engine=engine,
        baseline_week=baseline_week,
        name=name or folder.name,
        sources=sources,
        registry=registry,
        design=design,
        on_invalid=on_invalid,
    )


def validate_frames(
    patients: pd.DataFrame,
    visits: pd.DataFrame,
    adverse_events: pd.DataFrame | None = None,
    *,
    strict: bool = True,
    engine: Engine = "frame",
    baseline_week: float | None = None,
    name: str = "study",
    sources: dict[str, str] | None = None,
    registry: MeasureRegistry | None = None,
    design: StudyDesign = SINGLE_ARM,
    on_invalid: OnInvalid = "exclude",
) -> LoadedStudy:
    r"""Validate raw tables (as read, or built in memory) into a :class:`LoadedStudy`.

    Parameters
    ----------
    patients, visits : DataFrame
        Raw tables in the canonical columns (see the README's data contract), as
        :func:`read_table` returns them (strings) or already typed. ``visits`` may carry a lab in
        another accepted unit (a column of :data:`axspa.measures.UNIT_ALIASES`, e.g. ``crp_mg_dl``),
        which is converted to the canonical column.
    adverse_events : DataFrame, optional
        Raw adverse-event table; none if omitted.
    strict : bool, default True
        True: raise one error listing every problem. False: load the good rows and report the
        others in :attr:`LoadedStudy.exclusions` (and the problems that exclude no row in
        :attr:`LoadedStudy.notes`).
    engine : {"frame", "records"}, default "frame"
        Vectorized column checks, or one Pydantic record per row (a study's own columns, such as its
        arms, strata and measures, checked value by value by their column rules). Same rules, same result.
    baseline_week : float, optional
        Week of the baseline visit every patient must have; by default ``design.baseline_week``,
        else 0.
    name : str, default "study"
        Study name, used in messages and kept on the result.
    sources : dict, optional
        Table name (``"patients"``, ``"visits"``, ``"adverse_events"``) -> the file name messages
        place a problem in; by default the canonical file names (``patients.csv``, ...).
    registry : MeasureRegistry, optional
        The study's measures (see :func:`axspa.ingest.study_file.study_registry`), adding its
        own measures as visit columns; the built-in registry by default.
    design : StudyDesign, optional
        The study's design (:func:`axspa.ingest.study_file.read_study_file`). With arms, the patients
        table must have an ``arm`` column holding one of them for every patient, and a column per
        stratum; with a schedule, every visit must be at one of its weeks. Without declared arms, an
        ``arm`` column makes the study controlled, with the arms found in it.
    on_invalid : {"exclude", "missing"}, default "exclude"
        Lenient mode only (``strict=False``): what a bad value does to its row. ``"exclude"``: the row
        is excluded and listed in :attr:`LoadedStudy.exclusions` with every problem. ``"missing"``: the
        bad value is set missing and the row loads, the value listed in :attr:`LoadedStudy.set_missing`
        with its reason, if every problem of the row is about one value (a wrong type, a value out of
        range or not among the choices, a field contradicting another; :data:`axspa.ingest.checks.SETTABLE_RULES`)
        of a column that is not required. A row is never loaded without a required field (``patient_id``,
        ``week``, ``sex``, ``age_years``, ``status``, an adverse event's ``term``, a controlled trial's
        ``arm`` and strata), nor with a laboratory value of doubtful unit: such a row is excluded even
        under ``"missing"``, and its problem says why, e.g. ``"week must be a number in [-104, 1040];
        got 'x', which is not a number (not set missing: week is required)"``. A row kept is checked
        again without the values set missing (a withdrawn patient whose withdrawal_reason was unreadable
        now has none, which excludes the row). Problems across rows (duplicates, unknown patients, visits
        after a withdrawal) always exclude their rows.

    Returns
    -------
    LoadedStudy
        See :func:`load_study`.

    Raises
    ------
    DataValidationError
        In strict mode, if anything is wrong; ``.problems`` lists every problem, placed as
        "file, row n, patient id, week w: ...". In both modes, if a table lacks a required column
        (``.problems`` lists the missing columns).
    InputError
        If ``engine`` or ``on_invalid`` is unknown, or ``on_invalid="missing"`` in strict mode; if the
        design declares arms and the patients table has no ``arm`` column.

    Notes
    -----
    The rules, in the order they are applied:

    1. Each value against its column's rule (type, range, allowed values; :mod:`axspa.ingest.columns`);
       an unknown column is noted once and dropped; a missing required column is an error in both
       modes.
    2. Whole tables: one row per patient and week (:mod:`axspa.ingest.checks`).
    3. Across tables, on the rows that passed: patient ids are unique, every visit and adverse
       event belongs to a loaded patient, no visit after a withdrawal, every patient has a
       visit at ``baseline_week`` (a note: it concerns a patient, not a row).
    4. With a visit schedule in the design: every visit is at a scheduled week.

    Dated visits (``visit_date`` or ``study_day``, with the patients' ``reference_date``) get their week
    from the schedule's visit windows first (:mod:`axspa.ingest.schedule`), and keep their actual day in a
    ``study_day`` column. Visits the windows leave out (rule ``visit_window``) are listed in the exclusions
    and a withdrawn patient's ``last_week`` later than their last visit is noted; neither is an error, so
    neither makes strict mode fail (:data:`axspa.ingest.schedule.INFORMATION_RULES`). Fractional weeks in a
    study without a schedule give a :class:`~axspa.errors.PlausibilityWarning`, and so do values inside their
    range that fit another unit or scale far better, judged value by value (a ``crp_mg_l`` column in mg/dL,
    0-100 mm ratings at or below 10; :func:`axspa.ingest.checks.warn_implausible`).

    A row with any problem is excluded whole; a row number counts data rows from 1 (the header
    row is not counted). A lab given in another unit is converted with its factor :math:`f` from
    :data:`axspa.measures.UNIT_ALIASES`,

    .. math:: x_{\text{canonical}} = f \, x_{\text{input}},

    and the input column is recorded in :attr:`LoadedStudy.input_units`.

    Examples
    --------
    A value out of range excludes its row in lenient mode and is reported with its reason:

    >>> import pandas as pd
    >>> patients = pd.DataFrame({"patient_id": ["A", "B"], "sex": ["female", "male"],
    ...                          "age_years": ["41", "35"], "status": ["completed", "completed"]})
    >>> visits = pd.DataFrame({"patient_id": ["A", "A", "B", "B"], "week": ["0", "24", "0", "24"],
    ...                        "basdai_q1": ["5", "3", "6", "11"]})
    >>> study = validate_frames(patients, visits, strict=False)
    >>> study.visits[["patient_id", "week"]].values.tolist()
    [['A', 0.0], ['A', 24.0], ['B', 0.0]]
    >>> study.excluded_rows[["source", "row", "patient_id", "week"]].values.tolist()
    [['visits.csv', 4, 'B', 24.0]]
    >>> study.exclusions["field"].tolist(), study.exclusions["value"].tolist()
    (['basdai_q1'], ['11'])

    In strict mode (the default) the same tables raise one error naming every problem:

    >>> validate_frames(patients, visits)
    Traceback (most recent call last):
    ...
    axspa.errors.DataValidationError: study 'study': 1 problem(s)
      - visits.csv, row 4, patient B, week 24: basdai_q1 must be a number in [0, 10]; got 11. ...
    """
    registry = registry if registry is not None else REGISTRY
    if engine not in ("frame", "records"):
        raise InputError(f"engine must be 'frame' or 'records'; got {engine!r}")
    check_on_invalid(on_invalid, strict=strict)
    if baseline_week is None:
        baseline_week = design.baseline_week if design.baseline_week is not None else 0.0
    arm_column = "arm" in patients.columns
    if design.controlled and not arm_column:
        raise InputError(
            f"study {name!r} declares arms ({', '.join(design.codes)}) in its study file, but the patients "
            "table has no 'arm' column; add the randomised arm of every patient"
        )
    sources = {s.name: s.filename for s in (PATIENTS, VISITS, ADVERSE_EVENTS)} | (sources or {})
    if adverse_events is None:
        adverse_events = pd.DataFrame({c: pd.Series(dtype=str) for c in ADVERSE_EVENTS.columns})
    rows_read = {"patients": len(patients), "visits": len(visits), "adverse_events": len(adverse_events)}
    dated = dates_to_weeks(patients, visits, design, sources=sources)
    if dated is not None:
        patients, visits = dated.patients, dated.visits
    tables = {"patients": patients, "visits": visits, "adverse_events": adverse_events}
    specs = {
        "patients": patients_spec(design, arm_column=arm_column),
        "visits": visits_spec(registry),
        "adverse_events": ADVERSE_EVENTS,
    }
    coded_ids: dict[str, CodedIds | None] = {}  # the frame engine's patient_id columns, factorized once

    def check_frame(
        raw: pd.DataFrame, spec: TableSpec, source: str
    ) -> tuple[pd.DataFrame, list[Problem], np.ndarray, list[Problem]]:
        checked = check_table(raw, spec, source=source)
        coded_ids[spec.name] = checked.patient_ids if on_invalid == "exclude" else None  # "missing" checks again
        return checked.frame, checked.problems, checked.bad_rows, checked.table_problems

    checker = check_frame if engine == "frame" else _check_records
    frames: dict[str, pd.DataFrame] = {}
    bad: dict[str, np.ndarray] = {}
    problems: list[Problem] = []
    notes: list[Problem] = []
    set_missing: list[Problem] = []
    for key, table in tables.items():
        frame, table_problems, table_bad, table_notes = checker(table, specs[key], sources[key])
        if on_invalid == "missing":
            kept = keep_with_missing(table, specs[key], sources[key], (frame, table_problems, table_bad), checker)
            frame, table_problems, table_bad = kept.frame, kept.problems, kept.bad
            set_missing += kept.set_missing
        table_problems = _blank_rows_said_once(table, table_problems, sources[key])
        frames[key], bad[key] = frame, table_bad
        problems += table_problems
        notes += table_notes
    missing_columns = [p for p in notes if p.rule == "missing_column"]
    if missing_columns:  # no row of such a table can be loaded, in either mode
        raise DataValidationError(problems=missing_columns, summary=f"study {name!r}")
    decided: list[Problem] = []  # visits the schedule's windows leave out: listed, not errors
    if dated is not None:
        problems = dated.merge(problems, bad, sources["visits"])
        decided = dated.decide(frames["visits"], bad["visits"], sources["visits"])
        frames["visits"] = dated.with_study_day(frames["visits"])
    fractional_week_warning(frames["visits"], bad["visits"], design, sources["visits"])

    if design.schedule:
        problems += _off_schedule(frames["visits"], bad["visits"], design.schedule, sources["visits"])
    if arm_column:
        design = _arms_of(frames["patients"], bad["patients"], design, problems, sources["patients"])
    cross = cross_record_problems(
        frames["patients"][~bad["patients"]],
        frames["visits"][~bad["visits"]],
        frames["adverse_events"][~bad["adverse_events"]],
        baseline_week=baseline_week,
        sources=sources,
        coded_patient_ids=_rows_of(coded_ids.get(PATIENTS.name), ~bad["patients"]),
        coded_visit_ids=_rows_of(coded_ids.get(VISITS.name), ~bad["visits"]),
    )
    bad["patients"][np.flatnonzero(~bad["patients"])[cross.bad_patients]] = True
    # From the table as given: the record engine keeps nothing of an excluded row.
    given_ids = patients["patient_id"].to_numpy(dtype=object)[bad["patients"]]
    excluded_patients = {str(v).strip() for v in given_ids if not is_missing(v)}
    patient_causes: dict[str, Problem] = {}  # the first problem that excluded a patient's row
    of_patients = [p for p in problems + cross.problems if p.source == sources["patients"] and p.row is not None]
    for p in sorted(of_patients, key=lambda p: (_order(p), not_settable(p, specs["patients"]) is None)):
        if not is_missing(p.patient_id):
            patient_causes.setdefault(str(p.patient_id).strip(), p)
    # A patient whose baseline row was excluded for a bad value lacks a baseline because of it: say so.
    baseline_causes: dict[str, Problem] = {}
    for p in problems:
        if p.source == sources["visits"] and p.week == baseline_week and p.patient_id is not None:
            baseline_causes.setdefault(str(p.patient_id), p)
    for problem in cross.problems:
        if problem.row is None:
            cause = baseline_causes.get(str(problem.patient_id))
            if problem.rule == "baseline_missing" and cause is not None:
                problem = Problem(
                    **{
                        **problem.__dict__,
                        "message": f"{problem.message}: its baseline row, {cause.source} row {cause.row}, "
                        f"was excluded: {cause.message}",
                    }
                )
            notes.append(problem)
            continue
        if problem.rule == "unknown_patient" and problem.patient_id in excluded_patients:
            cause = patient_causes.get(str(problem.patient_id).strip())
            why = "" if cause is None else f": {cause.source} row {cause.row}: {cause.message}"
            problem = Problem(
                **{**problem.__dict__, "message": f"{problem.message} (its patient row was excluded){why}"}
            )
        problems.append(problem)
    bad["visits"][np.flatnonzero(~bad["visits"])[cross.bad_visits]] = True
    bad["adverse_events"][np.flatnonzero(~bad["adverse_events"])[cross.bad_adverse_events]] = True

    notes += last_week_notes(
        frames["patients"][~bad["patients"]],
        frames["visits"][~bad["visits"]],
        sources["patients"],
        coded_visit_ids=_rows_of(coded_ids.get(VISITS.name), ~bad["visits"]),
    )
    errors = [p for p in problems + notes if p.rule not in INFORMATION_RULES]
    if strict and errors:
        raise DataValidationError(problems=sorted(errors, key=_order), summary=f"study {name!r}")
    loaded = {k: (frames[k][~bad[k]] if bad[k].any() else frames[k]).reset_index(drop=True) for k in frames}
    # a value set missing in a row that a later rule excluded after all is listed with the row's exclusion
    row_bad = {sources[k]: bad[k] for k in bad}
    dropped = [p for p in set_missing if p.source in row_bad and p.row is not None and row_bad[p.source][p.row - 1]]
    problems += dropped
    set_missing = [p for p in set_missing if p not in dropped]
    return LoadedStudy(
        name=name,
        patients=loaded["patients"],
        visits=loaded["visits"],
        adverse_events=loaded["adverse_events"],
        exclusions=problem_table(sorted(problems + decided, key=_order)),
        notes=notes,
        rows_read=rows_read,
        input_units={
            UNIT_ALIASES[c].canonical: c for c in visits.columns if c in UNIT_ALIASES and visits[c].notna().any()
        },
        registry=registry,
        design=design,
        set_missing=problem_table(sorted(set_missing, key=_order)),
    )


def _rows_of(coded: CodedIds | None, keep: np.ndarray) -> CodedIds | None:
    return None if coded is None else coded.rows(keep)


def check_on_invalid(on_invalid: str, *, strict: bool) -> None:
    """Raise :class:`InputError` unless ``on_invalid`` is one of :data:`axspa.options.ON_INVALID` and agrees with
    ``strict`` (``"missing"`` is a choice of lenient loading only). Every reader with ``on_invalid`` calls it."""
    if on_invalid not in ON_INVALID:
        raise InputError(f"on_invalid must be one of {', '.join(map(repr, ON_INVALID))}; got {on_invalid!r}")
    if strict and on_invalid != "exclude":
        raise InputError(
            f"on_invalid={on_invalid!r} chooses what lenient loading does with a bad value; pass strict=False too"
        )


def _off_schedule(visits: pd.DataFrame, bad: np.ndarray, schedule: tuple[float, ...], source: str) -> list[Problem]:
    """A problem (and an excluded row) for every visit at a week the schedule does not hold."""
    weeks = pd.to_numeric(visits["week"]).to_numpy(float)
    off = ~bad & ~np.isin(weeks, schedule) & ~np.isnan(weeks)
    bad |= off
    scheduled = ", ".join(f"{w:g}" for w in schedule)
    return [
        Problem(
            rule="schedule",
            message=f"week {weeks[i]:g} is not a visit of the study's schedule ({scheduled}); assign each visit "
            "to its scheduled (analysis) week before loading",
            field="week",
            value=visits["week"].iloc[i],
            source=source,
            row=int(i) + 1,
            patient_id=visits["patient_id"].iloc[i],
            week=float(weeks[i]),
        )
        for i in np.flatnonzero(off)
    ]


def _arms_of(
    patients: pd.DataFrame, bad: np.ndarray, design: StudyDesign, problems: list[Problem], source: str
) -> StudyDesign:
    """Arm codes in lower case; the design's arms read from the data when the study file declares none."""
    arm = map_cells(patients["arm"], _arm_code)
    patients["arm"] = arm
    if design.controlled:
        return design
    is_code = map_cells(arm, lambda a: a is None or ARM_CODE.fullmatch(str(a)) is not None)
    not_code = ~bad & ~is_code.to_numpy(dtype=bool)
    for i in np.flatnonzero(not_code):
        problems.append(
            Problem(
                rule="choice",
                message=f"arm must be a code of lower-case letters, digits and _ (e.g. 'placebo'); got "
                f"{patients['arm'].iloc[i]!r}. Declare the arms and their labels in study.toml",
                field="arm",
                value=patients["arm"].iloc[i],
                source=source,
                row=int(i) + 1,
                patient_id=patients["patient_id"].iloc[i],
            )
        )
    bad |= not_code
    return StudyDesign.from_arm_column(arm[~bad].unique(), base=design)


def _arm_code(value: object) -> str | None:
    return None if value is None else str(value).strip().lower()


def _order(p: Problem) -> tuple[str, int]:
    return (p.source or "", p.row or 0)


BLANK_ROW_MESSAGE = "the row is empty (every field blank; a blank line?); delete it"
"""What a row with no value at all (a blank line between the rows of a CSV file, an empty row of a workbook) is
listed with, once, instead of once per required column."""


def _blank_rows_said_once(raw: pd.DataFrame, problems: list[Problem], source: str) -> list[Problem]:
    """``problems`` with the problems of each row of ``raw`` that holds no value replaced by one, rule
    ``blank_row``: such a row is listed (the rows after it keep their numbers), and the message says what it is.
    Only rows with a missing required value are looked at; the same on both engines."""
    rows = sorted({p.row for p in problems if p.rule == "required" and p.source == source and p.row is not None})
    if not rows:
        return problems
    positions = np.asarray(rows) - 1
    empty = raw.iloc[positions].isna().all(axis=1).to_numpy()
    blank = set((positions[empty] + 1).tolist())
    if not blank:
        return problems
    kept = [p for p in problems if p.source != source or p.row not in blank]
    said = [Problem(rule="blank_row", message=BLANK_ROW_MESSAGE, source=source, row=row) for row in sorted(blank)]
    return kept + said


def _check_records(
    raw: pd.DataFrame, spec: TableSpec, source: str
) -> tuple[pd.DataFrame, list[Problem], np.ndarray, list[Problem]]:
    """The record engine: one Pydantic model per row; a study's own columns checked value by value by their rules."""
    model = _MODELS[spec.name]
    # Unknown columns are reported once for the table, as the frame engine does, then dropped.
    table_notes = check_table(raw.iloc[:0], spec, source=source).table_problems
    if spec.name == VISITS.name:  # the plausibility warnings of the frame engine's check_table
        warn_implausible(raw, source)
    known = [c for c in raw.columns if c not in {p.field for p in table_notes}]
    # a study's own columns (a controlled trial's arm, treated and strata; a study's own measures) are not
    # fields of the model: each value is checked by its column's one-value rule, as the frame engine's rule
    extra = {n: c for n, c in spec.columns.items() if n not in model.model_fields and n in known}
    records: list[Patient | Visit | AdverseEvent | None] = []
    extra_values: list[dict[str, object]] = []
    problems: list[Problem] = []
    for i, row in enumerate(raw[known].to_dict(orient="records")):
        values = {k: v for k, v in row.items() if not pd.isna(v) and k not in extra}
        week = _number_or_none(values.get("week")) if spec.name == VISITS.name else None
        found: list[tuple[str, object, str, str]] = []  # (field, value, message, rule)
        checked: dict[str, object] = {}
        for name, column in extra.items():
            try:
                checked[name] = column.check(row[name])
            except RuleError as error:
                found.append((name, plain_value(row[name]), str(error), error.rule))
        try:
            record: Patient | Visit | AdverseEvent | None = model.model_validate(values)
        except ValidationError as exc:
            record = None
            model_problems = [p for error in exc.errors() for p in error.get("ctx", {}).get("problems", [])]
            if found:  # rules across a row's fields apply to rows whose values all passed, as in the frame engine
                model_problems = [p for p in model_problems if p[3] != "consistency"]
            found = model_problems + found
        records.append(None if found else record)
        extra_values.append(checked)
        for fld, value, message, rule in found:
            problems.append(
                Problem(
                    rule=rule,
                    message=message,
                    field=fld,
                    value=value,
                    source=source,
                    row=i + 1,
                    patient_id=values.get("patient_id"),
                    week=week,
                )
            )
    kept = [i for i, r in enumerate(records) if r is not None]
    frame = records_to_frame([r for r in records if r is not None], model)
    for name in extra:
        frame[name] = pd.Series([extra_values[i].get(name) for i in kept], dtype=object)
    frame = conform(frame, spec)
    frame.index = pd.Index(kept)
    full = frame.reindex(range(len(records)))
    bad = np.array([r is None for r in records], dtype=bool)
    return full, problems, bad, table_notes


def _number_or_none(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _problem_of(row: dict[Any, Any]) -> Problem:
    """The problem of one line of :func:`problem_table` (a missing cell read back as None)."""
    fields: dict[str, Any] = {str(k): (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()}
    if fields["row"] is not None:
        fields["row"] = int(fields["row"])
    return Problem(**fields)


def problem_table(problems: Sequence[Problem]) -> pd.DataFrame:
    """Problems as a frame, one line per problem (columns :data:`EXCLUSION_COLUMNS`)."""
    rows = [
        {
            "source": p.source,
            "row": p.row,
            "patient_id": p.patient_id,
            "week": p.week,
            "field": p.field,
            "value": p.value,
            "rule": p.rule,
            "message": p.message,
        }
        for p in problems
    ]
    return pd.DataFrame(rows, columns=list(EXCLUSION_COLUMNS))


def write_study(study: LoadedStudy | Study, folder: str | Path) -> Path:
    """Write a study's canonical frames as CSV files into ``folder`` (created if needed).

    Parameters
    ----------
    study : LoadedStudy or Study
        A loaded study (its frames) or validated records (:meth:`axspa.models.Study.to_frames`).
    folder : str or Path
        Where to write ``patients.csv``, ``visits.csv`` and ``adverse_events.csv`` (existing files
        of those names are overwritten); created with its parents if needed.

    Returns
    -------
    Path
        The folder.

    Raises
    ------
    OSError
        If the folder cannot be created or a file cannot be written.

    Notes
    -----
    Values are written in the canonical columns and units, missing values as empty fields, with
    ``\\n`` line endings. A loaded study's own measures are declared again in a ``study.toml``, so
    the folder loads back to the same study with :func:`load_study`. Excluded rows and notes are
    not written.

    Examples
    --------
    >>> import tempfile
    >>> from axspa.studies import thalidomide_2003
    >>> study = thalidomide_2003.load()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = write_study(study, tmp)
    ...     files = sorted(f.name for f in folder.iterdir())
    ...     again = load_study(folder, name="thalidomide_2003")
    >>> files
    ['adverse_events.csv', 'patients.csv', 'visits.csv']
    >>> again.patients.equals(study.patients), again.visits.equals(study.visits)
    (True, True)
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(study, Study):
        patients, visits, aes = study.to_frames()
    else:
        patients, visits, aes = study.patients, study.visits, study.adverse_events
    for frame, spec in ((patients, PATIENTS), (visits, VISITS), (aes, ADVERSE_EVENTS)):
        frame.to_csv(folder / spec.filename, index=False, lineterminator="\n")
    declared = "" if isinstance(study, Study) else study_file_text(study.registry, study.design)
    if declared:
        (folder / STUDY_FILE).write_text(declared, encoding="utf-8")
    return folder
