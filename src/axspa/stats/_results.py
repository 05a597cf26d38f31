"""The result protocol of the statistics modules: :mod:`axspa.results`, re-exported for them."""

from __future__ import annotations

from axspa.results import HIDDEN, ConfidenceInterval, Result

__all__ = ["HIDDEN", "ConfidenceInterval", "Result"]
