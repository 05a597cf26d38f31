"""The one protocol every public result object follows, and the confidence interval results return.

A result is a frozen dataclass (slotted where the class allows) that inherits from :class:`Result`:

- ``to_frame()``: its public fields as a one-row DataFrame, full precision (a class whose content is
  naturally a table, such as an analysis set or a report table, returns that table instead);
- ``repr()``: compact, whatever the size of the study (long sequences and frames are summarised, never
  listed: under 2,000 characters for a 3,000-patient study);
- ``_repr_html_()``: the same summary as an HTML table for notebooks.

Fields whose metadata carries ``{"frame": False}`` (:data:`HIDDEN`, for example the stored sample a
result needs for its methods) are left out of the frame and of the repr.
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["HIDDEN", "ConfidenceInterval", "Result", "compact"]

HIDDEN: dict[str, bool] = {"frame": False}
"""Field metadata that keeps a field out of ``to_frame()`` and the repr."""

_MAX_ITEMS = 6
_MAX_TEXT = 160


def compact(value: Any) -> str:
    """A short text for one field value: numbers to 6 significant digits, long collections summarised.

    Examples
    --------
    >>> compact(0.0078125), compact(("A", "B")), compact(tuple(f"P{i}" for i in range(3000)))
    ('0.0078125', "('A', 'B')", "3000 items ('P0', 'P1', 'P2', ..., 'P2999')")
    """
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, float | np.floating):
        v = float(value)
        if math.isnan(v) or math.isinf(v) or v == 0.0:
            return str(v)
        return f"{v:.6g}"
    if isinstance(value, pd.DataFrame):
        return f"DataFrame({value.shape[0]} rows x {value.shape[1]} columns)"
    if isinstance(value, pd.Series):
        return f"Series({len(value)} values, name={value.name!r})"
    if isinstance(value, np.ndarray):
        if value.size <= _MAX_ITEMS:
            return np.array2string(value, separator=", ")
        return f"array(shape={value.shape}, dtype={value.dtype})"
    if isinstance(value, Result):
        return f"{type(value).__name__}(...)"
    if isinstance(value, Mapping):
        if len(value) <= _MAX_ITEMS:
            return "{" + ", ".join(f"{k!r}: {compact(v)}" for k, v in value.items()) + "}"
        return f"{len(value)} entries ({', '.join(map(repr, list(value)[:3]))}, ...)"
    if isinstance(value, list | tuple):
        if len(value) <= _MAX_ITEMS:
            text = repr(value)
        else:
            head = ", ".join(compact(v) for v in value[:3])
            text = f"{len(value)} items ({head}, ..., {compact(value[-1])})"
        return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3] + "..."
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3] + "..."


class Result:
    """Mixin of the result protocol for frozen dataclasses (see the module docstring)."""

    __slots__ = ()

    def _public_items(self) -> list[tuple[str, Any]]:
        fields = dataclasses.fields(self)  # type: ignore[arg-type]
        return [(f.name, getattr(self, f.name)) for f in fields if f.metadata.get("frame", True)]

    def to_dict(self) -> dict[str, Any]:
        """The public fields as a dict (full precision)."""
        return dict(self._public_items())

    def to_frame(self) -> pd.DataFrame:
        """The public fields as a one-row DataFrame (full precision)."""
        return pd.DataFrame([self.to_dict()])

    def _summary_items(self) -> list[tuple[str, str]]:
        """(name, compact text) pairs shown by the repr and the HTML view."""
        return [(k, compact(v)) for k, v in self._public_items()]

    def __repr__(self) -> str:
        items = ", ".join(f"{k}={v}" for k, v in self._summary_items())
        return f"{type(self).__name__}({items})"

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in self._summary_items())
        return f"<table><caption>{html.escape(type(self).__name__)}</caption><tbody>{rows}</tbody></table>"


@dataclass(frozen=True, slots=True, repr=False)
class ConfidenceInterval(Result):
    """A two-sided confidence interval, as scipy returns one: ``low, high = result.confidence_interval()``.

    Attributes
    ----------
    low, high : float
        The limits (-inf or inf where a side is unbounded).
    confidence_level : float
        The requested level.
    method : str
        How the interval was obtained.

    Examples
    --------
    >>> ci = ConfidenceInterval(0.44, 0.97, 0.95, "Clopper-Pearson")
    >>> low, high = ci
    >>> (low, high), ci.contains(0.5), ci.contains(0.4)
    ((0.44, 0.97), True, False)
    """

    low: float
    high: float
    confidence_level: float
    method: str

    def __iter__(self) -> Iterator[float]:
        yield self.low
        yield self.high

    def contains(self, value: float) -> bool:
        """Whether ``low <= value <= high``."""
        return bool(self.low <= value <= self.high)
