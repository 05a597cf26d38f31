"""The :class:`Table` object every table builder returns: tidy numbers plus a formatted view.

The tidy frame (``Table.data``) holds one statistic per row, unrounded, with the population,
its denominator, the imputation and the method that produced it; nothing in it is rounded.
The view (``Table.view``) is the same numbers formatted for reading; rounding happens only there.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from axspa.results import Result

__all__ = ["TIDY_COLUMNS", "Table", "tidy_frame"]

TIDY_COLUMNS: tuple[str, ...] = (
    "table",
    "variable",
    "level",
    "week",
    "statistic",
    "value",
    "population",
    "arm",
    "denominator",
    "imputation",
    "method",
)
"""Columns of every table's tidy frame, in order. ``arm`` is empty in a single-arm study; in a
controlled trial it holds the arm code of a per-arm statistic, ``"all"`` for the total over the arms,
and ``"<arm> vs <control>"`` (codes) for a between-arm comparison."""

_REPR_ROWS = 12
_REPR_CHARS = 1400


def tidy_frame(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """Build a tidy frame from row dicts, with the standard columns and dtypes."""
    frame = pd.DataFrame(list(rows), columns=list(TIDY_COLUMNS))
    frame["value"] = pd.to_numeric(frame["value"]).astype(float)
    frame["week"] = pd.to_numeric(frame["week"]).astype(float)
    frame["denominator"] = pd.to_numeric(frame["denominator"]).astype("Int64")
    for c in ("table", "variable", "level", "statistic", "population", "arm", "imputation", "method"):
        frame[c] = frame[c].astype(object).where(frame[c].notna(), "").astype(str)
    return frame


@dataclass(frozen=True, eq=False, slots=True, repr=False)
class Table(Result):
    """A report table.

    Attributes
    ----------
    name : str
        Machine name (also the CSV file name in a written report).
    title : str
        Caption.
    data : DataFrame
        Tidy, unrounded: one statistic per row with the columns :data:`TIDY_COLUMNS`.
    view : DataFrame
        Formatted strings for reading (rounded half away from zero).
    notes : tuple of str
        Footnotes: population and denominator, imputation, methods and test conventions.
    meta : mapping of str to str
        Short labels for figure titles (``"test"``: the test convention in a few words).
    """

    name: str
    title: str
    data: pd.DataFrame
    view: pd.DataFrame
    notes: tuple[str, ...]
    meta: Mapping[str, str] = field(default_factory=dict)

    def value(self, **where: object) -> float:
        """The one unrounded value whose tidy columns equal ``where``.

        Raises
        ------
        KeyError
            If no row or more than one row matches.
        """
        mask = pd.Series(True, index=self.data.index)
        for k, v in where.items():
            col = self.data[k]
            mask &= col.isna() if v is None else col == v
        hits = self.data.loc[mask, "value"]
        if len(hits) != 1:
            raise KeyError(f"{len(hits)} rows of table {self.name!r} match {where}")
        return float(hits.iloc[0])

    def to_markdown(self) -> str:
        """The view as a Markdown pipe table with its title and notes."""
        lines = [f"### {markdown_text(self.title)}", ""]
        lines.extend(markdown_grid(self.view))
        lines.append("")
        lines.extend(f"- {markdown_text(n)}" for n in self.notes)
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        """The view as an HTML fragment (caption, table, notes), every string escaped."""
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.view.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
            for row in self.view.itertuples(index=False)
        )
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (
            f'<figure class="axspa-table" id="table-{html.escape(self.name)}">'
            f"<figcaption>{html.escape(self.title)}</figcaption>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f'<ul class="notes">{notes}</ul></figure>'
        )

    def to_frame(self) -> pd.DataFrame:
        """The tidy, unrounded numbers (a copy of :attr:`data`)."""
        return self.data.copy()

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        shown = self.view.head(_REPR_ROWS).to_string(index=False)
        if len(shown) > _REPR_CHARS:
            shown = shown[:_REPR_CHARS] + " ..."
        more = f"\n... {len(self.view) - _REPR_ROWS} more rows" if len(self.view) > _REPR_ROWS else ""
        return (
            f"Table {self.name!r}: {self.title}\n{shown}{more}\n"
            f"({len(self.data)} tidy rows, {len(self.notes)} notes; .data for the numbers, .view for the text)"
        )


_MARKDOWN_ESCAPES = str.maketrans(
    {"\\": "\\\\", "&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "`": "\\`", "\n": " ", "\r": " "}
)


def markdown_text(value: object) -> str:
    """``value`` as Markdown text that shows as written and carries no live markup.

    HTML (``<img onerror=...>``, ``&`` entities) is written as character references, links and images
    (``[..](..)``, ``![..](..)``) and code spans lose their brackets and backticks (escaped with ``\\``),
    and a line break becomes a space, so data (a patient id, an adverse-event term, a label) can neither
    inject markup nor start a new block. Emphasis characters are left as they are: they cannot run code.

    Examples
    --------
    >>> print(markdown_text('<img src=x onerror="alert(1)"> [a](javascript:b) R&D'))
    &lt;img src=x onerror="alert(1)"&gt; \\[a\\](javascript:b) R&amp;D
    """
    return str(value).translate(_MARKDOWN_ESCAPES)


def markdown_grid(frame: pd.DataFrame) -> list[str]:
    """Lines of a Markdown pipe table for a frame of strings (:func:`markdown_text`, pipes escaped)."""

    def cell(v: object) -> str:
        return markdown_text(v).replace("|", "\\|")

    cols: Sequence[object] = list(frame.columns)
    out = ["| " + " | ".join(cell(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    out.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False))
    return out
