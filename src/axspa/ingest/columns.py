"""Column rules of the canonical tables, shared by the record path and the frame path.

Each :class:`Column` states what one field accepts. :meth:`Column.check` applies the rule
to one value (used by the Pydantic models); :meth:`Column.check_series` applies the same
rule to a whole column at once (used by the vectorized table checks in :mod:`axspa.ingest.checks`).
Both produce the same messages, so the two paths accept and reject the same things.
Measure columns take their range from the registry in :mod:`axspa.measures`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from axspa.design import SINGLE_ARM, StudyDesign
from axspa.ingest.distinct import distinct_text
from axspa.ingest.missing import MISSING_TOKENS, is_missing, missing_mask, stripped_missing, token_mask
from axspa.measures import MEASURES, UNIT_ALIASES, Measure, MeasureKind, MeasureRegistry
from axspa.units import censored_flag_column, parse_lab_series, parse_lab_value, parse_number

__all__ = [
    "ADVERSE_EVENT_COLUMNS",
    "CONTROLLED_PATIENT_COLUMNS",
    "LAB_COLUMNS",
    "PATIENT_COLUMNS",
    "UNITLESS_LAB_NAMES",
    "VISIT_COLUMNS",
    "Column",
    "Kind",
    "RuleError",
    "Severity",
    "Status",
    "Subtype",
    "WithdrawalReason",
    "both_units_message",
    "measure_column",
    "patients_spec",
    "unitless_message",
    "visits_spec",
]


class Subtype(StrEnum):
    """Disease subtype (data contract)."""

    JUVENILE = "juvenile"
    AXIAL = "axial"
    PERIPHERAL = "peripheral"
    PSORIATIC = "psoriatic"


class Status(StrEnum):
    """Disposition at the end of the study."""

    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    ONGOING = "ongoing"  # still on study (a registry or cohort, or a trial read before its end)


class WithdrawalReason(StrEnum):
    """Why a patient left the study early."""

    ADVERSE_EVENT = "adverse_event"
    LACK_OF_EFFICACY = "lack_of_efficacy"
    LOST_TO_FOLLOW_UP = "lost_to_follow_up"
    OTHER = "other"


class Severity(StrEnum):
    """Severity of an adverse event."""

    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class Kind(StrEnum):
    """What sort of value a column holds."""

    ID = "id"
    NUMBER = "number"
    LAB = "lab"
    CATEGORY = "category"
    BOOLEAN = "boolean"
    TEXT = "text"


_TRUE = frozenset({"true", "yes", "y", "1", "positive", "pos", "+"})
_FALSE = frozenset({"false", "no", "n", "0", "negative", "neg"})
# A lone "-" is not "false": exports use it for "not done" as often as for "negative", so it is an error
# (write negative, or leave the cell empty), not a guess. "+" stays "true": nothing else is meant by it.


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


class RuleError(ValueError):
    """A value breaks a column rule; ``rule`` names the rule (type, range, choice, required)."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.rule = rule


@dataclass(frozen=True)
class ColumnCheck:
    """The outcome of checking a whole column.

    Attributes
    ----------
    values : Series
        Converted values, missing where the raw value was missing or bad.
    bad : Series of bool
        Rows that break the rule.
    messages : Series of str
        The message of each bad row, identical to :meth:`Column.check`'s, indexed by the bad rows only
        (so a clean column builds no message).
    rules : Series of str
        The rule each bad row breaks, as :attr:`RuleError.rule`, indexed like ``messages``.
    censored : Series of boolean or None
        For laboratory columns, True where the value was reported as ``"<limit"``.
    parsed : Series of float or None
        For number and laboratory columns, every value read as a number (out of range or not),
        NaN where missing or not a number.
    coded : (ndarray of int, Series) or None
        For a column of text checked once per distinct value: each cell's position among the distinct
        values, and the distinct values converted (so ``values`` is the second indexed by the first).
    """

    values: pd.Series
    bad: pd.Series
    messages: pd.Series
    rules: pd.Series
    censored: pd.Series | None = None
    parsed: pd.Series | None = None
    coded: tuple[np.ndarray, pd.Series] | None = None


@dataclass(frozen=True)
class Column:
    """The rule for one column of a canonical table.

    Attributes
    ----------
    name : str
        Column name.
    kind : Kind
        What it holds; lab columns also accept censored strings such as ``"<5"``.
    required : bool
        Whether a value must be present.
    lower, upper : float, optional
        Inclusive range for numbers.
    choices : tuple of str
        Accepted values of a category.
    hint : str
        Appended to a range error (a likely cause).
    """

    name: str
    kind: Kind
    required: bool = False
    lower: float | None = None
    upper: float | None = None
    choices: tuple[str, ...] = ()
    hint: str = ""

    # -- one value -------------------------------------------------------------------------
    def check(self, raw: object) -> object:
        """Validate and convert one value.

        Returns the converted value (None when missing) or raises ``ValueError`` with
        a message naming the field, the value and the rule.
        """
        if is_missing(raw):
            if self.required:
                raise RuleError(self.missing_message(), "required")
            return None
        if self.kind is Kind.ID or self.kind is Kind.TEXT:
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            return str(raw).strip()
        if self.kind is Kind.CATEGORY:
            text = str(raw).strip().lower()
            if text not in self.choices:
                raise RuleError(self.choice_message(raw), "choice")
            return text
        if self.kind is Kind.BOOLEAN:
            if isinstance(raw, bool | np.bool_):
                return bool(raw)
            text = str(raw).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise RuleError(self.boolean_message(raw), "type")
        if self.kind is Kind.LAB:
            try:
                parsed = parse_lab_value(raw)
            except ValueError:
                raise RuleError(self.number_message(raw), "type") from None
            if parsed is None:
                return None
            self._check_range(parsed.value)
            return parsed
        number = self._to_number(raw)
        self._check_range(number)
        return number

    def _to_number(self, raw: object) -> float:
        if isinstance(raw, bool | np.bool_):
            raise RuleError(self.number_message(raw), "type")
        try:
            number = parse_number(raw) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise RuleError(self.number_message(raw), "type") from None
        if math.isnan(number) or math.isinf(number):
            raise RuleError(self.number_message(raw), "type")
        return number

    def _check_range(self, number: float) -> None:
        too_low = self.lower is not None and number < self.lower
        too_high = self.upper is not None and number > self.upper
        if too_low or too_high:
            raise RuleError(self.range_message(number), "range")

    def outside(self, numbers: np.ndarray) -> np.ndarray:
        """Cells of a float array that this number rule may reject: not finite, or out of range (NaN is missing).

        Every cell that :meth:`check_series` rejects in a column of floats is among them.

        Examples
        --------
        >>> Column("x", Kind.NUMBER, lower=0, upper=10).outside(np.array([0.0, 10.5, np.nan, np.inf])).tolist()
        [False, True, False, True]
        """
        if self.within(numbers):
            return np.zeros(len(numbers), dtype=bool)
        with np.errstate(invalid="ignore"):
            out = np.isinf(numbers)
            if self.lower is not None:
                out |= numbers < self.lower
            if self.upper is not None:
                out |= numbers > self.upper
        return out

    # -- a whole column ----------------------------------------------------------------------
    def check_series(self, raw: pd.Series) -> ColumnCheck:
        """Validate a whole column at once; the vectorized twin of :meth:`check`.

        A column of strings is checked once per distinct value (:mod:`axspa.ingest.distinct`), a
        column of numbers with array operations; messages are built for the bad cells only.
        """
        if raw.dtype.kind in "fiu" and self.kind in (Kind.NUMBER, Kind.LAB):
            numbers = raw.to_numpy(dtype=np.float64, na_value=np.nan)
            if self._all_valid(numbers):  # the common case: nothing to report, no message to build
                return self._valid_numbers(numbers, raw.index)
        coded = distinct_text(raw)
        if coded is None:
            return self._check_cells(raw)
        once = self._check_cells(coded.values, distinct=True)
        bad = once.bad.to_numpy()[coded.positions]
        at = coded.positions[bad]  # the distinct value of each bad cell

        def each(sparse: pd.Series) -> pd.Series:
            dense = np.full(len(coded.values), "", dtype=object)
            dense[sparse.index.to_numpy()] = sparse.to_numpy()
            return pd.Series(dense[at], index=raw.index[bad], dtype=object)

        values = coded.spread(once.values, raw.index)
        parsed = once.parsed
        if parsed is not None:  # nothing set missing: the numbers parsed are the values kept
            parsed = values if not bad.any() else coded.spread(parsed, raw.index)
        return ColumnCheck(
            values=values,
            bad=pd.Series(bad, index=raw.index),
            messages=each(once.messages),
            rules=each(once.rules),
            censored=None if once.censored is None else coded.spread(once.censored, raw.index),
            parsed=parsed,
            coded=(coded.positions, once.values),
        )

    def within(self, numbers: np.ndarray) -> bool:
        """Whether every value of a float array is finite and in range, NaN (missing) skipped.

        Two reductions over the array, its smallest and its largest value, decide it.

        Examples
        --------
        >>> rule = Column("x", Kind.NUMBER, lower=0, upper=10)
        >>> rule.within(np.array([0.0, np.nan, 10.0])), rule.within(np.array([np.inf])), rule.within(np.array([-1.0]))
        (True, False, False)
        """
        if not numbers.size:
            return True
        low, high = np.fmin.reduce(numbers), np.fmax.reduce(numbers)
        if np.isnan(low):  # every value missing
            return True
        if not (np.isfinite(low) and np.isfinite(high)):
            return False
        return not ((self.lower is not None and low < self.lower) or (self.upper is not None and high > self.upper))

    def _all_valid(self, numbers: np.ndarray) -> bool:
        """Whether every value of a float array passes this number rule (NaN counts as missing)."""
        return self.within(numbers) and not (self.required and np.isnan(numbers).any())

    def _valid_numbers(self, numbers: np.ndarray, index: pd.Index) -> ColumnCheck:
        """The :class:`ColumnCheck` of a float array in which :meth:`_all_valid` found nothing bad."""
        values = pd.Series(numbers, index=index, copy=False)
        none = pd.Series([], index=index[:0], dtype=object)
        censored = None
        if self.kind is Kind.LAB:  # given as numbers: nothing censored; missing where the value is
            censored = pd.Series(
                pd.arrays.BooleanArray(np.zeros(len(numbers), dtype=bool), np.isnan(numbers)), index=index, copy=False
            )
        return ColumnCheck(
            values=values,
            bad=pd.Series(np.zeros(len(numbers), dtype=bool), index=index, copy=False),
            messages=none,
            rules=none.copy(),
            censored=censored,
            parsed=pd.Series(numbers, index=index, copy=False),
        )

    def _check_cells(self, raw: pd.Series, *, distinct: bool = False) -> ColumnCheck:
        """:meth:`check_series` cell by cell (each cell's outcome depends on that cell alone).

        ``distinct``: the cells are the distinct strings of a column (and None), as
        :func:`~axspa.ingest.distinct.distinct_text` gives them, so they are not coded again.
        """
        index = raw.index
        censored: pd.Series | None = None
        parsed: pd.Series | None = None
        text = distinct and self.kind in (Kind.ID, Kind.TEXT)  # distinct strings (and None) to strip
        if text:
            stripped = np.array([None if v is None else v.strip() for v in raw.to_numpy(dtype=object)], dtype=object)
            missing = stripped_missing(stripped)
        else:
            missing = (token_mask(raw, MISSING_TOKENS) if distinct else missing_mask(raw)).to_numpy(dtype=bool)
        found: list[tuple[np.ndarray, list[str] | str, str]] = []  # (cells, message(s), rule)
        if self.kind in (Kind.ID, Kind.TEXT):
            if text:
                stripped[missing] = None
                values = pd.Series(stripped, index=index, dtype=object, copy=False)
            elif infer_dtype(raw, skipna=True) in ("string", "empty"):  # every value given is a string
                cells = raw.to_numpy(dtype=object)
                given = [None if gone else text.strip() for text, gone in zip(cells, missing.tolist(), strict=True)]
                values = pd.Series(given, index=index, dtype=object)
            else:
                values = raw.map(lambda v: None if is_missing(v) else self.check(v)).astype(object)
            bad = np.zeros(len(raw), dtype=bool)
        elif self.kind is Kind.CATEGORY:
            lowered = raw.astype("string").str.strip().str.lower()
            bad = ~missing & ~lowered.isin(self.choices).fillna(False).to_numpy(dtype=bool)
            values = lowered.where(~missing & ~bad)
            found.append((bad, [self.choice_message(v) for v in raw[bad]], "choice"))
        elif self.kind is Kind.BOOLEAN:
            lowered = raw.astype("string").str.strip().str.lower()
            is_true = lowered.isin(_TRUE).fillna(False).to_numpy(dtype=bool)
            is_false = lowered.isin(_FALSE).fillna(False).to_numpy(dtype=bool)
            bad = ~missing & ~is_true & ~is_false
            values = pd.Series(pd.NA, index=index, dtype="boolean")
            values[is_true] = True
            values[is_false] = False
            found.append((bad, [self.boolean_message(v) for v in raw[bad]], "type"))
        else:
            if self.kind is Kind.LAB:
                lab, censored, unparsed = parse_lab_series(raw)
                numbers = lab.to_numpy(dtype=np.float64, na_value=np.nan)
                not_number = unparsed.to_numpy(dtype=bool)
            elif raw.dtype.kind in "fiu":  # numbers already: no text to parse
                numbers = raw.to_numpy(dtype=np.float64, na_value=np.nan)
                not_number = np.isinf(numbers)
            else:
                numbers = pd.to_numeric(raw.where(~missing), errors="coerce").to_numpy(
                    dtype=np.float64, na_value=np.nan
                )
                not_number = ~missing & (np.isnan(numbers) | np.isinf(numbers))
                if raw.dtype == bool:
                    not_number = ~missing
            if not_number.any():
                numbers = np.where(not_number, np.nan, numbers)
                found.append((not_number, [self.number_message(v) for v in raw[not_number]], "type"))
            parsed = pd.Series(numbers, index=index, copy=False)
            with np.errstate(invalid="ignore"):
                low = numbers < self.lower if self.lower is not None else np.zeros(len(raw), dtype=bool)
                out_of_range = low | (numbers > self.upper) if self.upper is not None else low
            if out_of_range.any():
                found.append((out_of_range, [self.range_message(v) for v in numbers[out_of_range]], "range"))
            bad = not_number | out_of_range
            values = pd.Series(np.where(bad, np.nan, numbers) if bad.any() else numbers, index=index, copy=False)
            if censored is not None:  # the flag of a value kept; missing where the value is missing
                kept = censored.to_numpy(dtype=bool, na_value=False)
                censored = pd.Series(pd.arrays.BooleanArray(kept, np.isnan(values.to_numpy())), index=index, copy=False)
        if self.required:
            found.append((missing, self.missing_message(), "required"))
            bad = bad | missing
        messages, rules = self._sparse(bad, index, found)
        return ColumnCheck(
            values=values,
            bad=pd.Series(bad, index=index, copy=False),
            messages=messages,
            rules=rules,
            censored=censored,
            parsed=parsed,
        )

    @staticmethod
    def _sparse(
        bad: np.ndarray, index: pd.Index, found: list[tuple[np.ndarray, list[str] | str, str]]
    ) -> tuple[pd.Series, pd.Series]:
        """Messages and rules of the bad cells, indexed by them (a later finding overrides an earlier one)."""
        messages = np.full(int(bad.sum()), "", dtype=object)
        rules = messages.copy()
        if len(messages):
            position = np.cumsum(bad) - 1  # of each bad cell among the bad cells
            for cells, message, rule in found:
                if cells.any():
                    messages[position[cells]] = message
                    rules[position[cells]] = rule
        at = index[bad]
        return pd.Series(messages, index=at, dtype=object, copy=False), pd.Series(
            rules, index=at, dtype=object, copy=False
        )

    # -- messages ----------------------------------------------------------------------------
    def expected(self) -> str:
        """What the column accepts, in words."""
        if self.kind is Kind.CATEGORY:
            return "one of " + ", ".join(self.choices)
        if self.kind is Kind.BOOLEAN:
            return "true or false (yes/no, 1/0, positive/negative)"
        if self.kind in (Kind.NUMBER, Kind.LAB):
            rng = ""
            if self.lower is not None and self.upper is not None:
                rng = f" in [{_fmt(self.lower)}, {_fmt(self.upper)}]"
            elif self.lower is not None:
                rng = f" >= {_fmt(self.lower)}"
            lab = " (or a censored value such as '<5')" if self.kind is Kind.LAB else ""
            return f"a number{rng}{lab}"
        return "a non-empty value"

    def missing_message(self) -> str:
        return f"{self.name} is required; got no value"

    def number_message(self, raw: object) -> str:
        return f"{self.name} must be {self.expected()}; got {raw!r}, which is not a number"

    def range_message(self, number: float) -> str:
        hint = f". {self.hint}" if self.hint else ""
        return f"{self.name} must be {self.expected()}; got {_fmt(number)}{hint}"

    def choice_message(self, raw: object) -> str:
        return f"{self.name} must be {self.expected()}; got {raw!r}"

    def boolean_message(self, raw: object) -> str:
        return f"{self.name} must be {self.expected()}; got {raw!r}"


def measure_column(m: Measure, *, name: str | None = None, scale: float = 1.0) -> Column:
    """The column rule of a recorded measure (built-in or study-declared), from its registry entry."""
    is_lab = m.kind is MeasureKind.LAB
    hint = ""
    if m.kind is MeasureKind.RATING:
        hint = "Was it recorded on a 0-100 mm scale (divide by 10)?"
        if m.name == "basdai_q6":
            hint = "Was it recorded in minutes (0-120 minutes maps to 0-10 as minutes / 12)?"
    return Column(
        name=name or m.name,
        kind=Kind.LAB if is_lab else Kind.NUMBER,
        lower=m.lower / scale,
        upper=m.upper / scale,
        hint=hint,
    )


def _by_name(*columns: Column) -> Mapping[str, Column]:
    return MappingProxyType({c.name: c for c in columns})


VISIT_COLUMNS: Mapping[str, Column] = _by_name(
    Column("patient_id", Kind.ID, required=True),
    Column("week", Kind.NUMBER, required=True, lower=-104.0, upper=1040.0),
    *(measure_column(m) for m in MEASURES.values()),
)
"""Canonical visit columns: identifiers, then every registered measure."""

ALIAS_COLUMNS: Mapping[str, Column] = _by_name(
    *(measure_column(MEASURES[a.canonical], name=a.column, scale=a.factor) for a in UNIT_ALIASES.values())
)
"""Visit columns accepted in an alternative unit (converted at load)."""

LAB_COLUMNS: tuple[str, ...] = tuple(c.name for c in VISIT_COLUMNS.values() if c.kind is Kind.LAB)
"""Canonical laboratory columns; each may carry a ``<name>_censored`` flag."""

CENSORED_COLUMNS: tuple[str, ...] = tuple(censored_flag_column(c) for c in LAB_COLUMNS)

UNITLESS_LAB_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "crp": ("crp_mg_l", "crp_mg_dl"),
        "esr": ("esr_mm_h",),
        "iga": ("iga_g_l", "iga_mg_dl"),
    }
)
"""Lab names that arrive without a unit, with the unit-bearing names to use instead."""


def unitless_message(name: str, raw: object) -> str:
    """The message for a laboratory value given without a unit."""
    return f"{name} has no unit: name the column {' or '.join(UNITLESS_LAB_NAMES[name])}; got {raw!r}"


def both_units_message(alias: str, canonical: str) -> str:
    """The message for a value given in two units at once."""
    return f"{alias} and {canonical} both given; give one"


PATIENT_COLUMNS: Mapping[str, Column] = _by_name(
    Column("patient_id", Kind.ID, required=True),
    Column("sex", Kind.CATEGORY, required=True, choices=("male", "female")),
    Column("age_years", Kind.NUMBER, required=True, lower=0.0, upper=120.0),
    Column("disease_duration_years", Kind.NUMBER, lower=0.0, upper=120.0),
    Column("hla_b27", Kind.BOOLEAN),
    Column("subtype", Kind.CATEGORY, choices=tuple(Subtype)),
    Column("status", Kind.CATEGORY, required=True, choices=tuple(Status)),
    Column("withdrawal_reason", Kind.CATEGORY, choices=tuple(WithdrawalReason)),
    Column("last_week", Kind.NUMBER, lower=-104.0, upper=1040.0),
)
"""Canonical patient columns."""

ADVERSE_EVENT_COLUMNS: Mapping[str, Column] = _by_name(
    Column("patient_id", Kind.ID, required=True),
    Column("term", Kind.TEXT, required=True),
    Column("onset_week", Kind.NUMBER, lower=-104.0, upper=1040.0),
    Column("severity", Kind.CATEGORY, choices=tuple(Severity)),
    Column("serious", Kind.BOOLEAN),
    Column("action", Kind.TEXT),
)
"""Canonical adverse-event columns."""


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: its file name and its columns."""

    name: str
    filename: str
    columns: Mapping[str, Column]
    key: tuple[str, ...] = field(default=())


PATIENTS = TableSpec("patients", "patients.csv", PATIENT_COLUMNS, key=("patient_id",))
VISITS = TableSpec("visits", "visits.csv", VISIT_COLUMNS, key=("patient_id", "week"))


def visits_spec(registry: MeasureRegistry | None = None) -> TableSpec:
    """The visits table of a study: :data:`VISITS`, plus a column for each measure the study declares.

    Parameters
    ----------
    registry : MeasureRegistry, optional
        The study's registry (built-in measures plus its own, see :func:`axspa.io.read_study_file`);
        None for :data:`VISITS` itself.
    """
    extra = [] if registry is None else [m for m in registry.values() if m.kind is MeasureKind.STUDY]
    if not extra:
        return VISITS
    return TableSpec(
        "visits", "visits.csv", _by_name(*VISIT_COLUMNS.values(), *map(measure_column, extra)), key=VISITS.key
    )


CONTROLLED_PATIENT_COLUMNS: Mapping[str, Column] = _by_name(
    Column("arm", Kind.TEXT, required=True), Column("treated", Kind.BOOLEAN)
)
"""The patients columns of a controlled trial, besides its stratification factors: ``arm`` (its codes are the
study file's, when it declares them: see :func:`patients_spec`) and ``treated``."""


def patients_spec(design: StudyDesign = SINGLE_ARM, *, arm_column: bool = False) -> TableSpec:
    """The patients table of a study: :data:`PATIENTS`, plus the columns of a controlled trial.

    A controlled study (``design`` declares arms, or the data carry an ``arm`` column) adds ``arm``
    (required: the randomised arm; one of the declared codes, matched case-insensitively, when the
    study file declares them), ``treated`` (optional: received any study drug, for the safety set)
    and one required text column per stratification factor of the design.

    Parameters
    ----------
    design : StudyDesign
        The study's design (:func:`axspa.ingest.study_file.read_study_file`).
    arm_column : bool
        Whether the patients table has an ``arm`` column (a controlled study without a study file).
    """
    if not design.controlled and not arm_column:
        return PATIENTS
    if design.controlled:
        arm = Column("arm", Kind.CATEGORY, required=True, choices=design.codes)
    else:
        arm = CONTROLLED_PATIENT_COLUMNS["arm"]
    strata = [Column(name, Kind.TEXT, required=True) for name in design.strata]
    columns = _by_name(*PATIENT_COLUMNS.values(), arm, CONTROLLED_PATIENT_COLUMNS["treated"], *strata)
    return TableSpec(PATIENTS.name, PATIENTS.filename, columns, key=PATIENTS.key)


ADVERSE_EVENTS = TableSpec("adverse_events", "adverse_events.csv", ADVERSE_EVENT_COLUMNS)
