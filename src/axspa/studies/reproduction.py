"""Published figures versus the same figures recomputed from patient-level data.

Each figure of ``published.json`` names its population, statistic and measure; this
module recomputes it from the loaded study with axspa's public pipeline and says whether
it matches at the printed precision (rounding half away from zero).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from axspa.errors import InputError
from axspa.io import LoadedStudy
from axspa.printed import format_like, matches_printed

__all__ = ["Comparison", "compare_figures", "population_ids"]


@dataclass(frozen=True)
class Comparison:
    """One published figure and its recomputation."""

    id: str
    source: str
    published: str
    recomputed: float | None
    recomputed_text: str
    match: bool
    population: str
    n: int
    convention: str

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (for JSON output)."""
        return asdict(self)


def population_ids(study: LoadedStudy, population: str) -> list[str]:
    """Patient ids of a population named in ``published.json``.

    ``enrolled``: every patient; ``completers``: status completed;
    ``enrolled minus adverse-event withdrawals``: what the paper calls enrollers;
    ``on treatment at week 8``: patients with a visit at week 8;
    ``adverse-event withdrawals``: withdrawn for an adverse event.
    """
    p = study.patients
    rules: Mapping[str, pd.Series] = {
        "enrolled": pd.Series(True, index=p.index),
        "completers": p["status"] == "completed",
        "enrolled minus adverse-event withdrawals": p["withdrawal_reason"] != "adverse_event",
        "adverse-event withdrawals": p["withdrawal_reason"] == "adverse_event",
        "on treatment at week 8": p["patient_id"].isin(
            study.visits.loc[study.visits["week"] == 8, "patient_id"]
        ),
    }
    if population not in rules:
        raise InputError(f"unknown population {population!r}; known: {', '.join(rules)}")
    return list(p.loc[rules[population].fillna(False).astype(bool), "patient_id"])


def _describe(values: pd.Series, statistic: str) -> float:
    x = values.dropna().astype(float)
    functions: dict[str, Callable[[pd.Series], float]] = {
        "mean": lambda s: float(s.mean()),
        "sd": lambda s: float(s.std(ddof=1)),
        "median": lambda s: float(s.median()),
        "min": lambda s: float(s.min()),
        "max": lambda s: float(s.max()),
    }
    return functions[statistic](x)


def _patient_figure(study: LoadedStudy, figure: Mapping[str, Any], ids: list[str]) -> tuple[float, str]:
    p = study.patients[study.patients["patient_id"].isin(ids)]
    statistic, measure = figure["statistic"], figure.get("measure")
    if statistic == "count":
        if measure is None:
            return float(len(p)), "number of patients"
        category = figure["category"]
        column = p[measure]
        if measure == "hla_b27":
            hits = column.fillna(False).astype(bool) if category == "positive" else ~column.fillna(True)
        else:
            hits = column == category
        return float(hits.sum()), f"patients with {measure} = {category}"
    return _describe(p[measure], statistic), f"{statistic} of {measure}" + (
        " (SD with n - 1)" if statistic == "sd" else ""
    )


_PATIENT_MEASURES = {
    None,
    "age_years",
    "disease_duration_years",
    "subtype",
    "sex",
    "hla_b27",
    "withdrawal_reason",
    "status",
}


def compare_figures(study: LoadedStudy, figures: pd.DataFrame | list[Mapping[str, Any]]) -> list[Comparison]:
    """Recompute each published figure that can be recomputed from ``study``.

    Figures of a kind this version cannot recompute are returned with ``recomputed=None``
    and ``match=False``, never left out.
    """
    rows = figures.to_dict(orient="records") if isinstance(figures, pd.DataFrame) else list(figures)
    out = []
    for figure in rows:
        figure = {str(k): v for k, v in figure.items() if not (isinstance(v, float) and np.isnan(v))}
        ids = population_ids(study, figure["population"])
        value: float | None
        if figure.get("measure") in _PATIENT_MEASURES and figure["statistic"] != "proportion":
            value, convention = _patient_figure(study, figure, ids)
        else:
            value, convention = None, "not recomputed"
        text = "" if value is None else format_like(value, figure["printed"])
        out.append(
            Comparison(
                id=figure["id"],
                source=figure["source"],
                published=figure["printed"],
                recomputed=value,
                recomputed_text=text,
                match=value is not None and matches_printed(value, figure["printed"]),
                population=figure["population"],
                n=len(ids),
                convention=convention,
            )
        )
    return out
