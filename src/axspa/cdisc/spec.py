"""ADaM data sets with their variable metadata, and the machine-readable specification written beside them.

Every variable of every data set axspa writes is a :class:`Variable`: name, label, type, derivation in
words and source variables. A :class:`Dataset` is a frame with the variables describing its columns
in order; :func:`specification` lists them all, with each character variable's length (its longest
value in bytes) and each numeric variable's (8 bytes, as SAS stores it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from axspa.cdisc.terms import Parameter
from axspa.errors import InputError
from axspa.results import Result
from axspa.spreadsheet import write_csv

__all__ = ["SPEC_COLUMNS", "Adam", "Dataset", "Variable", "specification", "write_specification"]

SPEC_COLUMNS = ("dataset", "name", "label", "type", "length", "derivation", "sources")
"""Columns of the specification, one row per variable."""

NUMERIC_LENGTH = 8
"""Bytes of a SAS numeric variable."""


@dataclass(frozen=True, slots=True)
class Variable:
    """One variable of an ADaM data set.

    Attributes
    ----------
    name : str
        Variable name (at most 8 upper-case characters, for SAS transport version 5).
    label : str
        Variable label (at most 40 characters).
    type : {"Char", "Num"}
        Character or numeric.
    derivation : str
        How the value is obtained, in words.
    sources : tuple of str
        The input columns or variables it is derived from (``patients.age_years``, ``ADSL.TRT01P``).
    """

    name: str
    label: str
    type: Literal["Char", "Num"]
    derivation: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, repr=False)
class Dataset(Result):
    """An ADaM data set: its rows and the metadata of each column.

    Attributes
    ----------
    name : str
        Data set name (``"ADSL"``).
    label : str
        Data set label.
    structure : str
        One record per what (``"one record per subject"``).
    frame : DataFrame
        The rows; its columns are the variables' names, in order. Character values are ``str``
        (blank ``""`` when missing), numeric values ``float`` (NaN when missing).
    variables : tuple of Variable
        The metadata of each column, in column order.
    """

    name: str
    label: str
    structure: str
    frame: pd.DataFrame
    variables: tuple[Variable, ...]

    def __post_init__(self) -> None:
        names = [v.name for v in self.variables]
        if list(self.frame.columns) != names:
            raise InputError(
                f"data set {self.name}: the columns {list(self.frame.columns)} do not match the variables {names}"
            )

    @property
    def labels(self) -> dict[str, str]:
        """Variable name -> label, in column order."""
        return {v.name: v.label for v in self.variables}

    def to_frame(self) -> pd.DataFrame:
        """The rows (a copy)."""
        return self.frame.copy()

    def specification(self) -> pd.DataFrame:
        """One row per variable: the columns of :data:`SPEC_COLUMNS`."""
        rows = []
        for v in self.variables:
            if v.type == "Num":
                length = NUMERIC_LENGTH
            else:
                values = self.frame[v.name].astype(str)
                length = max(1, int(values.map(lambda s: len(s.encode("utf-8"))).max())) if len(values) else 1
            rows.append(
                {
                    "dataset": self.name,
                    "name": v.name,
                    "label": v.label,
                    "type": v.type,
                    "length": length,
                    "derivation": v.derivation,
                    "sources": "; ".join(v.sources),
                }
            )
        return pd.DataFrame(rows, columns=list(SPEC_COLUMNS))

    def _summary_items(self) -> list[tuple[str, str]]:
        return [("name", self.name), ("records", str(len(self.frame))), ("variables", str(len(self.variables)))]


@dataclass(frozen=True, slots=True, repr=False)
class Adam(Result):
    """The ADaM data sets of a study, with the parameter codes and the choices they were built with.

    Attributes
    ----------
    study : str
        The study identifier (``STUDYID``).
    datasets : tuple of Dataset
        ADSL, ADQS, ADEFF and ADRS, in that order.
    parameters : tuple of Parameter
        The parameter codes used (:mod:`axspa.cdisc.terms`).
    choices : mapping
        The scoring options, analysis sets and imputations the data sets were built with.
    """

    study: str
    datasets: tuple[Dataset, ...]
    parameters: tuple[Parameter, ...]
    choices: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Dataset:
        for d in self.datasets:
            if d.name == name.upper():
                return d
        raise KeyError(f"no data set {name!r}; data sets: {', '.join(d.name for d in self.datasets)}")

    @property
    def names(self) -> tuple[str, ...]:
        """The data sets' names, in order."""
        return tuple(d.name for d in self.datasets)

    def to_frame(self) -> pd.DataFrame:
        """One row per data set: name, label, structure, records, variables."""
        return pd.DataFrame(
            [
                {
                    "name": d.name,
                    "label": d.label,
                    "structure": d.structure,
                    "records": len(d.frame),
                    "variables": len(d.variables),
                }
                for d in self.datasets
            ]
        )

    def _summary_items(self) -> list[tuple[str, str]]:
        return [("study", self.study)] + [(d.name, f"{len(d.frame)} records") for d in self.datasets]


def specification(adam: Adam) -> pd.DataFrame:
    """Every variable of every data set: :data:`SPEC_COLUMNS`, one row each, data set by data set."""
    return pd.concat([d.specification() for d in adam.datasets], ignore_index=True)


TERMINOLOGY_NOTE = (
    "PARAMCD and PARAM values marked 'sponsor-defined' are axspa's own codes, not CDISC controlled "
    "terminology: CDISC publishes no controlled terminology for BASDAI, BASFI, BAS-G, ASDAS, BASMI or the "
    "ASAS response criteria. CRP, ESR and IGA are CDISC LBTESTCD terms (their C-codes are given)."
)


def write_specification(adam: Adam, folder: str | Path) -> dict[str, Path]:
    """Write the specification beside the data sets: ``specification.json`` and ``specification.csv``.

    The JSON file holds the data sets (name, label, structure, records, variables with name, label,
    type, length, derivation and sources), the parameters (data set, PARAMCD, PARAM, category,
    source column, terminology), the choices the data sets were built with and a note that the
    sponsor-defined codes are not CDISC controlled terminology. The CSV file has one row per variable
    (:data:`SPEC_COLUMNS`).

    Returns
    -------
    dict
        ``{"json": path, "csv": path}``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    datasets = []
    for d in adam.datasets:
        spec = d.specification()
        variables = [
            {**row, "length": int(row["length"]), "sources": list(v.sources)}
            for row, v in zip(spec.to_dict(orient="records"), d.variables, strict=True)
        ]
        for var in variables:
            del var["dataset"]
        head = {"name": d.name, "label": d.label, "structure": d.structure, "records": len(d.frame)}
        datasets.append({**head, "variables": variables})
    document = {
        "study": adam.study,
        "terminology_note": TERMINOLOGY_NOTE,
        "datasets": datasets,
        "parameters": [
            {
                "dataset": p.dataset,
                "paramcd": p.paramcd,
                "param": p.param,
                "category": p.category,
                "source_column": p.column,
                "terminology": p.terminology,
            }
            for p in adam.parameters
        ],
        "choices": _jsonable(adam.choices),
    }
    paths = {"json": folder / "specification.json", "csv": folder / "specification.csv"}
    paths["json"].write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    write_csv(specification(adam), paths["csv"])
    return paths


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
