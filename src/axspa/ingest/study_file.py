"""A study's own file, ``study.toml``: the measures a study declares beside the built-in ones.

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

from axspa.errors import InputError
from axspa.measures import REGISTRY, Direction, Measure, MeasureKind, MeasureRegistry

__all__ = ["STUDY_FILE", "parse_study_measures", "study_file_text", "study_registry"]

STUDY_FILE = "study.toml"
"""The name of a study's own file in its folder."""

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = {"label", "lower", "upper", "grid", "direction", "unit", "short"}


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
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{STUDY_FILE} of {Path(folder).name!r} is not valid TOML: {exc}") from None
    measures = parse_study_measures(document, source=STUDY_FILE)
    taken = [m.name for m in measures if m.name in REGISTRY or REGISTRY.label(m.name) != m.name]
    if taken:
        raise InputError(f"{STUDY_FILE}: measure {taken[0]!r} is already a built-in measure; choose another name")
    return REGISTRY.with_measures(measures)


def study_file_text(registry: MeasureRegistry) -> str:
    """The ``study.toml`` text that declares a registry's study measures (empty if it has none).

    :func:`parse_study_measures` reads it back to the same measures.

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
    blocks = []
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
