"""Table 1: baseline characteristics (age, disease duration, sex, HLA-B27, subtype)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet, all_enrolled
from axspa.errors import InputError
from axspa.ingest.columns import Subtype
from axspa.options import CENTERS, SPREADS, Center, Spread
from axspa.report.format import fmt_count_pct, fmt_num
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import _groups, _need, _set_note, _statistics, _summary

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
) -> Table:
    """Table 1: age, disease duration, sex, HLA-B27 and subtype.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame.
    analysis_set : AnalysisSet, optional
        Whom to describe; default every enrolled patient.
    center : {"mean", "median"} or mapping
        Central value of the numeric variables; a mapping sets it per variable
        (``{"disease_duration_years": "median"}``), the rest taking ``"mean"``.
    spread : {"range", "sd"} or mapping
        Spread shown next to it, in the same way.
    digits : int or mapping
        Decimals of the numeric summaries in the view; a mapping sets them per variable
        (``{"age_years": 0}``), the rest taking 1.

    Returns
    -------
    Table
        Named ``"demographics"``; tidy rows hold n, the center, and min and max or SD of each
        numeric variable, and count and percent (of the analysis set) of each category.

    Raises
    ------
    InputError
        If ``center`` or ``spread`` is not recognised, or the patients frame is invalid.
    """
    aset = analysis_set if analysis_set is not None else all_enrolled(patients)
    data = demographics_numbers(patients, aset, center=center, spread=spread)
    notes = [_set_note(aset), f"Percentages are of the {aset.n} patients of the population."]
    for var, label in _DEMOGRAPHIC_NUMBERS.items():
        n = _statistics(data, variable=var).get("n")
        if n is not None and n < aset.n:
            notes.append(f"{label}: {aset.n - int(n)} missing value(s), excluded from its summary.")
    return Table(
        name="demographics",
        title=f"Table 1. Baseline characteristics ({aset.label}, n = {aset.n})",
        data=data,
        view=demographics_view(data, digits=digits),
        notes=tuple(notes),
    )


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
) -> pd.DataFrame:
    """The tidy, unrounded numbers of :func:`demographics_table` (see there)."""
    frame = analysis_set.select(_need(patients, ["patient_id"], "patients"))
    denominator = analysis_set.n
    rows: list[dict[str, Any]] = []
    for var in _DEMOGRAPHIC_NUMBERS:
        if var not in frame.columns:
            continue
        c = _choice(center, var, CENTERS, "mean")
        sp = _choice(spread, var, SPREADS, "range")
        s = _summary(pd.to_numeric(frame[var], errors="coerce"))
        method = f"{c} ({'range' if sp == 'range' else 'SD, n - 1'}); missing values excluded"
        base = dict(
            table="demographics",
            variable=var,
            level="",
            week=np.nan,
            population=analysis_set.label,
            denominator=s.n,
            imputation=_NO_IMPUTATION,
            method=method,
        )
        wanted = {"n": s.n, c: getattr(s, c)}
        if sp == "range":
            wanted |= {"min": s.min, "max": s.max}
        else:
            wanted["sd"] = s.sd
        rows.extend({**base, "statistic": k, "value": v} for k, v in wanted.items())

    for var in _DEMOGRAPHIC_CATEGORIES:
        if var not in frame.columns:
            continue
        values = frame[var]
        if var == "hla_b27":
            values = values.map({True: "positive", False: "negative"}, na_action="ignore")
        values = values.astype("string").fillna("missing")
        counts = values.value_counts(sort=False)
        # every subtype of the data contract is listed, with 0 where nobody has it
        known = [t.value for t in Subtype] if var == "subtype" else []
        levels = known + sorted((x for x in counts.index if x not in known), key=lambda x: (x == "missing", str(x)))
        for level in levels:
            k = int(counts.get(level, 0))
            base = dict(
                table="demographics",
                variable=var,
                level=str(level),
                week=np.nan,
                population=analysis_set.label,
                denominator=denominator,
                imputation=_NO_IMPUTATION,
                method="count and percent of the population",
            )
            rows.append({**base, "statistic": "count", "value": k})
            rows.append({**base, "statistic": "percent", "value": 100.0 * k / denominator})
    return tidy_frame(rows)


def demographics_view(data: pd.DataFrame, *, digits: int | Mapping[str, int] = 1) -> pd.DataFrame:
    """The formatted view of :func:`demographics_numbers`' tidy frame (rounding only here)."""
    view: list[dict[str, str]] = []
    for (var,) in _groups(data.loc[data["level"] == ""], "variable"):
        stats = _statistics(data, variable=var)
        label = _DEMOGRAPHIC_NUMBERS[str(var)]
        c = "median" if "median" in stats else "mean"
        dg = digits.get(str(var), 1) if isinstance(digits, Mapping) else digits
        if "min" in stats:
            text = f"{fmt_num(stats[c], dg)} ({fmt_num(stats['min'], dg)} to {fmt_num(stats['max'], dg)})"
            head = f"{label}, {c} (range)"
        else:
            text = f"{fmt_num(stats[c], dg)} ± {fmt_num(stats['sd'], dg)}"
            head = f"{label}, {c} (SD)"
        view.append({"Characteristic": head, "Value": text, "n": str(int(stats["n"]))})
    for var, level in _groups(data.loc[data["level"] != ""], "variable", "level"):
        rows = data.loc[(data["variable"] == var) & (data["level"] == level)]
        k, n = int(_statistics(rows)["count"]), int(rows["denominator"].iloc[0])
        view.append(
            {
                "Characteristic": f"{_DEMOGRAPHIC_CATEGORIES[str(var)]}: {level}, n (%)",
                "Value": fmt_count_pct(k, n),
                "n": str(n),
            }
        )
    return pd.DataFrame(view, columns=["Characteristic", "Value", "n"])
