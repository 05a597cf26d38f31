"""Published figures of a two-arm trial (ESTHER) versus the same figures read from the report's tables.

Each figure of ``published.json`` names its measure, statistic, week and arm (or, for a p-value, the
comparison). This module builds the change-by-arm table (:func:`axspa.report.tables.change_by_arm_table`,
ANCOVA of the change from baseline at each week, baseline as covariate, over the full analysis set) on the
loaded study and looks each mean, SD and between-arm p-value up in its tidy numbers; an arm's total of sites is
the table's mean times its n. The few figures the table does not hold are counted or tested here, each saying
so in its ``convention``: the patients randomised to an arm, the patients with a site count above zero, the
percent in ASAS partial remission (``conventions.json``, ``remission``) and the baseline p-values, by the
rank-sum test ``conventions.json`` names (``baseline_p``). A figure the data cannot give (a p-value out of
reach of the convention, a figure whose definition could not be read, an abstract value that differs from its
table's) is returned unmatched with the reason, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import controlled_sets
from axspa.io import LoadedStudy
from axspa.printed import format_like, matches_printed
from axspa.results import Result, compact
from axspa.studies.reproduction import Comparison, _is_missing

if TYPE_CHECKING:
    from axspa.report import Table

__all__ = ["ControlledReproduction", "Explained", "GridCheck", "grid_audit"]

_NOT_RECONSTRUCTED = {
    "clinical_remission": "clinical remission was not reconstructed: its definition and counts are in the text, "
    "which could not be read",
}


@dataclass(frozen=True, slots=True, repr=False)
class Explained(Result):
    """A published figure beside its recomputation, with why they differ when they do."""

    comparison: Comparison
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """The comparison's fields and the explanation (for JSON output)."""
        return self.comparison.to_dict() | {"explanation": self.explanation}

    def _summary_items(self) -> list[tuple[str, str]]:
        return [*self.comparison._summary_items(), ("explanation", compact(self.explanation))]


class ControlledReproduction:
    """Looks the published figures of a two-arm trial up in the change-by-arm table built on one study.

    Parameters
    ----------
    study : LoadedStudy
        The patient-level data of a controlled study (arms and control arm in its design).
    conventions : mapping
        The study's ``conventions.json``: ``not_reproduced`` maps figure ids to the reason no data can give them.
    measures : sequence of str
        The measures of the table (visit columns or scored indices).

    Attributes
    ----------
    table : Table
        The change-by-arm table (observed means and SDs per arm and week; ANCOVA p-values per week).
    """

    def __init__(self, study: LoadedStudy, conventions: Mapping[str, Any], measures: list[str]) -> None:
        import axspa
        from axspa.report.tables import change_by_arm_table

        self.study = study
        self.measures = tuple(measures)
        self.conventions = dict(conventions)
        self.sets = controlled_sets(study.patients, study.design)
        self.arm_of = dict(zip(self.sets["fas"].patient_ids, self.sets["fas"].arms, strict=True))
        scored = axspa.score_visits(study.visits, keep=[m for m in measures if m not in ("basdai", "basfi")])
        self.scored = scored
        self.table: Table = change_by_arm_table(
            scored,
            self.sets["fas"],
            study.design,
            measures=measures,
            model="ancova",
            rank_sum=False,
            registry=study.registry,
        )
        control = study.design.control
        self.comparison = f"{next(a.code for a in study.design.arms if a.code != control)} vs {control}"

    def _value(self, figure: Mapping[str, Any]) -> tuple[float, str]:
        statistic, week = figure["statistic"], float(figure.get("week", 0))
        fas = self.sets["fas"]
        if statistic == "count" and "measure" not in figure:
            n = float(sum(a == figure["arm"] for a in fas.arms))
            return n, f"{fas.label}: patients randomised to {figure['arm']}"
        if statistic == "percent" and figure.get("measure") == "clinical_remission" and "remission" in self.conventions:
            arm_of = self.arm_of
            ids = [pid for pid, arm in arm_of.items() if arm == figure["arm"]]
            remission = self.scored[self.scored["week"] == week].set_index("patient_id")["asas_pr"]
            responders = int(remission.reindex(ids).fillna(False).astype(bool).sum())  # no value: not in remission
            return 100.0 * responders / len(ids), (
                f"{fas.label}: ASAS partial remission at week {week:g}, {responders}/{len(ids)} (non-responder "
                "imputation); the paper's definition could not be read: the reading is the reconstruction's "
                "(conventions.json, remission)"
            )
        if figure.get("measure") not in self.measures:
            return float("nan"), ""
        if statistic == "total":  # "26 sites (in 15 patients)": the arm's mean count times its patients
            mean = self.table.value(variable=figure["measure"], arm=figure["arm"], week=week, statistic="mean")
            n = self.table.value(variable=figure["measure"], arm=figure["arm"], week=week, statistic="n")
            return mean * n, f"change_by_arm[{fas.label}]: mean x n at week {week:g} (the arm's total)"
        if statistic == "count":  # the patients of the arm with a count above zero
            arm_of = self.arm_of
            rows = self.scored[(self.scored["week"] == week) & (self.scored["patient_id"].map(arm_of) == figure["arm"])]
            return float(
                (rows[figure["measure"]] > 0).sum()
            ), f"{fas.label}: patients with a count above 0 at week {week:g}"
        if statistic in ("mean", "sd"):
            value = self.table.value(variable=figure["measure"], arm=figure["arm"], week=week, statistic=statistic)
            return value, f"change_by_arm[{fas.label}]: observed {statistic} at week {week:g}"
        if statistic == "p_value" and week > 0:
            arm = self.comparison
            p = self.table.value(variable=figure["measure"], arm=arm, week=week, statistic="pvalue")
            df = self.table.value(variable=figure["measure"], arm=arm, week=week, statistic="df")
            return p, (
                f"change_by_arm[{fas.label}]: ANCOVA of the change from baseline at week {week:g} on arm and "
                f"baseline, t on {df:g} df"
            )
        if statistic == "p_value" and "baseline_p" in self.conventions:
            from axspa.stats import wilcoxon_rank_sum

            arm_of = self.arm_of
            rows = self.scored[self.scored["week"] == week]
            arms = rows["patient_id"].map(arm_of)
            experimental, control = self.comparison.split(" vs ")
            args = self.conventions["baseline_p"]["arguments"]
            test = wilcoxon_rank_sum(
                rows.loc[arms == experimental, figure["measure"]], rows.loc[arms == control, figure["measure"]], **args
            )
            return test.pvalue, (
                f"Wilcoxon rank-sum of the values at week {week:g} ({test.method}); the paper names no test: the "
                "convention is the reconstruction's (conventions.json, baseline_p)"
            )
        return float("nan"), ""

    def differences(self, week: float) -> pd.DataFrame:
        """The between-arm difference in the change from baseline at ``week`` for every measure: ANCOVA LS-mean
        difference (experimental minus control), its confidence interval and p-value, from the table."""
        rows = []
        for measure in self.measures:
            where = {"variable": measure, "arm": self.comparison, "week": float(week)}
            rows.append(
                {"measure": measure}
                | {
                    key: self.table.value(**where, statistic=key)
                    for key in ("difference", "difference_ci_low", "difference_ci_high", "pvalue")
                }
            )
        return pd.DataFrame(rows)

    def _explanation(self, figure: Mapping[str, Any], match: bool, value: float, counterpart_matched: bool) -> str:
        if match:
            return ""
        fid, measure = figure["id"], figure.get("measure")
        if fid in self.conventions.get("not_reproduced", {}):
            return "no data can give it under the ANCOVA convention: " + self.conventions["not_reproduced"][fid]
        if measure in _NOT_RECONSTRUCTED:
            return _NOT_RECONSTRUCTED[measure]
        if figure["statistic"] == "p_value" and float(figure.get("week", 0)) == 0:
            return "a baseline p-value whose test the paper does not name; the reconstruction does not target it"
        if "counterpart" in figure and not np.isnan(value) and counterpart_matched:
            return (
                f"the abstract prints {figure['printed']} where its table ({figure['counterpart']}) prints the value "
                "reproduced; the reconstruction follows the table"
            )
        return "not reproduced (no explanation recorded)"

    def compare(self, figure: Mapping[str, Any], *, counterpart_matched: bool = False) -> Explained:
        """Look one figure up and compare it with its printed value at its printed precision.

        ``counterpart_matched``: whether the table figure an abstract figure names as its ``counterpart`` is
        reproduced; only then is a difference explained as the abstract's (:meth:`compare_all` finds it out).
        """
        figure = {str(k): v for k, v in figure.items() if not _is_missing(v)}
        printed = figure["printed"]
        value, how = self._value(figure)
        if np.isnan(value):
            text, match = "", False
        elif printed.endswith("%"):
            text = format_like(value, printed[:-1]) + "%"
            match = matches_printed(value, printed[:-1])
        elif printed.startswith("<"):
            match = value < float(printed[1:])
            text = printed if match else format_like(value, printed[1:])
        else:
            text, match = format_like(value, printed), matches_printed(value, printed)
        comparison = Comparison(
            id=figure["id"],
            source=figure["source"],
            published=printed,
            recomputed=None if np.isnan(value) else value,
            recomputed_text=text,
            match=match,
            population=figure["population"],
            n=self.sets["fas"].n,
            convention=how,
        )
        return Explained(comparison, self._explanation(figure, match, value, counterpart_matched))

    def compare_all(self, figures: pd.DataFrame) -> list[Explained]:
        """Every figure of ``figures`` (one row each, as :func:`published_figures` gives them), in order; an
        abstract figure after the table figure it names as its counterpart."""
        records = [
            {str(k): v for k, v in row.items() if not _is_missing(v)} for row in figures.to_dict(orient="records")
        ]
        done = {r["id"]: self.compare(r) for r in records if "counterpart" not in r}
        for r in records:
            if "counterpart" in r:
                counterpart = done.get(r["counterpart"])
                done[r["id"]] = self.compare(
                    r, counterpart_matched=counterpart is not None and counterpart.comparison.match
                )
        return [done[r["id"]] for r in records]


@dataclass(frozen=True, slots=True, repr=False)
class GridCheck(Result):
    """GRIMMER on one printed mean and SD of one arm at one week, on the measure's grid."""

    mean_id: str
    sd_id: str
    n: int
    grid: float
    consistent: bool
    reason: str


def grid_audit(figures: pd.DataFrame, study: LoadedStudy) -> list[GridCheck]:
    """GRIMMER (:func:`axspa.forensics.grimmer`) on every printed per-arm mean and SD, on the grid and range the
    study's registry gives each measure, with the arm's n printed beside the figure (rounding half away from zero
    or any nearest rounding: ``"nearest"``). Reads the published figures only, never the patients."""
    from axspa.forensics import grimmer

    rows = {str(r["id"]): r for r in figures.to_dict(orient="records")}
    checks = []
    for fid, row in rows.items():
        sd_id = fid[: -len(".mean")] + ".sd"
        if row["statistic"] != "mean" or sd_id not in rows or _is_missing(row.get("n")):
            continue
        measure = study.registry[str(row["measure"])]
        result = grimmer(
            mean=str(row["printed"]),
            sd=str(rows[sd_id]["printed"]),
            n=int(row["n"]),
            grid=measure.grid,
            lower=measure.lower,
            upper=measure.upper,
        )
        checks.append(GridCheck(fid, sd_id, int(row["n"]), float(measure.grid), result.consistent, result.reason))
    return checks
