"""Display names of columns in tables and figures: one function, :func:`label_of`, reading the registry."""

from __future__ import annotations

from axspa.measures import MeasureRegistry
from axspa.measures import label as registry_label

__all__ = ["label_of"]


def label_of(column: str, registry: MeasureRegistry | None = None) -> str:
    """Display name of a column, from the measure registry (:func:`axspa.measures.label`)."""
    return registry_label(column, registry)
