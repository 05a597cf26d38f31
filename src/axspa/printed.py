"""Numbers as printed: one parser for a published figure, its precision, and matching it.

A published figure is kept as the string that was printed, so its precision is known: "3.10" has
two decimals, "3.1" one, "28" none. :func:`parse_reported` is the one parser of such a string; it
gives a :class:`ReportedNumber` with the exact value (a :class:`fractions.Fraction`, so no binary
floating-point error can turn a consistent figure into an inconsistent one or back) and the printed
decimals. On top of it:

- the reproduction side: :func:`decimals_of`, :func:`format_like` and :func:`matches_printed`, where a
  recomputed number matches a printed one when, rounded half away from zero (as SAS and most journals
  round; :func:`axspa.stats.round_half_away`) to the same number of decimals, it gives the same value;
- the forensics side: :meth:`ReportedNumber.interval`, the true values that print as the figure under
  each rounding convention, and :func:`resolve_rounding`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from axspa.errors import InputError
from axspa.stats.descriptive import round_half_away

__all__ = [
    "ROUNDING_CONVENTIONS",
    "Interval",
    "ReportedNumber",
    "check_n",
    "decimals_of",
    "format_like",
    "matches_printed",
    "parse_reported",
    "resolve_rounding",
    "to_fraction",
]

ROUNDING_CONVENTIONS: tuple[str, ...] = ("half_up", "half_down", "half_even", "truncate")
"""The elementary conventions by which a true value may have become its printed figure.

``half_up`` rounds ties away from zero (SAS, Excel, most hand rounding); ``half_down`` rounds
ties toward zero; ``half_even`` rounds ties to the even digit (Python's ``round``, IEEE);
``truncate`` drops the digits beyond the printed precision (toward zero).
"""

_GROUPS: dict[str, tuple[str, ...]] = {
    "nearest": ("half_up", "half_down", "half_even"),
    "any": ROUNDING_CONVENTIONS,
}

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class Interval:
    """An interval of the real line with exact rational end points.

    Attributes
    ----------
    lo, hi : Fraction
        End points.
    lo_closed, hi_closed : bool
        Whether each end point belongs to the interval.
    """

    lo: Fraction
    hi: Fraction
    lo_closed: bool = True
    hi_closed: bool = True

    def __contains__(self, x: object) -> bool:
        if not isinstance(x, (int, float, Fraction)):
            return False
        v = Fraction(x)
        above = v >= self.lo if self.lo_closed else v > self.lo
        below = v <= self.hi if self.hi_closed else v < self.hi
        return above and below

    def scaled(self, factor: Fraction) -> Interval:
        """The interval multiplied by a positive factor."""
        return Interval(self.lo * factor, self.hi * factor, self.lo_closed, self.hi_closed)

    def integers(self) -> tuple[int, int] | None:
        """The first and last integer inside the interval, or None if it holds none."""
        first = math.ceil(self.lo) if self.lo_closed else math.floor(self.lo) + 1
        last = math.floor(self.hi) if self.hi_closed else math.ceil(self.hi) - 1
        return (first, last) if first <= last else None

    def squared(self) -> Interval:
        """The image of the non-negative part of the interval under x -> x**2."""
        lo, lo_closed = (self.lo, self.lo_closed) if self.lo > 0 else (Fraction(0), True)
        return Interval(lo * lo, self.hi * self.hi, lo_closed, self.hi_closed)

    def __str__(self) -> str:
        left = "[" if self.lo_closed else "("
        right = "]" if self.hi_closed else ")"
        return f"{left}{float(self.lo):.10g}, {float(self.hi):.10g}{right}"


@dataclass(frozen=True)
class ReportedNumber:
    """A number as printed in a publication.

    Attributes
    ----------
    text : str
        The printed figure, as given.
    value : Fraction
        Its exact value.
    decimals : int
        Number of printed decimals ("3.10" -> 2, "28" -> 0).
    """

    text: str
    value: Fraction
    decimals: int

    @property
    def unit(self) -> Fraction:
        """One unit in the last printed digit (0.01 for "3.10")."""
        return Fraction(1, 10**self.decimals)

    def interval(self, convention: str) -> Interval:
        """The true values that print as ``text`` under one elementary rounding convention.

        Parameters
        ----------
        convention : {"half_up", "half_down", "half_even", "truncate"}

        Examples
        --------
        >>> r = parse_reported("3.10", argument="mean")
        >>> print(r.interval("half_up"), r.interval("half_even"), r.interval("truncate"))
        [3.095, 3.105) [3.095, 3.105] [3.1, 3.11)
        """
        u = self.unit
        h = u / 2
        v = self.value
        sign = (v > 0) - (v < 0)
        if convention == "truncate":
            if sign > 0:
                return Interval(v, v + u, True, False)
            if sign < 0:
                return Interval(v - u, v, False, True)
            return Interval(-u, u, False, False)
        if convention == "half_even":
            even = (v / u).numerator % 2 == 0
            return Interval(v - h, v + h, even, even)
        if convention in ("half_up", "half_down"):
            away = convention == "half_up"
            # The tie on the side away from zero belongs to v under half_up, the one toward zero
            # under half_down; at zero both ties round away from it.
            if sign == 0:
                return Interval(-h, h, not away, not away)
            outer_closed = not away
            inner_closed = away
            if sign > 0:
                return Interval(v - h, v + h, inner_closed, outer_closed)
            return Interval(v - h, v + h, outer_closed, inner_closed)
        raise InputError(f"rounding convention must be one of {', '.join(ROUNDING_CONVENTIONS)}; got {convention!r}")

    def __str__(self) -> str:
        return self.text


def parse_reported(text: object, *, argument: str, nonnegative: bool = False) -> ReportedNumber:
    """Parse a printed figure given as a string.

    Parameters
    ----------
    text : str
        The figure as printed, e.g. ``"3.10"``. Floats are refused: ``3.10`` and ``3.1`` are the
        same float but different printed figures.
    argument : str
        Name of the caller's argument, for error messages.
    nonnegative : bool
        Refuse negative figures (standard deviations, p-values).

    Raises
    ------
    InputError
        If ``text`` is not a string holding a plain decimal number.

    Examples
    --------
    >>> parse_reported("0.0156", argument="p")
    ReportedNumber(text='0.0156', value=Fraction(39, 2500), decimals=4)
    """
    if not isinstance(text, str):
        raise InputError(
            f"{argument} must be the figure as printed, given as a string (e.g. '3.10'), so that trailing "
            f"zeros keep their meaning; got {text!r} of type {type(text).__name__}"
        )
    s = text.strip()
    if not _NUMBER.match(s):
        raise InputError(f"{argument} must be a plain decimal number such as '3.10'; got {text!r}")
    try:
        d = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern above only lets decimals through
        raise InputError(f"{argument} must be a plain decimal number; got {text!r}") from None
    if nonnegative and d < 0:
        raise InputError(f"{argument} must be non-negative; got {text!r}")
    exponent = d.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return ReportedNumber(text=s, value=Fraction(d), decimals=decimals)


def resolve_rounding(rounding: str | Sequence[str], *, argument: str = "rounding") -> tuple[str, ...]:
    """Expand a rounding argument into elementary conventions.

    ``"nearest"`` (any round-to-nearest rule: half up, half down or half even) and ``"any"``
    (those and truncation) are groups; an elementary name or a sequence of names is taken as is.

    Examples
    --------
    >>> resolve_rounding("nearest")
    ('half_up', 'half_down', 'half_even')
    >>> resolve_rounding(["truncate"])
    ('truncate',)
    """
    names = [rounding] if isinstance(rounding, str) else list(rounding)
    out: list[str] = []
    for name in names:
        expanded = _GROUPS.get(name, (name,)) if isinstance(name, str) else (name,)
        for conv in expanded:
            if conv not in ROUNDING_CONVENTIONS:
                raise InputError(
                    f"{argument} must be 'nearest', 'any' or one or more of "
                    f"{', '.join(ROUNDING_CONVENTIONS)}; got {name!r}"
                )
            if conv not in out:
                out.append(conv)
    if not out:
        raise InputError(f"{argument} must name at least one rounding convention; got {rounding!r}")
    return tuple(out)


def to_fraction(value: object, *, argument: str, positive: bool = False) -> Fraction:
    """Convert a grid step or bound given as str, int, float or Fraction to an exact Fraction.

    Floats go through their shortest decimal representation, so ``0.1`` becomes 1/10.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Fraction, Decimal)):
        raise InputError(f"{argument} must be a number; got {value!r}")
    try:
        f = Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)
    except (ValueError, InvalidOperation, ZeroDivisionError, OverflowError):
        raise InputError(f"{argument} must be a finite number; got {value!r}") from None
    if positive and f <= 0:
        raise InputError(f"{argument} must be positive; got {value!r}")
    return f


def check_n(n: object, *, argument: str = "n", minimum: int = 1) -> int:
    """Check a sample size: an int of at least ``minimum``."""
    if isinstance(n, bool) or not isinstance(n, int) or n < minimum:
        raise InputError(f"{argument} must be an integer >= {minimum}; got {n!r}")
    return n


# --------------------------------------------------------------------------------------------------
# A recomputed number against a printed one
# --------------------------------------------------------------------------------------------------


def decimals_of(printed: str) -> int:
    """Number of decimals of a printed figure, trailing zeros included.

    Raises
    ------
    InputError
        If ``printed`` is not a string holding a plain decimal number.

    Examples
    --------
    >>> decimals_of("3.10"), decimals_of("28"), decimals_of("0.0156")
    (2, 0, 4)
    """
    return parse_reported(printed, argument="printed figure").decimals


def format_like(value: float, printed: str) -> str:
    """Format ``value`` with the decimals of ``printed``, rounding half away from zero.

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
    figure = parse_reported(printed, argument="printed figure")
    return Fraction(Decimal(round_half_away(value, figure.decimals))) == figure.value
