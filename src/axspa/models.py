"""Pydantic records: patients, visits, adverse events and a study.

Records are the small-data path: each checks its own fields on construction with the same
column rules and messages as the vectorized frame path (:mod:`axspa.ingest.columns`, read from the
measure registry), and :class:`Study` applies the cross-record rules of :mod:`axspa.ingest.checks`.
A record that breaks a rule raises :class:`RecordValidationError`, both a pydantic
``ValidationError`` and an :class:`~axspa.errors.InputError`. Scores of a visit read the one
column -> domain mapping of :mod:`axspa.domains`, as the frame path does.
Records and canonical frames convert both ways (:meth:`Study.to_frames`,
:func:`records_to_frame`, :func:`frame_to_records`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Self, TypeVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from axspa.domains import ASDAS_ITEMS, ASDAS_LABS, asas_domains
from axspa.errors import DataValidationError, InputError
from axspa.ingest.checks import conform, cross_record_problems, patient_field_problems
from axspa.ingest.columns import (
    ADVERSE_EVENT_COLUMNS,
    ADVERSE_EVENTS,
    ALIAS_COLUMNS,
    LAB_COLUMNS,
    PATIENT_COLUMNS,
    PATIENTS,
    UNITLESS_LAB_NAMES,
    VISIT_COLUMNS,
    VISITS,
    Column,
    RuleError,
    Severity,
    Status,
    Subtype,
    WithdrawalReason,
    both_units_message,
    unitless_message,
)
from axspa.units import CensoredValue, censored_flag_column, to_canonical

__all__ = [
    "AdverseEvent",
    "Patient",
    "RecordValidationError",
    "Study",
    "Visit",
    "frame_to_records",
    "records_to_frame",
    "visit_responses",
]


FieldProblem = tuple[str, object, str, str]
"""(field, value as received, message, rule)."""


def _where(data: Mapping[str, Any]) -> str:
    parts = []
    if data.get("patient_id") is not None:
        parts.append(f"patient {data['patient_id']}")
    if data.get("week") is not None:
        parts.append(f"week {data['week']}")
    return ", ".join(parts)


def _raise_field_problems(data: Mapping[str, Any], problems: Sequence[FieldProblem]) -> None:
    """Raise one validation error listing every field problem of a record.

    The problems travel in the error's context (``ctx["problems"]``) so that loaders can
    report them one by one.
    """
    where = _where(data)
    text = "; ".join(problem[2] for problem in problems)
    raise PydanticCustomError(
        "axspa_fields",
        "{where}{text}",
        {"where": f"{where}: " if where else "", "text": text, "problems": list(problems)},
    )


def _check_fields(values: dict[str, Any], columns: Mapping[str, Column]) -> list[FieldProblem]:
    """Apply the column rules to every field in ``values`` (in place); return the problems."""
    problems: list[FieldProblem] = []
    for name, column in columns.items():
        if name in values:
            raw = values[name]
            try:
                values[name] = column.check(raw)
            except RuleError as exc:
                problems.append((name, raw, str(exc), exc.rule))
        elif column.required:
            problems.append((name, None, column.missing_message(), "required"))
    return problems


class RecordValidationError(ValidationError, InputError):
    """A record breaks a rule: a pydantic ``ValidationError`` that is also an axspa :class:`InputError`.

    Its text is pydantic's, and each line holds the message of the input boundary
    (:mod:`axspa.ingest.columns`) for the record's fields, e.g. ``"patient P03, week 8: basdai_q6
    must be a number in [0, 10]; got 12. ..."``.
    """


def _axspa_error(exc: ValidationError) -> RecordValidationError:
    """The same validation error as a :class:`RecordValidationError`."""
    if isinstance(exc, RecordValidationError):
        return exc
    details: list[InitErrorDetails] = []
    for error in exc.errors():
        escaped = error["msg"].replace("{", "{{").replace("}", "}}")
        kind = PydanticCustomError(error["type"], escaped, error.get("ctx"))
        details.append({"type": kind, "loc": error["loc"], "input": error["input"]})
    return RecordValidationError.from_exception_data(exc.title, details)


class _AxspaModel(BaseModel):
    """A pydantic model whose validation errors are :class:`RecordValidationError`."""

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _axspa_error(exc) from None

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        try:
            return super().model_validate(obj, **kwargs)
        except ValidationError as exc:
            raise _axspa_error(exc) from None


class _Record(_AxspaModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False)
    columns: ClassVar[Mapping[str, Column]] = {}

    @model_validator(mode="before")
    @classmethod
    def _apply_column_rules(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        values = dict(data)
        problems = _check_fields(values, cls.columns)
        if problems:
            _raise_field_problems(data, problems)
        return values


class Patient(_Record):
    """One patient: demographics, subtype and disposition (canonical patient columns)."""

    columns: ClassVar[Mapping[str, Column]] = PATIENT_COLUMNS

    patient_id: str
    sex: str
    age_years: float
    disease_duration_years: float | None = None
    hla_b27: bool | None = None
    subtype: Subtype | None = None
    status: Status
    withdrawal_reason: WithdrawalReason | None = None
    last_week: float | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems, _ = patient_field_problems(records_to_frame([self]))
        if problems:
            _raise_field_problems(
                {"patient_id": self.patient_id},
                [(p.field or "", p.value, p.message, p.rule) for p in problems],
            )
        return self


class Visit(_Record):
    """One visit of one patient: every measure in canonical units.

    Laboratory values may be given in an accepted alternative unit (``crp_mg_dl``,
    ``iga_mg_dl``), converted here once, and as censored strings (``"<5"``), stored as the
    limit with a ``<column>_censored`` flag. A laboratory value without a unit (``crp``) is an
    error. Every measure field is checked against the range in the measure registry.
    """

    columns: ClassVar[Mapping[str, Column]] = VISIT_COLUMNS

    patient_id: str
    week: float
    basdai_q1: float | None = None
    basdai_q2: float | None = None
    basdai_q3: float | None = None
    basdai_q4: float | None = None
    basdai_q5: float | None = None
    basdai_q6: float | None = None
    basfi_q1: float | None = None
    basfi_q2: float | None = None
    basfi_q3: float | None = None
    basfi_q4: float | None = None
    basfi_q5: float | None = None
    basfi_q6: float | None = None
    basfi_q7: float | None = None
    basfi_q8: float | None = None
    basfi_q9: float | None = None
    basfi_q10: float | None = None
    basg_week: float | None = None
    basg_6m: float | None = None
    patient_global: float | None = None
    back_pain: float | None = None
    esr_mm_h: float | None = None
    crp_mg_l: float | None = None
    iga_g_l: float | None = None
    lateral_flexion_cm: float | None = None
    tragus_to_wall_cm: float | None = None
    schober_cm: float | None = None
    intermalleolar_cm: float | None = None
    cervical_rotation_deg: float | None = None
    esr_mm_h_censored: bool | None = None
    crp_mg_l_censored: bool | None = None
    iga_g_l_censored: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _apply_column_rules(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        values = dict(data)
        problems: list[FieldProblem] = []
        for name in UNITLESS_LAB_NAMES:
            if name in values and values[name] is not None:
                raw = values.pop(name)
                problems.append((name, raw, unitless_message(name, raw), "unit"))
        for alias, column in ALIAS_COLUMNS.items():
            if alias not in values:
                continue
            raw = values.pop(alias)
            canonical = to_canonical(alias, 1.0)[0]
            if values.get(canonical) is not None and raw is not None:
                problems.append((alias, raw, both_units_message(alias, canonical), "unit"))
                continue
            try:
                parsed = column.check(raw)
            except RuleError as exc:
                problems.append((alias, raw, str(exc), exc.rule))
                continue
            if isinstance(parsed, CensoredValue):
                values[canonical] = CensoredValue(to_canonical(alias, parsed.value)[1], parsed.censored)
        problems += _check_fields(values, cls.columns)
        if problems:
            _raise_field_problems(data, problems)
        for lab in LAB_COLUMNS:
            parsed = values.get(lab)
            if isinstance(parsed, CensoredValue):
                values[lab] = parsed.value
                flag = censored_flag_column(lab)
                values[flag] = parsed.censored or bool(values.get(flag))
        return values

    # -- scores: the compute-tier formulas applied to this one visit (never a second copy) ----------------
    @property
    def basdai(self) -> float:
        """BASDAI of this visit (NaN if an item is missing); see :func:`axspa.indices.basdai`."""
        from axspa.indices import basdai

        return _scalar(
            basdai(
                q1=self.basdai_q1,
                q2=self.basdai_q2,
                q3=self.basdai_q3,
                q4=self.basdai_q4,
                q5=self.basdai_q5,
                q6=self.basdai_q6,
            )
        )

    @property
    def basfi(self) -> float:
        """BASFI of this visit (NaN if an item is missing); see :func:`axspa.indices.basfi`."""
        from axspa.indices import basfi

        items = {f"q{i}": getattr(self, f"basfi_q{i}") for i in range(1, 11)}
        return _scalar(basfi(**items))

    @property
    def basg(self) -> float:
        """BAS-G of this visit, the mean of its two items (NaN if either is missing).

        See :func:`axspa.indices.basg`, which also scores a single-item BAS-G for a study that
        collected only one item.
        """
        from axspa.indices import basg

        if self.basg_week is None or self.basg_6m is None:
            return float("nan")
        return _scalar(basg(week=self.basg_week, six_months=self.basg_6m))

    @property
    def inflammation(self) -> float:
        """The ASAS inflammation domain, mean of BASDAI Q5 and Q6; see :func:`axspa.indices.inflammation`."""
        from axspa.indices import inflammation

        return _scalar(inflammation(q5=self.basdai_q5, q6=self.basdai_q6))

    def value(self, column: str) -> float:
        """The value of a visit column or of a quantity derived from it (``basfi``, ``basg``,
        ``inflammation``), as a float (NaN where missing): how the record path reads a domain."""
        value = getattr(self, column)
        return float("nan") if value is None else float(value)

    def patient_global_value(self, patient_global: str = "patient_global") -> float:
        """The patient global used by ASAS and ASDAS: the ``patient_global`` item, or ``"basg"``."""
        return self.value(asas_domains(patient_global=patient_global)["patient_global"])

    def _asdas_items(self, patient_global: str) -> dict[str, Any]:
        items = {arg: self.value(column) for arg, column in ASDAS_ITEMS.items()}
        return items | {"patient_global": self.patient_global_value(patient_global)}

    def asdas_crp(self, *, patient_global: str = "patient_global", crp_floor: bool = True) -> float:
        """ASDAS-CRP of this visit; see :func:`axspa.indices.asdas_crp` (published coefficients)."""
        from axspa.indices import asdas_crp

        return _scalar(
            asdas_crp(
                **self._asdas_items(patient_global),
                crp_mg_l=self.value(ASDAS_LABS["asdas_crp"]),
                crp_censored=self.crp_mg_l_censored,
                crp_floor=crp_floor,
            )
        )

    def asdas_esr(self, *, patient_global: str = "patient_global") -> float:
        """ASDAS-ESR of this visit; see :func:`axspa.indices.asdas_esr` (published coefficients)."""
        from axspa.indices import asdas_esr

        return _scalar(asdas_esr(**self._asdas_items(patient_global), esr_mm_h=self.value(ASDAS_LABS["asdas_esr"])))


def visit_responses(
    baseline: Visit, followup: Visit, *, patient_global: str = "patient_global", pain: str = "back_pain"
) -> dict[str, bool | None]:
    """ASAS20, ASAS40, partial remission (at follow-up) and BASDAI50 of one patient's follow-up visit.

    Computed by the compute-tier functions of :mod:`axspa.response`; ``None`` where missing
    domains leave the answer open. ``patient_global`` names the item used as the patient global
    (``"basg"`` for a study that used BAS-G); ``pain`` the pain item (``"back_pain"`` or
    ``"basdai_q2"``).

    Examples
    --------
    >>> items = {f"basdai_q{i}": 6.0 for i in range(1, 7)} | {f"basfi_q{i}": 6.0 for i in range(1, 11)}
    >>> before = Visit(patient_id="P1", week=0, patient_global=7, back_pain=7, **items)
    >>> after = Visit(patient_id="P1", week=12, patient_global=3, back_pain=3,
    ...               **{k: 3.0 for k in items})
    >>> visit_responses(before, after)
    {'asas20': True, 'asas40': True, 'asas_pr': False, 'basdai50': True}
    """
    from axspa.response import asas20, asas40, asas_partial_remission, basdai50

    if baseline.patient_id != followup.patient_id:
        raise InputError(
            f"baseline and follow-up belong to different patients: {baseline.patient_id!r} and {followup.patient_id!r}"
        )

    columns = asas_domains(patient_global=patient_global, pain=pain)

    def domains(v: Visit) -> dict[str, float]:
        return {domain: v.value(column) for domain, column in columns.items()}

    b, f = domains(baseline), domains(followup)
    paired = {f"{k}_base": b[k] for k in b} | {f"{k}_fu": f[k] for k in f}
    return {
        "asas20": _flag(asas20(**paired)),
        "asas40": _flag(asas40(**paired)),
        "asas_pr": _flag(
            asas_partial_remission(
                patient_global=f["patient_global"],
                pain=f["pain"],
                function=f["function"],
                inflammation=f["inflammation"],
            )
        ),
        "basdai50": _flag(basdai50(basdai_base=baseline.basdai, basdai_fu=followup.basdai)),
    }


def _scalar(series: pd.Series) -> float:
    return float(series.iloc[0])


def _flag(series: pd.Series) -> bool | None:
    value = series.iloc[0]
    return None if value is pd.NA else bool(value)


class AdverseEvent(_Record):
    """One adverse event of one patient."""

    columns: ClassVar[Mapping[str, Column]] = ADVERSE_EVENT_COLUMNS

    patient_id: str
    term: str
    onset_week: float | None = None
    severity: Severity | None = None
    serious: bool | None = None
    action: str | None = None


class Study(_AxspaModel):
    """A whole study: patients, visits and adverse events, checked across records.

    Raises a validation error listing every cross-record problem: visits or adverse
    events of unknown patients, duplicate patient-weeks, visits after a withdrawal, and
    patients without a baseline visit.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = "study"
    patients: tuple[Patient, ...]
    visits: tuple[Visit, ...] = ()
    adverse_events: tuple[AdverseEvent, ...] = ()
    baseline_week: float = 0

    @model_validator(mode="after")
    def _cross_record(self) -> Self:
        patients, visits, aes = self.to_frames()
        problems = cross_record_problems(
            patients, visits, aes, baseline_week=self.baseline_week, sources=_RECORD_SOURCES
        ).problems
        if problems:
            raise ValueError(str(DataValidationError(problems=problems, summary=f"study {self.name!r}")))
        return self

    def to_frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Canonical frames: (patients, visits, adverse_events)."""
        return (
            records_to_frame(self.patients, Patient),
            records_to_frame(self.visits, Visit),
            records_to_frame(self.adverse_events, AdverseEvent),
        )

    def visits_of(self, patient_id: str) -> list[Visit]:
        """The visits of one patient, in week order."""
        return sorted((v for v in self.visits if v.patient_id == patient_id), key=lambda v: v.week)


R = TypeVar("R", bound=_Record)

_RECORD_SOURCES = {"patients": "patients", "visits": "visits", "adverse_events": "adverse_events"}


def records_to_frame(records: Iterable[_Record], model: type[_Record] | None = None) -> pd.DataFrame:
    """A canonical frame from records, one row per record, in the canonical columns and dtypes."""
    items = list(records)
    if model is None:
        model = type(items[0]) if items else Patient
    spec = {Patient: PATIENTS, Visit: VISITS, AdverseEvent: ADVERSE_EVENTS}[model]
    rows = [r.model_dump(mode="json") for r in items]
    return conform(pd.DataFrame(rows, columns=list(model.model_fields)), spec)


def frame_to_records(frame: pd.DataFrame, model: type[R]) -> list[R]:
    """Records from a canonical frame; missing values are left out of each record."""
    out = []
    for row in frame.to_dict(orient="records"):
        out.append(model.model_validate({k: v for k, v in row.items() if not _missing(v)}))
    return out


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)
