"""Writers of ADaM data sets: CSV, and SAS transport (XPT) version 5 behind a validator that never truncates.

SAS transport version 5 holds names of at most 8 characters, labels of at most 40 bytes, character values
of at most 200 bytes and numbers as IBM System/370 doubles. pyreadstat (the optional extra ``cdisc``)
writes it when asked explicitly (``file_format_version=5``; its default, version 8, is unreadable by
pandas and by SAS's XPORT engine), refuses long names, but cuts labels to 40 characters and writes
over-long text silently. :func:`check_xpt` therefore runs before every XPT write and refuses, naming the
data set, the variable and the value, anything version 5 cannot hold as given; nothing is ever truncated.

The numeric range is that of the IBM format *as written by pyreadstat*: the format reaches about
7.2e75, but pyreadstat 1.3 (ReadStat) writes every magnitude from 2**249 (about 9.05e74) upwards as the
largest IBM number (read back as 7.2e75 by pandas, as infinity by pyreadstat), so the validator's upper
bound is 2**249, exclusive. The smallest normalised IBM magnitude is 16**-65 (about 5.4e-79); a non-zero
number below it would be written as zero.

References
----------
.. [1] SAS Institute. The record layout of a data set in SAS transport (XPORT) format, TS-140.
.. [2] FDA. Study Data Technical Conformance Guide (SAS transport version 5 for submissions).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from axspa.cdisc.spec import Adam, Dataset, write_specification
from axspa.errors import InputError, MissingDependencyError
from axspa.spreadsheet import write_csv as write_spreadsheet_csv

__all__ = [
    "CHAR_MAX_BYTES",
    "IBM_MIN",
    "IBM_WRITABLE_MAX",
    "LABEL_MAX_BYTES",
    "NAME_MAX",
    "check_xpt",
    "write_adam",
    "write_csv",
    "write_xpt",
]

NAME_MAX = 8
"""Longest data set or variable name in SAS transport version 5."""
LABEL_MAX_BYTES = 40
"""Longest data set or variable label, in bytes."""
CHAR_MAX_BYTES = 200
"""Longest character value, in bytes."""
IBM_MIN = 16.0**-65
"""Smallest non-zero magnitude of an IBM System/370 double (about 5.4e-79)."""
IBM_WRITABLE_MAX = 2.0**249
"""Magnitudes from here up are written wrongly by pyreadstat (see the module notes); exclusive bound."""

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SHOWN = 20  # problems listed in one error


def _where(frame: pd.DataFrame, position: int) -> str:
    """Row number (1-based) and, where the frame has one, the subject of a row."""
    subject = f", USUBJID {frame['USUBJID'].iloc[position]}" if "USUBJID" in frame.columns else ""
    return f"row {position + 1}{subject}"


def _name_problems(dataset: str, kind: str, name: object) -> list[str]:
    if not isinstance(name, str) or not _NAME.match(name):
        return [f"{dataset}: {kind} name {name!r} is not a SAS name (letters, digits and _, not starting with a digit)"]
    out = []
    if len(name) > NAME_MAX:
        out.append(
            f"{dataset}: {kind} name {name!r} has {len(name)} characters; SAS transport version 5 allows "
            f"at most {NAME_MAX}"
        )
    if name != name.upper():
        out.append(f"{dataset}: {kind} name {name!r} is not upper case; expected {name.upper()!r}")
    return out


def _label_problems(dataset: str, what: str, label: object) -> list[str]:
    if not isinstance(label, str):
        return [f"{dataset}: the label of {what} must be text; got {label!r}"]
    if not label.isascii():
        return [
            f"{dataset}: the label of {what}, {label!r}, holds non-ASCII characters; SAS transport version 5 "
            "holds ASCII text only"
        ]
    if len(label.encode("ascii")) > LABEL_MAX_BYTES:
        return [
            f"{dataset}: the label of {what}, {label!r}, has {len(label)} bytes; SAS transport version 5 "
            f"allows at most {LABEL_MAX_BYTES} (axspa never truncates)"
        ]
    return []


def _numeric_problems(dataset: str, name: str, frame: pd.DataFrame) -> list[str]:
    column = frame[name]
    if pd.api.types.is_bool_dtype(column):
        return [f"{dataset}: variable {name} holds True/False values; write them as 'Y'/'N' or 1/0"]
    values = column.to_numpy(dtype=float, na_value=np.nan)
    out = []
    if pd.api.types.is_integer_dtype(column):
        exact = column.astype(object).to_numpy()
        for i in np.flatnonzero(np.abs(values) > 2.0**53):
            if int(values[i]) != exact[i]:
                out.append(
                    f"{dataset}: variable {name} holds the integer {exact[i]} ({_where(frame, int(i))}), "
                    "which a double cannot hold exactly"
                )
    magnitude = np.abs(values)
    with np.errstate(invalid="ignore"):
        bad = np.isinf(values) | (magnitude >= IBM_WRITABLE_MAX) | ((magnitude > 0) & (magnitude < IBM_MIN))
    for i in np.flatnonzero(bad):
        out.append(
            f"{dataset}: variable {name} holds {float(values[i])!r} ({_where(frame, int(i))}), outside the range SAS "
            f"transport version 5 holds as written: 0, or a magnitude from {IBM_MIN:.7g} (16**-65) to below "
            f"{IBM_WRITABLE_MAX:.7g} (2**249)"
        )
    return out


def _text_problems(dataset: str, name: str, frame: pd.DataFrame) -> list[str]:
    values = frame[name].to_numpy(dtype=object)
    missing = np.asarray([v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) for v in values])
    text = np.asarray([isinstance(v, str) for v in values])
    strings = pd.Series(np.where(text, values, ""), dtype=object).astype(str)
    non_ascii = text & ~strings.map(str.isascii).to_numpy(dtype=bool)
    too_long = text & ~non_ascii & (strings.str.len().to_numpy() > CHAR_MAX_BYTES)
    trailing = text & ~non_ascii & ~too_long & strings.str.endswith(" ").to_numpy(dtype=bool)
    out = []
    for i in np.flatnonzero(~missing & ~text | non_ascii | too_long | trailing):
        value, where = values[i], _where(frame, int(i))
        if not text[i]:
            out.append(f"{dataset}: variable {name} is character but holds {value!r} ({where}); expected text")
        elif non_ascii[i]:
            out.append(
                f"{dataset}: variable {name} holds {value!r} ({where}) with non-ASCII characters; SAS "
                "transport version 5 holds ASCII text only"
            )
        elif too_long[i]:
            out.append(
                f"{dataset}: variable {name} holds a value of {len(value)} bytes ({where}): {value[:60]!r}...; "
                f"SAS transport version 5 allows at most {CHAR_MAX_BYTES} (axspa never truncates)"
            )
        else:
            out.append(
                f"{dataset}: variable {name} holds {value!r} ({where}), which ends in blanks; SAS transport "
                "pads text with blanks, so they would be lost"
            )
    return out


def check_xpt(
    frame: pd.DataFrame, *, dataset: str, labels: Mapping[str, str] | None = None, dataset_label: str = ""
) -> None:
    """Refuse anything SAS transport version 5 cannot hold as given; return None when all is well.

    Parameters
    ----------
    frame : DataFrame
        The rows to write; numeric columns (not boolean) and text columns (``str`` values, missing
        ones written blank).
    dataset : str
        The data set's name.
    labels : mapping, optional
        Variable name -> label (every variable needs one).
    dataset_label : str, default ""
        The data set's label.

    Raises
    ------
    InputError
        Listing every problem, each naming the data set, the variable and the value: a data set or
        variable name that is not a SAS name, is over 8 characters or is not upper case; a label that
        is missing, over 40 bytes or not ASCII; a character value over 200 bytes, not ASCII, ending in
        blanks (lost on writing) or not text; a boolean column; a number outside the writable range
        (:data:`IBM_MIN` to below :data:`IBM_WRITABLE_MAX`, or 0; infinity) or an integer a double
        cannot hold exactly.

    Examples
    --------
    >>> import pandas as pd
    >>> check_xpt(pd.DataFrame({"AVAL": [1.5]}), dataset="ADEFF", labels={"AVAL": "Analysis Value"})
    >>> check_xpt(pd.DataFrame({"aval": [1.5]}), dataset="ADEFF", labels={"aval": "Analysis Value"})
    Traceback (most recent call last):
    ...
    axspa.errors.InputError: ADEFF cannot be written as SAS transport version 5 (1 problem):
      - ADEFF: variable name 'aval' is not upper case; expected 'AVAL'
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{dataset}: expected a pandas DataFrame; got {type(frame).__name__}")
    labels = dict(labels or {})
    problems = _name_problems(str(dataset), "data set", dataset) + _label_problems(
        str(dataset), "the data set", dataset_label
    )
    for name in frame.columns:
        problems += _name_problems(dataset, "variable", name)
        if name not in labels:
            problems.append(f"{dataset}: variable {name!r} has no label")
        else:
            problems += _label_problems(dataset, f"variable {name}", labels[name])
        if pd.api.types.is_numeric_dtype(frame[name]) or pd.api.types.is_bool_dtype(frame[name]):
            problems += _numeric_problems(dataset, str(name), frame)
        else:
            problems += _text_problems(dataset, str(name), frame)
    if problems:
        shown = "\n".join(f"  - {p}" for p in problems[:_SHOWN])
        more = f"\n  ... and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else ""
        raise InputError(
            f"{dataset} cannot be written as SAS transport version 5 ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}):\n{shown}{more}"
        )


def _pyreadstat() -> ModuleType:
    try:
        import pyreadstat
    except ImportError:
        raise MissingDependencyError(
            "writing SAS transport files needs pyreadstat: pip install 'axspa[cdisc]'"
        ) from None
    return pyreadstat


def _check(dataset: Dataset) -> None:
    check_xpt(dataset.frame, dataset=dataset.name, labels=dataset.labels, dataset_label=dataset.label)


def write_xpt(dataset: Dataset, path: str | Path) -> Path:
    """Write one data set as SAS transport version 5, after :func:`check_xpt`.

    Parameters
    ----------
    dataset : Dataset
        The data set (its name is the member name, its label and its variables' labels are written).
    path : str or Path
        The file to write (conventionally the data set's name in lower case, ``adsl.xpt``).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    InputError
        As :func:`check_xpt`; nothing is written then.
    MissingDependencyError
        If pyreadstat is not installed (``pip install 'axspa[cdisc]'``).

    Notes
    -----
    Missing character values are written blank (SAS has no other missing text); numbers are written
    as doubles, which the IBM format holds exactly inside the checked range.
    """
    _check(dataset)
    return _write_xpt(dataset, Path(path))


def _write_xpt(dataset: Dataset, path: Path) -> Path:
    """Write a data set already checked by :func:`check_xpt`."""
    pyreadstat = _pyreadstat()
    frame: dict[str, Any] = {}
    for v in dataset.variables:
        column = dataset.frame[v.name]
        if v.type == "Num":
            frame[v.name] = column.to_numpy(dtype=float, na_value=np.nan)
        else:
            frame[v.name] = ["" if (x is None or x is pd.NA or x != x) else x for x in column]
    pyreadstat.write_xport(
        pd.DataFrame(frame),
        str(path),
        file_label=dataset.label,
        column_labels=dataset.labels,
        table_name=dataset.name,
        file_format_version=5,
    )
    return path


def write_csv(dataset: Dataset, path: str | Path) -> Path:
    """Write one data set as CSV (a header of variable names; numbers at full precision; a text cell that a
    spreadsheet would run as a formula starts with a quote, see :mod:`axspa.spreadsheet`)."""
    path = Path(path)
    write_spreadsheet_csv(dataset.frame, path)
    return path


def write_adam(adam: Adam, folder: str | Path, *, xpt: bool = False) -> dict[str, Path]:
    """Write every data set of ``adam`` as CSV (and XPT version 5), with the specification beside them.

    Parameters
    ----------
    adam : Adam
        The data sets (:func:`axspa.cdisc.adam.build_adam`).
    folder : str or Path
        Output folder (created if needed). Files: ``adsl.csv`` ... (and ``adsl.xpt`` ...),
        ``specification.json`` and ``specification.csv``.
    xpt : bool, default False
        Also write SAS transport version 5 files. Every data set is checked (:func:`check_xpt`)
        before any file is written.

    Returns
    -------
    dict
        File key (``"adsl.csv"``, ``"adsl.xpt"``, ``"specification.json"``, ...) -> path.

    Raises
    ------
    InputError
        If a data set cannot be written as SAS transport version 5 (nothing is written then).
    MissingDependencyError
        If ``xpt`` is True and pyreadstat is not installed.
    """
    folder = Path(folder)
    if xpt:
        for d in adam.datasets:
            _check(d)
        _pyreadstat()
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for d in adam.datasets:
        stem = d.name.lower()
        paths[f"{stem}.csv"] = write_csv(d, folder / f"{stem}.csv")
        if xpt:
            paths[f"{stem}.xpt"] = _write_xpt(d, folder / f"{stem}.xpt")
    for key, path in write_specification(adam, folder).items():
        paths[f"specification.{key}"] = path
    return paths
