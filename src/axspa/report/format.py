"""Display formatting of report numbers: rounding half away from zero, only for display.

Rounding itself is :func:`axspa.stats.round_half_away`; this module only decides how many digits each kind of
number gets and writes them as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from axspa.io import LoadedStudy

import math

from axspa.stats import round_half_away

__all__ = ["P_DIGITS", "ROUNDING_NOTE", "fmt_count_pct", "fmt_num", "fmt_p"]

P_DIGITS = 4
"""Decimals of a p-value in a view (the reference paper prints 0.0156)."""

ROUNDING_NOTE = (
    "Numbers are computed unrounded; only the displayed values are rounded, half away from zero "
    f"(as SAS does, not Python's round-half-to-even); means and SDs to the digits shown, percentages to "
    f"1 decimal, p-values to {P_DIGITS} decimals. The CSV files of the tables hold the unrounded values."
)


def fmt_num(x: float | None, digits: int | None) -> str:
    """``x`` rounded half away from zero to ``digits`` decimals; ``None`` digits: as short as exact.

    Missing or non-finite values are written ``"-"``.

    Examples
    --------
    >>> fmt_num(2.345, 2), fmt_num(-0.125, 2), fmt_num(24.0, None), fmt_num(float("nan"), 1)
    ('2.35', '-0.13', '24', '-')
    """
    if x is None or not math.isfinite(float(x)):
        return "-"
    if digits is None:
        return f"{float(x):g}"
    return round_half_away(float(x), digits)


def fmt_count_pct(k: int, n: int, digits: int = 1) -> str:
    """``"k (p%)"`` with the percent of ``n``.

    Examples
    --------
    >>> fmt_count_pct(8, 10), fmt_count_pct(1, 8), fmt_count_pct(0, 0)
    ('8 (80.0%)', '1 (12.5%)', '0 (-)')
    """
    return f"{k} ({fmt_num(100.0 * k / n, digits)}%)" if n else f"{k} (-)"


def fmt_p(p: float | None) -> str:
    """A p-value to :data:`P_DIGITS` decimals, ``"<0.0001"`` below that.

    Examples
    --------
    >>> fmt_p(0.015625), fmt_p(0.0078125), fmt_p(0.00001), fmt_p(1.0)
    ('0.0156', '0.0078', '<0.0001', '1.0000')
    """
    if p is None or not math.isfinite(float(p)):
        return "-"
    if p < 10.0**-P_DIGITS:
        return f"<{10.0**-P_DIGITS:.{P_DIGITS}f}"
    return fmt_num(p, P_DIGITS)


def loading_notes(study: LoadedStudy) -> list[str]:
    """Sentences for a report's methods on what loading left out or changed: excluded rows, values set missing."""
    notes = []
    if len(study.exclusions):
        notes.append(f"{len(study.excluded_rows)} input row(s) were excluded at loading; see the Data section.")
    if len(study.set_missing):
        notes.append(
            f"{len(study.set_missing)} input value(s) were set missing at loading (lenient loading with "
            "on_invalid = missing), their rows kept; see the Data section."
        )
    return notes
