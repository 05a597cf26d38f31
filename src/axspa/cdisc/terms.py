"""Parameter codes of the ADaM data sets: one editable table, ``codes.csv``, shipped beside this module.

The table maps each canonical column (:mod:`axspa.measures`) to the parameter that carries it: the
data set (``ADQS`` for questionnaire items, ``ADEFF`` for indices, laboratory values and metrology,
``ADRS`` for responses), ``PARAMCD`` (at most 8 characters, upper case), ``PARAM``, a category
(``QSCAT`` for the items, ``PARCAT1`` otherwise) and where the code comes from.

**These codes are sponsor-defined, not CDISC controlled terminology.** CDISC publishes no controlled
terminology and no QRS supplement for BASDAI, BASFI, BAS-G, ASDAS, BASMI or the ASAS response criteria
(checked against SDTM controlled terminology of 2025-03-25), so every questionnaire, index, metrology
and response code here is axspa's own choice, marked ``sponsor-defined`` in the table's ``terminology``
column. Only the laboratory codes CRP (C64548), ESR (C74611) and IGA (C81969) are CDISC LBTESTCD terms,
and the table says so on their rows. Edit a copy of the table and pass it as ``codes=`` (``--codes`` on
the command line) to use other codes.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from axspa.errors import InputError
from axspa.measures import DERIVED, MEASURES

__all__ = [
    "CODES_FILE",
    "DATASETS",
    "HLA_B27_TEST",
    "NCOMPLT",
    "SEX_CODES",
    "SPONSOR_DEFINED",
    "Parameter",
    "read_codes",
]

CODES_FILE = "codes.csv"
"""Name of the shipped table of parameter codes (in the package ``axspa.cdisc``)."""

DATASETS: tuple[str, ...] = ("ADQS", "ADEFF", "ADRS")
"""The BDS data sets whose parameters the table defines."""

SPONSOR_DEFINED = "sponsor-defined"
"""The ``terminology`` value of a code that is axspa's own, not a CDISC controlled term."""

NCOMPLT: Mapping[str, str] = MappingProxyType(
    {
        "adverse_event": "ADVERSE EVENT",
        "lack_of_efficacy": "LACK OF EFFICACY",
        "lost_to_follow_up": "LOST TO FOLLOW-UP",
        "other": "OTHER",
    }
)
"""Withdrawal reason -> its term in CDISC's NCOMPLT codelist (completion/reason for non-completion), the
DSDECOD of a disposition event and ADSL's DCSREAS; a completed patient's DSDECOD is ``COMPLETED``."""

SEX_CODES: Mapping[str, str] = MappingProxyType({"male": "M", "female": "F"})
"""The patients' ``sex`` -> CDISC's SEX codelist (DM.SEX, ADSL.SEX)."""

HLA_B27_TEST = "HLAB27AG"
"""The LBTESTCD of HLA-B27 antigen (CDISC C100460); its LBSTRESC is POSITIVE or NEGATIVE."""

_COLUMNS = ("column", "dataset", "paramcd", "param", "category", "terminology")
_PARAMCD = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")
_QSTEST_MAX = 40  # SDTM QSTEST: at most 40 characters


@dataclass(frozen=True, slots=True)
class Parameter:
    """One row of the table of parameter codes.

    Attributes
    ----------
    column : str
        The canonical column (a measure of :data:`axspa.measures.MEASURES` or :data:`~axspa.measures.DERIVED`).
    dataset : str
        ``"ADQS"``, ``"ADEFF"`` or ``"ADRS"``.
    paramcd, param : str
        The parameter code (at most 8 characters) and its description (at most 40 for an ``ADQS`` item,
        as SDTM's QSTEST).
    category : str
        QSCAT of an item (``"BASDAI"``), else the parameter category (``"INDEX"``, ``"LAB"``, ...).
    terminology : str
        ``"sponsor-defined"``, or the CDISC term the code is (``"CDISC CT LBTESTCD C64548"``).
    """

    column: str
    dataset: str
    paramcd: str
    param: str
    category: str
    terminology: str

    @property
    def sponsor_defined(self) -> bool:
        """True when the code is axspa's own choice, not CDISC controlled terminology."""
        return self.terminology == SPONSOR_DEFINED


def _check(rows: list[dict[str, str]], source: str) -> tuple[Parameter, ...]:
    out: list[Parameter] = []
    seen: dict[tuple[str, str], int] = {}
    columns: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        values = {k: (row.get(k) or "").strip() for k in _COLUMNS}
        where = f"{source}, line {line}"
        for name, value in values.items():
            if not value:
                raise InputError(f"{where}: {name} is empty; every row needs {', '.join(_COLUMNS)}")
            if not value.isascii():
                raise InputError(f"{where}: {name} {value!r} holds non-ASCII characters (SAS transport needs ASCII)")
        if values["column"] not in MEASURES and values["column"] not in DERIVED:
            raise InputError(f"{where}: column {values['column']!r} is not a measure of axspa.measures")
        if values["dataset"] not in DATASETS:
            raise InputError(f"{where}: dataset must be one of {', '.join(DATASETS)}; got {values['dataset']!r}")
        if not _PARAMCD.match(values["paramcd"]):
            raise InputError(
                f"{where}: paramcd must be 1-8 upper-case letters and digits starting with a letter; "
                f"got {values['paramcd']!r}"
            )
        if values["dataset"] == "ADQS" and len(values["param"]) > _QSTEST_MAX:
            raise InputError(
                f"{where}: param of an ADQS item is at most {_QSTEST_MAX} characters (SDTM QSTEST); "
                f"got {len(values['param'])}: {values['param']!r}"
            )
        key = (values["dataset"], values["paramcd"])
        if key in seen:
            raise InputError(f"{where}: paramcd {values['paramcd']!r} repeats line {seen[key]} in {key[0]}")
        if values["column"] in columns:
            raise InputError(f"{where}: column {values['column']!r} repeats line {columns[values['column']]}")
        seen[key], columns[values["column"]] = line, line
        out.append(Parameter(**values))
    return tuple(out)


def read_codes(path: str | Path | None = None) -> tuple[Parameter, ...]:
    """Read a table of parameter codes: the shipped ``codes.csv`` or an edited copy.

    Parameters
    ----------
    path : str or Path, optional
        A CSV file with the columns ``column, dataset, paramcd, param, category, terminology``;
        the table shipped with axspa when omitted.

    Returns
    -------
    tuple of Parameter
        The rows in file order (the order of the parameters in the data sets).

    Raises
    ------
    InputError
        If the file does not exist, a value is empty or not ASCII, a column is not a measure of
        :mod:`axspa.measures`, a dataset is unknown, a code is not 1-8 upper-case letters and
        digits, an item's description is over 40 characters, or a code or column repeats.

    Examples
    --------
    >>> codes = {p.column: p for p in read_codes()}
    >>> codes["basdai_q1"].paramcd, codes["basdai_q1"].terminology
    ('BASDAI01', 'sponsor-defined')
    >>> codes["crp_mg_l"].paramcd, codes["crp_mg_l"].terminology
    ('CRP', 'CDISC CT LBTESTCD C64548')
    """
    if path is None:
        return _shipped()
    path = Path(path)
    if not path.is_file():
        raise InputError(f"the table of parameter codes {str(path)!r} does not exist")
    with open(path, encoding="utf-8", newline="") as fh:
        return _parse(fh.read(), path.name)


@cache
def _shipped() -> tuple[Parameter, ...]:
    text = resources.files("axspa.cdisc").joinpath(CODES_FILE).read_text(encoding="utf-8")
    return _parse(text, CODES_FILE)


def _parse(text: str, source: str) -> tuple[Parameter, ...]:
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{source} lacks column(s) {missing}; expected {', '.join(_COLUMNS)}")
    return _check(list(reader), source)
