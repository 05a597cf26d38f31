"""The analysis plan: every choice of :func:`axspa.report.analyze` in one frozen, documented object.

A plan is written before the data are analysed, so it is a value of its own: it can be read from a
TOML file (``axspa analyze --plan plan.toml``), passed to :func:`~axspa.report.analyze`, and it is
recorded, line by line, in the methods section of the report it produced.

A plan file holds the fields of :class:`AnalysisPlan` at its top level; the signed-rank convention is
the table ``[test]`` (the fields of :class:`axspa.stats.SignedRankConvention`), and the mappings
``display_units``, ``scoring`` and (per variable) ``center`` and ``demographics_digits`` are tables::

    week = 24
    outcome_set = "completers"            # completers | enrolled_minus_adverse_event | enrolled
    outcome_imputation = "observed"       # observed | locf | bocf
    response_imputation = "nri"           # nri | observed
    responses = ["asas20", "asas40"]

    [test]
    method = "exact"
    zero_method = "wilcox"

    [scoring]
    patient_global = "basg"

A controlled trial (a study with arms) also reads ``control`` (overriding the study file's control
arm), ``difference_method``, ``response_test``, ``change_model`` and ``rank_sum_method``; these are recorded only in the
methods of a controlled trial's report.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import pandas as pd

from axspa.errors import InputError
from axspa.options import (
    BINOMIAL_CI_METHODS,
    CHANGE_MODELS,
    CONTINUOUS_IMPUTATIONS,
    RESPONSE_IMPUTATIONS,
    RISK_DIFFERENCE_METHODS,
    STANDARD_SETS,
    TWO_BY_TWO_TESTS,
    BinomialCIMethod,
    Center,
    ChangeModel,
    ContinuousImputation,
    ResponseImputation,
    RiskDifferenceMethod,
    SignedRankMethod,
    StandardSet,
    TwoByTwoTest,
)
from axspa.results import Result, compact
from axspa.stats import SignedRankConvention
from axspa.stats.rank_sum import RANK_SUM_METHODS

__all__ = ["AnalysisPlan"]


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True, repr=False)
class AnalysisPlan(Result):
    """Every choice of a report's analysis.

    Attributes
    ----------
    week : float, optional
        Visit at which responses are assessed; default the last visit of the study.
    baseline_week : float
        Baseline visit.
    outcome_set : {"completers", "enrolled_minus_adverse_event", "enrolled"}
        Analysis set of the outcomes table and figures.
    outcome_imputation : {"observed", "locf", "bocf"}
        Missing continuous values.
    response_imputation : {"nri", "observed"}
        Missing responses.
    test : SignedRankConvention
        Convention of the signed-rank tests against baseline (default exact conditional, zeros
        dropped, no continuity correction, two-sided).
    confidence_level : float
        Of the Hodges-Lehmann and binomial intervals, in (0, 1).
    ci_method : {"clopper-pearson", "wilson", "jeffreys"}
        Interval of a response proportion.
    center : {"mean", "median"} or mapping
        Central value in Table 1 (per variable with a mapping).
    demographics_digits : int or mapping
        Decimals of Table 1's numeric summaries (per variable with a mapping).
    display_units : mapping, optional
        Show outcomes in another accepted unit, e.g. ``{"crp_mg_l": "crp_mg_dl"}``; default (None)
        the units the data came in.
    measures : tuple of str, optional
        Outcome columns of the outcomes table; default BASDAI, BASFI, BAS-G, ASDAS-CRP, ESR, CRP
        and IgA, those present.
    responses : tuple of str, optional
        Response columns of the response table; default ASAS20, ASAS40, ASAS 5/6, partial
        remission and BASDAI50, those that could be scored.
    scoring : mapping
        Options of :func:`axspa.derive.score_visits`, e.g. ``{"patient_global": "basg"}``.
    control : str, optional
        Controlled trials: the control arm's code, overriding the study file's (``--control``).
    difference_method : {"newcombe", "miettinen-nurminen", "mee", "agresti-caffo", "wald"}
        Controlled trials: interval of a difference of response rates (default Newcombe's hybrid score).
    response_test : {"fisher", "chi-square", "chi-square-yates", "barnard", "boschloo"}
        Controlled trials: test of a 2x2 table of responders (default Fisher's exact test).
    change_model : {"auto", "mmrm", "ancova"}
        Controlled trials: model of change from baseline between arms.
    rank_sum_method : {"auto", "exact", "asymptotic"}
        Controlled trials: the Wilcoxon rank-sum test of change and the interval of the Hodges-Lehmann shift
        (default ``"auto"``: exact when the two arms hold at most ``RANK_SUM_AUTO_EXACT_MAX_N`` (200) patients
        with a change at the visit, normal approximation with tie-corrected variance above; each row records
        the method used).
    per_protocol : mapping, optional
        Controlled trials: the per-protocol set's stated rule, ``{"rule": ..., "definition": ...}``:
        ``rule`` a boolean expression over the patient columns (:meth:`pandas.DataFrame.eval`, e.g.
        ``"treated and last_week >= 12"``), ``definition`` the rule in words for the methods. Without it
        the report has no per-protocol set.

    Raises
    ------
    InputError
        If a choice is not one of its allowed values.

    Examples
    --------
    >>> plan = AnalysisPlan.from_mapping({"week": 24, "test": {"method": "asymptotic"}})
    >>> plan.week, plan.test.method, plan.outcome_set
    (24.0, 'asymptotic', 'completers')
    >>> plan.describe()[0]
    'week = 24'
    """

    week: float | None = None
    baseline_week: float = 0.0
    outcome_set: StandardSet = "completers"
    outcome_imputation: ContinuousImputation = "observed"
    response_imputation: ResponseImputation = "nri"
    test: SignedRankConvention = field(default_factory=SignedRankConvention)
    confidence_level: float = 0.95
    ci_method: BinomialCIMethod = "clopper-pearson"
    center: Center | Mapping[str, Center] = "mean"
    demographics_digits: int | Mapping[str, int] = 1
    display_units: Mapping[str, str] | None = None
    measures: tuple[str, ...] | None = None
    responses: tuple[str, ...] | None = None
    scoring: Mapping[str, Any] = field(default_factory=dict)
    control: str | None = None
    difference_method: RiskDifferenceMethod = "newcombe"
    response_test: TwoByTwoTest = "fisher"
    change_model: ChangeModel = "auto"
    rank_sum_method: SignedRankMethod = "auto"
    per_protocol: Mapping[str, str] | None = None

    CONTROLLED_FIELDS: ClassVar[tuple[str, ...]] = (
        "control",
        "difference_method",
        "response_test",
        "change_model",
        "rank_sum_method",
        "per_protocol",
    )
    """Fields that only a controlled trial's analysis reads (and its methods record)."""

    SINGLE_ARM_FIELDS: ClassVar[tuple[str, ...]] = ("outcome_set", "outcome_imputation", "test", "display_units")
    """Fields that only a single-arm analysis reads (a controlled trial analyses efficacy in the full analysis
    set, change by its model and the rank-sum test, and shows values in canonical units)."""

    def __post_init__(self) -> None:
        for name, allowed in (
            ("outcome_set", STANDARD_SETS),
            ("outcome_imputation", CONTINUOUS_IMPUTATIONS),
            ("response_imputation", RESPONSE_IMPUTATIONS),
            ("ci_method", BINOMIAL_CI_METHODS),
            ("difference_method", RISK_DIFFERENCE_METHODS),
            ("response_test", TWO_BY_TWO_TESTS),
            ("change_model", CHANGE_MODELS),
            ("rank_sum_method", RANK_SUM_METHODS),
        ):
            value = getattr(self, name)
            if value not in allowed:
                raise InputError(f"analysis plan: {name} must be one of {list(allowed)}; got {value!r}")
        for name in ("week", "baseline_week", "confidence_level"):
            value = getattr(self, name)
            if value is None and name == "week":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError(f"analysis plan: {name} must be a number; got {value!r}")
            object.__setattr__(self, name, float(value))
        if self.per_protocol is not None:
            pp = self.per_protocol
            if (
                not isinstance(pp, Mapping)
                or set(pp) != {"rule", "definition"}
                or not all(isinstance(v, str) and v.strip() for v in pp.values())
            ):
                raise InputError(
                    "analysis plan: per_protocol must be a table with two non-empty texts, rule (an expression over "
                    f"the patient columns) and definition (the rule in words); got {pp!r}"
                )
        if self.control is not None and (not isinstance(self.control, str) or not self.control.strip()):
            raise InputError(f"analysis plan: control must be an arm code; got {self.control!r}")
        if not 0.0 < self.confidence_level < 1.0:
            raise InputError(f"analysis plan: confidence_level must be in (0, 1); got {self.confidence_level!r}")
        if not isinstance(self.test, SignedRankConvention):
            raise InputError(f"analysis plan: test must be a SignedRankConvention; got {self.test!r}")
        for name in ("measures", "responses"):
            columns = getattr(self, name)
            if columns is None:
                continue
            if isinstance(columns, str) or not all(isinstance(c, str) for c in columns):
                raise InputError(f"analysis plan: {name} must be a list of column names; got {columns!r}")
            object.__setattr__(self, name, tuple(columns))
        for name in ("center", "demographics_digits", "scoring", "display_units", "per_protocol"):
            value = getattr(self, name)
            if isinstance(value, Mapping):
                object.__setattr__(self, name, _frozen(value))

    # -- reading --------------------------------------------------------------------------------------
    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> AnalysisPlan:
        """A plan from a mapping of field names (``test`` may be a mapping of convention fields).

        Raises
        ------
        InputError
            If a key is not a field of the plan, or a value is not allowed.
        """
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = [k for k in data if k not in names]
        if unknown:
            raise InputError(f"analysis plan: unknown key(s) {unknown}; expected some of {names}")
        values = dict(data)
        if isinstance(values.get("test"), Mapping):
            try:
                values["test"] = SignedRankConvention(**values["test"])
            except TypeError as exc:
                raise InputError(f"analysis plan: [test] {exc}; expected fields of SignedRankConvention") from None
        return cls(**values)

    @classmethod
    def from_toml(cls, path: str | Path) -> AnalysisPlan:
        """Read a plan from a TOML file (see the module docstring for its layout).

        Raises
        ------
        InputError
            If the file cannot be read or parsed, or holds an unknown key or value.
        """
        try:
            with Path(path).open("rb") as fh:
                data = tomllib.load(fh)
        except OSError as exc:
            raise InputError(f"analysis plan {str(path)!r} cannot be read: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"analysis plan {str(path)!r} is not valid TOML: {exc}") from None
        return cls.from_mapping(data)

    def updated(self, **changes: Any) -> AnalysisPlan:
        """A copy with some fields changed (the same checks apply).

        Raises
        ------
        InputError
            If a name is not a field of the plan.
        """
        if changes:
            names = {f.name for f in dataclasses.fields(self)}
            unknown = sorted(set(changes) - names)
            if unknown:
                raise InputError(f"unknown analysis option(s) {unknown}; expected some of {sorted(names)}")
        return dataclasses.replace(self, **changes)

    # -- recording ------------------------------------------------------------------------------------
    def describe(self, *, controlled: bool = False) -> list[str]:
        """The plan as ``name = value`` lines, for the methods section.

        The fields of :attr:`CONTROLLED_FIELDS` are listed only when ``controlled`` is true, those of
        :attr:`SINGLE_ARM_FIELDS` only when it is false.
        """
        lines = []
        for f in dataclasses.fields(self):
            if f.name in (self.SINGLE_ARM_FIELDS if controlled else self.CONTROLLED_FIELDS):
                continue
            value = getattr(self, f.name)
            if isinstance(value, SignedRankConvention):
                text = value.describe()
            elif value is None:
                text = "default"
            elif isinstance(value, float) and value.is_integer():
                text = f"{value:g}"
            elif isinstance(value, Mapping):
                text = ", ".join(f"{k}: {v}" for k, v in value.items()) or "none"
            elif isinstance(value, tuple):
                text = ", ".join(value)
            else:
                text = str(value)
            lines.append(f"{f.name} = {text}")
        return lines

    def _summary_items(self) -> list[tuple[str, str]]:
        return [(f.name, compact(getattr(self, f.name))) for f in dataclasses.fields(self)]

    def to_frame(self) -> pd.DataFrame:
        """One row per field: name and value as recorded in the methods section."""
        pairs = [line.split(" = ", 1) for line in self.describe()]
        return pd.DataFrame(pairs, columns=["option", "value"])
