"""A study's own file, ``study.toml``: its design (arms, strata, schedule) and its own measures.

A controlled trial names its arms, the control arm, its stratification factors, its visit schedule
and its primary time point (all optional but the arms; see :class:`axspa.design.StudyDesign`)::

    [study]
    title = "Etanercept against placebo in axial spondyloarthritis"
    control = "placebo"               # the code of the control arm
    strata = ["prior_tnfi"]           # patient columns of the stratification factors
    schedule = [0, 2, 4, 8, 12, 16]   # nominal visit weeks; a visit at another week is an error
    baseline_week = 0
    primary_week = 16

    [arms.active]                     # one table per arm, in display order; the key is the arm code
    label = "Etanercept 50 mg weekly"

    [arms.placebo]
    label = "Placebo"

A schedule with visit windows, which assign dated visits to their nominal week
(:mod:`axspa.ingest.schedule`), is a ``[schedule]`` table instead of ``[study] schedule``::

    [schedule]
    weeks = [0, 2, 4, 8, 12, 16]      # nominal visit weeks
    window_days = 7                   # each window: 7 days either side of the week's target day 7w + 1

    [[schedule.visit]]                # optional: the window of one week, in study days (day 1 = reference date)
    week = 16
    target_day = 113                  # optional; 7w + 1 by default
    low = 99
    high = 127

Without ``window_days`` every week needs its ``[[schedule.visit]]``; without ``weeks`` the weeks are those
of the ``[[schedule.visit]]`` entries. ``[schedule] weeks = [...]`` alone is the list form: no windows.

A trial that collects, say, a physician global or an enthesitis score declares it once::

    [measures.physician_global]
    label = "Physician global assessment of disease activity"
    lower = 0
    upper = 10
    grid = 0.1
    direction = "lower_is_better"   # optional (the default); or "higher_is_better"
    unit = "0-10"                   # optional
    short = "Physician global"      # optional: the name shown in tables and figures

Each declared measure becomes a visit column, checked by the same column rules and messages as the
built-in measures (:mod:`axspa.ingest.columns`), and an entry of the study's own
:class:`~axspa.measures.MeasureRegistry`, through which the derive tier and the report find it. The
built-in registry is never changed.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from axspa.design import SINGLE_ARM, Arm, StudyDesign, VisitWindow, target_day
from axspa.errors import InputError
from axspa.measures import REGISTRY, Direction, Measure, MeasureKind, MeasureRegistry

__all__ = [
    "STUDY_FILE",
    "parse_study_design",
    "parse_study_measures",
    "read_study_file",
    "study_file_text",
    "study_registry",
]

STUDY_FILE = "study.toml"
"""The name of a study's own file in its folder."""

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = {"label", "lower", "upper", "grid", "direction", "unit", "short"}
_TABLES = {"study", "arms", "measures", "schedule"}
_SCHEDULE_KEYS = {"weeks", "window_days", "visit"}
_VISIT_KEYS = {"week", "target_day", "low", "high"}
_STUDY_KEYS = {"title", "control", "strata", "schedule", "baseline_week", "primary_week"}


def parse_study_design(table: Mapping[str, object], *, source: str = STUDY_FILE) -> StudyDesign:
    """The design declared in the ``[study]`` and ``[arms.CODE]`` tables of a study file.

    Parameters
    ----------
    table : mapping
        The parsed TOML document.
    source : str
        The file name, for messages.

    Returns
    -------
    StudyDesign
        :data:`~axspa.design.SINGLE_ARM` (with the schedule and weeks, when given) if no arms are declared.

    Raises
    ------
    InputError
        For an unknown table or key, an arm without a label, a single arm, a control arm that is not
        declared, a stratum that is not a column name, a schedule that is not a list of increasing
        weeks, a schedule given twice (``[study] schedule`` and ``[schedule]``), or a visit window that
        is not whole study days with ``low <= target_day <= high``; the message names the file, the
        table and the key.

    Examples
    --------
    >>> d = parse_study_design({"study": {"control": "placebo", "primary_week": 16, "schedule": [0, 8, 16]},
    ...                         "arms": {"active": {"label": "Active drug"}, "placebo": {"label": "Placebo"}}})
    >>> d.codes, d.control, d.primary_week, d.arm_labels["active"]
    (('active', 'placebo'), 'placebo', 16.0, 'Active drug')
    """
    unknown = sorted(set(table) - _TABLES)
    if unknown:
        raise InputError(f"{source}: unknown table(s) {', '.join(unknown)}; expected {', '.join(sorted(_TABLES))}")
    study = table.get("study", {})
    arms = table.get("arms", {})
    if not isinstance(study, Mapping) or not isinstance(arms, Mapping):
        raise InputError(f"{source}: [study] and [arms] must be tables; got {study!r} and {arms!r}")
    bad_keys = sorted(set(study) - _STUDY_KEYS)
    if bad_keys:
        raise InputError(
            f"{source}: [study] has unknown key(s) {', '.join(bad_keys)}; expected {', '.join(sorted(_STUDY_KEYS))}"
        )
    declared = []
    for code, spec in arms.items():
        where = f"{source}: [arms.{code}]"
        if not isinstance(spec, Mapping) or set(spec) != {"label"}:
            raise InputError(f"{where} must hold exactly one key, label; got {spec!r}")
        try:
            declared.append(Arm(code=code, label=str(spec["label"])))
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
    strata = study.get("strata", [])
    if not isinstance(strata, list) or not all(isinstance(s, str) and _NAME.match(s) for s in strata):
        raise InputError(
            f"{source}: [study] strata must be a list of patient column names (lower case); got {strata!r}"
        )
    schedule = study.get("schedule", [])
    if not isinstance(schedule, list):
        raise InputError(f"{source}: [study] schedule must be a list of weeks; got {schedule!r}")
    windows: tuple[VisitWindow, ...] = ()
    if "schedule" in table:
        if "schedule" in study:
            raise InputError(
                f"{source}: the visit schedule is given twice, as [study] schedule and as a [schedule] table; "
                "give it once"
            )
        schedule, windows = _schedule(table["schedule"], source)
    where = f"{source}: [study]"
    weeks = {k: _number(where, k, study[k]) for k in ("baseline_week", "primary_week") if k in study}
    control = study.get("control")
    if control is not None and not isinstance(control, str):
        raise InputError(f"{where} control must be the code of an arm, as text; got {control!r}")
    if control is not None and not declared:
        raise InputError(f"{where} names control {control!r} but declares no arms; add [arms.CODE] tables")
    title = study.get("title")
    try:
        return StudyDesign(
            arms=tuple(declared),
            control=control,
            strata=tuple(strata),
            schedule=tuple(_number(where, "schedule", w) for w in schedule),
            windows=windows,
            baseline_week=weeks.get("baseline_week"),
            primary_week=weeks.get("primary_week"),
            title=None if title is None else str(title),
            declared=bool(declared),
        )
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None


def _schedule(spec: object, source: str) -> tuple[list[float], tuple[VisitWindow, ...]]:
    """The weeks and the windows of a ``[schedule]`` table (see the module's docstring)."""
    where = f"{source}: [schedule]"
    if not isinstance(spec, Mapping):
        raise InputError(f"{where} must be a table with weeks, window_days or [[schedule.visit]]; got {spec!r}")
    unknown = sorted(set(spec) - _SCHEDULE_KEYS)
    if unknown:
        raise InputError(
            f"{where} has unknown key(s) {', '.join(unknown)}; expected {', '.join(sorted(_SCHEDULE_KEYS))}"
        )
    entries = spec.get("visit", [])
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        raise InputError(f"{source}: [[schedule.visit]] must be tables of week, target_day, low, high; got {entries!r}")
    given: dict[float, VisitWindow] = {}
    for i, entry in enumerate(entries, start=1):
        at = f"{source}: [[schedule.visit]] number {i}"
        missing = [k for k in ("week", "low", "high") if k not in entry]
        extra = sorted(set(entry) - _VISIT_KEYS)
        if missing or extra:
            problem = f"lacks {', '.join(missing)}" if missing else f"has unknown key(s) {', '.join(extra)}"
            raise InputError(f"{at} {problem}; expected keys: week, low, high and optionally target_day")
        week = _number(at, "week", entry["week"])
        if week in given:
            raise InputError(f"{at}: week {week:g} has a window already")
        try:
            given[week] = VisitWindow(week, entry.get("target_day", target_day(week)), entry["low"], entry["high"])
        except InputError as exc:
            raise InputError(f"{at}: {exc}") from None
    if "weeks" in spec:
        weeks = spec["weeks"]
        if not isinstance(weeks, list) or not weeks:
            raise InputError(f"{where} weeks must be a non-empty list of weeks; got {weeks!r}")
        weeks = [_number(where, "weeks", w) for w in weeks]
    elif given:
        weeks = sorted(given)
    else:
        raise InputError(f"{where} needs weeks (a list of nominal weeks) or [[schedule.visit]] tables")
    stray = [w for w in given if w not in weeks]
    if stray:
        raise InputError(f"{source}: [[schedule.visit]] week {stray[0]:g} is not one of the weeks {weeks}")
    days = spec.get("window_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        raise InputError(f"{where} window_days must be a whole number of days >= 0; got {days!r}")
    if days is None and not given:
        return weeks, ()
    windows = []
    for week in weeks:
        if week in given:
            windows.append(given[week])
        elif days is not None:
            windows.append(VisitWindow.around(week, days))
        else:
            raise InputError(f"{where}: week {week:g} has no window; give window_days or a [[schedule.visit]] for it")
    return weeks, tuple(windows)


def parse_study_measures(table: Mapping[str, object], *, source: str = STUDY_FILE) -> tuple[Measure, ...]:
    """The measures declared in the ``[measures]`` table of a study file.

    Parameters
    ----------
    table : mapping
        The parsed TOML document (only its ``measures`` table is read).
    source : str
        The file name, for messages.

    Returns
    -------
    tuple of Measure
        One entry of kind ``study`` per declared measure, in file order.

    Raises
    ------
    InputError
        For a bad name, a missing or unknown key, a non-numeric or empty range, a grid that is not
        positive, or an unknown direction; the message names the file, the measure and the key.

    Examples
    --------
    >>> m, = parse_study_measures({"measures": {"mri_sij": {"label": "SPARCC MRI sacroiliac joint score",
    ...     "lower": 0, "upper": 72, "grid": 1, "short": "SPARCC SIJ"}}})
    >>> m.name, m.range_text(), m.grid, m.kind.value, m.display
    ('mri_sij', '[0, 72]', 1.0, 'study', 'SPARCC SIJ')
    """
    declared = table.get("measures", {})
    if not isinstance(declared, Mapping):
        raise InputError(f"{source}: [measures] must be a table of measures; got {declared!r}")
    out = []
    for name, spec in declared.items():
        where = f"{source}: [measures.{name}]"
        if not _NAME.match(name):
            raise InputError(f"{where}: a measure name must be lower-case letters, digits and _; got {name!r}")
        if not isinstance(spec, Mapping):
            raise InputError(f"{where} must be a table with label, lower, upper and grid; got {spec!r}")
        missing = [k for k in ("label", "lower", "upper", "grid") if k not in spec]
        unknown = sorted(set(spec) - _KEYS)
        if missing or unknown:
            problem = f"lacks {', '.join(missing)}" if missing else f"has unknown key(s) {', '.join(unknown)}"
            raise InputError(f"{where} {problem}; expected keys: {', '.join(sorted(_KEYS))}")
        lower, upper, grid = (_number(where, key, spec[key]) for key in ("lower", "upper", "grid"))
        if not lower < upper:
            raise InputError(f"{where}: lower must be below upper; got lower {lower:g}, upper {upper:g}")
        if not grid > 0:
            raise InputError(f"{where}: grid must be positive; got {grid:g}")
        direction = spec.get("direction", Direction.LOWER_IS_BETTER.value)
        if direction not in tuple(Direction):
            raise InputError(f"{where}: direction must be one of {', '.join(Direction)}; got {direction!r}")
        out.append(
            Measure(
                name=name,
                label=str(spec["label"]),
                unit=str(spec.get("unit", "")),
                lower=lower,
                upper=upper,
                grid=grid,
                direction=Direction(direction),
                source=source,
                kind=MeasureKind.STUDY,
                short=str(spec.get("short", "")),
            )
        )
    return tuple(out)


def _number(where: str, key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{where}: {key} must be a finite number; got {value!r}")
    return float(value)


def read_study_file(folder: str | Path) -> tuple[MeasureRegistry, StudyDesign]:
    """The registry and the design of a study folder (the built-ins and :data:`SINGLE_ARM` without a study file).

    Raises
    ------
    InputError
        If the study file is not valid TOML, or declares its design or a measure badly (see
        :func:`parse_study_design`, :func:`study_registry`).
    """
    path = Path(folder) / STUDY_FILE
    if not path.exists():
        return REGISTRY, SINGLE_ARM
    return study_registry(folder), parse_study_design(_read(path), source=STUDY_FILE)


def _read(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{STUDY_FILE} of {path.parent.name!r} is not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{STUDY_FILE} of {path.parent.name!r} is not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise InputError(f"cannot read {STUDY_FILE} of {path.parent.name!r}: {exc.strerror or exc}") from None


def study_registry(folder: str | Path) -> MeasureRegistry:
    """The registry of a study folder: the built-in measures plus those its ``study.toml`` declares.

    Returns the built-in :data:`~axspa.measures.REGISTRY` itself when the folder has no study file.

    Raises
    ------
    InputError
        If the study file is not valid TOML, declares a measure badly, or declares a name that is
        already registered.
    """
    path = Path(folder) / STUDY_FILE
    if not path.exists():
        return REGISTRY
    measures = parse_study_measures(_read(path), source=STUDY_FILE)
    taken = [m.name for m in measures if m.name in REGISTRY or REGISTRY.label(m.name) != m.name]
    if taken:
        raise InputError(f"{STUDY_FILE}: measure {taken[0]!r} is already a built-in measure; choose another name")
    return REGISTRY.with_measures(measures)


def study_file_text(registry: MeasureRegistry, design: StudyDesign = SINGLE_ARM) -> str:
    """The ``study.toml`` text that declares a study's design and its own measures (empty if neither).

    :func:`parse_study_design` and :func:`parse_study_measures` read it back to the same design and
    measures (a design read from the data's ``arm`` column is written as declared, labels included).

    Examples
    --------
    >>> m, = parse_study_measures({"measures": {"mri_sij": {"label": "SPARCC SIJ", "lower": 0, "upper": 72,
    ...     "grid": 1}}})
    >>> print(study_file_text(REGISTRY.with_measures([m])))
    [measures.mri_sij]
    label = "SPARCC SIJ"
    lower = 0.0
    upper = 72.0
    grid = 1.0
    direction = "lower_is_better"
    <BLANKLINE>
    """
    blocks = _design_blocks(design)
    for m in registry.values():
        if m.kind is not MeasureKind.STUDY:
            continue
        lines = [f"[measures.{m.name}]", f"label = {json.dumps(m.label)}"]
        lines += [f"short = {json.dumps(m.short)}"] if m.short else []
        lines += [f"unit = {json.dumps(m.unit)}"] if m.unit else []
        lines += [f"lower = {m.lower!r}", f"upper = {m.upper!r}", f"grid = {m.grid!r}"]
        lines.append(f"direction = {json.dumps(m.direction.value)}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _design_blocks(design: StudyDesign) -> list[str]:
    study = []
    if design.title is not None:
        study.append(f"title = {json.dumps(design.title)}")
    if design.control is not None:
        study.append(f"control = {json.dumps(design.control)}")
    if design.strata:
        study.append(f"strata = {json.dumps(list(design.strata))}")
    if design.schedule and not design.windows:
        study.append(f"schedule = [{', '.join(repr(w) for w in design.schedule)}]")
    for key in ("baseline_week", "primary_week"):
        week = getattr(design, key)
        if week is not None:
            study.append(f"{key} = {week!r}")
    blocks = ["[study]\n" + "\n".join(study) + "\n"] if study else []
    if design.windows:
        blocks.append(f"[schedule]\nweeks = [{', '.join(repr(w) for w in design.schedule)}]\n")
        blocks += [
            f"[[schedule.visit]]\nweek = {w.week!r}\ntarget_day = {w.target_day}\nlow = {w.low}\nhigh = {w.high}\n"
            for w in design.windows
        ]
    blocks += [f"[arms.{arm.code}]\nlabel = {json.dumps(arm.label)}\n" for arm in design.arms]
    return blocks
