"""Mapping files: an export from a hospital or trial system turned into the canonical tables, without code.

A mapping file (TOML) says where each table is and how its headers and values translate; it is
applied to the raw tables *before* validation, so the normal column rules and their messages apply
to the mapped result (:func:`axspa.io.load_study` with ``mapping=``). A full example::

    missing = ["n.a.", "not done"]   # tokens meaning "not recorded", besides "", "NA", "n/a", "nan"
    decimal_comma = true             # "1,3" is 1.3 in every numeric column

    [patients]
    file = "export.xlsx"             # relative to the mapping file; CSV or a workbook
    sheet = "Demographics"           # a workbook's sheet (default: its first)
    drop = ["Comment"]               # export columns not to load
    # delimiter = ";"                # a CSV file's field separator (default ","; also tab "\t" and "|")

    [patients.columns]               # export header = canonical column
    "Patient ID" = "patient_id"
    "Sex" = "sex"
    "HLA-B27" = "hla_b27"
    "Reason for withdrawal" = "withdrawal_reason"

    [patients.recode.sex.values]     # exact values (stripped of spaces, case as written)
    M = "male"
    F = "female"

    [patients.recode.withdrawal_reason]
    patterns = [                     # regular expressions (Python re.search), the first that matches wins
        { regex = "(?i)side effect|adverse", value = "adverse_event" },
        { regex = "(?i)no (effect|improvement)", value = "lack_of_efficacy" },
    ]

    [visits]
    file = "export.xlsx"
    sheet = "Visits"

    [visits.columns]
    "Pat.-Nr." = "patient_id"
    "BASDAI 1 [mm]" = "basdai_q1"
    "CRP [mg/dL]" = "crp"

    [visits.scales]                  # canonical column = the range it was recorded on
    basdai_q1 = "0-100"              # 0-100 mm: divided by 10 to the registry's 0-10

    [visits.units]                   # laboratory column = its unit
    crp = "mg/dL"                    # loads as crp_mg_dl, converted to mg/L by the loader

    [visits.dates]                   # date column = its format (Python strptime)
    visit_date = "%d.%m.%Y"          # written as ISO text, 2024-03-01

Each table applies, in this order: ``drop``, the header renames ``columns``, the ``missing`` tokens
(the file's and the table's own), ``recode``, ``dates``, the decimal comma, ``scales`` and ``units``.
Keys of ``recode``, ``scales``, ``units`` and ``dates`` are column names after the renames.

A recoded column must account for every value: each distinct value that is neither a key of
``values``, nor matched by a pattern, nor already one of the recode's targets, is an error naming the
mapping file, the table, the column, the value and its rows. Nothing is guessed. A scaled value that
is not a number is left as written, for the column rule to report.
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from axspa.errors import DataValidationError, InputError, Problem
from axspa.ingest.columns import (
    ADVERSE_EVENT_COLUMNS,
    ALIAS_COLUMNS,
    PATIENT_COLUMNS,
    UNITLESS_LAB_NAMES,
    VISIT_COLUMNS,
    Column,
    Kind,
)
from axspa.ingest.distinct import distinct_cells, distinct_text, each_distinct_number
from axspa.ingest.missing import missing_mask, token_mask
from axspa.measures import MEASURES, UNIT_ALIASES, MeasureRegistry

__all__ = [
    "TABLES",
    "Recode",
    "StudyMapping",
    "TableMapping",
    "apply_table_mapping",
    "lab_column",
    "read_mapped_tables",
    "read_mapping",
]

TABLES: tuple[str, ...] = ("patients", "visits", "adverse_events")
"""The tables a mapping file may describe (patients and visits required)."""

_TOP_KEYS = {"missing", "decimal_comma", *TABLES}
_TABLE_KEYS = {"file", "sheet", "delimiter", "columns", "drop", "recode", "scales", "units", "dates", "missing"}
_RECODE_KEYS = {"values", "patterns"}
_TEXT_KINDS = (Kind.ID, Kind.TEXT, Kind.CATEGORY, Kind.BOOLEAN)
_SCALE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$")
_DECIMAL_COMMA = re.compile(r"^(\s*(?:<=?|≤)?\s*[-+]?\d+),(\d+\s*)$")
_COLUMN_KINDS: Mapping[str, Kind] = {
    c.name: c.kind for cols in (PATIENT_COLUMNS, VISIT_COLUMNS, ADVERSE_EVENT_COLUMNS) for c in cols.values()
}


@dataclass(frozen=True)
class Recode:
    """How the values of one column translate: exact values first, then patterns in order."""

    values: Mapping[str, str] = field(default_factory=dict)
    patterns: tuple[tuple[re.Pattern[str], str], ...] = ()

    def target(self, text: str) -> str | None:
        """The canonical value of one (stripped) export value; None when the recode does not cover it."""
        if text in self.values:
            return self.values[text]
        for pattern, value in self.patterns:
            if pattern.search(text):
                return value
        targets = set(self.values.values()) | {v for _, v in self.patterns}
        return text if text in targets else None


@dataclass(frozen=True)
class TableMapping:
    """The part of a mapping file about one table (see the module docstring for each field)."""

    name: str
    file: Path
    sheet: str | None = None
    delimiter: str = ","
    columns: Mapping[str, str] = field(default_factory=dict)
    drop: tuple[str, ...] = ()
    recode: Mapping[str, Recode] = field(default_factory=dict)
    scales: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    dates: Mapping[str, str] = field(default_factory=dict)
    missing: frozenset[str] = frozenset()

    @property
    def source(self) -> str:
        """Where the table comes from, as messages name it: ``"export.xlsx, sheet Visits"``."""
        return f"{self.file.name}, sheet {self.sheet}" if self.sheet else self.file.name


@dataclass(frozen=True)
class StudyMapping:
    """A parsed mapping file: one :class:`TableMapping` per table, and the settings of every table."""

    path: Path
    tables: Mapping[str, TableMapping]
    missing: frozenset[str] = frozenset()
    decimal_comma: bool = False


def _fail(path: Path, where: str, message: str) -> InputError:
    return InputError(f"mapping file {path.name}, {where}: {message}")


def _strings(path: Path, where: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _fail(path, where, f"must be a table of names to text values; got {value!r}")
    return {str(k).strip(): v.strip() for k, v in value.items()}


def _string_list(path: Path, where: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, where, f"must be a list of text values; got {value!r}")
    return [v.strip() for v in value]


def _recode(path: Path, where: str, spec: object) -> Recode:
    if not isinstance(spec, dict) or set(spec) - _RECODE_KEYS:
        raise _fail(path, where, f"must be a table with 'values' and/or 'patterns'; got {spec!r}")
    values = _strings(path, f"{where}.values", spec.get("values", {}))
    patterns = []
    for i, item in enumerate(spec.get("patterns", [])):
        if not isinstance(item, dict) or set(item) != {"regex", "value"}:
            raise _fail(path, f"{where}.patterns[{i}]", f"must be {{ regex = ..., value = ... }}; got {item!r}")
        try:
            patterns.append((re.compile(str(item["regex"])), str(item["value"]).strip()))
        except re.error as exc:
            raise _fail(path, f"{where}.patterns[{i}]", f"bad regular expression {item['regex']!r}: {exc}") from None
    return Recode(values=values, patterns=tuple(patterns))


def _scale(path: Path, where: str, text: object) -> tuple[float, float]:
    match = _SCALE.match(text) if isinstance(text, str) else None
    if match is None:
        raise _fail(path, where, f"must be the recorded range as 'LOW-HIGH', e.g. '0-100'; got {text!r}")
    low, high = float(match.group(1)), float(match.group(2))
    if not high > low:
        raise _fail(path, where, f"the range must run from low to high; got {text!r}")
    return low, high


def read_mapping(path: str | Path) -> StudyMapping:
    """Read and check a mapping file.

    Parameters
    ----------
    path : str or Path
        The TOML file (see the module docstring for its format). Table files are found relative to
        its folder.

    Returns
    -------
    StudyMapping

    Raises
    ------
    InputError
        If the file does not exist, is not TOML, or a key or value is not one the format allows; the
        message names the file and the key.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "mapping.toml"
    ...     _ = path.write_text('[patients]\\nfile = "p.csv"\\n[visits]\\nfile = "v.csv"\\n'
    ...                         '[visits.scales]\\nbasdai_q1 = "0-100"\\n')
    ...     mapping = read_mapping(path)
    >>> mapping.tables["visits"].scales
    {'basdai_q1': (0.0, 100.0)}
    """
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"mapping file {str(path)!r} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"mapping file {path.name} cannot be read: {exc}") from None
    unknown = set(document) - _TOP_KEYS
    if unknown:
        raise _fail(path, "top level", f"unknown key(s) {sorted(unknown)}; expected {sorted(_TOP_KEYS)}")
    for required in ("patients", "visits"):
        if required not in document:
            raise _fail(path, "top level", f"no [{required}] table; say which file (and sheet) holds it")
    missing = frozenset(t.lower() for t in _string_list(path, "missing", document.get("missing", [])))
    decimal_comma = document.get("decimal_comma", False)
    if not isinstance(decimal_comma, bool):
        raise _fail(path, "decimal_comma", f"must be true or false; got {decimal_comma!r}")
    tables = {}
    for name in TABLES:
        if name in document:
            tables[name] = _table(path, name, document[name])
    return StudyMapping(path=path, tables=tables, missing=missing, decimal_comma=decimal_comma)


def _table(path: Path, name: str, spec: object) -> TableMapping:
    if not isinstance(spec, dict):
        raise _fail(path, f"[{name}]", f"must be a table; got {spec!r}")
    unknown = set(spec) - _TABLE_KEYS
    if unknown:
        raise _fail(path, f"[{name}]", f"unknown key(s) {sorted(unknown)}; expected {sorted(_TABLE_KEYS)}")
    if not isinstance(spec.get("file"), str):
        raise _fail(path, f"[{name}].file", f"must name the file that holds the table; got {spec.get('file')!r}")
    sheet = spec.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        raise _fail(path, f"[{name}].sheet", f"must be a sheet name; got {sheet!r}")
    from axspa.io import CSV_DELIMITERS  # io reads mapping files: imported here, not at the top

    delimiter = spec.get("delimiter", ",")
    if delimiter not in CSV_DELIMITERS:
        choices = ", ".join(repr(d) for d in CSV_DELIMITERS)
        raise _fail(path, f"[{name}].delimiter", f"must be one of {choices}; got {delimiter!r}")
    columns = _strings(path, f"[{name}.columns]", spec.get("columns", {}))
    targets = list(columns.values())
    twice = sorted({t for t in targets if targets.count(t) > 1})
    if twice:
        raise _fail(path, f"[{name}.columns]", f"several headers renamed to {', '.join(map(repr, twice))}")
    recode = spec.get("recode", {})
    if not isinstance(recode, dict):
        raise _fail(path, f"[{name}.recode]", f"must be a table of columns; got {recode!r}")
    scales = spec.get("scales", {})
    if not isinstance(scales, dict):
        raise _fail(path, f"[{name}.scales]", f"must be a table of columns; got {scales!r}")
    units = _strings(path, f"[{name}.units]", spec.get("units", {}))
    for column, unit in units.items():
        lab_column(column, unit, where=f"mapping file {path.name}, [{name}.units]")
    return TableMapping(
        name=name,
        file=path.parent / spec["file"],
        sheet=sheet,
        delimiter=delimiter,
        columns=columns,
        drop=tuple(_string_list(path, f"[{name}].drop", spec.get("drop", []))),
        recode={c: _recode(path, f"[{name}.recode.{c}]", r) for c, r in recode.items()},
        scales={c: _scale(path, f"[{name}.scales].{c}", s) for c, s in scales.items()},
        units=units,
        dates=_strings(path, f"[{name}.dates]", spec.get("dates", {})),
        missing=frozenset(t.lower() for t in _string_list(path, f"[{name}].missing", spec.get("missing", []))),
    )


def lab_column(column: str, unit: str, *, where: str = "units") -> str:
    """The loader's column for a laboratory value in a declared unit.

    Parameters
    ----------
    column : str
        A laboratory name (``"crp"``, ``"esr"``, ``"iga"``) or one of its columns (``"crp_mg_l"``).
    unit : str
        The unit the values are in, as the registry writes it (case ignored): ``"mg/L"``, ``"mg/dL"``, ...
    where : str
        Where the declaration is, for the message.

    Returns
    -------
    str
        The column that holds values in that unit (converted to the canonical unit at load).

    Raises
    ------
    InputError
        If ``column`` is not a laboratory column, or ``unit`` is not one the loader accepts for it.

    Examples
    --------
    >>> lab_column("crp", "mg/dL"), lab_column("crp_mg_l", "mg/L"), lab_column("iga", "g/l")
    ('crp_mg_dl', 'crp_mg_l', 'iga_g_l')
    """
    names = next((cols for lab, cols in UNITLESS_LAB_NAMES.items() if column == lab or column in cols), None)
    if names is None:
        labs = ", ".join(UNITLESS_LAB_NAMES)
        raise InputError(f"{where}: {column!r} is not a laboratory column with units; expected one of {labs}")
    units = {(UNIT_ALIASES[c].unit if c in UNIT_ALIASES else MEASURES[c].unit): c for c in names}
    for text, target in units.items():
        if text.lower() == unit.strip().lower():
            return target
    raise InputError(f"{where}: {column} must be given in {' or '.join(units)}; got {unit!r}")


def read_mapped_tables(
    mapping: str | Path | StudyMapping, *, registry: MeasureRegistry | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Read every table a mapping file names and apply the mapping to it.

    Parameters
    ----------
    mapping : path or StudyMapping
        The mapping file, or one already read with :func:`read_mapping`.
    registry : MeasureRegistry, optional
        The study's measures, for the ranges of ``scales`` (the built-in ones by default).

    Returns
    -------
    tables : dict
        Table name -> the mapped raw table, ready for :func:`axspa.io.validate_frames`: text, except the
        columns of numbers of a CSV file whose every value is a number (read by
        :func:`axspa.io.read_table_typed`, as the canonical files are);
        ``adverse_events`` is absent when the mapping has no such table.
    sources : dict
        Table name -> where its rows came from (``"export.xlsx, sheet Visits"``), for messages.

    Raises
    ------
    DataValidationError
        Listing every value the mapping does not account for (unrecoded values, unreadable dates).
    InputError
        If a file or sheet does not exist, or the mapping names a column the table lacks.
    """
    from axspa.io import read_table, read_table_typed

    if not isinstance(mapping, StudyMapping):
        mapping = read_mapping(mapping)
    tables: dict[str, pd.DataFrame] = {}
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    for name, table in mapping.tables.items():
        if not table.file.is_file():
            raise _fail(mapping.path, f"[{name}].file", f"{str(table.file)!r} does not exist")
        if table.sheet is None:  # a CSV file, or a workbook's first sheet (read as text)
            raw = read_table_typed(
                table.file,
                _number_rules(table),
                missing=_spellings(mapping.missing | table.missing),
                delimiter=table.delimiter,
            )
        else:
            raw = read_table(table.file, sheet=table.sheet)
        tables[name], found = apply_table_mapping(
            raw, table, mapping=mapping, registry=registry, tokens_parsed=table.sheet is None
        )
        sources[name] = table.source
        problems += found
    if problems:
        raise DataValidationError(problems=problems, summary=f"mapping file {mapping.path.name}")
    return tables, sources


def _number_rules(table: TableMapping) -> Callable[[str], Column | None]:
    """For an export header, the rule of numbers of the canonical column it maps to (None: read as text).

    A recoded or dated column is read as text. A scaled column's numbers are judged after scaling, so its
    rule has no range here (only numbers that are not finite are read back as written).
    """
    spec = {"patients": PATIENT_COLUMNS, "visits": {**ALIAS_COLUMNS, **VISIT_COLUMNS}}.get(
        table.name, ADVERSE_EVENT_COLUMNS
    )

    def rule(header: str) -> Column | None:
        name = header.strip()
        if name in table.drop:
            return None
        column = table.columns.get(name, name)
        if column in table.recode or column in table.dates:
            return None
        found = spec.get(lab_column(column, table.units[column]) if column in table.units else column)
        if found is not None and column in table.scales:
            return replace(found, lower=None, upper=None)
        return found

    return rule


def _spellings(tokens: frozenset[str]) -> list[str]:
    """Missing-value tokens as exports write them (as given, lower, upper and title case), for the parser.

    Other spellings and spaces around a token are still found by the table's missing-value step.
    """
    return sorted({form for token in tokens for form in (token, token.lower(), token.upper(), token.title())})


def apply_table_mapping(
    raw: pd.DataFrame,
    table: TableMapping,
    *,
    mapping: StudyMapping,
    registry: MeasureRegistry | None = None,
    tokens_parsed: bool = False,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Apply one table's mapping to its raw export table (not changed).

    ``tokens_parsed``: the table was read by :func:`axspa.io.read_table_typed` with the mapping's missing-value
    tokens, so the columns the parser read as numbers hold none of them (the parser matches a token that is a
    number as a number, ``-99.0`` for ``-99``, as the missing-value step does); only the other columns are looked at.

    Returns
    -------
    frame : DataFrame
        The mapped table, its values strings (or missing), for the column rules to check.
    problems : list of Problem
        One per distinct value the recodes do not cover and per distinct date that does not fit its
        format, each naming the mapping file, the table, the column, the value and its rows.

    Raises
    ------
    InputError
        If the mapping names a column the table does not have.
    """
    from axspa.measures import lookup

    where = f"mapping file {mapping.path.name}, [{table.name}]"
    frame = raw.rename(columns=lambda c: str(c).strip())
    _require(frame, table.drop, f"{where}.drop", table)
    frame = frame.drop(columns=list(table.drop))
    _require(frame, table.columns, f"{where}.columns", table)
    clash = sorted(set(table.columns.values()) & (set(frame.columns) - set(table.columns)))
    if clash:
        raise InputError(f"{where}.columns: {', '.join(map(repr, clash))} is already a column of {table.source}")
    frame = frame.rename(columns=dict(table.columns))
    for key in ("recode", "dates", "scales", "units"):
        _require(frame, getattr(table, key), f"{where}.{key}", table)
    tokens = mapping.missing | table.missing
    for column in frame.columns if tokens else ():
        series = frame[column]
        if column in table.recode:
            continue  # the recode sets the tokens missing (among the distinct values of a column of text)
        if not (tokens_parsed and series.dtype.kind in "iuf"):
            cleared = _to_missing(series, tokens)
            if cleared is not series:  # a column is replaced only where a token was found
                frame[column] = cleared
    problems: list[Problem] = []
    for column, recode in table.recode.items():
        frame[column], found = _recode_column(frame[column], recode, column, where=where, table=table, tokens=tokens)
        problems += found
    for column, fmt in table.dates.items():
        frame[column], found = _date_column(frame[column], fmt, column, where=where, table=table)
        problems += found
    if mapping.decimal_comma:
        for column in frame.columns:
            if _COLUMN_KINDS.get(column) not in _TEXT_KINDS and column not in table.dates:
                frame[column] = _decimal_point(frame[column])
    for column, (low, high) in table.scales.items():
        measure = lookup(column, registry)
        frame[column] = _rescale(frame[column], (low, high), (measure.lower, measure.upper))
    frame = frame.rename(columns={c: lab_column(c, u, where=f"{where}.units") for c, u in table.units.items()})
    return frame, problems


def _require(frame: pd.DataFrame, names: object, where: str, table: TableMapping) -> None:
    absent = [n for n in names if n not in frame.columns]  # type: ignore[attr-defined]
    if absent:
        raise InputError(
            f"{where}: {', '.join(map(repr, absent))} is not a column of {table.source}; "
            f"its columns: {', '.join(map(str, frame.columns))}"
        )


def _text(series: pd.Series) -> pd.Series:
    """Stripped text of a column, missing (None) where the value is missing."""
    present = ~missing_mask(series)
    return series.where(present, None).map(lambda v: str(v).strip(), na_action="ignore")


def _to_missing(series: pd.Series, tokens: frozenset[str]) -> pd.Series:
    """The column with each cell that is a missing-value token (stripped, in lower case) set missing.

    A column of text is looked at as the set of its distinct strings (:func:`_token_strings`): the column itself is
    returned unless one of them is a token. Any other column takes the general path, :func:`_cells_to_missing`.
    """
    if series.dtype.kind in "iuf":  # parsed as numbers: only a token that is a number can be among them
        numbers = pd.to_numeric(pd.Series(sorted(tokens), dtype=object), errors="coerce").dropna()
        hit = series.isin(numbers.tolist()).to_numpy(dtype=bool) if len(numbers) else np.zeros(len(series), bool)
        return series.where(~hit) if hit.any() else series
    found = _token_strings(series, tokens)
    if found is None:
        return _cells_to_missing(series, tokens)
    if not found:
        return series
    return series.where(~series.isin(found).to_numpy(dtype=bool), None)


def _token_strings(series: pd.Series, tokens: frozenset[str]) -> set[str] | None:
    """The distinct strings of a column of text that are tokens; None if it holds a value neither text nor missing."""
    if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
        return None
    distinct = distinct_cells(series.to_numpy(dtype=object))
    strings = [v for v in distinct if type(v) is str]
    if len(strings) < len(distinct) and not all(
        v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) for v in distinct if type(v) is not str
    ):
        return None
    is_token = map(tokens.__contains__, map(str.lower, map(str.strip, strings)))  # no Python loop per string
    return set(itertools.compress(strings, is_token))


def _cells_to_missing(series: pd.Series, tokens: frozenset[str]) -> pd.Series:
    """:func:`_to_missing` of any column that is not numbers: each distinct value (or each cell) looked at."""
    coded = distinct_text(series)
    if coded is None:
        hit = (token_mask(series, tokens) & series.notna()).to_numpy(dtype=bool)
    else:  # each distinct value looked at once
        distinct = coded.values
        token = (token_mask(distinct, tokens) & distinct.notna()).to_numpy(dtype=bool)
        if not token.any():
            return series
        hit = token[coded.positions]
    return series.where(~hit, None) if hit.any() else series


def _rows(mask: np.ndarray) -> str:
    rows = (np.flatnonzero(mask) + 1).tolist()
    shown = ", ".join(map(str, rows[:5])) + (", ..." if len(rows) > 5 else "")
    return f"{len(rows)} row{'s' if len(rows) > 1 else ''}: {shown}"


def _recode_column(
    series: pd.Series,
    recode: Recode,
    column: str,
    *,
    where: str,
    table: TableMapping,
    tokens: frozenset[str] = frozenset(),
) -> tuple[pd.Series, list[Problem]]:
    """A column with its missing-value ``tokens`` set missing and then recoded; a problem per value not covered.

    A column of text (object dtype) is handled once per distinct value and the result spread back to its cells.
    """
    cells = _Distinct(series)
    text = _text(_to_missing(cells.values, tokens) if tokens else cells.values)
    targets = {v: recode.target(v) for v in text.dropna().unique()}
    problems = [
        Problem(
            rule="recode",
            message=f"{where}.recode.{column}: value {value!r} of column {column} is not recoded "
            f"({table.source}, {cells.rows((text == value).to_numpy(dtype=bool))}); add it to the values or "
            "patterns of the recode",
            field=column,
            value=value,
            source=table.source,
        )
        for value, target in targets.items()
        if target is None
    ]
    return cells.back(text.map(targets, na_action="ignore").astype(object)), problems


class _Distinct:
    """A column of text (object dtype) as its distinct values, any other column as its cells; and the way back.

    A result computed on :attr:`values` is spread back to the column's cells by :meth:`back`; :meth:`rows` names
    the rows of the cells whose value is marked.
    """

    def __init__(self, series: pd.Series) -> None:
        self.index = series.index
        self.coded = distinct_text(series) if series.dtype == object else None
        self.values = series if self.coded is None else self.coded.values

    def rows(self, marked: np.ndarray) -> str:
        """The rows (1-based, the first few) of the cells whose value is marked in a mask over :attr:`values`."""
        return _rows(marked if self.coded is None else marked[self.coded.positions])

    def back(self, result: pd.Series) -> pd.Series:
        """A result on :attr:`values` (same order) as a column of the cells."""
        return result if self.coded is None else self.coded.spread(result, self.index)


def _date_column(
    series: pd.Series, fmt: str, column: str, *, where: str, table: TableMapping
) -> tuple[pd.Series, list[Problem]]:
    cells = _Distinct(series)  # each distinct date read once
    text = _text(cells.values)
    iso: dict[str, str | None] = {}
    for value in text.dropna().unique():
        try:
            iso[value] = datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            try:  # a workbook's date cell reads as "2024-03-01 00:00:00"
                iso[value] = datetime.fromisoformat(value).date().isoformat()
            except ValueError:
                iso[value] = None
    problems = [
        Problem(
            rule="date",
            message=f"{where}.dates.{column}: value {value!r} of column {column} is not a date in the format "
            f"{fmt!r} ({table.source}, {cells.rows((text == value).to_numpy(dtype=bool))})",
            field=column,
            value=value,
            source=table.source,
        )
        for value, date in iso.items()
        if date is None
    ]
    return cells.back(text.map(lambda v: iso[v] or v, na_action="ignore").astype(object)), problems


def _decimal_point(series: pd.Series) -> pd.Series:
    if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
        return series
    text = series.astype("string")
    has_comma = text.str.contains(",", regex=False).fillna(False).to_numpy(dtype=bool)
    if not has_comma.any():
        return series
    fixed = text.str.replace(_DECIMAL_COMMA, r"\1.\2", regex=True).astype(object)
    return series.where(~has_comma, fixed)


def _rescale(series: pd.Series, recorded: tuple[float, float], canonical: tuple[float, float]) -> pd.Series:
    r"""Values recorded on ``recorded`` (low, high) put on the ``canonical`` range.

    .. math:: y = c_{lo} + (x - r_{lo}) / d, \qquad d = (r_{hi} - r_{lo}) / (c_{hi} - c_{lo})

    (a division, so 45 mm / 10 is exactly the number 4.5 written as text); non-numbers stay as written.
    """
    divisor = (recorded[1] - recorded[0]) / (canonical[1] - canonical[0])
    is_number = series.dtype.kind in "iuf"
    numbers = (series if is_number else pd.to_numeric(series, errors="coerce")).to_numpy(dtype=np.float64)

    def arithmetic(values: np.ndarray) -> np.ndarray:  # the formula on a whole array, not rounded
        out = np.subtract(values, recorded[0])
        np.divide(out, divisor, out=out)
        np.add(out, canonical[0], out=out)
        return out

    # each distinct value scaled and rounded once (12 significant digits, so 43.7 mm is 4.37 exactly); whole
    # numbers by the unrounded formula where it gives those same values (45 mm / 10 is 4.5 either way)
    scaled = each_distinct_number(
        numbers, lambda x: float(f"{canonical[0] + (x - recorded[0]) / divisor:.12g}"), arithmetic
    )
    if is_number and not np.isinf(numbers).any():
        return pd.Series(scaled, index=series.index, copy=False)  # numbers stay numbers for the column rule
    present = np.isfinite(numbers)
    text = pd.Series(scaled, index=series.index).map(lambda x: f"{x:.12g}")  # a rare path: text in the column
    return series.where(~present, text).astype(object)
