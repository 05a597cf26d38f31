"""Table 1: baseline characteristics (age, disease duration, sex, HLA-B27, subtype), by arm in a controlled trial."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet, all_enrolled, controlled_sets
from axspa.design import StudyDesign
from axspa.errors import InputError
from axspa.ingest.columns import Subtype
from axspa.options import CENTERS, SPREADS, Center, Spread
from axspa.report.format import fmt_count_pct, fmt_num
from axspa.report.labels import label_of
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import (
    NO_BASELINE_TESTS_NOTE,
    _arm_groups,
    _arm_headers,
    _groups,
    _need,
    _percent,
    _population_note,
    _set_note,
    _statistics,
    _summary,
)

__all__ = ["demographics_numbers", "demographics_table", "demographics_view"]


_DEMOGRAPHIC_NUMBERS = {"age_years": "Age (years)", "disease_duration_years": "Disease duration (years)"}
_DEMOGRAPHIC_CATEGORIES = {"sex": "Sex", "hla_b27": "HLA-B27", "subtype": "Subtype"}
_NO_IMPUTATION = "none (baseline characteristics as recorded)"


def demographics_table(
    patients: pd.DataFrame,
    analysis_set: AnalysisSet | None = None,
    *,
    center: Center | Mapping[str, Center] = "mean",
    spread: Spread | Mapping[str, Spread] = "range",
    digits: int | Mapping[str, int] = 1,
    design: StudyDesign | None = None,
) -> Table:
    """Table 1: age, disease duration, sex, HLA-B27 and subtype; by arm in a controlled trial.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame.
    analysis_set : AnalysisSet, optional
        Whom to describe; default every enrolled patient, or in a controlled trial (a ``design`` with
        arms) the full analysis set (:func:`axspa.analysis_sets.controlled_sets`).
    center : {"mean", "median"} or mapping
        Central value of the numeric variables; a mapping sets it per variable
        (``{"disease_duration_years": "median"}``), the rest taking ``"mean"``.
    spread : {"range", "sd"} or mapping
        Spread shown next to it, in the same way.
    digits : int or mapping
        Decimals of the numeric summaries in the view; a mapping sets them per variable
        (``{"age_years": 0}``), the rest taking 1.
    design : StudyDesign, optional
        The study's design (``LoadedStudy.design``). With arms, the table has one column per arm (in
        the design's order, headed by the arm's label and size) and a Total column, and lists the
        design's stratification factors as categorical rows. Without (None, or a design without arms)
        the population is described as one group.

    Returns
    -------
    Table
        Named ``"demographics"``; tidy rows hold n, the center, and min and max or SD of each
        numeric variable, and count and percent (of the analysis set) of each category. By arm, each
        of these rows is given per arm (``arm`` the arm's code, percentages of the arm's patients)
        and for the whole set (``arm`` ``"all"``), and a row ``patients`` (statistic ``count``)
        gives the size of each column.

    Raises
    ------
    InputError
        If ``center`` or ``spread`` is not recognised, the patients frame is invalid, a stratification
        factor of the design is not a column of it, or the set and the design disagree on arms.

    Notes
    -----
    No p-value compares the arms at baseline: in a randomised trial a baseline difference is due to
    chance by construction, and CONSORT 2010 [1]_ (item 15) advises against testing for one.

    References
    ----------
    .. [1] Moher D, Hopewell S, Schulz KF, et al. CONSORT 2010 explanation and elaboration: updated
       guidelines for reporting parallel group randomised trials. BMJ 2010;340:c869.
    """
    if analysis_set is not None:
        aset = analysis_set
    elif design is not None and design.controlled:
        aset = controlled_sets(patients, design)["fas"]
    else:
        aset = all_enrolled(patients)
    data = demographics_numbers(patients, aset, center=center, spread=spread, design=design)
    view = demographics_view(data, digits=digits, design=design)
    if design is None or not design.controlled:
        notes = [_set_note(aset), f"Percentages are of the {aset.n} patients of the population."]
        for var, label in _DEMOGRAPHIC_NUMBERS.items():
            n = _statistics(data, variable=var).get("n")
            if n is not None and n < aset.n:
                notes.append(f"{label}: {aset.n - int(n)} missing value(s), excluded from its summary.")
        title = f"Table 1. Baseline characteristics ({aset.label}, n = {aset.n})"
    else:
        notes = [_population_note(aset, design), "Percentages are of the patients of each column (its n)."]
        for var, label in _DEMOGRAPHIC_NUMBERS.items():
            missing = {
                arm: part.n - int(_statistics(data, variable=var, arm=arm).get("n", part.n))
                for arm, part in aset.by_arm(design).items()
            }
            if any(missing.values()):
                counts = ", ".join(f"{design.label(arm)} {k}" for arm, k in missing.items())
                notes.append(f"{label}: missing value(s) excluded from its summary ({counts}).")
        if design.strata:
            notes.append(f"Stratification factors of the randomisation: {', '.join(design.strata)}.")
        notes.append(NO_BASELINE_TESTS_NOTE)
        title = f"Table 1. Baseline characteristics by arm ({aset.label}, n = {aset.n})"
    return Table(name="demographics", title=title, data=data, view=view, notes=tuple(notes))


def _choice(arg: str | Mapping[str, str], var: str, allowed: tuple[str, ...], default: str) -> str:
    value = arg.get(var, default) if isinstance(arg, Mapping) else arg
    if value not in allowed:
        raise InputError(f"{var}: expected one of {list(allowed)}; got {value!r}")
    return value


def demographics_numbers(
    patients: pd.DataFrame,
    analysis_set: AnalysisSet,
    *,
    center: Center | Mapping[str, Center] = "mean",
    spread: Spread | Mapping[str, Spread] = "range",
    design: StudyDesign | None = None,
) -> pd.DataFrame:
    """The tidy, unrounded numbers of :func:`demographics_table` (see there)."""
    frame = analysis_set.select(_need(patients, ["patient_id"], "patients"))
    parts = _arm_groups(analysis_set, design)
    categories = dict(_DEMOGRAPHIC_CATEGORIES)
    if design is not None and parts is not None:
        _need(frame, design.strata, "patients")
        categories |= {s: _stratum_label(s) for s in design.strata if s not in categories}
    # the levels of each category come from the whole population, so that every arm lists the same ones
    levels = {var: _levels(var, _category_values(frame, var)) for var in categories if var in frame.columns}
    rows: list[dict[str, Any]] = []
    for arm, part in parts or [("", analysis_set)]:
        part_frame = part.select(frame) if arm else frame
        base = dict(table="demographics", level="", week=np.nan, population=analysis_set.label, arm=arm)
        if arm:
            rows.append(
                {
                    **base,
                    "variable": "patients",
                    "statistic": "count",
                    "value": part.n,
                    "denominator": part.n,
                    "imputation": _NO_IMPUTATION,
                    "method": "patients of the population in the arm",
                }
            )
        rows.extend(_number_rows(part_frame, base, center, spread))
        for var, var_levels in levels.items():
            counts = _category_values(part_frame, var).value_counts(sort=False)
            for level in var_levels:
                k = int(counts.get(level, 0))
                row = {
                    **base,
                    "variable": var,
                    "level": str(level),
                    "denominator": part.n,
                    "imputation": _NO_IMPUTATION,
                    "method": "count and percent of the population",
                }
                rows.append({**row, "statistic": "count", "value": k})
                rows.append({**row, "statistic": "percent", "value": _percent(k, part.n)})
    return tidy_frame(rows)


def _number_rows(
    frame: pd.DataFrame,
    base: Mapping[str, Any],
    center: Center | Mapping[str, Center],
    spread: Spread | Mapping[str, Spread],
) -> list[dict[str, Any]]:
    """Tidy rows of the numeric characteristics of ``frame``: n, the center, and min and max or SD."""
    rows: list[dict[str, Any]] = []
    for var in _DEMOGRAPHIC_NUMBERS:
        if var not in frame.columns:
            continue
        c = _choice(center, var, CENTERS, "mean")
        sp = _choice(spread, var, SPREADS, "range")
        s = _summary(pd.to_numeric(frame[var], errors="coerce"))
        method = f"{c} ({'range' if sp == 'range' else 'SD, n - 1'}); missing values excluded"
        row = {**base, "variable": var, "denominator": s.n, "imputation": _NO_IMPUTATION, "method": method}
        wanted = {"n": s.n, c: getattr(s, c)}
        if sp == "range":
            wanted |= {"min": s.min, "max": s.max}
        else:
            wanted["sd"] = s.sd
        rows.extend({**row, "statistic": k, "value": v} for k, v in wanted.items())
    return rows


def _category_values(frame: pd.DataFrame, var: str) -> pd.Series:
    """The values of a categorical characteristic as strings, ``"missing"`` where none is recorded."""
    values = frame[var]
    if var == "hla_b27":
        values = values.map({True: "positive", False: "negative"}, na_action="ignore")
    return values.astype("string").fillna("missing")


def _levels(var: str, values: pd.Series) -> list[str]:
    """The levels a categorical characteristic lists: every subtype of the data contract (0 where nobody
    has it), then the other values seen, sorted, ``"missing"`` last."""
    known = [t.value for t in Subtype] if var == "subtype" else []
    seen = values.unique().tolist()
    return known + sorted((str(x) for x in seen if x not in known), key=lambda x: (x == "missing", x))


def _stratum_label(column: str) -> str:
    return f"{label_of(column)} (stratification factor)"


def demographics_view(
    data: pd.DataFrame, *, digits: int | Mapping[str, int] = 1, design: StudyDesign | None = None
) -> pd.DataFrame:
    """The formatted view of :func:`demographics_numbers`' tidy frame (rounding only here).

    Tidy rows by arm give one column per arm and a Total column, headed by the labels of ``design``
    (the arm codes without one).
    """
    if (data["arm"] != "").any():
        return _view_by_arm(data, digits, design)
    view: list[dict[str, str]] = []
    for (var,) in _groups(data.loc[data["level"] == ""], "variable"):
        head, text = _number_cell(_statistics(data, variable=var), str(var), digits)
        view.append({"Characteristic": head, "Value": text, "n": str(int(_statistics(data, variable=var)["n"]))})
    for var, level in _groups(data.loc[data["level"] != ""], "variable", "level"):
        rows = data.loc[(data["variable"] == var) & (data["level"] == level)]
        k, n = int(_statistics(rows)["count"]), int(rows["denominator"].iloc[0])
        view.append({"Characteristic": _category_head(str(var), str(level)), "Value": fmt_count_pct(k, n), "n": str(n)})
    return pd.DataFrame(view, columns=["Characteristic", "Value", "n"])


def _view_by_arm(data: pd.DataFrame, digits: int | Mapping[str, int], design: StudyDesign | None) -> pd.DataFrame:
    columns = _arm_headers(data.loc[data["variable"] == "patients"], design)
    view: list[dict[str, str]] = []
    numbers = data.loc[(data["level"] == "") & (data["variable"] != "patients")]
    for (var,) in _groups(numbers, "variable"):
        row: dict[str, str] = {}
        for arm, (header, _) in columns.items():
            stats = _statistics(data, variable=var, arm=arm)
            row["Characteristic"], row[header] = _number_cell(stats, str(var), digits)
        view.append(row)
    for var, level in _groups(data.loc[data["level"] != ""], "variable", "level"):
        row = {"Characteristic": _category_head(str(var), str(level))}
        for arm, (header, n) in columns.items():
            row[header] = fmt_count_pct(int(_statistics(data, variable=var, level=level, arm=arm)["count"]), n)
        view.append(row)
    return pd.DataFrame(view, columns=["Characteristic", *(header for header, _ in columns.values())])


def _number_cell(stats: Mapping[str, float], var: str, digits: int | Mapping[str, int]) -> tuple[str, str]:
    """The row head and the cell of a numeric characteristic: ``"37.0 (19.0 to 54.0)"`` or ``"37.0 ± 9.1"``."""
    label = _DEMOGRAPHIC_NUMBERS[var]
    c = "median" if "median" in stats else "mean"
    dg = digits.get(var, 1) if isinstance(digits, Mapping) else digits
    if "min" in stats:
        return (
            f"{label}, {c} (range)",
            f"{fmt_num(stats[c], dg)} ({fmt_num(stats['min'], dg)} to {fmt_num(stats['max'], dg)})",
        )
    return f"{label}, {c} (SD)", f"{fmt_num(stats[c], dg)} ± {fmt_num(stats['sd'], dg)}"


def _category_head(var: str, level: str) -> str:
    label = _DEMOGRAPHIC_CATEGORIES.get(var) or _stratum_label(var)
    return f"{label}: {level}, n (%)"
