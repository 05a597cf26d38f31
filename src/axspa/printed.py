"""Numbers as printed: decimals, rounding half away from zero, and matching a printed figure.

A published figure is kept as the string that was printed, so its precision is known:
"3.1" has one decimal, "28" none, "0.0156" four. A recomputed number matches it when,
rounded half away from zero (as SAS and most journals round;
:func:`axspa.stats.round_half_away`) to the same number of decimals, it gives the same digits.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from axspa.errors import InputError
from axspa.stats.descriptive import round_half_away

__all__ = ["decimals_of", "format_like", "matches_printed"]


def _parse(printed: str) -> Decimal:
    try:
        value = Decimal(printed.strip())
    except (InvalidOperation, AttributeError):
        raise InputError(
            f"printed figure must be a number written as text, such as '3.10'; got {printed!r}"
        ) from None
    if not value.is_finite():
        raise InputError(f"printed figure must be finite; got {printed!r}")
    return value


def decimals_of(printed: str) -> int:
    """Number of decimals of a printed figure, trailing zeros included.

    Examples
    --------
    >>> decimals_of("3.10"), decimals_of("28"), decimals_of("0.0156")
    (2, 0, 4)
    """
    exponent = _parse(printed).as_tuple().exponent
    return max(0, -int(exponent))


def format_like(value: float, printed: str) -> str:
    """Format ``value`` with the decimals of ``printed``.

    Examples
    --------
    >>> format_like(3.104, "3.1"), format_like(27.96, "28"), format_like(0.015625, "0.0156")
    ('3.1', '28', '0.0156')
    """
    return round_half_away(value, decimals_of(printed))


def matches_printed(value: float, printed: str) -> bool:
    """True if ``value`` rounds (half away from zero) to the printed figure.

    Examples
    --------
    >>> matches_printed(3.104, "3.1"), matches_printed(3.15, "3.1"), matches_printed(0.0078125, "0.0078")
    (True, False, True)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return Decimal(round_half_away(value, decimals_of(printed))) == _parse(printed)
