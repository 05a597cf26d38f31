"""Shared behaviour of the result classes: ``to_frame()`` and a readable ``repr``.

Result classes are frozen dataclasses that inherit from :class:`Result`. Fields whose
metadata carries ``{"frame": False}`` (for example the stored sample a result needs for
its methods) are left out of the frame and of the repr.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

HIDDEN: dict[str, bool] = {"frame": False}


def _show(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, float | np.floating):
        v = float(value)
        if math.isnan(v) or math.isinf(v) or v == 0.0:
            return str(v)
        return f"{v:.6g}"
    return repr(value) if isinstance(value, str) else str(value)


class Result:
    """Mixin for frozen result dataclasses."""

    def _public_items(self) -> list[tuple[str, Any]]:
        fields = dataclasses.fields(self)  # type: ignore[arg-type]
        return [(f.name, getattr(self, f.name)) for f in fields if f.metadata.get("frame", True)]

    def to_dict(self) -> dict[str, Any]:
        """The public fields as a dict (full precision)."""
        return dict(self._public_items())

    def to_frame(self) -> pd.DataFrame:
        """The public fields as a one-row DataFrame (full precision)."""
        return pd.DataFrame([self.to_dict()])

    def __repr__(self) -> str:
        items = ", ".join(f"{k}={_show(v)}" for k, v in self._public_items())
        return f"{type(self).__name__}({items})"


@dataclass(frozen=True, repr=False)
class ConfidenceInterval(Result):
    """A two-sided confidence interval: ``low, high = result.confidence_interval()``.

    Attributes
    ----------
    low, high : float
        The limits (-inf or inf where a side is unbounded).
    confidence_level : float
        The requested level.
    method : str
        How the interval was obtained.
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
