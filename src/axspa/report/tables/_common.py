"""Checks and notes shared by the table builders."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet
from axspa.design import StudyDesign
from axspa.errors import InputError
from axspa.stats import DescriptiveSummary, describe

Progress = Callable[[str], None]
"""Where a long computation reports each step (one short line, e.g. the measure it starts on)."""


def _tick(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


def _need(frame: object, columns: Iterable[str], what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{what} must be a pandas DataFrame; got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the {what} frame lacks column(s) {missing}; got {list(frame.columns)}")
    return frame


def _columns(scored: pd.DataFrame, given: Sequence[str] | None, defaults: Sequence[str], what: str) -> list[str]:
    """The columns ``given``, or those of ``defaults`` present in ``scored``; each must be a column of it."""
    if given is None:
        chosen = [c for c in defaults if c in scored.columns]
        if not chosen:
            raise InputError(f"the scored visits hold none of the {what} {list(defaults)}")
    else:
        if isinstance(given, str):
            raise InputError(f"{what} must be a sequence of column names; got the string {given!r}")
        chosen = list(given)
        if not chosen:
            raise InputError(f"{what} is empty: name at least one column")
    _need(scored, chosen, "scored visits")
    return chosen


def _set_note(s: AnalysisSet) -> str:
    return f"Population: {s.describe()}."


def _statistics(data: pd.DataFrame, **where: object) -> dict[str, float]:
    """The statistics of the tidy rows whose columns equal ``where``, by statistic name."""
    mask = pd.Series(True, index=data.index)
    for column, value in where.items():
        mask &= data[column] == value
    rows = data.loc[mask]
    return dict(zip(rows["statistic"], rows["value"], strict=True))


def _groups(data: pd.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    """The distinct values of ``columns`` in the tidy rows, in order of first appearance."""
    return list(dict.fromkeys(zip(*(data[c] for c in columns), strict=True)))


def _summary(values: pd.Series) -> DescriptiveSummary:
    """:func:`axspa.stats.describe` of the values (NaN missing); no value at all gives n = 0 and NaN."""
    return describe(values if len(values) else np.array([np.nan]))


def _option(name: str, value: object, allowed: Sequence[object]) -> None:
    """An option's value must be one of its vocabulary (:mod:`axspa.options`)."""
    if value not in allowed:
        raise InputError(f"{name} must be one of {list(allowed)}; got {value!r}")


def _level(confidence_level: object) -> float:
    """A confidence level strictly between 0 and 1."""
    if isinstance(confidence_level, bool) or not isinstance(confidence_level, (int, float)):
        raise InputError(f"confidence_level must be a number in (0, 1); got {confidence_level!r}")
    if not 0.0 < float(confidence_level) < 1.0:
        raise InputError(f"confidence_level must be in (0, 1); got {confidence_level!r}")
    return float(confidence_level)


def _arm_parts(population: object, design: StudyDesign, table: str) -> dict[str, AnalysisSet]:
    """The population split by arm in the design's order, for a between-arm table.

    Raises when the study has no arms or no control arm, the population carries no arms, or an arm has no
    patient in the population (a between-arm comparison needs both arms).
    """
    if not isinstance(population, AnalysisSet):
        raise InputError(f"{table}: population must be an AnalysisSet; got {type(population).__name__}")
    if not isinstance(design, StudyDesign) or not design.controlled:
        raise InputError(f"{table} needs the design of a controlled study (two or more arms); got {design!r}")
    design.require_control()
    parts = population.by_arm(design)
    empty = [code for code, part in parts.items() if not part.n]
    if empty:
        raise InputError(
            f"{table}: arm(s) {empty} have no patient in {population.label!r} (n = {population.n}); every arm of "
            f"the design ({', '.join(design.codes)}) needs patients for a between-arm comparison"
        )
    return parts


def _arms_note(parts: Mapping[str, AnalysisSet], design: StudyDesign) -> str:
    """Patients per arm, in the design's order: ``"Active drug n = 34, Placebo n = 34 (control)"``."""
    control = design.require_control()
    return ", ".join(
        f"{design.label(code)} n = {part.n}{' (control)' if code == control else ''}" for code, part in parts.items()
    )


def _weeks(scored: pd.DataFrame, weeks: object, what: str) -> list[float]:
    """Weeks as floats, each a visit of the scored frame, in the order given, none twice."""
    values = [weeks] if isinstance(weeks, (int, float)) and not isinstance(weeks, bool) else weeks
    if not isinstance(values, Iterable) or isinstance(values, str):
        raise InputError(f"{what} must be a week or a sequence of weeks; got {weeks!r}")
    try:
        out = [float(w) for w in values]
    except (TypeError, ValueError):
        raise InputError(f"{what} must hold numbers (weeks); got {weeks!r}") from None
    if not out:
        raise InputError(f"{what} is empty: name at least one visit week")
    if len(set(out)) != len(out):
        raise InputError(f"{what} lists a week more than once; got {out}")
    present = set(pd.to_numeric(scored["week"]).astype(float))
    unknown = [w for w in out if w not in present]
    if unknown:
        raise InputError(f"{what}: week(s) {unknown} are not visits in the scored frame; visits: {sorted(present)}")
    return out


TOTAL = "all"
"""The ``arm`` of a tidy row that holds the total over the arms of a controlled trial."""

NO_BASELINE_TESTS_NOTE = (
    "No p-values compare the arms at baseline: with randomised allocation any baseline difference is due "
    "to chance, and CONSORT 2010 advises against such tests (Moher et al., BMJ 2010;340:c869, item 15)."
)


def _arm_groups(aset: AnalysisSet, design: StudyDesign | None) -> list[tuple[str, AnalysisSet]] | None:
    """The parts a controlled-trial table describes: ``(arm code, the set's patients in that arm)`` for
    each arm in the design's order, then ``("all", the whole set)``; None for a single-arm table.

    A table is by arm when a design with arms is given; without a design (None) it describes the set
    as one group, as a single-arm table does.

    Raises
    ------
    InputError
        If the design has arms but the set carries none, or the set carries arms but the design has
        none, or a patient's arm is not an arm of the design.
    """
    if design is None:
        return None
    if not design.controlled:
        if aset.controlled:
            raise InputError(
                f"analysis set {aset.name!r} carries arms ({', '.join(sorted(set(aset.arms)))}) but the "
                "design has none: pass the study's design (LoadedStudy.design)"
            )
        return None
    if not aset.controlled:
        raise InputError(
            f"the design has arms ({', '.join(design.codes)}) but analysis set {aset.name!r} carries none: "
            "build the set from the patients frame with its 'arm' column (axspa.analysis_sets.controlled_sets)"
        )
    return [*aset.by_arm(design).items(), (TOTAL, aset)]


def _arm_header(arm: str, n: int, design: StudyDesign | None) -> str:
    """A view column of a controlled-trial table: ``"Active drug (n = 40)"``, ``"Total (n = 80)"``."""
    if arm == TOTAL:
        name = "Total"
    else:
        name = design.label(arm) if design is not None and arm in design.codes else arm
    return f"{name} (n = {n})"


def _arm_headers(sizes: pd.DataFrame, design: StudyDesign | None) -> dict[str, tuple[str, int]]:
    """Arm code -> (view column header, n) for tidy rows giving each column's size as ``value``, in their order."""
    return {
        str(arm): (_arm_header(str(arm), int(n), design), int(n))
        for arm, n in zip(sizes["arm"], sizes["value"], strict=True)
    }


def _population_note(aset: AnalysisSet, design: StudyDesign) -> str:
    """The population of a controlled-trial table: the set, its definition and its size in each arm."""
    per_arm = "; ".join(f"{design.label(code)}, n = {part.n}" for code, part in aset.by_arm(design).items())
    return f"Population: {aset.describe()}. By arm: {per_arm}."


def _percent(k: float, n: int) -> float:
    """``100 k / n``; NaN for an empty group."""
    return 100.0 * k / n if n else np.nan
