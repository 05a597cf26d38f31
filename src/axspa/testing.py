"""A pytest plugin for reproducing published results in your own test suite.

The plugin is opt-in: installing axspa does not load it into anyone's pytest runs. A project enables it in
its top-level ``conftest.py`` (the one at the root of its tests)::

    pytest_plugins = ["axspa.testing"]

or for one run with ``pytest -p axspa.testing``. It provides:

- the fixture ``thalidomide_2003``: the bundled reference study, loaded (a
  :class:`axspa.io.LoadedStudy`);
- the fixture ``thalidomide_2003_published``: its published figures, one row each;
- :func:`assert_printed`, which checks that a recomputed number matches a printed one at its
  printed precision (rounding half away from zero), with a failure message that shows both.

Examples
--------
>>> assert_printed(3.104, "3.1")
>>> assert_printed(0.0078125, "0.0078")
>>> assert_printed(3.16, "3.1")
Traceback (most recent call last):
...
AssertionError: 3.16 prints as 3.2 at the 1 decimal(s) of the published 3.1 (difference 0.06)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from axspa.printed import decimals_of, format_like, matches_printed

if TYPE_CHECKING:
    import pandas as pd

    from axspa.io import LoadedStudy

__all__ = ["assert_printed", "thalidomide_2003", "thalidomide_2003_published"]


def assert_printed(recomputed: float, printed: str, *, label: str | None = None) -> None:
    """Assert that ``recomputed`` rounds (half away from zero) to the figure ``printed``.

    Parameters
    ----------
    recomputed : float
        The number you computed, unrounded.
    printed : str
        The published figure exactly as printed ("3.10" keeps two decimals).
    label : str, optional
        Names the figure in the failure message.

    Raises
    ------
    AssertionError
        With the recomputed number, how it prints, the published figure and the difference.
    """
    __tracebackhide__ = True
    if matches_printed(recomputed, printed):
        return
    decimals = decimals_of(printed)
    shown = "nothing (not a number)" if recomputed != recomputed else format_like(recomputed, printed)
    where = f"{label}: " if label else ""
    raise AssertionError(
        f"{where}{recomputed!r} prints as {shown} at the {decimals} decimal(s) of the published {printed} "
        f"(difference {float(recomputed) - float(printed):.3g})"
    )


@pytest.fixture(scope="session")
def thalidomide_2003() -> LoadedStudy:
    """The bundled reference study (reconstructed patients; see its data README)."""
    from axspa.studies import thalidomide_2003 as reference

    return reference.load()


@pytest.fixture(scope="session")
def thalidomide_2003_published() -> pd.DataFrame:
    """The reference study's published figures, indexed by id, ``printed`` as printed."""
    from axspa.studies import thalidomide_2003 as reference

    return reference.published_figures()
