"""Drafting a mapping file from an export (``axspa map``): what can be read off the export, and what cannot.

:func:`draft_mapping` reads the exported files (CSV files, or every sheet of a workbook) and writes a
mapping file (:mod:`axspa.ingest.mapping`) with

- each sheet assigned to a table by its headers and its name;
- each header matched to a canonical column: case, spacing, accents and punctuation ignored, a unit
  in brackets ("BASDAI 1 [mm]") read apart, and common synonyms of English, German, French and
  Spanish clinical exports; a header that matches nothing gets a "did you mean" (:mod:`difflib`);
- the distinct values of each categorical column, translated where a synonym is certain;
- the missing-value tokens and decimal commas found, suspected scales (a 0-10 item whose values run
  past 10), laboratory units (from the header), and the date columns with their format.

It never resolves a point it is not sure of: such a point is written as a TOML comment marked
``# TODO: decide`` with what was found, so the draft parses but needs a person to finish it.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from axspa.ingest.columns import (
    ADVERSE_EVENT_COLUMNS,
    CONTROLLED_PATIENT_COLUMNS,
    PATIENT_COLUMNS,
    UNITLESS_LAB_NAMES,
    VISIT_COLUMNS,
    Column,
    Kind,
    RuleError,
)
from axspa.ingest.mapping import lab_column
from axspa.ingest.missing import MISSING_TOKENS
from axspa.measures import MEASURES, UNIT_ALIASES, MeasureKind

__all__ = ["TODO", "draft_mapping", "match_header"]

TODO = "# TODO: decide"
"""The mark of every point a draft leaves to the user."""

_SPECS: Mapping[str, Mapping[str, Column]] = {
    "patients": {**PATIENT_COLUMNS, **CONTROLLED_PATIENT_COLUMNS},
    "visits": VISIT_COLUMNS,
    "adverse_events": ADVERSE_EVENT_COLUMNS,
}

# Header synonyms (normalized: lower case, no accents, words separated by one space) -> canonical column.
_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "patient_id": (
        "patient id", "patient", "patient no", "patient nr", "patient number", "pat id", "pat nr", "subject",
        "subject id", "subjid", "usubjid", "id", "patienten id", "patientennummer", "patienten nr",
        "id patient", "numero patient", "no patient", "paciente", "id paciente", "numero de paciente",
    ),
    "sex": ("sex", "gender", "geschlecht", "sexe", "sexo"),
    "age_years": ("age", "age years", "alter", "alter jahre", "edad"),
    "disease_duration_years": (
        "disease duration", "duration of disease", "krankheitsdauer", "erkrankungsdauer",
        "duree de la maladie", "duree maladie", "duracion de la enfermedad",
    ),
    "hla_b27": ("hla b27", "hlab27", "hla b 27", "b27"),
    "subtype": ("subtype", "subtyp", "sous type", "subtipo"),
    "status": ("status", "disposition", "study status", "statut", "estado"),
    "arm": (
        "arm", "treatment arm", "study arm", "treatment group", "randomised arm", "randomized arm",
        "randomisation", "randomization", "behandlungsarm", "therapiearm", "behandlungsgruppe",
        "bras", "bras de traitement", "groupe de traitement", "brazo", "brazo de tratamiento",
        "grupo de tratamiento",
    ),
    "treated": (
        "treated", "received study drug", "received treatment", "dosed", "behandelt", "traite", "tratado",
    ),
    "withdrawal_reason": (
        "withdrawal reason", "reason for withdrawal", "reason for discontinuation", "discontinuation reason",
        "abbruchgrund", "grund des abbruchs", "grund fur abbruch", "motif d arret", "motif de retrait",
        "motivo de retirada", "motivo de abandono",
    ),
    "last_week": ("last week", "last visit week", "letzte woche", "derniere semaine", "ultima semana"),
    "week": ("week", "visit week", "study week", "woche", "studienwoche", "semaine", "semana"),
    "patient_global": (
        "patient global", "patient global assessment", "ptga", "pga patient", "globalurteil patient",
        "patientenurteil", "evaluation globale du patient", "evaluacion global del paciente",
    ),
    "back_pain": (
        "back pain", "total back pain", "ruckenschmerz", "ruckenschmerzen", "douleur rachidienne", "dolor de espalda",
    ),
    "basg_week": ("bas g", "basg", "bas g week", "basg last week"),
    "basg_6m": ("bas g 6 months", "basg 6 months", "basg 6m", "bas g 6m"),
    "esr_mm_h": ("esr", "bsg", "bsr", "vs", "vsg", "sed rate", "erythrocyte sedimentation rate"),
    "crp": ("crp", "c reactive protein", "c reaktives protein", "pcr", "proteine c reactive", "proteina c reactiva"),
    "iga": ("iga", "immunoglobulin a"),
    "term": ("term", "ae term", "adverse event", "event", "ae", "ereignis", "nebenwirkung", "evenement", "evento"),
    "onset_week": ("onset week", "week of onset", "onset", "beginn woche", "semaine de debut", "semana de inicio"),
    "severity": ("severity", "intensity", "schweregrad", "intensitat", "severite", "intensite", "gravedad"),
    "serious": ("serious", "sae", "serious ae", "schwerwiegend", "grave", "serio"),
    "action": ("action", "action taken", "massnahme", "mesure prise", "accion tomada"),
}  # fmt: skip

# Value synonyms (normalized, trailing dots dropped) -> canonical value, per column kind or column.
_VALUES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "sex": {
        "male": ("m", "male", "man", "mann", "mannlich", "masculin", "masculino", "homme", "hombre"),
        "female": ("f", "female", "woman", "w", "frau", "weiblich", "feminin", "femme", "femenino", "mujer"),
    },
    "boolean": {
        "true": ("pos", "positive", "positiv", "positif", "positivo", "yes", "ja", "oui", "si", "true"),
        "false": ("neg", "negative", "negativ", "negatif", "negativo", "no", "nein", "non", "false"),
    },
    "status": {
        "completed": ("completed", "complete", "finished", "abgeschlossen", "beendet", "termine", "completado"),
        "withdrawn": (
            "withdrawn", "discontinued", "dropped out", "dropout", "drop out", "early termination", "abgebrochen",
            "ausgeschieden", "retire", "arrete", "abandon", "retirado", "abandono",
        ),
        "ongoing": ("ongoing", "active", "laufend", "en cours", "en curso"),
    },
    "severity": {
        "mild": ("mild", "leicht", "leger", "leve"),
        "moderate": ("moderate", "mittel", "mittelschwer", "modere", "moderado"),
        "severe": ("severe", "schwer", "severe", "severo"),
    },
}  # fmt: skip

_REASONS: Mapping[str, re.Pattern[str]] = {
    "adverse_event": re.compile(
        r"adverse|side ?effect|\bae\b|toxicit|intoleran|nebenwirkung|unerwunscht|indesirable|effet secondaire"
        r"|evento adverso|efecto secundario"
    ),
    "lack_of_efficacy": re.compile(
        r"lack of efficacy|inefficacy|ineffective|not effective|no (improvement|effect|response)"
        r"|insufficient (response|effect)|wirkungslos|unwirksam|keine wirkung|mangelnde wirksamkeit"
        r"|inefficacite|manque d efficacite|falta de eficacia|ineficacia"
    ),
    "lost_to_follow_up": re.compile(
        r"lost to follow|\blost\b|not reachable|unreachable|nicht erreichbar|perdu de vue|perdida de seguimiento"
    ),
}

_MISSING_CANDIDATES = frozenset(
    {"n.a.", "n.a", "not done", "nd", "n.d.", "not available", "missing", "nicht durchgefuhrt", "k.a.",
     "non fait", "no realizado", "no disponible", "non disponible"}
)  # fmt: skip
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%Y/%m/%d")
_DATE_NAMES = ("date", "datum", "fecha")
_TABLE_NAMES: Mapping[str, tuple[str, ...]] = {
    "patients": ("demograph", "patient", "baseline", "stammdaten", "demografia", "subject"),
    "visits": ("visit", "follow", "besuch", "visite", "visita", "assessment"),
    "adverse_events": ("ae", "adverse", "safety", "nebenwirk", "unerwunscht", "indesirable", "evento adverso"),
}
_DECIMAL_COMMA = re.compile(r"^\s*(?:<=?)?\s*[-+]?\d+,\d+\s*$")
_UNIT_IN_BRACKETS = re.compile(r"[\[(]([^\])]*)[\])]\s*$")
_ITEM = re.compile(r"^(basdai|basfi)\s*(?:q|item|question|frage|nr|no)?\s*(\d{1,2})$")


def _plain(text: object) -> str:
    """Lower case, accents dropped, every run of other characters one space."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _phrases() -> dict[str, str]:
    phrases = {_plain(c.replace("_", " ")): c for cols in _SPECS.values() for c in cols}
    for canonical, words in _SYNONYMS.items():
        phrases |= dict.fromkeys(words, canonical)
    return phrases


_PHRASES = _phrases()


def match_header(header: object) -> tuple[str | None, str | None, list[str]]:
    """The canonical column a header names, the unit in its brackets, and close candidates.

    Returns
    -------
    column : str or None
        The canonical column (``"crp"`` for a CRP header: its unit decides the column), or None.
    unit : str or None
        The text of a trailing ``[...]`` or ``(...)``, e.g. ``"mm"``.
    candidates : list of str
        When nothing matches: up to three canonical columns whose names or synonyms are close.

    Examples
    --------
    >>> match_header("BASDAI 1 [mm]"), match_header(" Geschlecht ")
    (('basdai_q1', 'mm', []), ('sex', None, []))
    >>> match_header("Patinet global")
    (None, None, ['patient_global'])
    """
    text = str(header).strip()
    unit = None
    found = _UNIT_IN_BRACKETS.search(text)
    if found and found.start() > 0:
        unit, text = found.group(1).strip(), text[: found.start()]
    key = _plain(text)
    item = _ITEM.match(key)
    if item and f"{item.group(1)}_q{int(item.group(2))}" in VISIT_COLUMNS:
        return f"{item.group(1)}_q{int(item.group(2))}", unit, []
    if key in _PHRASES:
        return _PHRASES[key], unit, []
    close = difflib.get_close_matches(key, list(_PHRASES), n=6, cutoff=0.75)
    return None, unit, list(dict.fromkeys(_PHRASES[c] for c in close))[:3]


def _q(text: object) -> str:
    """A TOML basic string."""
    return json.dumps(str(text), ensure_ascii=False)


def _read(paths: Sequence[str | Path]) -> list[tuple[Path, str | None, pd.DataFrame]]:
    """Every sheet of every export: (file, sheet or None for a CSV file, its table as text).

    A CSV file is read with the field separator its header line shows (:func:`axspa.io.sniff_delimiter`),
    and ``_table_lines`` writes it into the draft when it is not the comma.
    """
    from axspa.io import EXCEL_SUFFIXES, read_table, sheet_names, sniff_delimiter

    sheets: list[tuple[Path, str | None, pd.DataFrame]] = []
    for path in map(Path, paths):
        if path.suffix.lower() in EXCEL_SUFFIXES:
            sheets += [(path, name, read_table(path, sheet=name)) for name in sheet_names(path)]
        else:
            sheets.append((path, None, read_table(path, delimiter=sniff_delimiter(path))))
    return sheets


def _table_of(headers: list[object], sheet_name: str) -> str | None:
    """The table a sheet holds, when its headers (and name) say so unambiguously."""
    matched = {match_header(h)[0] for h in headers} - {None, "patient_id"}
    name = _plain(sheet_name)
    scores = {
        table: len(matched & (set(cols) | {"crp", "iga"} if table == "visits" else set(cols)))
        + 2 * any(re.search(rf"\b{w}", name) for w in _TABLE_NAMES[table])
        for table, cols in _SPECS.items()
    }
    best = max(scores.values())
    winners = [t for t, s in scores.items() if s == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _values(series: pd.Series, missing: set[str]) -> list[str]:
    text = series.dropna().map(lambda v: str(v).strip())
    return [v for v in dict.fromkeys(text) if v.lower() not in MISSING_TOKENS and v.lower() not in missing]


def _canonical_value(column: Column, value: str) -> str | None:
    """A value's canonical text where a synonym (or the column rule) makes it certain; None when unsure."""
    if value in {"+", "-"}:
        return None
    key = _plain(value)
    vocabulary = _VALUES.get("boolean" if column.kind is Kind.BOOLEAN else column.name, {})
    for target, words in vocabulary.items():
        if key in words and (column.kind is Kind.BOOLEAN or target in column.choices):
            return ("positive" if target == "true" else "negative") if column.name == "hla_b27" else target
    if column.name == "withdrawal_reason":
        hits = [reason for reason, pattern in _REASONS.items() if pattern.search(key)]
        if len(hits) == 1:
            return hits[0]
    try:
        converted = column.check(value)
    except RuleError:
        return None
    return str(converted).lower() if converted is not None else None


def _date_format(values: list[str]) -> list[str]:
    """Every format all the values fit (empty: not a date column)."""
    fits = []
    for fmt in _DATE_FORMATS:
        try:
            for v in values:
                datetime.strptime(v, fmt)
        except ValueError:
            continue
        fits.append(fmt)
    return fits


def draft_mapping(exports: Sequence[str | Path], *, mapping_dir: str | Path | None = None) -> str:
    """Draft a mapping file for an export.

    Parameters
    ----------
    exports : sequence of path
        The exported files: CSV files, or workbooks (every sheet is read).
    mapping_dir : path, optional
        Where the mapping file will be saved, so that file names are written relative to it (by
        default the names are written as given).

    Returns
    -------
    str
        The TOML text. Every point the export does not settle is a comment marked ``# TODO: decide``.

    Raises
    ------
    InputError
        If a file cannot be read (see :func:`axspa.io.read_table`).
    """
    sheets = _read(exports)
    lines = [
        f"# axspa mapping file, drafted by `axspa map` from {', '.join(p.name for p in map(Path, exports))}.",
        "# Check every line; each point marked '# TODO: decide' is yours to settle (uncomment and fill in, or",
        "# delete). Then: axspa validate STUDY_FOLDER --mapping THIS_FILE",
    ]
    found_missing = sorted(
        {
            str(v).strip()
            for _, _, frame in sheets
            for col in frame.columns
            for v in frame[col].dropna().unique()
            if str(v).strip().lower() in _MISSING_CANDIDATES
        }
    )
    if found_missing:
        lines.append(f"missing = [{', '.join(map(_q, found_missing))}]  # values that mean 'not recorded'")
    lower_missing = {m.lower() for m in found_missing}
    comma_columns = sorted(
        {
            f"{sheet or path.name}: {col}"
            for path, sheet, frame in sheets
            for col in frame.columns
            if frame[col].dropna().map(lambda v: bool(_DECIMAL_COMMA.match(str(v)))).any()
        }
    )
    if comma_columns:
        thousands = any(
            re.match(r"^\s*\d{1,3},\d{3}\s*$", str(v))
            for _, _, frame in sheets
            for col in frame.columns
            for v in frame[col].dropna().unique()
        )
        shown = "; ".join(comma_columns[:4]) + (" ..." if len(comma_columns) > 4 else "")
        if thousands:
            lines.append(f"# decimal_comma = true  {TODO}: commas in numbers ({shown}); some look like thousands")
        else:
            lines.append(f"decimal_comma = true  # numbers such as '1,3' in {shown}")

    claimed: set[str] = set()
    for path, sheet, frame in sheets:
        where = f"{path.name}" + (f", sheet {sheet!r}" if sheet else "")
        table = _table_of(list(frame.columns), sheet or path.stem)
        if table is None or table in claimed:
            lines += ["", f"# {where}: which table is it (patients, visits or adverse_events)? {TODO}"]
            table = None
        if table is None:
            continue
        claimed.add(table)
        lines += _table_lines(table, path, sheet, frame, lower_missing, mapping_dir)
    return "\n".join(lines) + "\n"


def _table_lines(
    table: str,
    path: Path,
    sheet: str | None,
    frame: pd.DataFrame,
    missing: set[str],
    mapping_dir: str | Path | None,
) -> list[str]:
    file = path
    if mapping_dir is not None:
        try:
            file = path.resolve().relative_to(Path(mapping_dir).resolve())
        except ValueError:
            file = path.resolve()
    head = ["", f"[{table}]", f"file = {_q(file.as_posix())}"] + ([f"sheet = {_q(sheet)}"] if sheet else [])
    if sheet is None:
        from axspa.io import CSV_DELIMITERS, sniff_delimiter

        delimiter = sniff_delimiter(path)
        if delimiter != ",":
            head.append(
                f"delimiter = {_q(delimiter)}  # the file's fields are separated by {CSV_DELIMITERS[delimiter]}s"
            )
    columns = ["", f"[{table}.columns]"]
    scales, units, dates, recodes = [], [], [], []
    spec = _SPECS[table]
    used: set[str] = set()
    for header in frame.columns:
        name, unit, close = match_header(header)
        values = _values(frame[header], missing)
        if name is None or (name not in spec and name not in UNITLESS_LAB_NAMES) or name in used:
            fits = _date_format(values) if values and any(w in _plain(header) for w in _DATE_NAMES) else []
            if fits:
                kind = "a date column"
                fmt = fits[0] if len(fits) == 1 else None
                dates.append(
                    f"{_q(str(header).strip())} = {_q(fmt)}"
                    if fmt
                    else f'# {_q(str(header).strip())} = ""  {TODO}: a date format, one of {", ".join(fits)}'
                )
            else:
                kind = "no canonical column of this table matches"
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            columns.append(f'# {_q(str(header).strip())} = ""  {TODO}: {kind}{hint}; or list it in drop')
            continue
        used.add(name)
        columns.append(f"{_q(str(header).strip())} = {_q(name)}")
        if name in UNITLESS_LAB_NAMES:
            units.append(_unit_line(name, unit, values))
        measure = MEASURES.get(name)
        if measure is not None and measure.kind is MeasureKind.RATING:
            line = _scale_line(name, unit, values, measure.upper)
            if line:
                scales.append(line)
        column = spec.get(name)
        if column is not None and column.kind in (Kind.CATEGORY, Kind.BOOLEAN):
            recodes += _recode_lines(table, column, values)
    out = head + columns
    for title, body in (("scales", scales), ("units", units), ("dates", dates)):
        if body:
            out += ["", f"[{table}.{title}]", *body]
    return out + recodes


def _numbers(values: list[str]) -> np.ndarray:
    numbers = pd.to_numeric(pd.Series([v.replace(",", ".") for v in values], dtype=object), errors="coerce")
    return numbers.dropna().to_numpy(dtype=float)


def _unit_line(name: str, unit: str | None, values: list[str]) -> str:
    numbers = _numbers(values)
    median = f"; median value {np.median(numbers):g}" if len(numbers) else ""
    if unit:
        try:
            lab_column(name, unit)
        except ValueError:
            return f"# {name} = {_q(unit)}  {TODO}: the header says {unit!r}, not a unit axspa knows{median}"
        return f"{name} = {_q(unit)}  # from the header{median}"
    columns = UNITLESS_LAB_NAMES[name]
    if len(columns) == 1:
        return f"{name} = {_q(MEASURES[columns[0]].unit)}  # its only unit{median}"
    return f'# {name} = ""  {TODO}: the unit is not in the header ({" or ".join(_units(name))}){median}'


def _units(name: str) -> list[str]:
    return [UNIT_ALIASES[c].unit if c in UNIT_ALIASES else MEASURES[c].unit for c in UNITLESS_LAB_NAMES[name]]


def _scale_line(name: str, unit: str | None, values: list[str], upper: float) -> str | None:
    numbers = _numbers(values)
    top = float(numbers.max()) if len(numbers) else None
    says_mm = unit is not None and _plain(unit) in {"mm", "0 100", "0 100 mm"}
    if top is not None and top > upper and top <= 100 and says_mm:
        return f'{name} = "0-100"  # header unit {unit!r}; values run to {top:g}'
    if top is not None and top > upper:
        return f'# {name} = "0-100"  {TODO}: values run to {top:g}, past {upper:g}'
    if says_mm:
        return f'# {name} = "0-100"  {TODO}: the header says mm, but the values run only to {top}'
    return None


def _passes(column: Column, value: str) -> bool:
    if value in {"+", "-"}:
        return False
    try:
        column.check(value)
    except RuleError:
        return False
    return True


def _recode_lines(table: str, column: Column, values: list[str]) -> list[str]:
    if all(_passes(column, v) for v in values):
        return []  # every value passes the column rule as it is
    targets = {v: _canonical_value(column, v) for v in values}
    choices = ", ".join(column.choices) if column.kind is Kind.CATEGORY else "positive, negative (true, false)"
    lines = ["", f"[{table}.recode.{column.name}.values]"]
    for value, target in targets.items():
        if target is None:
            lines.append(f'# {_q(value)} = ""  {TODO}: one of {choices}')
        else:
            lines.append(f"{_q(value)} = {_q(target)}")
    return lines
